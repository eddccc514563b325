"""Record phase: counts per state and level every tick, events as they happen, frames every k
ticks. Writes through ``RunWriter`` when a run directory is given, else keeps counts in memory.

A new output table is one function here or in its rule's file, registered with
``@end_table("name")`` (``Simulation.run`` hands its columns to the writer when the run ends),
plus its ``register(TableOutput(...))`` in ``record/outputs.py`` (its file and column types):
every writer (run directory, memory) then writes it and ``RunDir.table(name)`` reads it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from numba import njit

from hyosan.codes import IS_HUMAN, S_ZOM, State

N_STATES = len(State)

#: tables written when a run ends, beside timeseries, events and agents: name -> a function
#: of the finished Simulation returning the table's columns (``record.outputs.TABLES[name]``)
END_TABLES: dict[str, Callable[[Any], Any]] = {}


def end_table(name: str) -> Callable:
    """Register ``fn(sim) -> columns`` as the run-end table ``name`` (a name registered in
    ``record.outputs``); returns ``fn`` unchanged."""
    def add(fn: Callable) -> Callable:
        if name in END_TABLES:
            raise ValueError(f"end-of-run table {name!r} is already registered")
        END_TABLES[name] = fn
        return fn
    return add


@njit(cache=True)
def count_states(n, state, level, by_state, humans_by_level, zombies_by_level):
    """Fill the three count arrays (zeroed here) from the agents' states and levels."""
    by_state[:] = 0
    humans_by_level[:] = 0
    zombies_by_level[:] = 0
    for i in range(n):
        s = state[i]
        by_state[s] += 1
        if s == S_ZOM:
            zombies_by_level[level[i]] += 1
        elif IS_HUMAN[s]:
            humans_by_level[level[i]] += 1


class MemorySeries:
    """Counts per tick kept in growable arrays (used when no run directory is written)."""

    def __init__(self, n_levels: int, capacity: int = 1024):
        self.n = 0
        self.tick = np.zeros(capacity, np.int64)
        self.by_state = np.zeros((capacity, N_STATES), np.int32)
        self.n_levels = n_levels

    def add(self, tick: int, by_state: np.ndarray) -> None:
        if self.n == len(self.tick):
            self.tick = np.concatenate([self.tick, np.zeros_like(self.tick)])
            self.by_state = np.concatenate([self.by_state, np.zeros_like(self.by_state)])
        self.tick[self.n] = tick
        self.by_state[self.n] = by_state
        self.n += 1

    def as_dict(self, dt: float) -> dict[str, np.ndarray]:
        out = {"tick": self.tick[: self.n].copy(), "time_s": self.tick[: self.n] * dt}
        for s in State:
            out[s.name.lower()] = self.by_state[: self.n, int(s)].copy()
        return out
