"""Progress phase: incubation timers turn the infected; optionally the dead rise."""

from __future__ import annotations

from numba import njit

from hyosan.codes import M_ZWANDER, S_DEAD, S_INF, S_ZOM
from hyosan.engine.events import RISE, TURN, emit


@njit(cache=True)
def progress(ag, gr, pm, ev, time_s):
    """Count timers down; the infected turn at zero, the dead rise if the scenario says so
    (``pm.rise_dead``). ``time_s`` is the time a turn is dated (``ag.turned_at``)."""
    n, state, mode, timer, turned_at, ended_at = ag.n, ag.state, ag.mode, ag.timer, \
        ag.turned_at, ag.ended_at
    cell, target, threat, budget = ag.cell, ag.target, ag.threat, ag.budget
    occ, dt, rise_dead = gr.occ, pm.dt, pm.rise_dead
    ev_kind, ev_a, ev_b, ev_cell, ev_n = ev.kind, ev.a, ev.b, ev.cell, ev.n
    turned = 0
    for i in range(n):
        s = state[i]
        if s == S_INF or (s == S_DEAD and rise_dead):
            timer[i] -= dt
            if timer[i] <= 1e-9:
                if s == S_DEAD:
                    if occ[cell[i]] >= 0:
                        continue  # somebody stands on the body: rise a little later
                    occ[cell[i]] = i
                    kind = RISE
                    ended_at[i] = float("nan")
                else:
                    kind = TURN
                state[i] = S_ZOM
                mode[i] = M_ZWANDER
                turned_at[i] = time_s
                target[i] = -1
                threat[i] = -1
                budget[i] = 0.0
                turned += 1
                emit(kind, i, -1, cell[i], ev_kind, ev_a, ev_b, ev_cell, ev_n)
    return turned
