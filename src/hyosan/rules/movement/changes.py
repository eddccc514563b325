"""Changes between sub-rounds: which agents' desires a later sub-round must take again
(``changed_agents``), so that it evaluates a few dozen agents instead of everyone."""

from __future__ import annotations

import numpy as np
from numba import njit

from hyosan.codes import M_FIGHT, M_HIDDEN, M_ROUTINE, M_WAIT, M_ZCHASE, M_ZWANDER, ON_MAP, S_ZOM


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
def changed_agents(ag, gr, sc):
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

    Named state (``engine/state.py``): ``ag`` agents, ``gr`` grid, ``sc`` scratch (its
    ``epoch[0]`` is this sub-round's stamp).
    """
    n, cell, state, mode, threat, budget = ag.n, ag.cell, ag.state, ag.mode, ag.threat, ag.budget
    occ, up, down, cell_size = gr.occ, gr.up, gr.down, gr.cell_size
    lvl_off, lvl_h, lvl_w = gr.lvl_off, gr.lvl_h, gr.lvl_w
    want, swap, unsure, seen, held, stamp = sc.want, sc.swap, sc.unsure, sc.seen, sc.held, \
        sc.stamp
    epoch, active = sc.epoch[0], sc.active
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
