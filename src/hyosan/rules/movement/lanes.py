"""A dynamic floor field: the trail of recent walkers, so that lanes form in counterflow.

People in a crowd walking both ways fall into lanes within seconds: each follows someone
going their way and sidesteps the oncoming (Kretz et al. 2006; Feliciani & Nishinari 2016). A
static distance field cannot do it; cellular automata add a *dynamic* field that walkers
leave behind and that fades (Burstedde et al. 2001; Kirchner & Schadschneider 2002). For
counterflow the trail must know its direction, so here every cell keeps the decayed sum of
the unit steps taken out of and into it — a flow vector — and a walker scoring a neighbour
where the trail runs against its step (trail · step < 0) scores it ``behaviour.lanes`` ×
tanh(−trail · step) of a cell's gain worse: people keep out of the oncoming crowd's path.
Trails running one's way are not rewarded, so a one-way stream walks as before.

The trail decays as exp(−Δt / ``behaviour.lane_memory_s``). Decay is applied lazily, when a
cell is read or written (each cell keeps the time of its last write), so an idle town costs
nothing per tick.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numba import njit

from hyosan.codes import IS_HUMAN


@dataclass
class Trail:
    """Per cell: the flow vector of recent walkers (rows, cols per second of memory)."""

    vr: np.ndarray  # float32 per cell, sum of the row components of recent unit steps
    vc: np.ndarray  # float32 per cell, the column components
    t: np.ndarray  # float32 per cell, time of the last deposit
    memory_s: float

    @classmethod
    def empty(cls, n_cells: int, memory_s: float) -> Trail:
        return cls(np.zeros(n_cells, np.float32), np.zeros(n_cells, np.float32),
                   np.zeros(n_cells, np.float32), memory_s)


@njit(cache=True, inline="always")
def trail_dot(nb, dr, dc, vr, vc, t, time_s, memory_s):
    """The trail on cell ``nb``, decayed to ``time_s``, projected on the unit step (dr, dc)."""
    x = vr[nb] * dr + vc[nb] * dc
    if x == 0.0:
        return 0.0
    norm = 0.7071067811865476 if (dr != 0 and dc != 0) else 1.0
    return x * norm * np.exp(-(time_s - t[nb]) / memory_s)


@njit(cache=True)
def deposit(n, prev_cell, cell, level, row, col, state, lvl_off, lvl_w, vr, vc, t, time_s,
            memory_s):
    """Every person who moved this tick on one level leaves their unit step (net over the
    tick) on the cell they left and on the cell they reached."""
    for i in range(n):
        a = prev_cell[i]
        b = cell[i]
        s = state[i]
        if a == b or not IS_HUMAN[s]:  # people, not zombies
            continue
        lv = level[i]
        loc = a - lvl_off[lv]
        if loc < 0 or (lv + 1 < len(lvl_off) and a >= lvl_off[lv + 1]):
            continue  # took the stairs
        dr = float(row[i] - loc // lvl_w[lv])
        dc = float(col[i] - loc % lvl_w[lv])
        d = np.sqrt(dr * dr + dc * dc)
        dr /= d
        dc /= d
        for c in (a, b):
            k = np.exp(-(time_s - t[c]) / memory_s)
            vr[c] = vr[c] * k + dr
            vc[c] = vc[c] * k + dc
            t[c] = time_s
