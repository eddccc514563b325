"""Reads a run directory written by ``RunWriter`` (report, viewer, ensemble use this)."""

from __future__ import annotations

import gzip
import json
from functools import cached_property
from pathlib import Path

import numpy as np
import pyarrow as pa

from hyosan.errors import RunDirError
from hyosan.record import format as fmt
from hyosan.record import outdir
from hyosan.record.outputs import TABLES, read_table


class RunDir:
    """A finished run directory. Raises ``RunDirError`` naming what is missing."""

    def __init__(self, path: str | Path, *, allow_incomplete: bool = False):
        self.path = Path(path)
        if not self.path.is_dir():
            raise RunDirError(f"{self.path}: " + ("a file, not a run directory"
                                                  if self.path.exists() else
                                                  "no such run directory"))
        unfinished = (self.path / fmt.RUNNING_MARKER).exists() or not outdir.is_complete(
            self.path)
        if outdir.output_kind(self.path) != "run" and not unfinished:
            raise RunDirError(f"{self.path}: not a Hyosan run directory (no {fmt.SUMMARY_FILE} "
                              "written by `hyosan run`)")
        if not allow_incomplete and (unfinished or not (self.path / fmt.SUMMARY_FILE).exists()):
            raise RunDirError(f"{self.path}: this run did not finish (it was stopped or "
                              "failed before writing its summary); run it again")
        for name in (fmt.WORLD_JSON, fmt.WORLD_NPZ, fmt.TIMESERIES_FILE, fmt.EVENTS_FILE):
            if not (self.path / name).exists():
                raise RunDirError(f"{self.path}: missing {name}")

    @cached_property
    def summary(self) -> dict:
        return json.loads((self.path / fmt.SUMMARY_FILE).read_text())

    @cached_property
    def world(self) -> dict:
        """``world.json`` as a dict, with the ``world.npz`` arrays under ``arrays``."""
        info = json.loads((self.path / fmt.WORLD_JSON).read_text())
        with np.load(self.path / fmt.WORLD_NPZ) as npz:
            info["arrays"] = {k: npz[k] for k in npz.files}
        return info

    def level_grid(self, level: int, arr: np.ndarray | None = None) -> np.ndarray:
        """A per-cell world array (default ``kind``) as the 2-D grid of one level."""
        lv = self.world["levels"][level]
        a = self.world["arrays"]["kind"] if arr is None else arr
        return a[lv["offset"] : lv["offset"] + lv["height"] * lv["width"]].reshape(
            lv["height"], lv["width"]
        )

    @cached_property
    def scenario_text(self) -> str:
        return (self.path / fmt.SCENARIO_FILE).read_text()

    def table(self, name: str) -> pa.Table:
        """A registered table (``record.outputs.TABLES``) as a pyarrow Table."""
        if name not in TABLES:
            raise RunDirError(f"{self.path}: no table {name!r} in the run-directory format "
                              f"(known: {', '.join(TABLES)})")
        if not self.has_table(name):
            raise RunDirError(f"{self.path}: missing {TABLES[name].file}")
        return read_table(self.path, name)

    def has_table(self, name: str) -> bool:
        """Did this run write the registered table ``name`` (older runs may lack some)."""
        return name in TABLES and (self.path / TABLES[name].file).exists()

    def timeseries(self) -> pa.Table:
        """The time series as a pyarrow Table (``.to_pandas()`` needs pandas; use columns)."""
        return self.table("timeseries")

    def events(self) -> pa.Table:
        return self.table("events")

    def agents(self) -> pa.Table:
        return self.table("agents")

    # ------------------------------------------------------------------ frames
    @cached_property
    def frame_index(self) -> dict:
        p = self.path / fmt.FRAMES_DIR / fmt.FRAMES_INDEX
        if not p.exists():
            raise RunDirError(f"{self.path}: this run recorded no frames")
        return json.loads(p.read_text())

    @property
    def n_frames(self) -> int:
        return int(self.frame_index["n_frames"])

    def read_chunk(self, k: int) -> dict[str, np.ndarray]:
        """Frames of chunk ``k``: ``level``, ``state``, ``row``, ``col`` ([count, n_agents]) and
        ``door_state`` ([count, n_doors]), with rows and cols absolute."""
        idx = self.frame_index
        info = idx["chunks"][k]
        c, n, nd = info["count"], idx["n_agents"], idx["n_doors"]
        raw = gzip.decompress((self.path / fmt.FRAMES_DIR / info["file"]).read_bytes())
        out, pos = {}, 0
        for name, dtype, width in (("level", "<u1", n), ("state", "<u1", n), ("row", "<i2", n),
                                   ("col", "<i2", n), ("door_state", "<u1", nd)):
            size = c * width * np.dtype(dtype).itemsize
            out[name] = np.frombuffer(raw, dtype=dtype, count=c * width, offset=pos).reshape(
                c, width)
            pos += size
        out["row"] = np.cumsum(out["row"], axis=0, dtype=np.int16)
        out["col"] = np.cumsum(out["col"], axis=0, dtype=np.int16)
        return out

    def frames(self):
        """Iterate over frames: (tick, time_s, dict of per-agent arrays for that frame)."""
        idx = self.frame_index
        for k, info in enumerate(idx["chunks"]):
            chunk = self.read_chunk(k)
            for j in range(info["count"]):
                f = info["first"] + j
                yield idx["ticks"][f], idx["time_s"][f], {key: v[j] for key, v in chunk.items()}

    def frame(self, f: int) -> dict[str, np.ndarray]:
        """One frame by number."""
        idx = self.frame_index
        k = f // idx["chunk_frames"]
        chunk = self.read_chunk(k)
        j = f - idx["chunks"][k]["first"]
        return {key: v[j] for key, v in chunk.items()}
