"""Cell kinds and door states: the vocabulary of the grid, as small integer codes."""

from __future__ import annotations

from enum import IntEnum

import numpy as np


class Cell(IntEnum):
    """What a grid cell is. Stored as uint8 in ``World.kind``."""

    WALL = 0
    FLOOR = 1
    DOOR = 2
    STAIRS = 3
    EXIT = 4  # stepping here leaves the map: the agent has escaped
    WINDOW = 5  # blocks walking, lets sight through
    GROUND = 6  # outdoor ground: streets, yards, courts
    OBSTACLE = 7  # furniture, cars, fences: blocks walking, lets sight through
    VOID = 8  # outside any building on an upper level: nothing there at all


#: kind -> can a person stand there (doors: when open or closed-but-unlocked)
WALKABLE = np.array([False, True, True, True, True, False, True, False, False], dtype=np.bool_)
#: kind -> does it stop a line of sight
OPAQUE = np.array([True, False, False, False, False, False, False, False, True], dtype=np.bool_)
#: kind -> extra cost factor of walking across it (stairs are slower)
COST_FACTOR = np.array([np.inf, 1.0, 1.0, 1.0, 1.0, np.inf, 1.0, np.inf, np.inf])


class Door(IntEnum):
    """State of a door cell. Stored as uint8 in ``World.door_state``."""

    OPEN = 0
    CLOSED = 1  # people open and pass; zombies cannot open it and batter it instead
    LOCKED = 2  # nobody passes; zombies batter it
    BARRICADED = 3  # nobody passes; zombies batter its hit points down
    BROKEN = 4  # battered down: open for good


#: door state -> passable for humans / for zombies
HUMAN_PASSES_DOOR = np.array([True, True, False, False, True], dtype=np.bool_)
ZOMBIE_PASSES_DOOR = np.array([True, False, False, False, True], dtype=np.bool_)


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
