"""The flagship scenario runs ten simulated minutes and writes every output file."""

from __future__ import annotations

import json

import numpy as np
import pyarrow.parquet as pq

from hyosan import Simulation, load_scenario
from hyosan.engine.fields import LAZY
from hyosan.record import RunDir
from hyosan.record import format as fmt
from hyosan.states import State


def test_flagship_ten_minutes_writes_every_output(tmp_path):
    sc = load_scenario("hyosan-high")
    sim = Simulation(sc)
    assert sim.n >= 21_000 and sim.world.n_levels == 5
    assert all(sim.nav.pending[k] for k in LAZY)  # rooftop, school, stairs: on first need
    out = tmp_path / "run"
    result = sim.run(out, duration=600.0)
    for name in (fmt.SCENARIO_FILE, fmt.WORLD_JSON, fmt.WORLD_NPZ, fmt.TIMESERIES_FILE,
                 fmt.EVENTS_FILE, fmt.AGENTS_FILE, fmt.SUMMARY_FILE):
        assert (out / name).stat().st_size > 0, name
    assert not (out / fmt.RUNNING_MARKER).exists()
    run = RunDir(out)
    ts = pq.read_table(out / fmt.TIMESERIES_FILE)
    assert ts.num_rows == int(600 / sc.run.dt) + 1
    total = sum(np.asarray(ts.column(s.name.lower())) for s in State)
    assert (total == sim.n).all()
    assert pq.read_table(out / fmt.AGENTS_FILE).num_rows == sim.n
    idx = run.frame_index
    assert idx["n_frames"] == int(600 / sc.run.frames_every) + 1
    frame = run.frame(idx["n_frames"] - 1)
    assert (frame["state"] == sim.pop.state).all()
    assert (frame["row"] == sim.pop.row).all() and (frame["col"] == sim.pop.col).all()
    summary = json.loads((out / fmt.SUMMARY_FILE).read_text())
    assert summary["complete"] and summary["agents"] == sim.n
    assert set(summary["named"]) == {n.name for n in sc.named}
    assert result.summary["counts"]["infected"] + result.summary["counts"]["zombie"] >= 1
