"""The move phase's hooks: where a rule that changes how people walk joins the move.

``Simulation.move`` runs the movement model's kernels in a fixed order and, between them, the
hooks registered at four points:

- ``before_budget``: before ``budget.add_budget`` (hazard: the smoke field to now, rerouting;
  groups: note each member's budget);
- ``after_budget``: after ``add_budget`` (hazard: smoke slows, the incapacitated stand;
  groups: keep together), acting on the metres ``add_budget`` gave this tick;
- ``after_stuck``: after ``stuck.update_stuck`` (doorways: waiting at a gate is queueing;
  elevators: waiting for a car is not stuck, then the cars move); the counts before it are
  ``sim.stuck_before``;
- ``after_move``: last (hazard: the dose of the cell each person now stands in).

A rule registers by a ``move_hooks()`` returning ``(point, fn)`` pairs, ``fn(sim)``;
``engine/build.move_hooks`` collects them from the rules the scenario asks for, in a fixed
order (the order fixes the run). With no rule, only the doorways' hook runs.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from hyosan.engine.simulation import Simulation

POINTS = ("before_budget", "after_budget", "after_stuck", "after_move")

Hook = Callable[["Simulation"], None]


class MoveHooks:
    """The hooks at each point, in the order they were added."""

    def __init__(self) -> None:
        self.at: dict[str, list[Hook]] = {p: [] for p in POINTS}

    def add(self, point: str, fn: Hook) -> None:
        """Run ``fn(sim)`` at ``point`` (one of ``POINTS``), after those added before it."""
        if point not in self.at:
            raise ValueError(f"unknown move hook point {point!r}; one of {', '.join(POINTS)}")
        self.at[point].append(fn)

    def run(self, point: str, sim: Simulation) -> None:
        """Every hook at ``point``, in order."""
        for fn in self.at[point]:
            fn(sim)

    def names(self) -> dict[str, list[str]]:
        """Each point's hooks by qualified name (for tests and ``--plan``-like listings)."""
        return {p: [getattr(fn, "__qualname__", repr(fn)) for fn in fns]
                for p, fns in self.at.items()}
