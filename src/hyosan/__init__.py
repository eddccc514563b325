"""Hyosan: a fast, validated agent-based simulator of a zombie outbreak in a school and its town.

Public API::

    import hyosan
    scenario = hyosan.load_scenario("hyosan-high")      # a built-in name or a YAML path
    sim = hyosan.Simulation(scenario, seed=1)
    result = sim.run()                                   # or sim.step() tick by tick
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from hyosan.errors import FloorPlanError, HyosanError, RunDirError, ScenarioError

__version__ = "0.1.0"

__all__ = [
    "FloorPlanError", "HyosanError", "RunDirError", "RunResult", "Scenario", "ScenarioError",
    "Simulation", "load_scenario", "__version__",
]

if TYPE_CHECKING:  # pragma: no cover
    from hyosan.engine.simulation import RunResult, Simulation
    from hyosan.scenario import Scenario, load_scenario


def __getattr__(name: str):
    # Lazy so that `import hyosan` stays light (no Numba compile) for the CLI's quick commands.
    if name in ("Simulation", "RunResult"):
        from hyosan.engine import simulation

        return getattr(simulation, name)
    if name in ("load_scenario", "Scenario"):
        from hyosan import scenario

        return getattr(scenario, name)
    raise AttributeError(f"module 'hyosan' has no attribute {name!r}")
