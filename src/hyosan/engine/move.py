"""Move phase: a floor-field cellular automaton with synchronous update.

Every agent picks its desired cell from the *current* generation (navigation field of its goal,
plus a repulsive term around a seen threat; greedy toward a target for chasers; random for
wanderers), conflicts over a cell are resolved at random (highest draw wins), then all winners
move at once. Speeds differ through a movement budget in metres: a step costs the cell size
(√2 times that diagonally, more on stairs, the stair length through a stairwell); an agent steps
when its budget reaches one cell and may go into debt for a costly step.

A cell narrower than the cell size (``World.clear``: a door leaf, a gap) costs
``cell_size / clear`` times as much to step into, and stepping out through a narrow exit costs
``cell_size² / clear``. A lane of clear width c then carries c / cell_size of a full lane's
flow, so a doorway's capacity grows linearly with its width (Seyfried et al. 2009) in steps
finer than the cell, whatever the cell size.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from hyosan.codes import (
    BATTERABLE,
    D_BROKEN,
    E_DOOR_BROKEN,
    E_ESCAPE,
    HUNTS_SOUND,
    IS_HUMAN,
    M_FIGHT,
    M_FLEE,
    M_HIDDEN,
    M_ROUTINE,
    M_WAIT,
    M_ZCHASE,
    M_ZWANDER,
    ON_MAP,
    S_ESC,
    S_ZOM,
    SPRINTS,
    STANDS_STILL,
)
from hyosan.engine.events import emit
from hyosan.engine.grid import (
    EXIT,
    FLOOR,
    GROUND,
    HUMAN,
    STAIRS,
    ZOMBIE,
    corner_clear,
    passable,
    planar,
    set_cell,
    walkable_kind,
)
from hyosan.engine.lanes import deposit
from hyosan.engine.localnav import desire_zombies_listed
from hyosan.engine.rng import randint, uniform
from hyosan.engine.score import best_move, chase
from hyosan.engine.ways import admit, land, way_of_step
from hyosan.rules.draws import Draws

NO_AGENTS = np.zeros(0, np.int64)  # desire_agents: every agent

# Slots of the move stream (``rules/draws.py``); the numbers are those of the golden runs.
ROUND_STRIDE = 4  # desire slots of sub-round rnd start at ROUND_STRIDE * rnd
WANDER_DIR = 0  # a wandering zombie's direction (or pause)
DESIRE_JITTER = 1  # + neighbour k (0-9): best_move's tie-break down the goal's field
RESOLVE_PRIO = 1000  # + rnd: priority in a conflict over a cell
SWAP_DRAW = 2000  # + rnd: does a pair of opposite walkers swap places

DRAWS = (
    Draws("move", "move", "wander_dir", WANDER_DIR, per_round=ROUND_STRIDE,
          alt=(("profile", ("full",)), ("walk", ("wander",)))),
    Draws("move", "move", "desire_jitter", DESIRE_JITTER, 10, per_round=ROUND_STRIDE,
          alt=(("profile", ("full",)), ("walk", ("desire",)))),
    Draws("move", "move", "resolve_prio", RESOLVE_PRIO, per_round=1, alt=(("profile", ("full",)),)),
    Draws("move", "move", "swap", SWAP_DRAW, per_round=1, alt=(("profile", ("full",)),)),
)


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
        for dr in range(-1, 2):
            rr = r + dr
            if rr < 0 or rr >= lvl_h[lv]:
                continue
            for dc in range(-1, 2):
                cc = c + dc
                if cc < 0 or cc >= lvl_w[lv]:
                    continue
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


@njit(cache=True)
def desire_full(n, cell, level, row, col, state, mode, goal, target, threat, budget, fields,
                occ, kind, door_of, door_state, exit_closed, up, down, lvl_off, lvl_h, lvl_w,
                cell_size, flee_cells, rep_weight, key, tick, rnd, want, batter, trail, swap):
    """Desired cell of every agent (-1: stay); ``batter[i]`` = door cell a zombie wants through;
    ``swap[i]`` = the occupied cell a person would take, when no free one gains
    (``swap_places``). ``trail`` is ``score.best_move``'s: the lanes of counterflow.

    Wanderers pick a random neighbour; chasers and fighters walk straight at their target
    (``score.chase``); everyone else walks down their goal's navigation field, pushed away from a
    seen zombie on their level (``score.best_move``). Zombies investigating a sound or heading
    for the stairs (``M_ZINV``, ``M_ZSTAIRS``) are left to ``localnav.desire_zombies``, which
    runs next. Agents not on the map (``occ[cell[i]] != i``: in transit on a stair flight)
    want nothing. Returns the number of zombies.
    """
    return desire_agents(n, NO_AGENTS, cell, level, row, col, state, mode, goal, target,
                         threat, budget, fields, occ, kind, door_of, door_state, exit_closed,
                         up, down, lvl_off, lvl_h, lvl_w, cell_size, flee_cells, rep_weight, key,
                         tick, rnd, want, batter, trail, swap, np.zeros(0, np.bool_))


@njit(cache=True)
def desire_agents(n, idx, cell, level, row, col, state, mode, goal, target, threat, budget,
                  fields, occ, kind, door_of, door_state, exit_closed, up, down, lvl_off, lvl_h,
                  lvl_w, cell_size, flee_cells, rep_weight, key, tick, rnd, want, batter, trail,
                  swap, unsure):
    """``desire_full`` for agents ``idx[:n]`` only, or for agents 0..n-1 if ``idx`` is empty.
    The others keep their ``want``, ``batter`` and ``swap``. Returns the number of zombies
    among them. ``unsure[i]`` (if ``unsure`` is not empty) is set when agent i wants no cell
    but the tie-break draw decided that: a draw of another sub-round might move them."""
    listed = len(idx) > 0
    flags = len(unsure) > 0
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
            k = randint(key, tick, i, ROUND_STRIDE * rnd + WANDER_DIR, 12)
            if k >= 10:
                continue  # pause
            if k < 8:
                nb = planar(cur, lv, r, c, k, lvl_off, lvl_h, lvl_w, False)
            else:
                nb = up[cur] if k == 8 else down[cur]
            if nb >= 0 and occ[nb] < 0 and passable(nb, who, kind, door_of, door_state,
                                                    exit_closed):
                if not corner_clear(cur, lv, r, c, k, who, kind, door_of, door_state,
                                    exit_closed, lvl_off, lvl_h, lvl_w):
                    continue
                want[i] = nb
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


@njit(cache=True)
def resolve_and_commit(m, rnd, charge, ag, gr, wy, sc, pm, ev, key, tick, time_s):
    """Random winner per wanted cell, then every winner moves at once. Returns moves made.

    Visits every agent, or with ``m`` ≥ 0 only ``active[:m]`` (in index order): after an
    incremental sub-round everyone who wants a cell is among them (``changed_agents``).

    A planar step into cell ``w`` costs ``cell_size / clear[w]`` (≥ 1) times the plain step: a
    lane of clear width c carries c / cell_size of a full lane's flow, so a doorway's capacity
    grows linearly with its width (Seyfried et al. 2009), whatever the cell size. Stairs are
    paid as before.

    Doorways and stair flights are gated ways (``engine/ways.py``): a step into one waits for
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


