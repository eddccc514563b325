"""CLI: `hyosan run SCENARIO` — simulate, write the run directory, print the summary."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from hyosan.errors import ScenarioError
from hyosan.units import format_clock, format_duration, parse_quantity

console = Console()


def _quantity(text: str | None, what: str, option: str) -> float | None:
    if text is None:
        return None
    try:
        return parse_quantity(text, "time")
    except ValueError as exc:
        raise ScenarioError(str(exc), where=f"{option} {text!r}") from None


def print_summary(summary: dict, run_dir: Path | None) -> None:
    """The end-of-run table: humans alive, escaped, zombies, … and each named character's fate."""
    t = Table(title=f"{summary['scenario']} — seed {summary['seed']}, "
                    f"{format_duration(summary['duration_s'])} simulated")
    t.add_column("outcome")
    t.add_column("count", justify="right")
    for label, key in (("humans alive", "humans_alive"), ("escaped", "escaped"),
                       ("zombies", "zombies"), ("zombies destroyed", "destroyed"),
                       ("dead", "dead")):
        t.add_row(label, f"{summary[key]:,}")
    t.add_row("carriers (immune)", f"{summary['counts']['carrier']:,}")
    half = summary.get("time_to_half_school_infected_s")
    if summary.get("building"):  # a world without a building has no such row
        t.add_row(f"half the {summary['building']} infected",
                  format_clock(half, summary["start_clock_s"]) +
                  f" (after {format_duration(half)})" if half is not None else "never")
    console.print(t)
    if summary.get("named"):
        nt = Table(title="Named characters")
        nt.add_column("name", style="bold")
        nt.add_column("role")
        nt.add_column("fate")
        for name, info in summary["named"].items():
            nt.add_row(name, info["role"], info["fate"])
        console.print(nt)
    sps = summary.get("agent_steps_per_s")
    console.print(f"wall time {summary['wall_time_s']:.1f} s"
                  + (f" · {sps / 1e6:.2f} M agent-steps/s" if sps else "")
                  + (f" · results in {run_dir}" if run_dir else ""))


def register(app: typer.Typer) -> None:
    @app.command("run")
    def run(
        scenario: str | None = typer.Argument(None, help="a built-in name or a YAML path"),
        seed: int | None = typer.Option(None, "--seed", help="random seed (default: scenario's)"),
        duration: str | None = typer.Option(None, "--duration", help='e.g. "2h", "30 min"'),
        out: Path | None = typer.Option(None, "--out", help="run directory (default runs/NAME)"),
        frames_every: str | None = typer.Option(None, "--frames-every", help='e.g. "5s"'),
        plan: bool = typer.Option(False, "--plan", help="print the step plan and exit"),
        report: bool = typer.Option(True, "--report/--no-report",
                                    help="write plots, animation and report.html"),
        animation: bool = typer.Option(True, "--animation/--no-animation",
                                       help="include the animation in the report"),
        follow: str | None = typer.Option(None, "--follow", help="also a replay following NAME"),
        progress: bool = typer.Option(True, "--progress/--no-progress"),
    ) -> None:
        """Simulate a scenario and write its run directory, summary and report."""
        from hyosan.engine.plan import format_plan

        if plan:
            console.print(format_plan(), highlight=False)
            return
        if scenario is None:
            raise ScenarioError("give a scenario (a built-in name or a YAML path)",
                                where="hyosan run")
        from hyosan.engine.simulation import Simulation
        from hyosan.scenario.loader import load_scenario

        sc = load_scenario(scenario)
        dur = _quantity(duration, "duration", "--duration")
        fe = _quantity(frames_every, "frames", "--frames-every")
        if dur is not None and dur <= 0:
            raise ScenarioError("must be positive", where=f"--duration {duration!r}")
        out_dir = out or Path("runs") / sc.name
        console.print(f"building [bold]{sc.name}[/] …")
        sim = Simulation(sc, seed=seed)
        console.print(f"{sim.n:,} agents on {sim.world.n_levels} levels "
                      f"({sim.world.n_cells:,} cells); simulating "
                      f"{format_duration(dur if dur is not None else sc.run.duration)}")
        result = sim.run(out_dir, duration=dur, frames_every=fe, progress=progress)
        print_summary(result.summary, result.run_dir)
        if report:
            try:
                from hyosan.report import write_report
            except ImportError:  # pragma: no cover - report package is part of hyosan
                return
            console.print("writing the report (plots, animation, story) …")
            path = write_report(result.run_dir, follow=follow, animation=animation)
            console.print(f"report: [bold]{path}[/]")
