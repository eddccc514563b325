"""Small helpers shared by the report modules: tables as NumPy columns, clocks, place names."""

from __future__ import annotations

import numpy as np

from hyosan.record.reader import RunDir

#: time of day at t = 0 when a summary does not say (8:30, the first bell)
DEFAULT_START_CLOCK_S = 8 * 3600 + 30 * 60


def columns(table) -> dict[str, np.ndarray]:
    """A pyarrow Table as a dict of NumPy arrays (strings become object arrays)."""
    out = {}
    for name in table.column_names:
        col = table.column(name)
        try:
            out[name] = col.to_numpy()
        except Exception:  # a chunked string column without zero-copy
            out[name] = np.asarray(col.to_pylist(), dtype=object)
    return out


def start_clock(run: RunDir) -> float:
    """Time of day (s) at t = 0 of a run."""
    value = run.summary.get("start_clock_s")
    return float(DEFAULT_START_CLOCK_S if value is None else value)


def clock_hms(time_s: float, start_s: float) -> str:
    """Time of day "HH:MM:SS" at simulated ``time_s`` after a start time of day."""
    total = int(round(start_s + time_s)) % 86400
    return f"{total // 3600:02d}:{(total % 3600) // 60:02d}:{total % 60:02d}"


def place_phrase(name: str, info: dict | None) -> str:
    """How a sentence names a place: "the music room on floor 3", "classroom 2-5 on floor 2".

    Names that end in a number ("classroom 2-5") read as proper names and take no article.
    Floors count as in Korea: the ground floor is floor 1 (``floor`` 0 in world.json). Places
    outside any building (the town) get no floor.
    """
    last = name.split()[-1] if name.split() else ""
    proper = name[:1].isupper() or last[:1].isdigit()
    text = name if proper else f"the {name}"
    if info is not None and info.get("building"):
        text += f" on floor {int(info.get('floor', 0)) + 1}"
    return text


def level_label(level: dict) -> str:
    """Short label of a level for panels and plots."""
    if level.get("building") and level.get("index", 0) > 0:
        return f"{level['building']} floor {int(level.get('floor', 0)) + 1}"
    return str(level.get("name") or f"level {level.get('index', 0)}")
