"""Shared pieces of the frame renderers: the palette, floor-plan pooling, captions, encoders.

Frames are drawn as palette-index images (uint8 per pixel) with NumPy array operations, then
coloured through a palette graded for the frame's zombie share: grading a 32-colour palette
costs nothing, so the grade is free per frame.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from hyosan.states import State
from hyosan.world.cells import Cell, Door

# palette layout: cell kinds, then chrome, then door states, then agent states
KIND0 = 0  # + Cell value
GAP = 9
TEXT = 10
DOOR0 = 11  # + Door value
AGENT0 = 16  # + State value
HIGHLIGHT = 23

PALETTE = np.zeros((32, 3), dtype=np.uint8)
PALETTE[KIND0 + Cell.WALL] = (70, 74, 84)
PALETTE[KIND0 + Cell.FLOOR] = (236, 230, 214)
PALETTE[KIND0 + Cell.DOOR] = (190, 150, 90)
PALETTE[KIND0 + Cell.STAIRS] = (250, 215, 110)
PALETTE[KIND0 + Cell.EXIT] = (120, 220, 120)
PALETTE[KIND0 + Cell.WINDOW] = (150, 200, 240)
PALETTE[KIND0 + Cell.GROUND] = (196, 214, 168)
PALETTE[KIND0 + Cell.OBSTACLE] = (150, 140, 125)
PALETTE[KIND0 + Cell.VOID] = (30, 32, 38)
PALETTE[GAP] = (22, 24, 30)
PALETTE[TEXT] = (240, 240, 240)
PALETTE[DOOR0 + Door.OPEN] = (205, 170, 110)
PALETTE[DOOR0 + Door.CLOSED] = (150, 95, 40)
PALETTE[DOOR0 + Door.LOCKED] = (110, 60, 20)
PALETTE[DOOR0 + Door.BARRICADED] = (255, 120, 0)
PALETTE[DOOR0 + Door.BROKEN] = (120, 120, 120)
PALETTE[AGENT0 + State.SUSCEPTIBLE] = (30, 110, 230)
PALETTE[AGENT0 + State.INFECTED] = (250, 160, 20)
PALETTE[AGENT0 + State.ZOMBIE] = (215, 20, 30)
PALETTE[AGENT0 + State.CARRIER] = (160, 90, 220)
PALETTE[AGENT0 + State.DEAD] = (90, 90, 90)
PALETTE[AGENT0 + State.DESTROYED] = (15, 15, 15)
PALETTE[AGENT0 + State.ESCAPED] = (40, 200, 90)
PALETTE[HIGHLIGHT] = (255, 255, 0)

#: which cell kind wins when many cells shrink into one pixel (walls and doors stay visible)
_KIND_PRIORITY = np.zeros(len(Cell), dtype=np.uint8)
for _rank, _k in enumerate((Cell.VOID, Cell.GROUND, Cell.FLOOR, Cell.OBSTACLE, Cell.WINDOW,
                            Cell.EXIT, Cell.STAIRS, Cell.DOOR, Cell.WALL)):
    _KIND_PRIORITY[_k] = _rank
_PRIORITY_KIND = np.argsort(_KIND_PRIORITY).astype(np.uint8)

#: agents drawn in this order, later ones on top (zombies last, so they are never hidden)
DRAW_ORDER = (State.DEAD, State.DESTROYED, State.SUSCEPTIBLE, State.CARRIER, State.INFECTED,
              State.ZOMBIE)
#: states still on the map that the zombie share counts
PRESENT = np.array([s in (State.SUSCEPTIBLE, State.INFECTED, State.ZOMBIE, State.CARRIER)
                    for s in State], dtype=bool)


def zombie_share(state: np.ndarray) -> float:
    """Zombies among those still walking the map (susceptible, infected, zombie, carrier)."""
    counts = np.bincount(state, minlength=len(State))[: len(State)]
    present = int(counts[PRESENT].sum())
    return float(counts[State.ZOMBIE]) / present if present else 0.0


def pool_kinds(kind: np.ndarray, down: int) -> np.ndarray:
    """Shrink a grid of cell kinds by ``down`` (block max of priority: walls survive)."""
    if down <= 1:
        return kind.astype(np.uint8)
    h, w = kind.shape
    hp, wp = -(-h // down) * down, -(-w // down) * down
    pr = np.zeros((hp, wp), dtype=np.uint8)  # pads as VOID (priority 0)
    pr[:h, :w] = _KIND_PRIORITY[kind]
    pr = pr.reshape(hp // down, down, wp // down, down).max(axis=(1, 3))
    return _PRIORITY_KIND[pr]


def font(size: int = 13) -> ImageFont.ImageFont:
    """Pillow's bundled font at ``size`` px (no system fonts needed)."""
    try:
        return ImageFont.load_default(size=size)
    except TypeError:  # Pillow < 10.1
        return ImageFont.load_default()


