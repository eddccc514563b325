"""Alarm, broadcast, fire alarm: everyone in the school is alerted; a sound from the source."""

from __future__ import annotations

from hyosan.codes import Alert, Mode
from hyosan.rules.respond import register
from hyosan.rules.respond.context import Context, school_humans
from hyosan.scenario.schema import Intervention

#: the alarm is heard this many times as far as a person's hearing, for a minute
LOUDNESS, HEARING_FACTOR, DURATION_S = 5.0, 3.0, 60.0


@register("alarm", "broadcast", "fire_alarm")
def alarm(ctx: Context, iv: Intervention) -> str:
    """Alert the school (a fire alarm also makes evacuation everyone's plan)."""
    p = ctx.pop
    who = school_humans(ctx)
    p.alerted[who] = Alert.ALARM
    if iv.action == "fire_alarm":
        p.plan[who] = Mode.EVACUATE
    src = iv.place or ctx.broadcast_place
    if src:
        ctx.add_noise_at_place(src, loudness=LOUDNESS,
                               radius_m=ctx.scenario.behaviour.hearing * HEARING_FACTOR,
                               duration_s=DURATION_S)
    return f"{len(who)} people in the school alerted"
