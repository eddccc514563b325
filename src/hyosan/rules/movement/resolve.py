"""Resolve and commit: a random winner per wanted cell (the highest draw), then every winner
moves at once, through the gates of doorways and stair flights."""

from __future__ import annotations

import numpy as np
from numba import njit

from hyosan.engine.grid import STAIRS, set_cell
from hyosan.engine.rng import uniform
from hyosan.rules.draws import Draws
from hyosan.rules.movement.ways import admit, way_of_step

# Slot of the move stream (``rules/draws.py``); the number is that of the golden runs.
RESOLVE_PRIO = 1000  # + rnd: priority in a conflict over a cell

DRAWS = (
    Draws("move", "move", "resolve_prio", RESOLVE_PRIO, per_round=1, alt=(("profile", ("full",)),)),
)


@njit(cache=True)
def resolve_and_commit(m, rnd, charge, ag, gr, wy, sc, pm, ev, key, tick, time_s):
    """Random winner per wanted cell, then every winner moves at once. Returns moves made.

    Visits every agent, or with ``m`` ≥ 0 only ``active[:m]`` (in index order): after an
    incremental sub-round everyone who wants a cell is among them (``changed_agents``).

    A planar step into cell ``w`` costs ``cell_size / clear[w]`` (≥ 1) times the plain step: a
    lane of clear width c carries c / cell_size of a full lane's flow, so a doorway's capacity
    grows linearly with its width (Seyfried et al. 2009), whatever the cell size. Stairs are
    paid as before.

    Doorways and stair flights are gated ways (``ways.py``): a step into one waits for
    its gate. A step up or down a flight puts the walker in transit (``flight[i]`` = the way):
    they leave their cell, take the landing as their ``cell`` without holding it, and ``land``
    puts them on it once the climb is paid for.

    ``charge``: whether steps cost budget. State as named structs (``engine/state.py``).
    """
    n = ag.n
    cell, level, row, col, budget, flight = ag.cell, ag.level, ag.row, ag.col, ag.budget, \
        ag.flight
    occ, kind, clear, up, down = gr.occ, gr.kind, gr.clear, gr.up, gr.down
    lvl_off, lvl_w, cell_size, stair_len = gr.lvl_off, gr.lvl_w, gr.cell_size, gr.stair_len
    active, want, claim = sc.active, sc.want, sc.claim
    way, up_way, down_way, rate, cap, gate, inside, partner = wy.way, wy.up_way, \
        wy.down_way, wy.rate, wy.cap, wy.gate, wy.inside, wy.partner
    up_factor, down_factor, stair_factor = pm.up_factor, pm.down_factor, pm.stair_factor
    cnt = n if m < 0 else m
    for t in range(cnt):
        i = t if m < 0 else active[t]
        w = want[i]
        if w >= 0:
            j = claim[w]
            if j < 0 or uniform(key, tick, i, RESOLVE_PRIO + rnd) > \
                    uniform(key, tick, j, RESOLVE_PRIO + rnd):
                claim[w] = i
    moved = 0
    full = np.float32(cell_size)  # ``clear`` of a full cell, as stored
    for t in range(cnt):
        i = t if m < 0 else active[t]
        w = want[i]
        if w < 0:
            continue
        if claim[w] == i:
            cur = cell[i]
            g, climb = way_of_step(cur, w, up, down, way, up_way, down_way)
            if climb and g < 0 and occ[w] >= 0:
                continue  # no flight to board: the landing must be free
            if g >= 0 and not admit(g, time_s, rate, cap, gate, inside, partner):
                continue  # the doorway or flight is still passing the one before
            if charge:
                if up[cur] == w:  # a flight up, slower than down (Weidmann; Fruin)
                    cost = stair_len / up_factor
                elif down[cur] == w:
                    cost = stair_len / down_factor
                else:
                    lvw = lvl_w[level[i]]
                    loc = w - lvl_off[level[i]]
                    diag = (loc // lvw != row[i]) and (loc % lvw != col[i])
                    cost = cell_size * (1.4142135623730951 if diag else 1.0)
                    if kind[w] == STAIRS and kind[cur] == STAIRS:
                        cost /= stair_factor
                    if clear[w] < full:  # a narrow cell is passed more slowly
                        cost *= cell_size / clear[w]
                budget[i] -= cost
            occ[cur] = -1
            lv = np.searchsorted(lvl_off, w, side="right") - 1 if climb else level[i]
            set_cell(i, w, lv, cell, level, row, col, lvl_off, lvl_w)
            moved += 1
            if climb and g >= 0:
                flight[i] = g  # in transit: the landing is taken when they arrive
                inside[g] += 1
            else:
                occ[w] = i  # an exit cell is a doorway: it holds its walker until they step out
    for t in range(cnt):
        i = t if m < 0 else active[t]
        w = want[i]
        if w >= 0:
            claim[w] = -1
    return moved
