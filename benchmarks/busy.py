"""Keep every core busy for a bounded time: one CPU-bound process per core, each stops itself.

    python benchmarks/busy.py [--seconds 30] [--procs N]   (N defaults to the number of cores)

Each process spins a pure-Python loop until its deadline (or until busy.py is terminated) and
then exits, so a benchmark that starts it (``bench_threads.py``) cannot leave the machine
loaded. This stands in for a user's
busy laptop: the benchmark's own threads then compete with it for every core.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import signal
import subprocess
import sys
import time


def spin(seconds: float) -> int:
    """Integer arithmetic until ``seconds`` have passed or the parent is gone."""
    end = time.monotonic() + seconds
    parent = os.getppid()
    k = 0
    while time.monotonic() < end and os.getppid() == parent:
        for _ in range(10_000):
            k = (k * 1103515245 + 12345) & 0x7FFFFFFF
    return k


def start(seconds: float, procs: int | None = None) -> subprocess.Popen:
    """Start ``busy.py`` in the background (it exits by itself after ``seconds``)."""
    return subprocess.Popen([sys.executable, __file__, "--seconds", str(seconds),
                             "--procs", str(procs or os.cpu_count() or 1)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=30.0)
    ap.add_argument("--procs", type=int, default=os.cpu_count() or 1)
    a = ap.parse_args(argv)
    if a.seconds > 600:
        ap.error("--seconds is at most 600: the load must stop by itself")
    # terminate() (SIGTERM) leaves through the pool's exit, which stops the workers too
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    with mp.Pool(a.procs) as pool:
        pool.map(spin, [a.seconds] * a.procs)


if __name__ == "__main__":
    main()
