"""Column buffers the writers share: counts per tick and events, kept as lists until close."""

from __future__ import annotations

import numpy as np

from hyosan.record.outputs import EVENT_COLUMNS, Columns
from hyosan.states import STATE_NAMES


class SeriesBuffer:
    """The ``timeseries`` table as it grows: tick, time, counts per state and per level."""

    def __init__(self, n_levels: int):
        self.n_levels = n_levels
        self.columns: dict[str, list] = {"tick": [], "time_s": []}
        for name in STATE_NAMES:
            self.columns[name] = []
        for k in range(n_levels):
            self.columns[f"humans_L{k}"] = []
            self.columns[f"zombies_L{k}"] = []

    def add(self, tick: int, time_s: float, by_state: np.ndarray,
            humans_by_level: np.ndarray, zombies_by_level: np.ndarray) -> None:
        ts = self.columns
        ts["tick"].append(int(tick))
        ts["time_s"].append(float(time_s))
        for i, name in enumerate(STATE_NAMES):
            ts[name].append(int(by_state[i]))
        for k in range(self.n_levels):
            ts[f"humans_L{k}"].append(int(humans_by_level[k]))
            ts[f"zombies_L{k}"].append(int(zombies_by_level[k]))


class EventBuffer:
    """The ``events`` table as it grows, one list per column of ``EVENT_COLUMNS``."""

    def __init__(self) -> None:
        self.columns: dict[str, list] = {c: [] for c in EVENT_COLUMNS}

    def add(self, *values: object) -> None:
        for key, value in zip(EVENT_COLUMNS, values, strict=True):
            self.columns[key].append(value)

    def extend(self, columns: Columns) -> None:
        for key in EVENT_COLUMNS:
            self.columns[key].extend(np.asarray(columns[key]).tolist())


class Buffered:
    """Counts and events kept in buffers until close: the part of the writer interface that
    ``RunWriter`` and ``MemoryWriter`` share (they set ``series`` and ``events``)."""

    series: SeriesBuffer
    events: EventBuffer

    def counts(self, tick: int, time_s: float, by_state: np.ndarray,
               humans_by_level: np.ndarray, zombies_by_level: np.ndarray) -> None:
        """One time-series row: counts per state, and humans/zombies per level."""
        self.series.add(tick, time_s, by_state, humans_by_level, zombies_by_level)

    def event(self, tick: int, time_s: float, kind: str, agent: int = -1, other: int = -1,
              level: int = -1, row: int = -1, col: int = -1, place: str = "",
              detail: str = "") -> None:
        """One event (see ``record.format.EVENT_KINDS``)."""
        self.events.add(tick, time_s, kind, agent, other, level, row, col, place, detail)

    def events_bulk(self, columns: Columns) -> None:
        """Append many events at once (same keys as ``EVENT_COLUMNS``)."""
        self.events.extend(columns)
