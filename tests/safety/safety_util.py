"""Helpers of the safety tests: the tiny scenario, a user's folder, a snapshot of a tree."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

TINY = """\
name: tiny
world:
  generator: grid
  grid: {rows: 20, cols: 20, torus: true}
population:
  - {role: resident, count: 50, places: [grid], group_by_place: false}
outbreak:
  index_cases:
    - {place: grid, count: 2, already_zombie: true}
  turn: {distribution: instant}
behaviour:
  profile: random_walk
run:
  dt: 1 s
  duration: 20 s
  frames_every: 5 s
"""


@dataclass
class Result:
    code: int
    out: str

    @property
    def flat(self) -> str:
        """The output with box drawing and line breaks flattened (Typer wraps in panels)."""
        text = "".join(" " if ch in "│╭╮╰╯─\n" else ch for ch in self.out)
        return " ".join(text.split())


def snapshot(root: Path) -> dict[str, str]:
    """Every file and folder under ``root`` (names, link targets, contents' hashes)."""
    out = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            p = Path(dirpath) / name
            rel = str(p.relative_to(root))
            if p.is_symlink():
                out[rel] = "link:" + os.readlink(p)
            elif p.is_file():
                out[rel] = hashlib.sha256(p.read_bytes()).hexdigest()
            else:
                out[rel] = "dir"
    return out


def make_foreign(path: Path) -> Path:
    """A folder of a user's own files (and a subfolder) that no command may touch."""
    path.mkdir(parents=True)
    (path / "thesis.txt").write_text("four years of work\n")
    (path / "data.csv").write_bytes(b"a,b\n1,2\n")
    (path / "sub").mkdir()
    (path / "sub" / "photo.png").write_bytes(b"\x89PNG not really")
    return path
