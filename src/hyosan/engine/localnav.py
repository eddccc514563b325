"""Local navigation for zombies: small distance fields around the places they head for.

A zombie that hears prey through a wall cannot walk straight at it; it needs a way round. For
each target (quantised to ``bucket`` cells; the zombie then heads for the field's source) a
windowed Dijkstra over one level gives the
walking distance from every cell within ``radius`` cells, with every door counted as passable
(a zombie walks to a shut door and batters it). The layout inside a window never changes, so a
field is computed once (``navigation.window_field``, the same Dijkstra as the level fields) and
kept in a fixed-size cache (least recently used is replaced). The zombies' steps down these
windows are ``rules/zombies.py``'s.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from hyosan.codes import M_ZINV, S_ZOM
from hyosan.world.navigation import window_field


@njit(cache=True)
def assign_fields(n, state, mode, target, zf, key_of_slot, source, lvl_off, lvl_w, bucket, need):
    """Point each searching zombie at the cached field of its target's bucket (or flag a need).

    ``key_of_slot`` maps cache slot → target key (level * 2**40 + bucket row * 2**20 + bucket
    col); returns how many zombies need a field that is not cached (listed in ``need``).
    """
    m = 0
    for i in range(n):
        if state[i] != S_ZOM or mode[i] != M_ZINV or target[i] < 0:
            zf[i] = -1
            continue
        t = target[i]
        lv = np.searchsorted(lvl_off, t, side="right") - 1
        loc = t - lvl_off[lv]
        key = lv * (1 << 40) + (loc // lvl_w[lv] // bucket) * (1 << 20) + \
            (loc % lvl_w[lv]) // bucket
        if zf[i] >= 0 and key_of_slot[zf[i]] == key:
            continue
        zf[i] = -1
        for s in range(len(key_of_slot)):
            if key_of_slot[s] == key:
                zf[i] = s
                target[i] = source[s]  # head for the field's source: arrival is then exact
                break
        if zf[i] < 0:
            need[m] = i
            m += 1
    return m


@njit(cache=True)
def claim_slots(need, m, target, zf, keys, source, origin, last_used, lvl_off, lvl_w, bucket,
                radius, tick, per_tick, todo):
    """Give each zombie ``need[:m]`` (``assign_fields``) the slot of its target's key, claiming
    a slot for a key not cached (the first free one, else the least recently used) for at
    most ``per_tick`` new keys; zombies over that budget wait (they walk straight at their
    target until a later tick). Lists each claimed slot's field to compute in ``todo`` (slot,
    level, window origin row and column, source row and column) and returns how many."""
    made = 0
    for q in range(m):
        i = need[q]
        t = target[i]
        lv = np.searchsorted(lvl_off, t, side="right") - 1
        loc = t - lvl_off[lv]
        r = loc // lvl_w[lv]
        c = loc % lvl_w[lv]
        key = lv * (1 << 40) + (r // bucket) * (1 << 20) + c // bucket
        slot = -1
        for s in range(len(keys)):
            if keys[s] == key:
                slot = s
                break
        if slot < 0:
            if made >= per_tick:
                continue
            for s in range(len(keys)):
                if keys[s] < 0:
                    slot = s
                    break
            if slot < 0:
                slot = np.argmin(last_used)
            todo[made, 0] = slot
            todo[made, 1] = lv
            todo[made, 2] = r - radius
            todo[made, 3] = c - radius
            todo[made, 4] = r
            todo[made, 5] = c
            made += 1
            origin[slot, 0] = lv
            origin[slot, 1] = r - radius
            origin[slot, 2] = c - radius
            keys[slot] = key
            source[slot] = t
        last_used[slot] = tick
        zf[i] = slot
        target[i] = source[slot]
    return made


class LocalFields:
    """A fixed-size cache of windowed distance fields keyed by target bucket."""

    def __init__(self, world, radius_cells: int, capacity: int = 256, bucket: int = 4,
                 per_tick: int = 4):
        self.world = world
        self.radius = int(radius_cells)
        self.size = 2 * self.radius + 1
        self.capacity = capacity
        self.bucket = bucket
        self.fields = np.full((capacity, self.size, self.size), np.inf, dtype=np.float32)
        self.origin = np.zeros((capacity, 3), dtype=np.int64)  # level, r0, c0
        self.keys = np.full(capacity, -1, dtype=np.int64)
        self.source = np.full(capacity, -1, dtype=np.int64)  # global cell of each field's source
        self.last_used = np.zeros(capacity, dtype=np.int64)
        self.computed = 0
        #: at most this many new fields a tick, so a horde in the town cannot stall a tick
        self.per_tick = per_tick
        self.off, self.h, self.w = world.level_arrays()
        self.todo = np.zeros((per_tick, 6), dtype=np.int64)  # claim_slots: fields to compute

    def update(self, sim) -> None:
        """Give every searching zombie a field for its target, computing the missing ones."""
        p = sim.pop
        need = sim.want  # scratch (move overwrites it later in the tick)
        m = assign_fields(sim.n, p.state, p.mode, p.target, sim.zfield, self.keys, self.source,
                          self.off, self.w, self.bucket, need)
        if m == 0:
            return
        made = claim_slots(need, m, p.target, sim.zfield, self.keys, self.source, self.origin,
                           self.last_used, self.off, self.w, self.bucket, self.radius, sim.tick,
                           self.per_tick, self.todo)
        for slot, lv, r0, c0, r, c in self.todo[:made]:
            window_field(sim.world.kind, int(self.off[lv]), int(self.w[lv]), int(self.h[lv]),
                         int(r0), int(c0), int(r), int(c), self.fields[slot])
        self.computed += made
