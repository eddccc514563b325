"""Lure: a loud sound played at a place draws zombies that hear it."""

from __future__ import annotations

from hyosan.rules.respond import register
from hyosan.rules.respond.context import Context
from hyosan.scenario.schema import Intervention

LOUDNESS = 10.0
#: heard this far when ``count`` does not say (metres), for this long unless ``every`` does
RADIUS_M, DURATION_S = 200.0, 600.0


@register("lure")
def lure(ctx: Context, iv: Intervention) -> str:
    """A sound at ``iv.place``, heard ``count`` metres round (default 200 m)."""
    ctx.add_noise_at_place(iv.place, loudness=LOUDNESS, radius_m=iv.count or RADIUS_M,
                           duration_s=iv.every or DURATION_S)
    return f"sound played at {iv.place}"
