"""Navigation fields: metres of walking from every cell to a set of targets, one row per set,
stacked so the kernels index them by row (``fields[goal[i], cell]``).

Rows: ``F_EXIT`` the exits, ``F_HIDE`` rooms to hide in, ``F_ROOF`` the rooftop, ``F_SCHOOL`` the
school (police head there), ``F_GATHER`` a place a response names, ``F_UP`` / ``F_DOWN`` stairs
leading up / down (zombies following a sound); then one row per exit the scenario assigns, then
one per exit the queue router weighs. Each is a Dijkstra over the whole world (about a second for
the 4 M-cell town).
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import numpy as np

from hyosan.world.cells import Cell
from hyosan.world.world import World

N_FIELDS = 7
F_EXIT, F_HIDE, F_ROOF, F_SCHOOL, F_GATHER, F_UP, F_DOWN = range(N_FIELDS)
NAMES = {F_EXIT: "exit", F_HIDE: "hide", F_ROOF: "rooftop", F_SCHOOL: "school",
         F_GATHER: "gather", F_UP: "stairs up", F_DOWN: "stairs down"}


def field_jobs(world: World, hideable: np.ndarray, assigned_exits: list[str],
               router_fields: list[tuple[int, np.ndarray]]
               ) -> dict[int, tuple[np.ndarray, np.ndarray]]:
    """Row → (target cells, cells one may walk) for every row that has targets; a row without
    targets stays ``inf`` (unreachable). Passability is taken now, at the start."""
    from hyosan.world.navigation import passable

    w = world
    ok_h = passable(w, "human")
    ok_any = passable(w, "any")
    hide = [pl.cells[np.isin(w.kind[pl.cells], (Cell.FLOOR, Cell.GROUND))]
            for k, pl in enumerate(w.places.values()) if hideable[k]]
    roofs = [pl.cells for pl in w.places.values() if pl.kind == "rooftop"]
    school = [pl.cells for pl in w.places.values()
              if pl.building and pl.level == 0 and pl.kind not in ("gate",)]
    jobs = [(F_EXIT, w.exits(), ok_h), (F_HIDE, np.concatenate(hide) if hide else None, ok_any),
            (F_ROOF, np.concatenate(roofs) if roofs else None, ok_h),
            (F_SCHOOL, np.concatenate(school) if school else None, ok_h),
            (F_UP, np.flatnonzero(w.up >= 0), ok_any),
            (F_DOWN, np.flatnonzero(w.down >= 0), ok_any)]
    jobs += [(N_FIELDS + k, w.places[e].cells, ok_h) for k, e in enumerate(assigned_exits)]
    jobs += [(k, cells, ok_h) for k, cells in router_fields]
    return {k: (t, ok) for k, t, ok in jobs if t is not None and len(t)}


class NavFields:
    """The stacked fields (``data``), computed from their jobs."""

    def __init__(self, world: World | None, n_rows: int, n_cells: int,
                 jobs: dict[int, tuple[np.ndarray, np.ndarray]] | None = None):
        self.world = world
        self.data = np.full((n_rows, n_cells), np.inf, dtype=np.float32)
        self._jobs = dict(jobs or {})  # rows not computed yet
        self._compute(list(self._jobs))

    def _compute(self, rows: list[int]) -> None:
        """Dijkstra for each row; two at a time (the kernel releases the GIL)."""
        from hyosan.world.navigation import distance_field

        jobs = [(k, *self._jobs.pop(k)) for k in rows]

        def one(job):
            k, targets, ok = job
            self.data[k] = distance_field(self.world, targets, ok=ok)

        if len(jobs) > 1:
            with ThreadPoolExecutor(max_workers=2) as pool:
                list(pool.map(one, jobs))
        else:
            for job in jobs:
                one(job)
