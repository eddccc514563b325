"""Event codes written by kernels into a per-tick buffer, and their names in events.parquet."""

from __future__ import annotations

import numpy as np

BITE, KILL, TURN, ESCAPE, DEATH, RISE, CARRIER, DOOR_BROKEN, HIDE, BARRICADE, ALERT = range(11)
NAMES = ["bite", "kill", "turn", "escape", "death", "rise", "carrier", "door_broken", "hide",
         "barricade", "alert"]


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
