"""Strike: a share of the zombies in an area is destroyed, and a share of the people killed."""

from __future__ import annotations

import numpy as np

from hyosan.codes import IS_HUMAN, State
from hyosan.rules.respond import register
from hyosan.rules.respond.context import Context, leave
from hyosan.scenario.schema import Intervention


@register("strike")
def strike(ctx: Context, iv: Intervention) -> str:
    """Each zombie in the struck area is destroyed with probability ``fraction``, each person
    killed with ``human_kill`` (the dead may rise after ``outbreak.rise_after``)."""
    p = ctx.pop
    here = ctx.area_mask(list(ctx.world.places).index(iv.place))[p.cell]
    z = np.flatnonzero(here & (p.state == State.ZOMBIE))
    hit = z[ctx.strike_rng.random(len(z)) < iv.fraction]
    leave(ctx, hit, State.DESTROYED)
    h = np.flatnonzero(here & IS_HUMAN[p.state])
    dead = h[ctx.strike_rng.random(len(h)) < iv.human_kill]
    p.timer[dead] = ctx.scenario.outbreak.rise_after
    leave(ctx, dead, State.DEAD)
    for j in dead:
        ctx.record_event("death", agent=int(j), cell=int(p.cell[j]), detail="strike")
    return f"{len(hit)} zombies destroyed, {len(dead)} people killed in {iv.place}"
