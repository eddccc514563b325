"""Trajectories for PedPy: PedPy loads a Hyosan run (text and HDF5 layouts, the walkable area)
and its measures agree with what the run was set up to do."""

from __future__ import annotations

import numpy as np
import pytest

pedpy = pytest.importorskip("pedpy")

from hyosan.record.trajectories import TrajectoryRecorder, positions, walkable_area  # noqa: E402
from hyosan.validate.egress.harness import build, corridor, egress  # noqa: E402
from hyosan.validate.movement import box, rows  # noqa: E402
from hyosan.world.cells import Cell  # noqa: E402


def _record(world, spawn, **kw):
    rec = TrajectoryRecorder(world, 0.2)
    out = egress(world, spawn, on_tick=lambda sim, prev: rec.sample(sim), check=False, **kw)
    return rec, out


def test_positions_are_cell_centres_in_metres_y_up():
    w = corridor("t/traj_corridor", 10.0, 2.0)
    lv = w.levels[0]
    x, y = positions(w, np.array([0, 0]), np.array([0, lv.height - 1]), np.array([0, 3]))
    assert x.tolist() == [0.25, 1.75]
    assert y.tolist() == [lv.height * 0.5 - 0.25, 0.25]


def test_walkable_area_is_the_standable_cells():
    w = corridor("t/traj_corridor", 10.0, 2.0)
    area = walkable_area(w, 0)
    standable = np.isin(w.kind, (Cell.FLOOR, Cell.DOOR, Cell.STAIRS, Cell.EXIT, Cell.GROUND))
    assert area.area == pytest.approx(standable.sum() * 0.25)
    assert area.geom_type == "Polygon"


def test_pedpy_reads_both_layouts_and_measures_the_set_speed(tmp_path):
    """One walker at 1.2 m/s down a 20 m corridor: PedPy's individual speed is 1.2 m/s."""
    w = corridor("t/traj_corridor", 20.0, 2.0)
    rec, out = _record(w, {"start": 1}, speed=1.2, t_max=60)
    rec.write(tmp_path)
    txt = pedpy.load_trajectory_from_txt(trajectory_file=tmp_path / "level0.txt")
    h5 = pedpy.load_trajectory_from_ped_data_archive_hdf5(trajectory_file=tmp_path / "level0.h5")
    area = pedpy.load_walkable_area_from_ped_data_archive_hdf5(
        trajectory_file=tmp_path / "level0.h5")
    assert txt.frame_rate == h5.frame_rate == 5.0
    assert np.allclose(txt.data[["x", "y"]].to_numpy(), h5.data[["x", "y"]].to_numpy())
    assert pedpy.is_trajectory_valid(traj_data=txt, walkable_area=area)
    assert pedpy.WalkableArea((tmp_path / "level0.wkt").read_text()).area == area.area
    speed = pedpy.compute_individual_speed(
        traj_data=txt, frame_step=10, speed_calculation=pedpy.SpeedCalculation.BORDER_EXCLUDE)
    moving = speed["speed"].to_numpy()[5:-5]  # away from the start and the exit
    # positions are cell centres (0.5 m steps): single windows scatter, their mean does not
    assert moving.mean() == pytest.approx(1.2, rel=0.03)


def test_pedpy_flow_and_density_at_an_exit(tmp_path):
    """100 people leave a room by a 1 m exit at the IMO calibration (1.33 P/s): PedPy's N–t
    at a line before the exit gives that flow, and its classic density before the exit shows
    the crowd (well above the free-walking 1 P/m²)."""
    g = box(12, 18, "a")
    g[5][17] = g[6][17] = "E"
    w = build("t/traj_room", [rows(g)], {"a": "room"})
    rec, out = _record(w, {"room": 100}, t_max=200)
    rec.write(tmp_path)
    traj = pedpy.load_trajectory_from_ped_data_archive_hdf5(trajectory_file=tmp_path / "level0.h5")
    # the exit is column 17 (x = 8.75 m), rows 5–6 (y = 2.5–3.5 m); the line spans the room
    # two cells before it, at x = 8 m
    line = pedpy.MeasurementLine([(8.0, 0.5), (8.0, 5.5)])
    y_bot, y_top = 2.5, 3.5
    nt, crossing = pedpy.compute_n_t(traj_data=traj, measurement_line=line)
    t = nt["time"].to_numpy()
    n = nt["cumulative_pedestrians"].to_numpy()
    lo, hi = np.searchsorted(n, 10), np.searchsorted(n, 90)
    flow = (n[hi] - n[lo]) / (t[hi] - t[lo])
    assert flow == pytest.approx(1.33, rel=0.1)
    ma = pedpy.MeasurementArea([(6.5, y_bot - 1.0), (8.5, y_bot - 1.0), (8.5, y_top + 1.0),
                                (6.5, y_top + 1.0)])
    dens = pedpy.compute_classic_density(traj_data=traj, measurement_area=ma)
    assert dens["density"].iloc[50:150].mean() > 1.5
