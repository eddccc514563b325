"""Round trips of the writers behind ``record.protocol.Writer``: what is written reads back
equal, from a run directory, from memory and from the ensemble store."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pyarrow as pa
import pytest

from hyosan.ensemble.store import Store, StoreWriter
from hyosan.ensemble.sweep import Replicate
from hyosan.record import MemoryWriter, RunDir, RunWriter, Writer, outputs
from hyosan.states import STATE_NAMES, State
from hyosan.world.floorplan import parse_floorplan

PLAN = """\
places:
  a: {name: hall, kind: room}
floors:
  - |
    #######
    #aaa.D#
    #....E#
    #######
"""
N, TICKS, DT = 4, 12, 0.5


def _same(a: pa.Table, b: pa.Table) -> bool:
    """Equal schemas and values, NaN equal to NaN (``Table.equals`` holds NaN unequal)."""
    def values(t: pa.Table) -> dict:
        return {k: ["nan" if isinstance(v, float) and math.isnan(v) else v for v in col]
                for k, col in t.to_pydict().items()}
    return a.schema == b.schema and values(a) == values(b)


def _feed(w: Writer) -> dict:
    """A small made-up run fed through the interface; returns what was fed."""
    world = parse_floorplan(PLAN)
    rng = np.random.default_rng(3)
    w.begin("name: tiny\n", world, N)
    fed: dict = {"counts": [], "frames": []}
    for t in range(TICKS):
        state = rng.integers(0, len(State), N).astype(np.uint8)
        by_state = np.bincount(state, minlength=len(State))
        hum, zom = np.array([int(t), 1]), np.array([2, int(t) % 3])
        w.counts(t, t * DT, by_state, hum[:1], zom[:1])
        fed["counts"].append((t, t * DT, by_state.tolist(), int(hum[0]), int(zom[0])))
        if t % 4 == 0:
            frame = (np.zeros(N, np.uint8), state, rng.integers(1, 3, N).astype(np.int16),
                     rng.integers(1, 6, N).astype(np.int16), np.array([t % 2], np.uint8))
            w.frame(t, t * DT, *frame)
            fed["frames"].append((t, t * DT, frame))
    fed["events"] = {"tick": [3, 7], "time_s": [1.5, 3.5], "kind": ["bite", "escape"],
                     "agent": [0, 2], "other": [1, -1], "level": [0, 0], "row": [1, 2],
                     "col": [2, 5], "place": ["hall", ""], "detail": ["", "exit"]}
    w.events_bulk(fed["events"])
    fed["agents"] = {"id": list(range(N)), "final_state": ["zombie", "escaped", "dead", "zombie"],
                     "bitten_at_s": [1.5, math.nan, 2.0, 1.0]}
    fed["summary"] = {"ticks": TICKS, "duration_s": TICKS * DT, "humans_alive": 0,
                      "escaped": 1, "zombies": 2, "destroyed": 0, "dead": 1, "agents": N,
                      "school_population": N, "time_to_half_school_infected_s": math.nan,
                      "counts": {s: 0 for s in STATE_NAMES}, "wall_time_s": 0.25,
                      "named": {"Mi-rae": {"state": "escaped", "fate": "got out", "id": 1}},
                      "responses": [{"time_s": 2.0, "action": "alarm", "where": "all"}]}
    w.close(fed["agents"], fed["summary"])
    return fed


def test_every_writer_is_a_writer(tmp_path: Path) -> None:
    rep = Replicate("tiny", {}, 0, 1)
    with Store(tmp_path / "s.duckdb") as store:
        for w in (RunWriter(tmp_path / "run", 1), MemoryWriter(1), StoreWriter(store, rep, DT)):
            assert isinstance(w, Writer)


def test_run_directory_reads_back_what_was_written(tmp_path: Path) -> None:
    fed = _feed(RunWriter(tmp_path / "run", n_levels=1))
    run = RunDir(tmp_path / "run")
    ts = run.timeseries().to_pydict()
    assert ts["tick"] == [c[0] for c in fed["counts"]]
    assert ts["time_s"] == [c[1] for c in fed["counts"]]
    for i, name in enumerate(STATE_NAMES):
        assert ts[name] == [c[2][i] for c in fed["counts"]]
    assert ts["humans_L0"] == [c[3] for c in fed["counts"]]
    assert ts["zombies_L0"] == [c[4] for c in fed["counts"]]
    assert run.events().to_pydict() == fed["events"]
    agents = run.agents().to_pydict()
    assert agents["final_state"] == fed["agents"]["final_state"]
    assert np.array_equal(agents["bitten_at_s"], fed["agents"]["bitten_at_s"], equal_nan=True)
    frames = list(run.frames())
    assert [(t, s) for t, s, _ in frames] == [(t, s) for t, s, _ in fed["frames"]]
    for (_, _, got), (_, _, want) in zip(frames, fed["frames"], strict=True):
        for key, arr in zip(("level", "state", "row", "col", "door_state"), want, strict=True):
            assert np.array_equal(got[key], arr)
    assert run.summary["time_to_half_school_infected_s"] is None  # NaN is written as null
    assert run.summary["escaped"] == 1 and run.summary["complete"] is True
    assert run.scenario_text == "name: tiny\n"
    assert run.has_table("agents") and not run.has_table("no such table")


def test_memory_writer_holds_exactly_what_the_run_directory_holds(tmp_path: Path) -> None:
    _feed(RunWriter(tmp_path / "run", n_levels=1))
    mem = MemoryWriter(n_levels=1)
    fed = _feed(mem)
    run = RunDir(tmp_path / "run")
    for name in ("timeseries", "events", "agents"):
        assert _same(mem.tables[name], run.table(name)), name
    assert mem.summary == run.summary
    assert mem.world == json.loads((tmp_path / "run" / "world.json").read_text())
    assert len(mem.frames) == len(fed["frames"]) == run.n_frames
    for (t, s, got), (t2, s2, want) in zip(mem.frames, run.frames(), strict=True):
        assert (t, s) == (t2, s2)
        assert all(np.array_equal(got[k], want[k]) for k in want)


def test_store_writer_stores_the_replicate(tmp_path: Path) -> None:
    rep = Replicate("tiny", {"outbreak.bite_probability": 0.5}, 2, 11)
    with Store(tmp_path / "s.duckdb") as store:
        fed = _feed(StoreWriter(store, rep, DT, thin_s=2.0))
        assert store.done_ids() == {rep.run_id}
        rows = store.con.execute("SELECT time_s, susceptible, escaped FROM timeseries "
                                 "ORDER BY time_s").fetchall()
        summ = store.con.execute("SELECT escaped, dead, named, responses, "
                                 "time_to_half_school_infected_s FROM summaries").fetchone()
        run = store.con.execute("SELECT replicate, wall_time_s, "
                                '"outbreak.bite_probability" FROM runs').fetchone()
    # every 2 s of simulated time is every 4th tick, plus the last
    want = [c for c in fed["counts"] if c[0] % 4 == 0 or c[0] == TICKS - 1]
    assert rows == [(c[1], c[2][State.SUSCEPTIBLE], c[2][State.ESCAPED]) for c in want]
    assert summ[:2] == (1, 1)
    assert json.loads(summ[2]) == {"Mi-rae": {"state": "escaped", "fate": "got out"}}
    assert json.loads(summ[3]) == [{"time_s": 2.0, "action": "alarm"}]
    assert summ[4] is None or math.isnan(summ[4])
    assert run == (2, 0.25, 0.5)


def test_a_registered_table_goes_through_the_writers_unchanged(tmp_path: Path) -> None:
    """A new output file is one registration plus ``writer.table``: no writer or reader edits."""
    out = outputs.register(outputs.TableOutput("doors", "doors.parquet", "door states",
                                               types={"door": pa.int32()}))
    try:
        with pytest.raises(ValueError, match="already registered"):
            outputs.register(out)
        w = RunWriter(tmp_path / "run", n_levels=1)
        mem = MemoryWriter(n_levels=1)
        for writer in (w, mem):
            writer.table("doors", {"door": [0, 1], "state": ["open", "barricaded"]})
        _feed(w)
        assert RunDir(tmp_path / "run").has_table("doors")
        got = RunDir(tmp_path / "run").table("doors")
        assert got.to_pydict() == {"door": [0, 1], "state": ["open", "barricaded"]}
        assert got.schema.field("door").type == pa.int32()
        assert got.equals(mem.tables["doors"])
    finally:
        outputs.TABLES.pop("doors")
