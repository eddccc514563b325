"""One shot: a replay that keeps one named character in frame with a smooth camera, on
whatever level they are on (cutting to the new level when they take the stairs), with their
state and the events around them in the caption.

The camera does not jump with every recorded position: it follows the character's path
smoothed over a few frames (a Gaussian of ``SMOOTH_FRAMES`` frames, within each stretch on one
level, looking both ways since the whole path is known), then is pulled back just enough to
keep the character at least ``KEEP_CELLS`` cells inside the window. Frames are 1280 × 720.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from hyosan.errors import ScenarioError
from hyosan.record.reader import RunDir
from hyosan.report import canvas as cv
from hyosan.report.data import clock_hms, columns, level_label, place_phrase, start_clock
from hyosan.report.story import _sentence
from hyosan.states import STATE_NAMES
from hyosan.world.cells import Cell

WINDOW_CELLS = (32, 64)  # rows, cols of the level shown around the character
SCALE = 20  # pixels per cell
CAPTION_PX = 80
SMOOTH_FRAMES = 2.0  # standard deviation of the camera's smoothing, in frames
KEEP_CELLS = 5  # the character stays at least this far inside the window
NEAR_CELLS = 12  # events this close (same level) are "around" the character
RECENT_S = 90.0  # and this recent

_NEARBY_TEXT = {
    "bite": "a bite", "kill": "a zombie destroyed", "turn": "someone turned",
    "carrier": "an immune carrier", "escape": "an escape", "death": "a death",
    "rise": "the dead rose", "hide": "someone hid", "barricade": "a barricade",
    "door_broken": "a door broken", "place_fell": "the room fell", "alert": "an alert",
}


@dataclass(frozen=True)
class FollowInfo:
    """Where the character is in a rendered frame (for checks and captions)."""

    time_s: float
    level: int
    row: int
    col: int
    state: int
    y: int  # pixel of the character's block, top-left
    x: int


def find_character(run: RunDir, name: str) -> int:
    """Agent id of a named character (case-insensitive); ScenarioError listing the names."""
    ag = columns(run.agents())
    names = {str(n): int(i) for i, n in zip(ag["id"], ag["name"], strict=True) if n}
    for n, i in names.items():
        if n.casefold() == name.strip().casefold():
            return i
    known = ", ".join(sorted(names)) or "none"
    raise ScenarioError(f"no named character {name!r} in this run (named: {known})",
                        where="--follow")


class Follower:
    """Renders frames centred on agent ``agent`` (array operations; one crop per frame)."""

    def __init__(self, run: RunDir, agent: int, name: str):
        from hyosan.report.characters import read_paths

        self.agent, self.name = agent, name
        path = read_paths(run, [agent]).get(agent)
        self.path_t = path.time_s if path is not None else np.zeros(0)
        self.cam = camera_path(path.level, path.row, path.col) if path is not None else None
        self.start_clock_s = start_clock(run)
        w = run.world
        self.levels = w["levels"]
        wr, wc = WINDOW_CELLS
        self.pr, self.pc = wr // 2, wc // 2
        # each level padded with VOID by half a window, so any crop stays inside the array
        self.padded = []
        for k in range(len(self.levels)):
            grid = run.level_grid(k)
            pad = np.full((grid.shape[0] + wr, grid.shape[1] + wc), Cell.VOID, np.uint8)
            pad[self.pr : self.pr + grid.shape[0], self.pc : self.pc + grid.shape[1]] = grid
            self.padded.append(pad + cv.KIND0)
        doors = np.asarray(w["arrays"].get("door_cells", np.zeros(0)), np.int64)
        offsets = np.array([lv["offset"] for lv in self.levels], np.int64)
        widths = np.array([lv["width"] for lv in self.levels], np.int64)
        lvl = np.searchsorted(offsets, doors, side="right") - 1
        local = doors - offsets[lvl]
        self.door_level, self.door_row, self.door_col = lvl, local // widths[lvl], \
            local % widths[lvl]
        ev = columns(run.events())
        self.events = ev if len(ev.get("kind", [])) else None
        ag = columns(run.agents())
        self.names = {int(i): str(n) for i, n in zip(ag["id"], ag["name"], strict=True) if n}
        self.places = {p["name"]: p for p in w.get("places", [])}
        self.place_list = w.get("places", [])
        self.place_of = w["arrays"].get("place_of")
        self.height = cv.pad16(wr * SCALE + CAPTION_PX)
        self.width = cv.pad16(wc * SCALE)
        self._ry = np.arange(wr * SCALE) // SCALE
        self._rx = np.arange(wc * SCALE) // SCALE

    def _where_label(self, level: int, row: int, col: int) -> str:
        """The level's label; on a ground level shared with the town, the building's 1F
        while the character is in one of the building's places."""
        lv = self.levels[level]
        if level == 0 and not lv.get("building") and self.place_of is not None:
            k = int(self.place_of[lv["offset"] + row * lv["width"] + col])
            if k >= 0 and self.place_list[k].get("building"):
                return f"{self.place_list[k]['building']} 1F"
        return level_label(lv)

    def _nearby(self, time_s: float, level: int, row: int, col: int) -> list[str]:
        ev = self.events
        if ev is None:
            return []
        t = ev["time_s"].astype(float)
        recent = (t <= time_s) & (t > time_s - RECENT_S)
        mine = (ev["agent"] == self.agent) | (ev["other"] == self.agent)
        near = (ev["level"] == level) & (np.abs(ev["row"] - row) <= NEAR_CELLS) & (
            np.abs(ev["col"] - col) <= NEAR_CELLS)
        out = []
        for i in np.flatnonzero(recent & (mine | near))[-3:]:
            kind, place = str(ev["kind"][i]), str(ev["place"][i] or "")
            who = self.names.get(int(ev["agent"][i]))
            whom = self.names.get(int(ev["other"][i]))
            where = place_phrase(place, self.places.get(place)) if place else ""
            what = _sentence(kind, who, whom, where, str(ev["detail"][i] or ""))
            if what is None:  # nobody named: say what happened, and where
                what = _NEARBY_TEXT.get(kind, kind) + (f" in {where}" if where else "")
            out.append(f"{clock_hms(float(t[i]), self.start_clock_s)[:5]} {what}")
        return out

    def render(self, time_s: float, frame: dict[str, np.ndarray]) -> tuple[np.ndarray,
                                                                            FollowInfo]:
        a = self.agent
        level, row, col = int(frame["level"][a]), int(frame["row"][a]), int(frame["col"][a])
        state = int(frame["state"][a])
        wr, wc = WINDOW_CELLS
        cr, cc = row, col
        if self.cam is not None and len(self.path_t):
            f = min(int(np.searchsorted(self.path_t, time_s - 1e-9)), len(self.path_t) - 1)
            if abs(self.path_t[f] - time_s) < 1e-6:
                cr, cc = int(self.cam[0][f]), int(self.cam[1][f])
        r0, c0 = cr - self.pr, cc - self.pc  # window's top-left in level cells
        crop = self.padded[level][r0 + self.pr : r0 + self.pr + wr,
                                  c0 + self.pc : c0 + self.pc + wc].copy()
        m = self.door_level == level
        dr, dc = self.door_row[m] - r0, self.door_col[m] - c0
        inside = (dr >= 0) & (dr < wr) & (dc >= 0) & (dc < wc)
        crop[dr[inside], dc[inside]] = cv.DOOR0 + frame["door_state"][np.flatnonzero(m)[inside]]
        big = crop[self._ry][:, self._rx]
        st = frame["state"]
        ar, ac = frame["row"].astype(np.int64) - r0, frame["col"].astype(np.int64) - c0
        seen = (frame["level"] == level) & (ar >= 0) & (ar < wr) & (ac >= 0) & (ac < wc)
        for s in cv.DRAW_ORDER:
            k = seen & (st == s)
            for dy in range(1, SCALE - 1):
                for dx in range(1, SCALE - 1):
                    big[ar[k] * SCALE + dy, ac[k] * SCALE + dx] = cv.AGENT0 + int(s)
        # the character: a highlight ring around their state colour
        y, x = (row - r0) * SCALE, (col - c0) * SCALE
        big[y + 1 : y + SCALE - 1, x + 1 : x + SCALE - 1] = cv.AGENT0 + state
        share = cv.zombie_share(st[frame["level"] == level])  # the grade of where they are
        out = np.zeros((self.height, self.width, 3), np.uint8)
        out[: big.shape[0], : big.shape[1]] = np.take(cv.graded_palette(share), big, axis=0)
        # a bright ring, never graded, so the eye finds them even in the darkest frames
        ring = out[y - 3 : y + SCALE + 3, x - 3 : x + SCALE + 3]
        ring[:3] = ring[-3:] = ring[:, :3] = ring[:, -3:] = cv.PALETTE[cv.HIGHLIGHT]
        lines = [
            [(self.name, cv.PALETTE[cv.HIGHLIGHT]),
             (STATE_NAMES[state], cv.PALETTE[cv.AGENT0 + state]),
             (self._where_label(level, row, col), None),
             (clock_hms(time_s, self.start_clock_s), None)],
        ] + [[(text, None)] for text in self._nearby(time_s, level, row, col)[-2:]]
        out[self.height - CAPTION_PX :] = cv.caption(self.width, CAPTION_PX, lines, size=16)
        return out, FollowInfo(time_s, level, row, col, state, y + 1, x + 1)


