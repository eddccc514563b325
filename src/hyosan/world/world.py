"""The world: levels of square cells, portals (stairs) between them, doors and named places.

Every cell of every level has one *global index*: ``level.offset + row * level.width + col``.
Per-cell data lives in flat NumPy arrays over those indices, so Numba kernels see the whole
world as a few arrays. Level 0 holds the town and every building's ground floor; an upper
floor is its own level whose ``origin`` places it over its building's footprint on level 0.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from hyosan.world.cells import Cell, Door


@dataclass(frozen=True)
class Level:
    """One storey (or the ground with the town): a ``height`` × ``width`` block of cells."""

    index: int
    name: str
    height: int
    width: int
    offset: int  # global index of cell (0, 0)
    origin: tuple[int, int] = (0, 0)  # (row, col) of cell (0, 0) in level-0 coordinates
    building: str | None = None
    floor: int = 0  # storey number within its building (0 = ground)

    @property
    def size(self) -> int:
        return self.height * self.width


@dataclass
class Place:
    """A named set of cells: a classroom, the rooftop, the hospital, a road out of town."""

    name: str
    kind: str  # classroom, library, rooftop, house, exit, gym, street, ...
    level: int
    cells: np.ndarray  # global indices, int64, sorted
    building: str | None = None
    floor: int = 0

    def centroid(self, world: World) -> tuple[float, float]:
        """Mean (row, col) of the place's cells on its level."""
        rows, cols = world.rowcol(self.cells)[1:]
        return float(rows.mean()), float(cols.mean())


