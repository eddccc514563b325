"""Local navigation for zombies: small distance fields around the places they head for.

A zombie that hears prey through a wall cannot walk straight at it; it needs a way round. For
each target (quantised to ``bucket`` cells; the zombie then heads for the field's source) a
windowed Dijkstra over one level gives the
walking distance from every cell within ``radius`` cells, with every door counted as passable
(a zombie walks to a shut door and batters it). The layout inside a window never changes, so a
field is computed once (``navigation.window_field``, the same Dijkstra as the level fields) and
kept in a fixed-size cache (least recently used is replaced).
"""

from __future__ import annotations

import numpy as np
from numba import njit

from hyosan.codes import HUNTS_SOUND, M_ZINV, M_ZSTAIRS, S_ZOM
from hyosan.engine.fields import F_UP
from hyosan.engine.score import best_move, chase
from hyosan.rules.draws import Draws
from hyosan.world.navigation import window_field

NO_AGENTS = np.zeros(0, np.int64)  # desire_zombies_listed: every agent

# Slots of the move stream (``rules/draws.py``); the numbers are those of the golden runs
LOCAL_STRIDE = 8  # slots of sub-round rnd start LOCAL_STRIDE * rnd further on
WINDOW_JITTER = 50  # + neighbour k (0-7): down an investigator's local window
STAIRS_JITTER = 90  # + neighbour k (0-7): toward the stairs to a sound's floor
DRAWS = (
    Draws("move", "localnav", "window_jitter", WINDOW_JITTER, 8, per_round=LOCAL_STRIDE,
          alt=(("profile", ("full",)), ("walk", ("hunt",)))),
    Draws("move", "localnav", "stairs_jitter", STAIRS_JITTER, 8, per_round=LOCAL_STRIDE,
          alt=(("profile", ("full",)), ("walk", ("stairs",)))),
)


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


@njit(cache=True)
def desire_zombies(n, state, mode, zfield, fields, origin, cell, level, row, col, budget, occ,
                   kind, door_of, door_state, exit_closed, lvl_off, lvl_h, lvl_w, cell_size,
                   key, tick, rnd, want, batter, goal, gfields, up, down, target):
    """``desire_zombies_listed`` over every agent."""
    desire_zombies_listed(n, NO_AGENTS, state, mode, zfield, fields, origin, cell, level, row,
                          col, budget, occ, kind, door_of, door_state, exit_closed, lvl_off,
                          lvl_h, lvl_w, cell_size, key, tick, rnd, want, batter, goal, gfields,
                          up, down, target)


@njit(cache=True)
def desire_zombies_listed(n, idx, state, mode, zfield, fields, origin, cell, level, row, col,
                          budget, occ, kind, door_of, door_state, exit_closed, lvl_off, lvl_h,
                          lvl_w, cell_size, key, tick, rnd, want, batter, goal, gfields, up,
                          down, target):
    """Desired cell of zombies investigating a sound (mode 22) or heading for the stairs (23);
    ``desire.desire_full`` leaves them to this and runs first.

    An investigator whose cached window (``zfield``) covers its cell, at a finite distance,
    follows it: the free passable neighbour lowest in the field, if lower than here; if a
    shut door scores lower still, it batters the door instead. Any other investigator walks
    straight at its target (``score.chase``). Zombies heading for the stairs follow the global
    stairs field ``gfields[goal]`` the same way and, standing on a stair linked the way they
    want, take it. Zombies not on the map want nothing.

    Visits agents ``idx[:n]``, or agents 0..n-1 if ``idx`` is empty (as ``desire_agents``).
    """
    size = fields.shape[1]
    flat = fields.reshape((fields.shape[0], size * size))  # one frame of size × size per slot
    listed = len(idx) > 0
    for j in range(n):
        i = idx[j] if listed else j
        m = mode[i]
        if state[i] != S_ZOM or not HUNTS_SOUND[m]:
            continue
        want[i] = -1
        batter[i] = -1
        cur = cell[i]
        if occ[cur] != i or budget[i] < 0.999 * cell_size:
            continue
        lv = level[i]
        r = row[i]
        c = col[i]
        if m == M_ZSTAIRS:
            if goal[i] >= 0:
                _to_stairs(i, goal[i], gfields, cur, lv, r, c, occ, kind, door_of, door_state,
                           exit_closed, up, down, lvl_off, lvl_h, lvl_w, key, tick, rnd, want,
                           batter)
            continue
        s = zfield[i]
        if s >= 0 and origin[s, 0] == lv:
            r0 = origin[s, 1]
            c0 = origin[s, 2]
            lr = r - r0
            lc = c - c0
            if 0 <= lr < size and 0 <= lc < size and fields[s, lr, lc] < np.inf:
                slot = WINDOW_JITTER + LOCAL_STRIDE * rnd
                best, door = best_move(i, 1, cur, lv, r, c, flat, s, (0, r0, c0, size, size),
                                       (-1.0, -1.0), (-1.0, -1.0, 0.0, 0.0),
                                       (False, True, 1e-3, slot), occ, kind, door_of,
                                       door_state, exit_closed, up, down, lvl_off, lvl_h, lvl_w,
                                       key, tick)
                if best >= 0:
                    want[i] = best
                elif door >= 0:
                    batter[i] = door
                continue
        chase(i, 1, target[i], gfields, cur, lv, r, c, occ, kind, door_of, door_state,
              exit_closed, up, down, lvl_off, lvl_h, lvl_w, key, tick, rnd, want, batter)


@njit(cache=True)
def _to_stairs(i, g, gfields, cur, lv, r, c, occ, kind, door_of, door_state, exit_closed, up,
               down, lvl_off, lvl_h, lvl_w, key, tick, rnd, want, batter):
    """One zombie's step toward (and through) the stairs of field ``g`` (``F_UP`` or ``F_DOWN``)."""
    link = up[cur] if g == F_UP else down[cur]
    if link >= 0:
        if occ[link] < 0:
            want[i] = link
        return
    slot = STAIRS_JITTER + LOCAL_STRIDE * rnd
    best, door = best_move(i, 1, cur, lv, r, c, gfields, g,
                           (lvl_off[lv], 0, 0, lvl_h[lv], lvl_w[lv]), (-1.0, -1.0),
                           (-1.0, -1.0, 0.0, 0.0), (False, True, 1e-3, slot), occ, kind,
                           door_of, door_state, exit_closed, up, down, lvl_off, lvl_h, lvl_w,
                           key, tick)
    if best >= 0:
        want[i] = best
    elif door >= 0:
        batter[i] = door
