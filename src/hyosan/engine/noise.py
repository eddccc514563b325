"""Noise: sounds that alert people and draw zombies (screams, fights, broken doors, alarms, lures).

Each sound has a place, a loudness, a radius and an end tick; at most one per 16-cell bucket is
kept (the loudest). Each tick the perceive phase marks, per perception bucket, the loudest sound
whose radius reaches it, once for human hearing and once for zombie hearing.
"""

from __future__ import annotations

import numpy as np

from hyosan.engine import buckets
from hyosan.engine import events as ev
from hyosan.world.world import World


class Noises:
    """The sounds still playing, and the buckets each one reaches (``h`` humans, ``z`` zombies)."""

    def __init__(self, n_buckets: int, dt: float, cell_size: float, zombie_ratio: float):
        self.dt = dt
        self.cell_size = cell_size
        #: zombies hear this much further than people (ratio of the two hearing ranges)
        self.zombie_ratio = zombie_ratio
        #: (level, row // 16, col // 16) → [level, row, col, loudness, radius_cells, until_tick]
        self.active: dict[tuple[int, int, int], list] = {}
        self.h = np.full(n_buckets, -1, np.int64)  # bucket → loudest noise people hear there
        self.z = np.full(n_buckets, -1, np.int64)  # bucket → loudest noise zombies hear there
        self.cell = np.zeros(1, np.int64)  # noise → its global cell

    def add(self, tick: int, level: int, row: int, col: int, loudness: float, radius_m: float,
            duration_s: float) -> None:
        """A sound from now for ``duration_s``; a louder one replaces a quieter one nearby,
        a quieter one only keeps the louder one playing longer."""
        key = (int(level), int(row) // 16, int(col) // 16)
        until = tick + int(duration_s / self.dt)
        old = self.active.get(key)
        if old is None or loudness >= old[3]:
            self.active[key] = [int(level), int(row), int(col), loudness,
                                radius_m / self.cell_size, until]
        else:
            old[5] = max(old[5], until)

    def add_at_place(self, tick: int, world: World, place: str, loudness: float,
                     radius_m: float, duration_s: float) -> None:
        """A sound from the middle cell of a place (alarms, broadcasts, lures)."""
        pl = world.places[place]
        lvl, r, c = world.rowcol(pl.cells[len(pl.cells) // 2])
        self.add(tick, int(lvl), int(r), int(c), loudness, radius_m, duration_s)

    def add_events(self, tick: int, world: World, kinds: np.ndarray, cells: np.ndarray,
                   hearing_m: float) -> None:
        """Bites, kills and broken doors from the kernels are heard round where they happened."""
        loud = (kinds == ev.BITE) | (kinds == ev.KILL) | (kinds == ev.DOOR_BROKEN)
        if loud.any():
            lvl, r, c = world.rowcol(cells[loud])
            for k, kind in enumerate(kinds[loud]):
                if kind == ev.BITE:
                    self.add(tick, lvl[k], r[k], c[k], 2.0, hearing_m, 15.0)
                elif kind == ev.KILL:
                    self.add(tick, lvl[k], r[k], c[k], 1.5, hearing_m * 0.7, 10.0)
                else:
                    self.add(tick, lvl[k], r[k], c[k], 3.0, hearing_m * 1.5, 10.0)

    def zones(self, tick: int, lvl_off: np.ndarray, lvl_w: np.ndarray, b_off: np.ndarray,
              b_w: np.ndarray, b_h: np.ndarray) -> None:
        """Drop finished sounds; mark the buckets the rest reach (``h``, ``z``, ``cell``)."""
        self.active = {k: v for k, v in self.active.items() if v[5] >= tick}
        if not self.active:
            self.h[:] = -1
            self.z[:] = -1
            self.cell = np.zeros(1, np.int64)
            return
        arr = np.array(list(self.active.values()), dtype=np.float64)
        lv = arr[:, 0].astype(np.int64)
        r = arr[:, 1].astype(np.int64)
        c = arr[:, 2].astype(np.int64)
        self.cell = lvl_off[lv] + r * lvl_w[lv] + c
        buckets.mark_noises(len(arr), lv, r, c, arr[:, 4], arr[:, 3], b_off, b_w, b_h,
                                 self.h)
        buckets.mark_noises(len(arr), lv, r, c, arr[:, 4] * self.zombie_ratio, arr[:, 3],
                                 b_off, b_w, b_h, self.z)