@dataclass
class World:
    """Levels, cell kinds, portals, doors and places. Built by the parser or the generators."""

    cell_size: float
    levels: list[Level]
    kind: np.ndarray  # uint8 per global cell (``Cell``)
    #: partner cell of a stair portal going up / down one level, -1 where none
    up: np.ndarray
    down: np.ndarray
    #: length in metres walked along the slope to climb between two linked stair cells
    stair_length: float = 6.0
    places: dict[str, Place] = field(default_factory=dict)
    #: place index per global cell (-1 where none); order is ``list(places)``
    place_of: np.ndarray | None = None
    #: global index of each door cell; ``door_of`` maps a cell to its door number or -1
    door_cells: np.ndarray | None = None
    door_of: np.ndarray | None = None
    door_state: np.ndarray | None = None  # uint8 (``Door``)
    door_hp: np.ndarray | None = None  # float32: blows left before a shut door breaks
    #: exits closed by a cordon (quarantine): impassable, nobody escapes there
    exit_closed: np.ndarray | None = None  # bool per global cell
    #: clear width in metres per global cell (float32; default ``cell_size`` everywhere): a door
    #: leaf or a gap narrower than the cell is passed at a proportionally slower pace, so a
    #: doorway's capacity grows with its width in steps finer than the cell (``rules.movement``)
    clear: np.ndarray | None = None
    #: incremented every time a door or exit changes state (for caches that depend on doors)
    version: int = 0
    name: str = "world"
    #: level 0 wraps around at its edges (a torus), for benchmarks and reference models
    torus: bool = False
    #: what a generator records about its layout (the city's blocks and districts), for tests
    #: and reports; the engine never reads it
    meta: dict = field(default_factory=dict)

    def __post_init__(self) -> None:
        n = self.n_cells
        for arr_name in ("kind", "up", "down"):
            arr = getattr(self, arr_name)
            if arr.shape != (n,):
                raise ValueError(f"World.{arr_name} has shape {arr.shape}, expected ({n},)")
        self.kind = np.ascontiguousarray(self.kind, dtype=np.uint8)
        self.up = np.ascontiguousarray(self.up, dtype=np.int64)
        self.down = np.ascontiguousarray(self.down, dtype=np.int64)
        if self.exit_closed is None:
            self.exit_closed = np.zeros(n, dtype=np.bool_)
        if self.clear is None:
            self.clear = np.full(n, self.cell_size, dtype=np.float32)
        self.clear = np.ascontiguousarray(self.clear, dtype=np.float32)
        if self.clear.shape != (n,):
            raise ValueError(f"World.clear has shape {self.clear.shape}, expected ({n},)")
        if not (np.all(self.clear > 0) and np.all(self.clear <= self.cell_size * (1 + 1e-6))):
            raise ValueError(f"World.clear must lie in (0, cell_size = {self.cell_size}] m")
        self.index_places()
        self.index_doors()

    # ----------------------------------------------------------------- geometry
    @property
    def n_cells(self) -> int:
        last = self.levels[-1]
        return last.offset + last.size

    @property
    def n_levels(self) -> int:
        return len(self.levels)

    def level_arrays(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(offset, height, width) per level as int64 arrays, for Numba kernels."""
        off = np.array([lv.offset for lv in self.levels], dtype=np.int64)
        h = np.array([lv.height for lv in self.levels], dtype=np.int64)
        w = np.array([lv.width for lv in self.levels], dtype=np.int64)
        return off, h, w

    def cell(self, level: int, row: int, col: int) -> int:
        """Global index of (level, row, col)."""
        lv = self.levels[level]
        if not (0 <= row < lv.height and 0 <= col < lv.width):
            raise IndexError(f"({row}, {col}) is outside level {level} ({lv.height}×{lv.width})")
        return lv.offset + row * lv.width + col

    def rowcol(self, cells: np.ndarray | int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(level, row, col) of global indices."""
        cells = np.asarray(cells, dtype=np.int64)
        offsets = np.array([lv.offset for lv in self.levels], dtype=np.int64)
        lvl = np.searchsorted(offsets, cells, side="right") - 1
        widths = np.array([lv.width for lv in self.levels], dtype=np.int64)[lvl]
        local = cells - offsets[lvl]
        return lvl, local // widths, local % widths

    def grid(self, level: int, arr: np.ndarray | None = None) -> np.ndarray:
        """A per-cell array (default: ``kind``) viewed as the 2-D grid of one level."""
        lv = self.levels[level]
        a = self.kind if arr is None else arr
        return a[lv.offset : lv.offset + lv.size].reshape(lv.height, lv.width)

    # ------------------------------------------------------------------ places
    def index_places(self) -> None:
        """Rebuild ``place_of`` from ``places`` (a cell belongs to the last place naming it)."""
        self.place_of = np.full(self.n_cells, -1, dtype=np.int32)
        for i, place in enumerate(self.places.values()):
            cells = np.asarray(place.cells, dtype=np.int64)
            if len(cells) > 1 and not (cells[1:] > cells[:-1]).all():  # usually sorted
                cells = np.unique(cells)
            place.cells = cells
            self.place_of[place.cells] = i

    def place_names(self) -> list[str]:
        return list(self.places)

    def places_of_kind(self, *kinds: str) -> list[Place]:
        return [p for p in self.places.values() if p.kind in kinds]

    def exits(self) -> np.ndarray:
        """Global indices of exit cells that are not closed by a cordon."""
        return np.flatnonzero((self.kind == Cell.EXIT) & ~self.exit_closed)

    # ------------------------------------------------------------------- doors
    def index_doors(self) -> None:
        """Number the door cells; keep existing states where the cells are unchanged."""
        cells = np.flatnonzero(self.kind == Cell.DOOR).astype(np.int64)
        if self.door_cells is not None and np.array_equal(cells, self.door_cells):
            return
        self.door_cells = cells
        self.door_of = np.full(self.n_cells, -1, dtype=np.int32)
        self.door_of[cells] = np.arange(len(cells), dtype=np.int32)
        self.door_state = np.zeros(len(cells), dtype=np.uint8)
        self.door_hp = np.zeros(len(cells), dtype=np.float32)

    def set_door(self, cell: int, state: Door, hp: float = 0.0) -> None:
        """Change one door's state (and hit points); bumps ``version``."""
        d = int(self.door_of[cell])
        if d < 0:
            raise ValueError(f"cell {cell} is not a door")
        self.door_state[d] = int(state)
        self.door_hp[d] = hp
        self.version += 1

    def close_exits(self, cells: np.ndarray, closed: bool = True) -> None:
        """Close (or reopen) exit cells, as a quarantine cordon does."""
        self.exit_closed[np.asarray(cells, dtype=np.int64)] = closed
        self.version += 1

    # ---------------------------------------------------------------- summary
    def walkable_cells(self) -> int:
        from hyosan.world.cells import WALKABLE

        return int(WALKABLE[self.kind].sum())

    def describe(self) -> dict:
        """Counts a person checks first: levels, cells, places, exits."""
        return {
            "cell_size_m": self.cell_size,
            "levels": [
                {"index": lv.index, "name": lv.name, "rows": lv.height, "cols": lv.width,
                 "building": lv.building, "floor": lv.floor}
                for lv in self.levels
            ],
            "cells": self.n_cells,
            "walkable_cells": self.walkable_cells(),
            "places": len(self.places),
            "exit_cells": int((self.kind == Cell.EXIT).sum()),
            "doors": len(self.door_cells),
            "stair_links": int((self.up >= 0).sum()),
        }
