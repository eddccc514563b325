"""Hyosan side by side with Mesa and Repast4Py on the `grid-benchmark` model, at one size.

    python benchmarks/bench_peers.py --agents 10000 --ticks 100 --runs 5

One process per size (run it once per agent count): the implementations alternate round by
round (Hyosan, Mesa, Repast4Py n=1, n=2, then again), each timed on build + ``ticks`` steps after
one untimed warm-up (JIT, imports). Rates are nominal agent-steps per second, ``n_agents * ticks``
over the median time. Repast4Py runs under ``mpirun`` in a child process and reports the time it
measures itself, so interpreter and MPI start-up are excluded. Writes a Markdown section for
BENCHMARKS.md to ``benchmarks/out/peers.md``. ``--check-seeds`` also compares the distribution of
final humans (see ``compare_final_humans``) of each implementation with the NumPy references.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import math
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
from scipy import stats

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

from hyosan_grid import hyosan_grid_benchmark  # noqa: E402
from peers import numpy_reference  # noqa: E402

DENSITY = 0.25  # 10,000 agents on 200 x 200
REPAST_SCRIPT = HERE / "peers" / "repast_zombies.py"
REPAST_PARAMS = HERE / "peers" / "repast_zombies.yaml"

# A runner takes (n_agents, ticks, seed) and returns (final humans, seconds timed).
Runner = Callable[[int, int, int], tuple[int, float]]


def grid_side(n_agents: int, density: float = DENSITY) -> int:
    """Side of the square torus that holds ``n_agents`` at ``density`` (200 for 10,000)."""
    return math.ceil(math.sqrt(n_agents / density))


def compare_final_humans(
    samples_a: list[int] | np.ndarray, samples_b: list[int] | np.ndarray, alpha: float = 0.01
) -> dict:
    """Do two samples of final humans (one per seed) come from the same distribution?

    Two-sided Mann-Whitney U (the decision) and two-sample KS, plus the difference of means
    with its Welch 95 % confidence interval, so a disagreement is also sized. ``agree`` is
    true when Mann-Whitney's p-value is at least ``alpha``.
    """
    a = np.asarray(samples_a, dtype=float)
    b = np.asarray(samples_b, dtype=float)
    if a.size < 2 or b.size < 2:
        raise ValueError("need at least two samples on each side")
    mw = stats.mannwhitneyu(a, b, alternative="two-sided")
    ks = stats.ks_2samp(a, b)
    diff = a.mean() - b.mean()
    va, vb = a.var(ddof=1) / a.size, b.var(ddof=1) / b.size
    se = math.sqrt(va + vb)
    if se > 0:
        dof = (va + vb) ** 2 / (va**2 / (a.size - 1) + vb**2 / (b.size - 1))
        half = float(stats.t.ppf(0.975, dof)) * se
    else:
        half = 0.0
    return {
        "mean_a": float(a.mean()), "mean_b": float(b.mean()),
        "sd_a": float(a.std(ddof=1)), "sd_b": float(b.std(ddof=1)),
        "diff_mean": float(diff), "diff_ci95": (float(diff - half), float(diff + half)),
        "mannwhitney_p": float(mw.pvalue), "ks_p": float(ks.pvalue),
        "agree": bool(mw.pvalue >= alpha),
    }


def machine_description() -> dict[str, str]:
    """CPU model, cores, RAM and the versions that matter for the numbers."""
    cpu = platform.processor() or "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram = "unknown"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                ram = f"{int(line.split()[1]) / 2**20:.1f} GiB"
                break
    except OSError:
        pass
    desc = {
        "cpu": cpu, "cores": str(os.cpu_count()), "ram": ram,
        "python": platform.python_version(), "numpy": np.__version__,
    }
    for mod in ("numba", "mesa", "repast4py", "hyosan"):
        try:
            desc[mod] = __import__(mod).__version__
        except Exception:
            desc[mod] = "not installed"
    return desc


# --- runners ---------------------------------------------------------------------------------


def _timed(fn: Callable[[int, int, int], int]) -> Runner:
    def run(n_agents: int, ticks: int, seed: int) -> tuple[int, float]:
        t0 = time.perf_counter()
        humans = fn(n_agents, ticks, seed)
        return humans, time.perf_counter() - t0

    return run


def mesa_runner() -> tuple[Runner | None, str]:
    try:
        from peers import mesa_zombies
    except ImportError as exc:
        return None, f"mesa not installed ({exc})"

    def run(n_agents: int, ticks: int, seed: int) -> int:
        side = grid_side(n_agents)
        return mesa_zombies.run(n_agents, ticks, seed, width=side, height=side)

    return _timed(run), ""


def repast_runner(ranks: int) -> tuple[Runner | None, str]:
    """A runner that starts ``mpirun -n ranks`` on the Repast4Py model, or why it cannot."""
    mpirun = shutil.which("mpirun")
    if mpirun is None:
        return None, "mpirun not found (apt-get install -y libopenmpi-dev openmpi-bin)"
    # find, not import: importing repast4py initialises MPI in this process, and a child
    # mpirun started from an MPI singleton inherits its environment and fails silently
    if importlib.util.find_spec("repast4py") is None:
        return None, "repast4py not installed (CC=mpicc CXX=mpicxx pip install repast4py)"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OMPI_", "PMIX_"))}

    def run(n_agents: int, ticks: int, seed: int) -> tuple[int, float]:
        side = grid_side(n_agents)
        overrides = {
            "random.seed": seed, "stop.at": ticks, "agent.count": n_agents,
            "world.width": side, "world.height": side,
        }
        cmd = [
            mpirun, "--allow-run-as-root", "--oversubscribe", "-n", str(ranks),
            sys.executable, str(REPAST_SCRIPT), str(REPAST_PARAMS), json.dumps(overrides),
        ]
        proc = subprocess.run(cmd, capture_output=True, text=True, check=False, env=env)
        lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("{")]
        if proc.returncode != 0 or not lines:
            raise RuntimeError(f"repast4py -n {ranks} failed (exit {proc.returncode}): "
                               f"{(proc.stderr or proc.stdout)[-2000:]}")
        rec = json.loads(lines[-1])
        return int(rec["humans"]), float(rec["seconds"])

    return run, ""


def hyosan_runner() -> tuple[Runner | None, str]:
    fn = hyosan_grid_benchmark()
    if fn is None:
        return None, "engine not available"
    return _timed(fn), ""


def available_runners(ranks: list[int], skip: set[str]) -> tuple[dict[str, Runner], dict]:
    """The implementations that can run here, and for the others the printed reason."""
    found: dict[str, Runner] = {}
    skipped: dict[str, str] = {}
    candidates: list[tuple[str, Callable[[], tuple[Runner | None, str]]]] = [
        ("Hyosan", hyosan_runner), ("Mesa", mesa_runner),
    ]
    candidates += [(f"Repast4Py n={r}", lambda r=r: repast_runner(r)) for r in ranks]
    for name, make in candidates:
        if name.split()[0].lower() in skip:
            skipped[name] = "skipped on request"
            continue
        runner, why = make()
        if runner is None:
            print(f"{name}: skipped: {why}")
            skipped[name] = why
        else:
            found[name] = runner
    return found, skipped


# --- timing and checks -----------------------------------------------------------------------


def time_alternating(
    runners: dict[str, Runner], n_agents: int, ticks: int, runs: int, seed0: int = 1000
) -> dict[str, list[float]]:
    """Seconds per run for each implementation, alternating them round by round."""
    for run in runners.values():  # warm-up, untimed
        run(n_agents, min(ticks, 2), seed0 - 1)
    times: dict[str, list[float]] = {name: [] for name in runners}
    for r in range(runs):
        for name, run in runners.items():
            _, seconds = run(n_agents, ticks, seed0 + r)
            times[name].append(seconds)
            print(f"round {r + 1}/{runs} {name}: {seconds:.3f} s", flush=True)
    return times


def check_same_model(
    runners: dict[str, Runner], n_agents: int, ticks: int, seeds: int
) -> dict[str, dict]:
    """Final humans over ``seeds`` seeds: each implementation against the NumPy reference of
    its update order, and Hyosan against each peer directly.

    Mesa and Repast4Py update agents one at a time in a random order (the sequential
    reference). Hyosan moves everyone at once (synchronous movement), then applies contact
    requests in a random order of their actors (``outbreak.resolve: sequential`` in
    ``grid-benchmark``), so a zombie destroyed earlier in the order bites nobody and a human
    bitten earlier strikes no blow, as in the peers; it is checked against the sequential
    reference and against the peers themselves. The synchronous reference (contacts resolved
    all at once) is a different model and is shown only to size that difference.
    """
    side = grid_side(n_agents)
    seq = [numpy_reference.run_sequential(side, side, n_agents, ticks, s) for s in range(seeds)]
    syn = [numpy_reference.run_synchronous(side, side, n_agents, ticks, s) for s in range(seeds)]
    out = {"reference sequential vs synchronous (different models)":
           compare_final_humans(seq, syn)}
    samples: dict[str, list[int]] = {}
    for name, run in runners.items():
        if "n=" in name and not name.endswith("n=1"):
            continue  # multi-rank Repast4Py has walls at rank borders: timing only
        samples[name] = [run(n_agents, ticks, 10_000 + s)[0] for s in range(seeds)]
        print(f"final humans {name}: {samples[name]}", flush=True)
        out[f"{name} vs reference sequential"] = compare_final_humans(samples[name], seq)
    for name, mine in samples.items():
        if name != "Hyosan" and "Hyosan" in samples:
            out[f"Hyosan vs {name}"] = compare_final_humans(samples["Hyosan"], mine)
    return out


def to_markdown(
    times: dict[str, list[float]], n_agents: int, ticks: int, machine: dict[str, str],
    skipped: dict[str, str], checks: dict[str, dict] | None = None,
) -> str:
    """The BENCHMARKS.md section: machine, table of medians and ratios, checks."""
    side = grid_side(n_agents)
    lines = [
        f"## grid-benchmark side by side: {n_agents:,} agents, {side} x {side} torus, "
        f"{ticks} ticks",
        "",
        "Machine: " + ", ".join(f"{k} {v}" for k, v in machine.items()),
        "",
        "| implementation | median s | runs | agent-steps/s | Hyosan / this |",
        "|---|---:|---:|---:|---:|",
    ]
    rate = {name: n_agents * ticks / statistics.median(t) for name, t in times.items()}
    for name, t in times.items():
        ratio = f"{rate['Hyosan'] / rate[name]:.1f}x" if "Hyosan" in rate else "n/a"
        lines.append(
            f"| {name} | {statistics.median(t):.3f} | {len(t)} | {rate[name]:,.0f} | {ratio} |"
        )
    for name, why in skipped.items():
        lines.append(f"| {name} | skipped: {why} | | | |")
    lines += [
        "",
        "Agent-steps are nominal (agents at start x ticks); times are build + run, medians, "
        "implementations alternating round by round after an untimed warm-up.",
    ]
    if checks:
        lines += [
            "",
            "Same model? Final humans over seeds (Mann-Whitney two-sided, alpha 0.01):",
            "",
            "| comparison | mean a | mean b | diff (95 % CI) | MW p | KS p | agree |",
            "|---|---:|---:|---:|---:|---:|---|",
        ]
        for name, c in checks.items():
            lo, hi = c["diff_ci95"]
            lines.append(
                f"| {name} | {c['mean_a']:.1f} | {c['mean_b']:.1f} | {c['diff_mean']:.1f} "
                f"({lo:.1f}, {hi:.1f}) | {c['mannwhitney_p']:.3g} | {c['ks_p']:.3g} | "
                f"{'yes' if c['agree'] else 'NO'} |"
            )
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--agents", type=int, default=10_000)
    p.add_argument("--ticks", type=int, default=100)
    p.add_argument("--runs", type=int, default=5)
    p.add_argument("--ranks", type=int, nargs="*", default=[1, 2])
    p.add_argument("--skip", nargs="*", default=[], help="hyosan, mesa and/or repast4py")
    p.add_argument("--check-seeds", type=int, default=0, help="e.g. 20; 0 skips the check")
    p.add_argument("--out", type=Path, default=HERE / "out" / "peers.md")
    args = p.parse_args(argv)

    runners, skipped = available_runners(args.ranks, {s.lower() for s in args.skip})
    if not runners:
        print("nothing to run")
        return 1
    times = time_alternating(runners, args.agents, args.ticks, args.runs)
    checks = (
        check_same_model(runners, args.agents, args.ticks, args.check_seeds)
        if args.check_seeds else None
    )
    md = to_markdown(times, args.agents, args.ticks, machine_description(), skipped, checks)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(md)
    print(md)
    print(f"written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