def text_mask(text: str, size: int = 12) -> np.ndarray:
    """A boolean bitmap of ``text`` (for labels burnt into palette images)."""
    f = font(size)
    box = f.getbbox(text)
    img = Image.new("L", (max(1, box[2] + 2), size + 4), 0)
    ImageDraw.Draw(img).text((1, 1), text, fill=255, font=f)
    return np.asarray(img) > 110


def stamp(idx: np.ndarray, mask: np.ndarray, y: int, x: int, value: int) -> None:
    """Set ``idx`` to ``value`` where ``mask`` is true, with its top-left at (y, x), clipped."""
    h = min(mask.shape[0], idx.shape[0] - y)
    w = min(mask.shape[1], idx.shape[1] - x)
    if h > 0 and w > 0:
        region = idx[y : y + h, x : x + w]
        region[mask[:h, :w]] = value


class GlyphFont:
    """Text drawn from cached per-character bitmaps: one PIL render per character ever, then
    array copies (captions change every frame; PIL per frame would cost ~10 ms)."""

    def __init__(self, size: int):
        self.size = size
        self.height = size + 5
        self._font = font(size)
        self._glyphs: dict[str, tuple[np.ndarray, int]] = {}
        self._strings: dict[str, np.ndarray] = {}

    def glyph(self, ch: str) -> tuple[np.ndarray, int]:
        g = self._glyphs.get(ch)
        if g is None:
            adv = max(1, int(round(self._font.getlength(ch))))
            img = Image.new("L", (adv + 4, self.height), 0)
            ImageDraw.Draw(img).text((0, 0), ch, fill=255, font=self._font)
            g = (np.asarray(img, dtype=np.uint16), adv)
            self._glyphs[ch] = g
        return g

    def width(self, text: str) -> int:
        return sum(self.glyph(ch)[1] for ch in text)

    def alpha(self, text: str) -> np.ndarray:
        """Coverage (0–255, uint16) of a whole string: its glyphs side by side, cached."""
        a = self._strings.get(text)
        if a is None:
            parts = [self.glyph(ch) for ch in text]
            a = np.concatenate([g[:, :adv] for g, adv in parts], axis=1) if parts else \
                np.zeros((self.height, 0), np.uint16)
            if len(self._strings) > 4096:  # clocks make new strings every frame
                self._strings.clear()
            self._strings[text] = a
        return a

    def draw(self, rgb: np.ndarray, x: int, y: int, text: str,
             color: tuple[int, int, int] = (235, 235, 235)) -> None:
        """Alpha-blend ``text`` onto an RGB uint8 array with its top-left at (x, y)."""
        alpha = self.alpha(text)
        h = min(alpha.shape[0], rgb.shape[0] - y)
        w = min(alpha.shape[1], rgb.shape[1] - x)
        if h > 0 and w > 0:
            a = alpha[:h, :w, None]
            region = rgb[y : y + h, x : x + w]
            region[...] = (region * (255 - a) + np.array(color, np.uint16) * a) // 255


_FONTS: dict[int, GlyphFont] = {}


def glyph_font(size: int) -> GlyphFont:
    if size not in _FONTS:
        _FONTS[size] = GlyphFont(size)
    return _FONTS[size]


