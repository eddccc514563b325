"""Crowd measures by PedPy (density in an area, N–t and flow at a line, individual speeds),
taken from a run's positions kept in memory every tick.

PedPy is optional (the ``egress`` extra): ``available()`` says whether it can be used, and the
cases fall back to their own counts without it, saying so in the table ("own count"). With it,
a case records positions with ``Tracks`` (an ``on_tick`` of ``harness.egress``: the same
recorder as ``hyosan run --trajectories``) and asks PedPy for the measure.
"""

from __future__ import annotations

import importlib.util
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:  # pragma: no cover
    from hyosan.engine.simulation import Simulation


def available() -> bool:
    """Whether PedPy and the trajectory writer's dependencies are installed."""
    return all(importlib.util.find_spec(m) is not None for m in ("pedpy", "h5py", "shapely"))


class Tracks:
    """Positions of the people on the map after every tick (``on_tick(sim, prev)``)."""

    def __init__(self) -> None:
        self.rec = None

    def __call__(self, sim: Simulation, prev: np.ndarray | None = None) -> None:
        if self.rec is None:
            from hyosan.record.trajectories import TrajectoryRecorder

            self.rec = TrajectoryRecorder(sim.world, sim.dt, 1)
        self.rec.sample(sim)

    def trajectory(self, level: int = 0):
        """The level's positions as a ``pedpy.TrajectoryData`` (metres, frames one tick)."""
        import pandas as pd
        import pedpy

        t = self.rec.table()
        mine = t["level"] == level
        data = pd.DataFrame({"id": t["id"][mine], "frame": t["frame"][mine],
                             "x": t["x"][mine], "y": t["y"][mine]})
        return pedpy.TrajectoryData(data=data, frame_rate=self.rec.fps)


def box(x0: float, y0: float, x1: float, y1: float):
    import pedpy

    return pedpy.MeasurementArea([(x0, y0), (x1, y0), (x1, y1), (x0, y1)])


def density_peak(traj, area, window_s: float) -> float:
    """The largest ``window_s``-second mean of PedPy's classic density in ``area`` (P/m²)."""
    import pedpy

    d = pedpy.compute_classic_density(traj_data=traj, measurement_area=area)["density"]
    k = max(1, int(round(window_s * traj.frame_rate)))
    return float(d.rolling(k).mean().max())


def crossing_times(traj, line) -> np.ndarray:
    """Seconds at which each person crossed ``line`` (PedPy's N–t), sorted."""
    import pedpy

    nt, crossing = pedpy.compute_n_t(traj_data=traj, measurement_line=line)
    return np.sort(crossing["frame"].to_numpy(float)) / traj.frame_rate


def line(x0: float, y0: float, x1: float, y1: float):
    import pedpy

    return pedpy.MeasurementLine([(x0, y0), (x1, y1)])


def mean_speed(traj, frame_step: int = 5) -> np.ndarray:
    """Each person's mean speed (m/s) over the frames PedPy can compute a speed for."""
    import pedpy

    v = pedpy.compute_individual_speed(
        traj_data=traj, frame_step=frame_step,
        speed_calculation=pedpy.SpeedCalculation.BORDER_EXCLUDE)
    return v.groupby("id")["speed"].mean().to_numpy(float)
