"""Contact phase: adjacent zombie–human pairs request bites and kills; one resolver applies them.

With ``contact='pairs'`` every adjacent pair draws (bite with probability p_bite, kill with the
human's p_kill); with ``'one'`` each zombie picks one adjacent human and each human one adjacent
zombie. Requests are gathered from the current generation and resolved once (a human bitten by
several zombies is credited to one at random), so the outcome never depends on agent order.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from hyosan.codes import IS_HUMAN, S_CAR, S_DES, S_INF, S_SUS, S_ZOM, TurnDist
from hyosan.engine.events import BITE, CARRIER, KILL, emit
from hyosan.engine.grid import VN, planar
from hyosan.engine.rng import uniform
from hyosan.rules.draws import Draws

S_TURNING = 255  # transient marker inside a sequential resolution

# Slots of the contact stream (``rules/draws.py``); the numbers are those of the golden runs.
BITE_TRY_ONE = 0  # 'one': the zombie's bite on the human it picked
BITE_PRIO_ONE = 2  # 'one': that bite's priority among rival biters
TURN_U = 7  # turn delay: one uniform through the truncated distribution's inverse CDF
BITE_TRY = 10  # 'pairs': + neighbour k, bite on the human there
BITE_PRIO = 20  # 'pairs': + neighbour k, that bite's priority
KILL_TRY_ONE = 30  # 'one': the human's blow at the zombie it picked
KILL_PRIO_ONE = 32  # 'one': that blow's priority
CARRIER_DRAW = 60  # is the bitten a carrier
BITE_PICK = 100  # 'one': + human j, the zombie's uniform pick among adjacent humans
PRIO_SEQUENTIAL = 999  # sequential resolution: the actor's place in the tick's order
KILL_PICK = 1 << 32  # 'one': + zombie i, the human's pick among adjacent zombies
KILL_TRY_PAIR = 2 << 32  # 'pairs': + 2 i, the human's blow at zombie i (+ 1: its priority)

DRAWS = (
    Draws("contact", "contact", "bite_try_one", BITE_TRY_ONE),
    Draws("contact", "contact", "bite_prio_one", BITE_PRIO_ONE),
    Draws("contact", "contact", "turn", TURN_U),
    Draws("contact", "contact", "bite_try", BITE_TRY, 8),
    Draws("contact", "contact", "bite_prio", BITE_PRIO, 8),
    Draws("contact", "contact", "kill_try_one", KILL_TRY_ONE),
    Draws("contact", "contact", "kill_prio_one", KILL_PRIO_ONE),
    Draws("contact", "contact", "carrier", CARRIER_DRAW),
    Draws("contact", "contact", "bite_pick", BITE_PICK, per_agent=1),
    Draws("contact", "contact", "priority_sequential", PRIO_SEQUENTIAL),
    Draws("contact", "contact", "kill_pick", KILL_PICK, per_agent=1),
    Draws("contact", "contact", "kill_try_pair", KILL_TRY_PAIR, 2, per_agent=2),
)
TURN_LOGNORMAL, TURN_EXPONENTIAL, TURN_FIXED, TURN_INSTANT = (int(d) for d in TurnDist)


@njit(cache=True, inline="always")
def _nbr(cell, lv, r, c, k, vn, lvl_off, lvl_h, lvl_w, torus):
    kk = VN[k] if vn else k
    return planar(cell, lv, r, c, kk, lvl_off, lvl_h, lvl_w, torus)


@njit(cache=True)
def _std_normal_cdf(z):
    return 0.5 * math.erfc(-z / math.sqrt(2.0))


@njit(cache=True)
def _std_normal_quantile(p):
    """z with Phi(z) = p: Abramowitz & Stegun 26.2.23 (error < 4.5e-4), then Newton steps."""
    q = min(max(min(p, 1.0 - p), 1e-300), 0.5)
    s = math.sqrt(-2.0 * math.log(q))
    t = s - (2.515517 + s * (0.802853 + s * 0.010328)) / (
        1.0 + s * (1.432788 + s * (0.189269 + s * 0.001308)))
    for _ in range(3):  # solve Phi(-t) = q for t >= 0
        dens = math.exp(-0.5 * t * t) / math.sqrt(2.0 * math.pi)
        if dens <= 0.0:
            break
        t += (0.5 * math.erfc(t / math.sqrt(2.0)) - q) / dens
    return -t if p < 0.5 else t


@njit(cache=True)
def draw_turn_delay(dist, median, sigma, lo, hi, key, tick, i):
    """Seconds from bite to turning, from the scenario's distribution truncated to [lo, hi].

    One uniform draw is mapped through the inverse CDF restricted to [F(lo), F(hi)], so the
    draws follow the truncated distribution exactly, with no mass piled on the bounds.
    """
    if dist == TURN_INSTANT:
        return 0.0
    if dist == TURN_FIXED:
        return median
    u = uniform(key, tick, i, TURN_U)
    if dist == TURN_EXPONENTIAL:
        tau = median / math.log(2.0)
        f_lo = -math.expm1(-max(lo, 0.0) / tau)
        f_hi = -math.expm1(-hi / tau)
        x = -tau * math.log1p(-(f_lo + u * (f_hi - f_lo)))
    else:
        f_lo = _std_normal_cdf(math.log(lo / median) / sigma) if lo > 0.0 else 0.0
        f_hi = _std_normal_cdf(math.log(hi / median) / sigma)
        x = median * math.exp(sigma * _std_normal_quantile(f_lo + u * (f_hi - f_lo)))
    return min(max(x, lo), hi)  # guards rounding only


@njit(cache=True)
def contact(ag, gr, sc, pm, ev, key, tick, time_s):
    """Gather bite and kill requests, then resolve them. Returns (bites, kills).

    Only zombies scan their neighbourhood (they are the rarer kind early on, and every contact
    involves one). A uniform choice among several candidates takes the candidate with the
    largest draw keyed by the pair, so it never depends on the order agents are visited in.
    ``kill_prio`` doubles as the human's best draw over adjacent zombies in ``one`` mode.

    With ``sequential`` the requests are applied in a random order of their actors (each agent's
    place in a virtual shuffled sequence, drawn per tick), and a request whose actor or target
    changed earlier in that order is void: a zombie destroyed first bites nobody, a human
    bitten first (and turned at once) strikes no blow. This reproduces the outcome of frameworks
    that update agents one at a time in random order, still independent of agent index order.

    State as named structs (``engine/state.py``): agents, grid, scratch (the request slots),
    parameters (``p_bite``, ``one``, ``vn``, ``sequential``, the turn-delay law), events.
    """
    n = ag.n
    cell, level, row, col, state = ag.cell, ag.level, ag.row, ag.col, ag.state
    kill_p, turn_delay = ag.kill_p, ag.turn_delay
    occ, lvl_off, lvl_h, lvl_w, torus = gr.occ, gr.lvl_off, gr.lvl_h, gr.lvl_w, gr.torus
    bite_by, bite_prio, kill_by, kill_prio = sc.bite_by, sc.bite_prio, sc.kill_by, sc.kill_prio
    p_bite, one, vn, sequential = pm.p_bite, pm.one, pm.vn, pm.sequential
    nk = 4 if vn else 8
    fighters = np.empty(0, np.int64)
    n_f = 0
    for i in range(n):
        if state[i] != S_ZOM or occ[cell[i]] != i:
            continue  # in transit on a flight, a zombie reaches nobody
        cur = cell[i]
        lv = level[i]
        best_h = -1
        best_u = -1.0
        for k in range(nk):
            nb = _nbr(cur, lv, row[i], col[i], k, vn, lvl_off, lvl_h, lvl_w, torus)
            if nb < 0:
                continue
            j = occ[nb]
            if j < 0:
                continue
            sj = state[j]
            if sj == S_SUS:
                if one:
                    u = uniform(key, tick, i, BITE_PICK + j)
                    if u > best_u:
                        best_u = u
                        best_h = j
                elif uniform(key, tick, i, BITE_TRY + k) < p_bite:
                    pr = uniform(key, tick, i, PRIO_SEQUENTIAL) if sequential else \
                        uniform(key, tick, i, BITE_PRIO + k)
                    if bite_by[j] < 0 or pr > bite_prio[j]:
                        bite_by[j] = i
                        bite_prio[j] = pr
            if IS_HUMAN[sj] and kill_p[j] > 0.0:
                if one:
                    # the human's uniform pick among adjacent zombies: largest pair draw
                    u = uniform(key, tick, j, KILL_PICK + i)
                    if kill_by[j] == -1:
                        if n_f == len(fighters):
                            grown = np.empty(max(16, 2 * n_f), np.int64)
                            grown[:n_f] = fighters[:n_f]
                            fighters = grown
                        fighters[n_f] = j
                        n_f += 1
                        kill_by[j] = i
                        kill_prio[j] = u
                    elif u > kill_prio[j]:
                        kill_by[j] = i
                        kill_prio[j] = u
                elif uniform(key, tick, j, KILL_TRY_PAIR + 2 * i) < kill_p[j]:
                    # pairs mode: the request is stored on the zombie (index i)
                    pr = uniform(key, tick, j, PRIO_SEQUENTIAL) if sequential else \
                        uniform(key, tick, j, KILL_TRY_PAIR + 2 * i + 1)
                    if kill_by[i] < 0 or pr > kill_prio[i]:
                        kill_by[i] = j
                        kill_prio[i] = pr
        if one and best_h >= 0 and uniform(key, tick, i, BITE_TRY_ONE) < p_bite:
            pr = uniform(key, tick, i, PRIO_SEQUENTIAL) if sequential else \
                uniform(key, tick, i, BITE_PRIO_ONE)
            if bite_by[best_h] < 0 or pr > bite_prio[best_h]:
                bite_by[best_h] = i
                bite_prio[best_h] = pr
    if one:
        # each human with adjacent zombies tries once on the one it picked; the request moves
        # from the human's slot to the zombie's slot (a zombie is never a fighter itself)
        for t in range(n_f):
            j = fighters[t]
            z = kill_by[j]
            kill_by[j] = -1
            if uniform(key, tick, j, KILL_TRY_ONE) < kill_p[j]:
                pr = uniform(key, tick, j, PRIO_SEQUENTIAL) if sequential else \
                    uniform(key, tick, j, KILL_PRIO_ONE)
                if kill_by[z] < 0 or pr > kill_prio[z]:
                    kill_by[z] = j
                    kill_prio[z] = pr
    # -- resolve
    bites = 0
    kills = 0
    if sequential:
        # requests in the order of their actors' places in this tick's virtual sequence
        m = 0
        for j in range(n):
            if bite_by[j] >= 0:
                m += 1
            if kill_by[j] >= 0:
                m += 1
        actor = np.empty(m, np.int64)
        tgt = np.empty(m, np.int64)
        is_bite = np.empty(m, np.bool_)
        prio = np.empty(m, np.float64)
        m = 0
        for j in range(n):
            if bite_by[j] >= 0:
                actor[m] = bite_by[j]
                tgt[m] = j
                is_bite[m] = True
                prio[m] = -bite_prio[j]
                m += 1
                bite_by[j] = -1
            if kill_by[j] >= 0:
                actor[m] = kill_by[j]
                tgt[m] = j
                is_bite[m] = False
                prio[m] = -kill_prio[j]
                m += 1
                kill_by[j] = -1
        for t in np.argsort(prio, kind="mergesort"):
            a = actor[t]
            j = tgt[t]
            if is_bite[t]:
                if state[a] == S_ZOM and state[j] == S_SUS:
                    _bite(j, a, ag, pm, ev, key, tick, time_s)
                    bites += 1
                    if turn_delay[j] <= 0.0 and state[j] == S_INF:
                        state[j] = S_TURNING  # turned at once: acts no more this tick
            else:
                sa = state[a]
                if state[j] == S_ZOM and IS_HUMAN[sa]:
                    _kill(j, a, ag, gr, ev)
                    kills += 1
        for t in range(m):
            if state[tgt[t]] == S_TURNING:
                state[tgt[t]] = S_INF
        return bites, kills
    for j in range(n):
        z = bite_by[j]
        if z >= 0:
            bite_by[j] = -1
            bites += 1
            _bite(j, z, ag, pm, ev, key, tick, time_s)
        h = kill_by[j]
        if h >= 0:
            kill_by[j] = -1
            kills += 1
            _kill(j, h, ag, gr, ev)
    return bites, kills


@njit(cache=True)
def _bite(j, z, ag, pm, ev, key, tick, time_s):
    """Zombie z bites human j: infected (or a carrier), with a drawn time to turn."""
    cell, state = ag.cell, ag.state
    ag.bitten_at[j] = time_s
    ag.bitten_by[j] = z
    is_carrier = ag.immune[j] or uniform(key, tick, j, CARRIER_DRAW) < pm.carrier_fraction
    d = draw_turn_delay(pm.turn_dist, pm.turn_median, pm.turn_sigma, pm.turn_min, pm.turn_max,
                        key, tick, j)
    ag.turn_delay[j] = d
    state[j] = S_CAR if is_carrier else S_INF
    ag.timer[j] = d
    emit(BITE, z, j, cell[j], ev.kind, ev.a, ev.b, ev.cell, ev.n)
    if is_carrier:
        emit(CARRIER, j, z, cell[j], ev.kind, ev.a, ev.b, ev.cell, ev.n)


@njit(cache=True)
def _kill(j, h, ag, gr, ev):
    """Human h destroys zombie j."""
    cell = ag.cell
    ag.state[j] = S_DES
    gr.occ[cell[j]] = -1
    emit(KILL, h, j, cell[j], ev.kind, ev.a, ev.b, ev.cell, ev.n)
