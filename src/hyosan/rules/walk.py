"""The simple profiles' move (``random_walk``, ``mixing``): one fused kernel, the plan's walk phase.

These profiles exist for benchmarks and for the closed-form SZR checks: agents take a random
free Moore (or von Neumann) neighbour, or jump to a random free cell (well-mixed), with no
navigation, budgets or perception. They draw from the ``move`` stream, in slots of their own.
"""

from __future__ import annotations

from numba import njit

from hyosan.codes import ON_MAP
from hyosan.engine.grid import FLOOR, GROUND, VN, planar
from hyosan.engine.rng import randint, uniform
from hyosan.rules.draws import Draws

# Slots of the move stream (``rules/draws.py``); the numbers are those of the golden runs.
SIMPLE_TARGET = 0  # the neighbour (random walk) or + try t, the cell (mixing)
SIMPLE_PRIO = 1000  # priority in a conflict over a cell
_SIMPLE = (("profile", ("random_walk", "mixing")),)

DRAWS = (
    Draws("move", "move", "simple_target", SIMPLE_TARGET, 4, alt=_SIMPLE),
    Draws("move", "move", "simple_prio", SIMPLE_PRIO, alt=_SIMPLE),
)


@njit(cache=True)
def random_walk_step(n, cell, row, col, state, occ, kind, lvl_off, lvl_h, lvl_w, torus, key,
                     tick, neighbours8, mixing, n_cells, prio, want):
    """The random-walk (or well-mixed) move in two passes: desire + claim, then commit.

    Random walk: a uniformly chosen Moore (or von Neumann) neighbour, if free. Well-mixed: a
    uniformly random free cell (four tries). Conflicts over a cell go to the highest draw, as
    in ``resolve_and_commit``; fused into one kernel because benchmarks run it at full speed.
    Single level only. Returns the number of moves.
    """
    nk = 8 if neighbours8 else 4
    for i in range(n):
        want[i] = -1
        s = state[i]
        if not ON_MAP[s]:
            continue
        nb = -1
        if mixing:
            for t in range(4):
                c = randint(key, tick, i, SIMPLE_TARGET + t, n_cells)
                if occ[c] < 0 and (kind[c] == FLOOR or kind[c] == GROUND):
                    nb = c
                    break
        else:
            k = randint(key, tick, i, SIMPLE_TARGET, nk)
            if not neighbours8:
                k = VN[k]
            c = planar(cell[i], 0, row[i], col[i], k, lvl_off, lvl_h, lvl_w, torus)
            if c >= 0 and occ[c] < 0 and (kind[c] == FLOOR or kind[c] == GROUND):
                nb = c
        if nb < 0:
            continue
        want[i] = nb
        pr = uniform(key, tick, i, SIMPLE_PRIO)
        prio[i] = pr
        v = occ[nb]  # -1 empty, or -2 - j when agent j claimed it already this tick
        if v == -1 or pr > prio[-2 - v]:
            occ[nb] = -2 - i
    moved = 0
    w = lvl_w[0]
    for i in range(n):
        nb = want[i]
        if nb < 0:
            continue
        if occ[nb] == -2 - i:
            occ[cell[i]] = -1
            occ[nb] = i
            cell[i] = nb
            row[i] = nb // w
            col[i] = nb - (nb // w) * w
            moved += 1
    # losers' claims were overwritten by winners, winners now stand there: nothing to reset
    return moved
