"""The replay of a whole run: every level side by side, agents coloured by state, doors and
barricades, a clock and the counts, graded darker and colder as the zombies spread.

Layout: upper floors stacked in a column on the left (top floor at the top), level 0 (the
town with every ground floor) on the right. A level larger than ``PANEL_PX`` pixels is shrunk
by an integer factor (walls and doors win inside a pixel); a small one is enlarged up to 4×.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from hyosan.record.reader import RunDir
from hyosan.report import canvas as cv
from hyosan.report.data import clock_hms, level_label, start_clock
from hyosan.report.grade import grade
from hyosan.states import STATE_NAMES, State

PANEL_PX = 600  # largest side of a level panel, pixels
MAX_UP = 4  # largest enlargement of a small level
LABEL_PX = 16  # label strip above each panel
GAP_PX = 8


@dataclass(frozen=True)
class Panel:
    """Where one level is drawn: top-left pixel, and cells→pixels as ``(cell // down) * up``."""

    level: int
    y0: int
    x0: int
    height: int
    width: int
    up: int
    down: int


def _scale(h: int, w: int) -> tuple[int, int]:
    """(up, down) so that the level's largest side fits ``PANEL_PX``."""
    side = max(h, w)
    if side > PANEL_PX:
        return 1, -(-side // PANEL_PX)
    return max(1, min(MAX_UP, PANEL_PX // side)), 1


class SchoolAnimator:
    """Renders frames of one run. Build once per run; ``render`` is array operations only."""

    def __init__(self, world: dict, *, start_clock_s: float, title: str = ""):
        self.world = world
        self.start_clock_s = start_clock_s
        self.title = title
        levels = world["levels"]
        kind = world["arrays"]["kind"]
        self.panels: list[Panel] = []
        col_y, col_w = 0, 0
        uppers = sorted(range(1, len(levels)), key=lambda k: -k)
        for k in uppers:  # left column, top floor first
            lv = levels[k]
            up, down = _scale(lv["height"], lv["width"])
            h, w = -(-lv["height"] // down) * up, -(-lv["width"] // down) * up
            self.panels.append(Panel(k, col_y + LABEL_PX, 0, h, w, up, down))
            col_y += LABEL_PX + h + GAP_PX
            col_w = max(col_w, w)
        lv0 = levels[0]
        up, down = _scale(lv0["height"], lv0["width"])
        h0, w0 = -(-lv0["height"] // down) * up, -(-lv0["width"] // down) * up
        x0 = col_w + GAP_PX if uppers else 0
        self.panels.append(Panel(0, LABEL_PX, x0, h0, w0, up, down))
        body_h = max(col_y, LABEL_PX + h0 + GAP_PX)
        self.width = cv.pad16(x0 + w0)
        # caption tall enough for the widest counts (five digits each) once wrapped
        widest = self.caption_lines(86399.0, np.zeros(0, np.uint8), 1.0, digits=5)
        self.caption_px = cv.caption_height(self.width, widest)
        self.height = cv.pad16(body_h + self.caption_px)
        self.body_h = self.height - self.caption_px
        self.by_level = {p.level: p for p in self.panels}

        # static background (palette indices), with level labels burnt in
        bg = np.full((self.body_h, self.width), cv.GAP, dtype=np.uint8)
        for p in self.panels:
            lv = levels[p.level]
            grid = kind[lv["offset"] : lv["offset"] + lv["height"] * lv["width"]].reshape(
                lv["height"], lv["width"])
            small = cv.pool_kinds(grid, p.down) + cv.KIND0
            big = np.repeat(np.repeat(small, p.up, axis=0), p.up, axis=1)
            bg[p.y0 : p.y0 + p.height, p.x0 : p.x0 + p.width] = big[: p.height, : p.width]
            label = level_label(lv) + (f" (1:{p.down})" if p.down > 1 else "")
            cv.stamp(bg, cv.text_mask(label, 12), p.y0 - LABEL_PX + 1, p.x0 + 2, cv.TEXT)
        self.background = bg

        # door pixels: global door cell → pixel block
        doors = np.asarray(world["arrays"].get("door_cells", np.zeros(0, np.int64)), np.int64)
        self.door_y, self.door_x, self.door_id = self._cells_to_pixels(doors)

        # per-level tables used to place agents fast: level → (y0, x0, up, down)
        nl = len(levels)
        self._ly0 = np.zeros(nl, np.int64)
        self._lx0 = np.zeros(nl, np.int64)
        self._lup = np.ones(nl, np.int64)
        self._ldown = np.ones(nl, np.int64)
        for p in self.panels:
            self._ly0[p.level], self._lx0[p.level] = p.y0, p.x0
            self._lup[p.level], self._ldown[p.level] = p.up, p.down

    def _cells_to_pixels(self, cells: np.ndarray):
        levels = self.world["levels"]
        offsets = np.array([lv["offset"] for lv in levels], np.int64)
        widths = np.array([lv["width"] for lv in levels], np.int64)
        lvl = np.searchsorted(offsets, cells, side="right") - 1
        local = cells - offsets[lvl]
        rows, cols = local // widths[lvl], local % widths[lvl]
        ys, xs, ids = [], [], []
        for p in self.panels:
            m = np.flatnonzero(lvl == p.level)
            for dy in range(p.up):
                for dx in range(p.up):
                    ys.append(p.y0 + (rows[m] // p.down) * p.up + dy)
                    xs.append(p.x0 + (cols[m] // p.down) * p.up + dx)
                    ids.append(m)
        if not ys:
            return (np.zeros(0, np.int64),) * 3
        return np.concatenate(ys), np.concatenate(xs), np.concatenate(ids)

    def agent_pixels(self, level: np.ndarray, row: np.ndarray, col: np.ndarray
                     ) -> tuple[np.ndarray, np.ndarray]:
        """Top-left pixel (y, x) of each agent's block."""
        lv = level.astype(np.int64)
        d, u = self._ldown[lv], self._lup[lv]
        y = self._ly0[lv] + (row.astype(np.int64) // d) * u
        x = self._lx0[lv] + (col.astype(np.int64) // d) * u
        return y, x

    def render_index(self, frame: dict[str, np.ndarray]) -> np.ndarray:
        """The palette-index image of one frame's body (no caption)."""
        idx = self.background.copy()
        if len(self.door_id):
            idx[self.door_y, self.door_x] = cv.DOOR0 + frame["door_state"][self.door_id]
        state = frame["state"]
        y, x = self.agent_pixels(frame["level"], frame["row"], frame["col"])
        u = self._lup[frame["level"].astype(np.int64)]
        for s in cv.DRAW_ORDER:
            m = state == s
            if not m.any():
                continue
            ys, xs, us = y[m], x[m], u[m]
            umax = int(us.max())
            for dy in range(umax):
                for dx in range(umax):
                    k = (dy < us) & (dx < us)
                    idx[ys[k] + dy, xs[k] + dx] = cv.AGENT0 + int(s)
        return idx

    def caption_lines(self, time_s: float, state: np.ndarray, share: float, digits: int = 0):
        counts = np.bincount(state, minlength=len(State))
        if digits:
            counts = np.full(len(State), 10**digits - 1)
        head = [(f"{clock_hms(time_s, self.start_clock_s)}  (+{time_s / 60:.1f} min)", None)]
        if self.title:
            head.insert(0, (self.title, None))
        head.append((f"zombie share {100 * share:.0f}%", None))
        legend = [(f"{name} {int(counts[s])}", cv.PALETTE[cv.AGENT0 + s])
                  for s, name in enumerate(STATE_NAMES)]
        return [head, legend]

    def render(self, time_s: float, frame: dict[str, np.ndarray]) -> np.ndarray:
        """One RGB frame (height × width × 3, uint8), graded for the frame's zombie share."""
        share = cv.zombie_share(frame["state"])
        idx = self.render_index(frame)
        out = np.empty((self.height, self.width, 3), dtype=np.uint8)
        # np.take into the output is ~9x faster than fancy indexing a 2-D palette
        np.take(grade(cv.PALETTE, share), idx, axis=0, out=out[: self.body_h])
        out[self.body_h :] = cv.caption(self.width, self.height - self.body_h,
                                        self.caption_lines(time_s, frame["state"], share))
        return out


def animator_for(run: RunDir) -> SchoolAnimator:
    return SchoolAnimator(run.world, start_clock_s=start_clock(run),
                          title=str(run.summary.get("scenario", "")))


def render_frames(run: RunDir, *, stride: int = 1) -> Iterator[tuple[float, np.ndarray]]:
    """(time_s, RGB frame) for every ``stride``-th recorded frame of a run."""
    anim = animator_for(run)
    for f, (_tick, time_s, frame) in enumerate(run.frames()):
        if f % stride == 0:
            yield time_s, anim.render(time_s, frame)


def write_animation(run: RunDir, out_dir: Path, *, fps: float = 12.0, mp4: bool = True,
                    gif: bool = True, gif_max_frames: int = 120, gif_max_width: int = 760
                    ) -> dict[str, Path]:
    """Write ``animation.mp4`` (every frame) and ``animation.gif`` (a lighter cut for the
    HTML report: at most ``gif_max_frames`` frames, shrunk to ``gif_max_width``)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    anim = animator_for(run)
    n = run.n_frames
    writers = cv.VideoWriters(
        out_dir / "animation", (anim.width, anim.height), fps=fps, mp4=mp4, gif=gif,
        gif_stride=max(1, -(-n // gif_max_frames)),
        gif_shrink=max(1, -(-anim.width // gif_max_width)))
    for _tick, time_s, frame in run.frames():
        writers.add(anim.render(time_s, frame))
    return writers.close()
