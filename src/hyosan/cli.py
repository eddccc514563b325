"""The `hyosan` command: a thin Typer layer over the Python API.

Each sub-package that adds commands has a ``commands`` module with ``register(app)``; they are
listed in ``COMMAND_MODULES``. User mistakes (``HyosanError``) print one clear paragraph and exit
with status 1, never a traceback.
"""

from __future__ import annotations

import importlib
import sys

import typer
from rich.console import Console

from hyosan.errors import HyosanError

app = typer.Typer(
    name="hyosan",
    help="Hyosan: agent-based zombie outbreak in a multi-storey school and its town.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
console = Console()
err_console = Console(stderr=True)

#: modules whose ``register(app)`` adds commands, in the order they appear in --help
COMMAND_MODULES = [
    "hyosan.scenario.commands",  # scenarios, check, world
    "hyosan.engine.commands",  # run
    "hyosan.validate.commands",  # validate movement|epidemic|all
    "hyosan.viewer.commands",  # view
    "hyosan.report.commands",  # report
    "hyosan.reference.commands",  # reference munz|alemi|lattice
    "hyosan.ensemble.commands",  # ensemble, compare
]


def _register_all() -> None:
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(app)


_register_all()


def fail(message: str) -> None:
    """Print a user-facing error and exit 1."""
    err_console.print(f"[bold red]error:[/] {message}", highlight=False, soft_wrap=True)
    raise typer.Exit(1)


def main() -> None:
    """Console-script entry point: run the app, turning user mistakes into one clean message."""
    try:
        app(standalone_mode=False)
    except HyosanError as exc:
        err_console.print(f"[bold red]error:[/] {exc}", highlight=False, soft_wrap=True)
        sys.exit(1)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except typer.Abort:
        err_console.print("aborted")
        sys.exit(130)
    except KeyboardInterrupt:
        err_console.print("interrupted")
        sys.exit(130)
    except Exception as exc:  # click usage errors
        import click

        if isinstance(exc, click.exceptions.ClickException):
            exc.show()
            sys.exit(exc.exit_code)
        raise


if __name__ == "__main__":  # pragma: no cover
    main()
