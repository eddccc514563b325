"""Engine speed: grid-benchmark agent-steps/s, the scaling curve, and the flagship per hour.

    python benchmarks/bench_engine.py grid    [--agents 10000] [--ticks 200] [--runs 5]
    python benchmarks/bench_engine.py scaling [--sizes 1000 10000 100000 1000000]
    python benchmarks/bench_engine.py flagship [--minutes 60] [--threads 1 2] [--set K=V ...]
    python benchmarks/bench_engine.py flagship --hours 3 [--threads 2] [--grid-runs 3]

``flagship --hours H`` steps the flagship H simulated hours in one child process per thread
count and prints, per hour, the wall time of each phase (perceive, decide, move, contact,
progress, respond, record, and the fields computed on demand), agent-steps per second, agents
by state at the hour's end, the time per kernel and per move sub-kernel, and who was active
(``flagship_phases.py``); then ``grid-benchmark`` at the same agent count in the same process,
for the cost per agent-step side by side.

Every figure is a median of several runs in one process, after an untimed warm-up (the Numba
compile). ``scaling`` runs each size in its own child process so peak memory (ru_maxrss) is that
size's alone, and writes ``benchmarks/scaling.png``. Agent-steps are agents × ticks (every agent
present at the start counts each tick, as the peers count them). Results go to stdout and to
``benchmarks/out/engine-*.md`` for BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
OUT = HERE / "out"
DENSITY = 0.25


def grid_scenario(n_agents: int, ticks: int):
    """The built-in grid-benchmark resized to ``n_agents`` at density 0.25, 1 % zombies."""
    from hyosan.scenario import apply_overrides, load_scenario

    side = math.ceil(math.sqrt(n_agents / DENSITY))
    z = max(1, round(0.01 * n_agents))
    return apply_overrides(load_scenario("grid-benchmark"), {
        "world.grid.rows": side, "world.grid.cols": side,
        "population.0.count": n_agents - z, "outbreak.index_cases.0.count": z,
        "run.duration": float(ticks),  # dt = 1 s
    })


def time_grid(n_agents: int, ticks: int, runs: int, seed: int = 1) -> dict:
    """Median seconds of ``ticks`` steps (world and agents built outside the timing)."""
    from hyosan import Simulation

    sc = grid_scenario(n_agents, ticks)
    Simulation(sc, seed=seed).run(duration=5.0)  # warm-up: compile / load the kernels
    times = []
    for r in range(runs):
        sim = None  # drop the last run's simulation first: peak memory is one simulation's
        sim = Simulation(sc, seed=seed + r)
        t0 = time.perf_counter()
        for _ in range(ticks):
            sim.step()
        times.append(time.perf_counter() - t0)
    med = statistics.median(times)
    return {"agents": n_agents, "ticks": ticks, "runs": runs, "median_s": med,
            "times": times, "agent_steps_per_s": n_agents * ticks / med}


def cmd_grid(args) -> None:
    res = time_grid(args.agents, args.ticks, args.runs)
    print(json.dumps(res))
    OUT.mkdir(exist_ok=True)
    (OUT / "engine-grid.md").write_text(
        f"| grid-benchmark | {res['agents']:,} agents | {res['ticks']} ticks | "
        f"median {res['median_s']:.3f} s of {res['runs']} | "
        f"**{res['agent_steps_per_s'] / 1e6:.1f} M agent-steps/s** |\n")


def cmd_one_size(args) -> None:
    """Child process of `scaling`: one size, prints JSON with peak memory."""
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    res = time_grid(args.agents, args.ticks, args.runs)
    res["peak_rss_kib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    res["baseline_rss_kib"] = before
    print("RESULT " + json.dumps(res))


def cmd_scaling(args) -> None:
    rows = []
    # a baseline child that builds the smallest grid measures the interpreter's own memory
    for n in args.sizes:
        ticks = max(20, min(200, int(4e7 // n)))
        out = subprocess.run([sys.executable, __file__, "one-size", "--agents", str(n),
                              "--ticks", str(ticks), "--runs", str(args.runs)],
                             capture_output=True, text=True, check=True)
        line = [x for x in out.stdout.splitlines() if x.startswith("RESULT ")][-1]
        rows.append(json.loads(line[7:]))
        r = rows[-1]
        print(f"{n:>9,} agents  {r['agent_steps_per_s'] / 1e6:7.2f} M agent-steps/s  "
              f"{1e9 / r['agent_steps_per_s']:6.1f} ns/agent-step  "
              f"peak RSS {r['peak_rss_kib'] / 1024:8.1f} MiB", flush=True)
    base = rows[0]["peak_rss_kib"]
    lines = ["| agents | grid | ticks | agent-steps/s | ns per agent-step | peak RSS | "
             "extra bytes per agent (vs 10³ run) |", "|---:|---:|---:|---:|---:|---:|---:|"]
    for r in rows:
        side = math.ceil(math.sqrt(r["agents"] / DENSITY))
        extra = (r["peak_rss_kib"] - base) * 1024 / max(1, r["agents"] - rows[0]["agents"]) \
            if r is not rows[0] else float("nan")
        lines.append(f"| {r['agents']:,} | {side}² | {r['ticks']} | "
                     f"{r['agent_steps_per_s'] / 1e6:.2f} M | "
                     f"{1e9 / r['agent_steps_per_s']:.1f} | {r['peak_rss_kib'] / 1024:.0f} MiB | "
                     + ("–" if math.isnan(extra) else f"{extra:.0f}") + " |")
    OUT.mkdir(exist_ok=True)
    (OUT / "engine-scaling.md").write_text("\n".join(lines) + "\n")
    (OUT / "engine-scaling.json").write_text(json.dumps(rows, indent=1))
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(1, 2, figsize=(10, 4))
    n = [r["agents"] for r in rows]
    ax[0].loglog(n, [r["agent_steps_per_s"] for r in rows], "o-")
    ax[0].set_xlabel("agents")
    ax[0].set_ylabel("agent-steps per second")
    ax[0].axhline(1e7, ls="--", c="grey", lw=0.8)
    ax[0].set_title("grid-benchmark throughput (density 0.25)")
    ax[1].semilogx(n, [1e9 / r["agent_steps_per_s"] for r in rows], "o-")
    ax[1].set_xlabel("agents")
    ax[1].set_ylabel("ns per agent-step")
    ax[1].set_ylim(bottom=0)
    ax[1].set_title("time per agent-step")
    fig.tight_layout()
    fig.savefig(HERE / "scaling.png", dpi=110)
    print(f"wrote {HERE / 'scaling.png'}")


def cmd_flagship(args) -> None:
    """Wall time of the flagship's first simulated hour(s), per thread count."""
    if args.hours:
        return cmd_flagship_hours(args)
    lines = []
    for threads in args.threads:
        out = subprocess.run([sys.executable, __file__, "flagship-once", "--minutes",
                              str(args.minutes), "--threads", str(threads),
                              *[a for kv in args.set for a in ("--set", kv)]],
                             capture_output=True, text=True, check=True,
                             env={**os.environ, "NUMBA_NUM_THREADS": str(max(args.threads))})
        line = [x for x in out.stdout.splitlines() if x.startswith("RESULT ")][-1]
        r = json.loads(line[7:])
        print(json.dumps(r), flush=True)
        lines.append(f"| hyosan-high | {threads} thread(s) | build {r['build_s']:.1f} s | "
                     + " | ".join(f"hour {k + 1}: {s:.1f} s" for k, s in enumerate(r["hours"]))
                     + f" | zombies at end {r['zombies']} |")
    OUT.mkdir(exist_ok=True)
    (OUT / "engine-flagship.md").write_text("\n".join(lines) + "\n")


