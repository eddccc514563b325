"""Events per second of the reference simulators (Gillespie well-mixed SZR, lattice SZR).

Run: ``.venv/bin/python benchmarks/bench_reference.py [--repeats 5]``. Each case runs once to
compile (Numba cache), then ``--repeats`` times; the median events/s is printed. One core.
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np

from hyosan.reference import alemi, lattice


def _median_rate(fn, repeats: int) -> tuple[float, int]:
    fn()  # compile / warm caches
    rates = []
    events = 0
    for _ in range(repeats):
        t0 = time.perf_counter()
        events = fn()
        rates.append(events / (time.perf_counter() - t0))
    return statistics.median(rates), events


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--repeats", type=int, default=5)
    args = ap.parse_args()
    t_inf = np.array([0.0, np.inf])
    cases = {
        "gillespie well-mixed N=1e6, α=0.5, 1 run": lambda: int(alemi.gillespie(
            S0=1_000_000, Z0=100, kappa=0.5, t=t_inf, runs=1, seed=1).events.sum()),
        "gillespie well-mixed N=1e4, α=0.5, 200 runs": lambda: int(alemi.gillespie(
            S0=10_000, Z0=1, kappa=0.5, t=t_inf, runs=200, seed=1).events.sum()),
        "tau-leap N=1e7, α=0.5, 1 run (reactions/s)": lambda: int(alemi.tau_leap(
            S0=10_000_000, Z0=1000, kappa=0.5, t=np.linspace(0, 60, 61), runs=1,
            seed=1).events.sum()),
        "lattice L=1024, α=0.30, 1 outbreak to the end": lambda: int(lattice.outbreak_sizes(
            L=1024, alpha=0.30, runs=1, size_cap=1024 * 1024, seed=2).events.sum()),
        "lattice L=512, α=0.40, 2000 outbreaks (cap 20000)": lambda: int(
            lattice.outbreak_sizes(L=512, alpha=0.40, runs=2000, size_cap=20_000,
                                   seed=3).events.sum()),
    }
    print(f"{'case':55s} {'events':>12s} {'median events/s':>16s}")
    for name, fn in cases.items():
        rate, events = _median_rate(fn, args.repeats)
        print(f"{name:55s} {events:12d} {rate / 1e6:13.1f} M/s", flush=True)


if __name__ == "__main__":
    main()
