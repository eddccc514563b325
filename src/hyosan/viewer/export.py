"""Turn a run directory into the viewer's site: static assets plus browser-friendly data.

The browser cannot read Parquet or ``.npz``, so the world's cell kinds become one raw ``uint8``
grid per level, and the time series, events and agents become column-oriented JSON. Frame chunks
are passed through untouched (the page decompresses them with ``DecompressionStream``), so a run
with thousands of frames costs nothing to prepare and is fetched chunk by chunk on demand.

``build_site`` returns the complete allow-list of URL paths → content; the local server serves
exactly that mapping and ``export_site`` writes it to a folder for any static host.
"""

from __future__ import annotations

import json
import re
from importlib import resources
from pathlib import Path

import numpy as np

from hyosan.errors import HyosanError, RunDirError
from hyosan.record import format as fmt
from hyosan.record.outputs import jsonable
from hyosan.record.reader import RunDir
from hyosan.states import ROLE_NAMES, STATE_NAMES

#: files of the page itself, in ``hyosan/viewer/static``
STATIC_FILES = ("index.html", "viewer.js", "viewer.css")
#: a frame chunk's file name as the writer makes it; anything else in an index is refused
CHUNK_NAME = re.compile(r"^chunk_\d{1,9}\.bin\.gz$")

Content = bytes | Path


def static_asset(name: str) -> bytes:
    """One of the page's own files, read from the installed package."""
    return resources.files("hyosan.viewer").joinpath("static", name).read_bytes()


def _json_bytes(obj: object) -> bytes:
    return json.dumps(jsonable(obj), separators=(",", ":"), allow_nan=False).encode()




def _columns(table) -> dict[str, list]:
    """A pyarrow Table as {column: list}, the compact shape the page indexes by row."""
    return {name: table.column(name).to_pylist() for name in table.column_names}


def _door_positions(run: RunDir) -> dict[str, list[int]]:
    """(level, row, col) of every door, in door-number order (the frames' door_state order)."""
    world = run.world
    cells = np.asarray(world["arrays"].get("door_cells", np.zeros(0, np.int64)), dtype=np.int64)
    offsets = np.array([lv["offset"] for lv in world["levels"]], dtype=np.int64)
    widths = np.array([lv["width"] for lv in world["levels"]], dtype=np.int64)
    lvl = np.searchsorted(offsets, cells, side="right") - 1
    local = cells - offsets[lvl] if len(cells) else cells
    w = widths[lvl] if len(cells) else widths[:0]
    return {"level": lvl.tolist(), "row": (local // w).tolist() if len(cells) else [],
            "col": (local % w).tolist() if len(cells) else []}


def _meta(run: RunDir) -> dict:
    """Everything small the page needs first: world layout, places, frame index, summary."""
    world = {k: v for k, v in run.world.items() if k != "arrays"}
    index = run.frame_index
    chunks = []
    for c in index["chunks"]:
        if not CHUNK_NAME.match(str(c.get("file", ""))):
            raise RunDirError(f"{run.path}: frames index names an unexpected file "
                              f"{c.get('file')!r}")
        chunks.append({"file": c["file"], "first": int(c["first"]), "count": int(c["count"])})
    return {
        "viewer": 1,
        "run_name": run.path.name,
        "world": world,
        "doors": _door_positions(run),
        "frames": {
            "n_agents": int(index["n_agents"]), "n_doors": int(index["n_doors"]),
            "n_frames": int(index["n_frames"]), "ticks": index["ticks"],
            "time_s": index["time_s"], "chunks": chunks,
        },
        "summary": run.summary,
        "state_names": STATE_NAMES,
        "role_names": ROLE_NAMES,
    }


def build_site(run_dir: str | Path) -> dict[str, Content]:
    """The viewer's site for one run: URL path (no leading slash) → bytes or a file to stream.

    Raises ``RunDirError`` if the directory is not a finished run with frames.
    """
    run = RunDir(run_dir)
    meta = _meta(run)  # raises RunDirError when no frames were recorded
    site: dict[str, Content] = {name: static_asset(name) for name in STATIC_FILES}
    site["data/meta.json"] = _json_bytes(meta)
    for lv in meta["world"]["levels"]:
        grid = run.level_grid(int(lv["index"]))
        site[f"data/level_{int(lv['index'])}.bin"] = np.ascontiguousarray(
            grid, dtype=np.uint8).tobytes()
    site["data/timeseries.json"] = _json_bytes(_columns(run.timeseries()))
    site["data/events.json"] = _json_bytes(_columns(run.events()))
    agents_file = run.path / fmt.AGENTS_FILE
    site["data/agents.json"] = _json_bytes(_columns(run.agents()) if agents_file.exists() else {})
    frames_dir = run.path / fmt.FRAMES_DIR
    for c in meta["frames"]["chunks"]:
        path = frames_dir / c["file"]
        if not path.is_file():
            raise RunDirError(f"{run.path}: missing frame chunk {fmt.FRAMES_DIR}/{c['file']}")
        site[f"data/frames/{c['file']}"] = path
    return site


def inside(root: Path, path: Path) -> bool:
    """True if ``path``, links followed, is a file within ``root`` (resolved): a link from a
    run to a file elsewhere is neither served nor exported."""
    try:
        real = path.resolve(strict=True)
    except (OSError, RuntimeError):
        return False
    return root in real.parents and real.is_file()


def export_site(run_dir: str | Path, out_dir: str | Path) -> Path:
    """Write the viewer for ``run_dir`` as a static site in ``out_dir`` (open its index.html
    through any static file server). ``out_dir`` must be new, empty or a previous export."""
    out = Path(out_dir)
    run_path = Path(run_dir).resolve()
    if out.resolve() == run_path or run_path in out.resolve().parents:
        raise HyosanError(f"{out}: export into a folder outside the run directory")
    if out.exists() and (not out.is_dir() or (any(out.iterdir())
                                              and not (out / "index.html").exists())):
        raise HyosanError(f"{out}: exists and is not empty nor a previous viewer export; "
                          "choose a new folder")
    site = build_site(run_dir)
    for rel, content in site.items():
        if isinstance(content, Path) and not inside(run_path, content):
            raise HyosanError(f"{content}: leads outside the run directory; not exported")
        target = out / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content.read_bytes() if isinstance(content, Path) else content)
    return out
