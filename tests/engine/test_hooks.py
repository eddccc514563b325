"""The move phase's hooks (``engine/hooks.py``): registered by the rules a scenario asks for,
run in a fixed order, rebuilt after a checkpoint; and the outcome's counters without a
Simulation."""

from __future__ import annotations

import pickle
from pathlib import Path

import numpy as np
import pytest

from hyosan.engine import outcome
from hyosan.engine.hooks import POINTS, MoveHooks
from hyosan.engine.simulation import Simulation
from hyosan.scenario.loader import load_scenario

ROOT = Path(__file__).resolve().parents[2]


def test_hooks_run_in_the_order_added_and_points_are_checked():
    seen = []
    h = MoveHooks()
    h.add("after_budget", lambda sim: seen.append(("a", sim)))
    h.add("after_budget", lambda sim: seen.append(("b", sim)))
    h.add("before_budget", lambda sim: seen.append(("c", sim)))
    h.run("after_budget", 1)
    h.run("after_move", 2)  # nothing there
    assert seen == [("a", 1), ("b", 1)]
    with pytest.raises(ValueError, match="after_budgt"):
        h.add("after_budgt", print)
    assert tuple(h.at) == POINTS


def test_without_egress_rules_only_the_doorways_hook_runs():
    sim = Simulation(load_scenario("school-outbreak"), seed=1)
    assert sim.hooks.names() == {"before_budget": [], "after_budget": [],
                                 "after_stuck": ["after_stuck"], "after_move": []}


def test_hazard_and_groups_register_in_the_order_the_move_called_them():
    """The order ``Simulation.move`` had by hand: hazard before groups at both budget points,
    the doorways first after ``update_stuck``, the hazard's dose last; a checkpoint's copy has
    its own hooks, bound to its own rules."""
    sim = Simulation(load_scenario(ROOT / "docs/examples/smoke-evacuation.yaml"))
    assert sim.hooks.names() == {
        "before_budget": ["Hazard.before_move", "Groups.before_budget"],
        "after_budget": ["Hazard.after_budget", "Groups.after_budget"],
        "after_stuck": ["after_stuck"], "after_move": ["Hazard.after_move"]}
    copy = pickle.loads(pickle.dumps(sim))
    assert copy.hooks.names() == sim.hooks.names()
    assert copy.hooks.at["after_move"][0].__self__ is copy.hazard is not sim.hazard


def test_after_stuck_hooks_see_the_counts_before_update_stuck():
    sim = Simulation(load_scenario("school-outbreak"), seed=1)
    got = []
    sim.hooks.add("after_stuck", lambda s: got.append((s.stuck_before.copy(),
                                                       s.pop.stuck.copy())))
    sim.pop.stuck[:] = 3  # (the buffer starts at zero: a stale one would show)
    before = sim.pop.stuck.copy()
    sim.perceive()
    sim.decide()
    sim.move()
    assert np.array_equal(got[0][0], before) and np.array_equal(got[0][1], sim.pop.stuck)


def test_outcome_events_from_counters_alone():
    """The outcome reads its counters and its arguments, not a Simulation: events raised in
    Python come back in tick order, dated by ``dt``."""
    c = outcome.Counters.new(1, 0, np.zeros(3, bool))
    outcome.record_event(c, 5, "alarm", detail="late")
    outcome.record_event(c, 2, "broadcast", agent=1)
    t = outcome.events_table(c, None, [], 0.5)
    assert t["tick"].tolist() == [2, 5] and t["time_s"].tolist() == [1.0, 2.5]
    assert t["kind"] == ["broadcast", "alarm"] and t["agent"].tolist() == [1, -1]
    assert t["detail"] == ["", "late"] and c.n_school == 0


def test_an_end_of_run_table_is_one_function_and_its_registration(tmp_path):
    """A new output file: ``@end_table`` on the function that makes its columns, and its
    ``TableOutput`` in ``record.outputs``; the run directory then holds it and reads it back."""
    import pyarrow as pa

    from hyosan.engine import record
    from hyosan.record import outputs
    from hyosan.record.reader import RunDir

    outputs.register(outputs.TableOutput("test_levels", "test_levels.parquet", "a test table",
                                         default=pa.int64()))
    try:
        @record.end_table("test_levels")
        def levels(sim):
            return {"agent": np.arange(sim.n), "level": sim.pop.level.astype(np.int64)}

        with pytest.raises(ValueError, match="already registered"):
            record.end_table("test_levels")(levels)
        sim = Simulation(load_scenario("school-outbreak"), seed=1)
        res = sim.run(tmp_path / "run", duration=2.0)
        t = RunDir(res.run_dir).table("test_levels")
        assert t.column("level").to_pylist() == sim.pop.level.tolist()
        assert t.column("agent").to_pylist() == list(range(sim.n))
    finally:
        record.END_TABLES.pop("test_levels", None)
        outputs.TABLES.pop("test_levels", None)
