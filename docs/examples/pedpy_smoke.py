"""PedPy on a run with smoke (docs/pedpy.md, "Smoke"): run it from the repository root to remake
docs/img/pedpy_smoke.png (python docs/examples/pedpy_smoke.py)."""

import subprocess
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pedpy

RUN = Path("runs/pedpy-smoke")
IMG = Path("docs/img")

# 1. the smoke example (docs/examples/smoke-evacuation.yaml) with trajectories
subprocess.run(["hyosan", "run", "docs/examples/smoke-evacuation.yaml", "--out", str(RUN),
                "--trajectories", "--no-report", "--no-progress"], check=True)
traj = pedpy.load_trajectory_from_ped_data_archive_hdf5(
    trajectory_file=RUN / "trajectories" / "level0.h5")

# 2. mean speed in the room (10 m × 10 m, x and y from 0.5 to 10.5 m) per frame
room = pedpy.MeasurementArea([(0.5, 0.5), (10.5, 0.5), (10.5, 10.5), (0.5, 10.5)])
speed = pedpy.compute_individual_speed(traj_data=traj, frame_step=5,
                                       speed_calculation=pedpy.SpeedCalculation.BORDER_SINGLE_SIDED)
v = pedpy.compute_mean_speed_per_frame(traj_data=traj, individual_speed=speed,
                                       measurement_area=room)
density = pedpy.compute_classic_density(traj_data=traj, measurement_area=room)

# 3. the smoke's own speed factor over time (FDS+Evac: 1 - 0.0807 Ks, at least 0.1) and the
#    people overcome (the run's "incapacitated" events)
t = np.arange(0, 400, 1.0)
ks = 3.0 * np.clip((t - 20.0) / 60.0, 0, 1)
factor = np.maximum(0.1, 1 - 0.057 * ks / 0.706)
events = pd.read_parquet(RUN / "events.parquet")
down = np.sort(events.loc[events["kind"] == "incapacitated", "time_s"].to_numpy())

fig, ax = plt.subplots(1, 2, figsize=(10, 3.6))
ax[0].plot(v["frame"] / traj.frame_rate, v["speed"].rolling(25).mean(),
           label="mean speed in the room (PedPy, 5-s mean)")
ax[0].plot(t, 1.34 * factor, "k--", lw=1, label="free speed 1.34 m/s × smoke factor")
ax[0].set(xlabel="time (s)", ylabel="m/s", xlim=(0, 250), title="speed in the room")
ax[0].legend(fontsize=8)
ax[1].plot(density.index / traj.frame_rate, density["density"], label="room density (PedPy)")
ax[1].set(xlabel="time (s)", ylabel="P/m²", xlim=(0, 250), title="density and the overcome")
ax2 = ax[1].twinx()
ax2.step(down, np.arange(1, len(down) + 1), "r", where="post", label="incapacitated (FED ≥ 1)")
ax2.set_ylabel("people overcome", color="r")
fig.tight_layout()
fig.savefig(IMG / "pedpy_smoke.png", dpi=110, bbox_inches="tight")
early = v[(v["frame"] / traj.frame_rate).between(10, 20)]["speed"].mean()
late = v[(v["frame"] / traj.frame_rate).between(90, 110)]["speed"].mean()
print(f"mean speed in the room 10-20 s: {early:.2f} m/s, 90-110 s: {late:.2f} m/s; "
      f"{len(down)} overcome, the first at {down[0]:.0f} s" if len(down) else "none overcome")
