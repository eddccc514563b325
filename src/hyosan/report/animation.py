"""The replay of a whole run, laid out around where the story happens: the building's storeys
large, the town as an inset, a clock and counters, graded darker and colder as zombies spread.

Layout (at least ``MIN_SIZE`` = 1280 × 720 px): the building's storeys are stacked on the left
with the top storey at the top (1F is the building's footprint cut out of level 0), each drawn
at the largest whole enlargement that fits ``MAIN_W`` × the frame height; the right column
holds the clock, the counts per state with swatches, a zombie-share bar and, where the world
has a town around the building, the whole of level 0 shrunk into an inset with the building's
footprint outlined. A world without a building draws its levels in the main area instead.
Labels are drawn after the grade, so they stay legible in the darkest frames. The grade follows
the zombie share inside the building where there is one (``SchoolAnimator.share``).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from hyosan.record.reader import RunDir
from hyosan.report import canvas as cv
from hyosan.report.data import clock_hms, level_label, start_clock
from hyosan.states import STATE_NAMES, State

MIN_SIZE = (1280, 720)  # width, height
SIDE_W = 360  # right column
MARGIN = 12
LABEL_PX = 22  # label strip above each panel
GAP_PX = 8
MAX_UP = 12  # largest enlargement of a small level
LABEL_SIZE = 16
CLOCK_SIZE = 34
TEXT_SIZE = 17


@dataclass(frozen=True)
class Panel:
    """One level (or a crop of it) drawn at pixel (y0, x0): cell (r, c) of the level goes to
    pixel ``y0 + ((r - r0) // down) * up``; ``inset`` panels draw agents as 2 × 2 dots."""

    level: int
    y0: int
    x0: int
    height: int
    width: int
    up: int
    down: int
    r0: int = 0
    c0: int = 0
    rows: int = 0
    cols: int = 0
    label: str = ""
    inset: bool = False


def _fit(rows: int, cols: int, max_h: int, max_w: int) -> tuple[int, int]:
    """(up, down) so a rows × cols grid fits max_h × max_w pixels, as large as possible."""
    up = min(MAX_UP, max_h // max(rows, 1), max_w // max(cols, 1))
    if up >= 1:
        return up, 1
    return 1, max(-(-rows // max_h), -(-cols // max_w))


def building_levels(world: dict) -> tuple[list[int], tuple[int, int, int, int] | None]:
    """The building's levels, top storey first, and the crop (r0, c0, rows, cols) of level 0
    that is the building's ground floor (None when level 0 is itself a building level or
    there is no building)."""
    levels = world["levels"]
    ups = [k for k in range(1, len(levels)) if levels[k].get("building")]
    ups.sort(key=lambda k: -int(levels[k].get("floor", k)))
    if levels and levels[0].get("building"):
        return ups + [0], None
    if not ups:
        return [], None
    lv = levels[ups[-1]]
    r0, c0 = (int(v) for v in lv.get("origin", (0, 0)))
    return ups + [0], (r0, c0, int(lv["height"]), int(lv["width"]))


class SchoolAnimator:
    """Renders frames of one run. Build once per run; ``render`` is array operations only."""

    def __init__(self, world: dict, *, start_clock_s: float, title: str = ""):
        self.world = world
        self.start_clock_s = start_clock_s
        self.title = title
        levels = world["levels"]
        kind = world["arrays"]["kind"]
        main, crop = building_levels(world)
        self.building = bool(main)
        inset_level = 0 if crop is not None else None
        if not main:  # no building: every level in the main area, stacked
            main = sorted(range(len(levels)), key=lambda k: -k)
        width, height = MIN_SIZE
        main_w = width - SIDE_W - 2 * MARGIN
        dims = []
        for k in main:
            lv = levels[k]
            if k == 0 and crop is not None:
                dims.append((k, crop[0], crop[1], crop[2], crop[3]))
            else:
                dims.append((k, 0, 0, int(lv["height"]), int(lv["width"])))
        avail_h = height - 2 * MARGIN - len(dims) * (LABEL_PX + GAP_PX)
        total_rows = sum(d[3] for d in dims)
        widest = max(d[4] for d in dims)
        up, down = _fit(total_rows, widest, avail_h, main_w)
        self.panels: list[Panel] = []
        y = MARGIN
        for k, r0, c0, rows, cols in dims:
            h = -(-rows // down) * up
            w = -(-cols // down) * up
            lab = level_label(levels[k]) if not (k == 0 and crop is not None) else \
                f"{levels[ups_building(levels)]['building']} 1F"
            self.panels.append(Panel(k, y + LABEL_PX, MARGIN, h, w, up, down, r0, c0, rows,
                                     cols, lab + (f" (1:{down})" if down > 1 else "")))
            y += LABEL_PX + h + GAP_PX
        self.side_x = max(MARGIN + max(p.width for p in self.panels) + 2 * MARGIN,
                          width - SIDE_W)
        self.width = cv.pad16(max(width, self.side_x + SIDE_W))
        self.height = cv.pad16(max(height, y + MARGIN))
        # the side column: clock and counts at the top, the inset at the bottom
        self.counts_y = MARGIN + CLOCK_SIZE + 30 + (TEXT_SIZE + 8 if title else 0)
        self.bar_y = self.counts_y + len(State) * (TEXT_SIZE + 8) + 10
        if inset_level is not None:
            lv0 = levels[0]
            side = SIDE_W - 2 * MARGIN
            top = self.bar_y + 40 + LABEL_PX
            up0, down0 = _fit(int(lv0["height"]), int(lv0["width"]), self.height - top - MARGIN,
                              side)
            h0 = -(-int(lv0["height"]) // down0) * up0
            w0 = -(-int(lv0["width"]) // down0) * up0
            self.panels.append(Panel(0, self.height - MARGIN - h0, self.side_x + MARGIN, h0,
                                     w0, up0, down0, 0, 0, int(lv0["height"]),
                                     int(lv0["width"]), str(lv0.get("name") or "town")
                                     + (f" (1:{down0})" if down0 > 1 else ""), inset=True))
        self.by_level = {}
        for p in self.panels:  # the main panel of a level wins over its inset
            if p.level not in self.by_level or self.by_level[p.level].inset:
                self.by_level[p.level] = p

        # static background (palette indices)
        bg = np.full((self.height, self.width), cv.GAP, dtype=np.uint8)
        for p in self.panels:
            lv = levels[p.level]
            grid = kind[lv["offset"] : lv["offset"] + lv["height"] * lv["width"]].reshape(
                lv["height"], lv["width"])[p.r0 : p.r0 + p.rows, p.c0 : p.c0 + p.cols]
            small = cv.pool_kinds(grid, p.down) + cv.KIND0
            big = np.repeat(np.repeat(small, p.up, axis=0), p.up, axis=1)
            bg[p.y0 : p.y0 + p.height, p.x0 : p.x0 + p.width] = big[: p.height, : p.width]
        if crop is not None and inset_level is not None:  # the building outlined in the inset
            p = next(q for q in self.panels if q.inset)
            r0, c0, rows, cols = crop
            y0, x0 = p.y0 + (r0 // p.down) * p.up, p.x0 + (c0 // p.down) * p.up
            y1, x1 = p.y0 + ((r0 + rows) // p.down) * p.up, p.x0 + ((c0 + cols) // p.down) * p.up
            bg[y0 - 2 : y1 + 2, [x0 - 2, x1 + 1]] = cv.HIGHLIGHT
            bg[[y0 - 2, y1 + 1], x0 - 2 : x1 + 2] = cv.HIGHLIGHT
        self.background = bg

        # door pixels, per panel: global door cell → pixel block
        doors = np.asarray(world["arrays"].get("door_cells", np.zeros(0, np.int64)), np.int64)
        self.door_y, self.door_x, self.door_id = self._cells_to_pixels(doors)

    def _cells_to_pixels(self, cells: np.ndarray):
        levels = self.world["levels"]
        offsets = np.array([lv["offset"] for lv in levels], np.int64)
        widths = np.array([lv["width"] for lv in levels], np.int64)
        if not len(cells):
            return (np.zeros(0, np.int64),) * 3
        lvl = np.searchsorted(offsets, cells, side="right") - 1
        local = cells - offsets[lvl]
        rows, cols = local // widths[lvl], local % widths[lvl]
        ys, xs, ids = [], [], []
        for p in self.panels:
            m = np.flatnonzero((lvl == p.level) & (rows >= p.r0) & (rows < p.r0 + p.rows)
                               & (cols >= p.c0) & (cols < p.c0 + p.cols))
            for dy in range(p.up):
                for dx in range(p.up):
                    ys.append(p.y0 + ((rows[m] - p.r0) // p.down) * p.up + dy)
                    xs.append(p.x0 + ((cols[m] - p.c0) // p.down) * p.up + dx)
                    ids.append(m)
        if not ys:
            return (np.zeros(0, np.int64),) * 3
        return np.concatenate(ys), np.concatenate(xs), np.concatenate(ids)

    def render_index(self, frame: dict[str, np.ndarray]) -> np.ndarray:
        """The palette-index image of one frame (no text)."""
        idx = self.background.copy()
        if len(self.door_id):
            idx[self.door_y, self.door_x] = cv.DOOR0 + frame["door_state"][self.door_id]
        state = frame["state"]
        level = frame["level"].astype(np.int64)
        row = frame["row"].astype(np.int64)
        col = frame["col"].astype(np.int64)
        order = np.zeros(len(state), np.int64)  # draw order rank: zombies last
        for rank, s in enumerate(cv.DRAW_ORDER):
            order[state == s] = rank + 1
        for p in self.panels:
            m = np.flatnonzero((level == p.level) & (order > 0) & (row >= p.r0)
                               & (row < p.r0 + p.rows) & (col >= p.c0)
                               & (col < p.c0 + p.cols))
            if not len(m):
                continue
            m = m[np.argsort(order[m], kind="stable")]
            y = p.y0 + ((row[m] - p.r0) // p.down) * p.up
            x = p.x0 + ((col[m] - p.c0) // p.down) * p.up
            v = (cv.AGENT0 + state[m]).astype(np.uint8)
            if p.inset:  # the living as single pixels, zombies as 2 x 2 dots that stand out
                idx[y, x] = v
                z = state[m] == State.ZOMBIE
                for dy, dx in ((0, 1), (1, 0), (1, 1)):
                    idx[np.minimum(y[z] + dy, self.height - 1),
                        np.minimum(x[z] + dx, self.width - 1)] = v[z]
                continue
            inner = p.up - 1 if p.up >= 4 else p.up  # a one-pixel gap between neighbours
            for dy in range(inner):
                for dx in range(inner):
                    idx[y + dy, x + dx] = v
        return idx

    def share(self, frame: dict[str, np.ndarray]) -> float:
        """The zombie share the grade follows: among those in the building's panels where
        the world has a building (the town's thousands would keep a school massacre bright),
        else among everyone."""
        if not self.building:
            return cv.zombie_share(frame["state"])
        return cv.zombie_share(frame["state"][self.in_building(frame)])

    def in_building(self, frame: dict[str, np.ndarray]) -> np.ndarray:
        """Per agent: inside one of the main (building) panels?"""
        level = frame["level"].astype(np.int64)
        row, col = frame["row"].astype(np.int64), frame["col"].astype(np.int64)
        m = np.zeros(len(level), bool)
        for p in self.panels:
            if not p.inset:
                m |= (level == p.level) & (row >= p.r0) & (row < p.r0 + p.rows) & (
                    col >= p.c0) & (col < p.c0 + p.cols)
        return m

    def render(self, time_s: float, frame: dict[str, np.ndarray]) -> np.ndarray:
        """One RGB frame (height × width × 3, uint8), graded for the frame's zombie share."""
        share = self.share(frame)
        idx = self.render_index(frame)
        out = np.empty((self.height, self.width, 3), dtype=np.uint8)
        # np.take into the output is ~9x faster than fancy indexing a 2-D palette
        np.take(cv.graded_palette(share), idx, axis=0, out=out)
        self._text(out, time_s, frame["state"], share)
        return out

    def _text(self, out: np.ndarray, time_s: float, state: np.ndarray, share: float) -> None:
        lab = cv.glyph_font(LABEL_SIZE)
        for p in self.panels:
            lab.draw(out, p.x0 + 2, p.y0 - LABEL_PX + 2, p.label)
        x = self.side_x + MARGIN
        y = MARGIN
        if self.title:
            cv.glyph_font(TEXT_SIZE).draw(out, x, y, self.title, (200, 200, 210))
            y += TEXT_SIZE + 8
        cv.glyph_font(CLOCK_SIZE).draw(out, x, y, clock_hms(time_s, self.start_clock_s))
        cv.glyph_font(TEXT_SIZE).draw(out, x, y + CLOCK_SIZE + 4,
                                      f"+{time_s / 60:.1f} min since the start",
                                      (190, 190, 200))
        counts = np.bincount(state, minlength=len(State))
        f = cv.glyph_font(TEXT_SIZE)
        for s, name in enumerate(STATE_NAMES):
            yy = self.counts_y + s * (TEXT_SIZE + 8)
            out[yy + 3 : yy + 17, x : x + 14] = (160, 160, 160)
            out[yy + 4 : yy + 16, x + 1 : x + 13] = cv.PALETTE[cv.AGENT0 + s]
            f.draw(out, x + 22, yy, name)
            num = f"{int(counts[s]):,}"
            f.draw(out, self.side_x + SIDE_W - MARGIN - f.width(num), yy, num)
        # zombie share bar
        yb = self.bar_y
        f.draw(out, x, yb, f"zombies {'in the building' if self.building else 'among all'}: "
               f"{100 * share:.0f}%")
        bw = SIDE_W - 2 * MARGIN
        out[yb + 22 : yb + 32, x : x + bw] = (60, 60, 66)
        out[yb + 22 : yb + 32, x : x + int(round(bw * share))] = cv.PALETTE[
            cv.AGENT0 + State.ZOMBIE]


def ups_building(levels: list[dict]) -> int:
    """Index of a level that names the building (for the 1F label)."""
    return next(k for k, lv in enumerate(levels) if lv.get("building"))


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
                    gif: bool = True, gif_max_frames: int = 72, gif_max_width: int = 640
                    ) -> dict[str, Path]:
    """Write ``animation.mp4`` (every frame, full size) and ``animation.gif`` (a small
    preview: at most ``gif_max_frames`` frames, shrunk to at most ``gif_max_width``)."""
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
