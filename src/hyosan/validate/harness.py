"""The harness every movement case uses: small worlds drawn as text plans, a pure evacuation
on the engine, flow measures, and the legality count that every case must keep at zero.

A case draws its building in the project's text floor-plan format (``docs/floorplans.md``;
``build`` keeps the text in ``PLANS`` so that ``export_plans`` can write it to
``validation/rimea/``), runs ``evacuate`` and returns one ``Check`` (``verdict``).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from hyosan.codes import Alert
from hyosan.engine.simulation import Simulation
from hyosan.population import Mode
from hyosan.rules.movement.budget import weidmann as weidmann_ratio
from hyosan.scenario.schema import Scenario
from hyosan.states import HUMAN_STATES, State
from hyosan.validate import Check
from hyosan.world.floorplan import parse_floorplan
from hyosan.world.steps import single_steps, walkable, within_steps
from hyosan.world.world import World

CS = 0.5
PLANS: dict[str, str] = {}  # case name -> floor-plan text of the last build (for export)
#: Weidmann's free walking speed (m/s): his v(ρ) is this times the engine's speed ratio
WEIDMANN_V0 = 1.34
_ratio = np.vectorize(weidmann_ratio, otypes=[float])


def weidmann(rho: np.ndarray | float) -> np.ndarray | float:
    """Weidmann's speed–density relation in m/s: the engine's own ratio v(ρ)/v0 (one
    definition, ``rules.movement.budget.weidmann``) at his free speed of 1.34 m/s."""
    return WEIDMANN_V0 * _ratio(np.asarray(rho, dtype=float))


# ------------------------------------------------------------------------------ building
def plan_text(name: str, floors: list[list[str]], places: dict[str, str],
              stair_length: float = 6.0, legend: dict[str, str] | None = None) -> str:
    """A floor plan in the project's text format; ``places`` maps letters to place names and
    ``legend`` extra characters to legend entries (``"door"``, ``"{kind: door, width: 0.3}"``)."""
    lines = [f"name: {name}", f"cell_size: {CS}", f"stair_length: {stair_length}"]
    if legend:
        lines.append("legend:")
        lines += [f"  {k}: {v}" for k, v in legend.items()]
    lines.append("places:")
    lines += [f"  {k}: {{name: {v}, kind: room}}" for k, v in places.items()]
    lines.append("floors:")
    for rows in floors:
        lines.append("  - |")
        lines += ["    " + r for r in rows]
    return "\n".join(lines) + "\n"


def build(name: str, floors: list[list[str]], places: dict[str, str],
          stair_length: float = 6.0, legend: dict[str, str] | None = None) -> World:
    text = plan_text(name, floors, places, stair_length, legend)
    PLANS[name] = text
    return parse_floorplan(text, source=f"validation/rimea/{name}.yaml")


def box(h: int, w: int, fill: str = ".") -> list[list[str]]:
    """An h × w grid of cells (a list of mutable rows), walled round."""
    g = [["#"] * w for _ in range(h)]
    for r in range(1, h - 1):
        for c in range(1, w - 1):
            g[r][c] = fill
    return g


def rows(g: list[list[str]]) -> list[str]:
    return ["".join(r) for r in g]


def room_with_exits(name: str, h: int, w: int, exits: list[tuple[str, int]]) -> World:
    """A room (``h`` × ``w`` cells inside) with 1 m exits: (side, offset) on 'left'/'right'."""
    g = box(h + 2, w + 2, "a")
    for side, r in exits:
        c = 0 if side == "left" else w + 1
        g[r][c] = g[r + 1][c] = "E"
    return build(name, [rows(g)], {"a": "room"})


def export_plans(folder: Path) -> list[Path]:
    """Write every case's floor plan (as last built) into ``folder`` as YAML files."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for name, text in sorted(PLANS.items()):
        path = folder / f"{name}.yaml"
        path.write_text(text)
        out.append(path)
    return out


# ------------------------------------------------------------------------------ running
@dataclass
class Outcome:
    """What one evacuation produced."""

    sim: Simulation
    t_escape: np.ndarray  # per agent, NaN if still inside
    exit_cell: np.ndarray  # per agent, -1 if still inside
    violations: int
    samples: list = field(default_factory=list)


