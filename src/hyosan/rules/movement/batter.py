"""Battering: zombies pressing on a shut door wear it down until it breaks."""

from __future__ import annotations

from numba import njit

from hyosan.codes import BATTERABLE, D_BROKEN, E_DOOR_BROKEN
from hyosan.engine.events import emit


@njit(cache=True)
def batter_doors(n, batter, door_of, door_state, door_hp, damage, stuck, ev_kind, ev_a, ev_b,
                 ev_cell, ev_n):
    """Zombies pressing on a shut door wear its hit points down; at zero it breaks.

    Battering is progress, not being stuck: it resets the zombie's stuck counter.
    """
    broke = 0
    for i in range(n):
        d = batter[i]
        if d < 0:
            continue
        stuck[i] = 0
        k = door_of[d]
        s = door_state[k]
        if not BATTERABLE[s]:
            continue  # open or broken already
        door_hp[k] -= damage
        if door_hp[k] <= 1e-6:
            door_state[k] = D_BROKEN
            door_hp[k] = 0.0
            broke += 1
            emit(E_DOOR_BROKEN, i, -1, d, ev_kind, ev_a, ev_b, ev_cell, ev_n)
    return broke
