"""The hazard field: smoke and toxic gases per cell, and a zombie's presence, acting on people.

A scenario's ``hazard`` places **sources**: a named place filled, from ``at`` (rising linearly
over ``ramp``), with smoke of extinction coefficient ``extinction`` (Ks, 1/m) and gases
(``co`` ppm, ``co2`` %, ``o2`` %). Each tick, for every living human on the map:

* **walking speed** falls with the smoke in their cell by the relation FDS+Evac uses
  (Frantzich & Nilsson 2003; Korhonen, FDS+Evac Technical Reference):
  ``v = v0 · max(min_speed_fraction, 1 + β·Ks/α)``, α = 0.706 m/s, β = −0.057 m²/s, floor
  0.1·v0 — applied to the metres of budget the tick gives (``slow``);
* **fractional effective dose** accumulates by Purser's model as FDS+Evac sums it,
  ``dFED/dt = (FED_CO + FED_CN…)·HV_CO2 + FED_O2`` with FED_CO = 2.764·10⁻⁵·C_CO^1.036 per
  minute (ppm), HV_CO2 = exp(0.1903·C_CO2 + 2.0004)/7.1 (%), FED_O2 = 1/exp(8.13 −
  0.54·(20.9 − C_O2)) per minute (%); at ``incapacitation`` (FED 1) the person drops where
  they are and moves no more (an ``incapacitated`` event; they still occupy their cell);
* **routes** avoid the hazard: the evacuation fields are walked with a cost of
  ``1 + avoid·Ks`` per metre of smoke (``avoid`` 0: no rerouting), and, with ``zombies``, of
  ``1 + zombies.avoid`` within ``zombies.radius`` of a zombie, refreshed every
  ``reroute_every`` seconds. People already in smoke take the least smoky way out.

Zombies breathe nothing: smoke neither slows nor doses them. With no ``hazard`` in the scenario
nothing here runs (the golden runs stay byte-identical).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np
from numba import njit

from hyosan.codes import IS_HUMAN, S_ZOM, Profile
from hyosan.engine.grid import window
from hyosan.world.navigation import _as_cells, _search, passable

if TYPE_CHECKING:  # pragma: no cover
    from hyosan.engine.simulation import Simulation
    from hyosan.scenario.schema import HazardSpec
    from hyosan.world.world import World


# ------------------------------------------------------------------ closed forms (pure Python)
def speed_factor(ks: float, alpha: float = 0.706, beta: float = -0.057,
                 floor: float = 0.1) -> float:
    """Walking speed in smoke of extinction ``ks`` (1/m) over the free speed (FDS+Evac)."""
    return max(floor, 1.0 + beta * ks / alpha)


def fed_per_s(co_ppm: float = 0.0, co2_pct: float = 0.0, o2_pct: float = 20.9) -> float:
    """Purser's fractional effective dose per second, as FDS+Evac sums it (CO, CO2, O2)."""
    fed_co = 2.764e-5 * co_ppm ** 1.036 if co_ppm > 0 else 0.0
    hv = math.exp(0.1903 * co2_pct + 2.0004) / 7.1
    fed_o2 = 1.0 / math.exp(8.13 - 0.54 * (20.9 - o2_pct)) if o2_pct < 20.9 else 0.0
    return (fed_co * hv + fed_o2) / 60.0


# ------------------------------------------------------------------ kernels
@njit(cache=True)
def slow(n, state, cell, before, budget, ks, alpha, beta, floor, down):
    """Scale the metres this tick gave each human by the smoke in their cell; the
    incapacitated get none."""
    for i in range(n):
        if not IS_HUMAN[state[i]]:
            continue
        if down[i]:
            budget[i] = 0.0
            continue
        k = ks[cell[i]]
        if k > 0.0:
            f = 1.0 + beta * k / alpha
            if f < floor:
                f = floor
            gain = budget[i] - before[i]
            if gain > 0.0:
                budget[i] = before[i] + gain * f


