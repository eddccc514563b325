"""Movement you can trust: RiMEA test cases, the fundamental diagram, bottleneck flow, stairs.

The suite ``hyosan validate movement`` runs. Its parts: ``harness`` (world building,
``evacuate``, flow measures, the legality count over ``world.steps``), ``rimea/`` (the RiMEA
cases: ``speeds``, ``crowds``), ``counterflow``, ``bottleneck`` and ``plots``. The names other
code uses are re-exported here.

Each case draws its building in the project's text floor-plan format (``docs/floorplans.md``;
``export_plans`` writes them to ``validation/rimea/``), runs a pure evacuation on the engine and
checks one criterion from the RiMEA guideline or the crowd literature. ``run(full, out_dir)``
runs them all (reduced sizes by default, the guideline's sizes with ``full``) and returns one
``Check`` per case; every case also counts illegal moves (through a wall, across a wall corner,
more than one cell, two people on one cell), which must be zero.

Changes to the movement model these cases led to (``hyosan/rules/movement/``), measured with
``hyosan validate movement`` (before → after):

* Lone walkers zig-zagged: the exit field ties a diagonal and a straight step, and a diagonal
  costs √2 the budget. Moves are now ranked by gain per metre. RiMEA 1: 39.2 s → 30.6 s (26–34).
* Speed falls with the density *ahead* (Weidmann's v(ρ), on the walkable cells of the 8 round an
  agent that are closer to its goal). Corridor speeds at 1 / 2 / 3 P/m²: 1.34 / 1.28 / 1.09 m/s
  → 1.03 / 0.72 / 0.34 m/s (Weidmann 1.09 / 0.65 / 0.31). Counting the whole window instead
  halved bottleneck flows (0.8 P/(m·s)): people leaving a door look at the free space ahead.
  Bottleneck specific flow 3.6 → 1.7–1.9 P/(m·s) (Seyfried et al. 2009: about 1.9).
* Running fades to walking at ``behaviour.run_fade_density`` (1.7 P/m²).
* Stairs: separate factors up (0.45) and down (0.55) of the walking speed for a flight:
  0.60 and 0.74 m/s at 1.34 m/s (up 0.5–0.65, down 0.65–0.8).
* Exits swallowed everyone who reached them in a tick (3.2 P/s through a 1 m exit in RiMEA 9;
  empirical ≈ 1.9). An exit cell is now a doorway: it holds its walker until they have the
  budget for one more cell, then they have escaped (``leave_exits``); nobody slows for the
  people stepping out. RiMEA 9 (reduced): 24 s → 40 s with four exits.
* Waiting in a queue (someone on a cell ahead) no longer counts as stuck, so people in a long
  queue do not give up the exit and go and hide (RiMEA 8 and 13 left people behind).
* Someone standing in an exit was slowed by the crowd behind them (with no cell "ahead", the
  density fell back to all 8 neighbours). Without it a doorway passed whoever stood behind it
  at walking pace, 3 P/(m·s), so doorways (door and exit cells) now admit at most
  ``behaviour.door_flow`` (1.9 P/s per metre of clear width): RiMEA 9 exits 1.55 → 1.9 P/s.
* Route choice weighing queues (``behaviour.exit_choice: queue``, ``engine/route.py``): RiMEA 11.

The floor plans in ``validation/rimea/`` are the reduced sizes (``export_plans``).

Door widths finer than a cell: a cell may have a clear width below the cell size
(``World.clear``, legend ``{kind: floor, width: 0.3}``) and is then stepped into at
``cell_size / clear`` the cost, so a lane of clear width c carries c / cell_size of a full lane's
flow. The bottleneck series draws 0.8–2.4 m passages as whole cells plus one narrow lane.

Later changes: doorways and stair flights as gated ways (``movement/ways.py``: one gate per
doorway, climbers in transit on a flight), RiMEA 12 drawn as the guideline draws it, and
counterflow (passing, a directional trail, the oncoming counting part of a person ahead).
Results and known limits: ``docs/movement.md``.
"""

from __future__ import annotations

from pathlib import Path

from hyosan.validate import Check
from hyosan.validate.bottleneck import (
    BOTTLENECK_WIDTHS,
    LONG,
    SHORT,
    bottleneck,
    bottleneck_world,
)
from hyosan.validate.counterflow import (
    COUNTERFLOW_JS,
    counterflow,
    counterflow_run,
    crossing_world,
)
from hyosan.validate.harness import (
    CS,
    PLANS,
    WEIDMANN_V0,
    Outcome,
    box,
    build,
    evacuate,
    export_plans,
    flow,
    illegal_moves,
    plan_text,
    room_with_exits,
    rows,
    verdict,
    weidmann,
)
from hyosan.validate.rimea import (
    AGE_BANDS,
    fundamental_diagram,
    rimea1,
    rimea2_3,
    rimea6,
    rimea7,
    rimea8,
    rimea9,
    rimea10,
    rimea11,
    rimea12,
    rimea13,
    stairs_world,
)

_flow = flow  # the name tests/engine use

__all__ = [
    "AGE_BANDS", "BOTTLENECK_WIDTHS", "COUNTERFLOW_JS", "CS", "LONG", "PLANS", "SHORT",
    "WEIDMANN_V0", "Outcome", "bottleneck", "bottleneck_world", "box", "build", "counterflow",
    "counterflow_run", "crossing_world", "evacuate", "export_plans", "flow", "fundamental_diagram",
    "illegal_moves", "plan_text", "rimea1", "rimea2_3", "rimea6", "rimea7", "rimea8", "rimea9",
    "rimea10", "rimea11", "rimea12", "rimea13", "room_with_exits", "rows", "run", "stairs_world",
    "verdict", "weidmann",
]


def run(full: bool = False, out_dir: Path | None = None) -> list[Check]:
    """Every case; reduced sizes unless ``full``. Writes PNGs into ``out_dir`` if given."""
    checks = [rimea1(full), *rimea2_3(full), fundamental_diagram(full, out_dir), rimea6(full),
              rimea7(full), rimea8(full, out_dir), rimea9(full), rimea10(full), rimea11(full),
              rimea12(full), rimea13(full), counterflow(full)]
    checks += bottleneck(full, out_dir, with_long=full)
    from hyosan.validate.egress import measure

    if measure.available():  # the same density and speed measured by PedPy, beside our own
        from hyosan.validate.rimea.speeds import fundamental_diagram_pedpy

        checks.append(fundamental_diagram_pedpy(full))
    return checks