@njit(cache=True)
def swap_places(n, want, swap, cell, row, col, state, budget, occ, kind, lvl_off, lvl_w,
                level, cell_size, key, tick, rnd, p_swap, fields, goal):
    """Two people facing each other squeeze past, with probability ``p_swap`` per sub-round:
    one has no free cell that gains and wants the other's (``swap``), and the other, standing
    still this sub-round, would gain by taking the first one's cell (their own goal field falls
    that way). On floor and stair cells (a flight's ends), not in doorways or exits, both
    paying 1.5 steps (they turn their shoulders and squeeze by; Yamamoto et al. 2019). Without
    it two crowds crossing in a corridor lock solid, which people do not. The second need not
    have picked the first's cell itself: in a crowd heading diagonally for an exit the two
    rarely pick each other. Returns swaps made."""
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


@njit(cache=True)
def batter_doors(n, batter, door_of, door_state, door_hp, damage, stuck, ev_kind, ev_a, ev_b,
                 ev_cell, ev_n):
    """Zombies pressing on a shut door wear its hit points down; at zero it breaks.

    Battering is progress, not being stuck: it resets the zombie's stuck counter.
    """
    broke = 0
    for i in range(n):
        d = batter[i]
        if d < 0:
            continue
        stuck[i] = 0
        k = door_of[d]
        s = door_state[k]
        if not BATTERABLE[s]:
            continue  # open or broken already
        door_hp[k] -= damage
        if door_hp[k] <= 1e-6:
            door_state[k] = D_BROKEN
            door_hp[k] = 0.0
            broke += 1
            emit(E_DOOR_BROKEN, i, -1, d, ev_kind, ev_a, ev_b, ev_cell, ev_n)
    return broke


@njit(cache=True, inline="always")
def _mark_near(c, stamp, epoch, lvl_off, lvl_h, lvl_w):
    """Stamp cell ``c`` and its 8 planar neighbours (those on its level) with ``epoch``."""
    lv = np.searchsorted(lvl_off, c, side="right") - 1
    w = lvl_w[lv]
    loc = c - lvl_off[lv]
    r = loc // w
    cc = loc % w
    for rr in range(max(r - 1, 0), min(r + 2, lvl_h[lv])):
        for c2 in range(max(cc - 1, 0), min(cc + 2, w)):
            stamp[lvl_off[lv] + rr * w + c2] = epoch


