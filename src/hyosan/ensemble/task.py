"""One replicate as a self-contained task: what a worker process (local or Dask) runs.

The task carries the resolved scenario as plain data (so a remote worker needs no files) and
the seed as (entropy, spawn key). It returns only the summary and a thinned time series — one
row per ``thin_s`` seconds of simulated time (10 s by default) plus the last row — never agent
state, so results stay small on the wire and in the store.

Building a world can take seconds (the flagship town ~10 s), so each worker process keeps the
worlds it built, keyed by the scenario's world spec, and gives each run a fresh copy (runs
change doors and exits).
"""

from __future__ import annotations

import copy
import time
from pathlib import Path
from typing import Any

import numpy as np

from hyosan.ensemble.sweep import Replicate, SweepPlan, canonical

#: seconds of simulated time between stored time-series rows
THIN_S = 10.0
#: worlds built in this process, by canonical world spec (+ base directory for floor plans)
_WORLDS: dict[str, Any] = {}
_WORLD_CACHE_SIZE = 4

SUMMARY_KEYS = ("humans_alive", "escaped", "zombies", "destroyed", "dead", "agents",
                "school_population", "time_to_half_school_infected_s", "ticks", "duration_s")


def make_task(plan: SweepPlan, rep: Replicate, thin_s: float = THIN_S) -> dict[str, Any]:
    """The picklable description of one replicate."""
    sc = plan.resolve(rep)
    base_dir = getattr(sc, "_base_dir", None)
    return {"run_id": rep.run_id, "scenario": sc.model_dump(mode="json"),
            "base_dir": str(base_dir) if base_dir else None, "entropy": rep.base_seed,
            "spawn_key": list(rep.spawn_key), "duration_s": rep.duration_s, "thin_s": thin_s}


def _world(scenario: Any, base_dir: str | None) -> Any:
    from hyosan.scenario.build import build_world

    key = canonical({"world": scenario.world.model_dump(mode="json"), "base_dir": base_dir})
    if key not in _WORLDS:
        if len(_WORLDS) >= _WORLD_CACHE_SIZE:
            _WORLDS.pop(next(iter(_WORLDS)))
        _WORLDS[key] = build_world(scenario)
    return copy.deepcopy(_WORLDS[key])


def thin(series: dict[str, np.ndarray], dt: float, thin_s: float) -> dict[str, list]:
    """Every row whose tick is a multiple of ``thin_s / dt`` ticks, plus the last row."""
    ticks = np.asarray(series["tick"])
    stride = max(1, int(round(thin_s / dt)))
    keep = ticks % stride == 0
    if len(keep):
        keep[-1] = True
    return {k: np.asarray(v)[keep].tolist() for k, v in series.items()}


def run_task(task: dict[str, Any]) -> dict[str, Any]:
    """Run one replicate; returns ``{run_id, summary, timeseries, wall_time_s}``."""
    from hyosan.engine.simulation import Simulation
    from hyosan.scenario.schema import Scenario

    if task.get("threads"):
        import numba

        numba.set_num_threads(min(int(task["threads"]), numba.config.NUMBA_NUM_THREADS))
    t0 = time.perf_counter()
    sc = Scenario.model_validate(task["scenario"])
    if task.get("base_dir"):
        sc._base_dir = Path(task["base_dir"])  # type: ignore[attr-defined]
    world = _world(sc, task.get("base_dir"))
    seed = np.random.SeedSequence(task["entropy"], spawn_key=tuple(task["spawn_key"]))
    result = Simulation(sc, seed=seed, world=world).run(duration=task["duration_s"])
    s = result.summary
    summary = {k: s[k] for k in SUMMARY_KEYS}
    summary["counts"] = dict(s["counts"])
    summary["named"] = {n: {"state": v["state"], "fate": v["fate"]} for n, v in s["named"].items()}
    summary["responses"] = [{"time_s": r["time_s"], "action": r["action"]}
                            for r in s["responses"]]
    return {"run_id": task["run_id"], "summary": summary,
            "timeseries": thin(result.timeseries, float(s["dt"]), task["thin_s"]),
            "wall_time_s": time.perf_counter() - t0}
