"""One seed gives byte-identical outputs; two seeds differ."""

from __future__ import annotations

from hyosan import Simulation, load_scenario
from hyosan.scenario import apply_overrides


def _run(tmp_path, seed, name):
    sc = apply_overrides(load_scenario("school-outbreak"),
                         {"outbreak.index_cases.0.turn_after": 5.0})
    return Simulation(sc, seed=seed).run(tmp_path / name, duration=300.0)


def test_same_seed_identical_bytes(tmp_path):
    a = _run(tmp_path, 42, "a")
    b = _run(tmp_path, 42, "b")
    for f in ("timeseries.parquet", "events.parquet", "agents.parquet"):
        assert (a.run_dir / f).read_bytes() == (b.run_dir / f).read_bytes(), f
    assert a.summary["counts"] == b.summary["counts"]


def test_different_seeds_differ(tmp_path):
    a = _run(tmp_path, 1, "a")
    b = _run(tmp_path, 2, "b")
    assert (a.run_dir / "timeseries.parquet").read_bytes() != \
        (b.run_dir / "timeseries.parquet").read_bytes()
    assert a.events["agent"].tolist() != b.events["agent"].tolist()
