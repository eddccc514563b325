"""Time one navigation distance field on a flagship-sized world.

Level 0: 2000 × 2000 cells with random walls (a town-sized ground); level 1: a 120 × 400 upper
floor joined by a few stairs. Prints the median of 5 timings and cells per second.

    .venv/bin/python benchmarks/bench_navigation.py [--size 2000] [--walls 0.2] [--repeat 5]
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np

from hyosan.world.cells import Cell
from hyosan.world.navigation import distance_field, passable, reachable
from hyosan.world.world import Level, World


def bench_world(size: int, walls: float, seed: int = 0) -> World:
    """A ``size``² ground of random walls plus a 120 × 400 open upper floor over its corner."""
    rng = np.random.default_rng(seed)
    ground = np.where(rng.random(size * size) < walls, Cell.WALL, Cell.FLOOR).astype(np.uint8)
    uh, uw = 120, 400
    upper = np.full(uh * uw, Cell.FLOOR, dtype=np.uint8)
    kind = np.concatenate([ground, upper])
    levels = [Level(0, "ground", size, size, 0),
              Level(1, "upper", uh, uw, size * size, origin=(0, 0))]
    n = len(kind)
    up = np.full(n, -1, dtype=np.int64)
    down = np.full(n, -1, dtype=np.int64)
    for r, c in [(10, 10), (10, 390), (110, 200)]:
        a, b = r * size + c, size * size + r * uw + c
        kind[a] = kind[b] = Cell.STAIRS
        up[a], down[b] = b, a
    kind[size * size // 2 + size // 2] = Cell.EXIT
    return World(cell_size=0.5, levels=levels, kind=kind, up=up, down=down, name="bench")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--size", type=int, default=2000)
    ap.add_argument("--walls", type=float, default=0.2)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()

    world = bench_world(args.size, args.walls)
    targets = world.exits()
    distance_field(world, targets)  # compile (or load the cache) outside the timings
    times, cpu = [], []
    for _ in range(args.repeat):
        t0, c0 = time.perf_counter(), time.process_time()
        f = distance_field(world, targets)
        times.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    ok = passable(world, "human")
    times_kernel = []
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        distance_field(world, targets, ok=ok)
        times_kernel.append(time.perf_counter() - t0)
    reachable(world, targets, who="any")  # compile
    t0 = time.perf_counter()
    reach = reachable(world, targets, who="any")
    t_reach = time.perf_counter() - t0

    n = world.n_cells
    med, med_k = statistics.median(times), statistics.median(times_kernel)
    print(f"world: {n:,} cells ({args.size}² ground, {args.walls:.0%} walls, 120×400 upper), "
          f"{int(np.isfinite(f).sum()):,} reached")
    print(f"distance_field: median {med:.3f} s of {args.repeat} -> {n / med / 1e6:.2f} M cells/s"
          f" (CPU time {statistics.median(cpu):.3f} s)")
    print(f"  (passability given: {med_k:.3f} s -> {n / med_k / 1e6:.2f} M cells/s)")
    print(f"reachable: {t_reach:.3f} s, {int(reach.sum()):,} cells")


if __name__ == "__main__":
    main()
