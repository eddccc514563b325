"""The calibration study of ``hyosan-city``: which response parameters bring the outcome near
the series' 110,000 out of 170,000 (65 %) and 60,000 dead (35 %)?

One parameter at a time round a base (checkpoint rate, the time the checkpoints open, bite
rate, median time to turn), each setting a few replicates, run by ``hyosan ensemble`` on a Dask
cluster into one DuckDB store (a re-run skips what is stored: the study resumes), then one plot
per parameter of the shares out and dead with 95 % intervals, and the table, for docs/city.md.

    python validation/city_study.py run --store city-study.duckdb            # LocalCluster
    python validation/city_study.py run --scheduler tcp://host:8786 ...      # a real cluster
    python validation/city_study.py report --store city-study.duckdb --out docs/img

Each sweep is the same as the command line
``hyosan ensemble hyosan-city --backend dask --vary KEY=V1,V2 --vary world.city.scale=S ...``;
the base overrides (scale, the compressed timeline) are fixed ``--vary`` keys of one value.
"""

from __future__ import annotations

import argparse
import json
import math
from pathlib import Path

#: the study's reduced size and timeline (docs/city.md says why)
SCALE = 0.01
BASE = {"world.city.scale": SCALE, "response.4.at": "20 h", "run.duration": "20.5 h"}
#: swept values (checkpoint capacity: people a minute at SCALE; × 1/SCALE for the full city)
SWEEPS = {
    "response.3.capacity": [2, 4, 60],
    "response.3.at": ["6 h", "10 h", "14 h"],
    "outbreak.bite_rate": [0.5, 1.5, 3.0],
    "outbreak.turn.median": ["30 s", "2 min", "10 min"],
}
#: the base: the scenario's own values (so base runs set none of the swept keys)
BASE_VALUES = {"response.3.capacity": 60, "response.3.at": "10 h", "outbreak.bite_rate": 1.5,
               "outbreak.turn.median": "2 min"}
LABELS = {"response.3.capacity": "checkpoint rate (people/min at 1 %)",
          "response.3.at": "checkpoints open (h after 05:00)",
          "outbreak.bite_rate": "bite rate β (/s)",
          "outbreak.turn.median": "median time to turn (s)"}


def plans(replicates: int, seed: int):
    """One sweep plan per parameter (its other values; the base is its own plan)."""
    from hyosan.ensemble.sweep import build_plan

    base = {k: [v] for k, v in BASE.items()}
    out = [("base", build_plan(["hyosan-city"], dict(base), replicates, seed=seed))]
    for key, values in SWEEPS.items():
        others = [v for v in values if v != BASE_VALUES[key]]
        out.append((key, build_plan(["hyosan-city"], {**base, key: others}, replicates,
                                    seed=seed)))
    return out


def run(args: argparse.Namespace) -> None:
    from hyosan.ensemble.runner import run_sweep

    for name, plan in plans(args.replicates, args.seed):
        print(f"sweep {name}: {len(plan.items())} runs", flush=True)
        rep = run_sweep(plan, args.store, backend="dask", workers=args.workers,
                        scheduler=args.scheduler, progress=False, log=True)
        print(f"  {rep.ran} run, {rep.already} already stored, {rep.wall_s:.0f} s", flush=True)


def _same(a, b) -> bool:
    """A stored setting (number or text) equals a swept value."""
    if a is None:
        return False
    try:
        return float(a) == float(b)
    except (TypeError, ValueError):
        return str(a) == str(b)


def _value_s(v) -> float:
    from hyosan.units import parse_quantity

    return float(parse_quantity(v, "time")) if isinstance(v, str) else float(v)


