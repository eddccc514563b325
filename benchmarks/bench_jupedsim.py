"""Side by side with JuPedSim: RiMEA 9 (30 m × 20 m, 1,000 people, 4 then 2 exits of 1 m) and a
classroom (8 m × 8 m, 30 students, one 1 m door), on both engines.

Reports evacuation time, people and flow through each exit, and agent-steps per second.
Agent-steps: JuPedSim = agents present × iterations at its default dt = 0.01 s; Hyosan = agents
present × ticks at its dt = 0.2 s (a tick moves an agent up to a few cells). Empirical flow
through a 1 m door: about 1.9 P/s (Seyfried et al. 2009).

    .venv/bin/python benchmarks/bench_jupedsim.py [--out benchmarks/out/jupedsim.md]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np

from hyosan.validate import movement as mv

EMPIRICAL = 1.9  # P/(m·s)


def rooms(case: str):
    """(width m, height m, n people, exits as (x0, y0, x1, y1) door segments on the walls)."""
    if case.startswith("rimea9"):
        w, h, n = 30.0, 20.0, 1000
        ex = [(0, 1, 0, 2), (0, h - 2, 0, h - 1), (w, 1, w, 2), (w, h - 2, w, h - 1)]
        return w, h, n, ex if case == "rimea9-4" else ex[:2]
    return 8.0, 8.0, 30, [(8.0, 3.5, 8.0, 4.5)]


def run_jupedsim(case: str, seed: int = 1) -> dict:
    import jupedsim as jps
    from shapely import Polygon, box

    w, h, n, exits = rooms(case)
    geo = Polygon([(0, 0), (w, 0), (w, h), (0, h)])
    for x0, y0, _x1, y1 in exits:  # a 1 m × 1 m alcove beyond each door, the exit inside it
        geo = geo.union(box(x0 - 1 if x0 == 0 else x0, y0, x0 if x0 == 0 else x0 + 1, y1))
    sim = jps.Simulation(model=jps.CollisionFreeSpeedModel(), geometry=geo, dt=0.01)
    stages = []
    for x0, y0, _x1, y1 in exits:
        xa = x0 - 1 if x0 == 0 else x0 + 0.5
        ex = sim.add_exit_stage(box(xa, y0, xa + 0.5, y1))
        stages.append((ex, sim.add_journey(jps.JourneyDescription([ex])), (x0, (y0 + y1) / 2)))
    rng = np.random.default_rng(seed)
    pos = jps.distribute_by_number(polygon=Polygon([(0, 0), (w, 0), (w, h), (0, h)]),
                                   number_of_agents=n, distance_to_agents=0.4,
                                   distance_to_polygon=0.25, seed=seed)
    speeds = np.clip(rng.normal(1.34, 0.26, n), 0.5, 2.2)
    owner = {}
    for (x, y), v in zip(pos, speeds, strict=True):
        k = int(np.argmin([np.hypot(x - ex[0], y - ex[1]) for _, _, ex in stages]))
        aid = sim.add_agent(jps.CollisionFreeSpeedModelAgentParameters(
            journey_id=stages[k][1], stage_id=stages[k][0], position=(x, y), desired_speed=v,
            radius=0.2))
        owner[aid] = k
    present = set(owner)
    out_t = {k: [] for k in range(len(exits))}
    steps = 0
    t0 = time.perf_counter()
    while sim.agent_count() > 0 and sim.elapsed_time() < 1200:
        steps += sim.agent_count()
        sim.iterate()
        if sim.iteration_count() % 10 == 0 or sim.agent_count() == 0:
            now = {a.id for a in sim.agents()}
            for a in present - now:
                out_t[owner[a]].append(sim.elapsed_time())
            present = now
    wall = time.perf_counter() - t0
    r = _summary("JuPedSim 1.x (CollisionFreeSpeed, dt 0.01 s)", sim.elapsed_time(), out_t,
                 steps, wall, n)
    r["dt"] = 0.01
    return r


def run_hyosan(case: str, seed: int = 1) -> dict:
    """The same room on Hyosan; the timing covers the steps only, as JuPedSim's does."""
    w, h, n, exits = rooms(case)
    hc, wc = int(h / mv.CS), int(w / mv.CS)
    sides = [("left" if x0 == 0 else "right", 1 + int(min(y0, y1) / mv.CS)) for x0, y0, x1, y1
             in exits]
    world = mv.room_with_exits(f"bench_{case}", hc, wc, sides)
    timings: dict = {}
    out = mv.evacuate(world, {"room": n}, seed=seed, t_max=1200, check=False, timings=timings)
    wall = timings["steps_s"]
    exit_cells = [set(int(c) for c in world.exits() if world.rowcol(c)[1] in (r, r + 1)
                      and (world.rowcol(c)[2] == 0) == (s == "left")) for s, r in sides]
    out_t = {k: [float(t) for t, c in zip(out.t_escape, out.exit_cell, strict=True)
                 if int(c) in cells] for k, cells in enumerate(exit_cells)}
    # agents present at the start of each tick: everyone until their escape tick
    ticks = np.ceil(np.nan_to_num(out.t_escape, nan=out.sim.time_s) / out.sim.dt - 1e-9)
    r = _summary(f"Hyosan (cellular, dt {out.sim.dt} s)", float(np.nanmax(out.t_escape)),
                 out_t, int(ticks.sum()), wall, n)
    r["dt"] = out.sim.dt
    r["build_s"] = timings["build_s"]
    return r


