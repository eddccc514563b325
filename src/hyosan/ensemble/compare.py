"""Compare settings in an ensemble store: means and 95 % confidence intervals, a table, plots.

Intervals are Student t intervals over the replicates of a group: mean ± t(0.975, n−1)·s/√n,
where s is the sample standard deviation. ``time to half infected`` is averaged over the
replicates in which half the school was infected (the table says in how many). Groups are the
distinct settings (default; labelled by the keys that take more than one value) or the values
of one key with ``by`` (pooling over the others).
"""

from __future__ import annotations

import csv
import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
from scipy import stats

from hyosan.ensemble.store import Store
from hyosan.ensemble.sweep import canonical, settings_label
from hyosan.errors import HyosanError

#: (column in ``summaries``, label)
OUTCOMES = (
    ("survivors", "survivors (alive + escaped)"),
    ("escaped", "escaped"),
    ("time_to_half_school_infected_s", "time to half the school infected (min)"),
    ("zombies", "zombies at the end"),
)
#: shorter column headings for the table
SHORT = {"survivors": "survivors", "escaped": "escaped",
         "time_to_half_school_infected_s": "½ school infected (min)", "zombies": "zombies"}


def mean_ci(values: Any, level: float = 0.95) -> tuple[float, float, float, int]:
    """(mean, low, high, n) of the finite values; the interval is NaN for fewer than 2."""
    x = np.asarray(values, dtype=np.float64)
    x = x[np.isfinite(x)]
    n = len(x)
    if n == 0:
        return math.nan, math.nan, math.nan, 0
    m = float(x.mean())
    if n < 2:
        return m, math.nan, math.nan, 1
    half = float(stats.t.ppf(0.5 + level / 2, n - 1) * x.std(ddof=1) / math.sqrt(n))
    return m, m - half, m + half, n


@dataclass
class Group:
    """One setting (or one value of the ``by`` key) and its outcome statistics."""

    name: str
    value: Any
    by: str | None = None
    run_ids: list[str] = field(default_factory=list)
    stats: dict[str, tuple[float, float, float, int]] = field(default_factory=dict)

    @property
    def n(self) -> int:
        return len(self.run_ids)


def _group_key(by: str | None, scenario: str, settings: dict, varying: list[str],
               multi: bool) -> Any:
    if by is None:
        label = settings_label({k: settings.get(k) for k in varying})
        return f"{scenario} · {label}" if multi else label
    if by == "scenario":
        return scenario
    return settings.get(by)


def _sort_key(value: Any) -> tuple:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return (0, float(value), "")
    return (1, 0.0, str(value))


def compare(store: Store, by: str | None = None) -> list[Group]:
    """Group the stored replicates and compute every outcome's mean and 95 % interval."""
    rows = store.con.execute(
        "SELECT r.run_id, r.scenario, r.settings, r.label, "
        + ", ".join(f"s.{c}" for c, _ in OUTCOMES)
        + " FROM runs r JOIN summaries s USING (run_id) ORDER BY r.scenario, r.label, r.replicate"
    ).fetchall()
    if not rows:
        raise HyosanError(f"{store.path}: the store holds no finished replicates yet")
    multi = len({r[1] for r in rows}) > 1
    all_settings = [json.loads(r[2]) for r in rows]
    # label groups by the keys that take more than one value here (constant ones say nothing)
    keys = sorted(set().union(*(st.keys() for st in all_settings)))
    varying = [k for k in keys if len({canonical(st.get(k)) for st in all_settings}) > 1]
    if by is None and len(varying) == 1 and not multi:
        by = varying[0]  # one key varies: its values are the labels
    if by is not None and by != "scenario":
        if by not in keys:
            raise HyosanError(f"--by {by}: not a varied setting in this store (varied: "
                              f"{', '.join(sorted(keys)) or 'nothing'}; or use --by scenario)")
    groups: dict[str, Group] = {}
    values: dict[str, dict[str, list]] = {}
    for r, st in zip(rows, all_settings, strict=True):
        value = _group_key(by, r[1], st, varying, multi)
        name = value if isinstance(value, str) else json.dumps(value)
        g = groups.setdefault(name, Group(name, value, by))
        g.run_ids.append(r[0])
        vals = values.setdefault(name, {c: [] for c, _ in OUTCOMES})
        for (c, _), v in zip(OUTCOMES, r[4:], strict=True):
            vals[c].append(math.nan if v is None else v)
    out = sorted(groups.values(), key=lambda g: _sort_key(g.value))
    for g in out:
        g.stats = {c: mean_ci(values[g.name][c]) for c, _ in OUTCOMES}
    return out