@njit(cache=True)
def dose(n, state, cell, rate, fed, down, dt, threshold, out):
    """Add this tick's dose for every human on the map; returns how many just dropped (their
    ids in ``out``)."""
    k = 0
    for i in range(n):
        if down[i] or not IS_HUMAN[state[i]]:
            continue
        r = rate[cell[i]]
        if r > 0.0:
            fed[i] += r * dt
            if fed[i] >= threshold:
                down[i] = True
                out[k] = i
                k += 1
    return k


@njit(cache=True)
def near_zombies(n, state, level, row, col, lvl_off, lvl_h, lvl_w, radius, mark):
    """Mark the cells within ``radius`` cells (a square) of every zombie."""
    mark[:] = False
    for i in range(n):
        if state[i] != S_ZOM:
            continue
        lv = level[i]
        h = lvl_h[lv]
        w = lvl_w[lv]
        r0, r1, c0, c1 = window(row[i], col[i], radius, h, w)
        for r in range(r0, r1):
            base = lvl_off[lv] + r * w
            for c in range(c0, c1):
                mark[base + c] = True


def weighted_field(world: World, targets: np.ndarray, weight: np.ndarray) -> np.ndarray:
    """Weighted metres from every cell to its nearest target (as ``distance_field``, humans;
    the same search, ``navigation._search``, with a weight per cell)."""
    from hyosan.world.navigation import STAIR_FACTOR

    ok = passable(world, "human")
    off, h, w = world.level_arrays()
    step = float(world.cell_size)
    dist = np.empty(world.n_cells)
    _search(_as_cells(world, targets), ok, weight.astype(np.float64), off, h, w, world.up,
              world.down, world.torus, step, step * math.sqrt(2.0),
              float(world.stair_length * STAIR_FACTOR), dist)
    return dist.astype(np.float32)


