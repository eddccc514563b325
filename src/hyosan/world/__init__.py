"""The world an outbreak happens in: grid levels, stairs, doors, places and navigation."""

from hyosan.world.cells import Cell, Door
from hyosan.world.world import Level, Place, World

__all__ = ["Cell", "Door", "Level", "Place", "World"]
