"""Lockdown: the doors of the school's rooms are locked; people inside rooms stay hidden."""

from __future__ import annotations

from hyosan.codes import Door, Mode
from hyosan.rules.respond import register
from hyosan.rules.respond.context import Context, school_humans
from hyosan.scenario.schema import Intervention


@register("lockdown")
def lockdown(ctx: Context, iv: Intervention) -> str:
    """Lock every open or closed room door (at full strength); hide who is in a room."""
    p, w = ctx.pop, ctx.world
    doors = ctx.school_room_doors()
    hp = ctx.scenario.behaviour.door_strength
    for c in doors:
        if w.door_state[w.door_of[c]] in (Door.OPEN, Door.CLOSED):
            w.door_state[w.door_of[c]] = Door.LOCKED
            w.door_hp[w.door_of[c]] = hp
    ctx.doors_changed()
    who = school_humans(ctx)
    place = w.place_of[p.cell[who]]
    inside = who[ctx.hideable[place] & (place >= 0)]
    p.mode[inside] = Mode.HIDDEN
    p.plan[who] = Mode.HIDE
    return f"{len(doors)} doors locked"
