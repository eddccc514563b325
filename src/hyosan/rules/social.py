"""Social influence on exit choice: evacuees follow the exit most people around them take.

``behaviour.social_influence: {share, radius, majority, every}``: a ``share`` of the evacuees
whose exit the scenario did not assign are open to influence. Every ``every`` seconds each of
them looks at the evacuees within ``radius`` (a square window on their level, walls not
considered) and the exit each is heading for; when more than ``majority`` of those heading
somewhere head for one other exit, they switch to it. Told-to (``exit:``) evacuees and those
not open to influence still count: they are whom others follow (NIST TN 1822 Verif.3.2,
"social influence"; Nilsson & Johansson 2009 on exit choice following others).

The exit someone heads for is the exit of their field: a per-exit field (one row per exit,
the same exits as ``exit_choice: queue``), an assigned exit's place, or, on the nearest-exit
field, the exit nearest to where they stand. Without ``social_influence`` nothing here runs
(golden runs stay byte-identical).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from numba import njit

from hyosan.codes import IS_HUMAN, M_EVAC
from hyosan.engine.grid import window
from hyosan.engine.route import exit_groups

if TYPE_CHECKING:  # pragma: no cover
    from hyosan.engine.simulation import Simulation
    from hyosan.scenario.schema import Scenario
    from hyosan.world.world import World


@njit(cache=True)
def follow(n, idx, state, mode, head, level, row, col, occ, lvl_off, lvl_h, lvl_w, radius,
           majority, n_exits, out):
    """For each open-to-influence evacuee in ``idx``: the exit more than ``majority`` of the
    evacuees within ``radius`` cells head for, if it is not theirs (else -1), into ``out``."""
    counts = np.zeros(n_exits, np.int64)
    for k in range(idx.shape[0]):
        i = idx[k]
        out[k] = -1
        counts[:] = 0
        total = 0
        lv = level[i]
        h = lvl_h[lv]
        w = lvl_w[lv]
        r0, r1, c0, c1 = window(row[i], col[i], radius, h, w)
        for r in range(r0, r1):
            base = lvl_off[lv] + r * w
            for c in range(c0, c1):
                j = occ[base + c]
                if j < 0 or j == i or not IS_HUMAN[state[j]] or mode[j] != M_EVAC:
                    continue
                e = head[j]
                if e >= 0:
                    counts[e] += 1
                    total += 1
        if total == 0:
            continue
        best = 0
        for e in range(1, n_exits):
            if counts[e] > counts[best]:
                best = e
        if best != head[i] and counts[best] > majority * total:
            out[k] = best


class Social:
    """Per-exit field rows, who is open to influence, and the periodic update."""

    def __init__(self, groups: list[np.ndarray], first: int, shared: bool):
        self.groups = groups
        self.first = first  # the first per-exit row
        self.k = len(groups)
        self.n_rows = 0 if shared else self.k  # rows added to the fields (0: the router's)
        self.switches = 0

    @staticmethod
    def plan(sc: Scenario, world: World, n_fields: int, router) -> Social | None:
        """Before the fields are laid out: the rows social influence needs (the router's
        per-exit rows when ``exit_choice: queue`` has them)."""
        spec = sc.behaviour.social_influence
        if spec is None or sc.behaviour.profile != "full":
            return None
        if router is not None:
            return Social(router.groups, router.first, shared=True)
        return Social(exit_groups(world), n_fields, shared=False)

    def fields(self) -> list[tuple[int, np.ndarray]]:
        """(row, target cells) to compute, none when the router's rows are used."""
        return [] if self.n_rows == 0 else [(self.first + e, g)
                                            for e, g in enumerate(self.groups)]

    def bind(self, sim: Simulation, exits_of: list[str | None]) -> None:
        """After the population: who is open to influence, and each field row's exit."""
        from hyosan.engine.rng import stream_key

        spec = sim.scenario.behaviour.social_influence
        rng = np.random.default_rng(stream_key(sim.seed_seq, "social"))
        told = np.array([e is not None for e in exits_of], bool)
        self.open = ~told & (rng.random(sim.n) < spec.share)
        rows = sim.fields.shape[0]
        self.row_exit = np.full(rows, -1, np.int64)  # -1: the nearest exit's field
        for e in range(self.k):
            self.row_exit[self.first + e] = e
        from hyosan.engine.fields import N_FIELDS

        cell_exit = np.full(sim.world.n_cells, -1, np.int64)
        for e, g in enumerate(self.groups):
            cell_exit[g] = e
        for k, name in enumerate(sim.assigned_exits):
            cells = sim.world.places[name].cells
            hit = cell_exit[cells]
            self.row_exit[N_FIELDS + k] = int(hit[hit >= 0][0]) if (hit >= 0).any() else -1
        self.every = max(1, int(round(spec.every / sim.dt)))
        self.radius = int(np.ceil(spec.radius / sim.world.cell_size))
        self.majority = float(spec.majority)
        self._out = np.zeros(sim.n, np.int64)

    def heads(self, sim: Simulation) -> np.ndarray:
        """The exit each agent is heading for (-1: none, or not evacuating)."""
        p = sim.pop
        head = self.row_exit[p.exit_field.astype(np.int64)]
        nearest = head < 0
        if self.k and nearest.any():
            d = sim.fields[self.first: self.first + self.k][:, p.cell[nearest]]
            best = np.argmin(d, axis=0)
            head[nearest] = np.where(np.isfinite(d.min(axis=0)), best, -1)
        head[(p.mode != M_EVAC) | ~IS_HUMAN[p.state]] = -1
        return head

    def step(self, sim: Simulation) -> None:
        """Every ``every`` seconds: the open-to-influence evacuees follow the local majority."""
        if sim.tick % self.every or self.k < 2:
            return
        p = sim.pop
        idx = np.flatnonzero(self.open & (p.mode == M_EVAC) & IS_HUMAN[p.state])
        if not len(idx):
            return
        head = self.heads(sim)
        out = self._out[: len(idx)]
        follow(sim.n, idx, p.state, p.mode, head, p.level, p.row, p.col, sim.occ, sim.lvl_off,
               sim.lvl_h, sim.lvl_w, self.radius, self.majority, self.k, out)
        go = out >= 0
        if go.any():
            rows = self.first + out[go]
            ok = np.isfinite(sim.fields[rows, p.cell[idx[go]]])  # an exit they can reach
            p.exit_field[idx[go][ok]] = rows[ok]
            self.switches += int(ok.sum())

    def refresh(self, sim: Simulation, weight: np.ndarray | None = None) -> None:
        """Recompute its own per-exit rows (an exit closed, or the hazard's route weights)."""
        from hyosan.rules.hazard import weighted_field
        from hyosan.world.navigation import distance_field

        shut = sim.world.exit_closed
        for k, cells in self.fields():
            open_cells = cells[~shut[cells]]
            if not len(open_cells):
                sim.fields[k] = np.inf
            elif weight is None:
                sim.fields[k] = distance_field(sim.world, open_cells, who="human")
            else:
                sim.fields[k] = weighted_field(sim.world, open_cells, weight)

    def summary(self) -> dict:
        return {"open": int(self.open.sum()), "switches": self.switches}

