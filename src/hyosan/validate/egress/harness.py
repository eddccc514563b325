"""Shared harness of the egress verification cases: build a plan, alarm everyone, step, measure.

Unlike ``hyosan.validate.movement.evacuate`` (everyone walking from t = 0), people here start
in routine with an alarm sounding: each takes up the evacuation once its pre-evacuation time
(``population[].pre_evacuation``) has run out, so the same harness serves the response-time
cases. The door-flow calibration is a named preset (``behaviour.door_flow``); the IMO, NIST and
ISO cases assume 1.33 P/(m·s) (``"imo"``), RiMEA's measured 1.9 is ``"seyfried"``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from hyosan.codes import Alert
from hyosan.engine.simulation import Simulation
from hyosan.population import Mode
from hyosan.scenario.schema import Scenario
from hyosan.states import State
from hyosan.validate.movement import CS, illegal_moves, plan_text
from hyosan.world.floorplan import parse_floorplan
from hyosan.world.world import Place, World

PLANS: dict[str, str] = {}  # "suite/case" -> floor-plan text of the last build (for export)


def build(key: str, floors: list[list[str]], places: dict[str, str],
          stair_length: float = 6.0, legend: dict[str, str] | None = None) -> World:
    """A world from text rows; ``key`` ("nist/corridor") names the plan in ``validation/``."""
    name = key.split("/")[-1]
    text = plan_text(name, floors, places, stair_length, legend)
    PLANS[key] = text
    return parse_floorplan(text, source=f"validation/{key}.yaml")


def name_exits(world: World, names: dict[str, np.ndarray]) -> World:
    """Name groups of exit cells as places (kind "exit") so people can be told to use them."""
    for name, cells in names.items():
        world.places[name] = Place(name, "exit", 0, np.asarray(cells, np.int64))
    world.index_places()
    return world


@dataclass
class Run:
    """What one alarm-and-evacuate run produced, per agent and over time."""

    sim: Simulation
    t_start: np.ndarray  # when each agent left routine (NaN: never)
    t_escape: np.ndarray  # NaN if still inside
    exit_cell: np.ndarray  # -1 if still inside
    violations: int
    extra: dict = field(default_factory=dict)

    @property
    def done(self) -> bool:
        return bool(np.isfinite(self.t_escape).all())


def egress(world: World, spawn: dict[str, int] | list[dict], *, seed: int = 1,
           t_max: float = 300.0, dt: float = 0.2, door_flow: str | float = "imo",
           behaviour: dict | None = None, response: list[dict] | None = None,
           speed: np.ndarray | float | None = None, on_tick=None, check: bool = True,
           stop_when_started: bool = False, hazard: dict | None = None,
           elevators: list[dict] | None = None) -> Run:
    """Everyone alarmed at t = 0 with the plan to evacuate; step until all are out (or all
    have started, with ``stop_when_started``) or ``t_max``.

    ``spawn`` maps places to head counts, or lists scenario ``population`` entries (students
    unless a ``role`` is given); ``response`` lists scenario interventions (``close_exit``);
    ``hazard`` is the scenario's ``hazard`` (smoke sources, ``rules/hazard.py``).
    ``on_tick(sim, prev_cell)`` runs after every tick; with ``check`` every move is checked.
    """
    sc = Scenario.model_validate({
        "name": world.name, "world": {"generator": "grid"},
        "population": ([{"role": "student", **e} for e in spawn] if isinstance(spawn, list)
                       else [{"role": "student", "count": n, "places": [p]}
                             for p, n in spawn.items()]),
        "behaviour": {"on_alert": "evacuate", "door_flow": door_flow, **(behaviour or {})},
        "response": response or [], "hazard": hazard, "elevators": elevators or [],
        "outbreak": {"carrier_fraction": 0.0}, "run": {"dt": dt, "seed": seed}})
    sim = Simulation(sc, seed=seed, world=world)
    p = sim.pop
    premove = p.premove.copy()  # counted down by the engine as people wait
    p.plan[:] = Mode.EVACUATE
    p.alerted[:] = Alert.ALARM  # people leave routine once their pre-evacuation time is over
    if speed is not None:
        p.speed[:] = speed
    t_start = np.full(p.n, np.nan)
    t_esc = np.full(p.n, np.nan)
    exit_cell = np.full(p.n, -1, np.int64)
    bad = 0
    while sim.time_s < t_max - 1e-9 and (p.state != State.ESCAPED).any():
        prev = p.cell.copy()
        was_in = p.state != State.ESCAPED
        sim.step()
        if sim.elevators is not None:  # a ride is no walk: the move checker skips it
            prev[sim.elevators.just_alighted] = p.cell[sim.elevators.just_alighted]
        if check:
            bad += illegal_moves(world, prev, p.cell, p.state, was_in, sim.max_rounds, p.flight)
        began = np.isnan(t_start) & (p.mode != Mode.ROUTINE)
        t_start[began] = sim.time_s - sim.dt  # decided at the start of this tick
        new = was_in & (p.state == State.ESCAPED)
        t_esc[new] = sim.time_s
        exit_cell[new] = p.cell[new]
        if on_tick is not None:
            on_tick(sim, prev)
        if stop_when_started and np.isfinite(t_start).all():
            break
    return Run(sim, t_start, t_esc, exit_cell, bad, {"premove": premove})


def flow(times: np.ndarray, lo: float = 0.1, hi: float = 0.9) -> float:
    """People per second between the ``lo`` and ``hi`` fractions of the events in ``times``."""
    t = np.sort(np.asarray(times, float)[np.isfinite(times)])
    if len(t) < 10:
        return float("nan")
    i, j = int(lo * len(t)), int(hi * len(t)) - 1
    return (j - i) / max(t[j] - t[i], 1e-9)


def corridor(key: str, length_m: float, width_m: float) -> World:
    """A corridor ``length_m`` × ``width_m``: start cells ("start") at the west end, an exit
    column at the east end; the walk from a start cell to the exit is ``length_m``."""
    n, h = int(round(length_m / CS)), int(round(width_m / CS))
    g = [["#"] * (n + 3) for _ in range(h + 2)]
    for r in range(1, h + 1):
        g[r][1] = "a"
        for c in range(2, n + 1):
            g[r][c] = "."
        g[r][n + 1] = "E"
    return build(key, [["".join(r) for r in g]], {"a": "start"})
