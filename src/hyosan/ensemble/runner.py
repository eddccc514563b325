"""Run a sweep plan: skip what the store already holds, run the rest on a backend, and store
each replicate the moment it finishes (parent process only: DuckDB has one writer)."""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from hyosan.ensemble.backends import run_tasks
from hyosan.ensemble.store import Store
from hyosan.ensemble.sweep import SweepPlan
from hyosan.ensemble.task import THIN_S, make_task


@dataclass
class SweepReport:
    """What a sweep did."""

    planned: int
    already: int
    ran: int
    wall_s: float
    store: Path

    @property
    def per_minute(self) -> float:
        return 60.0 * self.ran / self.wall_s if self.wall_s > 0 else float("nan")


def _progress(console: Console) -> Progress:
    return Progress(TextColumn("[bold]replicates"), BarColumn(), MofNCompleteColumn(),
                    TimeElapsedColumn(), TextColumn("left"), TimeRemainingColumn(),
                    TextColumn("{task.fields[last]}"), console=console)


def run_sweep(plan: SweepPlan, store_path: str | Path, *, backend: str = "local",
              workers: int = 1, scheduler: str | None = None, thin_s: float = THIN_S,
              progress: bool = True, log: bool = False, console: Console | None = None
              ) -> SweepReport:
    """Run every replicate of ``plan`` not yet in the store at ``store_path``.

    ``progress`` shows a Rich bar with the time left; ``log`` prints one plain line per stored
    replicate instead (for batch jobs and logs)."""
    console = console or Console()
    t0 = time.perf_counter()
    reps = plan.items()
    with Store(store_path) as store:
        done = store.done_ids()
        todo = [r for r in reps if r.run_id not in done]
        by_id = {r.run_id: r for r in todo}
        tasks = [make_task(plan, r, thin_s) for r in todo]
        # share the cores: with several worker processes each runs its kernels on one thread
        threads = max(1, (os.cpu_count() or 1) // max(1, workers)) if backend == "local" else 1
        for t in tasks:
            t["threads"] = threads
        ran = 0
        bar = _progress(console) if progress and not log and todo else None
        task_id = bar.add_task("sweep", total=len(todo), last="") if bar else None
        if bar:
            bar.start()
        try:
            for result in run_tasks(tasks, backend=backend, workers=workers,
                                    scheduler=scheduler):
                rep = by_id[result["run_id"]]
                store.write(rep, result)
                ran += 1
                if log:
                    console.print(f"stored {rep.run_id} {rep.label} #{rep.index} "
                                  f"({len(done) + ran}/{len(reps)})", highlight=False,
                                  soft_wrap=True)
                if bar:
                    s = result["summary"]
                    bar.update(task_id, advance=1,
                               last=f"last: {rep.label} #{rep.index}: "
                                    f"{s['humans_alive'] + s['escaped']} survivors")
        except KeyboardInterrupt:
            if bar:
                bar.stop()
                bar = None
            console.print(f"interrupted: {len(done) + ran} of {len(reps)} replicates are in "
                          f"{store_path}; run the same command again to finish the rest")
            raise
        finally:
            if bar:
                bar.stop()
    return SweepReport(planned=len(reps), already=len(reps) - len(todo), ran=ran,
                       wall_s=time.perf_counter() - t0, store=Path(store_path))
