"""`hyosan reference munz|alemi|lattice`: run a reference model, print its key numbers, and write
a PNG plot and a CSV of its trajectories into ``--out``."""

from __future__ import annotations

import csv
import math
from pathlib import Path

import numpy as np
import typer
from rich.console import Console
from rich.table import Table

from hyosan import limits
from hyosan.errors import ScenarioError

console = Console()

reference_app = typer.Typer(help="Reference models: Munz et al. ODEs, well-mixed and lattice "
                                 "SZR (Alemi et al.).", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    """Add the ``reference`` command group to the main app."""
    app.add_typer(reference_app, name="reference")


def _check_out(out: Path) -> None:
    """Refuse an unusable --out before any work (nothing is written yet)."""
    from hyosan.record import outdir

    outdir.check_dir(outdir.as_path(str(out), "--out"), "reference", option="--out")


def _out_dir(out: Path) -> Path:
    """A new folder or one Hyosan wrote reference results into before (files are added)."""
    from hyosan.record import outdir

    return outdir.claim_dir(outdir.as_path(str(out), "--out"), "reference", option="--out")


def _numbers(**given: float | None) -> None:
    """Every option given must be a finite number ≥ 0 (named in the message)."""
    for name, value in given.items():
        if value is not None and not (math.isfinite(value) and value >= 0):
            raise ScenarioError(f"must be a finite number ≥ 0, got {value}",
                                where=f"--{name.replace('_', '-')}")


def _write_csv(path: Path, columns: dict[str, np.ndarray]) -> None:
    names = list(columns)
    with path.open("w", newline="") as f:
        w = csv.writer(f)
        w.writerow(names)
        for row in zip(*(columns[n] for n in names), strict=True):
            w.writerow([f"{v:.10g}" if isinstance(v, float | np.floating) else v for v in row])


def _plot(path: Path, t: np.ndarray, series: dict[str, np.ndarray], title: str,
          xlabel: str, extra: dict[str, tuple[np.ndarray, np.ndarray]] | None = None) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    colours = {"S": "tab:blue", "I": "tab:orange", "Z": "tab:red", "R": "tab:gray",
               "Q": "tab:purple"}
    fig, ax = plt.subplots(figsize=(7, 4), dpi=120)
    for name, y in series.items():
        ax.plot(t, y, label=name, color=colours.get(name[0]), lw=1.8)
    for name, (tx, y) in (extra or {}).items():
        ax.plot(tx, y, "--", label=name, color=colours.get(name[0]), lw=1.2)
    ax.set_xlabel(xlabel)
    ax.set_ylabel("individuals")
    ax.set_title(title)
    ax.legend(loc="best", fontsize=8)
    ax.grid(alpha=0.3)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


def _table(title: str, rows: list[tuple[str, str]]) -> None:
    table = Table(title=title, show_header=False)
    table.add_column("quantity", style="bold")
    table.add_column("value", justify="right")
    for k, v in rows:
        table.add_row(k, v)
    console.print(table)


@reference_app.command("munz")
def munz_cmd(
    out: Path = typer.Option(..., "--out", help="folder for munz.csv and munz.png"),
    variant: str = typer.Option("szr", help="szr | sizr | quarantine | treatment | impulsive"),
    n: float = typer.Option(None, "--n", help="initial humans N (default: the paper's)"),
    z0: float = typer.Option(1.0, "--z0", help="initial zombies"),
    alpha: float = typer.Option(None, help="zombies destroyed per human-zombie encounter rate"),
    beta: float = typer.Option(None, help="transmission (bite) rate"),
    zeta: float = typer.Option(None, help="resurrection rate of the removed"),
    delta: float = typer.Option(None, help="natural death rate of humans"),
    rho: float = typer.Option(None, help="rate at which the infected turn (latent variants)"),
    kappa: float = typer.Option(None, help="quarantine rate of the infected"),
    sigma: float = typer.Option(None, help="quarantine rate of zombies"),
    gamma: float = typer.Option(None, help="removal rate of the quarantined"),
    c: float = typer.Option(None, help="cure rate (treatment)"),
    k: float = typer.Option(None, help="strike strength (impulsive): Z → (1 − k·n)Z"),
    interval: float = typer.Option(None, help="days between strikes (impulsive)"),
    t_end: float = typer.Option(None, "--t-end", help="days to simulate"),
) -> None:
    """Solve a Munz et al. (2009) ODE model (time in days)."""
    from hyosan.reference import munz

    _check_out(out)
    _numbers(n=n, z0=z0, alpha=alpha, beta=beta, zeta=zeta, delta=delta, rho=rho,
             kappa=kappa, sigma=sigma, gamma=gamma, c=c, k=k, interval=interval, t_end=t_end)
    if n is not None and n < 1:
        raise ScenarioError(f"the population must be at least 1, got {n:g}", where="--n")
    if interval is not None and interval <= 0:
        raise ScenarioError(f"must be above 0 days, got {interval:g}", where="--interval")
    if t_end is not None and t_end <= 0:
        raise ScenarioError(f"must be above 0 days, got {t_end:g}", where="--t-end")
    given = dict(N=n, Z0=z0, alpha=alpha, beta=beta, zeta=zeta, delta=delta, rho=rho,
                 kappa=kappa, sigma=sigma, gamma=gamma, c=c, k=k, interval=interval,
                 t_end=t_end)
    if variant not in munz.VARIANTS:
        raise ScenarioError(f"unknown variant {variant!r}; choose one of "
                            f"{', '.join(munz.VARIANTS)}", where="--variant")
    allowed = set(munz.SOLVERS[variant].__kwdefaults__)
    params = {key: v for key, v in given.items() if v is not None}
    wrong = sorted(set(params) - allowed)
    if wrong:
        raise ScenarioError(f"option(s) {', '.join('--' + w.lower() for w in wrong)} do not "
                            f"apply to variant {variant!r}", where="--variant")
    res = munz.solve_munz(variant, **params)
    out = _out_dir(out)
    _write_csv(out / "munz.csv", {"t_days": res.t, **res.compartments})
    title = f"Munz et al. {variant}: " + ", ".join(
        f"{key}={v:g}" for key, v in res.params.items() if key not in ("S0", "R0"))
    _plot(out / "munz.png", res.t, res.compartments, title, "time (days)")
    final = res.final()
    doom = res.doomsday_time()
    rows = [(f"final {key}", f"{v:.4g}") for key, v in final.items()]
    rows.append(("doomsday (S < 1)", f"day {doom:.3g}" if doom is not None else "not reached"))
    if variant == "quarantine":
        p = res.params
        r0 = munz.quarantine_r0(beta=p["beta"], N=p["S0"], rho=p["rho"], kappa=p["kappa"],
                                alpha=p["alpha"], sigma=p["sigma"])
        rows.append(("R0 = βNρ/((ρ+κ)(αN+σ))", f"{r0:.4g}"))
    if variant == "treatment":
        p = res.params
        rows.append(("S* = c/β (Π = δ = 0)",
                     f"{munz.treatment_equilibrium_s(beta=p['beta'], c=p['c']):.4g}"))
    _table(f"Munz {variant}, t = 0 … {res.t[-1]:g} days", rows)
    console.print(f"wrote {out / 'munz.csv'} and {out / 'munz.png'}")


@reference_app.command("alemi")
def alemi_cmd(
    out: Path = typer.Option(..., "--out", help="folder for alemi.csv and alemi.png"),
    alpha: float = typer.Option(0.5, help="kill/bite ratio κ/β"),
    beta: float = typer.Option(1.0, help="bite rate (convention β·S·Z/N)"),
    n: int = typer.Option(10_000, "--n", help="population N"),
    z0: int = typer.Option(1, "--z0", help="initial zombies"),
    runs: int = typer.Option(200, help="stochastic runs"),
    method: str = typer.Option("gillespie", help="gillespie | tau-leap"),
    t_end: float = typer.Option(None, "--t-end", help="end time (default: 4× the growth time)"),
    seed: int = typer.Option(0, help="random seed"),
) -> None:
    """Well-mixed SZR (Alemi et al. 2015): closed form and a stochastic ensemble."""
    from hyosan.reference import alemi

    _check_out(out)
    _numbers(alpha=alpha, beta=beta, t_end=t_end)
    if not 0 < z0 < n:
        raise ScenarioError(f"need 0 < z0 < n, got z0={z0}, n={n}", where="--z0")
    if beta <= 0:
        raise ScenarioError(f"must be above 0, got {beta}", where="--beta")
    if runs < 1:
        raise ScenarioError(f"must be at least 1, got {runs}", where="--runs")
    kappa = alpha * beta
    if t_end is None:  # long enough for the closed form to settle
        growth = max(abs(1.0 - alpha), 0.05) * beta
        t_end = float(4.0 * np.log(max(n, 2)) / growth)
    t = np.linspace(0.0, t_end, 201)
    S0 = n - z0
    if method == "gillespie":
        res = alemi.gillespie(S0=S0, Z0=z0, beta=beta, kappa=kappa, t=t, runs=runs, seed=seed)
    elif method == "tau-leap":
        res = alemi.tau_leap(S0=S0, Z0=z0, beta=beta, kappa=kappa, t=t, runs=runs, seed=seed)
    else:
        raise ScenarioError(f"unknown method {method!r}; choose gillespie or tau-leap",
                            where="--method")
    S, Z, R = alemi.closed_form(t, S0=S0, Z0=z0, beta=beta, kappa=kappa)
    took_off = ~res.extinct
    mean = res.mean()
    cond = {k: (getattr(res, k)[took_off].mean(axis=0) if took_off.any() else np.zeros_like(t))
            for k in "SZR"}
    out = _out_dir(out)
    _write_csv(out / "alemi.csv", {
        "t": t, "S_closed": S, "Z_closed": Z, "R_closed": R,
        "S_mean": mean["S"], "Z_mean": mean["Z"], "R_mean": mean["R"],
        "S_mean_outbreaks": cond["S"], "Z_mean_outbreaks": cond["Z"],
        "R_mean_outbreaks": cond["R"]})
    _plot(out / "alemi.png", t, {"S closed form": S, "Z closed form": Z},
          f"well-mixed SZR, α={alpha:g}, N={n}, Z0={z0} ({runs} {method} runs)", "time",
          extra={"S mean (outbreaks)": (t, cond["S"]), "Z mean (outbreaks)": (t, cond["Z"])})
    S_inf, Z_inf = alemi.final_size(S0=S0, Z0=z0, alpha=alpha)
    p_ext = alemi.extinction_probability(alpha, z0)
    k_ext = int(res.extinct.sum())
    rows = [
        ("final S, Z (closed form, t→∞)", f"{S_inf:.4g}, {Z_inf:.4g}"),
        ("early extinction min(α,1)^Z0", f"{p_ext:.4f}"),
        ("extinct runs (measured)", f"{k_ext}/{runs} = {k_ext / runs:.4f}"),
        ("mean final S, Z (runs)", f"{res.S[:, -1].mean():.4g}, {res.Z[:, -1].mean():.4g}"),
        ("events per run (mean)", f"{res.events.mean():.4g}"),
    ]
    _table(f"Alemi well-mixed SZR, t = 0 … {t_end:.3g}", rows)
    console.print(f"wrote {out / 'alemi.csv'} and {out / 'alemi.png'}")


@reference_app.command("lattice")
def lattice_cmd(
    out: Path = typer.Option(..., "--out", help="folder for lattice CSVs and PNGs"),
    alpha: float = typer.Option(0.3, help="kill/bite ratio κ/β (α_c ≈ 0.437)"),
    size: int = typer.Option(256, "--size", help="lattice side L (periodic L×L)"),
    runs: int = typer.Option(1000, help="single-zombie outbreaks for the size statistics"),
    size_cap: int = typer.Option(None, "--size-cap",
                                 help="an outbreak reaching this size counts as large "
                                      "(default L²/4)"),
    t_end: float = typer.Option(None, "--t-end", help="end time of the example run"),
    seed: int = typer.Option(0, help="random seed"),
) -> None:
    """Lattice SZR (Alemi et al. 2015): outbreak-size statistics and one example outbreak."""
    from hyosan.reference import lattice

    _check_out(out)
    _numbers(alpha=alpha, t_end=t_end)
    if size < 2 or runs < 1:
        raise ScenarioError(f"need --size ≥ 2 and --runs ≥ 1, got {size} and {runs}",
                            where="--size" if size < 2 else "--runs")
    limits.check("cells", float(size) ** 2, "--size", "the lattice")
    stats = lattice.outbreak_sizes(L=size, alpha=alpha, runs=runs, size_cap=size_cap,
                                   seed=seed)
    if t_end is None:  # the front moves about one site per unit time: cross the lattice
        t_end = float(2 * size)
    run = lattice.lattice_run(L=size, alpha=alpha, t_end=t_end, seed=seed)
    out = _out_dir(out)
    _write_csv(out / "lattice_run.csv", {"t": run.t, "S": run.S, "Z": run.Z, "R": run.R})
    _write_csv(out / "lattice_sizes.csv", {"size": stats.sizes,
                                           "capped": stats.capped.astype(int)})
    _plot(out / "lattice_run.png", run.t, {"S": run.S, "Z": run.Z, "R": run.R},
          f"lattice SZR, α={alpha:g}, L={size}", "time")
    _plot_lattice(out, run, stats)
    rows = [
        ("P(outbreak reaches size cap)", f"{stats.p_large:.4f} (cap {stats.size_cap})"),
        ("P(first event is a kill) = α/(1+α)", f"{alpha / (1 + alpha):.4f}"),
        ("measured P(size = 1)", f"{np.mean(stats.sizes == 1):.4f}"),
        ("median outbreak size", f"{np.median(stats.sizes):.4g}"),
        ("example run: final S, Z, R", f"{run.S[-1]}, {run.Z[-1]}, {run.R[-1]}"),
        ("regime", "spreads (α < α_c ≈ 0.437)" if alpha < lattice.ALPHA_C
         else "contained (α > α_c ≈ 0.437)"),
    ]
    _table(f"Lattice SZR, {runs} single-zombie outbreaks on {size}×{size}", rows)
    console.print(f"wrote {out / 'lattice_run.csv'}, {out / 'lattice_sizes.csv'}, "
                  f"{out / 'lattice_run.png'} and {out / 'lattice.png'}")


def _plot_lattice(out: Path, run, stats) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.colors import ListedColormap

    fig, (a1, a2) = plt.subplots(1, 2, figsize=(10, 4.5), dpi=120)
    a1.imshow(run.final_state, cmap=ListedColormap(["#cfe3f5", "#c0392b", "#555555"]),
              vmin=0, vmax=2, interpolation="nearest")
    a1.set_title(f"example outbreak at t = {run.t[-1]:g} (S blue, Z red, R grey)", fontsize=9)
    a1.set_axis_off()
    m = np.unique(np.geomspace(1, stats.size_cap, 60).astype(int))
    a2.loglog(m, [np.mean(stats.sizes >= x) for x in m], "o-", ms=3)
    a2.set_xlabel("size m")
    a2.set_ylabel("P(outbreak size ≥ m)")
    a2.set_title(f"α = {stats.alpha:g}, {stats.runs} outbreaks", fontsize=9)
    a2.grid(alpha=0.3, which="both")
    fig.tight_layout()
    fig.savefig(out / "lattice.png")
    plt.close(fig)
