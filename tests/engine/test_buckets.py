"""The perception buckets against their definitions, by brute force: the sort, the nearest
agent in sight, the nearest heard (with their tie rules), the hearing zones."""

from __future__ import annotations

import numpy as np
import pytest

from hyosan.codes import M_HIDDEN
from hyosan.engine import buckets as pm
from hyosan.world.sight import line_clear


def _brute_line_clear(opaque, width, r0, c0, r1, c1):
    # The sight line itself is the shared predicate (world/sight.line_clear, tested against its
    # definition in tests/world/test_sight.py); what this brute force checks is the bucket and
    # ring search that decides which candidates get a sight line at all.
    return line_clear(opaque, 0, width, r0, c0, r1, c1)


def _sorted(n, state, level, row, col, b_off, b_w):
    """build_buckets on fresh arrays: (z_start, z_items, z_next, h_start, h_items, h_next)."""
    nb = int(b_off[-1])
    out = [np.full(nb + 1, -7, np.int64), np.full(max(n, 1), -7, np.int64),
           np.full(nb + 1, -7, np.int64), np.full(nb + 1, -7, np.int64),
           np.full(max(n, 1), -7, np.int64), np.full(nb + 1, -7, np.int64)]
    counts = pm.build_buckets(n, state, level, row, col, b_off, b_w, *out)
    return counts, out


