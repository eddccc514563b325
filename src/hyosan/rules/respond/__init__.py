"""Response actions, one file each, registered by name.

An action is ``act(ctx, iv) -> str``: it changes the run through ``ctx`` (a ``Context``, which
``Simulation`` satisfies; no action imports the Simulation) and returns a short description for
the log. A new action is one file with ``@register("name")`` plus its name in
``scenario.schema.Action`` (and an import below).
"""

from __future__ import annotations

from collections.abc import Callable

from hyosan.rules.respond.context import Context
from hyosan.scenario.schema import Intervention

Action = Callable[[Context, Intervention], str]

#: action name (as in scenario files) -> its function
ACTIONS: dict[str, Action] = {}


def register(*names: str) -> Callable[[Action], Action]:
    """Register an action under one or more scenario names."""
    def deco(fn: Action) -> Action:
        for name in names:
            if name in ACTIONS:
                raise ValueError(f"response action {name!r} registered twice")
            ACTIONS[name] = fn
        return fn
    return deco


def apply(ctx: Context, iv: Intervention) -> str:
    """Carry out one intervention; returns a short description for the log."""
    return ACTIONS[iv.action](ctx, iv)


# the actions register themselves on import
from hyosan.rules.respond import (  # noqa: E402
    alarm,
    checkpoint,
    close_exit,
    evacuate,
    gather,
    lockdown,
    lure,
    police,
    quarantine,
    rescue,
    strike,
)

__all__ = ["ACTIONS", "Context", "alarm", "apply", "checkpoint", "close_exit", "evacuate",
           "gather", "lockdown", "lure", "police", "quarantine", "register", "rescue", "strike"]