def flagship_sim(overrides: list[str]):
    """The flagship scenario with ``KEY=VALUE`` overrides, its Simulation and the build time."""
    import hyosan
    from hyosan.scenario import apply_overrides

    t0 = time.perf_counter()
    sc = hyosan.load_scenario("hyosan-high")
    if overrides:
        sc = apply_overrides(sc, dict(kv.split("=", 1) for kv in overrides))
    sim = hyosan.Simulation(sc)
    return sc, sim, time.perf_counter() - t0


def cmd_flagship_once(args) -> None:
    import numba

    numba.set_num_threads(args.threads)
    _sc, sim, build = flagship_sim(args.set)
    sim.run(duration=10.0)  # warm-up (compile) outside the timing
    hours = []
    remaining = args.minutes * 60.0
    while remaining > 0:
        chunk = min(3600.0, remaining)
        t0 = time.perf_counter()
        sim.run(duration=chunk)
        hours.append((time.perf_counter() - t0) * 3600.0 / chunk)
        remaining -= chunk
    print("RESULT " + json.dumps({"threads": args.threads, "build_s": build, "hours": hours,
                                  "zombies": sim.summary()["zombies"]}))


def cmd_flagship_hours(args) -> None:
    """``flagship --hours H``: per-hour phase table, one child process per thread count."""
    import flagship_report

    OUT.mkdir(exist_ok=True)
    for threads in args.threads:
        out = subprocess.run([sys.executable, __file__, "flagship-phases", "--hours",
                              str(args.hours), "--threads", str(threads), "--grid-runs",
                              str(args.grid_runs),
                              *[a for kv in args.set for a in ("--set", kv)]],
                             stdout=subprocess.PIPE, text=True, check=True,
                             env={**os.environ, "NUMBA_NUM_THREADS": str(max(args.threads))})
        line = [x for x in out.stdout.splitlines() if x.startswith("RESULT ")][-1]
        r = json.loads(line[7:])
        (OUT / f"engine-flagship-hours-{threads}t.json").write_text(json.dumps(r, indent=1))
        text = flagship_report.report(r)
        (OUT / f"engine-flagship-hours-{threads}t.md").write_text(text)
        print(text, flush=True)


