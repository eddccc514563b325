"""The ``hyosan view`` command."""

from __future__ import annotations

from pathlib import Path

import typer


def register(app: typer.Typer) -> None:
    """Add ``view`` to the ``hyosan`` command."""

    @app.command("view")
    def view(
        run_dir: Path = typer.Argument(..., help="A finished run directory."),
        port: int = typer.Option(0, "--port", help="Port to listen on (0: any free port)."),
        host: str = typer.Option("127.0.0.1", "--host",
                                 help="Address to bind; loopback unless you say otherwise."),
        no_open: bool = typer.Option(False, "--no-open", help="Do not open a browser tab."),
        export: str | None = typer.Option(None, "--export",
                                          help="Write a static site to this folder instead "
                                          "(a new folder, or an earlier export)."),
    ) -> None:
        """Replay a run in the browser: floors, curves, events, follow a character."""
        from hyosan.viewer.export import export_site
        from hyosan.viewer.server import serve

        if not 0 <= port <= 65535:
            from hyosan.errors import ScenarioError

            raise ScenarioError(f"{port} is not a port number (0-65535)", where="--port")
        if export is not None:
            from hyosan.record import outdir
            from hyosan.record.reader import RunDir

            target = outdir.as_path(export, "--export")
            RunDir(run_dir)
            with outdir.Staged(target, "viewer", option="--export") as tmp:
                export_site(run_dir, tmp)
            out = target
            typer.echo(f"wrote the viewer to {out}; serve that folder with any static "
                       f"file server, e.g. `python -m http.server -d {out}`")
            return
        serve(run_dir, host, port, open_browser=not no_open)
