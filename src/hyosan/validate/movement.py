"""Movement you can trust: RiMEA test cases, the fundamental diagram, bottleneck flow, stairs.

Each case draws its building in the project's text floor-plan format (``docs/floorplans.md``;
``export_plans`` writes them to ``validation/rimea/``), runs a pure evacuation on the engine and
checks one criterion from the RiMEA guideline or the crowd literature. ``run(full, out_dir)``
runs them all (reduced sizes by default, the guideline's sizes with ``full``) and returns one
``Check`` per case; every case also counts illegal moves (through a wall, across a wall corner,
more than one cell, two people on one cell), which must be zero.

Changes to the movement model these cases led to (``hyosan/engine/move.py``), measured with
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

Later changes: doorways and stair flights as gated ways (``engine/ways.py``: one gate per
doorway, climbers in transit on a flight), RiMEA 12 drawn as the guideline draws it, and
counterflow (passing, a directional trail, the oncoming counting part of a person ahead).
Results and known limits: ``docs/movement.md``.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from hyosan.engine.simulation import N_FIELDS, Simulation
from hyosan.population import Mode
from hyosan.scenario.schema import Scenario
from hyosan.states import State
from hyosan.validate import Check
from hyosan.world.cells import Cell
from hyosan.world.floorplan import parse_floorplan
from hyosan.world.world import Place, World

CS = 0.5
PLANS: dict[str, str] = {}  # case name -> floor-plan text of the last build (for export)


def weidmann(rho: np.ndarray | float) -> np.ndarray | float:
    """Weidmann's speed–density relation in m/s."""
    rho = np.maximum(np.asarray(rho, dtype=float), 1e-9)
    return 1.34 * (1.0 - np.exp(-1.913 * (1.0 / rho - 1.0 / 5.4)))


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


@dataclass
class Outcome:
    """What one evacuation produced."""

    sim: Simulation
    t_escape: np.ndarray  # per agent, NaN if still inside
    exit_cell: np.ndarray  # per agent, -1 if still inside
    violations: int
    samples: list = field(default_factory=list)


