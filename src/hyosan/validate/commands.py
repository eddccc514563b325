"""CLI: `hyosan validate movement|epidemic|egress|all [--full] [--out DIR]`."""

from __future__ import annotations

import importlib
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from hyosan.errors import ScenarioError

console = Console()

#: suite name -> module with ``run(full, out_dir) -> list[Check]``
SUITES = {
    "movement": "hyosan.validate.movement",
    "epidemic": "hyosan.validate.epidemic",
    "egress": "hyosan.validate.egress",  # prints its own table (suite, case, …, result)
}


def run_suite(name: str, full: bool, out_dir: Path | None) -> bool:
    module = importlib.import_module(SUITES[name])
    if hasattr(module, "report"):
        return module.report(full, out_dir, console)
    checks = module.run(full=full, out_dir=out_dir)
    table = Table(title=f"hyosan validate {name}" + (" (full)" if full else " (reduced)"))
    for col in ("check", "reference", "measured", "tolerance", "pass"):
        table.add_column(col)
    for c in checks:
        table.add_row(c.name, c.reference, c.measured, c.tolerance,
                      "[green]pass[/]" if c.passed else "[red]FAIL[/]")
    console.print(table)
    return all(c.passed for c in checks)


def register(app: typer.Typer) -> None:
    @app.command("validate")
    def validate(
        suite: str = typer.Argument(..., help="movement, epidemic, egress or all"),
        full: bool = typer.Option(False, "--full", help="full sizes (minutes) instead of reduced"),
        out: Path | None = typer.Option(None, "--out", help="folder for plots and tables"),
    ) -> None:
        """Check the engine against the literature and closed forms; print the evidence."""
        names = list(SUITES) if suite == "all" else [suite]
        for n in names:
            if n not in SUITES:
                raise ScenarioError(f"unknown suite {n!r} (choose: {', '.join(SUITES)}, all)",
                                    where="hyosan validate")
        if out is not None:
            from hyosan.record import outdir

            outdir.claim_dir(out, "validation", option="--out")
        ok = True
        for n in names:
            ok = run_suite(n, full, out) and ok
        if not ok:
            raise typer.Exit(1)
