"""Writing a world back as a floor-plan document (the parser reads it back to the same world)."""

from __future__ import annotations

import json

import numpy as np

from hyosan.world.cells import Cell
from hyosan.world.world import World

_KIND_CHAR = {Cell.WALL: "#", Cell.FLOOR: ".", Cell.DOOR: "D", Cell.STAIRS: "S",
              Cell.EXIT: "E", Cell.WINDOW: "W", Cell.GROUND: ",", Cell.OBSTACLE: "o",
              Cell.VOID: "_"}
_PLACE_CHARS = ("abcdefghijklmnpqrstuvwxyz" "ABCFGHIJKLMNOPQRTUVXYZ" "0123456789"
                "!$%&*+-/:;<=>?@^`|~")


def _narrow_cells(world: World) -> np.ndarray:
    """Global indices of cells narrower than the cell size."""
    return np.flatnonzero(world.clear < np.float32(world.cell_size))


def _width_key(kind: int, width: float) -> tuple[int, float]:
    return int(kind), round(float(width), 6)


def narrow_legend(world: World, taken: set[str] = frozenset()) -> dict[tuple[int, float], str]:
    """A legend character for every (kind, clear width) of the world's narrow cells, chosen
    from the end of the place characters, skipping ``taken``."""
    cells = _narrow_cells(world)
    keys = sorted({_width_key(k, c) for k, c in zip(world.kind[cells], world.clear[cells],
                                                     strict=True)})
    pool = [ch for ch in reversed(_PLACE_CHARS) if ch not in taken]
    if len(keys) > len(pool):
        raise ValueError(f"{len(keys)} kinds of narrow cell are too many to write as characters")
    return dict(zip(keys, pool, strict=False))


def level_rows(world: World, level: int, letters: dict[str, str] | None = None,
               narrow: dict[tuple[int, float], str] | None = None) -> list[str]:
    """One level as text rows (``_`` for void); ``letters`` maps place names to characters and
    ``narrow`` maps (kind, clear width) to the character of cells narrower than the cell size
    (such cells keep their character and leave any place)."""
    chars = np.array([_KIND_CHAR[Cell(k)] for k in range(len(Cell))])
    grid = chars[world.grid(level)].copy()
    for pname, ch in (letters or {}).items():
        place = world.places[pname]
        if place.level != level:
            continue
        on_floor = place.cells[world.kind[place.cells] == Cell.FLOOR]
        _, r, c = world.rowcol(on_floor)
        grid[r, c] = ch
    if narrow:
        lv = world.levels[level]
        cells = _narrow_cells(world)
        cells = cells[(cells >= lv.offset) & (cells < lv.offset + lv.size)]
        for cell in cells:
            loc = int(cell) - lv.offset
            grid[loc // lv.width, loc % lv.width] = narrow[
                _width_key(world.kind[cell], world.clear[cell])]
    return ["".join(row) for row in grid]


def floorplan_to_text(world: World) -> str:
    """A floor-plan document for a standalone building world (round-trips through the parser).

    Level 0 is written as the ground floor and every other level as an upper floor with its
    origin. Place cells that are not plain floor keep their kind and leave the place. Cells
    narrower than the cell size get a legend character of their own (``{kind, width}``); a
    narrow floor cell leaves its place too.
    """
    if len(world.places) > len(_PLACE_CHARS):
        raise ValueError(f"{len(world.places)} places are too many to write as letters")
    letters = dict(zip(world.places, _PLACE_CHARS, strict=False))
    narrow = narrow_legend(world, set(letters.values()))
    g0 = world.levels[0].origin
    out = [f"name: {json.dumps(world.name)}", f"cell_size: {world.cell_size}",
           f"stair_length: {world.stair_length}", "legend:", '  "_": void']
    for (kind, width), ch in narrow.items():
        out.append(f"  {json.dumps(ch)}: {{kind: {Cell(kind).name.lower()}, width: {width}}}")
    if letters:
        out.append("places:")
        for pname, ch in letters.items():
            kind = world.places[pname].kind
            out.append(f"  {json.dumps(ch)}: {{name: {json.dumps(pname)}, "
                       f"kind: {json.dumps(kind)}}}")
    out.append("floors:")
    for lv in world.levels:
        rows = level_rows(world, lv.index, letters, narrow)
        if lv.index == 0:
            out.append("  - |")
            pad = "    "
        else:
            out.append(f"  - origin: [{lv.origin[0] - g0[0]}, {lv.origin[1] - g0[1]}]")
            out.append("    plan: |")
            pad = "      "
        out.extend(pad + row for row in rows)
    return "\n".join(out) + "\n"