def fixed_cost(repeats: int = 2000) -> dict[str, float]:
    """Hyosan's cost per tick with nobody left to move (µs): the classroom after its
    evacuation, the whole step and each of its phases (``timeit``, mean of ``repeats``)."""
    import timeit

    world = mv.room_with_exits("bench_fixed", 16, 16, [("right", 7)])
    sim = mv.evacuate(world, {"room": 30}, t_max=300, check=False).sim
    timeit.timeit(sim.step, number=repeats // 4)  # warm caches and branch predictors first
    out = {"step": timeit.timeit(sim.step, number=repeats) / repeats * 1e6}
    for name in sim._phases:
        out[name] = timeit.timeit(getattr(sim, name), number=repeats) / repeats * 1e6
    return out


def _summary(engine, t_end, out_t, steps, wall, n) -> dict:
    flows = []
    for k in sorted(out_t):
        t = np.sort(out_t[k])
        i, j = int(0.1 * len(t)), max(int(0.9 * len(t)) - 1, 0)
        flows.append((len(t), (j - i) / (t[j] - t[i]) if len(t) > 10 and t[j] > t[i] else np.nan))
    return {"engine": engine, "time": t_end, "flows": flows, "steps": steps, "wall": wall,
            "rate": steps / wall, "n": n}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default="benchmarks/out/jupedsim.md")
    args = ap.parse_args()
    for case in ("classroom", "rimea9-2"):  # compile every kernel outside the timings
        run_hyosan(case)
    lines = ["## Side by side with JuPedSim (movement)", "",
             "Command: `.venv/bin/python benchmarks/bench_jupedsim.py` (one seed, one core; "
             "both timings cover the stepping loop only, not building the scene).",
             "Agent-steps: agents present × steps, at each engine's own step: JuPedSim's "
             "default dt 0.01 s, Hyosan's dt 0.2 s (a tick moves an agent up to a few cells). "
             "Simulated agent-seconds per second (agent-steps × dt / wall) compares the work "
             "of moving people through the same stretch of time. Flow through each 1 m exit "
             f"between 10 % and 90 % of its users; empirical ≈ {EMPIRICAL} P/s "
             "(Seyfried et al. 2009).",
             "", "| case | engine | evacuation time (s) | people / flow (P/s) per exit | "
             "error vs 1.9 P/s | agent-steps | wall (s) | agent-steps/s | "
             "simulated agent-s per s |",
             "|---|---|---|---|---|---|---|---|---|"]
    ratios = []
    for case in ("rimea9-4", "rimea9-2", "classroom"):
        res = [run_jupedsim(case), run_hyosan(case)]
        for r in res:
            fl = [f for _, f in r["flows"] if np.isfinite(f)]
            err = np.mean([abs(f - EMPIRICAL) for f in fl]) if fl else float("nan")
            lines.append(f"| {case} | {r['engine']} | {r['time']:.1f} | " + ", ".join(
                f"{c} / {f:.2f}" for c, f in r["flows"]) + f" | {err:.2f} | {r['steps']:,} | "
                f"{r['wall']:.3f} | {r['rate']:,.0f} | {r['rate'] * r['dt']:,.0f} |")
        ratios.append((case, res[1]["rate"] / res[0]["rate"],
                       res[1]["rate"] * res[1]["dt"] / (res[0]["rate"] * res[0]["dt"])))
        print(lines[-2], lines[-1], sep="\n", flush=True)
    lines += ["", "Hyosan / JuPedSim: " + "; ".join(
        f"{c}: {a:.1f}× agent-steps/s, {b:.0f}× simulated agent-seconds/s" for c, a, b in ratios)
        + ". JuPedSim's step is movement only; Hyosan's whole step also runs decisions, "
        "contact and recording."]
    fc = fixed_cost()
    lines += ["", f"Hyosan's fixed cost per tick (classroom after everyone left): step "
              f"{fc.pop('step'):.1f} µs; " + ", ".join(f"{k} {v:.1f}" for k, v in fc.items())
              + " µs."]
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
