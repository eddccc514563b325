"""Per-agent trajectories in the formats PedPy reads: its text format and the Pedestrian
Dynamics Data Archive HDF5 layout (the one JuPedSim and PedPy share), one file pair per level,
with each level's walkable area as WKT.

Positions are cell centres in metres: ``x`` east along the columns, ``y`` north (the plan's
rows upside down, so a plot looks like the plan), levels placed at their origin over the
ground. People on the map are recorded (susceptible, infected, carriers); zombies and those on
a stair flight between levels are not (a flight is in neither level's plane). Frames are
``every`` ticks apart, so the frame rate is ``1 / (every · dt)``.

Files under the folder (``k`` the level):

* ``level{k}.txt``: ``# framerate: F`` and ``# x/m`` header, then ``id frame x y z`` rows
  (``pedpy.load_trajectory_from_txt``);
* ``level{k}.h5``: dataset ``trajectory`` (fields ``id, frame, x, y, z``, attribute ``fps``),
  root attribute ``wkt_geometry`` (``pedpy.load_trajectory_from_ped_data_archive_hdf5`` and
  ``load_walkable_area_from_ped_data_archive_hdf5``);
* ``level{k}.wkt``: the walkable area (``pedpy.WalkableArea(text)``). A level in several
  unconnected pieces is a MULTIPOLYGON here; PedPy takes one polygon, so the ``.h5`` carries the
  largest piece and the recorded people standing on it.

``h5py`` and ``shapely`` come with the ``egress`` extra (``pip install hyosan[egress]``).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from hyosan.states import State
from hyosan.world.cells import Cell

if TYPE_CHECKING:  # pragma: no cover
    from hyosan.engine.simulation import Simulation
    from hyosan.world.world import World

HUMANS = (State.SUSCEPTIBLE, State.INFECTED, State.CARRIER)
#: cell kinds a person can stand on (the walkable area)
STANDABLE = (Cell.FLOOR, Cell.DOOR, Cell.STAIRS, Cell.EXIT, Cell.GROUND)


def require_extra() -> None:
    """Refuse ``--trajectories`` before the run when the ``egress`` extra is missing."""
    import importlib.util

    from hyosan.errors import ScenarioError

    missing = [m for m in ("h5py", "shapely") if importlib.util.find_spec(m) is None]
    if missing:
        raise ScenarioError(f"needs {' and '.join(missing)} (the egress extra): "
                            "pip install 'hyosan[egress]'", where="--trajectories")


def check_size(n_agents: int, n_ticks: int, every: int) -> None:
    """Refuse a recording whose positions (up to agents × frames, 20 bytes each) would not fit
    the trajectory limit or the memory free now, naming ``--trajectories-every``."""
    from hyosan.errors import ScenarioError
    from hyosan.limits import available_memory, check

    rows = n_agents * (n_ticks // max(1, every) + 1)
    check("trajectory_rows", rows, "--trajectories-every",
          f"{n_agents:,} agents × {n_ticks // max(1, every) + 1:,} frames")
    free = available_memory()
    if free is not None and rows * 20 > free:
        raise ScenarioError(f"recording {rows:,} positions needs about {rows * 20 / 2**30:.1f} "
                            f"GiB, more than the {free / 2**30:.1f} GiB free; record fewer "
                            "frames (a larger --trajectories-every)", where="--trajectories-every")


class TrajectoryRecorder:
    """Collects positions every ``every`` ticks (``sample`` after each step); ``write`` at the
    end. Memory: 20 bytes per recorded person and frame."""

    def __init__(self, world: World, dt: float, every: int = 1):
        require_extra()
        self.world = world
        self.every = max(1, int(every))
        self.fps = 1.0 / (self.every * dt)
        self._parts: list[tuple[int, np.ndarray, np.ndarray, np.ndarray, np.ndarray]] = []

    def sample(self, sim: Simulation) -> None:
        """Record the people on the map now, if this tick is a frame."""
        if sim.tick % self.every:
            return
        p = sim.pop
        on = np.isin(p.state, HUMANS) & (p.flight < 0)
        ids = np.flatnonzero(on)
        self._parts.append((sim.tick // self.every, ids.astype(np.int64),
                            p.level[ids].copy(), p.row[ids].copy(), p.col[ids].copy()))

    def table(self) -> dict[str, np.ndarray]:
        """Every recorded position: id, frame, level, x, y (metres)."""
        if not self._parts:
            z = np.zeros(0)
            return {"id": z.astype(np.int64), "frame": z.astype(np.int64),
                    "level": z.astype(np.int32), "x": z, "y": z}
        frame = np.concatenate([np.full(len(ids), f, np.int64) for f, ids, *_ in self._parts])
        ids = np.concatenate([q[1] for q in self._parts])
        lv = np.concatenate([q[2] for q in self._parts])
        x, y = positions(self.world, lv, np.concatenate([q[3] for q in self._parts]),
                         np.concatenate([q[4] for q in self._parts]))
        return {"id": ids, "frame": frame, "level": lv, "x": x, "y": y}

    def write(self, folder: str | Path) -> list[Path]:
        """Write the text, HDF5 and WKT files of every level with a walkable area."""
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        t = self.table()
        out = []
        for k in range(self.world.n_levels):
            area = walkable_area(self.world, k)
            if area.is_empty:
                continue
            mine = t["level"] == k
            rows = {c: t[c][mine] for c in ("id", "frame", "x", "y")}
            out.append(folder / f"level{k}.wkt")
            out[-1].write_text(area.wkt + "\n")
            out.append(write_txt(folder / f"level{k}.txt", rows, self.fps))
            out.append(write_hdf5(folder / f"level{k}.h5", rows, self.fps, area))
        return out


def positions(world: World, level: np.ndarray, row: np.ndarray, col: np.ndarray
              ) -> tuple[np.ndarray, np.ndarray]:
    """Cell centres in metres: x east, y north (rows counted up from the bottom edge)."""
    cs = world.cell_size
    oc = np.array([lv.origin[1] for lv in world.levels], np.float64)[level]
    orow = np.array([lv.origin[0] for lv in world.levels], np.float64)[level]
    top = max(lv.origin[0] + lv.height for lv in world.levels)
    return (oc + col + 0.5) * cs, (top - (orow + row) - 0.5) * cs


def walkable_area(world: World, k: int):
    """The cells of level ``k`` a person can stand on, as one shapely (Multi)Polygon."""
    import shapely

    lv = world.levels[k]
    kind = world.kind[lv.offset: lv.offset + lv.size].reshape(lv.height, lv.width)
    walk = np.isin(kind, STANDABLE)
    boxes = []
    for r in range(lv.height):  # one box per run of standable cells in a row
        d = np.diff(np.r_[0, walk[r].astype(np.int8), 0])
        for c0, c1 in zip(np.flatnonzero(d == 1), np.flatnonzero(d == -1), strict=True):
            x0, y0 = positions(world, np.array([k]), np.array([r]), np.array([c0]))
            boxes.append(shapely.box(x0[0] - 0.5 * world.cell_size,
                                     y0[0] - 0.5 * world.cell_size,
                                     x0[0] + (c1 - c0 - 0.5) * world.cell_size,
                                     y0[0] + 0.5 * world.cell_size))
    if not boxes:
        return shapely.Polygon()
    return shapely.union_all(boxes).simplify(0)


def largest_piece(area):
    """One polygon for PedPy: the area itself, or its largest piece."""
    if area.geom_type == "Polygon":
        return area
    return max(area.geoms, key=lambda g: g.area)


def write_txt(path: Path, rows: dict[str, np.ndarray], fps: float) -> Path:
    """PedPy's text format: a commented header with the frame rate and unit, then
    ``id frame x y z`` per line (z = 0: each level is its own plane)."""
    data = np.column_stack([rows["id"], rows["frame"], rows["x"], rows["y"],
                            np.zeros(len(rows["id"]))])
    header = (f"framerate: {fps:g}\nx/m y/m z/m (Hyosan cell centres)\n"
              "id frame x y z")
    np.savetxt(path, data, fmt=["%d", "%d", "%.3f", "%.3f", "%.1f"], header=header,
               comments="# ")
    return path


def write_hdf5(path: Path, rows: dict[str, np.ndarray], fps: float, area) -> Path:
    """The Pedestrian Dynamics Data Archive layout: dataset ``trajectory`` (id, frame, x, y,
    z; attribute ``fps``) and the walkable area as the root attribute ``wkt_geometry``."""
    import h5py
    import shapely

    poly = largest_piece(area)
    keep = shapely.contains_xy(poly.buffer(1e-6), rows["x"], rows["y"])
    dt = np.dtype([("id", "<i8"), ("frame", "<i8"), ("x", "<f8"), ("y", "<f8"), ("z", "<f8")])
    data = np.zeros(int(keep.sum()), dt)
    for c in ("id", "frame", "x", "y"):
        data[c] = rows[c][keep]
    with h5py.File(path, "w") as f:
        ds = f.create_dataset("trajectory", data=data)
        ds.attrs["fps"] = fps
        f.attrs["wkt_geometry"] = poly.wkt
        f.attrs["source"] = "Hyosan"
    return path
