"""Hyosan and JuPedSim side by side on the egress cases they share: maximum door flow (IMO
Test 4 / NIST Verif.5.2), counterflow (IMO Test 8 / NIST Verif.2.8) and an exit closed during
the run (NIST Verif.4.1). Prints one Markdown table (``docs/egress.md`` keeps it).

    python benchmarks/bench_egress_jupedsim.py [--seeds 3]

The geometries are the Hyosan cases' (``hyosan.validate.egress``), drawn for JuPedSim as
polygons: walls where Hyosan has wall cells, exits as stages in a 0.5 m strip beyond each exit
opening. JuPedSim runs its CollisionFreeSpeed model (dt 0.01 s, radius 0.2 m, the default
parameters), speeds drawn as Hyosan's students (1.34 ± 0.26 m/s, 0.5–2.2). It has no door-flow
calibration: what passes a door follows from its model. A run that has not finished in 300 s
(600 s for counterflow) is reported as not finished (a deadlock, if nobody moves).
"""

from __future__ import annotations

import argparse

import numpy as np

from hyosan.validate.egress import crowds, routes

T_MAX = 300.0


def _jps_sim(geo):
    import jupedsim as jps

    return jps, jps.Simulation(model=jps.CollisionFreeSpeedModel(), geometry=geo, dt=0.01)


def _add(jps, sim, journey, stage, pts, rng):
    speeds = np.clip(rng.normal(1.34, 0.26, len(pts)), 0.5, 2.2)
    return [sim.add_agent(jps.CollisionFreeSpeedModelAgentParameters(
        journey_id=journey, stage_id=stage, position=tuple(p), desired_speed=float(v),
        radius=0.2)) for p, v in zip(pts, speeds, strict=True)]


def _run(sim, t_max, on_time=None):
    """Iterate until empty or ``t_max``; returns {agent id: time it left}."""
    gone: dict[int, float] = {}
    present = {a.id for a in sim.agents()}
    while sim.agent_count() > 0 and sim.elapsed_time() < t_max:
        sim.iterate()
        if on_time is not None:
            on_time(sim)
        if sim.iteration_count() % 10 == 0 or sim.agent_count() == 0:
            now = {a.id for a in sim.agents()}
            for a in present - now:
                gone[a] = sim.elapsed_time()
            present = now
    return gone


def jps_door_flow(seed: int) -> float:
    """8 m × 5 m room, 1 m exit in the middle of the east wall, 100 people."""
    from shapely import Polygon, box

    geo = box(0, 0, 8, 5).union(box(8, 2, 8.5, 3))
    jps, sim = _jps_sim(geo)
    ex = sim.add_exit_stage(box(8.0, 2.0, 8.5, 3.0))
    j = sim.add_journey(jps.JourneyDescription([ex]))
    pts = jps.distribute_by_number(polygon=Polygon([(0, 0), (8, 0), (8, 5), (0, 5)]),
                                   number_of_agents=100, distance_to_agents=0.4,
                                   distance_to_polygon=0.25, seed=seed)
    _add(jps, sim, j, ex, pts, np.random.default_rng(seed))
    t = np.sort(list(_run(sim, T_MAX).values()))
    return (len(t) - 1) / (t[-1] - t[0]) if len(t) == 100 else float("nan")


def jps_counterflow(k: int, seed: int) -> float:
    """Two 10 m × 10 m rooms, a 10 m × 2 m corridor, 100 from room 1 to the exit beyond room 2
    against ``k`` the other way; the time until room 1's people are out (inf: not finished)."""
    from shapely import Polygon, box

    geo = box(0, 0, 10, 10).union(box(10, 4, 20, 6)).union(box(20, 0, 30, 10))
    geo = geo.union(box(-0.5, 4, 0, 6)).union(box(30, 4, 30.5, 6))
    jps, sim = _jps_sim(geo)
    e1 = sim.add_exit_stage(box(-0.5, 4, 0, 6))
    e2 = sim.add_exit_stage(box(30, 4, 30.5, 6))
    j1, j2 = (sim.add_journey(jps.JourneyDescription([e])) for e in (e1, e2))
    rng = np.random.default_rng(seed)
    room = [Polygon([(0, 0), (10, 0), (10, 10), (0, 10)]),
            Polygon([(20, 0), (30, 0), (30, 10), (20, 10)])]
    a = _add(jps, sim, j2, e2, jps.distribute_by_number(
        polygon=room[0], number_of_agents=100, distance_to_agents=0.4,
        distance_to_polygon=0.25, seed=seed), rng)
    if k:
        _add(jps, sim, j1, e1, jps.distribute_by_number(
            polygon=room[1], number_of_agents=k, distance_to_agents=0.4,
            distance_to_polygon=0.25, seed=seed + 1), rng)
    gone = _run(sim, 600.0)
    return max(gone[i] for i in a) if all(i in gone for i in a) else float("inf")