@njit(cache=True)
def changed_agents(n, cell, state, mode, threat, budget, cell_size, occ, up, down, lvl_off,
                   lvl_h, lvl_w, want, swap, unsure, seen, held, stamp, epoch, active):
    """Agents whose desire a sub-round after the first must compute again; their indices go
    to ``active``, and the count is returned. The others' ``want`` and ``swap`` stand.

    A person walking down a field picks their step from their own cell and budget and from
    who holds the cells one step away (8 planar neighbours, the stair links): the fields,
    trail, doors and exits stand still within a tick's move. So, besides anyone who wanted a
    cell (they moved, or lost the claim or a gate, and choose again), the agents kept are
    those who want nothing and about whom nothing changed: no cell within one step of theirs
    changed holder since the last sub-round (``seen``/``held``: the cell each agent had and
    whether it held it; cells within one planar step of a changed one are stamped ``epoch``,
    and an agent is looked at again if its cell or a stair link's is stamped). Zombies,
    wanderers, chasers, fighters and people fleeing a seen zombie, whose choice moves with
    others or with the draw, always choose again, as do those whose standing still the
    tie-break draw decided (``unsure``: a move gaining under 1e-4 cells lost to it). A kept
    choice is therefore the one a new evaluation makes: the results are those of evaluating
    everyone.
    """
    for i in range(n):
        c = cell[i]
        h = occ[c] == i
        if c != seen[i]:
            _mark_near(seen[i], stamp, epoch, lvl_off, lvl_h, lvl_w)
            _mark_near(c, stamp, epoch, lvl_off, lvl_h, lvl_w)
            seen[i] = c
            held[i] = h
        elif h != held[i]:
            _mark_near(c, stamp, epoch, lvl_off, lvl_h, lvl_w)
            held[i] = h
    m = 0
    thr = 0.999 * cell_size
    for i in range(n):
        s = state[i]
        md = mode[i]
        cur = cell[i]
        could = ON_MAP[s] and budget[i] >= thr \
            and not (md == M_ROUTINE or md == M_HIDDEN or md == M_WAIT) and occ[cur] == i
        if not could:  # wants nothing now: only stale wishes need clearing
            hit = want[i] >= 0 or swap[i] >= 0
        else:
            hit = want[i] >= 0 or unsure[i] or s == S_ZOM or md == M_ZWANDER or \
                md == M_ZCHASE or md == M_FIGHT or threat[i] >= 0 or stamp[cur] == epoch or \
                (up[cur] >= 0 and stamp[up[cur]] == epoch) or \
                (down[cur] >= 0 and stamp[down[cur]] == epoch)
        if hit:
            active[m] = i
            m += 1
    return m


