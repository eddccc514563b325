"""Counterflow: two crowds crossing in a corridor form lanes and get through, carrying less
than a one-way stream."""

from __future__ import annotations

import numpy as np

from hyosan.states import State
from hyosan.validate import Check
from hyosan.validate.harness import CS, box, build, evacuate, rows, verdict
from hyosan.world.world import Place, World


def crossing_rows(rw: int, cl: int, h: int, ch: int, exit_cells: int) -> list[str]:
    """The text rows of two rooms ``rw`` × ``h`` cells (letters ``a`` west, ``b`` east) joined
    by a corridor ``cl`` long and ``ch`` high, each with an exit ``exit_cells`` high in the
    middle of its far wall."""
    W = 2 * rw + cl
    g = box(h + 2, W + 4, "#")
    r0 = 1 + (h - ch) // 2
    for r in range(1, h + 1):
        for c in range(rw):
            g[r][2 + c] = "a"
            g[r][2 + rw + cl + c] = "b"
    for r in range(r0, r0 + ch):
        for c in range(cl):
            g[r][2 + rw + c] = "."
    mid_r = 1 + h // 2
    for r in range(mid_r - exit_cells // 2, mid_r + (exit_cells + 1) // 2):
        g[r][1] = "E"
        g[r][W + 2] = "E"
    return rows(g)


CROSSING_PLACES = {"a": "west room", "b": "east room"}


def name_crossing_exits(world: World) -> World:
    """Name the crossing's exits "exit west" and "exit east" (places of kind exit)."""
    ex = world.exits()
    col = world.rowcol(ex)[2]
    world.places["exit west"] = Place("exit west", "exit", 0, ex[col == 1])
    world.places["exit east"] = Place("exit east", "exit", 0, ex[col > 1])
    world.index_places()
    return world


def crossing_world(name: str, rw: int, cl: int, h: int, ch: int, exit_cells: int) -> World:
    """The two-room crossing of ``crossing_rows`` as a world, rooms "west room" and "east room",
    exits "exit west" and "exit east"."""
    return name_crossing_exits(build(name, [crossing_rows(rw, cl, h, ch, exit_cells)],
                                     CROSSING_PLACES))


def counterflow_run(full: bool, lanes: float | None = None, seed: int = 1,
                    behaviour: dict | None = None, oneway: bool = False) -> dict:
    """Two crowds cross in a corridor 3 m × 20 m, each from its room to the far room's exit.

    Returns the lane order ``phi``, the time until everyone is out and ``js``, the specific
    flow over the corridor's middle (both directions, 10 % to 90 % of the crossings). ``phi``
    counts, for each lane (row of cells) of the corridor's middle, the crossings in that lane's
    main direction over all its crossings, summed over lanes: 1 when every lane carries one
    direction, about 0.5 to 0.6 when the two streams are mixed. The exits are as wide as the
    corridor, so the corridor, not an exit, sets the flow. ``lanes`` overrides
    ``behaviour.lanes``; ``behaviour`` adds other scenario ``behaviour`` keys; ``oneway`` sends
    both crowds from the west room east (a one-way stream through the same corridor).
    """
    rw, cl, h, ch = 12, 40, 16, 6  # room width, corridor length, room and corridor height
    world = crossing_world("counterflow", rw, cl, h, ch, ch)  # exits as wide as the corridor
    r0 = 1 + (h - ch) // 2
    n = 100 if full else 60
    behaviour = dict(behaviour or {})
    if lanes is not None:
        behaviour["lanes"] = lanes
    gate_c = 2 + rw + cl // 2
    east = np.zeros(ch, np.int64)
    west = np.zeros(ch, np.int64)
    times: list[float] = []

    def crossings(sim, prev):
        p = sim.pop
        pc = world.rowcol(prev)[2]
        on = p.state != State.ESCAPED
        e = on & (pc < gate_c) & (p.col >= gate_c)
        wst = on & (pc >= gate_c) & (p.col < gate_c)
        np.add.at(east, p.row[e] - r0, 1)
        np.add.at(west, p.row[wst] - r0, 1)
        times.extend([sim.time_s] * int(e.sum() + wst.sum()))

    second = ({"count": n, "places": ["west room"], "exit": "exit east"} if oneway else
              {"count": n, "places": ["east room"], "exit": "exit west"})
    out = evacuate(world, [{"count": n, "places": ["west room"], "exit": "exit east"}, second],
                   seed=seed, t_max=600, on_tick=crossings, behaviour=behaviour)
    phi = float(np.maximum(east, west).sum() / max((east + west).sum(), 1))
    done = bool(np.isfinite(out.t_escape).all())
    t = np.sort(times)
    i, j = int(0.1 * len(t)), max(int(0.9 * len(t)) - 1, 0)
    js = (j - i) / (t[j] - t[i]) / (ch * CS) if len(t) > 10 and t[j] > t[i] else 0.0
    return {"phi": phi, "js": float(js),
            "t": float(np.nanmax(out.t_escape)) if done else float(out.sim.time_s),
            "done": done, "violations": out.violations, "t50": float(np.nanmedian(out.t_escape)),
            "east": east.tolist(), "west": west.tolist()}


#: the peak specific flow of a one-way corridor stream (Weidmann 1993: 1.2–1.3 P/(m·s));
#: counterflow carries less (Zhang et al. 2012: "the maximum of the specific flow in
#: unidirectional streams is significantly larger than that in all bidirectional streams")
COUNTERFLOW_JS = 1.3


def counterflow(full: bool) -> Check:
    """Lanes form in counterflow with the trail field, and not (or far less) without it."""
    seeds = (1,) if full else (1, 2, 3)  # the reduced case is cheap: judge the mean of three
    on = [counterflow_run(full, seed=s) for s in seeds]
    off = [counterflow_run(full, lanes=0.0, seed=s) for s in seeds]
    phi_on = float(np.mean([r["phi"] for r in on]))
    phi_off = float(np.mean([r["phi"] for r in off]))
    done = all(r["done"] for r in on)
    t = max(r["t"] for r in on)
    js = float(np.mean([r["js"] for r in on]))
    out = f"all out within {t:.0f} s" if done else f"not all out in {t:.0f} s"
    return verdict("counterflow lanes", "two crowds crossing in a 3 m corridor form lanes "
                   "and get through (Kretz et al. 2006), slower than a one-way stream "
                   "(Zhang et al. 2012)",
                   f"lane order {phi_on:.2f} (without the trail {phi_off:.2f}); {out}; "
                   f"corridor {js:.2f} P/(m·s)",
                   f"everyone out; order ≥ 0.1 above no trail; corridor ≤ {COUNTERFLOW_JS} "
                   "P/(m·s)", done and phi_on >= phi_off + 0.1 and js <= COUNTERFLOW_JS,
                   sum(r["violations"] for r in on + off))
