"""CLI: `hyosan ensemble` (replicates and sweeps into a DuckDB store) and `hyosan compare`."""

from __future__ import annotations

import os
from pathlib import Path

import typer
from rich.console import Console
from rich.markup import escape

from hyosan.engine.commands import cli_seconds
from hyosan.errors import ScenarioError
from hyosan.record import outdir
from hyosan.record.outdir import OutputError
from hyosan.scenario.schema import MAX_SEED

console = Console()


def _seconds(text: str | None, option: str) -> float | None:
    return cli_seconds(text, option, positive=True)


def check_store(store: Path) -> Path:
    """The store must be new or an ensemble store already: never another file or database."""
    from hyosan.ensemble.store import Store

    if store.is_dir():
        raise OutputError(f"--store {str(store)!r} is a folder; give a file name such as "
                          "ensemble.duckdb")
    if store.exists():
        Store(store, read_only=True).close()  # refuses a file that is not an ensemble store
    else:
        outdir.check_file(store, option="--store")
    return store


def _export(st, export: Path | None) -> list[Path]:
    """Parquet of every table into a new folder (or an earlier export), written whole."""
    if export is None:
        return []
    with outdir.Staged(export, "parquet", option="--export") as tmp:
        paths = st.export_parquet(tmp)
    return [export / p.name for p in paths]


def register(app: typer.Typer) -> None:
    @app.command("ensemble")
    def ensemble(
        scenarios: list[str] = typer.Argument(..., help="built-in names or YAML paths"),
        replicates: int = typer.Option(10, "--replicates", "-n", min=1,
                                       help="replicates per setting"),
        vary: list[str] = typer.Option([], "--vary", help="KEY=V1,V2,... (repeatable; values "
                                       "are YAML; @NAME is a preset, e.g. response=@lockdown)"),
        workers: int = typer.Option(os.cpu_count() or 1, "--workers", "-w", min=1,
                                    help="worker processes (local pool or Dask LocalCluster)"),
        backend: str = typer.Option("local", "--backend", help="local or dask"),
        scheduler: str | None = typer.Option(None, "--scheduler",
                                             help="Dask scheduler, e.g. tcp://host:8786"),
        store: str = typer.Option("ensemble.duckdb", "--store", help="DuckDB file (new, or "
                                  "a store to add to)"),
        duration: str | None = typer.Option(None, "--duration", help='e.g. "30 min"'),
        seed: int | None = typer.Option(None, "--seed", min=0, max=MAX_SEED,
                                        help="base seed (default: scenario's)"),
        export: str | None = typer.Option(None, "--export", help="also write Parquet here "
                                          "(a new folder)"),
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
        store_path = check_store(outdir.as_path(store, "--store"))
        export_dir = outdir.as_path(export, "--export")
        if export_dir is not None:
            outdir.check_dir(export_dir, "parquet", option="--export")
        thin_s = _seconds(thin, "--thin") or 10.0
        plan = build_plan(scenarios, vary, replicates, seed=seed,
                          duration_s=_seconds(duration, "--duration"))
        n = len(plan.items())
        console.print(f"{len(plan.scenarios)} scenario(s) × {len(plan.combos)} setting(s) × "
                      f"{replicates} replicates = {n} runs · base seed {plan.base_seed} · "
                      f"{backend} backend, {workers} worker(s) · store {escape(store)}")
        rep = run_sweep(plan, store_path, backend=backend, workers=workers, scheduler=scheduler,
                        thin_s=thin_s, progress=progress, log=log, console=console)
        console.print(f"done: {rep.ran} run now, {rep.already} already in the store, "
                      f"{rep.wall_s:.1f} s"
                      + (f" ({rep.per_minute:.1f} replicates/min)" if rep.ran else ""))
        with Store(store_path, read_only=True) as st:
            console.print(table(compare(st)))
            paths = _export(st, export_dir)
            if paths:
                console.print(f"Parquet: {escape(', '.join(str(p) for p in paths))}")
        console.print(f"compare: [bold]hyosan compare {escape(store)}[/]")

    @app.command("compare")
    def compare_cmd(
        store: Path = typer.Argument(..., help="an ensemble store (DuckDB file)"),
        by: str | None = typer.Option(None, "--by", help="group by one varied key "
                                      "(or 'scenario'); default: every distinct setting"),
        out: str | None = typer.Option(None, "--out", help="plots and CSV here, a new folder "
                                       "or an earlier comparison (default: STORE-compare/ "
                                       "next to the store)"),
        plots: bool = typer.Option(True, "--plots/--no-plots"),
        export: str | None = typer.Option(None, "--export", help="write Parquet of every "
                                          "table (a new folder)"),
    ) -> None:
        """Means and 95 % confidence intervals of the outcomes per setting; table and plots."""
        from hyosan.ensemble.compare import compare, plot, table, write_csv
        from hyosan.ensemble.store import Store

        out_dir = outdir.as_path(out, "--out") or store.with_name(store.stem + "-compare")
        outdir.check_dir(out_dir, "compare", option="--out")
        export_dir = outdir.as_path(export, "--export")
        if export_dir is not None:
            outdir.check_dir(export_dir, "parquet", option="--export")
        with Store(store, read_only=True) as st:
            groups = compare(st, by)
            console.print(table(groups, by))
            with outdir.Staged(out_dir, "compare", option="--out") as tmp:
                names = [write_csv(groups, tmp / "comparison.csv")]
                if plots:
                    names += plot(st, groups, tmp, by)
            written = [out_dir / Path(p).name for p in names] + _export(st, export_dir)
        console.print("wrote " + escape(", ".join(str(p) for p in written)))
