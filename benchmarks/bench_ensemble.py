"""Ensemble throughput: replicates per minute at 1 and 2 local workers, and the Dask overhead.

    .venv/bin/python benchmarks/bench_ensemble.py                      # school-outbreak, 45 min
    .venv/bin/python benchmarks/bench_ensemble.py --scenario hyosan-high --duration 600 -n 4

Each configuration runs the same sweep (``-n`` replicates, seeds from the base seed) into a fresh
store; the wall time includes starting the workers (and, for Dask, the LocalCluster), since a
user pays for that too. The 2-worker speed-up is the ratio of replicates per minute.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from hyosan.ensemble import build_plan, run_sweep


def measure(scenario: str, n: int, duration: float | None, backend: str, workers: int
            ) -> float:
    """Replicates per minute of one sweep configuration."""
    plan = build_plan([scenario], [], n, duration_s=duration)
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        report = run_sweep(plan, Path(tmp) / "bench.duckdb", backend=backend, workers=workers,
                           progress=False)
        wall = time.perf_counter() - t0
    assert report.ran == n
    return 60.0 * n / wall


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scenario", default="school-outbreak")
    ap.add_argument("-n", type=int, default=8, help="replicates per configuration")
    ap.add_argument("--duration", type=float, default=None, help="simulated seconds")
    ap.add_argument("--no-dask", action="store_true")
    args = ap.parse_args()
    configs = [("local", 1), ("local", 2)] + ([] if args.no_dask else [("dask", 2)])
    rates = {}
    for backend, workers in configs:
        rates[(backend, workers)] = measure(args.scenario, args.n, args.duration, backend,
                                            workers)
        print(f"{args.scenario:16s} {backend:5s} {workers} worker(s): "
              f"{rates[(backend, workers)]:7.2f} replicates/min", flush=True)
    print(f"speed-up 2 vs 1 local workers: {rates[('local', 2)] / rates[('local', 1)]:.2f}x")
    if ("dask", 2) in rates:
        print(f"Dask overhead vs local (2 workers): "
              f"{rates[('local', 2)] / rates[('dask', 2)] - 1:+.1%} wall time")


if __name__ == "__main__":
    main()
