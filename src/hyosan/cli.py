"""The `hyosan` command: a thin Typer layer over the Python API, and its one error boundary.

Each sub-package that adds commands has a ``commands`` module with ``register(app)``; they are
listed in ``COMMAND_MODULES``. ``run`` lives here because it is the one command that chains
others (simulate, then report): the engine knows nothing of pictures.

``run_cli`` decides every exit status: usage mistakes print Typer's usage message and exit 2;
user mistakes (``HyosanError``, and OS errors on the paths a user gave) print one paragraph and
exit 1; Ctrl-C prints "interrupted" and exits 130; a command's own status (a failing
``validate``) is the process's. Tracebacks appear only with ``HYOSAN_DEBUG=1``, and for bugs.
"""

from __future__ import annotations

import importlib
import os
import sys
import time
import traceback
from contextlib import contextmanager

import typer
from rich.console import Console
from rich.markup import escape

from hyosan.errors import HyosanError, ScenarioError
from hyosan.scenario.schema import MAX_SEED

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
#: ("run" is this module's own, see ``register``)
COMMAND_MODULES = [
    "hyosan.scenario.commands",  # scenarios, check, world
    "hyosan.cli",  # run
    "hyosan.validate.commands",  # validate movement|epidemic|all
    "hyosan.viewer.commands",  # view
    "hyosan.report.commands",  # report
    "hyosan.reference.commands",  # reference munz|alemi|lattice
    "hyosan.ensemble.commands",  # ensemble, compare
]
#: exit status for an error that is Hyosan's fault, not the user's
EXIT_BUG = 70
EXIT_INTERRUPTED = 130


def seed_option(help_text: str = "random seed (default: the scenario's)"):
    """A ``--seed`` option every command spells the same: 0 to 2⁶³ − 1."""
    return typer.Option(None, "--seed", min=0, max=MAX_SEED, help=help_text)


def register(target: typer.Typer) -> None:
    """Add ``run`` to the app."""

    @target.command("run")
    def run(
        scenario: str | None = typer.Argument(None, help="a built-in name or a YAML path"),
        seed: int | None = seed_option(),
        duration: str | None = typer.Option(None, "--duration", help='e.g. "2h", "30 min"'),
        out: str | None = typer.Option(None, "--out", help="run directory (default runs/NAME); "
                                       "a new folder or an earlier run's"),
        frames_every: str | None = typer.Option(None, "--frames-every", help='e.g. "5s"'),
        plan: bool = typer.Option(False, "--plan", help="print the step plan and exit"),
        report: bool = typer.Option(True, "--report/--no-report",
                                    help="write plots, animation and report.html"),
        animation: bool = typer.Option(True, "--animation/--no-animation",
                                       help="include the animation in the report"),
        follow: str | None = typer.Option(None, "--follow", help="also a replay following NAME"),
        progress: bool = typer.Option(True, "--progress/--no-progress"),
        trajectories: bool = typer.Option(
            False, "--trajectories", help="also write per-agent positions for PedPy "
            "(trajectories/level*.txt|.h5|.wkt; needs the egress extra)"),
        trajectories_every: str | None = typer.Option(
            None, "--trajectories-every", help='time between trajectory frames, e.g. "1s" '
            "(default: every tick)"),
        checkpoint_every: str | None = typer.Option(
            None, "--checkpoint-every", help='save the whole state every so many simulated '
            'minutes (a number) or a duration ("2 h")'),
        checkpoint_dir: str | None = typer.Option(
            None, "--checkpoint-dir", help="where checkpoints go (default: the run folder's "
            "name + .checkpoint, beside it)"),
        resume: str | None = typer.Option(
            None, "--resume", help="carry on from the last checkpoint in this folder "
            "(no scenario needed); the result equals an uninterrupted run"),
    ) -> None:
        """Simulate a scenario and write its run directory, summary and report."""
        from hyosan.engine.commands import resume as resume_run
        from hyosan.engine.commands import simulate

        if plan:
            from hyosan.engine.plan import format_plan

            console.print(format_plan(), highlight=False)
            return
        t0 = time.perf_counter()
        if resume is not None:
            if scenario is not None:
                raise ScenarioError("give either a scenario or --resume (the checkpoint knows "
                                    "its scenario)", where="hyosan run --resume")
            run_dir = resume_run(resume, progress=progress)
        elif scenario is None:
            raise ScenarioError("give a scenario (a built-in name or a YAML path)",
                                where="hyosan run")
        else:
            run_dir = simulate(scenario, seed=seed, duration=duration, out=out,
                               frames_every=frames_every, progress=progress,
                               follow=follow if report else None, trajectories=trajectories,
                               trajectories_every=trajectories_every,
                               checkpoint_every=checkpoint_every, checkpoint_dir=checkpoint_dir)
        walls = {"simulation": time.perf_counter() - t0}
        if report:
            from hyosan.report import write_report

            console.print("writing the report (plots, animation, story) …")
            t1 = time.perf_counter()
            with _timed("hyosan.report.animation", "write_animation") as anim:
                page = write_report(run_dir, follow=follow, animation=animation)
            walls["report"] = time.perf_counter() - t1 - anim[0]
            walls["animation"] = anim[0]
            console.print(f"report: [bold]{escape(str(page))}[/]")
        walls["total"] = time.perf_counter() - t0
        console.print("wall time: " + ", ".join(f"{k} {v:.1f} s" for k, v in walls.items()))


