"""CLI: ``hyosan report RUN_DIR [--follow NAME] [--no-animation] [--reference]``."""

from __future__ import annotations

from pathlib import Path

import typer


def register(app: typer.Typer) -> None:
    @app.command("report")
    def report(
        run_dir: Path = typer.Argument(..., help="a finished run directory"),
        follow: str = typer.Option(None, "--follow", help="also replay following this named "
                                   "character"),
        animation: bool = typer.Option(True, "--animation/--no-animation",
                                       help="render the animation (slowest part)"),
        reference: bool = typer.Option(False, "--reference",
                                       help="overlay the fitted well-mixed SZR curve"),
    ) -> None:
        """Write plots, animation, story and a self-contained report.html for a run."""
        from hyosan.record.reader import RunDir
        from hyosan.report import write_report

        RunDir(run_dir)  # a folder that is not a finished Hyosan run is refused, untouched
        page = write_report(run_dir, follow=follow, animation=animation, reference=reference)
        typer.echo(f"report: {page}")
