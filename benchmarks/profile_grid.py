"""Where a `grid-benchmark` tick goes: milliseconds per phase, and the build, at one size.

    python benchmarks/profile_grid.py [--agents 10000] [--ticks 100] [--runs 5]

Times each phase of the step plan separately (``time.perf_counter`` round every call, so the
per-call dispatch from Python is included in its phase) over ``runs`` fresh simulations after an
untimed warm-up, and prints medians: the profile behind the Mesa ratio in ``BENCHMARKS.md``.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from hyosan_grid import _build  # noqa: E402


def profile(n_agents: int, ticks: int, runs: int) -> dict[str, float]:
    """Median milliseconds per tick of each phase, and of the build (per run)."""
    import hyosan

    _build(hyosan, n_agents, ticks, 0).run()  # compile
    per: dict[str, list[float]] = {"build (per run)": []}
    for r in range(runs):
        t0 = time.perf_counter()
        sim = _build(hyosan, n_agents, ticks, 1 + r)
        per["build (per run)"].append((time.perf_counter() - t0) * 1e3)
        acc: dict[str, float] = {}
        for _ in range(ticks):
            for name in sim._phases:  # the plan's phases this profile runs
                t = time.perf_counter()
                getattr(sim, name)()
                acc[name] = acc.get(name, 0.0) + time.perf_counter() - t
        for k, v in acc.items():
            per.setdefault(k, []).append(v * 1e3 / ticks)
    return {k: statistics.median(v) for k, v in per.items()}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--agents", type=int, default=10_000)
    ap.add_argument("--ticks", type=int, default=100)
    ap.add_argument("--runs", type=int, default=5)
    a = ap.parse_args()
    res = profile(a.agents, a.ticks, a.runs)
    tick = sum(v for k, v in res.items() if not k.startswith("build"))
    print(f"| phase | ms per tick ({a.agents:,} agents, {a.ticks} ticks, median of {a.runs}) |")
    print("|---|---:|")
    for k, v in res.items():
        print(f"| {k} | {v:.3f} |")
    print(f"| whole tick | {tick:.3f} ({a.agents / tick / 1e3:.1f} M agent-steps/s) |")


if __name__ == "__main__":
    main()
