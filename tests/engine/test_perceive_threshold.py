"""Results do not depend on the thread count nor on whether perceive ran in parallel.

``perceive.look`` runs the parallel ``perceive`` from ``PARALLEL_MIN_WORK`` agents whose look
scans buckets (``look_work``) and its serial twin below (issue 17: a parallel region over a few
dozen agents waits on a busy core).
Each agent writes only its own fields, so every combination must give the same run: events,
time series and final agent arrays equal.
"""

from __future__ import annotations

from pathlib import Path

import numba
import numpy as np
import pytest

import hyosan
from hyosan.engine.buckets import BUCKET
from hyosan.rules import perceive as pm

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
    monkeypatch.setattr(pm, "PARALLEL_MIN_WORK", parallel_min)
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


def test_threshold_gates_by_work():
    """The rule decides from the work: ``look_work`` counts the susceptible people standing in
    buckets with a zombie near plus every zombie, and the 60-agent building stays serial."""
    assert not pm.use_parallel(pm.PARALLEL_MIN_WORK - 1) and pm.use_parallel(pm.PARALLEL_MIN_WORK)
    sim = hyosan.Simulation(SMALL, seed=7)
    works = []
    for _ in range(300):
        for name in sim._phases:
            getattr(sim, name)()
            if name != "perceive" or sim.by_state[2] == 0:
                continue
            # right after perceive: nobody moved or changed state since the buckets were sorted
            p = sim.pop
            bucket = sim.b_off[p.level] + (p.row // BUCKET) * sim.b_w[p.level] + \
                p.col // BUCKET
            want = int(((p.state == 0) & (sim.z_near[bucket] > 0)).sum()) + \
                int((p.state == 2).sum())
            works.append(pm.look_work(sim.scratch))
            assert works[-1] == want
    assert works and max(works) > 0 and not pm.use_parallel(max(works))


@pytest.mark.skipif(not CAN_THREAD, reason="needs 2 Numba threads")
def test_flagship_minutes_same_on_one_and_two_threads(monkeypatch):
    """The flagship (21,108 agents) for three simulated minutes from its first zombie: one
    thread with the serial perceive against two threads with the parallel one."""
    from hyosan.scenario import apply_overrides

    sc = apply_overrides(hyosan.load_scenario("hyosan-high"),
                         {"outbreak.index_cases.0.turn_after": 10.0})
    outs = []
    for threads, parallel_min in ((1, 10**9), (2, 0)):
        monkeypatch.setattr(pm, "PARALLEL_MIN_WORK", parallel_min)
        before = numba.get_num_threads()
        numba.set_num_threads(threads)
        try:
            sim = hyosan.Simulation(sc, seed=5)
            res = sim.run(duration=180.0)
        finally:
            numba.set_num_threads(before)
        out = {f"series/{k}": np.asarray(v) for k, v in res.timeseries.items()}
        out.update({f"events/{k}": np.asarray(v) for k, v in res.events.items()})
        for attr in ("cell", "state", "mode", "threat", "target", "alerted", "budget"):
            out[f"final/{attr}"] = getattr(sim.pop, attr).copy()
        outs.append(out)
    assert (outs[0]["final/state"] == 2).sum() >= 1 and len(outs[0]["events/kind"]) > 0
    assert_same(*outs)