def cmd_flagship_phases(args) -> None:
    """Child of ``flagship --hours``: one thread count, prints RESULT json."""
    import numba
    from flagship_phases import profile_flagship

    import hyosan

    numba.set_num_threads(args.threads)
    sc, sim, build = flagship_sim(args.set)
    # warm-up (compile or load every kernel, the timed twins too) on a throwaway simulation,
    # so the timed run starts at t = 0
    for _ in profile_flagship(hyosan.Simulation(sc), 1, hour_s=20.0):
        pass
    hours = []
    for h in profile_flagship(sim, args.hours):
        hours.append(h)
        print(f"hour {len(hours)}: {h['wall_s']:.1f} s, zombies {h['by_state']['zombie']}",
              file=sys.stderr, flush=True)
    n = sim.n
    grid = time_grid(n, 200, args.grid_runs)
    print("RESULT " + json.dumps({"threads": args.threads, "build_s": build, "agents": n,
                                  "dt": sim.dt, "hours": hours, "summary_zombies":
                                  sim.summary()["zombies"], "grid": grid}))


def _key_value(text: str) -> str:
    if "=" not in text.strip("="):
        raise argparse.ArgumentTypeError(f"expected KEY=VALUE, got {text!r}")
    return text


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = p.add_subparsers(dest="cmd", required=True)
    g = sub.add_parser("grid")
    for q in (g, sub.add_parser("one-size")):
        q.add_argument("--agents", type=int, default=10_000)
        q.add_argument("--ticks", type=int, default=200)
        q.add_argument("--runs", type=int, default=5)
    s = sub.add_parser("scaling")
    s.add_argument("--sizes", type=int, nargs="*", default=[1000, 10_000, 100_000, 1_000_000])
    s.add_argument("--runs", type=int, default=5)
    for name in ("flagship", "flagship-once", "flagship-phases"):
        f = sub.add_parser(name)
        f.add_argument("--minutes", type=float, default=60.0)
        f.add_argument("--hours", type=float, default=0.0,
                       help="per-hour phase table for this many simulated hours")
        f.add_argument("--grid-runs", type=int, default=3)
        f.add_argument("--threads", type=int, nargs="*" if name == "flagship" else None,
                       default=[1, 2] if name == "flagship" else 1)
        f.add_argument("--set", action="append", default=[], metavar="KEY=VALUE", type=_key_value,
                       help="scenario override, e.g. behaviour.lanes=0 (repeatable)")
    args = p.parse_args(argv)
    {"grid": cmd_grid, "one-size": cmd_one_size, "scaling": cmd_scaling,
     "flagship": cmd_flagship, "flagship-once": cmd_flagship_once,
     "flagship-phases": cmd_flagship_phases}[args.cmd](args)


if __name__ == "__main__":
    main()
