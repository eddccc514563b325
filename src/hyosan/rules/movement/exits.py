"""Exits: people standing in an exit cell step out of the building and have escaped."""

from __future__ import annotations

import numpy as np
from numba import njit

from hyosan.codes import E_ESCAPE, IS_HUMAN, S_ESC
from hyosan.engine.events import emit


@njit(cache=True)
def leave_exits(exit_cells, state, budget, occ, clear, cell_size, time_s, ended_at, ev_kind,
                ev_a, ev_b, ev_cell, ev_n):
    """People standing in an exit step out (one more cell of budget) and have escaped.

    The exit cell is held while they cross it, so an exit passes people at walking pace, one
    per cell, like any door, instead of swallowing everyone who reaches it in a tick. Stepping
    out of a narrow exit cell costs ``cell_size² / clear`` (as a step into a narrow cell does:
    a lane's flow is proportional to its clear width). Visits the exit cells, not the agents:
    a few cells against thousands of people each sub-round."""
    out = 0
    full = np.float32(cell_size)  # ``clear`` of a full cell, as stored
    for c in exit_cells:
        i = occ[c]
        if i < 0 or budget[i] < 0.999 * cell_size:
            continue
        s = state[i]
        if not IS_HUMAN[s]:
            continue
        budget[i] -= cell_size if clear[c] >= full else cell_size * cell_size / clear[c]
        state[i] = S_ESC
        ended_at[i] = time_s
        occ[c] = -1
        out += 1
        emit(E_ESCAPE, i, -1, c, ev_kind, ev_a, ev_b, ev_cell, ev_n)
    return out
