"""Text floor plans, one module per concern (see ``docs/floorplans.md``).

- ``plan``: ``BuildingPlan`` / ``PlaceSpec`` (a building before it is placed) and the stair check;
- ``header`` and ``parse``: the YAML document to a ``BuildingPlan``, errors at file/line/column;
- ``assemble``: plans stamped onto a ground level, upper floors as levels, stairs linked;
- ``reach``: places and exits the walkable region does not join (warnings);
- ``text``: a world written back as a document (round-trips through the parser).

The names other code uses are re-exported here, so ``from hyosan.world.floorplan import …``
works as it did when this was one file.
"""

from hyosan.world.floorplan.assemble import assemble, load_floorplan, parse_floorplan, plan_world
from hyosan.world.floorplan.header import KIND_NAMES
from hyosan.world.floorplan.parse import load_building, parse_building
from hyosan.world.floorplan.plan import BuildingPlan, FloorPlanWarning, PlaceSpec, check_stairs
from hyosan.world.floorplan.reach import unreachable, walkable_components, warn_unreachable
from hyosan.world.floorplan.text import floorplan_to_text, level_rows, narrow_legend

__all__ = [
    "KIND_NAMES", "BuildingPlan", "FloorPlanWarning", "PlaceSpec", "assemble", "check_stairs",
    "floorplan_to_text", "level_rows", "load_building", "load_floorplan", "narrow_legend",
    "parse_building", "parse_floorplan", "plan_world", "unreachable", "walkable_components",
    "warn_unreachable",
]
