"""Benchmark: render 1,000 animation frames of a flagship-sized run.

Synthetic run (no engine needed): 20,000 agents, a 2000 × 2000-cell town (level 0) and four
upper floors of 60 × 200 cells, agents random-walking while the zombie share rises. The run
directory is written once with ``RunWriter``; the timed part reads the frames back and
renders each into an RGB image (``SchoolAnimator.render``: layout, doors, agents, grade,
caption), median of ``--repeats``. ``--encode`` also times rendering plus MP4 encoding.

    .venv/bin/python benchmarks/bench_animation.py [--frames 1000] [--repeats 3] [--encode]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np

from hyosan.record.reader import RunDir
from hyosan.record.writer import RunWriter
from hyosan.report import canvas as cv
from hyosan.report.animation import animator_for
from hyosan.states import STATE_NAMES, State
from hyosan.world.cells import Cell
from hyosan.world.world import Level, World

N_AGENTS = 20_000
TOWN = 2000
FLOOR_H, FLOOR_W = 60, 200


def flagship_world() -> World:
    town = np.full((TOWN, TOWN), Cell.GROUND, np.uint8)
    town[::50, :] = Cell.WALL  # a street grid of building walls
    town[:, ::50] = Cell.WALL
    town[25::50, :] = Cell.FLOOR
    floor = np.full((FLOOR_H, FLOOR_W), Cell.FLOOR, np.uint8)
    floor[[0, -1], :] = floor[:, [0, -1]] = Cell.WALL
    floor[25, :] = floor[35, :] = Cell.WALL  # corridor between two rows of classrooms
    floor[:25, ::20] = floor[35:, ::20] = Cell.WALL
    floor[25, 10::20] = floor[35, 10::20] = Cell.DOOR
    levels = [Level(0, "town", TOWN, TOWN, 0)]
    kinds = [town.ravel()]
    offset = TOWN * TOWN
    for k in range(1, 5):
        levels.append(Level(k, f"school floor {k + 1}", FLOOR_H, FLOOR_W, offset,
                            origin=(900, 900), building="school", floor=k))
        kinds.append(floor.ravel())
        offset += FLOOR_H * FLOOR_W
    kind = np.concatenate(kinds)
    none = np.full(len(kind), -1, np.int64)
    return World(cell_size=0.5, levels=levels, kind=kind, up=none, down=none.copy())


def write_synthetic_run(path: Path, n_frames: int) -> Path:
    world = flagship_world()
    w = RunWriter(path, n_levels=world.n_levels)
    w.begin("name: flagship-bench\n", world, N_AGENTS)
    rng = np.random.default_rng(0)
    level = np.where(np.arange(N_AGENTS) < 15_000, 0, 1 + np.arange(N_AGENTS) % 4).astype(
        np.uint8)
    h = np.where(level == 0, TOWN, FLOOR_H)
    wd = np.where(level == 0, TOWN, FLOOR_W)
    row = (rng.random(N_AGENTS) * (h - 2) + 1).astype(np.int64)
    col = (rng.random(N_AGENTS) * (wd - 2) + 1).astype(np.int64)
    turn_at = rng.integers(0, n_frames, N_AGENTS)
    n_doors = len(world.door_cells)
    zeros = np.zeros(2 + 2 * world.n_levels, np.int64)
    for f in range(n_frames):
        row = np.clip(row + rng.integers(-1, 2, N_AGENTS), 1, h - 2)
        col = np.clip(col + rng.integers(-1, 2, N_AGENTS), 1, wd - 2)
        state = np.where(turn_at <= f, State.ZOMBIE, State.SUSCEPTIBLE).astype(np.uint8)
        doors = (rng.random(n_doors) < f / n_frames).astype(np.uint8) * 3
        w.frame(f, f * 2.0, level, state, row, col, doors)
        w.counts(f, f * 2.0, np.bincount(state, minlength=len(STATE_NAMES)), zeros[:5],
                 zeros[:5])
    agents = {"id": np.arange(N_AGENTS), "name": [""] * N_AGENTS}
    return w.close(agents, {"scenario": "flagship-bench", "start_clock_s": 30600})


def render_all(run: RunDir) -> int:
    anim = animator_for(run)
    n = 0
    for _tick, time_s, frame in run.frames():
        anim.render(time_s, frame)
        n += 1
    return n


def render_encode(run: RunDir, out: Path) -> int:
    anim = animator_for(run)
    writers = cv.VideoWriters(out / "bench", (anim.width, anim.height), fps=12, gif=False)
    for _tick, time_s, frame in run.frames():
        writers.add(anim.render(time_s, frame))
    writers.close()
    return writers.n


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--frames", type=int, default=1000)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--encode", action="store_true", help="also time render + MP4 encoding")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        run = RunDir(write_synthetic_run(Path(tmp) / "run", args.frames))
        anim = animator_for(run)
        print(f"synthetic run written in {time.perf_counter() - t0:.1f} s: {N_AGENTS} agents, "
              f"town {TOWN}x{TOWN}, 4 floors {FLOOR_H}x{FLOOR_W}, {args.frames} frames; "
              f"frame {anim.width}x{anim.height} px")
        times = []
        for _ in range(args.repeats):
            t0 = time.perf_counter()
            n = render_all(run)
            times.append(time.perf_counter() - t0)
        print(f"render {n} frames: median {statistics.median(times):.2f} s "
              f"(runs: {', '.join(f'{t:.2f}' for t in times)}); "
              f"{1000 * statistics.median(times) / n:.1f} ms/frame")
        if args.encode:
            t0 = time.perf_counter()
            n = render_encode(run, Path(tmp))
            print(f"render + MP4 encode {n} frames: {time.perf_counter() - t0:.2f} s")


if __name__ == "__main__":
    main()
