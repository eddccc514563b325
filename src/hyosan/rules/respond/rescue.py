"""Rescue: the living people at a place (up to ``capacity``) are taken away: escaped."""

from __future__ import annotations

import numpy as np

from hyosan.codes import IS_HUMAN, State
from hyosan.rules.respond import register
from hyosan.rules.respond.context import Context, leave
from hyosan.scenario.schema import Intervention


@register("rescue")
def rescue(ctx: Context, iv: Intervention) -> str:
    """Lift the people standing in ``iv.place`` (the first ``capacity`` by agent number)."""
    p, w = ctx.pop, ctx.world
    here = w.place_of[p.cell] == list(w.places).index(iv.place)
    who = np.flatnonzero(here & IS_HUMAN[p.state])
    if iv.capacity:
        who = who[: iv.capacity]
    leave(ctx, who, State.ESCAPED)
    for j in who:
        ctx.record_event("escape", agent=int(j), cell=int(p.cell[j]), detail="rescue")
    return f"{len(who)} people rescued from {iv.place}"
