"""A plain open grid of floor cells: the world of benchmarks and reference models."""

from __future__ import annotations

import numpy as np

from hyosan.world.cells import Cell
from hyosan.world.world import Level, Place, World


def grid_world(rows: int = 200, cols: int = 200, *, cell_size: float = 0.5,
               torus: bool = True) -> World:
    """One level of ``rows`` × ``cols`` floor cells, all in the place ``grid``.

    With ``torus`` the edges wrap around; without it the grid is walled by its edges.
    """
    n = rows * cols
    kind = np.full(n, Cell.FLOOR, dtype=np.uint8)
    level = Level(index=0, name="grid", height=rows, width=cols, offset=0)
    place = Place(name="grid", kind="grid", level=0, cells=np.arange(n, dtype=np.int64))
    return World(cell_size=cell_size, levels=[level], kind=kind,
                 up=np.full(n, -1, dtype=np.int64), down=np.full(n, -1, dtype=np.int64),
                 places={"grid": place}, torus=torus, name=f"grid {rows}x{cols}")
