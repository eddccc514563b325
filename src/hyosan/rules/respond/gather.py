"""Gather: the school is told to gather at a named place (and wait there for rescue)."""

from __future__ import annotations

from hyosan.codes import Alert, Mode
from hyosan.rules.respond import register
from hyosan.rules.respond.context import Context, school_humans
from hyosan.scenario.schema import Intervention


@register("gather")
def gather(ctx: Context, iv: Intervention) -> str:
    """The place becomes the rooftop plan's target; all but those fleeing set off now."""
    p = ctx.pop
    ctx.set_gather(iv.place)
    who = school_humans(ctx)
    p.plan[who] = Mode.ROOFTOP
    p.alerted[who] = Alert.ALARM
    moving = who[p.mode[who] != Mode.FLEE]
    p.mode[moving] = Mode.ROOFTOP
    return f"{len(who)} people told to gather at {iv.place}"
