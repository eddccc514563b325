"""Decide phase: each agent's behaviour mode and navigation goal from what it perceived.

Humans: routine → (alerted) their plan (hide, evacuate, rooftop, stay); flee from a seen zombie
toward the plan's target; hide in the nearest room with a door (then shut it); fight when their
role engages (police, soldiers); wait on the rooftop for rescue. A human blocked for a while
switches plan. Zombies' modes (chase, investigate, wander) are set by perception; here they
give up a search (``zombies.give_up``).
"""

from __future__ import annotations

from numba import njit

from hyosan.codes import (
    A_NONE,
    IS_HUMAN,
    M_COMMUTE,
    M_EVAC,
    M_FIGHT,
    M_FLEE,
    M_HIDDEN,
    M_HIDE,
    M_RESPOND,
    M_ROOF,
    M_ROUTINE,
    M_WAIT,
    S_ZOM,
    Fights,
)
from hyosan.engine.fields import F_HIDE, F_SCHOOL
from hyosan.rules import zombies

FIGHTS_ALWAYS = int(Fights.ALWAYS)


@njit(cache=True, inline="always")
def goal_of(plan_mode, roof_field, exit_field):
    if plan_mode == M_EVAC:
        return exit_field
    if plan_mode == M_ROOF:
        return roof_field
    if plan_mode == M_RESPOND:
        return F_SCHOOL
    return F_HIDE


@njit(cache=True)
def decide(ag, gr, sc, pm, wait_place, roof_field):
    """Update modes and goals. Fills ``sc.newly_hidden`` with agents who just shut themselves
    in; returns their count, or ``-1 - k`` if it met field ``k`` not computed yet (NaN: a bug,
    see ``fields_needed``). An alerted agent in routine takes up its plan once its
    pre-evacuation time ``ag.premove`` (seconds, counted down by ``pm.dt``) has run out; a seen
    zombie cuts it short. ``wait_place`` and ``roof_field`` change when a response names a
    place to gather at (``Simulation.set_gather``), so they are not in ``pm``."""
    n, state, mode, plan, goal, threat = ag.n, ag.state, ag.mode, ag.plan, ag.goal, ag.threat
    target, alerted, stuck, fights, cell = ag.target, ag.alerted, ag.stuck, ag.fights, ag.cell
    level, row, col, exit_field, premove = ag.level, ag.row, ag.col, ag.exit_field, ag.premove
    place_of, hideable, fields, lvl_off = gr.place_of, gr.hideable, gr.fields, gr.lvl_off
    newly_hidden = sc.newly_hidden
    flee_cells, stuck_limit, dt = pm.flee_cells, pm.stuck_limit, pm.dt
    nh = 0
    for i in range(n):
        s = state[i]
        m = mode[i]
        if s == S_ZOM:
            zombies.give_up(i, mode, target, goal, stuck, cell, level, lvl_off, stuck_limit)
            continue
        if not IS_HUMAN[s]:
            continue
        z = threat[i]
        if m == M_COMMUTE:  # on the way to the next place of the day (rules.schedule)
            if z < 0 and alerted[i] == A_NONE:
                continue
            m = M_ROUTINE  # alarmed on the way: as if in routine from here
            mode[i] = m
        if m == M_ROUTINE and z < 0 and alerted[i] == A_NONE:
            continue  # the quiet majority: nothing to decide (and no cache miss on the map)
        p = plan[i]
        here = cell[i]
        place = place_of[here]
        if z >= 0 and fights[i] == FIGHTS_ALWAYS:
            mode[i] = M_FIGHT
            target[i] = cell[z]
            goal[i] = -1
            continue
        if m == M_FIGHT:  # lost sight of the zombie
            m = p  # back to the plan (a responder's plan is to respond)
            mode[i] = m
        if z >= 0:
            near = (row[z] - row[i]) ** 2 + (col[z] - col[i]) ** 2 <= flee_cells * flee_cells
            same_room = place >= 0 and place_of[cell[z]] == place
            if near and (m != M_HIDDEN or same_room):
                if m == M_HIDDEN or m == M_WAIT:
                    p = M_EVAC if p != M_ROOF else M_ROOF
                    plan[i] = p
                mode[i] = M_FLEE
                g = goal_of(p, roof_field, exit_field[i])
                d = fields[g, here]
                if d != d:
                    return -1 - g
                goal[i] = g if d < 1e30 else -1
                continue
        if m == M_FLEE and z < 0:
            m = p if p != M_ROUTINE else M_HIDE
            mode[i] = m
            stuck[i] = 0
        elif m == M_ROUTINE and alerted[i] > A_NONE and p != M_ROUTINE and premove[i] > 0:
            premove[i] -= dt  # pre-evacuation: still finishing what they were doing
        elif m == M_ROUTINE and alerted[i] > A_NONE and p != M_ROUTINE:
            m = p
            mode[i] = m
            stuck[i] = 0
        if m == M_HIDE:
            if place >= 0 and hideable[place] and stuck[i] >= 0:
                mode[i] = M_HIDDEN
                goal[i] = -1
                newly_hidden[nh] = i
                nh += 1
                continue
            if fields[F_HIDE, here] > 1e30 or stuck[i] > stuck_limit:
                mode[i] = M_EVAC
                plan[i] = M_EVAC
                stuck[i] = 0
                m = M_EVAC
        if m == M_EVAC and (fields[exit_field[i], here] > 1e30 or stuck[i] > 4 * stuck_limit):
            d = fields[roof_field, here]
            if d != d:
                return -1 - roof_field
            if d < 1e30:
                m = M_ROOF
            else:
                m = M_HIDE
            mode[i] = m
            plan[i] = m
            stuck[i] = -stuck_limit  # give the new plan time before judging it stuck
        if m == M_ROOF:
            if place >= 0 and place == wait_place:
                mode[i] = M_WAIT
                goal[i] = -1
                continue
        if m == M_RESPOND and z < 0:
            d = fields[F_SCHOOL, here]
            if d != d:
                return -1 - F_SCHOOL
            if d < 1.0:
                mode[i] = M_ROUTINE
        m = mode[i]
        if m == M_HIDE or m == M_EVAC or m == M_ROOF or m == M_RESPOND:
            goal[i] = goal_of(m, roof_field, exit_field[i])
        elif m != M_FLEE:
            goal[i] = -1
    return nh


