"""Small buildings and threads: µs per tick and per kernel, idle and with every core busy.

    python benchmarks/bench_threads.py [--repeats 5] [--ticks 600] [--threads 1 2]

The 60-agent two-floor plan (``fixtures/small_building_scenario.yaml``: 56 students, 2
teachers, 2 zombies from the start, evacuating) is run ``ticks`` ticks from a fresh start for
every combination of Numba threads and of the perceive rule: ``always parallel`` (the
threshold at 0: the code before issue 17's fix) and ``threshold`` (``perceive.look`` runs in
parallel only from ``PARALLEL_MIN_WORK`` agents whose look scans buckets, ``look_work``).
Rounds alternate an idle block and a busy block (``busy.py``: one CPU-bound process per
core, stopping by itself), so every ratio is measured side by side in one run; figures are
medians over the repeats. "Idle" means without ``busy.py``: other processes on a shared
machine still run.

``--sweep`` instead times the perceive kernel alone, its serial twin against the parallel
kernel, with 1 and 2 threads, idle and busy, on three populations with zombies about (the
60-agent building, ``school-outbreak``, the flagship just after its first zombie turned), to
place the threshold.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
SCENARIO = HERE / "fixtures" / "small_building_scenario.yaml"
OUT = HERE / "out"


def one_round(ticks: int) -> dict[str, float]:
    """µs per call, median over the round's calls: each kernel, each phase and the tick; and
    ``mean tick``, the round's wall time per tick (which time-sharing the cores inflates)."""
    from flagship_phases import Clock, instrumented

    import hyosan

    class Calls(Clock):
        def add(self, name: str, dt: float) -> None:
            self.t.setdefault(name, []).append(dt)

    sim = hyosan.Simulation(SCENARIO)
    clock = Calls()
    with instrumented(sim, clock):
        t0 = time.perf_counter()
        for _ in range(ticks):
            t1 = time.perf_counter()
            for name in sim._phases:
                t = time.perf_counter()
                getattr(sim, name)()
                clock.add("phase " + name, time.perf_counter() - t)
            clock.add("tick", time.perf_counter() - t1)
        wall = time.perf_counter() - t0
    out = {k: statistics.median(v) * 1e6 for k, v in clock.t.items()}
    out["mean tick"] = wall / ticks * 1e6
    sim = hyosan.Simulation(SCENARIO)  # the same ticks again without the timers
    plain = []
    for _ in range(ticks):
        t = time.perf_counter()
        sim.step()
        plain.append(time.perf_counter() - t)
    out["plain tick"] = statistics.median(plain) * 1e6
    return out


def measure(threads: list[int], repeats: int, ticks: int) -> dict:
    import busy
    import numba

    from hyosan.rules import perceive as pm

    default_min = pm.PARALLEL_MIN_WORK
    rules = {"always parallel": 0, "threshold": default_min}
    configs = [(t, rule) for t in threads for rule in rules]
    one_round(50)  # compile / load everything
    res: dict = {f"{t}|{rule}|{load}": [] for t, rule in configs for load in ("idle", "busy")}
    for rep in range(repeats):
        for load in ("idle", "busy"):
            proc = busy.start(seconds=60.0) if load == "busy" else None
            if proc is not None:
                time.sleep(0.5)  # let the load start
            for t, rule in configs:
                numba.set_num_threads(t)
                pm.PARALLEL_MIN_WORK = rules[rule]
                res[f"{t}|{rule}|{load}"].append(one_round(ticks))
            if proc is not None:
                proc.terminate()
                proc.wait()
                time.sleep(1.0)  # busy.py's workers notice their parent is gone
        print(f"repeat {rep + 1}/{repeats} done", file=sys.stderr, flush=True)
    pm.PARALLEL_MIN_WORK = default_min
    med = {}
    for key, rounds in res.items():
        names = {k for r in rounds for k in r}
        med[key] = {k: statistics.median(r.get(k, 0.0) for r in rounds) for k in names}
    return {"threads": threads, "repeats": repeats, "ticks": ticks,
            "parallel_min_work": default_min, "median_us": med}


