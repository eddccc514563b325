"""Hyosan's entry in the side-by-side benchmark: the `grid-benchmark` scenario, pluggable.

``hyosan_grid_benchmark()`` returns ``run_hyosan(n_agents, ticks, seed) -> final_humans`` when the
engine is importable and has the scenario, else ``None`` with the reason printed, so that the
harness skips Hyosan cleanly until the engine exists.

``_scenario`` resizes the built-in scenario (grid side for density 0.25, so 10,000 agents on
200 x 200; 1 % zombies; ``ticks`` ticks) and ``_final_humans`` reads ``summary["humans_alive"]``.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from typing import Any

SCENARIO = "grid-benchmark"


@functools.lru_cache(maxsize=8)
def _scenario(n_agents: int, ticks: int) -> Any:
    """The built-in scenario resized: grid side for density 0.25, 1 % zombies, ``ticks`` s.

    Parsed once per size and kept: the peers take their parameters as arguments, so reading
    a scenario file is not part of the model build that the harness times."""
    import yaml

    from hyosan.scenario.loader import builtin_path, parse_scenario

    doc = yaml.safe_load(builtin_path(SCENARIO).read_text())
    side = math.ceil(math.sqrt(n_agents / 0.25))
    n_zombies = max(1, round(0.01 * n_agents))
    doc["world"]["grid"].update(rows=side, cols=side)
    doc["population"][0]["count"] = n_agents - n_zombies
    doc["outbreak"]["index_cases"][0]["count"] = n_zombies
    doc["run"]["duration"] = f"{ticks * float(str(doc['run']['dt']).split()[0]):g} s"
    return parse_scenario(yaml.safe_dump(doc, allow_unicode=True), source=SCENARIO)


def _build(hyosan: Any, n_agents: int, ticks: int, seed: int) -> Any:
    """A Simulation of the resized scenario (world and agents built here, timed)."""
    return hyosan.Simulation(_scenario(n_agents, ticks), seed=seed)


def _final_humans(result: Any) -> int:
    return int(result.summary["humans_alive"])


def run_hyosan(n_agents: int, ticks: int, seed: int) -> int:
    """Run Hyosan's `grid-benchmark` once; the number of humans left after ``ticks``."""
    import hyosan

    sim = _build(hyosan, n_agents, ticks, seed)
    return _final_humans(sim.run())


def hyosan_grid_benchmark() -> Callable[[int, int, int], int] | None:
    """``run_hyosan`` if the engine and its `grid-benchmark` scenario load, else ``None``."""
    try:
        import hyosan

        hyosan.load_scenario(SCENARIO)
        hyosan.Simulation  # noqa: B018 - the attribute access is the availability check
    except Exception as exc:  # any failure here means "not there yet", never a crash
        print(f"hyosan: engine not available ({type(exc).__name__}: {exc}); skipped")
        return None
    return run_hyosan