def _bucket(b_off, b_w, lv, r, c):
    return int(b_off[lv] + (r // pm.BUCKET) * b_w[lv] + c // pm.BUCKET)


def _scene(seed, H, W, n, p_zombie=0.3, levels=1):
    rng = np.random.default_rng(seed)
    level = rng.integers(0, levels, n).astype(np.int32)
    row = rng.integers(0, H, n)
    col = rng.integers(0, W, n)
    state = np.where(rng.random(n) < p_zombie, 2, np.where(rng.random(n) < 0.9, 0, 1))
    return rng, level, row, col, state.astype(np.uint8)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_build_buckets_is_a_stable_sort_by_bucket(seed):
    H, W, n = 70, 90, 400
    _, level, row, col, state = _scene(seed, H, W, n, levels=2)
    b_off, b_w, _ = pm.bucket_layout([(H, W), (H, W)])
    (mz, mh), (zs, zi, zn, hs, hi, hn) = _sorted(n, state, level, row, col, b_off, b_w)
    nb = int(b_off[-1])
    for want, m, start, items, nxt in ((2, mz, zs, zi, zn), (0, mh, hs, hi, hn)):
        who = [i for i in range(n) if state[i] == want]
        assert m == len(who)
        key = {i: _bucket(b_off, b_w, level[i], row[i], col[i]) for i in who}
        # by definition: bucket by bucket, each in increasing agent index
        assert list(items[:m]) == sorted(who, key=lambda i: (key[i], i))
        for b in range(nb):
            assert sorted(items[start[b]:start[b + 1]]) == [i for i in who if key[i] == b]
        assert start[nb] == m
        full = [b for b in range(nb) if start[b + 1] > start[b]]
        for b in range(nb + 1):  # the first bucket from b on that holds somebody
            assert nxt[b] == next((x for x in full if x >= b), nb)


@pytest.mark.parametrize("seed,radius,H,W,n", [(0, 50.0, 90, 120, 500), (1, 20.0, 90, 120, 500),
                                               (2, 7.5, 90, 120, 500), (3, 30.0, 40, 50, 900),
                                               (4, 12.0, 33, 47, 700)])
def test_nearest_visible_matches_brute_force(seed, radius, H, W, n):
    """The nearest zombie in sight; of those equally near (frequent on a grid), the one in the
    smallest ring of buckets round the looker's, then the first in the bucket arrays."""
    rng, level, row, col, state = _scene(seed, H, W, n)
    opaque = rng.random(H * W) < 0.08
    b_off, b_w, b_h = pm.bucket_layout([(H, W)])
    (mz, _), (start, items, nxt, *_h) = _sorted(n, state, level, row, col, b_off, b_w)
    off, width = np.array([0], np.int64), np.array([W], np.int64)
    zombies = np.flatnonzero(state == 2)
    pos = {int(j): t for t, j in enumerate(items[:mz])}
    ties = 0
    for i in np.flatnonzero(state == 0):
        got = pm.nearest_visible(i, 0, row[i], col[i], radius, start, items, nxt, level, row,
                                 col, b_off, b_w, b_h, opaque, off, width)
        cand = []
        for j in zombies:
            d2 = (row[j] - row[i]) ** 2 + (col[j] - col[i]) ** 2
            if d2 <= radius ** 2 and _brute_line_clear(opaque, W, row[i], col[i], row[j],
                                                       col[j]):
                ring = max(abs(row[j] // 16 - row[i] // 16), abs(col[j] // 16 - col[i] // 16))
                cand.append((d2, ring, pos[int(j)], int(j)))
        if not cand:
            assert got == -1
        else:
            cand.sort()
            ties += len(cand) > 1 and cand[0][0] == cand[1][0]
            assert got == cand[0][3]
    assert ties > 0  # the tie rule was exercised


@pytest.mark.parametrize("seed,radius", [(0, 45.0), (1, 90.0), (2, 20.0)])
def test_nearest_audible_matches_brute_force(seed, radius):
    """The nearest person heard: distance² × 4 one storey away, × 16 when hidden; of those
    equally near, the one on the listener's level, then on the lowest-numbered level, then the
    first in the bucket arrays. Two storeys of one building (offset on the ground) and a
    third storey of it two floors up, which is not heard."""
    H, W, n = 60, 80, 900
    rng, level, row, col, state = _scene(seed, H, W, n, levels=3)
    mode = np.where(rng.random(n) < 0.2, M_HIDDEN, 0).astype(np.uint8)
    b_off, b_w, b_h = pm.bucket_layout([(H, W)] * 3)
    lvl_floor = np.array([0, 1, 2], np.int64)
    lvl_bld = np.array([-1, 0, 0], np.int64)
    lvl_or = np.array([0, 5, 5], np.int64)
    lvl_oc = np.array([0, 9, 9], np.int64)
    (_, mh), (*_z, start, items, nxt) = _sorted(n, state, level, row, col, b_off, b_w)
    pos = {int(j): t for t, j in enumerate(items[:mh])}
    people = np.flatnonzero(state == 0)
    ties = 0
    for i in np.flatnonzero(state == 2):
        lv = int(level[i])
        got = pm.nearest_audible(lv, row[i], col[i], radius, start, items, nxt, level, row, col,
                                 mode, b_off, b_w, b_h, lvl_floor, lvl_bld, lvl_or, lvl_oc)
        cand = []
        for j in people:
            l2 = int(level[j])
            if abs(lvl_floor[l2] - lvl_floor[lv]) > 1:
                continue
            # the listener's place in level l2's coordinates (global = local + origin)
            r = row[i] + lvl_or[lv] - lvl_or[l2]
            c = col[i] + lvl_oc[lv] - lvl_oc[l2]
            d2 = float((row[j] - r) ** 2 + (col[j] - c) ** 2) * (1.0 if l2 == lv else 4.0)
            d2 *= 16.0 if mode[j] == M_HIDDEN else 1.0
            if d2 <= radius ** 2:
                cand.append((d2, 0 if l2 == lv else 1 + l2, pos[int(j)], int(j)))
        if not cand:
            assert got == -1
        else:
            cand.sort()
            ties += len(cand) > 1 and cand[0][0] == cand[1][0]
            assert got == cand[0][3]
    assert ties > 0


def test_line_clear_is_blocked_by_a_wall_and_symmetric_on_a_clear_row():
    W = 10
    opaque = np.zeros(W * W, np.bool_)
    assert line_clear(opaque, 0, W, 0, 0, 9, 9)
    opaque[5 * W + 5] = True
    assert not line_clear(opaque, 0, W, 0, 0, 9, 9)
    assert line_clear(opaque, 0, W, 5, 0, 5, 4)  # the wall itself is the end: not between


def test_noise_zone_marks_buckets_within_radius():
    b_off, b_w, b_h = pm.bucket_layout([(160, 160)])
    zone = np.zeros(b_off[-1], np.int64)
    lv = np.array([0], np.int64)
    pm.mark_noises(1, lv, np.array([80]), np.array([80]), np.array([40.0]), np.array([1.0]),
                   b_off, b_w, b_h, zone)
    grid = zone.reshape(10, 10)
    assert grid[5, 5] == 0 and grid[0, 0] == -1 and grid[9, 9] == -1
