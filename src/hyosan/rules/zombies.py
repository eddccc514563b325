"""How zombies choose what to do and where to walk: their mode from what they sense, and their
step in each mode (wandering, chasing, following a sound, finding the stairs).

The mode: ``look`` (called by the perceive phase, ``perceive.perceive_arrays``, on a zombie's
looking ticks) chases a seen human, follows a noise, goes to where its prey was last seen, or
listens every fifth look and follows what it hears, up or down the stairs if on another floor;
``give_up`` (called by ``decide.decide``) ends a search at its target or when stuck, and
counts down the spell during which a frustrated zombie ignores what it senses.
Given the mode, its step is chosen here, and every draw this takes is in this file's ``DRAWS``
table:

* **wander** (``M_ZWANDER``): a random neighbour (8 planar, up, down) or a pause (``wander``);
* **chase** (``M_ZCHASE``, and people fighting): straight at the target cell, battering a shut
  door ahead or sliding aside when blocked (``chase``);
* **investigate** a sound (``M_ZINV``): down the cached local window round its target
  (``engine/localnav.py`` keeps the windows), or straight at it off the window;
* **to the stairs** (``M_ZSTAIRS``): down the global stairs field toward a sound's floor, and up
  or down the flight when standing on it (``_to_stairs``).

``movement/desire.desire_agents`` calls ``wander`` and ``chase`` for the modes it handles and
leaves investigators and stair seekers to ``desire_zombies_listed`` (``movement/rounds.py``
calls it next). All scored steps go through ``engine/score.best_move``, which people use too.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from hyosan.codes import HUNTS_SOUND, M_ZCHASE, M_ZINV, M_ZSTAIRS, M_ZWANDER, S_ZOM
from hyosan.engine.buckets import nearest_audible, nearest_visible
from hyosan.engine.fields import F_UP
from hyosan.engine.grid import DIAG, ZOMBIE, corner_clear, passable, planar
from hyosan.engine.rng import randint, uniform
from hyosan.engine.score import best_move
from hyosan.rules.draws import Draws

NO_AGENTS = np.zeros(0, np.int64)  # desire_zombies_listed: every agent

# Slots of the move stream (``rules/draws.py``); the numbers are those of the golden runs.
# Wandering and chasing (chasers, fighters, and investigators off their local window):
ZOMBIE_STRIDE = 4  # their slots of sub-round rnd start at ZOMBIE_STRIDE * rnd
WANDER_DIR = 0  # a wandering zombie's direction (or pause)
CHASE_JITTER = 1  # + neighbour k (0-7): best_move's jitter toward the target
CHASE_SLIDE = 2  # a blocked zombie slides aside half the time
CHASE_SLIDE_DIR = 3  # to which neighbour
# Following a sound's window or the stairs field:
LOCAL_STRIDE = 8  # their slots of sub-round rnd start LOCAL_STRIDE * rnd further on
WINDOW_JITTER = 50  # + neighbour k (0-7): down an investigator's local window
STAIRS_JITTER = 90  # + neighbour k (0-7): toward the stairs to a sound's floor

_FULL = ("profile", ("full",))
DRAWS = (
    Draws("move", "zombies", "wander_dir", WANDER_DIR, per_round=ZOMBIE_STRIDE,
          alt=(_FULL, ("walk", ("wander",)))),
    Draws("move", "zombies", "chase_jitter", CHASE_JITTER, 8, per_round=ZOMBIE_STRIDE,
          alt=(_FULL, ("walk", ("chase", "hunt")))),
    Draws("move", "zombies", "chase_slide", CHASE_SLIDE, per_round=ZOMBIE_STRIDE,
          alt=(_FULL, ("walk", ("chase", "hunt")))),
    Draws("move", "zombies", "chase_slide_dir", CHASE_SLIDE_DIR, per_round=ZOMBIE_STRIDE,
          alt=(_FULL, ("walk", ("chase", "hunt")))),
    Draws("move", "zombies", "window_jitter", WINDOW_JITTER, 8, per_round=LOCAL_STRIDE,
          alt=(_FULL, ("walk", ("hunt",)))),
    Draws("move", "zombies", "stairs_jitter", STAIRS_JITTER, 8, per_round=LOCAL_STRIDE,
          alt=(_FULL, ("walk", ("stairs",)))),
)


@njit(cache=True, inline="always")
def look(i, tick, sight_cells, hear_cells, noise_z, noise_cell, level, row, col, cell, mode,
         target, goal, h_start, h_items, h_next, b_off, b_w, b_h, opaque, lvl_off, lvl_w,
         lvl_floor, lvl_bld, lvl_or, lvl_oc, f_up, f_down):
    """Zombie ``i``'s mode and target from what it senses this tick (a looking tick of one not
    frustrated): the nearest human in sight (the humans are bucketed in ``h_start``,
    ``h_items``, ``h_next``: ``buckets.build_buckets``) is chased; else the loudest noise
    covering its bucket (``noise_z``) is investigated; else a chase turns into a search of
    where the prey was last seen; else a zombie not already hunting a sound listens on every
    fifth look (staggered by id) and investigates the nearest person heard, or, heard on
    another floor, heads for the stairs toward it (``f_up`` / ``f_down``: the stairs fields,
    -1 for a world with one level).

    It writes only zombie ``i``'s ``mode``, ``target`` and ``goal``, so the perceive phase runs
    it inside its parallel loop.
    """
    lv = level[i]
    r = row[i]
    c = col[i]
    b = b_off[lv] + (r // 16) * b_w[lv] + c // 16
    h = nearest_visible(i, lv, r, c, sight_cells, h_start, h_items, h_next, level, row, col,
                        b_off, b_w, b_h, opaque, lvl_off, lvl_w)
    if h >= 0:
        target[i] = cell[h]
        mode[i] = M_ZCHASE
    elif noise_z[b] >= 0:
        target[i] = noise_cell[noise_z[b]]
        mode[i] = M_ZINV
    elif mode[i] == M_ZCHASE:
        mode[i] = M_ZINV  # go to where the prey was last seen
    elif not HUNTS_SOUND[mode[i]] and (i // 2) % 5 == (tick // 2) % 5:
        h = nearest_audible(lv, r, c, hear_cells, h_start, h_items, h_next, level, row, col,
                            mode, b_off, b_w, b_h, lvl_floor, lvl_bld, lvl_or, lvl_oc)
        if h >= 0:
            target[i] = cell[h]
            if level[h] == lv:
                mode[i] = M_ZINV
            elif f_up >= 0:
                mode[i] = M_ZSTAIRS  # find the stairs toward the sound
                goal[i] = f_up if lvl_floor[level[h]] > lvl_floor[lv] else f_down


@njit(cache=True, inline="always")
def give_up(i, mode, target, goal, stuck, cell, level, lvl_off, stuck_limit):
    """Zombie ``i`` (decide phase) ends a search: a stair seeker on its sound's floor searches
    it there, and one with no target or stuck for ``4 * stuck_limit`` ticks wanders; an
    investigator or chaser at its target, with none, or stuck past ``stuck_limit`` wanders,
    frustrated (ignoring what it senses, ``stuck`` < 0 counting up to 0) unless it reached
    the target. A wanderer's frustration counts down here."""
    m = mode[i]
    if m == M_ZSTAIRS:
        t = target[i]
        if t >= 0 and level[i] == np.searchsorted(lvl_off, t, side="right") - 1:
            mode[i] = M_ZINV  # on the sound's floor now: search it there
            goal[i] = -1
            stuck[i] = 0
        elif t < 0 or stuck[i] > 4 * stuck_limit:
            mode[i] = M_ZWANDER
            target[i] = -1
            goal[i] = -1
            stuck[i] = -4 * stuck_limit
        return
    if m == M_ZINV or m == M_ZCHASE:
        t = target[i]
        if t < 0 or t == cell[i] or stuck[i] > stuck_limit:
            mode[i] = M_ZWANDER
            target[i] = -1
            # frustrated: ignore what it senses for a while (perceive skips it)
            stuck[i] = -4 * stuck_limit if t != cell[i] else 0
    elif stuck[i] < 0:
        stuck[i] += 1


