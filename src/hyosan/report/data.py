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


def storey_label(level: dict) -> str:
    """The storey of a building level, named one way everywhere: "1F" is the ground floor,
    "2F" the floor above (Korean and American counting; ``floor`` 0 in world.json is 1F), and
    a roof level is "rooftop"."""
    if str(level.get("name", "")).endswith("rooftop"):
        return "rooftop"
    return f"{int(level.get('floor', 0)) + 1}F"


def place_phrase(name: str, info: dict | None, levels: list[dict] | None = None) -> str:
    """How a sentence names a place: "the music room on 4F", "class 2-5 on 2F".

    Names that end in a number ("class 2-5") read as proper names and take no article, except
    numbered places of the town outside any building ("park 49", "house 3-1"), which are
    named by their kind: "a park", "a house".
    Storeys are named as ``storey_label`` does (1F is the ground floor). Places outside any
    building (the town) get no storey, nor do places whose name already says it ("corridor
    3F", "the rooftop").
    """
    words = name.split()
    last = words[-1] if words else ""
    if info is not None and not info.get("building") and len(words) > 1 and _numbering(last):
        # a generic town place numbered by the world builder ("park 49", "house 31-62"):
        # the reader knows it as "a park", "a house"; the number means nothing to them
        kind = " ".join(words[:-1])
        return f"{'an' if kind[:1].lower() in 'aeiou' else 'a'} {kind}"
    proper = name[:1].isupper() or _numbering(last)  # "corridor 3F" is not a number
    text = name if proper else f"the {name}"
    if info is not None and info.get("building"):
        floor = int(info.get("floor", 0))
        label = f"{floor + 1}F"
        if levels is not None and 0 <= int(info.get("level", -1)) < len(levels):
            label = storey_label(levels[int(info["level"])])
        if label not in name and label != "rooftop" and not name.endswith("rooftop"):
            text += f" on {label}"
    return text


def _numbering(word: str) -> bool:
    """Is a word a world builder's number ("49", "3-1", "31-62")?"""
    return bool(word) and all(part.isdigit() for part in word.split("-"))


def level_label(level: dict) -> str:
    """Short label of a level for panels and plots: "school 2F", "school rooftop", "town"."""
    if level.get("building") and level.get("index", 0) > 0:
        return f"{level['building']} {storey_label(level)}"
    if level.get("building"):
        return f"{level['building']} 1F"
    return str(level.get("name") or f"level {level.get('index', 0)}")


def living_in_places(run: RunDir, names: set[str]) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """Frame times and, per place in ``names``, how many living humans stood in it in each
    frame (one pass over the recorded frames; empty where the run has no frames or no
    ``place_of``). The story uses it to tell a barricaded room with people behind its door
    from one that was left empty."""
    from hyosan.codes import IS_HUMAN

    place_of = run.world.get("arrays", {}).get("place_of")
    levels = run.world.get("levels", [])
    index = {p["name"]: k for k, p in enumerate(run.world.get("places", []))}
    wanted = {n: index[n] for n in names if n in index}
    if place_of is None or not wanted or not (run.path / "frames" / "index.json").exists():
        return np.zeros(0), {}
    place_of = np.asarray(place_of)
    offsets = np.array([lv["offset"] for lv in levels], np.int64)
    widths = np.array([lv["width"] for lv in levels], np.int64)
    ids = np.array(sorted(wanted.values()), np.int64)
    times, counts = [], []
    for _tick, time_s, frame in run.frames():
        alive = IS_HUMAN[frame["state"]]
        lv = frame["level"][alive].astype(np.int64)
        cells = offsets[lv] + frame["row"][alive].astype(np.int64) * widths[lv] + frame[
            "col"][alive].astype(np.int64)
        pl = place_of[cells].astype(np.int64)
        pl = pl[pl >= 0]
        times.append(float(time_s))
        counts.append(np.bincount(pl, minlength=len(index))[ids])
    if not times:
        return np.zeros(0), {}
    table = np.stack(counts)
    col = {int(k): j for j, k in enumerate(ids)}
    return np.asarray(times), {n: table[:, col[k]] for n, k in wanted.items()}
