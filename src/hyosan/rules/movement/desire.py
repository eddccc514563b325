"""Desire: the cell each agent wants this sub-round, from the current generation."""

from __future__ import annotations

import numpy as np
from numba import njit

from hyosan.codes import HUNTS_SOUND, IS_HUMAN, M_FIGHT, M_ZCHASE, M_ZWANDER, S_ZOM, STANDS_STILL
from hyosan.engine.grid import HUMAN, ZOMBIE
from hyosan.engine.score import best_move
from hyosan.rules.draws import Draws
from hyosan.rules.zombies import chase, wander

NO_AGENTS = np.zeros(0, np.int64)  # desire_agents: every agent
#: weight of the push away from a seen zombie in ``best_move``'s score
REP_WEIGHT = 2.0

# Slots of the move stream (``rules/draws.py``); the numbers are those of the golden runs.
ROUND_STRIDE = 4  # desire slots of sub-round rnd start at ROUND_STRIDE * rnd
DESIRE_JITTER = 1  # + neighbour k (0-9): best_move's tie-break down the goal's field

DRAWS = (
    Draws("move", "move", "desire_jitter", DESIRE_JITTER, 10, per_round=ROUND_STRIDE,
          alt=(("profile", ("full",)), ("walk", ("desire",)))),
)


@njit(cache=True)
def desire_full(ag, gr, sc, pm, key, tick, rnd, trail):
    """Desired cell of every agent (-1: stay); ``batter[i]`` = door cell a zombie wants through;
    ``swap[i]`` = the occupied cell a person would take, when no free one gains
    (``swap_places``). ``trail`` is ``score.best_move``'s: the lanes of counterflow.

    Wanderers pick a random neighbour (``zombies.wander``); chasers and fighters walk straight
    at their target (``zombies.chase``); everyone else walks down their goal's navigation field,
    pushed away from a seen zombie on their level (``score.best_move``). Zombies investigating a
    sound or heading for the stairs (``M_ZINV``, ``M_ZSTAIRS``) are left to
    ``zombies.desire_zombies_listed``, which runs next. Agents not on the map
    (``occ[cell[i]] != i``: in transit on a stair flight) want nothing.
    Returns the number of zombies.

    Named state (``engine/state.py``): ``ag`` agents, ``gr`` grid (the goals' ``fields``),
    ``sc`` scratch (``want``, ``batter``, ``swap`` written), ``pm`` parameters (``flee_cells``).
    """
    return desire_agents(ag.n, NO_AGENTS, ag, gr, sc, pm, key, tick, rnd, trail, False)


@njit(cache=True)
def desire_agents(n, idx, ag, gr, sc, pm, key, tick, rnd, trail, flags):
    """``desire_full`` for agents ``idx[:n]`` only, or for agents 0..n-1 if ``idx`` is empty.
    The others keep their ``want``, ``batter`` and ``swap``. Returns the number of zombies
    among them. With ``flags``, ``sc.unsure[i]`` is set when agent i wants no cell but the
    tie-break draw decided that: a draw of another sub-round might move them."""
    cell, level, row, col, state, mode = ag.cell, ag.level, ag.row, ag.col, ag.state, ag.mode
    goal, target, threat, budget = ag.goal, ag.target, ag.threat, ag.budget
    fields, occ, kind, door_of, door_state = gr.fields, gr.occ, gr.kind, gr.door_of, \
        gr.door_state
    exit_closed, up, down, cell_size = gr.exit_closed, gr.up, gr.down, gr.cell_size
    lvl_off, lvl_h, lvl_w = gr.lvl_off, gr.lvl_h, gr.lvl_w
    want, batter, swap, unsure = sc.want, sc.batter, sc.swap, sc.unsure
    flee_cells, rep_weight = pm.flee_cells, REP_WEIGHT
    listed = len(idx) > 0
    drew = np.zeros(1, np.bool_)
    zombies = 0
    for j in range(n):
        i = idx[j] if listed else j
        want[i] = -1
        batter[i] = -1
        swap[i] = -1
        if flags:
            unsure[i] = False
        s = state[i]
        if s == S_ZOM:
            zombies += 1
        elif not IS_HUMAN[s]:
            continue
        # the cheap tests first: most people stand still (no budget), and ``occ[cell[i]]`` is
        # a load from the whole grid
        if budget[i] < 0.999 * cell_size:
            continue
        m = mode[i]
        if STANDS_STILL[m]:
            continue
        cur = cell[i]
        if occ[cur] != i:
            continue
        if s == S_ZOM and HUNTS_SOUND[m]:
            continue  # desire_zombies' work
        lv = level[i]
        r = row[i]
        c = col[i]
        who = ZOMBIE if s == S_ZOM else HUMAN
        if m == M_ZWANDER:
            want[i] = wander(i, who, cur, lv, r, c, occ, kind, door_of, door_state, exit_closed,
                             up, down, lvl_off, lvl_h, lvl_w, key, tick, rnd)
            continue
        if m == M_ZCHASE or m == M_FIGHT:
            chase(i, who, target[i], fields, cur, lv, r, c, occ, kind, door_of, door_state,
                  exit_closed, up, down, lvl_off, lvl_h, lvl_w, key, tick, rnd, want, batter)
            continue
        # down the goal's field (none: 0 everywhere), away from a seen threat on this level
        g = goal[i]
        thr = -1.0
        thc = -1.0
        if who == HUMAN and threat[i] >= 0:
            z = threat[i]
            if level[z] == lv:
                thr = np.float64(row[z])
                thc = np.float64(col[z])
        if g < 0 and thr < 0.0:
            continue
        fh = lvl_h[lv] if g >= 0 else 0  # the whole level is the field's frame
        drew[0] = False
        slot = ROUND_STRIDE * rnd + DESIRE_JITTER
        best, blocked = best_move(i, who, cur, lv, r, c, fields, g,
                                  (lvl_off[lv], 0, 0, fh, lvl_w[lv]), (-1.0, -1.0),
                                  (thr, thc, flee_cells, rep_weight),
                                  (True, False, 1e-4, slot), occ, kind, door_of,
                                  door_state, exit_closed, up, down, lvl_off, lvl_h, lvl_w, key,
                                  tick, trail, drew)
        if best >= 0:
            want[i] = best
            continue
        if flags and drew[0]:
            unsure[i] = True
        if who == HUMAN and blocked >= 0:
            swap[i] = blocked
    return zombies