def evacuate(world: World, spawn: dict[str, int] | list[dict], *, seed: int = 1,
             t_max: float = 300.0, speed: np.ndarray | float | None = None,
             on_tick: Callable[[Simulation, np.ndarray], None] | None = None, dt: float = 0.2,
             check: bool = True, behaviour: dict | None = None,
             timings: dict | None = None) -> Outcome:
    """Everyone walks to the exits from t = 0; steps until all are out or ``t_max``.

    ``spawn`` maps places to head counts, or lists scenario ``population`` entries (students
    unless a ``role`` is given), e.g. with an assigned ``exit``.

    ``on_tick(sim, prev_cell)`` is called after every tick (measurements); with ``check`` every
    move is checked for legality (slow: off for timings). ``behaviour`` adds scenario
    ``behaviour`` keys (``exit_choice``, ``door_flow``, …). ``timings``, if given, receives the
    seconds spent building the simulation (``build_s``) and stepping it (``steps_s``).
    """
    t_build = time.perf_counter()
    sc = Scenario.model_validate({
        "name": world.name, "world": {"generator": "grid"},
        "population": ([{"role": "student", **e} for e in spawn] if isinstance(spawn, list)
                       else [{"role": "student", "count": n, "places": [p]}
                             for p, n in spawn.items()]),
        "behaviour": {"on_alert": "evacuate", **(behaviour or {})},
        "outbreak": {"carrier_fraction": 0.0}, "run": {"dt": dt, "seed": seed}})
    sim = Simulation(sc, seed=seed, world=world)
    p = sim.pop
    p.plan[:] = Mode.EVACUATE
    p.mode[:] = Mode.EVACUATE
    p.alerted[:] = Alert.ALARM
    if speed is not None:
        p.speed[:] = speed
    t_esc = np.full(p.n, np.nan)
    exit_cell = np.full(p.n, -1, np.int64)
    bad = 0
    steps_s = 0.0
    build_s = time.perf_counter() - t_build
    while sim.time_s < t_max - 1e-9 and (p.state != State.ESCAPED).any():
        prev = p.cell.copy()
        was_in = p.state != State.ESCAPED
        t0 = time.perf_counter()
        sim.step()
        steps_s += time.perf_counter() - t0
        if check:
            bad += illegal_moves(world, prev, p.cell, p.state, was_in, sim.max_rounds, p.flight)
        new = was_in & (p.state == State.ESCAPED)
        t_esc[new] = sim.time_s
        exit_cell[new] = p.cell[new]
        if on_tick is not None:
            on_tick(sim, prev)
    if timings is not None:
        timings.update(build_s=build_s, steps_s=steps_s)
    return Outcome(sim, t_esc, exit_cell, bad)


def illegal_moves(world: World, prev: np.ndarray, cell: np.ndarray, state: np.ndarray,
                  was_in: np.ndarray, max_steps: int = 4, flight: np.ndarray | None = None) -> int:
    """Moves that no chain of ``max_steps`` legal steps makes (through a wall, across a wall
    corner, too far: ``world.steps``), plus people sharing a cell. An agent may take several
    steps a tick. People in transit on a stair flight (``flight`` ≥ 0) hold no cell: their
    ``cell`` is the landing they will step onto, so they are left out of the sharing count."""
    walk = walkable(world)
    moved = np.flatnonzero(was_in & (prev != cell))
    near = single_steps(world, prev[moved], cell[moved], walk)
    bad = sum(not within_steps(world, int(prev[i]), int(cell[i]), max_steps, walk)
              for i in moved[~near])  # longer moves: several steps (or stairs) in one tick
    on = np.isin(state, (*HUMAN_STATES, State.ZOMBIE))
    if flight is not None:
        on &= flight < 0
    bad += int(on.sum() - len(np.unique(cell[on])))
    return bad


# ------------------------------------------------------------------------------ measures
def flow(times: np.ndarray, lo: float = 0.1, hi: float = 0.9) -> float:
    """People per second between the ``lo`` and ``hi`` fractions of the escapes."""
    t = np.sort(times[~np.isnan(times)])
    if len(t) < 10:
        return float("nan")
    i, j = int(lo * len(t)), int(hi * len(t)) - 1
    return (j - i) / max(t[j] - t[i], 1e-9)


def verdict(name: str, reference: str, measured: str, tolerance: str, passed: bool,
            bad: int = 0) -> Check:
    """One row of the table; any illegal move fails the case and is said in ``measured``."""
    if bad:
        measured += f"; {bad} illegal moves"
    return Check(name, reference, measured, tolerance, bool(passed) and bad == 0)