@njit(cache=True)
def move_rounds(ag, gr, wy, sc, pm, ev, key, tick, time_s):
    """The sub-rounds of the full profile's move, after ``add_budget``: each lands climbers,
    lets people out of exits, takes every agent's desire (``desire_full``, then
    ``localnav.desire_zombies``; zombies batter doors in the first), resolves and commits the
    moves and passes, until one moves nobody or ``rounds`` are done; then walkers leave their
    trail (``lanes.deposit``) when ``lanes`` > 0. Returns the doors broken.

    With ``incremental``, sub-rounds after the first take again only the desires that can
    have changed (``changed_agents``; ``epoch[0]`` numbers the sub-rounds for its stamps), all
    of them after a door broke. With no zombies (``desire_full`` counts them, and clears
    every ``batter``), their desires and battering are skipped. One kernel call, so
    the per-sub-round cost of calling kernels from Python (≈ 3 µs each) is paid once a tick.

    State comes as named structs (``engine/state.py``): ``ag`` agents, ``gr`` grid, ``wy``
    ways, ``sc`` scratch, ``pm`` parameters, ``ev`` events.
    """
    n = ag.n
    cell, level, row, col, state, mode = ag.cell, ag.level, ag.row, ag.col, ag.state, ag.mode
    goal, target, threat, budget = ag.goal, ag.target, ag.threat, ag.budget
    flight, stuck, zfield, prev_cell = ag.flight, ag.stuck, ag.zfield, ag.prev_cell
    occ, kind, fields = gr.occ, gr.kind, gr.fields
    door_of, door_state, door_hp, exit_closed = gr.door_of, gr.door_state, gr.door_hp, \
        gr.exit_closed
    up, down, lvl_off, lvl_h, lvl_w = gr.up, gr.down, gr.lvl_off, gr.lvl_h, gr.lvl_w
    cell_size, stair_len = gr.cell_size, gr.stair_len
    want, batter, swap, unsure = sc.want, sc.batter, sc.swap, sc.unsure
    seen, held, stamp, epoch, active = sc.seen, sc.held, sc.stamp, sc.epoch, sc.active
    zfields, zorigin, hunters = sc.zfields, sc.zorigin, sc.hunters
    vr, vc, vt = sc.vr, sc.vc, sc.vt
    inside, partner, up_way, down_way = wy.inside, wy.partner, wy.up_way, wy.down_way
    rounds, incremental, flee_cells, damage = pm.rounds, pm.incremental, pm.flee_cells, \
        pm.damage
    p_swap, lanes, memory_s = pm.p_swap, pm.lanes, pm.memory_s
    up_factor, down_factor = pm.up_factor, pm.down_factor
    ev_kind, ev_a, ev_b, ev_cell, ev_n = ev.kind, ev.a, ev.b, ev.cell, ev.n
    trail = (lanes, vr, vc, vt, time_s, memory_s, cell_size)
    broke = 0
    zombies = 0  # set by the first sub-round's desire_full
    n_hunt = 0  # zombies hunting by sound (listed in ``hunters``), counted in the first
    for rnd in range(rounds):
        landed = 0
        for g in range(wy.n_doorways, len(inside)):
            if inside[g] > 0:
                landed = land(n, flight, cell, level, row, col, budget, occ, inside, partner,
                              want, up, down, up_way, down_way, lvl_off, lvl_w, stair_len,
                              up_factor, down_factor, cell_size)
                break
        left = leave_exits(gr.exit_cells, state, budget, occ, gr.clear, cell_size, time_s,
                           ag.ended_at, ev_kind, ev_a, ev_b, ev_cell, ev_n)
        m = -1  # every agent; or the count of ``active``, who alone can want a cell
        if incremental and rnd > 0 and not (rnd == 1 and broke > 0):
            epoch[0] += 1
            m = changed_agents(n, cell, state, mode, threat, budget, cell_size, occ, up, down,
                               lvl_off, lvl_h, lvl_w, want, swap, unsure, seen, held, stamp,
                               epoch[0], active)
            desire_agents(m, active, cell, level, row, col, state, mode, goal, target, threat,
                          budget, fields, occ, kind, door_of, door_state, exit_closed, up,
                          down, lvl_off, lvl_h, lvl_w, cell_size, flee_cells, 2.0, key, tick,
                          rnd, want, batter, trail, swap, unsure)
        else:  # desire_full, noting who is unsure
            zombies = desire_agents(n, NO_AGENTS, cell, level, row, col, state, mode, goal,
                                    target, threat, budget, fields, occ, kind, door_of,
                                    door_state, exit_closed, up, down, lvl_off, lvl_h, lvl_w,
                                    cell_size, flee_cells, 2.0, key, tick, rnd, want, batter,
                                    trail, swap, unsure)
            if incremental:
                for i in range(n):
                    seen[i] = cell[i]
                    held[i] = occ[cell[i]] == i
            if rnd == 0 and zombies:  # states and modes stand still through the move phase
                n_hunt = 0
                for i in range(n):
                    if state[i] == S_ZOM and HUNTS_SOUND[mode[i]]:
                        hunters[n_hunt] = i
                        n_hunt += 1
        if zombies and n_hunt:
            # the zombies following a sound or heading for the stairs: those among them who
            # can step this sub-round are on ``active`` already (changed_agents lists every
            # zombie on the map with a full budget), the others want nothing
            desire_zombies_listed(n_hunt, hunters, state, mode, zfield, zfields, zorigin, cell,
                                  level, row, col, budget, occ, kind, door_of, door_state,
                                  exit_closed, lvl_off, lvl_h, lvl_w, cell_size, key, tick, rnd,
                                  want, batter, goal, fields, up, down, target)
        if m < 0:  # a full sub-round: resolve the agents that want a cell, in index order
            m = 0
            for i in range(n):
                if want[i] >= 0:
                    active[m] = i
                    m += 1
        if rnd == 0 and zombies:
            broke = batter_doors(n, batter, door_of, door_state, door_hp, damage, stuck,
                                 ev_kind, ev_a, ev_b, ev_cell, ev_n)
        moved = resolve_and_commit(m, rnd, True, ag, gr, wy, sc, pm, ev, key, tick, time_s)
        if p_swap > 0:
            moved += swap_places(n, want, swap, cell, row, col, state, budget, occ, kind,
                                 lvl_off, lvl_w, level, cell_size, key, tick, rnd, p_swap, fields,
                                 goal)
        if moved == 0 and left == 0 and landed == 0:
            break
    if lanes > 0:
        deposit(n, prev_cell, cell, level, row, col, state, lvl_off, lvl_w, vr, vc, vt, time_s,
                memory_s)
    return broke
