"""Static plots of a run (matplotlib, Agg): curves, infections by level and place, bite heat
maps, survival, time-to-turn. Every figure is ``FIG_SIZE`` at ``DPI`` (1000 × 600 px) and is
written as PNG and SVG. A run with no infection draws empty axes with a note, never fails.
"""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
from scipy.integrate import solve_ivp

from hyosan.record.reader import RunDir
from hyosan.report.data import columns, level_label
from hyosan.states import ROLE_NAMES, STATE_NAMES, State
from hyosan.world.cells import Cell

FIG_SIZE = (10.0, 6.0)
DPI = 100
#: plot name -> what it shows (file stems of the PNG/SVG pairs)
PLOTS = {
    "curves": "counts per state over time, responses marked",
    "infections_by_level": "bites per level (floor)",
    "infections_by_place": "bites per place",
    "bite_heatmap": "where bites happened, per level, over its floor plan",
    "survival": "share surviving by role and by starting place",
    "time_to_turn": "distribution of the incubation time of the bitten",
}
STATE_COLORS = {
    "susceptible": "#2b8cbe", "infected": "#fdae61", "zombie": "#d7191c", "carrier": "#9e7bd8",
    "dead": "#555555", "destroyed": "#000000", "escaped": "#1a9641",
}
#: final states that count as having survived
SURVIVED = (State.SUSCEPTIBLE, State.CARRIER, State.ESCAPED)


def _fig(nrows: int = 1, ncols: int = 1, **kw):
    return plt.subplots(nrows, ncols, figsize=FIG_SIZE, dpi=DPI, **kw)


def _save(fig, out_dir: Path, stem: str) -> list[Path]:
    paths = []
    for ext in ("png", "svg"):
        p = out_dir / f"{stem}.{ext}"
        fig.savefig(p, dpi=DPI, format=ext)
        paths.append(p)
    plt.close(fig)
    return paths


def _note(ax, text: str) -> None:
    ax.text(0.5, 0.5, text, ha="center", va="center", transform=ax.transAxes, color="#777")


# ----------------------------------------------------------------- reference curve
def estimate_rates(ts: dict[str, np.ndarray], n_bites: int, n_kills: int) -> tuple[float, float]:
    """Mass-action rates of a well-mixed SZR model fitted to a run.

    β = (number of bites) / ∫ S Z / N dt and κ = (number of zombies destroyed by humans) /
    ∫ S Z / N dt, with S the susceptible count, Z the zombie count and N the initial number of
    agents, integrated by the trapezoid rule over the time series. These are the maximum-
    likelihood rates of a Poisson process with intensity β S Z / N. Returns (nan, nan) where
    S Z never overlapped.
    """
    t = np.asarray(ts["time_s"], dtype=float)
    s = np.asarray(ts["susceptible"], dtype=float)
    z = np.asarray(ts["zombie"], dtype=float)
    n = float(sum(np.asarray(ts[k], dtype=float)[0] for k in STATE_NAMES)) if len(t) else 0.0
    if len(t) < 2 or n <= 0:
        return float("nan"), float("nan")
    exposure = float(np.trapezoid(s * z / n, t))
    if exposure <= 0:
        return float("nan"), float("nan")
    return n_bites / exposure, n_kills / exposure


