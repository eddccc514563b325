"""Police: officers not already fighting head for the outbreak (up to ``count`` of them)."""

from __future__ import annotations

import numpy as np

from hyosan.codes import IS_HUMAN, Alert, Mode, Role
from hyosan.rules.respond import register
from hyosan.rules.respond.context import Context
from hyosan.scenario.schema import Intervention


@register("police")
def police(ctx: Context, iv: Intervention) -> str:
    """Dispatch the living police officers (the first ``count`` by agent number if given)."""
    p = ctx.pop
    cops = np.flatnonzero((p.role == Role.POLICE) & IS_HUMAN[p.state] & (p.mode != Mode.FIGHT))
    if iv.count:
        cops = cops[: iv.count]
    p.mode[cops] = Mode.RESPOND
    p.plan[cops] = Mode.RESPOND
    p.alerted[cops] = Alert.ALARM
    return f"{len(cops)} police officers dispatched"
