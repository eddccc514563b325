"""World generators: the school (Hyosan High) and the town around it.

The code lives in ``school.py`` and ``town.py``; this module is the one place to import them
from (the scenario loader does).
"""

from hyosan.world.school import DEFAULT_SPECIAL_ROOMS, school, school_world
from hyosan.world.town import flagship_world, town

__all__ = ["DEFAULT_SPECIAL_ROOMS", "flagship_world", "school", "school_world", "town"]