def reference_curves(ts: dict[str, np.ndarray], beta: float, kappa: float
                     ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Integrate S' = −βSZ/N, Z' = (β−κ)SZ/N (Z ≥ 0) from the run's first row.

    Bitten people count as zombies at once here (no incubation), so compare the reference Z
    with the run's infected + zombies. Returns (t, S, Z).
    """
    t = np.asarray(ts["time_s"], dtype=float)
    n = float(sum(np.asarray(ts[k], dtype=float)[0] for k in STATE_NAMES))
    s0 = float(ts["susceptible"][0])
    z0 = float(ts["zombie"][0] + ts["infected"][0])

    def rhs(_t, y):
        s, z = max(y[0], 0.0), max(y[1], 0.0)
        f = s * z / n
        return [-beta * f, (beta - kappa) * f]

    sol = solve_ivp(rhs, (t[0], t[-1]), [s0, z0], t_eval=t, rtol=1e-6, atol=1e-6)
    return sol.t, np.maximum(sol.y[0], 0), np.maximum(sol.y[1], 0)


# ------------------------------------------------------------------------- plots
def plot_curves(run: RunDir, out_dir: Path, *, reference: bool = False) -> list[Path]:
    """Counts per state over time, responses as vertical lines, optional reference curve."""
    ts = columns(run.timeseries())
    ev = columns(run.events())
    fig, ax = _fig()
    t_min = np.asarray(ts["time_s"], dtype=float) / 60.0
    for name in STATE_NAMES:
        if name in ts:
            ax.plot(t_min, ts[name], label=name, color=STATE_COLORS[name], lw=1.8)
    if reference and len(t_min) > 1:
        kinds = ev["kind"] if len(ev.get("kind", [])) else np.array([], dtype=object)
        beta, kappa = estimate_rates(ts, int(np.sum(kinds == "bite")),
                                     int(np.sum(kinds == "kill")))
        if np.isfinite(beta):
            tr, sr, zr = reference_curves(ts, beta, kappa)
            ax.plot(tr / 60, sr, "--", color=STATE_COLORS["susceptible"], lw=1.2,
                    label=f"well-mixed S (β={beta:.3g}/s, κ={kappa:.3g}/s)")
            ax.plot(tr / 60, zr, "--", color=STATE_COLORS["zombie"], lw=1.2,
                    label="well-mixed Z (vs infected + zombie)")
        else:
            _note(ax, "no contact between humans and zombies: no reference curve")
    kinds = ev.get("kind", np.array([], dtype=object))
    ymax = ax.get_ylim()[1]
    for i in np.flatnonzero(kinds == "intervention"):
        x = float(ev["time_s"][i]) / 60
        ax.axvline(x, color="#444", ls=":", lw=1)
        ax.text(x, ymax * 0.98, f" {ev['detail'][i]}", rotation=90, va="top", fontsize=8)
    ax.set_xlabel("time (min)")
    ax.set_ylabel("agents")
    ax.set_title(f"{run.summary.get('scenario', 'run')}: who is what over time")
    ax.legend(loc="center right", fontsize=8)
    fig.tight_layout()
    return _save(fig, out_dir, "curves")


def _bites(run: RunDir) -> dict[str, np.ndarray]:
    ev = columns(run.events())
    if not len(ev.get("kind", [])):
        return {k: np.array([]) for k in ("level", "row", "col", "place")}
    m = ev["kind"] == "bite"
    return {k: ev[k][m] for k in ("level", "row", "col", "place")}


def plot_infections_by_level(run: RunDir, out_dir: Path) -> list[Path]:
    levels = run.world["levels"]
    bites = _bites(run)
    counts = np.bincount(bites["level"].astype(int), minlength=len(levels))[: len(levels)] \
        if len(bites["level"]) else np.zeros(len(levels), int)
    fig, ax = _fig()
    ax.bar([level_label(lv) for lv in levels], counts, color=STATE_COLORS["zombie"])
    ax.set_ylabel("bites")
    ax.set_title("infections per level")
    if counts.sum() == 0:
        _note(ax, "no one was bitten")
    fig.tight_layout()
    return _save(fig, out_dir, "infections_by_level")


def plot_infections_by_place(run: RunDir, out_dir: Path, top: int = 20) -> list[Path]:
    bites = _bites(run)
    places = [str(p) if p else "(no place)" for p in bites["place"]]
    names, counts = np.unique(np.array(places, dtype=object), return_counts=True) \
        if places else (np.array([]), np.array([], int))
    order = np.argsort(-counts, kind="stable")[:top]
    fig, ax = _fig()
    ax.barh([str(names[i]) for i in order][::-1], counts[order][::-1],
            color=STATE_COLORS["zombie"])
    ax.set_xlabel("bites")
    ax.set_title(f"infections per place (top {top})")
    if not places:
        _note(ax, "no one was bitten")
    fig.tight_layout()
    return _save(fig, out_dir, "infections_by_place")


def plot_bite_heatmap(run: RunDir, out_dir: Path) -> list[Path]:
    """Per level, the floor plan in greys with a 2-D histogram of bites on top."""
    levels = run.world["levels"]
    bites = _bites(run)
    n = len(levels)
    ncols = min(n, 3)
    nrows = int(np.ceil(n / ncols))
    fig, axes = _fig(nrows, ncols, squeeze=False)
    for ax in axes.flat[n:]:
        ax.axis("off")
    for k, lv in enumerate(levels):
        ax = axes.flat[k]
        kind = run.level_grid(k)
        h, w = kind.shape
        step = max(1, int(np.ceil(max(h, w) / 400)))  # keep the drawn plan small
        plan = (kind[::step, ::step] == Cell.WALL).astype(float) * 0.8 \
            + (kind[::step, ::step] == Cell.VOID) * 1.0
        ax.imshow(1.0 - plan, cmap="gray", vmin=0, vmax=1, extent=(0, w, h, 0),
                  interpolation="nearest")
        m = bites["level"] == k
        if np.any(m):
            # about 60 bins along the longer side, whole cells per bin
            bins = (max(1, h // int(np.ceil(h / 60))), max(1, w // int(np.ceil(w / 60))))
            hist, _, _ = np.histogram2d(bites["row"][m], bites["col"][m], bins=bins,
                                        range=((0, h), (0, w)))
            ax.imshow(np.ma.masked_equal(hist, 0), cmap="inferno_r", alpha=0.85,
                      extent=(0, w, h, 0), interpolation="nearest")
        ax.set_title(f"{level_label(lv)}: {int(m.sum())} bites", fontsize=9)
        ax.set_xticks([])
        ax.set_yticks([])
    fig.suptitle("where bites happened")
    fig.tight_layout()
    return _save(fig, out_dir, "bite_heatmap")


def _codes(values, names: list[str]) -> np.ndarray:
    """Integer codes of a column written as codes or as lower-case names."""
    arr = np.asarray(values)
    if arr.dtype.kind in "iu":
        return arr.astype(int)
    index = {n: i for i, n in enumerate(names)}
    return np.array([index.get(str(v).lower(), -1) for v in arr], dtype=int)


def plot_survival(run: RunDir, out_dir: Path, top: int = 15) -> list[Path]:
    """Share of agents who survived (still human, carrier or escaped) by role and start place."""
    fig, (a1, a2) = _fig(1, 2)
    ag = columns(run.agents()) if (run.path / "agents.parquet").exists() else {}
    if not ag or not len(ag.get("final_state", [])):
        _note(a1, "no agents table")
        _note(a2, "no agents table")
        fig.tight_layout()
        return _save(fig, out_dir, "survival")
    survived = np.isin(_codes(ag["final_state"], STATE_NAMES), [int(s) for s in SURVIVED])
    roles = _codes(ag["role"], ROLE_NAMES)
    present = np.unique(roles)
    labels = [ROLE_NAMES[r] if 0 <= r < len(ROLE_NAMES) else str(r) for r in present]
    share = [survived[roles == r].mean() for r in present]
    sizes = [int((roles == r).sum()) for r in present]
    a1.bar([f"{lab}\n(n={s})" for lab, s in zip(labels, sizes, strict=True)], share,
           color=STATE_COLORS["escaped"])
    a1.set_ylim(0, 1)
    a1.set_ylabel("share surviving")
    a1.set_title("by role")
    places = np.array([str(p) if p else "(none)" for p in ag.get("start_place", [])],
                      dtype=object)
    names, counts = np.unique(places, return_counts=True)
    order = np.argsort(-counts, kind="stable")[:top]
    rates = [survived[places == names[i]].mean() for i in order]
    a2.barh([f"{names[i]} (n={counts[i]})" for i in order][::-1], rates[::-1],
            color=STATE_COLORS["escaped"])
    a2.set_xlim(0, 1)
    a2.set_xlabel("share surviving")
    a2.set_title(f"by starting place (largest {top})")
    a2.tick_params(axis="y", labelsize=7)
    fig.tight_layout()
    return _save(fig, out_dir, "survival")


def plot_time_to_turn(run: RunDir, out_dir: Path) -> list[Path]:
    fig, ax = _fig()
    ag = columns(run.agents()) if (run.path / "agents.parquet").exists() else {}
    d = np.asarray(ag.get("turn_delay_s", []), dtype=float)
    d = d[np.isfinite(d)]
    if len(d):
        ax.hist(d / 60.0, bins=min(40, max(5, len(d) // 5)), color=STATE_COLORS["infected"])
        ax.axvline(np.median(d) / 60, color="k", ls="--", lw=1,
                   label=f"median {np.median(d) / 60:.1f} min (n={len(d)})")
        ax.legend()
    else:
        _note(ax, "no one was bitten")
    ax.set_xlabel("time from bite to turning (min)")
    ax.set_ylabel("agents")
    ax.set_title("time to turn")
    fig.tight_layout()
    return _save(fig, out_dir, "time_to_turn")


def write_plots(run: RunDir, out_dir: Path, *, reference: bool = False) -> dict[str, Path]:
    """Write every plot as PNG and SVG into ``out_dir``; returns plot name → PNG path."""
    out_dir.mkdir(parents=True, exist_ok=True)
    made = {
        "curves": plot_curves(run, out_dir, reference=reference),
        "infections_by_level": plot_infections_by_level(run, out_dir),
        "infections_by_place": plot_infections_by_place(run, out_dir),
        "bite_heatmap": plot_bite_heatmap(run, out_dir),
        "survival": plot_survival(run, out_dir),
        "time_to_turn": plot_time_to_turn(run, out_dir),
    }
    return {k: v[0] for k, v in made.items()}


# ------------------------------------------------------------------ first-screen figures
def plot_epidemic_curve(run: RunDir, out_dir: Path, moments: list[tuple[float, str]] = ()
                        ) -> Path:
    """The first screen's curve: the living, the bitten-not-turned and the zombies over the
    time of day, key moments marked with their names (one PNG, 1200 × 300 px)."""
    from hyosan.report.data import clock_hms, start_clock

    ts = columns(run.timeseries())
    t = np.asarray(ts.get("time_s", []), dtype=float)
    fig, ax = plt.subplots(figsize=(12.0, 3.0), dpi=DPI)
    if len(t):
        living = sum(np.asarray(ts[k], float) for k in ("susceptible", "carrier"))
        for y, name, color in ((living, "living", STATE_COLORS["susceptible"]),
                               (ts["infected"], "bitten, not yet turned",
                                STATE_COLORS["infected"]),
                               (ts["zombie"], "zombies", STATE_COLORS["zombie"]),
                               (ts["escaped"], "escaped or rescued", STATE_COLORS["escaped"])):
            ax.plot(t / 60, y, color=color, lw=2.2, label=name)
        ax.set_yscale("symlog", linthresh=10)
        ax.set_ylim(0, None)
    c0 = start_clock(run)
    for k, (tm, label) in enumerate(moments):
        ax.axvline(tm / 60, color="#888", ls=":", lw=1)
        ax.text(tm / 60, 1.0 - 0.1 * (k % 3), f" {label}", transform=ax.get_xaxis_transform(),
                fontsize=8, va="top", color="#333")
    ticks = ax.get_xticks()
    ax.set_xticks(ticks)
    ax.set_xticklabels([clock_hms(60 * v, c0)[:5] for v in ticks])
    if len(t):
        ax.set_xlim(t[0] / 60, t[-1] / 60)
    ax.set_xlabel("time of day")
    ax.set_ylabel("people (log scale)")
    ax.legend(loc="lower left", fontsize=9, ncol=4, frameon=False)
    ax.grid(alpha=0.3)
    fig.tight_layout()
    path = out_dir / "epidemic_curve.png"
    fig.savefig(path, dpi=DPI)
    plt.close(fig)
    return path


def frame_at(run: RunDir, time_s: float) -> int:
    """Index of the first recorded frame at or after ``time_s`` (the last one if none)."""
    times = np.asarray(run.frame_index["time_s"], dtype=float)
    return min(int(np.searchsorted(times, time_s - 1e-9)), len(times) - 1)


def plot_school_strip(run: RunDir, out_dir: Path, moments: list[tuple[float, str]]
                      ) -> Path | None:
    """Small multiples of the building's storeys (one pixel per cell, graded as the
    animation is) at a few key moments, side by side: how the school fell at a glance."""
    from hyosan.report import canvas as cv
    from hyosan.report.animation import animator_for
    from hyosan.report.data import clock_hms, start_clock

    if not (run.path / "frames" / "index.json").exists() or not moments or not run.n_frames:
        return None
    anim = animator_for(run)
    panels = [p for p in anim.panels if not p.inset]
    c0 = start_clock(run)
    fig, axes = plt.subplots(len(panels), len(moments), squeeze=False,
                             figsize=(12.0, 0.25 + 0.36 * len(panels)), dpi=DPI,
                             gridspec_kw={"wspace": 0.04, "hspace": 0.08})
    for j, (tm, label) in enumerate(moments):
        f = frame_at(run, tm)
        frame = run.frame(f)
        idx = anim.render_index(frame)
        pal = cv.graded_palette(anim.share(frame))
        t_real = float(run.frame_index["time_s"][f])
        for i, p in enumerate(panels):
            ax = axes[i, j]
            off = 1 if p.up >= 2 else 0
            sub = idx[p.y0 + off : p.y0 + p.height : p.up, p.x0 + off : p.x0 + p.width : p.up]
            ax.imshow(pal[sub], interpolation="nearest", aspect="auto")
            ax.set_xticks([])
            ax.set_yticks([])
            if j == 0:
                ax.set_ylabel(p.label.split()[-1] if p.label else "", rotation=0, ha="right",
                              va="center", fontsize=9)
            if i == 0:
                ax.set_title(f"{clock_hms(t_real, c0)[:5]} {label}", fontsize=9)
    fig.subplots_adjust(left=0.06, right=0.995, top=0.86, bottom=0.02)
    path = out_dir / "school_strip.png"
    fig.savefig(path, dpi=DPI)
    plt.close(fig)
    return path
