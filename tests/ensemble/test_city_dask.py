"""A sweep of the city (schedule, lazily computed destination fields, the checkpoint action,
full behaviour profile) stores the same results on a Dask LocalCluster as on the local pool,
and a killed study resumes without repeating a stored run."""

from __future__ import annotations

from pathlib import Path

from test_ensemble_backends import _contents

from hyosan.ensemble import build_plan, run_sweep

#: a 1 % city at 07:40 with a zombie in class 2-5: 2 simulated minutes a run
BASE = {"world.city.scale": [0.01], "clock.start": ["07:40"],
        "outbreak.index_cases.0.place": ["class 2-5"],
        "outbreak.index_cases.0.already_zombie": [True],
        "response.3.at": ["1 min"], "response.3.every": ["10 s"]}


def test_city_sweep_same_on_dask_and_local_pool(tmp_path: Path) -> None:
    plan = build_plan(["hyosan-city"], {**BASE, "response.3.capacity": [1, 5]}, 2, seed=3,
                      duration_s=120.0)
    local = tmp_path / "local.duckdb"
    run_sweep(plan, local, backend="local", workers=2, progress=False)
    dask = tmp_path / "dask.duckdb"
    rep = run_sweep(plan, dask, backend="dask", workers=2, progress=False)
    assert rep.ran == len(plan.items()) == 4
    summ, ts = _contents(local)
    assert (summ, ts) == _contents(dask)
    # not four copies of one run: the settings and seeds show in the outcomes
    assert len({row[3:10] for row in summ}) > 1
    # a re-run finds everything stored and runs nothing (the study resumes where it stopped)
    again = run_sweep(plan, dask, backend="dask", workers=2, progress=False)
    assert again.ran == 0 and again.already == 4