def _layout(width: int, lines, size: int):
    """Positions (x, line number) of each caption piece, wrapping pieces that do not fit."""
    f = glyph_font(size)
    out, row = [], 0
    for line in lines:
        x = 6
        for text, swatch in line:
            w = (13 if swatch is not None else 0) + f.width(text) + 12
            if x > 6 and x + w > width:
                row, x = row + 1, 6
            out.append((x, row, text, swatch))
            x += w
        row += 1
    return out, row


def caption_height(width: int, lines, size: int = 13) -> int:
    """Pixel height a caption of these lines needs at this width (after wrapping)."""
    return _layout(width, lines, size)[1] * glyph_font(size).height + 6


def caption(width: int, height: int, lines: list[list[tuple[str, tuple[int, int, int] | None]]],
            size: int = 13) -> np.ndarray:
    """An RGB caption strip: each line is a list of (text, swatch colour or None) pieces;
    pieces that do not fit wrap onto the next line."""
    img = np.empty((height, width, 3), np.uint8)
    img[...] = (12, 12, 16)
    f = glyph_font(size)
    for x, row, text, swatch in _layout(width, lines, size)[0]:
        y = 3 + row * f.height
        if y >= height:
            break
        if swatch is not None:
            img[y + 3 : y + 13, x : x + 10] = (150, 150, 150)  # outline, visible on black
            img[y + 4 : y + 12, x + 1 : x + 9] = swatch
            x += 13
        f.draw(img, x, y, text)
    return img


class VideoWriters:
    """Feeds frames to an MP4 (every frame) and a GIF (every ``gif_stride``-th, shrunk)."""

    def __init__(self, stem: Path, size: tuple[int, int], *, fps: float, mp4: bool = True,
                 gif: bool = True, gif_stride: int = 1, gif_shrink: int = 1):
        self.paths: dict[str, Path] = {}
        self.gif_frames: list[np.ndarray] = []
        self.gif, self.gif_stride, self.gif_shrink, self.fps = gif, gif_stride, gif_shrink, fps
        self.n = 0
        self._mp4 = None
        self.stem = stem
        if mp4:
            import imageio_ffmpeg

            path = stem.with_suffix(".mp4")
            self._mp4 = imageio_ffmpeg.write_frames(
                str(path), size, fps=fps, codec="libx264", quality=6, macro_block_size=16,
                ffmpeg_log_level="error", output_params=["-preset", "veryfast"])
            self._mp4.send(None)
            self.paths["mp4"] = path

    def add(self, rgb: np.ndarray) -> None:
        if self._mp4 is not None:
            self._mp4.send(np.ascontiguousarray(rgb))
        if self.gif and self.n % self.gif_stride == 0:
            s = self.gif_shrink
            if s > 1:  # a box filter keeps thin text readable (plain striding drops it)
                h, w = rgb.shape[0] // s, rgb.shape[1] // s
                img = Image.fromarray(rgb).resize((w, h), Image.Resampling.BOX)
                self.gif_frames.append(np.asarray(img))
            else:
                self.gif_frames.append(rgb.copy())
        self.n += 1

    def close(self) -> dict[str, Path]:
        if self._mp4 is not None:
            self._mp4.close()
        if self.gif and self.gif_frames:
            path = self.stem.with_suffix(".gif")
            frames = [Image.fromarray(f) for f in self.gif_frames]
            ms = int(round(1000 * self.gif_stride / self.fps))
            frames[0].save(path, save_all=True, append_images=frames[1:], duration=ms, loop=0,
                           optimize=False)
            self.paths["gif"] = path
        return self.paths


def pad16(n: int) -> int:
    """Round a pixel size up to a multiple of 16 (video encoders want whole macro blocks)."""
    return -(-n // 16) * 16


def graded_palette(share: float) -> np.ndarray:
    """The palette graded for a zombie share, the agents' colours at half the grade: the
    world darkens fully, the people and zombies on it stay visible in the darkest frames."""
    from hyosan.report.grade import grade

    pal = grade(PALETTE, share)
    pal[AGENT0 : AGENT0 + len(State)] = grade(PALETTE[AGENT0 : AGENT0 + len(State)], share / 2)
    return pal
