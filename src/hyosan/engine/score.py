"""One step's choice: score the neighbours of an agent's cell and pick the best free one.

Every scored move of the move phase comes through ``best_move``: people walking down a
navigation field (pushed away from a seen zombie; ``movement/desire.py``), chasers walking
straight at a target cell, zombies following a local window or the stairs field
(``rules/zombies.py``). What is scored:

* **toward a target** (``toward`` = (tr, tc), tr ≥ 0): straight-line cells from the neighbour
  to (tr, tc);
* **down a field** (fh > 0): the value of field ``fields[f]`` at the neighbour. The field
  covers an fh × fw frame of the agent's level whose top-left cell is (fr0, fc0), stored row
  by row from ``fields[f, fbase]`` (``frame`` = (fbase, fr0, fc0, fh, fw)): a level field is
  the frame of its whole level (fbase = the level's offset), a local window is a small frame
  of its own; cells outside the frame score ``inf``. Stair partners (``stairs``) score
  ``fields[f, partner]``, so they need a level field;
* **no field** (fh = 0): 0 everywhere, so only the threat moves the agent;
* a **threat** (``away`` = (thr, thc, flee_cells, rep_weight), thr ≥ 0) at (thr, thc) adds
  ``rep_weight`` per cell closer than ``flee_cells`` (planar moves); with no field, each cell
  of distance from it also counts one down.

Two rules pick among the scores (``rule`` = (stairs, hunt, jitter, stream)), as the kernels
they came from did:

* **walk** (hunt False): moves are ranked by gain per metre (a diagonal's gain × 1/√2), then
  tie-broken by ``jitter`` × a uniform draw; a shut door ahead (zombies only, scored without
  either) is handed back for the caller to batter when no move gains;
* **hunt** (hunt True): every neighbour, shut doors included, gets the jitter first; a shut
  door scoring lower than the best move wins (the zombie batters it on its way).

Draws come from slot ``stream + k`` of the move stream for neighbour k (0-7 Moore, 8 up, 9
down). A stair link is open while someone stands on its landing: the walker boards the flight
and lands when the landing is free (``ways.land``), so people going up and down one stairwell
do not lock each other out at its ends. An agent that is not on the map (``occ[cur] != i``:
in transit on a stair flight) wants nothing.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from hyosan.engine.grid import DC, DIAG, DOOR, DR, ZOMBIE, corner_clear, passable, planar
from hyosan.engine.rng import uniform
from hyosan.rules.movement.lanes import trail_dot


@njit(cache=True, inline="always")
def _dist(r0, c0, r1, c1):
    dr = r0 - r1
    dc = c0 - c1
    return np.sqrt(dr * dr + dc * dc)


@njit(cache=True, inline="always")
def _value(k, nb, nr, nc, fields, f, fbase, fr0, fc0, fh, fw, tr, tc):
    """Score of cell ``nb`` at (nr, nc), reached by move k, before the threat term."""
    if tr >= 0:
        return _dist(nr, nc, tr, tc)
    if fh == 0:
        return 0.0
    if k >= 8:
        return np.float64(fields[f, nb])
    fr = nr - fr0
    fc = nc - fc0
    if fr < 0 or fr >= fh or fc < 0 or fc >= fw:
        return np.inf
    return np.float64(fields[f, fbase + fr * fw + fc])


# Without Numba's reference counting (``_nrt=False``, its switch for kernels that allocate
# nothing and return no array; one that did would fail to compile). With it, every inlined
# helper call here (planar, passable, corner_clear) costs atomic increments and decrements the
# pruning pass cannot remove (numba/numba#2350): the desire kernels ran at half this speed.
@njit(cache=True, _nrt=False)
def best_move(i, who, cur, lv, r, c, fields, f, frame, toward, away, rule, occ, kind, door_of,
              door_state, exit_closed, up, down, lvl_off, lvl_h, lvl_w, key, tick, trail=None,
              drew=None):
    """(best free neighbour or -1, best blocked cell or -1) for agent ``i`` standing on
    ``cur`` = (``lv``, ``r``, ``c``), moving as ``who`` (``grid.HUMAN``/``ZOMBIE``): the
    scores and the tuples ``frame``, ``toward``, ``away`` and ``rule`` are in the module's
    text. Callers pass (-1.0, -1.0) for no target and no threat.

    The blocked cell is, for a zombie, a shut door to batter; for a person walking down a
    field (``trail`` given), the planar neighbour held by someone else that would gain most
    (its holder may let the person pass, ``passing.swap_places``). With ``trail``
    = (weight, vr, vc, t, time_s, memory_s, cell_size), a person's planar step onto the path
    the oncoming crowd just used scores up to ``weight`` cells' gain worse
    (``rules/movement/lanes.py``). With ``drew`` (a one-element array), a walk that draws a
    tie-break sets ``drew[0]``: with no move chosen, another draw might have chosen one."""
    fbase, fr0, fc0, fh, fw = frame
    tr, tc = toward
    thr, thc, flee_cells, rep_weight = away
    stairs, hunt, jitter, stream = rule
    if occ[cur] != i:
        return -1, -1
    here = _value(0, cur, r, c, fields, f, fbase, fr0, fc0, fh, fw, tr, tc)
    if thr >= 0:
        dz = _dist(r, c, thr, thc)
        if dz < flee_cells:
            here += rep_weight * (flee_cells - dz)
    best = -1
    best_score = here - 1e-6
    pass_score = here - 1e-6
    door = -1
    door_score = here - 1e-6 if hunt else here
    for k in range(10 if stairs else 8):
        if k < 8:
            nb = planar(cur, lv, r, c, k, lvl_off, lvl_h, lvl_w, False)
            nr = r + DR[k]
            nc = c + DC[k]
        else:
            nb = up[cur] if k == 8 else down[cur]
            nr = r
            nc = c
        if nb < 0:
            continue
        sc = _value(k, nb, nr, nc, fields, f, fbase, fr0, fc0, fh, fw, tr, tc)
        if thr >= 0 and k < 8:
            dz = _dist(nr, nc, thr, thc)
            if dz < flee_cells:
                sc += rep_weight * (flee_cells - dz)
            if fh == 0:
                sc -= dz
        if hunt:
            sc += jitter * uniform(key, tick, i, stream + k)
        if not passable(nb, who, kind, door_of, door_state, exit_closed):
            if who == ZOMBIE and kind[nb] == DOOR and sc < door_score:
                door_score = sc
                door = nb
            continue
        if occ[nb] >= 0 and k < 8:  # a flight is boarded, not its landing (below)
            if trail is not None and k < 8 and who != ZOMBIE and tr < 0 and sc < pass_score:
                if corner_clear(cur, lv, r, c, k, who, kind, door_of, door_state, exit_closed,
                                lvl_off, lvl_h, lvl_w):
                    pass_score = sc
                    door = nb
            continue
        if not hunt:
            if k < 8 and DIAG[k]:
                # rank moves by gain per metre walked: a diagonal step that gains no more than
                # a straight one costs √2 the budget, so walkers do not zig-zag
                sc = here - (here - sc) * 0.7071067811865476
            # the trail and the tie-break only add: a move already no better than the best
            # cannot win, and its draw (counter-based, so no other draw shifts) is not needed
            if sc >= best_score:
                continue
        if not corner_clear(cur, lv, r, c, k, who, kind, door_of, door_state, exit_closed,
                            lvl_off, lvl_h, lvl_w):
            continue
        if not hunt:
            if trail is not None and k < 8 and who != ZOMBIE and tr < 0 and trail[0] > 0.0:
                d = trail_dot(nb, DR[k], DC[k], trail[1], trail[2], trail[3], trail[4],
                              trail[5])
                if d < 0.0:  # only against the oncoming: a one-way stream is not swayed
                    sc -= trail[0] * trail[6] * np.tanh(d)
            sc += jitter * uniform(key, tick, i, stream + k)  # random tie-break
            if drew is not None:
                drew[0] = True
        if sc < best_score:
            best_score = sc
            best = nb
    if hunt:
        if door >= 0 and door_score < best_score:
            return -1, door
        return best, -1
    return best, door
