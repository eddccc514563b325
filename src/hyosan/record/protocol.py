"""The one interface every recorder of a run implements: begin, counts, events, frames, tables,
close. ``RunWriter`` writes a run directory, ``MemoryWriter`` keeps everything in memory and
``ensemble.store.StoreWriter`` stores a replicate in the DuckDB ensemble store."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import numpy as np

from hyosan.record.outputs import Columns
from hyosan.world.world import World


@runtime_checkable
class Writer(Protocol):
    """Receives one run as it happens. Call order: ``begin``, then any of ``counts`` (one row
    per recorded tick), ``events_bulk``, ``frame`` and ``table``, then ``close`` once."""

    def begin(self, scenario_yaml: str, world: World, n_agents: int) -> None:
        """The resolved scenario and the world, before the first tick."""

    def counts(self, tick: int, time_s: float, by_state: np.ndarray,
               humans_by_level: np.ndarray, zombies_by_level: np.ndarray) -> None:
        """One time-series row: counts per state, and humans/zombies per level."""

    def events_bulk(self, columns: Columns) -> None:
        """Many events at once (the keys of ``outputs.EVENT_COLUMNS``)."""

    def frame(self, tick: int, time_s: float, level: np.ndarray, state: np.ndarray,
              row: np.ndarray, col: np.ndarray, door_state: np.ndarray) -> None:
        """Where everyone is and what doors are doing, for replay."""

    def table(self, name: str, columns: Columns) -> None:
        """A whole registered table (``outputs.TABLES``), e.g. ``agents``."""

    def close(self, agents: Columns, summary: dict[str, Any]) -> Path | None:
        """The agents table and the summary, last; returns where the run went, if anywhere."""