def camera_path(level: np.ndarray, row: np.ndarray, col: np.ndarray
                ) -> tuple[np.ndarray, np.ndarray]:
    """The camera's centre (row, col) per frame: the path smoothed within each stretch on one
    level, then clamped so the character stays ``KEEP_CELLS`` inside the window."""
    n = len(row)
    cr = row.astype(float).copy()
    cc = col.astype(float).copy()
    half = int(3 * SMOOTH_FRAMES)
    w = np.exp(-0.5 * (np.arange(-half, half + 1) / SMOOTH_FRAMES) ** 2)
    starts = np.flatnonzero(np.r_[True, level[1:] != level[:-1]])
    ends = np.r_[starts[1:], n]
    for a, b in zip(starts, ends, strict=True):
        for src, dst in ((row, cr), (col, cc)):
            seg = src[a:b].astype(float)
            pad = np.pad(seg, half, mode="edge")
            dst[a:b] = np.convolve(pad, w / w.sum(), mode="valid")
    wr, wc = WINDOW_CELLS
    lim_r, lim_c = wr // 2 - KEEP_CELLS, wc // 2 - KEEP_CELLS
    cr = np.clip(np.rint(cr), row - lim_r, row + lim_r).astype(np.int64)
    cc = np.clip(np.rint(cc), col - lim_c, col + lim_c).astype(np.int64)
    return cr, cc


def render_follow(run: RunDir, name: str) -> Iterator[tuple[np.ndarray, FollowInfo]]:
    """(RGB frame, where the character is) for every recorded frame."""
    agent = find_character(run, name)
    fol = Follower(run, agent, name)
    for _tick, time_s, frame in run.frames():
        yield fol.render(time_s, frame)


def slug(name: str) -> str:
    return "".join(c if c.isalnum() else "_" for c in name.strip().lower()).strip("_")


def write_follow(run: RunDir, name: str, out_dir: Path, *, fps: float = 12.0,
                 gif_max_frames: int = 120) -> dict[str, Path]:
    """Write ``follow_<name>.mp4`` and ``.gif`` (the GIF a lighter cut for the report)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    agent = find_character(run, name)
    fol = Follower(run, agent, name)
    writers = cv.VideoWriters(out_dir / f"follow_{slug(name)}", (fol.width, fol.height),
                              fps=fps, gif_stride=max(1, -(-run.n_frames // gif_max_frames)))
    for _tick, time_s, frame in run.frames():
        writers.add(fol.render(time_s, frame)[0])
    return writers.close()


__all__ = ["FollowInfo", "Follower", "find_character", "render_follow", "write_follow"]
