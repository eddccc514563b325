"""A writer that keeps the whole run in memory: for tests, notebooks and callers that want the
tables without a run directory. It holds exactly what ``RunWriter`` would write (the same
Arrow tables, the same summary document), so either can stand in for the other."""

from __future__ import annotations

from typing import Any

import numpy as np
import pyarrow as pa

from hyosan.record.buffers import Buffered, EventBuffer, SeriesBuffer
from hyosan.record.outputs import TABLES, Columns, summary_document
from hyosan.record.writer import world_to_json
from hyosan.world.world import World


class MemoryWriter(Buffered):
    """Implements ``record.protocol.Writer``; after ``close``: ``tables`` (name → Arrow table),
    ``frames`` (tick, time_s, arrays), ``summary``, ``world`` (``world.json`` as a dict) and
    ``scenario_yaml``."""

    def __init__(self, n_levels: int):
        self.n_levels = n_levels
        self.series = SeriesBuffer(n_levels)
        self.events = EventBuffer()
        self.tables: dict[str, pa.Table] = {}
        self.frames: list[tuple[int, float, dict[str, np.ndarray]]] = []
        self.summary: dict[str, Any] | None = None
        self.world: dict | None = None
        self.scenario_yaml = ""

    def begin(self, scenario_yaml: str, world: World, n_agents: int) -> None:
        self.scenario_yaml = scenario_yaml
        self.world = world_to_json(world)
        self.n_agents = n_agents

    def frame(self, tick: int, time_s: float, level: np.ndarray, state: np.ndarray,
              row: np.ndarray, col: np.ndarray, door_state: np.ndarray) -> None:
        # the dtypes of the frame format (see ``record.format.FRAMES_LAYOUT``)
        self.frames.append((int(tick), float(time_s), {
            "level": level.astype(np.uint8), "state": state.astype(np.uint8),
            "row": row.astype(np.int16), "col": col.astype(np.int16),
            "door_state": door_state.astype(np.uint8)}))

    def table(self, name: str, columns: Columns) -> None:
        self.tables[name] = TABLES[name].to_arrow(columns)

    def close(self, agents: Columns, summary: dict[str, Any]) -> None:
        self.table("timeseries", self.series.columns)
        self.table("events", self.events.columns)
        self.table("agents", agents)
        self.summary = summary_document(summary)
