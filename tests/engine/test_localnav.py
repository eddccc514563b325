"""The zombies' window cache hands out slots by its rule (``localnav.claim_slots``).

A key is the target's level and (row, col) // bucket; a cached key gives its slot; a new key
takes the first free slot, else the least recently used, at most ``per_tick`` new keys a tick;
a zombie over that budget gets no slot this tick. Expectations are worked out by hand.
"""

from __future__ import annotations

import numpy as np

from hyosan.engine.localnav import claim_slots

W = 100  # one level, 100 cells wide
OFF = np.array([0, 10_000], np.int64)
WIDTH = np.array([W], np.int64)
BUCKET, RADIUS = 8, 5


def _key(r, c):
    return (r // BUCKET) * (1 << 20) + c // BUCKET


def _run(targets, keys, last_used, per_tick, tick=50):
    n = len(targets)
    target = np.array(targets, np.int64)
    zf = np.full(n, -1, np.int64)
    keys = np.array(keys, np.int64)
    source = np.where(keys >= 0, 7, -1).astype(np.int64)  # cached fields' source cell: 7
    origin = np.zeros((len(keys), 3), np.int64)
    last = np.array(last_used, np.int64)
    todo = np.zeros((per_tick, 6), np.int64)
    made = claim_slots(np.arange(n, dtype=np.int64), n, target, zf, keys, source, origin, last,
                       OFF, WIDTH, BUCKET, RADIUS, tick, per_tick, todo)
    return made, target, zf, keys, source, origin, last, todo[:made]


def test_cached_key_gives_its_slot_and_its_source():
    made, target, zf, _, _, _, last, _ = _run([3 * W + 4], [-1, _key(0, 0), -1], [0, 9, 0], 2)
    assert made == 0 and zf[0] == 1 and target[0] == 7 and last[1] == 50


def test_new_keys_take_free_slots_then_the_least_recently_used_within_the_budget():
    # three new keys (rows 20, 40, 60), a budget of two; slot 2 is the only free one and
    # slot 0 (used at tick 3) is older than slot 1 (tick 9)
    t = [20 * W + 30, 40 * W + 30, 60 * W + 30, 20 * W + 31]  # the last shares the first's key
    made, target, zf, keys, source, origin, _, todo = _run(t, [_key(0, 0), _key(0, 8), -1],
                                                           [3, 9, 0], 2)
    assert made == 2
    assert list(zf) == [2, 0, -1, 2]  # the third waits; the fourth finds the field made now
    assert keys[2] == _key(20, 30) and keys[0] == _key(40, 30) and keys[1] == _key(0, 8)
    assert source[2] == t[0] and target[0] == t[0] and target[3] == t[0]
    assert target[2] == t[2]  # no slot: its target is untouched
    assert list(origin[2]) == [0, 20 - RADIUS, 30 - RADIUS]
    assert [list(x) for x in todo] == [[2, 0, 15, 25, 20, 30], [0, 0, 35, 25, 40, 30]]
