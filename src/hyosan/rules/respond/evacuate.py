"""Evacuate: people are told to go to the exits, the rooftop or a named place."""

from __future__ import annotations

import numpy as np

from hyosan.codes import IS_HUMAN, Alert, Mode
from hyosan.rules.respond import register
from hyosan.rules.respond.context import Context, school_humans
from hyosan.scenario.schema import Intervention

#: ``target`` -> the plan it gives (a named place is walked to as the rooftop is)
PLAN = {"exits": Mode.EVACUATE, "rooftop": Mode.ROOFTOP, "place": Mode.ROOFTOP}


@register("evacuate")
def evacuate(ctx: Context, iv: Intervention) -> str:
    """The school (everyone, for a named place) takes the target as plan; all but those
    fleeing set off now."""
    p = ctx.pop
    who = school_humans(ctx) if iv.target != "place" else np.flatnonzero(IS_HUMAN[p.state])
    p.plan[who] = PLAN[iv.target]
    p.alerted[who] = Alert.ALARM
    moving = who[p.mode[who] != Mode.FLEE]
    p.mode[moving] = PLAN[iv.target]
    if iv.target == "place" and iv.place:
        ctx.set_gather(iv.place)
    where = iv.place if iv.target == "place" else iv.target
    return f"{len(who)} people told to go to the {where}"