@njit(cache=True)
def fields_needed(ag, gr, pm):
    """May ``decide`` read the rooftop field (first) or the school field (second) this tick?

    A cautious reading of its rules, so those fields can wait until a run needs them: people
    who are quiet read no field; the rooftop is read by those headed there and by evacuees whose
    exit is out of reach or who are stuck (they turn to the rooftop); the school by police.
    Reads the agents' ``state``, ``mode``, ``plan``, ``threat``, ``alerted``, ``stuck``,
    ``cell`` and ``exit_field``, the grid's ``fields`` and ``pm.stuck_limit``.
    """
    n, state, mode, plan, threat = ag.n, ag.state, ag.mode, ag.plan, ag.threat
    alerted, stuck, cell, exit_field = ag.alerted, ag.stuck, ag.cell, ag.exit_field
    fields, stuck_limit = gr.fields, pm.stuck_limit
    roof = False
    school = False
    for i in range(n):
        s = state[i]
        if not IS_HUMAN[s]:
            continue
        m = mode[i]
        if m == M_ROUTINE and threat[i] < 0 and alerted[i] == A_NONE:
            continue
        p = plan[i]
        if p == M_RESPOND or m == M_RESPOND:
            school = True
        if p == M_ROOF or m == M_ROOF or stuck[i] > 4 * stuck_limit or \
                fields[exit_field[i], cell[i]] > 1e30:
            roof = True
    return roof, school
