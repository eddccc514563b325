"""CLI: `hyosan ensemble` (replicates and sweeps into a DuckDB store) and `hyosan compare`."""

from __future__ import annotations

import os
from pathlib import Path

import typer
from rich.console import Console

from hyosan.errors import ScenarioError
from hyosan.units import parse_quantity

console = Console()


def _seconds(text: str | None, option: str) -> float | None:
    if text is None:
        return None
    try:
        value = parse_quantity(text, "time")
    except ValueError as exc:
        raise ScenarioError(str(exc), where=f"{option} {text!r}") from None
    if value <= 0:
        raise ScenarioError("must be positive", where=f"{option} {text!r}")
    return value


def register(app: typer.Typer) -> None:
    @app.command("ensemble")
    def ensemble(
        scenarios: list[str] = typer.Argument(..., help="built-in names or YAML paths"),
        replicates: int = typer.Option(10, "--replicates", "-n", help="replicates per setting"),
        vary: list[str] = typer.Option([], "--vary", help="KEY=V1,V2,... (repeatable; values "
                                       "are YAML; @NAME is a preset, e.g. response=@lockdown)"),
        workers: int = typer.Option(os.cpu_count() or 1, "--workers", "-w",
                                    help="worker processes (local pool or Dask LocalCluster)"),
        backend: str = typer.Option("local", "--backend", help="local or dask"),
        scheduler: str | None = typer.Option(None, "--scheduler",
                                             help="Dask scheduler, e.g. tcp://host:8786"),
        store: Path = typer.Option(Path("ensemble.duckdb"), "--store", help="DuckDB file"),
        duration: str | None = typer.Option(None, "--duration", help='e.g. "30 min"'),
        seed: int | None = typer.Option(None, "--seed", help="base seed (default: scenario's)"),
        export: Path | None = typer.Option(None, "--export", help="also write Parquet here"),
        thin: str = typer.Option("10 s", "--thin", help="time-series spacing in the store"),
        progress: bool = typer.Option(True, "--progress/--no-progress"),
        log: bool = typer.Option(False, "--log", help="one line per stored replicate "
                                 "instead of the progress bar"),
    ) -> None:
        """Run replicates of one or more scenarios over a grid of settings, into a store."""
        from hyosan.ensemble.compare import compare, table
        from hyosan.ensemble.runner import run_sweep
        from hyosan.ensemble.store import Store
        from hyosan.ensemble.sweep import build_plan

        if backend not in ("local", "dask"):
            raise ScenarioError("choose local or dask", where=f"--backend {backend!r}")
        if workers < 1:
            raise ScenarioError("must be at least 1", where="--workers")
        plan = build_plan(scenarios, vary, replicates, seed=seed,
                          duration_s=_seconds(duration, "--duration"))
        thin_s = _seconds(thin, "--thin") or 10.0
        n = len(plan.items())
        console.print(f"{len(plan.scenarios)} scenario(s) × {len(plan.combos)} setting(s) × "
                      f"{replicates} replicates = {n} runs · base seed {plan.base_seed} · "
                      f"{backend} backend, {workers} worker(s) · store {store}")
        rep = run_sweep(plan, store, backend=backend, workers=workers, scheduler=scheduler,
                        thin_s=thin_s, progress=progress, log=log, console=console)
        console.print(f"done: {rep.ran} run now, {rep.already} already in the store, "
                      f"{rep.wall_s:.1f} s"
                      + (f" ({rep.per_minute:.1f} replicates/min)" if rep.ran else ""))
        with Store(store, read_only=True) as st:
            console.print(table(compare(st)))
            if export is not None:
                paths = st.export_parquet(export)
                console.print(f"Parquet: {', '.join(str(p) for p in paths)}")
        console.print(f"compare: [bold]hyosan compare {store}[/]")

    @app.command("compare")
    def compare_cmd(
        store: Path = typer.Argument(..., help="an ensemble store (DuckDB file)"),
        by: str | None = typer.Option(None, "--by", help="group by one varied key "
                                      "(or 'scenario'); default: every distinct setting"),
        out: Path | None = typer.Option(None, "--out", help="plots and CSV here "
                                        "(default: STORE-compare/ next to the store)"),
        plots: bool = typer.Option(True, "--plots/--no-plots"),
        export: Path | None = typer.Option(None, "--export", help="write Parquet of every table"),
    ) -> None:
        """Means and 95 % confidence intervals of the outcomes per setting; table and plots."""
        from hyosan.ensemble.compare import compare, plot, table, write_csv
        from hyosan.ensemble.store import Store

        with Store(store, read_only=True) as st:
            groups = compare(st, by)
            console.print(table(groups, by))
            out_dir = out or store.with_name(store.stem + "-compare")
            out_dir.mkdir(parents=True, exist_ok=True)
            written = [write_csv(groups, out_dir / "comparison.csv")]
            if plots:
                written += plot(st, groups, out_dir, by)
            if export is not None:
                written += st.export_parquet(export)
        console.print("wrote " + ", ".join(str(p) for p in written))