def survival_curves(store: Store, groups: list[Group]) -> dict[str, dict[str, np.ndarray]]:
    """Per group: time_s, mean survivors (alive + escaped), band low/high (95 % t) over time."""
    mapping = pa.table({"run_id": [r for g in groups for r in g.run_ids],
                        "grp": [g.name for g in groups for _ in g.run_ids]})
    store.con.register("_hyosan_groups", mapping)
    try:
        res = store.con.execute(
            "SELECT m.grp, t.time_s, avg(v) AS mean, stddev_samp(v) AS sd, count(*) AS n "
            "FROM (SELECT run_id, time_s, susceptible + infected + carrier + escaped AS v "
            "      FROM timeseries) t JOIN _hyosan_groups m USING (run_id) "
            "GROUP BY m.grp, t.time_s ORDER BY m.grp, t.time_s").fetchnumpy()
    finally:
        store.con.unregister("_hyosan_groups")
    out = {}
    for g in groups:
        k = res["grp"] == g.name
        n = res["n"][k].astype(np.float64)
        sd = np.nan_to_num(np.asarray(res["sd"][k], dtype=np.float64))
        half = np.where(n > 1, stats.t.ppf(0.975, np.maximum(n - 1, 1)) * sd / np.sqrt(n), 0.0)
        mean = np.asarray(res["mean"][k], dtype=np.float64)
        out[g.name] = {"time_s": np.asarray(res["time_s"][k], dtype=np.float64), "mean": mean,
                       "low": mean - half, "high": mean + half}
    return out


def _fmt(column: str, st: tuple[float, float, float, int]) -> str:
    m, lo, hi, _ = st
    scale = 60.0 if column.startswith("time_") else 1.0
    if math.isnan(m):
        return "—"
    if math.isnan(lo):
        return f"{m / scale:,.1f}"
    return f"{m / scale:,.1f} [{lo / scale:,.1f}, {hi / scale:,.1f}]"


def table(groups: list[Group], by: str | None = None, title: str = "") -> Any:
    """A Rich table: one row per group, mean [95 % CI] of each outcome."""
    from rich.table import Table

    t = Table(title=title or "outcomes: mean [95 % confidence interval]")
    t.add_column(by or (groups[0].by if groups else None) or "setting", style="bold")
    t.add_column("runs", justify="right")
    for c, _ in OUTCOMES:
        t.add_column(SHORT[c], justify="right")
    for g in groups:
        cells = []
        for c, _ in OUTCOMES:
            text = _fmt(c, g.stats[c])
            if c.startswith("time_") and g.stats[c][3] < g.n:
                text += f" ({g.stats[c][3]}/{g.n} runs)"
            cells.append(text)
        t.add_row(g.name, str(g.n), *cells)
    return t


def write_csv(groups: list[Group], path: Path) -> Path:
    """The table as CSV: group, runs, then mean/low/high/n per outcome (time in seconds)."""
    with path.open("w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["group", "runs"] + [f"{c}_{s}" for c, _ in OUTCOMES
                                        for s in ("mean", "low", "high", "n")])
        for g in groups:
            w.writerow([g.name, g.n] + [x for c, _ in OUTCOMES for x in g.stats[c]])
    return path


def plot(store: Store, groups: list[Group], out_dir: Path, by: str | None = None
         ) -> list[Path]:
    """``outcomes.png`` (each outcome against the setting, with 95 % intervals) and
    ``survival.png`` (mean survivors over time per setting, with a 95 % band)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    out_dir.mkdir(parents=True, exist_ok=True)
    numeric = all(_sort_key(g.value)[0] == 0 for g in groups)
    xs = np.array([float(g.value) for g in groups]) if numeric else np.arange(len(groups))
    fig, axes = plt.subplots(2, 2, figsize=(11, 7.5), constrained_layout=True)
    for ax, (c, label) in zip(axes.flat, OUTCOMES, strict=True):
        scale = 60.0 if c.startswith("time_") else 1.0
        m = np.array([g.stats[c][0] for g in groups]) / scale
        lo = np.array([g.stats[c][1] for g in groups]) / scale
        hi = np.array([g.stats[c][2] for g in groups]) / scale
        err = np.nan_to_num(np.vstack([m - lo, hi - m]))
        ax.errorbar(xs, m, yerr=err, fmt="o", capsize=5, color="#8b1e1e")
        ax.set_title(label)
        ax.grid(alpha=0.3)
        if not numeric:
            ax.set_xticks(xs, [g.name for g in groups], rotation=20, ha="right")
        else:
            ax.set_xlabel(by or groups[0].by or "setting")
    fig.suptitle("Ensemble outcomes (mean and 95 % confidence interval)")
    p1 = out_dir / "outcomes.png"
    fig.savefig(p1, dpi=110)
    plt.close(fig)

    curves = survival_curves(store, groups)
    fig, ax = plt.subplots(figsize=(10, 6), constrained_layout=True)
    for g in groups:
        cv = curves[g.name]
        t = cv["time_s"] / 60.0
        line, = ax.plot(t, cv["mean"], label=f"{g.name} (n={g.n})")
        ax.fill_between(t, cv["low"], cv["high"], color=line.get_color(), alpha=0.2)
    ax.set_xlabel("time (min)")
    ax.set_ylabel("humans alive + escaped")
    ax.set_title("Survival over time (mean, 95 % band)")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    p2 = out_dir / "survival.png"
    fig.savefig(p2, dpi=110)
    plt.close(fig)
    return [p1, p2]
