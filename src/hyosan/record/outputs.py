"""The tables of a run directory, registered by name: what every writer writes and the reader
reads back (``RunDir.table``).

Adding a table to the run directory is one ``register(TableOutput(...))`` here (its file, its
column types, what it holds) and one ``writer.table(name, columns)`` where the data are made;
``RunWriter`` writes every registered table it is given, ``MemoryWriter`` keeps it, and
``RunDir.table(name)`` reads it, with no change to either.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from hyosan.record import format as fmt

#: columns of ``events.parquet``, in file order
EVENT_COLUMNS = ("tick", "time_s", "kind", "agent", "other", "level", "row", "col", "place",
                 "detail")

Columns = Mapping[str, Sequence | np.ndarray]


@dataclass(frozen=True)
class TableOutput:
    """One Parquet table of a run directory.

    ``types`` fixes the Arrow type of named columns; the others get ``default`` (``None``:
    inferred from the values). Columns are written in the order they are given."""

    name: str
    file: str
    doc: str
    types: Mapping[str, pa.DataType] = field(default_factory=dict)
    default: pa.DataType | None = None

    def to_arrow(self, columns: Columns) -> pa.Table:
        return pa.table({k: pa.array(v, type=self.types.get(k, self.default))
                         for k, v in columns.items()})


#: every table a run directory may hold, by name
TABLES: dict[str, TableOutput] = {}


def register(output: TableOutput) -> TableOutput:
    """Add a table to the run-directory format (names and files must be new)."""
    if output.name in TABLES or any(t.file == output.file for t in TABLES.values()):
        raise ValueError(f"table {output.name!r} ({output.file}) is already registered")
    TABLES[output.name] = output
    return output


def write_table(directory: Path, name: str, columns: Columns) -> Path:
    """Write the registered table ``name`` into ``directory``; returns its path."""
    out = TABLES[name]
    path = Path(directory) / out.file
    pq.write_table(out.to_arrow(columns), path)
    return path


def read_table(directory: Path, name: str) -> pa.Table:
    return pq.read_table(Path(directory) / TABLES[name].file)


def summary_document(summary: Mapping[str, Any]) -> dict:
    """``summary.json`` as written: format tag, the summary made JSON-safe, ``complete``."""
    return {"format": fmt.FORMAT_VERSION, **jsonable(dict(summary)), "complete": True}


def jsonable(obj: Any) -> Any:
    """NumPy scalars and NaN made JSON-safe (NaN → null)."""
    if isinstance(obj, dict):
        return {str(k): jsonable(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [jsonable(v) for v in obj]
    if isinstance(obj, np.generic):
        obj = obj.item()
    if isinstance(obj, float) and (math.isnan(obj) or math.isinf(obj)):
        return None
    return obj


register(TableOutput(
    "timeseries", fmt.TIMESERIES_FILE,
    "one row per recorded tick: tick, time_s, a count per state name, humans_L{k} and "
    "zombies_L{k} per level", types={"tick": pa.int64(), "time_s": pa.float64()},
    default=pa.int32()))
register(TableOutput(
    "events", fmt.EVENTS_FILE, "one row per event (see format.EVENT_KINDS)",
    types={"tick": pa.int64(), "time_s": pa.float64(), "kind": pa.string(),
           "agent": pa.int32(), "other": pa.int32(), "level": pa.int16(), "row": pa.int32(),
           "col": pa.int32(), "place": pa.string(), "detail": pa.string()}))
register(TableOutput(
    "agents", fmt.AGENTS_FILE, "one row per agent: who, where they started, how they ended"))
