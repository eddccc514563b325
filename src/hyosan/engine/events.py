"""The per-tick event buffer kernels write into, and its one ``emit`` function.

Event kinds are ``hyosan.codes.Event``; the short names here (``BITE``, ``NAMES``) are kept for
the modules that import them."""

from __future__ import annotations

import numpy as np
from numba import njit

from hyosan.codes import EVENT_NAMES as NAMES
from hyosan.codes import Event

BITE, KILL, TURN, ESCAPE, DEATH, RISE, CARRIER, DOOR_BROKEN, HIDE, BARRICADE, ALERT = (
    int(e) for e in Event)

__all__ = ["ALERT", "BARRICADE", "BITE", "CARRIER", "DEATH", "DOOR_BROKEN", "ESCAPE", "HIDE",
           "KILL", "NAMES", "RISE", "TURN", "EventBuffer", "emit"]


class EventBuffer:
    """Preallocated arrays that kernels append to; drained by the recorder every tick."""

    def __init__(self, capacity: int):
        self.kind = np.zeros(capacity, dtype=np.int32)
        self.a = np.zeros(capacity, dtype=np.int32)
        self.b = np.zeros(capacity, dtype=np.int32)
        self.cell = np.zeros(capacity, dtype=np.int64)
        self.n = np.zeros(1, dtype=np.int64)

    def args(self):
        return self.kind, self.a, self.b, self.cell, self.n

    def drain(self):
        k = int(self.n[0])
        out = (self.kind[:k].copy(), self.a[:k].copy(), self.b[:k].copy(), self.cell[:k].copy())
        self.n[0] = 0
        return out


@njit(cache=True, inline="always")
def emit(kind, a, b, c, ev_kind, ev_a, ev_b, ev_cell, ev_n):
    """Append one event (kind, actor ``a``, other ``b``, cell ``c``); a full buffer drops it."""
    e = ev_n[0]
    if e < len(ev_kind):
        ev_kind[e] = kind
        ev_a[e] = a
        ev_b[e] = b
        ev_cell[e] = c
        ev_n[0] = e + 1
