"""Cell kinds and door states (re-exported from ``hyosan.codes``, the one vocabulary) and the
default legend of text floor plans."""

from __future__ import annotations

from hyosan.codes import (
    COST_FACTOR,
    HUMAN_PASSES_DOOR,
    OPAQUE,
    WALKABLE,
    ZOMBIE_PASSES_DOOR,
    Cell,
    Door,
)

__all__ = ["COST_FACTOR", "DEFAULT_LEGEND", "HUMAN_PASSES_DOOR", "OPAQUE", "WALKABLE",
           "ZOMBIE_PASSES_DOOR", "Cell", "Door"]

#: default legend of text floor plans: character -> cell kind (letters name places)
DEFAULT_LEGEND: dict[str, Cell] = {
    "#": Cell.WALL,
    ".": Cell.FLOOR,
    "D": Cell.DOOR,
    "S": Cell.STAIRS,
    "E": Cell.EXIT,
    "W": Cell.WINDOW,
    ",": Cell.GROUND,
    "o": Cell.OBSTACLE,
    " ": Cell.VOID,
}
