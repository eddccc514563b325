"""Close one exit: the exit cells of a named place shut at a time; evacuees choose again."""

from __future__ import annotations

import numpy as np

from hyosan.codes import Cell
from hyosan.rules.respond import register
from hyosan.rules.respond.context import Context
from hyosan.scenario.schema import Intervention


@register("close_exit")
def close_exit(ctx: Context, iv: Intervention) -> str:
    """Close the exit cells inside ``iv.place`` and recompute the exit fields."""
    exits = np.intersect1d(np.flatnonzero(ctx.world.kind == Cell.EXIT),
                           ctx.world.places[iv.place].cells)
    ctx.world.close_exits(exits)
    ctx.exits_changed()
    return f"{len(exits)} exit cells closed"
