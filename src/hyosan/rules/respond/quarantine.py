"""Quarantine: a cordon closes every exit; evacuees choose again."""

from __future__ import annotations

import numpy as np

from hyosan.codes import Cell
from hyosan.rules.respond import register
from hyosan.rules.respond.context import Context
from hyosan.scenario.schema import Intervention


@register("quarantine")
def quarantine(ctx: Context, iv: Intervention) -> str:
    """Close all exit cells and recompute the exit fields."""
    exits = np.flatnonzero(ctx.world.kind == Cell.EXIT)
    ctx.world.close_exits(exits)
    ctx.exits_changed()
    return f"{len(exits)} exit cells closed"
