"""Speed and budget: Weidmann's v(ρ) at the density ahead, and the metres each agent has to
spend this tick (``add_budget``). A step costs the cell size (more diagonally, on stairs, through
a narrow cell); an agent steps when its budget reaches one cell."""

from __future__ import annotations

import numpy as np
from numba import njit

from hyosan.codes import IS_HUMAN, M_FIGHT, M_FLEE, S_ZOM, SPRINTS, STANDS_STILL
from hyosan.engine.grid import EXIT, walkable_kind, window


@njit(cache=True, inline="always")
def weidmann(rho):
    """Weidmann's speed ratio v(ρ)/v0 = 1 − exp(−1.913 (1/ρ − 1/5.4)), floored at 0.02."""
    if rho <= 0.0:
        return 1.0
    f = 1.0 - np.exp(-1.913 * (1.0 / rho - 1.0 / 5.4))
    return f if f > 0.02 else 0.02


@njit(cache=True, inline="always")
def local_density(cur, lv, r, c, occ, kind, lvl_off, lvl_h, lvl_w, cell_area, fields, g,
                  goal, oncoming, first=False):
    """People per m² ahead: on the walkable cells of the 8 round ``cur`` that lie closer to
    the goal (navigation field ``g``; all 8 when ``g`` < 0 or none is closer). The agent itself
    is left out, so a lone walker sees 0; walls do not dilute the crowd. Looking ahead is what
    Weidmann's relation measures (the headway), and it lets people leaving a door speed up
    into the free space beyond it while the crowd behind them waits.

    Someone ahead who is walking the other way (their own goal field ``goal[j]`` falls toward
    ``cur``) counts ``oncoming`` of a person: Weidmann's relation is for people following one
    another, and an oncoming walker is not a headway to keep but someone to pass
    (``swap_places``, with its own cost).

    With ``first`` it returns 1.0 at the first person it finds (whoever they are): whether
    anyone is ahead, without counting them all."""
    if kind[cur] == EXIT:
        return 0.0  # stepping out of the building: the queue behind does not slow them
    through = False
    for ahead in (True, False):
        if ahead and g < 0:
            continue
        people = 0.0
        area = 0
        r0, r1, c0, c1 = window(r, c, 1, lvl_h[lv], lvl_w[lv])
        for rr in range(r0, r1):
            for cc in range(c0, c1):
                nb = lvl_off[lv] + rr * lvl_w[lv] + cc
                if nb == cur or not walkable_kind(kind[nb]):
                    continue
                if ahead and not fields[g, nb] < fields[g, cur] - 1e-6:
                    continue
                if ahead and kind[nb] == EXIT:
                    through = True  # people stepping out are not a crowd to walk into
                    continue
                area += 1
                j = occ[nb]
                if j >= 0 and first:
                    return 1.0
                if j >= 0:
                    gj = goal[j]
                    if ahead and gj >= 0 and fields[gj, cur] < fields[gj, nb] - 1e-6:
                        people += oncoming
                    else:
                        people += 1.0
        if area > 0:
            return people / (area * cell_area)
        if through:
            return 0.0
    return 0.0


@njit(cache=True)
def add_budget(ag, gr, pm):
    """Give every moving agent this tick's metres; runners spend stamina.

    With ``pm.crowding`` the speed is scaled by Weidmann's v(ρ)/v0 at the local density ρ, and
    running fades out linearly to walking at ``pm.run_fade`` P/m² (nobody sprints in a crowd).
    An oncoming walker ahead counts ``pm.oncoming`` of a person (``local_density``).
    """
    n, state, mode, speed, run_speed = ag.n, ag.state, ag.mode, ag.speed, ag.run_speed
    budget, stamina, cell, level, row, col = ag.budget, ag.stamina, ag.cell, ag.level, ag.row, \
        ag.col
    goal = ag.goal
    occ, kind, lvl_off, lvl_h, lvl_w, fields = gr.occ, gr.kind, gr.lvl_off, gr.lvl_h, gr.lvl_w, \
        gr.fields
    cell_size = gr.cell_size
    dt, zombie_walk, crowding, run_fade, oncoming = pm.dt, pm.zombie_walk, pm.crowding, \
        pm.run_fade, pm.oncoming
    cap = 2.0 * cell_size
    area = cell_size * cell_size
    for i in range(n):
        s = state[i]
        if s == S_ZOM:
            v = run_speed[i] if SPRINTS[mode[i]] else zombie_walk
            walk = zombie_walk
        elif IS_HUMAN[s]:
            m = mode[i]
            if STANDS_STILL[m]:
                budget[i] = 0.0
                continue
            walk = speed[i]
            if m == M_FLEE and stamina[i] > 0.0:
                v = run_speed[i]
                stamina[i] -= dt
            else:
                v = speed[i]
                if stamina[i] < 60.0:
                    stamina[i] += 0.25 * dt  # slow recovery while walking
        else:
            continue
        if budget[i] >= cap:
            continue  # full (waiting in a queue, most often): no speed adds to it
        if crowding:
            g = goal[i] if (s != S_ZOM and mode[i] != M_FIGHT) else -1
            rho = local_density(cell[i], level[i], row[i], col[i], occ, kind, lvl_off, lvl_h,
                                lvl_w, area, fields, g, goal, oncoming)
            if v > walk:
                fade = 1.0 - rho / run_fade
                v = walk + (v - walk) * (fade if fade > 0.0 else 0.0)
            v *= weidmann(rho)
        b = budget[i] + v * dt
        budget[i] = b if b < cap else cap
