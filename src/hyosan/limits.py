"""Upper bounds on what one scenario may ask for, so a typo cannot run for ever or fill memory.

Each bound has a default that is far above every real scenario and can be raised with an
environment variable (the error message says which). ``memory_estimate`` is checked against the
memory the machine has free before the big arrays of a world and its agents are allocated.
"""

from __future__ import annotations

import os

from hyosan.errors import ScenarioError

#: name -> (environment variable, default, what it bounds)
LIMITS: dict[str, tuple[str, float, str]] = {
    "duration_s": ("HYOSAN_MAX_DURATION_S", 7 * 86400.0, "simulated seconds"),
    "ticks": ("HYOSAN_MAX_TICKS", 20_000_000, "ticks (duration / dt)"),
    "cells": ("HYOSAN_MAX_CELLS", 60_000_000, "grid cells"),
    "agents": ("HYOSAN_MAX_AGENTS", 20_000_000, "agents"),
    "trajectory_rows": ("HYOSAN_MAX_TRAJECTORY_ROWS", 200_000_000,
                        "trajectory positions (agents × frames)"),
}
#: bytes per cell and per agent the engine holds (world arrays, fields, scratch), roughly
BYTES_PER_CELL = {"full": 120, "simple": 40}
BYTES_PER_AGENT = 300


def limit(name: str) -> float:
    """The bound ``name``, from its environment variable if set."""
    env, default, _ = LIMITS[name]
    text = os.environ.get(env)
    if text:
        try:
            value = float(text)
        except ValueError:
            raise ScenarioError(f"{text!r} is not a number", where=env) from None
        if value > 0:
            return value
    return default


def over(name: str, value: float, what: str) -> str | None:
    """None if ``value`` is within bound ``name``, else the message: the limit and how to
    raise it (validators raise it as a ValueError, others as a ScenarioError)."""
    if value <= limit(name):
        return None
    env, _, unit = LIMITS[name]
    shown = f"{value:,.0f}" if value < 1e15 else f"{value:.3g}"
    return (f"{what} is {shown} {unit}, more than the limit of {limit(name):,.0f}; if "
            f"you mean it, raise the limit with the environment variable {env}=N")


def check(name: str, value: float, where: str, what: str) -> None:
    """Raise a ScenarioError at ``where`` if ``value`` exceeds the bound ``name``."""
    message = over(name, value, what)
    if message:
        raise ScenarioError(message, where=where)


def available_memory() -> int | None:
    """Bytes of memory free for a new allocation (Linux ``MemAvailable``), None if unknown."""
    try:
        with open("/proc/meminfo") as fh:
            for line in fh:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        return None
    return None


def memory_estimate(n_cells: int, n_agents: int, *, full: bool = True) -> int:
    """Rough bytes a simulation of this size holds."""
    return n_cells * BYTES_PER_CELL["full" if full else "simple"] + n_agents * BYTES_PER_AGENT


def check_memory(n_cells: int, n_agents: int, *, full: bool, where: str) -> None:
    """Refuse a simulation whose estimate exceeds the memory free now."""
    need = memory_estimate(n_cells, n_agents, full=full)
    free = available_memory()
    if free is not None and need > free:
        raise ScenarioError(
            f"this world ({n_cells:,} cells) and its {n_agents:,} agents need about "
            f"{need / 2**30:.1f} GiB of memory, more than the {free / 2**30:.1f} GiB free; "
            "make the world or the population smaller (or use a larger cell_size)", where=where)
