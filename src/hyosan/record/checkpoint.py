"""Checkpoints of a long run: the whole state every N simulated minutes, and resuming from it.

A checkpoint folder (default: the run folder's name plus ``.checkpoint``, beside it) holds

- ``state.pkl``: the ``Simulation`` (agents, world, fields, schedule, response log, random
  generators, events so far) pickled with the run writer's buffers (time series, frames not
  yet flushed) — every random draw of the engine is a function of (seed, tick, agent, slot) or
  of a pickled generator, so the resumed run draws exactly what the uninterrupted one draws;
- ``checkpoint.json``: where the run writes, its length, the tick of the last checkpoint;
- the run folder's files written at its start (scenario, world) and its frame chunks so far,
  copied once each (chunks never change once written).

Each save writes ``state.pkl`` beside the old one and renames it over, then the JSON: a run
killed mid-save resumes from the previous checkpoint. ``resume`` rebuilds the writer with
those files and buffers and runs the remaining ticks, so its run folder equals the
uninterrupted run's (``tests/record/test_checkpoint.py`` compares them file by file).
"""

from __future__ import annotations

import json
import os
import pickle
import shutil
from pathlib import Path
from typing import Any

from hyosan.errors import HyosanError
from hyosan.record import format as fmt

STATE = "state.pkl"
META = "checkpoint.json"
FRAMES = "frames"
#: files the run folder gets at its start, kept once in the checkpoint
START_FILES = (fmt.SCENARIO_FILE, fmt.WORLD_JSON, fmt.WORLD_NPZ)
VERSION = 2  # 2: the Simulation keeps its counts in one outcome.Counters (issue 18)


def default_dir(run_dir: Path) -> Path:
    """Where a run's checkpoints go unless told: ``runs/NAME.checkpoint``."""
    return run_dir.with_name(run_dir.name + ".checkpoint")


class Saver:
    """``on_tick`` callback of ``Simulation.run``: a checkpoint every ``every`` ticks."""

    def __init__(self, directory: Path, out_dir: Path, total_ticks: int, every: int,
                 then=None):
        self.dir = Path(directory)
        self.out_dir = Path(out_dir)
        self.total = int(total_ticks)
        self.every = max(1, int(every))
        self.then = then  # another on_tick to call first (trajectories)
        self.dir.mkdir(parents=True, exist_ok=True)
        (self.dir / FRAMES).mkdir(exist_ok=True)
        self.saved = 0

    def __call__(self, sim) -> None:
        if self.then is not None:
            self.then(sim)
        if sim.tick % self.every == 0 and sim.tick < self.total:
            save(sim, self.dir, self.out_dir, self.total)
            self.saved += 1


def save(sim, directory: Path, out_dir: Path, total_ticks: int) -> None:
    """Write a checkpoint of ``sim`` (whose writer is writing ``out_dir``) into ``directory``."""
    w = sim.writer
    if w is None:
        raise HyosanError("a checkpoint needs a run that writes a run folder")
    for name in START_FILES:
        if not (directory / name).exists():
            shutil.copy2(w.dir / name, directory / name)
    frames = w.frames
    for ch in frames.chunks:
        dst = directory / FRAMES / ch["file"]
        if not dst.exists():
            shutil.copy2(frames.dir / ch["file"], dst)
    writer_state = {"series": w.series, "events": w.events, "ticks": frames.ticks,
                    "times": frames.times, "chunks": frames.chunks, "buf": frames._buf}
    sim.writer = None  # the writer's files and folder are not state
    try:
        tmp = directory / (STATE + ".tmp")
        with open(tmp, "wb") as fh:
            pickle.dump({"version": VERSION, "sim": sim, "writer": writer_state}, fh,
                        protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, directory / STATE)
    finally:
        sim.writer = w
    meta = {"version": VERSION, "tick": int(sim.tick), "time_s": sim.time_s,
            "total_ticks": int(total_ticks), "out": str(out_dir),
            "scenario": sim.scenario.name, "frame_every": int(sim.frame_every),
            "every": _every(directory)}
    tmp = directory / (META + ".tmp")
    tmp.write_text(json.dumps(meta, indent=1))
    os.replace(tmp, directory / META)


def remember_every(directory: Path, every: int) -> None:
    """Note the checkpoint rate (ticks) so that a resumed run checkpoints on at it."""
    Path(directory).mkdir(parents=True, exist_ok=True)
    (Path(directory) / "every").write_text(str(int(every)))


def _every(directory: Path) -> int | None:
    f = Path(directory) / "every"
    return int(f.read_text()) if f.is_file() else None


def load(directory: Path) -> tuple[Any, dict, dict]:
    """(simulation, writer buffers, metadata) of the last checkpoint in ``directory``."""
    directory = Path(directory)
    where = f"--resume {str(directory)!r}"
    if not (directory / META).is_file() or not (directory / STATE).is_file():
        raise HyosanError(f"{where}: no checkpoint there (expected {META} and {STATE}; a run "
                          "writes them with --checkpoint-every)")
    meta = json.loads((directory / META).read_text())
    if meta.get("version") != VERSION:
        raise HyosanError(f"{where}: checkpoint format {meta.get('version')}, this Hyosan "
                          f"reads {VERSION}")
    with open(directory / STATE, "rb") as fh:
        data = pickle.load(fh)  # a file this program wrote, in a folder its user named
    return data["sim"], data["writer"], meta


def attach_writer(sim, directory: Path, writer_state: dict, out_dir: Path) -> None:
    """A new writer for ``out_dir`` carrying on where the checkpoint's writer stopped."""
    from hyosan.record.writer import FrameWriter, RunWriter

    w = RunWriter(out_dir, sim.world.n_levels)
    for name in START_FILES:
        shutil.copy2(directory / name, w.dir / name)
    w.frames = FrameWriter(w.dir / fmt.FRAMES_DIR, sim.n, len(sim.world.door_cells))
    for ch in writer_state["chunks"]:
        shutil.copy2(directory / FRAMES / ch["file"], w.frames.dir / ch["file"])
    w.frames.ticks = writer_state["ticks"]
    w.frames.times = writer_state["times"]
    w.frames.chunks = writer_state["chunks"]
    w.frames._buf = writer_state["buf"]
    w.series = writer_state["series"]
    w.events = writer_state["events"]
    sim.writer = w