# ------------------------------------------------------------------ the field and its hooks
class Hazard:
    """Per-cell smoke (Ks) and dose rate from the scenario's sources; per-agent dose."""

    def __init__(self, spec: HazardSpec, world: World, n: int, dt: float):
        self.spec = spec
        nc = world.n_cells
        self.ks = np.zeros(nc, np.float64)  # extinction coefficient now, 1/m
        self.rate = np.zeros(nc, np.float64)  # FED per second now
        self.fed = np.zeros(n, np.float64)
        self.down = np.zeros(n, np.bool_)
        self.down_at = np.full(n, np.nan)
        self._out = np.zeros(max(n, 1), np.int64)
        self._before = np.zeros(n, np.float64)
        self.sources = []
        for k, s in enumerate(spec.smoke):
            if s.place not in world.places:
                from hyosan.errors import ScenarioError

                known = ", ".join(sorted(world.places)) or "none"
                raise ScenarioError(f"hazard.smoke.{k}.place: no place named {s.place!r} "
                                    f"(known: {known})")
            self.sources.append((world.places[s.place].cells, s, fed_per_s(s.co, s.co2, s.o2)))
        self._level = -1.0  # sum of the sources' shares at the last fill (change detector)
        self._rerouted_at = -math.inf
        self._pending = False
        self._steady = True
        self.zmark = np.zeros(nc if spec.zombies is not None else 1, np.bool_)

    @staticmethod
    def build(sim: Simulation) -> Hazard | None:
        """The scenario's hazard for the full profile, or None (nothing runs)."""
        spec = sim.scenario.hazard
        if spec is None or sim.profile != Profile.FULL:
            return None
        return Hazard(spec, sim.world, sim.n, sim.dt)

    def _fill(self, t: float) -> bool:
        """Set the cells' smoke and dose at time ``t``; True if anything changed."""
        shares = [0.0 if t < s.at else (1.0 if s.ramp <= 0 else min(1.0, (t - s.at) / s.ramp))
                  for _, s, _ in self.sources]
        level = sum(shares) + 1e-3 * sum(x > 0 for x in shares)
        self._steady = all(x in (0.0, 1.0) for x in shares)
        if level == self._level:
            return False
        self._level = level
        self.ks[:] = 0.0
        self.rate[:] = 0.0
        for (cells, s, r), f in zip(self.sources, shares, strict=True):
            if f > 0:
                self.ks[cells] += f * s.extinction
                self.rate[cells] += f * r
        return True

    def move_hooks(self) -> tuple[tuple[str, Callable[[Simulation], None]], ...]:
        """Where the hazard joins the move phase (``engine/hooks.py``)."""
        return (("before_budget", self.before_move), ("after_budget", self.after_budget),
                ("after_move", self.after_move))

    def before_move(self, sim: Simulation) -> None:
        """Start of the move phase: bring the field to now, reroute if it changed (while
        smoke rises, at most every ``reroute_every`` seconds; always at its full value)."""
        t = sim.time_s
        sp = self.spec
        if self._fill(t) and sp.avoid > 0:
            self._pending = True
        due = t - self._rerouted_at >= sp.reroute_every - 1e-9
        if sp.zombies is not None and due:
            p = sim.pop
            near_zombies(sim.n, p.state, p.level, p.row, p.col, sim.lvl_off, sim.lvl_h,
                         sim.lvl_w, int(math.ceil(sp.zombies.radius / sim.world.cell_size)),
                         self.zmark)
            self._pending = True
        if self._pending and (due or self._steady):
            self._pending = False
            self.reroute(sim)
        self._before[:] = sim.pop.budget

    def after_budget(self, sim: Simulation) -> None:
        """After ``budget.add_budget``: smoke slows; the incapacitated stand."""
        p, sp = sim.pop, self.spec
        slow(sim.n, p.state, p.cell, self._before, p.budget, self.ks, sp.speed_alpha,
             sp.speed_beta, sp.min_speed_fraction, self.down)

    def after_move(self, sim: Simulation) -> None:
        """End of the move phase: the dose of the cell each person now stands in."""
        p = sim.pop
        k = dose(sim.n, p.state, p.cell, self.rate, self.fed, self.down, sim.dt,
                 self.spec.incapacitation, self._out)
        for j in self._out[:k]:
            self.down_at[j] = sim.time_s + sim.dt
            sim.record_event("incapacitated", agent=int(j), cell=int(p.cell[j]),
                             detail=f"FED {self.fed[j]:.2f}")

    def weight(self) -> np.ndarray:
        """Route cost per metre of each cell: 1 + avoid·Ks (+ zombies.avoid near a zombie)."""
        sp = self.spec
        w = 1.0 + sp.avoid * self.ks
        if sp.zombies is not None:
            w = w + sp.zombies.avoid * self.zmark
        return w

    def reroute(self, sim: Simulation) -> None:
        """Recompute the evacuation fields (nearest exit, assigned exits, queue routes) walked
        with the hazard's cost, as ``Simulation.exits_changed`` computes them plain."""
        self._rerouted_at = sim.time_s
        world = sim.world
        wt = self.weight()
        exits = world.exits()
        sim.fields[0] = weighted_field(world, exits, wt) if len(exits) else np.inf
        for k, e in enumerate(sim.assigned_exits):
            from hyosan.engine.fields import N_FIELDS

            sim.fields[N_FIELDS + k] = weighted_field(world, world.places[e].cells, wt)
        if sim.router is not None:
            shut = world.exit_closed
            for k, cells in sim.router.fields():
                open_cells = cells[~shut[cells]]
                sim.fields[k] = weighted_field(world, open_cells, wt) if len(open_cells) \
                    else np.inf
        if getattr(sim, "social", None) is not None:
            sim.social.refresh(sim, wt)

    def summary(self) -> dict:
        """Counts for ``summary.json``."""
        return {"incapacitated": int(self.down.sum()),
                "max_fed": float(self.fed.max(initial=0.0))}