@contextmanager
def _timed(module: str, name: str):
    """Seconds spent in ``module.name`` inside the block (``[seconds]``, filled as it runs):
    the animation's share of the report, without the report knowing it is timed."""
    mod = importlib.import_module(module)
    fn = getattr(mod, name)
    spent = [0.0]

    def timed(*args, **kw):
        t = time.perf_counter()
        try:
            return fn(*args, **kw)
        finally:
            spent[0] += time.perf_counter() - t

    setattr(mod, name, timed)
    try:
        yield spent
    finally:
        setattr(mod, name, fn)


def _register_all() -> None:
    for name in COMMAND_MODULES:
        module = sys.modules[__name__] if name == "hyosan.cli" else importlib.import_module(name)
        module.register(app)


_register_all()


def fail(message: str) -> None:
    """Print a user-facing error and exit 1."""
    err_console.print(f"[bold red]error:[/] {escape(message)}", highlight=False, soft_wrap=True)
    raise typer.Exit(1)


def _say(message: str) -> None:
    err_console.print(f"[bold red]error:[/] {escape(message)}", highlight=False, soft_wrap=True)


def _os_message(exc: OSError) -> str:
    """An OS error on a user's path, in one line: the path and what the system said."""
    what = exc.strerror or str(exc)
    if exc.filename is not None:
        return f"{exc.filename}: {what}" + (f" (and {exc.filename2})" if exc.filename2 else "")
    return what


def run_cli(argv: list[str] | None = None) -> int:
    """Run the app on ``argv`` (default ``sys.argv[1:]``) and return the exit status."""
    try:  # Typer ≥ 0.24 carries its own copy of Click
        from typer._click.exceptions import ClickException
    except ImportError:  # pragma: no cover - older Typer on Click
        from click.exceptions import ClickException

    debug = os.environ.get("HYOSAN_DEBUG") == "1"
    try:
        rv = app(args=argv, prog_name="hyosan", standalone_mode=False)
    except ClickException as exc:  # usage: Typer's own message and status (2)
        from typer import rich_utils

        if exc.__class__.__name__ == "NoArgsIsHelpError":
            console.print(exc.ctx.get_help() if getattr(exc, "ctx", None) else "")
        else:
            rich_utils.rich_format_error(exc)
        return exc.exit_code
    except KeyboardInterrupt:
        rv = EXIT_INTERRUPTED
    except (typer.Abort, EOFError):
        err_console.print("aborted")
        return 1
    except HyosanError as exc:
        if debug:
            traceback.print_exc()
        _say(str(exc))
        return 1
    except OSError as exc:  # a path the user gave: read-only, full disk, a file in the way
        if debug:
            traceback.print_exc()
        _say(_os_message(exc))
        return 1
    except MemoryError:
        _say("out of memory: make the world or the population smaller")
        return 1
    except Exception as exc:  # a bug: say so plainly; the traceback is one variable away
        if _interrupted(exc):  # Ctrl-C inside a library that wrapped it (Numba compiling)
            err_console.print("interrupted")
            return EXIT_INTERRUPTED
        if debug:
            raise
        _say(f"internal error (a bug in Hyosan, please report it): {type(exc).__name__}: "
             f"{exc}. Run again with HYOSAN_DEBUG=1 to see the traceback")
        return EXIT_BUG
    rc = rv if isinstance(rv, int) and not isinstance(rv, bool) else 0
    if rc == EXIT_INTERRUPTED:
        err_console.print("interrupted")
    return rc


def _interrupted(exc: BaseException) -> bool:
    """Whether a KeyboardInterrupt is somewhere in the chain of causes of ``exc``."""
    seen = set()
    while exc is not None and id(exc) not in seen:
        if isinstance(exc, KeyboardInterrupt):
            return True
        seen.add(id(exc))
        exc = exc.__cause__ or exc.__context__
    return False


def main(argv: list[str] | None = None) -> None:
    """Console-script entry point: ``sys.exit`` with the status ``run_cli`` decides."""
    try:
        code = run_cli(argv)
    except KeyboardInterrupt:  # a second Ctrl-C while the first was being handled
        code = EXIT_INTERRUPTED
    sys.exit(code)


if __name__ == "__main__":  # pragma: no cover
    main()
