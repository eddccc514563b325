"""A building plan before it is placed in a world: floors of cell kinds, named places, stairs.

``BuildingPlan`` is what the parser (``parse``) and the generators (``school``, ``town``) make
and what ``assemble`` stamps onto a ground level.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from hyosan.errors import FloorPlanError
from hyosan.world.cells import Cell


class FloorPlanWarning(UserWarning):
    """A plan parses but something in it cannot be reached (an exit, a place)."""


@dataclass
class PlaceSpec:
    """A named place of a plan: cells (rows, cols) on one floor, in that floor's own grid."""

    name: str
    kind: str
    floor: int
    rows: np.ndarray
    cols: np.ndarray


@dataclass
class BuildingPlan:
    """A building (or a site: yard, gym and building) before it is placed in a world.

    ``floors[0]`` is the ground floor and whatever ground the plan draws around it; it goes on
    level 0. ``origins[k]`` is the (row, col) of floor k's cell (0, 0) in the ground floor's
    grid; upper floors become their own levels over that spot.
    """

    name: str
    floors: list[np.ndarray]
    origins: list[tuple[int, int]]
    places: list[PlaceSpec] = field(default_factory=list)
    cell_size: float = 0.5
    stair_length: float = 6.0
    floor_names: list[str] | None = None
    #: per floor, per row: (line in the file, column offset) so errors can point at a character
    positions: list[list[tuple[int, int]]] | None = field(default=None, repr=False)
    source: str = "<generated>"
    #: per floor, the clear width of every cell in metres (float32; ``None``: full cells)
    widths: list[np.ndarray] | None = field(default=None, repr=False)

    @property
    def n_floors(self) -> int:
        return len(self.floors)

    @property
    def shape(self) -> tuple[int, int]:
        """(rows, cols) of the ground floor: the area the plan covers on level 0."""
        return self.floors[0].shape

    def floor_widths(self, k: int) -> np.ndarray:
        """Clear width (m) of every cell of floor k: ``cell_size`` unless the legend narrows it."""
        if self.widths is not None:
            return self.widths[k]
        return np.full(self.floors[k].shape, self.cell_size, dtype=np.float32)

    def level_name(self, k: int) -> str:
        if self.floor_names is not None:
            return self.floor_names[k]
        return f"{self.name} floor {k}"

    def where(self, floor: int, row: int, col: int) -> str:
        """Location of a cell for messages: file/line/column when parsed, else row/col."""
        if self.positions is not None:
            line, col0 = self.positions[floor][row]
            return f"{self.source}, floor {floor}, line {line}, column {col0 + col + 1}"
        return f"{self.source} ({self.name}), floor {floor}, row {row}, column {col}"

def check_stairs(plan: BuildingPlan) -> None:
    """Every stair cell must sit over or under a stair cell of the next or previous floor."""
    n = plan.n_floors
    for k in range(n):
        rows, cols = np.nonzero(plan.floors[k] == Cell.STAIRS)
        if len(rows) == 0:
            continue
        up = partner_mask(plan, k, k + 1, rows, cols)
        down = partner_mask(plan, k, k - 1, rows, cols)
        bad = np.flatnonzero(~(up | down))
        if len(bad) == 0:
            continue
        r, c = int(rows[bad[0]]), int(cols[bad[0]])
        if n == 1:
            what = "a stair in a one-floor plan has no floor to lead to"
        elif k == n - 1:
            what = f"stair on the top floor has no stair below it on floor {k - 1}"
        elif k == 0:
            what = f"stair has no partner on the next floor (floor {k + 1}) above it"
        else:
            what = (f"stair has no partner on the next floor (floor {k + 1}) nor on floor "
                    f"{k - 1} below it")
        raise FloorPlanError(what + " (stairs must line up across floors)",
                             where=plan.where(k, r, c))


def partner_mask(plan: BuildingPlan, k: int, j: int, rows: np.ndarray, cols: np.ndarray
                  ) -> np.ndarray:
    """Which stair cells (rows, cols) of floor k have a stair at the same spot on floor j."""
    if not 0 <= j < plan.n_floors:
        return np.zeros(len(rows), dtype=bool)
    (rk, ck), (rj, cj) = plan.origins[k], plan.origins[j]
    r2, c2 = rows + rk - rj, cols + ck - cj
    h, w = plan.floors[j].shape
    inside = (r2 >= 0) & (r2 < h) & (c2 >= 0) & (c2 < w)
    ok = np.zeros(len(rows), dtype=bool)
    ok[inside] = plan.floors[j][r2[inside], c2[inside]] == Cell.STAIRS
    return ok
