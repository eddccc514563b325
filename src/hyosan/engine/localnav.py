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

    def update(self, sim) -> None:
        """Give every searching zombie a field for its target, computing the missing ones."""
        p = sim.pop
        need = sim.want  # scratch (move overwrites it later in the tick)
        m = assign_fields(sim.n, p.state, p.mode, p.target, sim.zfield, self.keys, self.source,
                          self.off, self.w, self.bucket, need)
        if m == 0:
            return
        made = 0
        for i in need[:m]:
            t = int(p.target[i])
            lv, r, c = (int(x) for x in sim.world.rowcol(t))
            key = lv * (1 << 40) + (r // self.bucket) * (1 << 20) + c // self.bucket
            hit = np.flatnonzero(self.keys == key)
            if len(hit):
                slot = int(hit[0])
            elif made >= self.per_tick:
                continue  # over this tick's budget: walks straight at it until a later tick
            else:
                made += 1
                slot = int(np.argmin(self.last_used)) if (self.keys >= 0).all() else \
                    int(np.flatnonzero(self.keys < 0)[0])
                r0, c0 = r - self.radius, c - self.radius
                window_field(sim.world.kind, self.off[lv], self.w[lv], self.h[lv], r0, c0, r, c,
                             self.fields[slot])
                self.origin[slot] = (lv, r0, c0)
                self.keys[slot] = key
                self.source[slot] = t
                self.computed += 1
            self.last_used[slot] = sim.tick
            sim.zfield[i] = slot
            p.target[i] = self.source[slot]
