"""Stuck: ticks an agent that wants to go somewhere has not moved (queueing is not stuck)."""

from __future__ import annotations

from numba import njit

from hyosan.codes import M_ZWANDER, S_ZOM, STANDS_STILL
from hyosan.rules.movement.budget import local_density


@njit(cache=True)
def update_stuck(ag, gr):
    """Count ticks an agent that wants to go somewhere has not moved (``ag.stuck``, against
    ``ag.prev_cell``). Waiting in a queue (someone on a cell ahead, toward the goal) is not
    being stuck: people do not give up an exit because a crowd is slow to get through it."""
    n, state, mode, cell, prev_cell, stuck = ag.n, ag.state, ag.mode, ag.cell, ag.prev_cell, \
        ag.stuck
    level, row, col, goal = ag.level, ag.row, ag.col, ag.goal
    occ, kind, lvl_off, lvl_h, lvl_w, fields = gr.occ, gr.kind, gr.lvl_off, gr.lvl_h, gr.lvl_w, \
        gr.fields
    for i in range(n):
        m = mode[i]
        if STANDS_STILL[m] or m == M_ZWANDER:
            continue
        if occ[cell[i]] != i:
            continue  # climbing, or waiting at the top of a flight: not stuck
        if cell[i] == prev_cell[i]:
            g = goal[i] if state[i] != S_ZOM else -1
            if g >= 0 and local_density(cell[i], level[i], row[i], col[i], occ, kind, lvl_off,
                                        lvl_h, lvl_w, 1.0, fields, g, goal, 1.0, True) > 0.0:
                continue  # queueing
            stuck[i] += 1
        elif stuck[i] > 0:
            stuck[i] = 0
