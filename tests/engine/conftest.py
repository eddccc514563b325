"""Small worlds and scenarios built in code for the engine tests."""

from __future__ import annotations

import textwrap

import numpy as np

from hyosan.scenario import parse_scenario
from hyosan.world.floorplan import parse_floorplan


def scenario(text: str):
    """A scenario from inline YAML (dedented)."""
    return parse_scenario(textwrap.dedent(text), source="<test>")


def plan_world(floors: list[str], places: dict[str, tuple[str, str]] | None = None,
               stair_length: float = 6.0):
    """A world from floor blocks (lists of rows joined) and place letters {char: (name, kind)}."""
    lines = ["name: test", f"stair_length: {stair_length}", "places:"]
    for ch, (name, kind) in (places or {}).items():
        lines.append(f"  {ch}: {{name: {name!r}, kind: {kind}}}")
    if not places:
        lines[-1] = "places: {}"
    lines.append("floors:")
    for f in floors:
        lines.append("  - |")
        lines.extend("    " + row for row in textwrap.dedent(f).strip("\n").splitlines())
    return parse_floorplan("\n".join(lines) + "\n", source="<test plan>")


def corridor(length: int = 100, width: int = 4):
    """A walled corridor (cells), start place `a` at the west end, an exit `E` at the east."""
    rows = ["#" * (length + 3)]
    for r in range(width):
        rows.append("#a" + "." * length + ("E" if r == width // 2 else "#"))
    rows.append("#" * (length + 3))
    return plan_world(["\n".join(rows)], {"a": ("start", "room")})


EVACUATE_ONE = """
name: lone walker
world: {{generator: floorplan, floorplan: unused}}
population:
  - {{role: student, count: {count}, places: [start], group_by_place: false}}
behaviour:
  on_alert: evacuate
  roles:
    student: {{speed_mean: {speed} m/s, speed_sd: 0 m/s, speed_min: 0.1 m/s, speed_max: 5 m/s}}
response:
  - {{action: evacuate, at: 0 s, target: exits}}
run: {{dt: 0.2 s, duration: {duration} s, frames_every: 0 s, seed: 3}}
"""


def two_way_stair():
    """Two floors, each a room → 2 m corridor → 1 m stair; an exit in each room's far corner.
    People in the ground-floor room leave by the upper exit and the other way round."""
    from hyosan.validate import movement as mv
    from hyosan.world.world import Place

    floors = []
    for letter in "ab":
        f = mv.box(22, 44, "#")
        for r in range(1, 21):
            for c in range(1, 21):
                f[r][c] = letter
        for r in range(9, 13):
            f[r][21] = "D"
            for c in range(22, 42):
                f[r][c] = "."
        f[10][42] = f[11][42] = "S"
        f[1][1] = f[2][1] = "E"
        floors.append(mv.rows(f))
    world = mv.build("two_way_stair", floors, {"a": "low", "b": "high"})
    ex = world.exits()
    lv = world.rowcol(ex)[0]
    world.places["exit low"] = Place("exit low", "exit", 0, ex[lv == 0])
    world.places["exit high"] = Place("exit high", "exit", 1, ex[lv == 1])
    world.index_places()
    return world


def loose_structs(**values):
    """The kernels' named state (``engine/state.py``: agents, grid, ways, scratch, params) for
    calling one kernel on hand-made arrays: each field takes its value from ``values`` by
    name, every other field a one-element stand-in (which the kernel under test must not
    read). Returns ``(ag, gr, wy, sc, pm)``."""
    from hyosan.engine import state as st

    def one(struct, names, stand_in):
        return st.build(struct, **{f: values.get(f, stand_in) for f in names})

    dummy = np.zeros(1, np.int64)
    return (one(st.Agents, st.AGENTS, dummy), one(st.Grid, st.GRID, dummy),
            one(st.Ways, st.WAYS, dummy), one(st.Scratch, st.SCRATCH, dummy),
            one(st.Params, st.PARAMS, 0.0))
