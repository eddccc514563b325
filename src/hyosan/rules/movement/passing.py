"""Passing: two people facing each other squeeze past (``swap_places``)."""

from __future__ import annotations

from numba import njit

from hyosan.codes import IS_HUMAN
from hyosan.engine.grid import FLOOR, GROUND, STAIRS, set_cell
from hyosan.engine.rng import uniform
from hyosan.rules.draws import Draws

# Slot of the move stream (``rules/draws.py``); the number is that of the golden runs.
SWAP_DRAW = 2000  # + rnd: does a pair of opposite walkers swap places

DRAWS = (
    Draws("move", "move", "swap", SWAP_DRAW, per_round=1, alt=(("profile", ("full",)),)),
)


@njit(cache=True)
def swap_places(ag, gr, sc, pm, key, tick, rnd):
    """Two people facing each other squeeze past, with probability ``p_swap`` per sub-round:
    one has no free cell that gains and wants the other's (``swap``), and the other, standing
    still this sub-round, would gain by taking the first one's cell (their own goal field falls
    that way). On floor and stair cells (a flight's ends), not in doorways or exits, both
    paying 1.5 steps (they turn their shoulders and squeeze by; Yamamoto et al. 2019). Without
    it two crowds crossing in a corridor lock solid, which people do not. The second need not
    have picked the first's cell itself: in a crowd heading diagonally for an exit the two
    rarely pick each other. Returns swaps made.

    Named state (``engine/state.py``): ``ag`` agents, ``gr`` grid, ``sc`` scratch (``want``,
    ``swap``), ``pm`` parameters (``p_swap``)."""
    n, cell, row, col, level, state = ag.n, ag.cell, ag.row, ag.col, ag.level, ag.state
    budget, goal = ag.budget, ag.goal
    occ, kind, lvl_off, lvl_w, cell_size, fields = gr.occ, gr.kind, gr.lvl_off, gr.lvl_w, \
        gr.cell_size, gr.fields
    want, swap, p_swap = sc.want, sc.swap, pm.p_swap
    made = 0
    for i in range(n):
        a = swap[i]
        if a < 0 or want[i] >= 0:
            continue
        j = occ[a]
        if j < 0 or j == i or swap[j] == -2:
            continue  # -2: passed someone already this sub-round
        sj = state[j]
        if not IS_HUMAN[sj]:
            continue
        if want[j] >= 0 and cell[j] == want[j]:
            continue  # stepped onto that cell in this sub-round
        b = cell[i]
        gj = goal[j]
        if gj < 0 or not fields[gj, b] < fields[gj, a] - 1e-6:
            continue  # the other is not heading this way
        ka = kind[a]
        kb = kind[b]
        if not ((ka == FLOOR or ka == GROUND or ka == STAIRS) and
                (kb == FLOOR or kb == GROUND or kb == STAIRS)):
            continue  # not in doorways or exits: those have their own gates
        if budget[i] < 0.999 * cell_size or budget[j] < 0.999 * cell_size:
            continue
        if uniform(key, tick, i, SWAP_DRAW + rnd) >= p_swap:
            continue
        lv = level[i]
        diag = (row[i] != row[j]) and (col[i] != col[j])
        cost = 1.5 * cell_size * (1.4142135623730951 if diag else 1.0)
        budget[i] -= cost
        budget[j] -= cost
        set_cell(i, a, lv, cell, level, row, col, lvl_off, lvl_w)
        set_cell(j, b, lv, cell, level, row, col, lvl_off, lvl_w)
        occ[a] = i
        occ[b] = j
        swap[i] = -2
        swap[j] = -2
        made += 1
    if made:  # the marks served this sub-round; a kept desire (changed_agents) must not see them
        for i in range(n):
            if swap[i] == -2:
                swap[i] = -1
    return made
