"""CLI: `hyosan scenarios`, `hyosan check SCENARIO`, `hyosan world SCENARIO --png PATH`."""

from __future__ import annotations

import os
import warnings

import numpy as np
import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

console = Console()


def load_checked(name: str, *, full: bool = False):
    """Scenario and its world, with floor-plan warnings collected (not printed raw).

    ``full`` also runs every check ``run`` makes before its first tick (``preflight``:
    the population placed, index cases, memory), so ``check`` passes only what ``run`` runs."""
    from hyosan.scenario.build import build_world, preflight
    from hyosan.scenario.loader import load_scenario

    scenario = load_scenario(name)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        world = preflight(scenario)[0] if full else build_world(scenario)
    return scenario, world, [str(w.message) for w in caught]


def register(app: typer.Typer) -> None:
    @app.command("scenarios")
    def scenarios() -> None:
        """List the built-in scenarios with a one-line description."""
        from hyosan.scenario.loader import describe_builtins

        table = Table(title="Built-in scenarios", show_lines=False)
        table.add_column("name", style="bold cyan")
        table.add_column("description")
        for name, desc in describe_builtins():
            table.add_row(name, desc)
        console.print(table)

    @app.command("check")
    def check(scenario: str = typer.Argument(..., help="a built-in name or a YAML path")) -> None:
        """Validate a scenario and summarise its world (levels, cells, places, exits)."""
        from hyosan.world.cells import WALKABLE, Cell
        from hyosan.world.navigation import reachable

        sc, world, warns = load_checked(scenario, full=True)
        info = world.describe()
        walk = WALKABLE[world.kind]
        starts = np.flatnonzero(walk)
        reach = 0
        if len(starts):
            gate = [p.cells for p in world.places.values() if p.kind in ("gate", "exit")]
            src = np.concatenate(gate) if gate else starts[:1]
            reach = int((reachable(world, src, who="any") & walk).sum())
        console.print(f"[bold green]ok[/] {sc.name}: {sc.description.strip()}")
        t = Table(show_header=True)
        t.add_column("level")
        t.add_column("name")
        t.add_column("size (cells)")
        t.add_column("walkable")
        for lv in world.levels:
            w = int(walk[lv.offset: lv.offset + lv.size].sum())
            t.add_row(str(lv.index), lv.name, f"{lv.height} × {lv.width}", f"{w:,}")
        console.print(t)
        kinds: dict[str, int] = {}
        for p in world.places.values():
            kinds[p.kind] = kinds.get(p.kind, 0) + 1
        console.print(
            f"cell size {info['cell_size_m']} m · {info['cells']:,} cells · "
            f"{info['walkable_cells']:,} walkable · {reach:,} reachable from the gates/exits "
            f"({100 * reach / max(1, info['walkable_cells']):.1f} %)\n"
            f"{info['places']} places: " + ", ".join(f"{v} {k}" for k, v in sorted(kinds.items()))
            + f"\n{int((world.kind == Cell.EXIT).sum())} exit cells · {info['doors']} doors · "
            f"{info['stair_links']} stair links\n"
            f"population: " + ", ".join(f"{s.count} {s.role}s" for s in sc.population)
            + (f" · {len(sc.named)} named characters" if sc.named else "")
            + f"\nrun: {sc.run.duration / 3600:.2f} h at dt = {sc.run.dt} s, "
            f"{len(sc.response)} interventions")
        for w in warns:
            console.print(f"[yellow]warning:[/] {w}")

    @app.command("world")
    def world_cmd(
        scenario: str = typer.Argument(..., help="a built-in name or a YAML path"),
        png: str = typer.Option(..., "--png", help="where to write the picture (a new file, "
                                "or one Hyosan drew before)"),
        force: bool = typer.Option(False, "--force", help="replace the file even if Hyosan "
                                   "did not draw it"),
    ) -> None:
        """Draw every level of a scenario's world side by side (places, stairs, exits)."""
        from hyosan.record import outdir
        from hyosan.world.draw import draw_world

        target = outdir.check_file(outdir.as_path(png, "--png"), option="--png", force=force,
                                   suffix=".png")
        _, world, warns = load_checked(scenario)
        tmp = outdir.temp_file_for(target)
        try:
            panels = draw_world(world, tmp)
            outdir.mark_png(tmp)
            os.replace(tmp, target)
        finally:
            tmp.unlink(missing_ok=True)
        console.print(f"wrote {escape(str(target))} ({len(panels)} panels: "
                      f"{escape(', '.join(panels))})")
        for w in warns:
            console.print(f"[yellow]warning:[/] {w}")



