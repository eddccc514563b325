"""Reduced RiMEA cases and the bottleneck series, each asserting its criterion, plus the
no-wall-crossing / no-shared-cell invariant (counted inside every case run)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from hyosan.validate import movement as mv
from hyosan.world.cells import Cell


def _ok(check) -> None:
    assert check.passed, f"{check.name}: {check.measured} (want {check.tolerance})"
    assert "illegal" not in check.measured


def test_rimea1_corridor_travel_time():
    _ok(mv.rimea1(False))


def test_rimea2_3_stairs_up_slower_than_down():
    up, down = mv.rimea2_3(False)
    _ok(up)
    _ok(down)
    assert float(up.measured.split()[0]) > float(down.measured.split()[0])


def test_rimea4_fundamental_diagram(tmp_path):
    _ok(mv.fundamental_diagram(False, tmp_path))
    assert (tmp_path / "fundamental_diagram.png").stat().st_size > 1000


def test_weidmann_reference_values():
    # the quoted values, independent of the engine
    assert np.allclose(mv.weidmann([1, 2, 3, 4]), [1.06, 0.61, 0.33, 0.16], atol=0.02)


@pytest.mark.parametrize("case", ["rimea6", "rimea7", "rimea8", "rimea9", "rimea10", "rimea11",
                                  "rimea13"])
def test_rimea_case(case):
    _ok(getattr(mv, case)(False))


def test_rimea12_no_jam_at_last_exit():
    _ok(mv.rimea12(False))


@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5])
def test_rimea12_full_size_holds_across_seeds(seed):
    """150 people (the guideline's count): a few seconds each, so every seed is checked."""
    _ok(mv.rimea12(True, seed=seed))


def test_counterflow_forms_lanes_and_gets_through():
    _ok(mv.counterflow(False))


def test_counterflow_full_size_gets_through_in_lanes():
    """100 people each way: the case that locked solid before the oncoming stopped counting
    as a queue ahead and passing stopped needing both to pick each other."""
    _ok(mv.counterflow(True))


def test_with_neither_passing_nor_lanes_two_crowds_lock_solid():
    """The cellular automaton alone jams head-on at full size: passing (people squeezing by)
    is what gets the crowds through."""
    locked = mv.counterflow_run(True, lanes=0.0, seed=1, behaviour={"pass_probability": 0.0})
    assert not locked["done"] and locked["violations"] == 0
    through = mv.counterflow_run(True, lanes=0.0, seed=1)
    assert through["done"] and through["violations"] == 0


def test_counterflow_carries_less_than_a_one_way_stream_in_the_same_corridor():
    """Zhang et al. 2012: bidirectional streams pass less than unidirectional ones. The same
    120 people through the same corridor, all one way and half each way (3 seeds)."""
    one = np.mean([mv.counterflow_run(False, seed=s, oneway=True)["js"] for s in (1, 2, 3)])
    two = np.mean([mv.counterflow_run(False, seed=s)["js"] for s in (1, 2, 3)])
    assert 0.5 < two <= one, (two, one)


def test_bottleneck_series_short_in_band_long_below_it(tmp_path):
    short, long = mv.bottleneck(False, tmp_path, with_long=True)
    _ok(short)
    _ok(long)
    assert (tmp_path / "bottleneck.png").exists()


def test_bottleneck_world_draws_the_remainder_as_one_narrow_lane():
    w = mv.bottleneck_world(0.8)
    exits = w.exits()
    assert len(exits) == 2
    assert sorted(w.clear[exits].tolist()) == pytest.approx([0.3, 0.5])
    assert float(w.clear[w.kind == Cell.FLOOR].min()) == pytest.approx(0.3)
    # per column of the passage, the clear widths add up to the door width
    lv, r, c = w.rowcol(exits)
    passage = np.flatnonzero((w.kind == Cell.FLOOR) & (w.rowcol(np.arange(w.n_cells))[2] ==
                                                        int(c[0]) - 1))
    assert float(w.clear[passage].sum()) == pytest.approx(0.8)
    text = mv.PLANS["bottleneck_0.8m"]
    assert "d: {kind: floor, width: 0.3}" in text and "x: {kind: exit, width: 0.3}" in text
    mv.bottleneck_world(1.0)  # whole cells: no narrow lane, no legend
    assert "legend:" not in mv.PLANS["bottleneck_1.0m"]


def test_narrow_lane_is_walked_at_its_clear_width_share():
    # one lane of 0.25 m on 0.5 m cells: every step (and the step out) costs twice the budget
    times = []
    for lane in ("." * 20 + "E", "d" * 20 + "x"):
        w = mv.build("narrow_lane", [["#" * 24, "#a" + lane + "#", "#" * 24]], {"a": "start"},
                     legend={"d": "{kind: floor, width: 0.25}",
                             "x": "{kind: exit, width: 0.25}"})
        out = mv.evacuate(w, {"start": 1}, speed=1.0, t_max=60)
        assert out.violations == 0
        times.append(float(out.t_escape[0]))
    assert times[0] == pytest.approx(11.0, abs=0.3)  # 10.5 m of lane and the step out
    assert times[1] == pytest.approx(2 * times[0], rel=0.05)


def test_illegal_move_detector_catches_wall_jump_and_shared_cell():
    # a 1 x 3 corridor with a wall in the middle: jumping over it must count
    w = mv.build("detector", [["#####", "#a#.#", "#...#", "#####"]], {"a": "start"})
    a = w.cell(0, 1, 1)
    over = w.cell(0, 1, 3)
    diag_corner = w.cell(0, 2, 2)
    st = np.array([0], np.uint8)
    assert w.kind[w.cell(0, 1, 2)] == Cell.WALL
    inside = np.array([True])
    assert mv.illegal_moves(w, np.array([a]), np.array([over]), st, inside, 1) == 1
    assert mv.illegal_moves(w, np.array([a]), np.array([diag_corner]), st, inside, 1) == 1
    assert mv.illegal_moves(w, np.array([a]), np.array([w.cell(0, 2, 1)]), st, inside, 1) == 0
    two = np.array([True, True])
    assert mv.illegal_moves(w, np.array([a, diag_corner]), np.array([a, a]),
                            np.zeros(2, np.uint8), two, 1) == 1 + 1  # corner cut + shared


@pytest.mark.slow
def test_full_suite_passes(tmp_path):
    checks = mv.run(full=True, out_dir=tmp_path)
    bad = [c for c in checks if not c.passed]
    assert not bad, bad


def test_every_case_passes_and_committed_plans_are_the_ones_the_cases_run(tmp_path):
    """``validation/rimea/`` holds the reduced cases' plans; they must be what the code builds
    (re-export with ``hyosan.validate.movement.export_plans`` after changing a case)."""
    mv.PLANS.clear()  # other tests build worlds of their own (a detector, a narrow lane)
    checks = mv.run(full=False, out_dir=tmp_path)
    assert all(c.passed for c in checks), [c for c in checks if not c.passed]
    for png in ("fundamental_diagram.png", "bottleneck.png", "rimea8_floors.png"):
        assert (tmp_path / png).stat().st_size > 0, png
    committed = Path(__file__).resolve().parents[2] / "validation" / "rimea"
    for path in mv.export_plans(tmp_path / "plans"):
        mine = committed / path.name
        assert mine.exists(), f"{path.name} is not committed in validation/rimea/"
        assert mine.read_text() == path.read_text(), f"validation/rimea/{path.name} is stale"
