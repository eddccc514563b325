"""Writes a run directory (see ``hyosan.record.format``): begin, write as it goes, close.

``RunWriter`` implements ``record.protocol.Writer``. Time series and events are buffered in
column lists (``record.buffers``) and written at close; every table goes through the registry
``record.outputs``; frames are written chunk by chunk so a long run never holds them all in
memory.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import numpy as np

from hyosan.record import format as fmt
from hyosan.record import outdir
from hyosan.record.buffers import Buffered, EventBuffer, SeriesBuffer
from hyosan.record.outputs import EVENT_COLUMNS, Columns, summary_document, write_table
from hyosan.world.world import World

__all__ = ["EVENT_COLUMNS", "FrameWriter", "RunWriter", "world_to_json", "write_world"]


def world_to_json(world: World) -> dict:
    """The JSON half of a world in a run directory (levels and places)."""
    places = []
    for name, place in world.places.items():
        lvl, rows, cols = world.rowcol(place.cells)
        places.append({
            "name": name, "kind": place.kind, "level": place.level, "floor": place.floor,
            "building": place.building, "n_cells": len(place.cells),
            "centroid": [float(rows.mean()), float(cols.mean())] if len(rows) else [0.0, 0.0],
            "bbox": ([int(rows.min()), int(cols.min()), int(rows.max()), int(cols.max())]
                     if len(rows) else [0, 0, 0, 0]),
        })
    return {
        "format": fmt.FORMAT_VERSION,
        "name": world.name,
        "cell_size": world.cell_size,
        "stair_length": world.stair_length,
        "levels": [
            {"index": lv.index, "name": lv.name, "height": lv.height, "width": lv.width,
             "offset": lv.offset, "origin": list(lv.origin), "building": lv.building,
             "floor": lv.floor}
            for lv in world.levels
        ],
        "places": places,
        "n_doors": len(world.door_cells),
    }


def write_world(world: World, directory: Path) -> None:
    """Write ``world.json`` and ``world.npz`` into ``directory``."""
    (directory / fmt.WORLD_JSON).write_text(json.dumps(world_to_json(world), indent=1))
    np.savez_compressed(
        directory / fmt.WORLD_NPZ, kind=world.kind, place_of=world.place_of, up=world.up,
        down=world.down, door_cells=world.door_cells, clear=world.clear,
    )


class FrameWriter:
    """Appends frames of (level, state, row, col, door state) in gzip chunks."""

    def __init__(self, directory: Path, n_agents: int, n_doors: int, chunk_frames: int = 64):
        self.dir = directory
        self.dir.mkdir(parents=True, exist_ok=True)
        self.n_agents, self.n_doors, self.chunk_frames = n_agents, n_doors, chunk_frames
        self.ticks: list[int] = []
        self.times: list[float] = []
        self.chunks: list[dict] = []
        self._buf: list[tuple[np.ndarray, ...]] = []

    def write(self, tick: int, time_s: float, level: np.ndarray, state: np.ndarray,
              row: np.ndarray, col: np.ndarray, door_state: np.ndarray) -> None:
        self.ticks.append(int(tick))
        self.times.append(float(time_s))
        self._buf.append((level.astype(np.uint8), state.astype(np.uint8),
                          row.astype(np.int16), col.astype(np.int16),
                          door_state.astype(np.uint8)))
        if len(self._buf) >= self.chunk_frames:
            self._flush()

    def _flush(self) -> None:
        if not self._buf:
            return
        level, state, row, col, doors = (np.stack(a) for a in zip(*self._buf, strict=True))
        row = np.concatenate([row[:1], np.diff(row, axis=0)]).astype(np.int16)
        col = np.concatenate([col[:1], np.diff(col, axis=0)]).astype(np.int16)
        name = f"chunk_{len(self.chunks):05d}.bin.gz"
        payload = b"".join(np.ascontiguousarray(a).astype(a.dtype.newbyteorder("<")).tobytes()
                           for a in (level, state, row, col, doors))
        (self.dir / name).write_bytes(gzip.compress(payload, compresslevel=1, mtime=0))
        first = len(self.ticks) - len(self._buf)
        self.chunks.append({"file": name, "first": first, "count": len(self._buf)})
        self._buf = []

    def close(self) -> None:
        self._flush()
        index = {
            "format": fmt.FRAMES_FORMAT, "layout": fmt.FRAMES_LAYOUT,
            "n_agents": self.n_agents, "n_doors": self.n_doors, "n_frames": len(self.ticks),
            "chunk_frames": self.chunk_frames, "ticks": self.ticks, "time_s": self.times,
            "chunks": self.chunks,
        }
        (self.dir / fmt.FRAMES_INDEX).write_text(json.dumps(index))


class RunWriter(Buffered):
    """Writes one run directory. ``begin`` → ``counts``/``event``/``frame`` … → ``close``.

    The run is written into a hidden sibling of ``directory`` (see ``record.outdir``) carrying
    a ``RUNNING`` marker, and renamed into place by ``close``: an existing folder is replaced only
    if it is a Hyosan run, and a run that dies midway never replaces a finished one. ``abandon``
    keeps a stopped run's files, marked incomplete.
    """

    def __init__(self, directory: str | Path, n_levels: int, *, overwrite: bool = True,
                 option: str | None = None):
        self._stage = outdir.Staged(directory, "run", option=option, overwrite=overwrite,
                                    keep_partial=True)
        self.dir = self._stage.tmp
        (self.dir / fmt.RUNNING_MARKER).write_text("this run has not finished\n")
        self.n_levels = n_levels
        self.series = SeriesBuffer(n_levels)
        self.events = EventBuffer()
        self.frames: FrameWriter | None = None

    def begin(self, scenario_yaml: str, world: World, n_agents: int) -> None:
        (self.dir / fmt.SCENARIO_FILE).write_text(scenario_yaml)
        write_world(world, self.dir)
        self.frames = FrameWriter(self.dir / fmt.FRAMES_DIR, n_agents, len(world.door_cells))

    def frame(self, tick: int, time_s: float, level: np.ndarray, state: np.ndarray,
              row: np.ndarray, col: np.ndarray, door_state: np.ndarray) -> None:
        assert self.frames is not None, "begin() first"
        self.frames.write(tick, time_s, level, state, row, col, door_state)

    def table(self, name: str, columns: Columns) -> None:
        """Write a registered table (``record.outputs.TABLES``) now."""
        write_table(self.dir, name, columns)

    def close(self, agents: Columns, summary: dict) -> Path:
        """Write tables, agents and finally ``summary.json``; remove the RUNNING marker."""
        self.table("timeseries", self.series.columns)
        self.table("events", self.events.columns)
        self.table("agents", agents)
        if self.frames is not None:
            self.frames.close()
        summary = summary_document(summary)
        (self.dir / fmt.SUMMARY_FILE).write_text(json.dumps(summary, indent=2))
        (self.dir / fmt.RUNNING_MARKER).unlink(missing_ok=True)
        self.dir = self._stage.commit()
        return self.dir

    def abandon(self) -> Path:
        """Keep what a stopped run wrote, marked incomplete; returns where it now is."""
        self.dir = self._stage.abandon()
        return self.dir

