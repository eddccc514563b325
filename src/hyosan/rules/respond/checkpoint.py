"""Checkpoint: the cordon lets out, at a rate, the uninfected who reach its checkpoints."""

from __future__ import annotations

import numpy as np

from hyosan.codes import IS_HUMAN, Alert, Mode, State
from hyosan.rules.respond import register
from hyosan.rules.respond.context import Context, leave
from hyosan.scenario.schema import Intervention


@register("checkpoint")
def checkpoint(ctx: Context, iv: Intervention) -> str:
    """The checkpoints at ``iv.place`` open: the first firing orders every living person there
    to wait (the place becomes the gather place; those fleeing keep fleeing first). Then, at
    each firing, up to ``capacity`` (all without one) of the people standing there who are not
    bitten leave the quarantine (escaped), drawn at random; the bitten (infected not yet turned,
    and carriers) are turned back and stay. Fired ``every`` so often, ``capacity`` per firing is
    the checkpoints' rate."""
    p, w = ctx.pop, ctx.world
    k = list(w.places).index(iv.place)
    told = np.zeros(0, np.int64)
    if ctx.wait_place != k:  # the checkpoints open: the whole city is told
        told = np.flatnonzero(IS_HUMAN[p.state])
        ctx.set_gather(iv.place)
        p.plan[told] = Mode.ROOFTOP  # walk to the gather place, wait there
        p.alerted[told] = Alert.ALARM
        moving = told[p.mode[told] != Mode.FLEE]
        p.mode[moving] = Mode.ROOFTOP
    here = w.place_of[p.cell] == k
    humans = here & IS_HUMAN[p.state]
    clean = np.flatnonzero(humans & (p.state == State.SUSCEPTIBLE))
    refused = int(humans.sum()) - len(clean)
    if iv.capacity and len(clean) > iv.capacity:
        clean = np.sort(ctx.strike_rng.choice(clean, iv.capacity, replace=False))
    leave(ctx, clean, State.ESCAPED)
    for j in clean:
        ctx.record_event("escape", agent=int(j), cell=int(p.cell[j]), detail="checkpoint")
    return (f"{len(clean)} let out at {iv.place}, {refused} bitten turned back"
            + (f"; {len(told)} told to walk there" if len(told) else ""))
