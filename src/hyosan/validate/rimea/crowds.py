"""RiMEA cases of crowds in buildings: a corner (6), three storeys (8), exits shut (9),
assigned exits (10), route choice (11), a corridor between rooms (12), a stair queue (13)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from hyosan.engine.simulation import N_FIELDS
from hyosan.states import State
from hyosan.validate import Check
from hyosan.validate.harness import box, build, evacuate, flow, room_with_exits, rows, verdict
from hyosan.validate.plots import plot_floors
from hyosan.world.world import Place


def corner_rows() -> list[str]:
    """A 2 m corridor with a left-hand corner: the start ``a`` at its foot, the exit at its top
    (RiMEA 6, IMO Test 6, NIST Verif.2.3)."""
    g = box(30, 30, "#")
    for r in range(24, 28):
        for c in range(1, 28):
            g[r][c] = "a" if c < 13 else "."
    for r in range(1, 24):
        for c in range(24, 28):
            g[r][c] = "."
    for c in range(24, 28):
        g[0][c] = "E"
    return rows(g)


def rimea6(full: bool) -> Check:
    """20 people round a left corner in a 2 m corridor: nobody crosses a wall."""
    out = evacuate(build("rimea06_corner", [corner_rows()], {"a": "start"}), {"start": 20},
                   t_max=120)
    n_out = int(np.isfinite(out.t_escape).sum())
    return verdict("RiMEA 6 corner", "no wall crossed", f"{out.violations} crossings, "
                   f"{n_out}/20 out", "0 crossings, all out", n_out == 20, out.violations)


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
        plot_floors(cur, Path(out_dir) / "rimea8_floors.png")
    return verdict("RiMEA 8 three storeys", f"{n} people, 4 per room, report times",
                   f"all out {t:.0f} s; floors clear at " + ", ".join(f"{x:.0f}" for x in floor_t)
                   + " s", "all out", done == n, out.violations)


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
    return verdict("RiMEA 9 exits shut", f"{n} people; 4 exits → 2: time ≈ ×2",
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
    return verdict("RiMEA 10 assigned exits", f"{p.n} people, exits assigned per room",
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
    return verdict("RiMEA 11 route choice", f"{n} people near exit 1 of 2: most use it, some "
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
    return verdict("RiMEA 12 no jam at last exit", "queue before the corridor, none at the exit",
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
    jd = flow(np.array(door_t, float))
    js = flow(np.array(stair_t, float))
    ok = np.isfinite(out.t_escape).all() and peak[0] >= 2.0 and js < jd
    return verdict("RiMEA 13 stair queue", "queue at stair foot; stair flow < corridor flow",
                   f"foot peak {peak[0]:.1f} P/m²; flows corridor {jd:.2f}, stair {js:.2f} P/s",
                   "peak ≥ 2 P/m², stair < corridor", ok, out.violations)