@njit(cache=True, inline="always")
def wander(i, who, cur, lv, r, c, occ, kind, door_of, door_state, exit_closed, up, down,
           lvl_off, lvl_h, lvl_w, key, tick, rnd):
    """The cell a wandering agent ``i`` at ``cur`` = (``lv``, ``r``, ``c``) steps to, or -1.

    One draw of twelve: a planar neighbour (0-7), up or down a stair link (8, 9), or a pause
    (10, 11); a neighbour that is held, impassable or round a wall corner means standing still
    this sub-round."""
    k = randint(key, tick, i, ZOMBIE_STRIDE * rnd + WANDER_DIR, 12)
    if k >= 10:
        return -1  # pause
    if k < 8:
        nb = planar(cur, lv, r, c, k, lvl_off, lvl_h, lvl_w, False)
    else:
        nb = up[cur] if k == 8 else down[cur]
    if nb >= 0 and occ[nb] < 0 and passable(nb, who, kind, door_of, door_state, exit_closed):
        if corner_clear(cur, lv, r, c, k, who, kind, door_of, door_state, exit_closed, lvl_off,
                        lvl_h, lvl_w):
            return nb
    return -1


@njit(cache=True)
def chase(i, who, t, fields, cur, lv, r, c, occ, kind, door_of, door_state, exit_closed, up,
          down, lvl_off, lvl_h, lvl_w, key, tick, rnd, want, batter):
    """Agent ``i`` at ``cur`` = (``lv``, ``r``, ``c``) walks straight at cell ``t`` if ``t`` is
    on its level (``best_move`` toward it; ``fields``, any stack of fields, is not read).
    Chasing zombies use it, and so do people fighting (``M_FIGHT``: toward their foe).
    A zombie with no move that gains batters the shut door ahead, or else, half the time,
    slides to a random free orthogonal neighbour, so chasers get round corners. Agents not on
    the map want nothing."""
    if t < 0 or occ[cur] != i:
        return
    if np.searchsorted(lvl_off, t, side="right") - 1 != lv:
        return
    loc = t - lvl_off[lv]
    tr = np.float64(loc // lvl_w[lv])
    tc = np.float64(loc % lvl_w[lv])
    slot = ZOMBIE_STRIDE * rnd + CHASE_JITTER
    best, door = best_move(i, who, cur, lv, r, c, fields, 0, (0, 0, 0, 0, 0), (tr, tc),
                           (-1.0, -1.0, 0.0, 0.0), (False, False, 1e-4, slot), occ, kind,
                           door_of, door_state, exit_closed, up, down, lvl_off, lvl_h, lvl_w, key,
                           tick)
    if best >= 0:
        want[i] = best
    elif who == ZOMBIE:
        if door >= 0:
            batter[i] = door
        elif uniform(key, tick, i, ZOMBIE_STRIDE * rnd + CHASE_SLIDE) < 0.5:
            k = randint(key, tick, i, ZOMBIE_STRIDE * rnd + CHASE_SLIDE_DIR, 8)
            nb = planar(cur, lv, r, c, k, lvl_off, lvl_h, lvl_w, False)
            if nb >= 0 and occ[nb] < 0 and not DIAG[k] and passable(
                    nb, who, kind, door_of, door_state, exit_closed):
                want[i] = nb


@njit(cache=True)
def desire_zombies(ag, gr, sc, key, tick, rnd):
    """``desire_zombies_listed`` over every agent."""
    desire_zombies_listed(ag.n, NO_AGENTS, ag, gr, sc, key, tick, rnd)


@njit(cache=True)
def desire_zombies_listed(n, idx, ag, gr, sc, key, tick, rnd):
    """Desired cell of zombies investigating a sound (mode 22) or heading for the stairs (23);
    ``desire.desire_agents`` leaves them to this and runs first.

    An investigator whose cached window (``zfield``) covers its cell, at a finite distance,
    follows it: the free passable neighbour lowest in the field, if lower than here; if a
    shut door scores lower still, it batters the door instead. Any other investigator walks
    straight at its target (``chase``). Zombies heading for the stairs follow the global
    stairs field ``gfields[goal]`` the same way and, standing on a stair linked the way they
    want, take it. Zombies not on the map want nothing.

    Visits agents ``idx[:n]``, or agents 0..n-1 if ``idx`` is empty (as ``desire_agents``).
    Named state (``engine/state.py``): ``ag`` agents, ``gr`` grid (``gfields``: its
    ``fields``), ``sc`` scratch (the windows ``zfields`` and their ``zorigin``; ``want`` and
    ``batter`` written).
    """
    state, mode, zfield, cell, level, row, col = ag.state, ag.mode, ag.zfield, ag.cell, \
        ag.level, ag.row, ag.col
    budget, goal, target = ag.budget, ag.goal, ag.target
    fields, origin, want, batter = sc.zfields, sc.zorigin, sc.want, sc.batter
    occ, kind, door_of, door_state, exit_closed = gr.occ, gr.kind, gr.door_of, gr.door_state, \
        gr.exit_closed
    lvl_off, lvl_h, lvl_w, cell_size = gr.lvl_off, gr.lvl_h, gr.lvl_w, gr.cell_size
    gfields, up, down = gr.fields, gr.up, gr.down
    size = fields.shape[1]
    flat = fields.reshape((fields.shape[0], size * size))  # one frame of size × size per slot
    listed = len(idx) > 0
    for j in range(n):
        i = idx[j] if listed else j
        m = mode[i]
        if state[i] != S_ZOM or not HUNTS_SOUND[m]:
            continue
        want[i] = -1
        batter[i] = -1
        cur = cell[i]
        if occ[cur] != i or budget[i] < 0.999 * cell_size:
            continue
        lv = level[i]
        r = row[i]
        c = col[i]
        if m == M_ZSTAIRS:
            if goal[i] >= 0:
                _to_stairs(i, goal[i], gfields, cur, lv, r, c, occ, kind, door_of, door_state,
                           exit_closed, up, down, lvl_off, lvl_h, lvl_w, key, tick, rnd, want,
                           batter)
            continue
        s = zfield[i]
        if s >= 0 and origin[s, 0] == lv:
            r0 = origin[s, 1]
            c0 = origin[s, 2]
            lr = r - r0
            lc = c - c0
            if 0 <= lr < size and 0 <= lc < size and fields[s, lr, lc] < np.inf:
                slot = WINDOW_JITTER + LOCAL_STRIDE * rnd
                best, door = best_move(i, 1, cur, lv, r, c, flat, s, (0, r0, c0, size, size),
                                       (-1.0, -1.0), (-1.0, -1.0, 0.0, 0.0),
                                       (False, True, 1e-3, slot), occ, kind, door_of,
                                       door_state, exit_closed, up, down, lvl_off, lvl_h, lvl_w,
                                       key, tick)
                if best >= 0:
                    want[i] = best
                elif door >= 0:
                    batter[i] = door
                continue
        chase(i, 1, target[i], gfields, cur, lv, r, c, occ, kind, door_of, door_state,
              exit_closed, up, down, lvl_off, lvl_h, lvl_w, key, tick, rnd, want, batter)


@njit(cache=True)
def _to_stairs(i, g, gfields, cur, lv, r, c, occ, kind, door_of, door_state, exit_closed, up,
               down, lvl_off, lvl_h, lvl_w, key, tick, rnd, want, batter):
    """One zombie's step toward (and through) the stairs of field ``g`` (``F_UP`` or ``F_DOWN``)."""
    link = up[cur] if g == F_UP else down[cur]
    if link >= 0:
        if occ[link] < 0:
            want[i] = link
        return
    slot = STAIRS_JITTER + LOCAL_STRIDE * rnd
    best, door = best_move(i, 1, cur, lv, r, c, gfields, g,
                           (lvl_off[lv], 0, 0, lvl_h[lv], lvl_w[lv]), (-1.0, -1.0),
                           (-1.0, -1.0, 0.0, 0.0), (False, True, 1e-3, slot), occ, kind,
                           door_of, door_state, exit_closed, up, down, lvl_off, lvl_h, lvl_w,
                           key, tick)
    if best >= 0:
        want[i] = best
    elif door >= 0:
        batter[i] = door
