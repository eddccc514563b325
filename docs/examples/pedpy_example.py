"""The PedPy walk-through of docs/pedpy.md: run it from the repository root to remake the
figures in docs/img/ (python docs/examples/pedpy_example.py)."""

import subprocess
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import pedpy

RUN = Path("runs/pedpy-example")
IMG = Path("docs/img")

# 1. a Hyosan run with trajectories
subprocess.run(["hyosan", "run", "docs/examples/pedpy-evacuation.yaml", "--out", str(RUN),
                "--trajectories", "--no-report", "--no-progress"], check=True)

# 2. load the ground floor: trajectory and walkable area from the HDF5 file
h5 = RUN / "trajectories" / "level0.h5"
traj = pedpy.load_trajectory_from_ped_data_archive_hdf5(trajectory_file=h5)
area = pedpy.load_walkable_area_from_ped_data_archive_hdf5(trajectory_file=h5)
print(traj.frame_rate, "fps,", traj.data["id"].nunique(), "people,", f"{area.area:.0f} m²")
print("inside the walkable area:", pedpy.is_trajectory_valid(traj_data=traj, walkable_area=area))

# 3. where to measure: 2 m × 2 m before the room door, mid-corridor, before the stair
y0, y1 = 4.5, 6.5  # the corridor's band (rows 9-12 of the plan)
boxes = {"room door": (8.5, 10.5), "corridor": (15.0, 17.0), "stair foot": (21.0, 23.0)}
areas = {k: pedpy.MeasurementArea([(a, y0), (b, y0), (b, y1), (a, y1)])
         for k, (a, b) in boxes.items()}
door = pedpy.MeasurementLine([(11.0, 4.5), (11.0, 6.5)])  # just past the room's 1 m door

fig, ax = plt.subplots(figsize=(9, 4))
pedpy.plot_measurement_setup(traj=traj, walkable_area=area, measurement_areas=list(areas.values()),
                             measurement_lines=[door], axes=ax, traj_alpha=0.15, traj_width=0.4,
                             ma_alpha=0.3, ml_color="r")
ax.set_title("Ground floor: trajectories, measurement areas, the door line")
fig.savefig(IMG / "pedpy_setup.png", dpi=110, bbox_inches="tight")

# 4. classic density in each area over time
fig, ax = plt.subplots(figsize=(6, 3.5))
for name, ma in areas.items():
    d = pedpy.compute_classic_density(traj_data=traj, measurement_area=ma)
    ax.plot(d.index / traj.frame_rate, d["density"].rolling(25).mean(), label=name)
    print(f"{name}: peak 5-s mean density {d['density'].rolling(25).mean().max():.1f} P/m²")
ax.set(xlabel="time (s)", ylabel="classic density (P/m², 5-s mean)")
ax.legend()
fig.savefig(IMG / "pedpy_density.png", dpi=110, bbox_inches="tight")

# 5. speed: each person's, then the mean in each area per frame
speed = pedpy.compute_individual_speed(traj_data=traj, frame_step=5,
                                       speed_calculation=pedpy.SpeedCalculation.BORDER_SINGLE_SIDED)
fig, ax = plt.subplots(figsize=(6, 3.5))
for name, ma in areas.items():
    v = pedpy.compute_mean_speed_per_frame(traj_data=traj, individual_speed=speed,
                                           measurement_area=ma)
    ax.plot(v.index / traj.frame_rate, v.rolling(25).mean(), label=name)
ax.set(xlabel="time (s)", ylabel="mean speed (m/s, 5-s mean)")
ax.legend()
fig.savefig(IMG / "pedpy_speed.png", dpi=110, bbox_inches="tight")

# 6. N–t and flow through the door
nt, crossing = pedpy.compute_n_t(traj_data=traj, measurement_line=door)
flow = pedpy.compute_flow(nt=nt, crossing_frames=crossing, individual_speed=speed,
                          delta_frame=50, frame_rate=traj.frame_rate)
fig, ax = plt.subplots(1, 2, figsize=(9, 3.5))
pedpy.plot_nt(nt=nt, axes=ax[0], title="N–t at the room door")
ax[1].plot(flow.index / traj.frame_rate, flow["flow"], "o-")
ax[1].axhline(1.33, color="k", lw=1, label="door_flow: imo (1.33 P/s)")
ax[1].set(xlabel="time (s)", ylabel="flow (P/s)", title="flow through the 1 m door")
ax[1].legend()
fig.tight_layout()
fig.savefig(IMG / "pedpy_flow.png", dpi=110, bbox_inches="tight")
print(f"door: {int(nt['cumulative_pedestrians'].iloc[-1])} crossed; "
      f"median flow over 10-s windows {flow['flow'].median():.2f} P/s")
