"""Results do not depend on the thread count nor on whether perceive ran in parallel.

``perceive.look`` runs the parallel ``perceive`` from ``PARALLEL_MIN_AGENTS`` agents and its
serial twin below (issue 17: a parallel region over a few dozen agents waits on a busy core).
Each agent writes only its own fields, so every combination must give the same run: events,
time series and final agent arrays equal.
"""

from __future__ import annotations

from pathlib import Path

import numba
import numpy as np
import pytest

import hyosan
from hyosan.engine import perceive as pm

SMALL = Path(__file__).resolve().parents[2] / "benchmarks" / "fixtures" / \
    "small_building_scenario.yaml"
CAN_THREAD = numba.config.NUMBA_NUM_THREADS >= 2


def full_run(seed: int, threads: int, parallel_min: int, monkeypatch) -> tuple[dict, dict]:
    """Outputs of the 60-agent building as named arrays, and which kernels perceive used."""
    used = {"perceive": 0, "perceive_serial": 0}
    for name in used:
        kernel = getattr(pm, name)

        def spy(*args, _k=kernel, _name=name):
            used[_name] += 1
            return _k(*args)

        monkeypatch.setattr(pm, name, spy)
    monkeypatch.setattr(pm, "PARALLEL_MIN_AGENTS", parallel_min)
    before = numba.get_num_threads()
    numba.set_num_threads(threads)
    try:
        sim = hyosan.Simulation(SMALL, seed=seed)
        res = sim.run(duration=90.0)
    finally:
        numba.set_num_threads(before)
        monkeypatch.undo()
    out = {f"series/{k}": np.asarray(v) for k, v in res.timeseries.items()}
    out.update({f"events/{k}": np.asarray(v) for k, v in res.events.items()})
    p = sim.pop
    for attr in ("cell", "state", "mode", "threat", "target", "alerted", "budget", "timer"):
        out[f"final/{attr}"] = getattr(p, attr).copy()
    return out, used


def assert_same(a: dict, b: dict) -> None:
    assert a.keys() == b.keys()
    for k in a:
        assert a[k].shape == b[k].shape and (a[k] == b[k]).all(), f"{k} differs"


@pytest.mark.skipif(not CAN_THREAD, reason="needs 2 Numba threads")
@pytest.mark.parametrize("seed", [7, 8])
def test_same_run_for_every_thread_count_and_threshold(seed, monkeypatch):
    ref, used = full_run(seed, 1, 10**9, monkeypatch)  # serial, one thread
    assert used["perceive_serial"] > 0 and used["perceive"] == 0
    assert len(ref["events/kind"]) > 10, "the scenario should bite and turn people"
    for threads, parallel_min in ((2, 0), (1, 0), (2, 10**9)):
        out, used = full_run(seed, threads, parallel_min, monkeypatch)
        assert (used["perceive"] > 0) == (parallel_min == 0)
        assert (used["perceive_serial"] > 0) == (parallel_min > 0)
        assert_same(ref, out)


def test_threshold_gates_by_agent_count(monkeypatch):
    """The default rule: the 60-agent building perceives serially."""
    seen = []
    monkeypatch.setattr(pm, "perceive_serial", lambda n, *a: seen.append(("serial", n)) or 0)
    monkeypatch.setattr(pm, "perceive", lambda n, *a: seen.append(("parallel", n)) or 0)
    pm.look(pm.PARALLEL_MIN_AGENTS - 1)
    pm.look(pm.PARALLEL_MIN_AGENTS)
    assert seen == [("serial", pm.PARALLEL_MIN_AGENTS - 1), ("parallel", pm.PARALLEL_MIN_AGENTS)]