def jps_exit_closed(seed: int, at_s: float = 5.0) -> tuple[int, float]:
    """20 m × 10 m room, 1 m exits mid-west and mid-east wall; 30 people in the western quarter
    head west; at ``at_s`` the west exit closes: everyone left switches to the east exit.
    Returns (people out west after the closing: last seen within 2 m of the west wall, and the
    time until all are out)."""
    from shapely import Polygon, box

    geo = box(0, 0, 20, 10).union(box(-0.5, 4.5, 0, 5.5)).union(box(20, 4.5, 20.5, 5.5))
    jps, sim = _jps_sim(geo)
    west = sim.add_exit_stage(box(-0.5, 4.5, 0, 5.5))
    east = sim.add_exit_stage(box(20, 4.5, 20.5, 5.5))
    jw, je = (sim.add_journey(jps.JourneyDescription([e])) for e in (west, east))
    pts = jps.distribute_by_number(polygon=Polygon([(0, 0), (5, 0), (5, 10), (0, 10)]),
                                   number_of_agents=30, distance_to_agents=0.4,
                                   distance_to_polygon=0.25, seed=seed)
    _add(jps, sim, jw, west, pts, np.random.default_rng(seed))
    switched = [False]

    def close(s):
        if not switched[0] and s.elapsed_time() >= at_s:
            for ag in s.agents():
                s.switch_agent_journey(agent_id=ag.id, journey_id=je, stage_id=east)
            switched[0] = True

    west_x = {}

    def track(s):
        close(s)
        if s.iteration_count() % 10 == 0:
            for ag in s.agents():
                west_x[ag.id] = ag.position[0]

    gone = _run(sim, T_MAX, on_time=track)
    late_west = sum(1 for a, t in gone.items() if t > at_s + 0.1 and west_x.get(a, 10) < 2.0)
    return late_west, max(gone.values()) if len(gone) == 30 else float("inf")


def hyosan_rows(seeds: list[int]) -> dict:
    fl = [crowds.door_flow("bench/door_flow", True).measured for _ in seeds[:1]]
    cf = crowds.counterflow_times("bench/counterflow", True, seeds=tuple(seeds))
    ec = routes.exit_closed("bench/exit_closed", True).measured
    return {"door_flow": fl[0], "counterflow": cf, "exit_closed": ec}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--seeds", type=int, default=3)
    args = ap.parse_args()
    seeds = list(range(1, args.seeds + 1))
    h = hyosan_rows(seeds)
    jf = np.nanmean([jps_door_flow(s) for s in seeds])
    jc = {k: np.mean([jps_counterflow(k, s) for s in seeds]) for k in (0, 10, 50, 100)}
    je = [jps_exit_closed(s) for s in seeds]
    print("| case | criterion | Hyosan (door_flow: imo) | JuPedSim (CollisionFreeSpeed) |")
    print("|---|---|---|---|")
    print(f"| maximum door flow, 100 people, 1 m exit | ≤ 1.33 P/s | {h['door_flow']} | "
          f"{jf:.2f} P/s (mean of {len(seeds)} seeds) |")
    hc = h["counterflow"]["t"]
    print("| counterflow 100 vs 0/10/50/100, time for the 100 | rising, all out | "
          + ", ".join(f"{k}: {hc[k]:.0f} s" for k in sorted(hc)) + " | "
          + ", ".join(f"{k}: " + (f"{v:.0f} s" if np.isfinite(v) else "not finished")
                      for k, v in jc.items()) + " |")
    jt = np.mean([t for _, t in je])
    lw = sum(w for w, _ in je)
    print(f"| exit closed at 5 s, 30 people | nobody uses it after; all out | {h['exit_closed']}"
          f" | journeys switched east at 5 s; {lw} out west after it (over {len(seeds)} seeds); "
          f"all out in {jt:.0f} s |")


if __name__ == "__main__":
    main()