def evacuate(world: World, spawn: dict[str, int] | list[dict], *, seed: int = 1,
             t_max: float = 300.0,
             speed: np.ndarray | float | None = None, on_tick=None, dt: float = 0.2,
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
    p.alerted[:] = 2
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


def _steps(world: World, a: int, walk: np.ndarray) -> list[int]:
    """Cells one legal step from ``a``: 8 planar neighbours (no corner cutting) and stairs."""
    lv, r, c = (int(x) for x in world.rowcol(a))
    L = world.levels[lv]
    out = [int(x) for x in (world.up[a], world.down[a]) if x >= 0]

    def at(rr, cc):
        return L.offset + rr * L.width + cc if 0 <= rr < L.height and 0 <= cc < L.width else -1

    for dr in (-1, 0, 1):
        for dc in (-1, 0, 1):
            b = at(r + dr, c + dc)
            if (dr or dc) and b >= 0 and walk[b]:
                if dr and dc and not (walk[at(r + dr, c)] and walk[at(r, c + dc)]):
                    continue
                out.append(b)
    return out


def illegal_moves(world: World, prev: np.ndarray, cell: np.ndarray, state: np.ndarray,
                  was_in: np.ndarray, max_steps: int = 4, flight: np.ndarray | None = None) -> int:
    """Moves that no chain of ``max_steps`` legal steps makes (through a wall, across a wall
    corner, too far), plus people sharing a cell. An agent may take several steps a tick.
    People in transit on a stair flight (``flight`` ≥ 0) hold no cell: their ``cell`` is the
    landing they will step onto, so they are left out of the sharing count."""
    walk = np.isin(world.kind, (Cell.FLOOR, Cell.DOOR, Cell.STAIRS, Cell.EXIT, Cell.GROUND))
    moved = np.flatnonzero(was_in & (prev != cell))
    la, ra, ca = world.rowcol(prev[moved])
    lb, rb, cb = world.rowcol(cell[moved])
    near = (la == lb) & (np.abs(ra - rb) <= 1) & (np.abs(ca - cb) <= 1) & walk[cell[moved]]
    corner = near & (ra != rb) & (ca != cb)
    if corner.any():  # a diagonal step must not cut a wall corner
        off = np.array([lv.offset for lv in world.levels])[la]
        wid = np.array([lv.width for lv in world.levels])[la]
        ok = walk[off + ra * wid + cb] & walk[off + rb * wid + ca]
        near &= ~corner | ok
    bad = 0
    for i in moved[~near]:  # longer moves: several steps (or stairs) in one tick
        a, b = int(prev[i]), int(cell[i])
        front = {a}
        for _ in range(max_steps):
            front = {y for x in front for y in _steps(world, x, walk)}
            if b in front:
                break
        else:
            bad += 1
    on = np.isin(state, (State.SUSCEPTIBLE, State.INFECTED, State.CARRIER, State.ZOMBIE))
    if flight is not None:
        on &= flight < 0
    bad += int(on.sum() - len(np.unique(cell[on])))
    return bad


def _flow(times: np.ndarray, lo: float = 0.1, hi: float = 0.9) -> float:
    """People per second between the ``lo`` and ``hi`` fractions of the escapes."""
    t = np.sort(times[~np.isnan(times)])
    if len(t) < 10:
        return float("nan")
    i, j = int(lo * len(t)), int(hi * len(t)) - 1
    return (j - i) / max(t[j] - t[i], 1e-9)


def _check(name, reference, measured, tolerance, passed, bad=0) -> Check:
    if bad:
        measured += f"; {bad} illegal moves"
    return Check(name, reference, measured, tolerance, bool(passed) and bad == 0)


# ------------------------------------------------------------------------------ cases
def rimea1(full: bool) -> Check:
    """One person walks a 2 m × 40 m corridor at 1.33 m/s."""
    g = box(6, 83)
    for r in range(1, 5):
        g[r][1] = "a"
        g[r][81] = "E"
    out = evacuate(build("rimea01_corridor", [rows(g)], {"a": "start"}), {"start": 1},
                   speed=1.33, t_max=60)
    t = out.t_escape[0]
    return _check("RiMEA 1 corridor", "40 m at 1.33 m/s: 30 s", f"{t:.1f} s", "26–34 s",
                  26 <= t <= 34, out.violations)


def stairs_world(up: bool, length: float = 10.0) -> World:
    """Two floors joined by a 2 m wide flight ``length`` m long (on the slope)."""
    f0, f1 = box(6, 5), box(6, 5)
    for r in range(1, 5):
        f0[r][2] = f1[r][2] = "S"
        (f0 if up else f1)[r][1] = "a"
        (f1 if up else f0)[r][3] = "E"
    name = "rimea02_stairs_up" if up else "rimea03_stairs_down"
    return build(name, [rows(f0), rows(f1)], {"a": "start"}, stair_length=length)


def rimea2_3(full: bool) -> list[Check]:
    checks = []
    v = 1.34
    for up in (True, False):
        w = stairs_world(up)
        out = evacuate(w, {"start": 1}, speed=v, t_max=60)
        sc = out.sim.scenario.behaviour
        f = sc.stairs_up_factor if up else sc.stairs_down_factor
        # one stair cell (paid at stairs_speed_factor) and one floor step besides the flight
        flat = CS / sc.stairs_speed_factor / v + CS / v
        expected = 10.0 / (v * f) + flat
        t = out.t_escape[0]
        vs = v * f
        band = (0.5, 0.65) if up else (0.65, 0.8)
        ok = abs(t - expected) <= 0.05 * expected and band[0] <= vs <= band[1]
        checks.append(_check(
            f"RiMEA {2 if up else 3} stairs {'up' if up else 'down'}",
            f"10 m at {vs:.2f} m/s ({band[0]}–{band[1]}): {expected:.1f} s",
            f"{t:.1f} s", "±5 %", ok, out.violations))
    return checks


def fundamental_diagram(full: bool, out_dir: Path | None) -> Check:
    """RiMEA 4: a corridor filled at a given density; speed in a measuring area vs Weidmann."""
    dens = [0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 3.5] if full else [0.5, 1.5, 2.5, 3.5]
    length = 120 if full else 80  # cells
    width = 8
    meas = []
    bad = 0
    for rho in dens:
        g = box(width + 2, length + 3, "a")
        for r in range(1, width + 1):
            g[r][length + 1] = "."
            g[r][length + 2] = "E"
        w = build("rimea04_corridor", [rows(g)], {"a": "corridor"})
        n = int(round(rho * length * width * CS * CS))
        c0, c1 = length // 2 - 12, length // 2 - 4  # a 4 m measuring area, mid-corridor
        area = (c1 - c0) * width * CS * CS
        d_s, v_s = [], []

        def sample(sim, prev, c0=c0, c1=c1, area=area, d_s=d_s, v_s=v_s):
            if sim.time_s <= 2.0:
                return
            p = sim.pop
            lv, r, c = sim.world.rowcol(prev)
            inside = (c >= c0) & (c < c1) & (p.state != State.ESCAPED)
            d_s.append(inside.sum() / area)
            if inside.any():
                v_s.append(float(((p.col[inside] - c[inside]) * CS / sim.dt).mean()))

        out = evacuate(w, {"corridor": n}, speed=1.34, t_max=12.0 if full else 8.0,
                       on_tick=sample, seed=1)
        bad += out.violations
        meas.append((float(np.mean(d_s)), float(np.mean(v_s))))
    m = np.array(meas)
    err = np.abs(m[:, 1] - weidmann(m[:, 0]))
    if out_dir is not None:
        _plot_fd(m, Path(out_dir) / "fundamental_diagram.png")
    return _check("RiMEA 4 fundamental diagram", "Weidmann v(ρ), 0.5–3.5 P/m²",
                  "; ".join(f"{d:.1f}:{v:.2f}" for d, v in m) + f" (max err {err.max():.2f} m/s)",
                  "|v − v_W| ≤ 0.15 m/s", err.max() <= 0.15, bad)


def _plot_fd(m: np.ndarray, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    path.parent.mkdir(parents=True, exist_ok=True)
    r = np.linspace(0.2, 5.3, 200)
    fig, ax = plt.subplots(1, 2, figsize=(9, 3.6))
    ax[0].plot(r, weidmann(r), "k-", label="Weidmann")
    ax[0].plot(m[:, 0], m[:, 1], "o", color="C3", label="Hyosan")
    ax[0].set(xlabel="density (P/m²)", ylabel="speed (m/s)")
    ax[1].plot(r, r * weidmann(r), "k-", label="Weidmann")
    ax[1].plot(m[:, 0], m[:, 0] * m[:, 1], "o", color="C3", label="Hyosan")
    ax[1].set(xlabel="density (P/m²)", ylabel="specific flow (P/(m·s))")
    ax[0].legend()
    fig.suptitle("RiMEA 4: fundamental diagram")
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def rimea6(full: bool) -> Check:
    """20 people round a left corner in a 2 m corridor: nobody crosses a wall."""
    g = box(30, 30, "#")
    for r in range(24, 28):
        for c in range(1, 28):
            g[r][c] = "a" if c < 13 else "."
    for r in range(1, 24):
        for c in range(24, 28):
            g[r][c] = "."
    for c in range(24, 28):
        g[0][c] = "E"
    out = evacuate(build("rimea06_corner", [rows(g)], {"a": "start"}), {"start": 20},
                   t_max=120)
    n_out = int(np.isfinite(out.t_escape).sum())
    return _check("RiMEA 6 corner", "no wall crossed", f"{out.violations} crossings, "
                  f"{n_out}/20 out", "0 crossings, all out", n_out == 20, out.violations)


#: (age band, speed band m/s): after Weidmann's walking speed by age (RiMEA 7)
AGE_BANDS = [("20–29", 1.30, 1.60), ("30–39", 1.25, 1.55), ("40–49", 1.20, 1.50),
             ("50–59", 1.10, 1.40), ("60–69", 0.95, 1.25), ("70–80", 0.75, 1.05)]


def rimea7(full: bool, seed: int = 7) -> Check:
    """50 adults with speeds by age band, each walking alone: every free speed in its band."""
    n = 50
    g = box(2 * n + 1, 44)
    for k in range(n):
        g[1 + 2 * k][1] = "a"
    for r in range(1, 2 * n):
        g[r][42] = "E"
    w = build("rimea07_ages", [rows(g)], {"a": "start"})
    rng = np.random.default_rng(seed)
    band = np.arange(n) % len(AGE_BANDS)
    lo = np.array([AGE_BANDS[b][1] for b in band])
    hi = np.array([AGE_BANDS[b][2] for b in band])
    v = rng.uniform(lo, hi)
    start = {}

    def sample(sim, prev):
        if sim.tick == 10:
            start["col"] = sim.pop.col.copy()

    out = evacuate(w, {"start": n}, speed=v, on_tick=sample, t_max=60)
    assigned = out.sim.pop.speed.astype(float)  # spawn order is not agent order: read back
    a_band = np.array([np.argmin(np.abs(assigned[i] - v)) for i in range(n)])
    lo, hi = lo[a_band], hi[a_band]
    meas = (43 - start["col"]) * CS / (out.t_escape - 2.0)  # through the exit cell and out
    ok = (meas >= lo * 0.97) & (meas <= hi * 1.03) & (np.abs(meas / assigned - 1) <= 0.03)
    return _check("RiMEA 7 age speeds", "each free speed in its age band",
                  f"{int(ok.sum())}/{n} in band; worst {np.abs(meas / assigned - 1).max():.1%}",
                  "all, within 3 %", ok.all(), out.violations)


def rimea8(full: bool, out_dir: str | Path | None = None) -> Check:
    """Three storeys of rooms off a corridor, 4 people per room, one stair to the exit.

    With ``out_dir`` the per-floor curves (people still on each floor over time) go to
    ``rimea8_floors.png``."""
    nroom = 4 if full else 2
    floors = []
    places = {}
    letters = "abcdefghijkl"
    w = 2 + nroom * 9 + 3
    for f in range(3):
        g = box(13, w)
        for k in range(nroom):
            c0 = 1 + 9 * k
            for r in range(1, 9):
                for c in range(c0, c0 + 8):
                    g[r][c] = letters[f * 4 + k]
            for c in range(c0 + 8, c0 + 9):
                for r in range(1, 9):
                    g[r][c] = "#"
            g[9][c0 + 3] = "D"
            g[9][c0 + 4] = "D"
            places[letters[f * 4 + k]] = f"room_{f}_{k}"
        for k in range(nroom * 9 + 1, w - 1):
            for r in range(1, 9):
                g[r][k] = "#"
        for c in range(1, w - 1):
            g[9][c] = g[9][c] if g[9][c] == "D" else "#"
            g[10][c] = g[11][c] = "."
        g[10][w - 2] = g[11][w - 2] = "S"
        if f == 0:
            g[10][0] = g[11][0] = "E"
        floors.append(rows(g))
    world = build("rimea08_three_storeys", floors, places)
    curves = []

    def sample(sim, prev):
        p = sim.pop
        on = p.state != State.ESCAPED
        curves.append([sim.time_s] + [int((on & (p.level == k)).sum()) for k in range(3)])

    out = evacuate(world, {name: 4 for name in places.values()}, t_max=900, on_tick=sample)
    n = out.sim.n
    t = np.nanmax(out.t_escape)
    done = int(np.isfinite(out.t_escape).sum())
    cur = np.array(curves)
    floor_t = [float(cur[np.argmax(cur[:, k + 1] == 0), 0]) for k in range(3)]
    if out_dir is not None:
        _plot_floors(cur, Path(out_dir) / "rimea8_floors.png")
    return _check("RiMEA 8 three storeys", f"{n} people, 4 per room, report times",
                  f"all out {t:.0f} s; floors clear at " + ", ".join(f"{x:.0f}" for x in floor_t)
                  + " s", "all out", done == n, out.violations)


def _plot_floors(cur: np.ndarray, path: Path) -> None:
    """RiMEA 8's per-floor curves: people on each floor (and in all) against time."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    path.parent.mkdir(parents=True, exist_ok=True)
    fig, ax = plt.subplots(figsize=(6, 3.6))
    for k in range(cur.shape[1] - 1):
        ax.plot(cur[:, 0], cur[:, k + 1], label=("ground floor" if k == 0 else f"floor {k}"))
    ax.plot(cur[:, 0], cur[:, 1:].sum(axis=1), "k--", label="in the building")
    ax.set(xlabel="time (s)", ylabel="people", title="RiMEA 8: people on each floor")
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def room_with_exits(name: str, h: int, w: int, exits: list[tuple[str, int]]) -> World:
    """A room (``h`` × ``w`` cells inside) with 1 m exits: (side, offset) on 'left'/'right'."""
    g = box(h + 2, w + 2, "a")
    for side, r in exits:
        c = 0 if side == "left" else w + 1
        g[r][c] = g[r + 1][c] = "E"
    return build(name, [rows(g)], {"a": "room"})


def rimea9(full: bool) -> Check:
    """A 30 m × 20 m room with 1,000 people and four 1 m exits, then two of them shut."""
    h, w, n = (40, 60, 1000) if full else (20, 30, 250)
    four = [("left", 2), ("left", h - 2), ("right", 2), ("right", h - 2)]
    times = []
    bad = 0
    for exits in (four, four[:2]):
        world = room_with_exits(f"rimea09_{len(exits)}_exits", h, w, exits)
        out = evacuate(world, {"room": n}, t_max=1200, seed=9)
        bad += out.violations
        times.append(np.nanmax(out.t_escape) if np.isfinite(out.t_escape).all() else np.inf)
    ratio = times[1] / times[0]
    return _check("RiMEA 9 exits shut", f"{n} people; 4 exits → 2: time ≈ ×2",
                  f"{times[0]:.0f} s → {times[1]:.0f} s (×{ratio:.2f})", "×1.6–2.4",
                  1.6 <= ratio <= 2.4, bad)


def rimea10(full: bool) -> Check:
    """12 rooms off a corridor, 23 people told which exit to use: all use theirs (RiMEA 10)."""
    rw, cw, n_side = 10, 4, 6  # 5 m rooms, 2 m corridor
    W = n_side * (rw + 1) + 1
    g = box(2 * (rw + 1) + cw + 1, W + 2, "#")
    letters = "abcdefghijkl"
    top, bottom = 1, rw + 1 + cw + 1
    for k in range(n_side):
        c0 = 1 + k * (rw + 1) + 1
        for r in range(rw):
            for c in range(rw):
                g[top + r][c0 + c] = letters[k]
                g[bottom + r][c0 + c] = letters[n_side + k]
        g[top + rw][c0 + rw // 2] = "D"
        g[bottom - 1][c0 + rw // 2] = "D"
    for r in range(top + rw + 1, bottom - 1):
        for c in range(1, W + 1):
            g[r][c] = "."
    mid = top + rw + 1 + cw // 2
    g[mid][0] = g[mid - 1][0] = "E"
    g[mid][W + 1] = g[mid - 1][W + 1] = "E"
    names = {ch: f"room {k + 1}" for k, ch in enumerate(letters)}
    world = build("rimea10_assigned_exits", [rows(g)], names)
    ex = world.exits()
    col = world.rowcol(ex)[2]
    world.places["exit west"] = Place("exit west", "exit", 0, ex[col == 0])
    world.places["exit east"] = Place("exit east", "exit", 0, ex[col > 0])
    world.index_places()
    # north rooms use the east exit, south rooms the west one; 23 people (one room has one)
    spawn = [{"count": 1 if k == 11 else 2, "places": [names[ch]],
              "exit": "exit east" if k < n_side else "exit west"}
             for k, ch in enumerate(letters)]
    out = evacuate(world, spawn, seed=10, t_max=300)
    sim, p = out.sim, out.sim.pop
    wanted = [set(world.places[sim.assigned_exits[f - N_FIELDS]].cells.tolist())
              for f in p.exit_field]
    used = sum(int(p.cell[i] in wanted[i]) for i in range(p.n) if p.state[i] == State.ESCAPED)
    return _check("RiMEA 10 assigned exits", f"{p.n} people, exits assigned per room",
                  f"{used}/{p.n} left by their exit", "100 %", used == p.n == 23,
                  out.violations)


def rimea11(full: bool) -> Check:
    """A room filled near one of its two exits: most leave by it, some walk to the other.

    The room is 30 m × 20 m (reduced: 15 m × 10 m) with a 1 m exit in the middle of each end
    wall; everyone starts in the half next to the west exit, so it is the nearest exit for all.
    With ``exit_choice: queue`` people weigh the queue there against the walk to the east exit.
    The same start with ``nearest`` is run beside it for the evacuation time it would take.
    """
    h, w, n = (40, 60, 1000) if full else (20, 30, 250)
    g = box(h + 2, w + 2, ".")
    for r in range(1, h + 1):
        for c in range(1, w // 2 + 1):
            g[r][c] = "a"
    mid = h // 2
    g[mid][0] = g[mid + 1][0] = "E"
    g[mid][w + 1] = g[mid + 1][w + 1] = "E"
    world = build("rimea11_route_choice", [rows(g)], {"a": "start"})
    res = {}
    bad = 0
    for choice in ("queue", "nearest"):
        out = evacuate(world, {"start": n}, t_max=1200, seed=11,
                       behaviour={"exit_choice": choice})
        bad += out.violations
        col = world.rowcol(out.exit_cell[out.exit_cell >= 0])[2]
        done = bool(np.isfinite(out.t_escape).all())
        res[choice] = (float((col == 0).mean()), float(np.nanmax(out.t_escape)), done)
    near, t_q, done_q = res["queue"]
    _, t_n, done_n = res["nearest"]
    ok = done_q and done_n and 0.5 < near <= 0.95 and t_q < t_n
    return _check("RiMEA 11 route choice", f"{n} people near exit 1 of 2: most use it, some "
                  "divert", f"{near:.0%} by the near exit; all out in {t_q:.0f} s (nearest-exit "
                  f"rule: {t_n:.0f} s)", "50–95 % near exit, faster than nearest-only", ok, bad)


def rimea12(full: bool, seed: int = 1) -> Check:
    """Room → corridor 1 m × 7.5 m → room → 1 m exit: the corridor meters the flow, no jam.

    As RiMEA draws it (Anhang 2, test 12), the corridor (Gang) is the bottleneck: a long
    narrow passage carries less than a door of its width (the bottleneck series shows it), so
    the crowd waits before the corridor and the exit of room 2 passes the stream without a
    queue. RiMEA documents this case rather than failing models on it.

    A jam is a lasting crowd, so the densities compared are 10-second means over the 4 m²
    before the corridor and before the exit; the instantaneous peaks are reported beside them.
    """
    g = box(22, 50, "#")
    for r in range(1, 21):
        for c in range(1, 21):
            g[r][c] = "a"
    for r in (10, 11):
        for c in range(21, 36):
            g[r][c] = "."
    for r in range(4, 18):
        for c in range(36, 48):
            g[r][c] = "."
    g[10][48] = g[11][48] = "E"
    world = build("rimea12_room_corridor_room", [rows(g)], {"a": "room"})
    series: list[tuple[float, float]] = []

    def sample(sim, prev):
        p = sim.pop
        on = p.state != State.ESCAPED
        near_door = on & (p.col >= 17) & (p.col <= 20) & (p.row >= 9) & (p.row <= 12)
        near_exit = on & (p.col >= 44) & (p.col <= 47) & (p.row >= 9) & (p.row <= 12)
        series.append((near_door.sum() / 4.0, near_exit.sum() / 4.0))

    n = 150 if full else 100
    dt = 0.2
    out = evacuate(world, {"room": n}, t_max=600, on_tick=sample, dt=dt, seed=seed)
    done = np.isfinite(out.t_escape).all()
    dens = np.array(series)
    k = int(round(10.0 / dt))
    mean10 = np.array([np.convolve(dens[:, j], np.ones(k) / k, mode="valid").max()
                       for j in (0, 1)])
    peak = dens.max(axis=0)
    return _check("RiMEA 12 no jam at last exit", "queue before the corridor, none at the exit",
                  f"10-s mean density corridor {mean10[0]:.1f}, exit {mean10[1]:.1f} P/m² "
                  f"(instantaneous peaks {peak[0]:.1f}, {peak[1]:.1f})",
                  "exit ≤ 2 P/m² < corridor (10-s means)",
                  done and mean10[1] <= 2.0 and mean10[1] < mean10[0], out.violations)


def rimea13(full: bool) -> Check:
    """Room → corridor → stair up (1 m): a queue at the stair foot; stair flow < corridor's."""
    f0 = box(22, 44, "#")
    for r in range(1, 21):
        for c in range(1, 21):
            f0[r][c] = "a"
    for r in range(9, 13):
        f0[r][21] = "D"
        for c in range(22, 42):
            f0[r][c] = "."
    f0[10][42] = f0[11][42] = "S"
    f1 = box(22, 44, "#")
    f1[10][42] = f1[11][42] = "S"
    for r in range(9, 13):
        f1[r][41] = "."
        f1[r][40] = "E"
    world = build("rimea13_stair_queue", [rows(f0), rows(f1)], {"a": "room"})
    door_t, stair_t = [], []
    peak = [0.0]

    def sample(sim, prev):
        p = sim.pop
        _, _, c = sim.world.rowcol(prev)
        door_t.extend([sim.time_s] * int(((c <= 21) & (p.col >= 22) & (p.level == 0)).sum()))
        stair_t.extend([sim.time_s] * int(((p.level == 1) & (sim.world.rowcol(prev)[0] == 0))
                                          .sum()))
        foot = (p.level == 0) & (p.col >= 38) & (p.col <= 41) & (p.row >= 9) & (p.row <= 12)
        peak[0] = max(peak[0], foot.sum() / 4.0)

    n = 150 if full else 60
    out = evacuate(world, {"room": n}, t_max=900, on_tick=sample)
    jd = _flow(np.array(door_t, float))
    js = _flow(np.array(stair_t, float))
    ok = np.isfinite(out.t_escape).all() and peak[0] >= 2.0 and js < jd
    return _check("RiMEA 13 stair queue", "queue at stair foot; stair flow < corridor flow",
                  f"foot peak {peak[0]:.1f} P/m²; flows corridor {jd:.2f}, stair {js:.2f} P/s",
                  "peak ≥ 2 P/m², stair < corridor", ok, out.violations)


def crossing_world(name: str, rw: int, cl: int, h: int, ch: int, exit_cells: int) -> World:
    """Two rooms ``rw`` × ``h`` cells ("west room", "east room") joined by a corridor ``cl``
    long and ``ch`` high, each with an exit ``exit_cells`` high in the middle of its far wall
    (places "exit west", "exit east")."""
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
    world = build(name, [rows(g)], {"a": "west room", "b": "east room"})
    ex = world.exits()
    col = world.rowcol(ex)[2]
    world.places["exit west"] = Place("exit west", "exit", 0, ex[col == 1])
    world.places["exit east"] = Place("exit east", "exit", 0, ex[col > 1])
    world.index_places()
    return world


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
    return _check("counterflow lanes", "two crowds crossing in a 3 m corridor form lanes "
                  "and get through (Kretz et al. 2006), slower than a one-way stream "
                  "(Zhang et al. 2012)",
                  f"lane order {phi_on:.2f} (without the trail {phi_off:.2f}); {out}; "
                  f"corridor {js:.2f} P/(m·s)",
                  f"everyone out; order ≥ 0.1 above no trail; corridor ≤ {COUNTERFLOW_JS} "
                  "P/(m·s)", done and phi_on >= phi_off + 0.1 and js <= COUNTERFLOW_JS,
                  sum(r["violations"] for r in on + off))


#: door widths of the bottleneck series (m), as in the literature's series (0.8–2.4 m)
BOTTLENECK_WIDTHS = [0.8, 1.0, 1.2, 1.6, 2.0, 2.4]


#: passage lengths (cells) of the short bottleneck (the criterion) and of the long one
SHORT, LONG = 2, 6


def bottleneck_world(width_m: float, h: int = 24, room: int = 24, length: int = SHORT
                     ) -> World:
    """A room ``room`` cells deep, then a passage ``width_m`` wide and ``length`` cells long, then
    the exit cell. Flow through a bottleneck falls with its length (Liddle et al. 2011; Zhang &
    Seyfried distinguish the capacities of short and long bottlenecks); the series is judged on
    a short one (1 m of passage and the exit) and the long one (3 m) is measured beside it. A
    door one cell deep passes 2.0–2.7 P/(m·s) in this model, a 4 m passage 1.45–1.58.

    The passage is drawn as whole cells plus, for the remainder, one lane of narrow cells (legend
    ``d``: floor, ``x``: exit, of that clear width) along its whole length: 0.8 m is one 0.5 m
    lane and one 0.3 m lane."""
    full = int(width_m / CS + 1e-9)
    rest = round(width_m - full * CS, 6)
    lanes = full + (rest > 0)
    g = box(h + 2, room + length + 3, "#")
    top = 1 + (h - lanes) // 2
    for r in range(1, h + 1):
        for c in range(1, room + 1):
            g[r][c] = "a"
    for k, r in enumerate(range(top, top + lanes)):
        narrow = k == full  # the last lane carries the remainder
        for c in range(room + 1, room + length + 1):
            g[r][c] = "d" if narrow else "."
        g[r][room + length + 1] = "x" if narrow else "E"
    legend = ({"d": f"{{kind: floor, width: {rest}}}", "x": f"{{kind: exit, width: {rest}}}"}
              if rest > 0 else None)
    return build(f"bottleneck_{width_m:.1f}m", [rows(g)], {"a": "room"}, legend=legend)


def _bottleneck_flows(full: bool, length: int) -> tuple[np.ndarray, list[float], int]:
    """Specific flows, flows and illegal moves of the series through a passage ``length``
    cells long (mean flow over the seeds at each width)."""
    seeds = [1, 2, 3] if full else [1]
    n = 400 if full else 300
    js, flows = [], []
    bad = 0
    for wm in BOTTLENECK_WIDTHS:
        j = []
        for s in seeds:
            out = evacuate(bottleneck_world(wm, length=length), {"room": n}, seed=s,
                           t_max=400, speed=None)
            bad += out.violations
            j.append(_flow(out.t_escape))
        flows.append(float(np.mean(j)))
        js.append(flows[-1] / wm)
    return np.array(js), flows, bad


def bottleneck(full: bool, out_dir: Path | None, with_long: bool = False) -> list[Check]:
    """Specific flow through passages 0.8–2.4 m wide (whole cells plus one narrow lane).

    The short bottleneck is judged on the literature's band and a flow growing with width;
    with ``with_long`` the long one is measured too and must pass less than the short one at
    every width, its flow still growing with width."""
    out = []
    js, flows, bad = _bottleneck_flows(full, SHORT)
    ok = (js >= 1.5).all() and (js <= 2.3).all() and (np.diff(flows) > 0).all()
    if out_dir is not None:
        _plot_bottleneck(np.array(BOTTLENECK_WIDTHS), js, Path(out_dir) / "bottleneck.png")
    out.append(_check(f"bottleneck series, {SHORT * CS:g} m passage",
                      "Js ≈ 1.9 P/(m·s) (Seyfried 2009); flow ↑ with width", _series(js),
                      "Js 1.5–2.3, flow increasing", ok, bad))
    if with_long:
        js_l, flows_l, bad_l = _bottleneck_flows(full, LONG)
        ok = (np.diff(flows_l) > 0).all() and (js_l < js).all()
        out.append(_check(f"bottleneck series, {LONG * CS:g} m passage",
                          "long bottlenecks pass less than short ones", _series(js_l),
                          "flow increasing, Js < short's", ok, bad_l))
    return out


def _series(js: np.ndarray) -> str:
    return ", ".join(f"{wm:.1f} m: {j:.2f}" for wm, j in zip(BOTTLENECK_WIDTHS, js, strict=True))


def _plot_bottleneck(w: np.ndarray, js: np.ndarray, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    path.parent.mkdir(parents=True, exist_ok=True)
    fig, ax = plt.subplots(figsize=(5, 3.6))
    ax.axhspan(1.5, 2.3, color="0.9", label="accepted (1.5–2.3)")
    ax.axhline(1.9, color="k", lw=1, label="Seyfried et al. 2009")
    ax.plot(w, js, "o-", color="C3", label="Hyosan")
    ax.set(xlabel="door width (m)", ylabel="specific flow (P/(m·s))", ylim=(0, 3))
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def run(full: bool = False, out_dir: Path | None = None) -> list[Check]:
    """Every case; reduced sizes unless ``full``. Writes PNGs into ``out_dir`` if given."""
    checks = [rimea1(full), *rimea2_3(full), fundamental_diagram(full, out_dir), rimea6(full),
              rimea7(full), rimea8(full, out_dir), rimea9(full), rimea10(full), rimea11(full),
              rimea12(full), rimea13(full), counterflow(full)]
    checks += bottleneck(full, out_dir, with_long=full)
    return checks


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
