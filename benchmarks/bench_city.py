"""The city's cost: memory per cell, per agent and per km², build time, and wall time per
simulated hour, at a chosen scale of ``hyosan-city``.

    python benchmarks/bench_city.py --scale 1 --hours 2          # 170,000 residents
    python benchmarks/bench_city.py --scale 0.1 --hours 24 --json out.json
    python benchmarks/bench_city.py --scale 0.1 --hours 4 --phases   # where each hour goes

Memory is counted array by array (the world's per-cell arrays, the simulation's per-cell
scratch, the stacked navigation fields, the agents' arrays and per-agent scratch) and as the
process's peak resident set (``ru_maxrss``). Each simulated hour prints one line: wall time,
agents by state, commuters, how many are at their current place; with ``--phases`` also the
seconds of each phase of the step plan in that hour, with the navigation rows computed on
first need taken out of the phase that asked for them (``fields``), as
``flagship_phases.profile_flagship`` times the flagship.
"""

from __future__ import annotations

import argparse
import json
import resource
import time

import numpy as np


def _nbytes(obj, n: int) -> tuple[int, int]:
    """Bytes of the NumPy arrays among ``obj``'s attributes whose first axis is ``n`` long,
    and of all of them."""
    same = total = 0
    for v in vars(obj).values():
        if isinstance(v, np.ndarray):
            total += v.nbytes
            if v.ndim >= 1 and v.shape[0] == n:
                same += v.nbytes
    return same, total


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scale", type=float, default=1.0)
    ap.add_argument("--hours", type=float, default=1.0)
    ap.add_argument("--start", default=None, help='clock start, e.g. "07:00"')
    ap.add_argument("--json", default=None)
    ap.add_argument("--phases", action="store_true", help="seconds per phase, each hour")
    a = ap.parse_args()

    from hyosan.codes import Mode, State
    from hyosan.engine.simulation import Simulation
    from hyosan.scenario import apply_overrides, load_scenario

    over = {"world.city.scale": a.scale}
    if a.start:
        over["clock.start"] = a.start
    sc = apply_overrides(load_scenario("hyosan-city"), over)
    t0 = time.perf_counter()
    sim = Simulation(sc)
    build = time.perf_counter() - t0
    w, p, tt = sim.world, sim.pop, sim.timetable
    n_cells, n = w.n_cells, sim.n
    world_cell, world_all = _nbytes(w, n_cells)
    sim_cell, _ = _nbytes(sim, n_cells)
    fields = sim.fields.nbytes
    pop_b = sum(v.nbytes for v in p.arrays().values())
    sim_agent, _ = _nbytes(sim, n)
    tt_b = sum(v.nbytes for v in vars(tt).values() if isinstance(v, np.ndarray))
    side_km = w.levels[0].height * w.cell_size / 1000
    rep = {
        "scale": a.scale, "agents": n, "cells": n_cells, "cell_size_m": w.cell_size,
        "km2": side_km ** 2, "destinations": tt.n_dest, "field_rows": int(sim.fields.shape[0]),
        "build_s": build,
        "bytes": {"world_per_cell_arrays": world_cell, "world_all": world_all,
                  "sim_per_cell_scratch": sim_cell, "nav_fields": fields,
                  "agents": pop_b + sim_agent, "timetable": tt_b},
    }
    b = rep["bytes"]
    per_cell = b["world_per_cell_arrays"] + b["sim_per_cell_scratch"]
    rep["per_cell_B"] = per_cell / n_cells
    rep["per_field_row_MB"] = fields / sim.fields.shape[0] / 2**20
    rep["per_agent_B"] = (b["agents"] + b["timetable"]) / n
    rep["per_km2_MB"] = (per_cell + fields) / rep["km2"] / 2**20
    print(json.dumps(rep, indent=1), flush=True)
    hours = []
    t1 = time.perf_counter()
    ticks_h = int(round(3600 / sim.dt))
    clock = None
    if a.phases:
        from flagship_phases import Clock

        from hyosan.engine import fields as fields_mod

        clock = Clock()
        fields_mod.NavFields._compute = clock.wrap(fields_mod.NavFields._compute, "fields",
                                                   True)
        phases = [(name, getattr(sim, name)) for name in sim._phases]

        def step() -> None:
            for name, fn in phases:
                clock.fields_in_phase = 0.0
                t0 = time.perf_counter()
                fn()
                clock.add(name, time.perf_counter() - t0 - clock.fields_in_phase)
    else:
        step = sim.step
    for h in range(int(np.ceil(a.hours))):
        th = time.perf_counter()
        k = ticks_h if h + 1 <= a.hours else int(round((a.hours - h) * ticks_h))
        before = dict(clock.t) if clock is not None else {}
        for _ in range(k):
            step()
        wall = time.perf_counter() - th
        at = tt.where(p, w)[tt.slot_d[:, 0] >= 0].mean()
        row = {"hour": h + 1, "wall_s": wall, "S": sim.count(State.SUSCEPTIBLE),
               "I": sim.count(State.INFECTED), "Z": sim.count(State.ZOMBIE),
               "escaped": sim.count(State.ESCAPED),
               "dead": sim.count(State.DEAD) + sim.count(State.DESTROYED),
               "commuting": int((p.mode == Mode.COMMUTE).sum()), "at_place": float(at),
               "rss_GiB": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20}
        if hasattr(tt, "summary"):  # (trips off the map, issue 21)
            row["trips"] = tt.summary()
        if clock is not None:
            row["phases_s"] = {k: round(v - before.get(k, 0.0), 3) for k, v in clock.t.items()}
        hours.append(row)
        print(json.dumps(row), flush=True)
    rep["hours"] = hours
    rep["run_wall_s"] = time.perf_counter() - t1
    rep["peak_rss_GiB"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20
    print(f"peak RSS {rep['peak_rss_GiB']:.2f} GiB, {rep['run_wall_s']:.0f} s for "
          f"{a.hours:g} simulated h", flush=True)
    if a.json:
        with open(a.json, "w") as fh:
            json.dump(rep, fh, indent=1)


if __name__ == "__main__":
    main()
