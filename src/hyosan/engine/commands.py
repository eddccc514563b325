"""The simulating half of `hyosan run`: load, check, simulate, write the run directory, print
the summary. The CLI (``hyosan.cli``) chains the report after it; the engine draws nothing."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from hyosan.errors import ScenarioError
from hyosan.units import format_clock, format_duration, parse_quantity

console = Console()


def cli_seconds(text: str | None, option: str, *, positive: bool = False) -> float | None:
    """A duration given on the command line, checked as a scenario file checks it."""
    if text is None:
        return None
    try:
        value = parse_quantity(text, "time")
    except ValueError as exc:
        raise ScenarioError(str(exc), where=f"{option} {text!r}") from None
    if value < 0 or (positive and value == 0):
        raise ScenarioError("must be positive" if positive else "must not be negative",
                            where=f"{option} {text!r}")
    return value


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
                  + (f" · results in {escape(str(run_dir))}" if run_dir else ""))


def checkpoint_ticks(text: str | None, dt: float) -> int | None:
    """``--checkpoint-every``: a duration ("30 min", "2 h") or a number of simulated minutes."""
    if text is None:
        return None
    try:
        minutes = float(text)
        seconds = minutes * 60.0
        if seconds <= 0:
            raise ScenarioError("must be positive", where=f"--checkpoint-every {text!r}")
    except ValueError:
        seconds = cli_seconds(text, "--checkpoint-every", positive=True)
    return max(1, int(round(seconds / dt)))


def resume(directory: str, *, progress: bool = True) -> Path:
    """Carry on a run from the last checkpoint in ``directory`` (``hyosan run --resume``),
    checkpointing on at the same rate; returns the run folder."""
    from hyosan.record import checkpoint as ckpt

    folder = Path(directory)
    sim, writer_state, meta = ckpt.load(folder)
    out_dir = Path(meta["out"])
    left = meta["total_ticks"] - sim.tick
    every = meta.get("every")
    console.print(f"resuming [bold]{escape(meta['scenario'])}[/] at tick {sim.tick:,} "
                  f"({format_duration(sim.time_s)} simulated, {left:,} ticks left) into "
                  f"{escape(str(out_dir))}")
    ckpt.attach_writer(sim, folder, writer_state, out_dir)
    saver = ckpt.Saver(folder, out_dir, meta["total_ticks"], every) if every else None
    try:
        result = sim.run(duration=left * sim.dt, progress=progress, on_tick=saver)
    except BaseException:
        if sim.writer is not None:
            sim.writer.abandon()
        raise
    print_summary(result.summary, result.run_dir)
    return result.run_dir


def simulate(scenario: str, *, seed: int | None = None, duration: str | None = None,
             out: str | None = None, frames_every: str | None = None,
             progress: bool = True, follow: str | None = None, trajectories: bool = False,
             trajectories_every: str | None = None, checkpoint_every: str | None = None,
             checkpoint_dir: str | None = None) -> Path:
    """Check everything, simulate, write the run directory; return where it is.

    Every check (the output folder, the durations, what ``preflight`` finds) runs before the
    first tick. A run stopped by Ctrl-C or an error keeps its files, marked incomplete, and never
    replaces an earlier complete run."""
    from hyosan.engine.simulation import Simulation
    from hyosan.limits import check as check_limit
    from hyosan.record import outdir
    from hyosan.scenario.build import preflight
    from hyosan.scenario.loader import load_scenario

    sc = load_scenario(scenario)
    if seed is not None:
        sc.run.seed = seed  # validated like the file's (0 … 2⁶³ − 1)
    dur = cli_seconds(duration, "--duration", positive=True)
    fe = cli_seconds(frames_every, "--frames-every")
    if dur is not None:
        check_limit("duration_s", dur, f"--duration {duration!r}", "the duration")
        check_limit("ticks", dur / sc.run.dt, f"--duration {duration!r}",
                    f"--duration / run.dt = {dur:g} s / {sc.run.dt:g} s")
    names = [n.name for n in sc.named]
    if follow is not None and follow.strip().casefold() not in {n.casefold() for n in names}:
        raise ScenarioError(f"no named character {follow!r} in {sc.name!r} (named: "
                            f"{', '.join(names) or 'none'})", where="--follow")
    option = "--out" if out is not None else f"the default run folder of {sc.name!r}"
    out_dir = outdir.as_path(out, "--out") or Path("runs") / sc.name
    outdir.check_dir(out_dir, "run", option=option)
    te = cli_seconds(trajectories_every, "--trajectories-every", positive=True)
    every = checkpoint_ticks(checkpoint_every, sc.run.dt)
    if every is not None and trajectories:
        raise ScenarioError("checkpoints do not keep trajectories yet; leave out one of them",
                            where="--checkpoint-every with --trajectories")
    console.print(f"building [bold]{escape(sc.name)}[/] …")
    world, _ = preflight(sc, seed)
    sim = Simulation(sc, seed=seed, world=world)
    console.print(f"{sim.n:,} agents on {sim.world.n_levels} levels "
                  f"({sim.world.n_cells:,} cells); simulating "
                  f"{format_duration(dur if dur is not None else sc.run.duration)}")
    rec = None
    if trajectories:
        from hyosan.record.trajectories import TrajectoryRecorder, check_size

        every = max(1, round(te / sim.dt)) if te else 1
        total = dur if dur is not None else sc.run.duration
        check_size(sim.n, int(round(total / sim.dt)), every)
        rec = TrajectoryRecorder(sim.world, sim.dt, every)
        rec.sample(sim)
    on_tick = rec.sample if rec is not None else None
    if every is not None:
        from hyosan.record import checkpoint as ckpt

        folder = outdir.as_path(checkpoint_dir, "--checkpoint-dir") or ckpt.default_dir(
            out_dir)
        total = int(round((dur if dur is not None else sc.run.duration) / sim.dt))
        on_tick = ckpt.Saver(folder, out_dir, total, every)
        ckpt.remember_every(folder, every)
        console.print(f"a checkpoint every {format_duration(every * sim.dt)} simulated into "
                      f"{escape(str(folder))} (resume with hyosan run --resume "
                      f"{escape(str(folder))})")
    try:
        result = sim.run(out_dir, duration=dur, frames_every=fe, progress=progress,
                         on_tick=on_tick)
    except BaseException:
        if sim.writer is not None:
            kept = sim.writer.abandon()
            console.print(f"the unfinished run is kept in {escape(str(kept))}, marked "
                          "incomplete (an earlier complete run there is untouched)")
        raise
    print_summary(result.summary, result.run_dir)
    if rec is not None:
        files = rec.write(result.run_dir / "trajectories")
        console.print(f"trajectories: {len(files)} files in "
                      f"[bold]{escape(str(result.run_dir / 'trajectories'))}[/]")
    return result.run_dir