def report(r: dict) -> str:
    med = r["median_us"]
    lines = [f"60-agent two-floor plan, {r['ticks']} ticks from a fresh start, "
             f"{r['repeats']} rounds alternating idle / busy (busy.py on every core); µs per "
             "call, median over a round's calls, then over rounds; mean tick = wall / ticks "
             "(timers on); plain tick = median of `Simulation.step` without timers", "",
             "| threads | perceive rule | plain tick idle | plain tick busy | busy/idle | "
             "tick idle | tick busy | mean tick idle | mean tick busy | worst kernel busy/idle |",
             "|---:|---|---:|---:|---:|---:|---:|---:|---:|---|"]
    for t in r["threads"]:
        for rule in ("always parallel", "threshold"):
            idle, bus = med[f"{t}|{rule}|idle"], med[f"{t}|{rule}|busy"]
            kern = [(bus[k] / idle[k], k) for k in idle
                    if not k.startswith("phase") and "tick" not in k and idle[k] > 0.5
                    and k in bus]
            worst = max(kern) if kern else (float("nan"), "-")
            pi, pb = idle["plain tick"], bus["plain tick"]
            lines.append(f"| {t} | {rule} | {pi:.0f} | {pb:.0f} | {pb / pi:.2f}× | "
                         f"{idle['tick']:.0f} | {bus['tick']:.0f} | {idle['mean tick']:.0f} | "
                         f"{bus['mean tick']:.0f} | {worst[1]} {worst[0]:.2f}× |")
    lines += ["", "Per kernel, µs per call (idle / busy):", ""]
    keys = sorted({k for v in med.values() for k in v if k != "tick"})
    cols = [f"{t}|{rule}" for t in r["threads"] for rule in ("always parallel", "threshold")]
    lines.append("| kernel | " + " | ".join(c.replace("|", " thread(s), ") for c in cols) + " |")
    lines.append("|---|" + "---:|" * len(cols))
    for k in keys:
        cells = [f"{med[c + '|idle'].get(k, 0):.1f} / {med[c + '|busy'].get(k, 0):.1f}"
                 for c in cols]
        lines.append(f"| {k} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def _capture(scenario, seconds: float) -> tuple:
    """The arguments of the perceive call of the tick after ``seconds`` of ``scenario``."""
    import hyosan
    from hyosan.rules import perceive as pm

    sim = hyosan.Simulation(scenario)
    sim.run(duration=seconds)
    calls = {}
    orig = pm.look

    def grab(n, *args):
        calls["args"] = (n, *args)
        return orig(n, *args)

    pm.look = grab
    try:
        sim.perceive()
    finally:
        pm.look = orig
    return calls["args"]


def sweep(repeats: int) -> str:
    """perceive alone, serial twin against the parallel kernel, 1 and 2 threads, idle and
    busy, on three populations with zombies about: where a parallel region starts to pay."""
    import busy
    import numba

    from hyosan.rules import perceive as pm

    cases = {"small building (60)": (SCENARIO, 10.0), "school-outbreak (620)":
             ("school-outbreak", 6 * 60.0), "hyosan-high (21,108)": ("hyosan-high", 27 * 60.0)}
    rows = []
    for label, (scenario, seconds) in cases.items():
        n, *args = _capture(scenario, seconds)
        res: dict[tuple, list[float]] = {}
        for _ in range(2):  # idle, busy, idle, busy: side by side
            for load in ("idle", "busy"):
                proc = busy.start(seconds=60.0) if load == "busy" else None
                time.sleep(0.5 if proc else 0.0)
                for t in (1, 2):
                    numba.set_num_threads(t)
                    for name in ("perceive_serial", "perceive"):
                        kernel = getattr(pm, name)
                        for _ in range(repeats):
                            a = [x.copy() if hasattr(x, "copy") else x for x in args]
                            t0 = time.perf_counter()
                            kernel(n, *a)
                            res.setdefault((name, t, load), []).append(time.perf_counter() - t0)
                if proc is not None:
                    proc.terminate()
                    proc.wait()
                    time.sleep(1.0)
        for t in (1, 2):
            for name in ("perceive_serial", "perceive"):
                i = statistics.median(res[(name, t, "idle")]) * 1e6
                b = statistics.median(res[(name, t, "busy")]) * 1e6
                rows.append(f"| {label} | {name} | {t} | {i:.0f} | {b:.0f} | {b / i:.2f}× |")
    head = [f"perceive alone, µs per call (median of {2 * repeats}, idle and busy rounds "
            "alternating)", "", "| population | kernel | threads | idle | busy | busy/idle |",
            "|---|---|---:|---:|---:|---:|"]
    return "\n".join(head + rows) + "\n"


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--ticks", type=int, default=600)
    ap.add_argument("--threads", type=int, nargs="*", default=[1, 2])
    ap.add_argument("--sweep", action="store_true")
    a = ap.parse_args(argv)
    OUT.mkdir(exist_ok=True)
    if a.sweep:
        text = sweep(a.repeats)
        (OUT / "threads-sweep.md").write_text(text)
        print(text)
        return
    r = measure(a.threads, a.repeats, a.ticks)
    (OUT / "threads.json").write_text(json.dumps(r, indent=1))
    text = report(r)
    (OUT / "threads.md").write_text(text)
    print(text)


if __name__ == "__main__":
    main()