def report(args: argparse.Namespace) -> None:
    import duckdb
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from hyosan.ensemble.compare import mean_ci

    con = duckdb.connect(str(args.store), read_only=True)
    rows = con.execute("select r.*, s.escaped, s.agents, s.dead, s.destroyed, s.zombies "
                       "from runs r join summaries s using (run_id)").fetchall()
    names = [d[0] for d in con.description]
    recs = [dict(zip(names, r, strict=True)) for r in rows]
    table = []
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    fig, axes = plt.subplots(1, len(SWEEPS), figsize=(4.2 * len(SWEEPS), 3.6), sharey=True)
    for ax, (key, values) in zip(axes, SWEEPS.items(), strict=True):
        xs, series, raw = [], {"out": [], "dead": []}, {"out": [], "dead": []}
        for v in values:
            def mine(r, key=key, v=v):
                if v == BASE_VALUES[key]:  # the base runs set none of the swept keys
                    return all(r.get(c) is None for c in SWEEPS)
                return _same(r.get(key), v)
            sel = [r for r in recs if mine(r)]
            if not sel:
                continue
            share_out = [r["escaped"] / r["agents"] for r in sel]
            share_dead = [(r["dead"] + r["destroyed"] + r["zombies"]) / r["agents"]
                          for r in sel]
            mo, lo_o, hi_o, n = mean_ci(share_out)
            md, lo_d, hi_d, _ = mean_ci(share_dead)
            x = _value_s(v) / (3600.0 if key == "response.3.at" else 1.0)
            xs.append(x)
            raw["out"].append(share_out)
            raw["dead"].append(share_dead)
            series["out"].append((mo, lo_o, hi_o))
            series["dead"].append((md, lo_d, hi_d))
            table.append({"parameter": key, "value": v, "n": n, "out": mo, "out_lo": lo_o,
                          "out_hi": hi_o, "dead": md, "dead_lo": lo_d, "dead_hi": hi_d,
                          "out_each": share_out, "dead_each": share_dead})
        for what, colour in (("out", "tab:green"), ("dead", "tab:red")):
            m = [s[0] for s in series[what]]
            # intervals drawn within [0, 1]: a share cannot leave it (the table gives them whole)
            err = [[s[0] - max(0.0, s[1]) if math.isfinite(s[1]) else 0 for s in series[what]],
                   [min(1.0, s[2]) - s[0] if math.isfinite(s[2]) else 0 for s in series[what]]]
            ax.errorbar(xs, m, yerr=err, marker="o", capsize=4, color=colour, label=what)
            for x, v in zip(xs, raw[what], strict=True):  # each replicate, faint
                ax.scatter([x] * len(v), v, s=10, color=colour, alpha=0.35)
        ax.axhline(110 / 170, color="tab:green", ls=":", lw=1)
        ax.axhline(60 / 170, color="tab:red", ls=":", lw=1)
        ax.set_xlabel(LABELS[key])
        if key in ("outbreak.bite_rate", "response.3.capacity", "outbreak.turn.median"):
            ax.set_xscale("log")
            ax.minorticks_off()
        ax.set_xticks(xs)
        ax.set_xticklabels([f"{x:g}" for x in xs])
        ax.set_ylim(-0.03, 1.03)
    axes[0].set_ylabel("share of residents")
    axes[0].legend(loc="best")
    fig.suptitle("hyosan-city at 1 % (1,700 residents), one parameter at a time round the "
                 "scenario's values: share out through the checkpoints and dead (killed, turned "
                 "or destroyed), mean and 95 % t interval of 3 replicates; dotted: the series "
                 "(110,000 / 60,000 of 170,000)", fontsize=8)
    fig.tight_layout()
    fig.savefig(out / "city-study.png", dpi=110)
    (out / "city-study.json").write_text(json.dumps(table, indent=1))
    for t in table:
        each = " / ".join(f"{x:.2f}" for x in t["out_each"])
        print(f"| {t['parameter']} | {t['value']} | {t['n']} | {t['out']:.2f} "
              f"[{max(0.0, t['out_lo']):.2f}, {min(1.0, t['out_hi']):.2f}] | {each} | "
              f"{t['dead']:.2f} [{max(0.0, t['dead_lo']):.2f}, {min(1.0, t['dead_hi']):.2f}] |")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    r = sub.add_parser("run")
    r.add_argument("--store", default="city-study.duckdb")
    r.add_argument("--replicates", type=int, default=3)
    r.add_argument("--workers", type=int, default=2)
    r.add_argument("--scheduler", default=None, help="tcp://host:8786 (default: LocalCluster)")
    r.add_argument("--seed", type=int, default=2022)
    p = sub.add_parser("report")
    p.add_argument("--store", default="city-study.duckdb")
    p.add_argument("--out", default="docs/img")
    a = ap.parse_args()
    run(a) if a.cmd == "run" else report(a)


if __name__ == "__main__":
    main()
