"""Groups that walk together: a group leaves together and waits for its slowest member.

A population entry's ``walk_together: {size, spread}`` splits its agents, in spawn order, into
groups of ``size`` (the last may be smaller). Each group

* **starts together**: every member's pre-evacuation time is the group's longest (set once, at
  the start);
* **keeps the pace of its slowest member**: each tick, a member's walking metres are at most
  what the slowest member still inside would walk (``speed · dt``), so speed differences do
  not pull the group apart;
* **waits** for those behind: a member more than ``spread`` metres ahead, down their own goal
  field, of the member furthest behind stands still until the rear catches up (crowding,
  doors and stairs slow members differently) — unless someone outside the group stands right
  behind them: a member does not block a queue to wait (in a crowd a group is pulled apart;
  without this, groups waiting in a doorway's queue locked it) — and only on open floor, never
  in a doorway, an exit or on a stair's landing (members waiting on a landing for those still
  below kept the flight from landing anyone).

Members who have escaped (or died, or turned) no longer hold the group. People outside any
group are untouched; a scenario without ``walk_together`` runs nothing here (golden runs stay
byte-identical). Cost: one pass over the members per tick, O(size²) per group for the rear.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np
from numba import njit

from hyosan.codes import IS_HUMAN, STANDS_STILL, Profile
from hyosan.engine.grid import FLOOR, GROUND, window

if TYPE_CHECKING:  # pragma: no cover
    from hyosan.engine.simulation import Simulation


@njit(cache=True)
def pressed(i, g, group, state, cell, level, row, col, occ, lvl_off, lvl_h, lvl_w, fields):
    """Whether someone outside ``i``'s group stands next to ``i``, further from ``i``'s goal
    ``g``: a person behind who would have to get past."""
    lv = level[i]
    h = lvl_h[lv]
    w = lvl_w[lv]
    mine = fields[g, cell[i]]
    r0, r1, c0, c1 = window(row[i], col[i], 1, h, w)
    for r in range(r0, r1):
        for c in range(c0, c1):
            if r == row[i] and c == col[i]:
                continue
            j = occ[lvl_off[lv] + r * w + c]
            if j >= 0 and group[j] != group[i] and IS_HUMAN[state[j]] and \
                    fields[g, cell[j]] > mine:
                return True
    return False


@njit(cache=True)
def keep_together(n_groups, start, members, spread, before, group, ag, gr, pm):
    """Cap each walking member's gain this tick at the slowest member's ``speed · dt``, and
    stop those more than ``spread[g]`` metres ahead of their group's rear, unless someone
    outside the group is right behind them (a member waits where they do not block a queue:
    in a crowd a group is pulled apart), and only on open floor: never in a doorway, an exit
    or on a stair's landing, where waiting would hold the way shut. Returns how many
    waited. The groups' own arrays come as arrays (``Groups``), the run's as the named state
    (``engine/state.py``: ``ag`` agents, ``gr`` grid, ``pm`` parameters: ``dt``)."""
    state, mode, cell, goal, speed, budget = ag.state, ag.mode, ag.cell, ag.goal, ag.speed, \
        ag.budget
    level, row, col = ag.level, ag.row, ag.col
    fields, occ, kind, lvl_off, lvl_h, lvl_w = gr.fields, gr.occ, gr.kind, gr.lvl_off, \
        gr.lvl_h, gr.lvl_w
    dt = pm.dt
    waited = 0
    for g in range(n_groups):
        a, b = start[g], start[g + 1]
        vmin = np.inf
        for k in range(a, b):
            j = members[k]
            if IS_HUMAN[state[j]] and speed[j] < vmin:
                vmin = speed[j]
        if vmin == np.inf:
            continue  # the whole group is out
        for k in range(a, b):
            i = members[k]
            if not IS_HUMAN[state[i]] or STANDS_STILL[mode[i]]:
                continue
            gain = budget[i] - before[i]
            if gain > vmin * dt:
                budget[i] = before[i] + vmin * dt
            gi = goal[i]
            if gi < 0:
                continue
            mine = fields[gi, cell[i]]
            rear = mine
            for q in range(a, b):
                j = members[q]
                if j != i and IS_HUMAN[state[j]]:
                    d = fields[gi, cell[j]]
                    if d > rear and d < 1e30:
                        rear = d
            k_here = kind[cell[i]]
            open_floor = k_here == FLOOR or k_here == GROUND
            if rear - mine > spread[g] and open_floor and not pressed(
                    i, gi, group, state, cell, level, row, col, occ, lvl_off, lvl_h, lvl_w,
                    fields):
                if budget[i] > 0.0:
                    budget[i] = 0.0  # stands and waits (a debt from a costly step remains)
                waited += 1
    return waited


class Groups:
    """Walking groups: members sorted by group (``members[start[g]:start[g+1]]``)."""

    def __init__(self, group: np.ndarray, spread: np.ndarray):
        self.group = group  # per agent: walking group, -1 none
        order = np.flatnonzero(group >= 0)
        order = order[np.argsort(group[order], kind="stable")]
        self.members = order.astype(np.int64)
        self.n_groups = int(group.max(initial=-1)) + 1
        counts = np.bincount(group[order], minlength=self.n_groups)
        self.start = np.r_[0, np.cumsum(counts)].astype(np.int64)
        self.spread = spread.astype(np.float64)
        self._before = np.zeros(group.shape[0], np.float64)
        self.waits = 0  # member-ticks spent waiting (a diagnostic for the summary)

    @staticmethod
    def build(sim: Simulation, entry: np.ndarray) -> Groups | None:
        """Groups from the population entries' ``walk_together``; None if there are none.
        ``entry``: the population entry each agent came from (-1: named, index case)."""
        sc = sim.scenario
        specs = [(k, s.walk_together) for k, s in enumerate(sc.population)
                 if s.walk_together is not None]
        if not specs or sim.profile != Profile.FULL:
            return None
        p = sim.pop
        group = np.full(sim.n, -1, np.int32)
        spread: list[float] = []
        for k, wt in specs:
            mine = np.flatnonzero(entry == k)
            for c in range(0, len(mine), wt.size):
                ids = mine[c:c + wt.size]
                group[ids] = len(spread)
                spread.append(wt.spread)
                p.premove[ids] = p.premove[ids].max()  # the group leaves together
        return Groups(group, np.array(spread))

    def move_hooks(self) -> tuple[tuple[str, Callable[[Simulation], None]], ...]:
        """Where groups join the move phase (``engine/hooks.py``)."""
        return (("before_budget", self.before_budget), ("after_budget", self.after_budget))

    def before_budget(self, sim: Simulation) -> None:
        self._before[:] = sim.pop.budget

    def after_budget(self, sim: Simulation) -> None:
        self.waits += keep_together(self.n_groups, self.start, self.members, self.spread,
                                    self._before, self.group, sim.ag, sim.gr, sim.pm)

    def summary(self) -> dict:
        return {"groups": self.n_groups, "members": int(self.members.size),
                "member_ticks_waiting": int(self.waits)}
