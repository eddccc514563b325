"""Navigation fields: metres of walking from every cell to a set of targets, one row per set,
stacked so the kernels index them by row (``fields[goal[i], cell]``).

Rows: ``F_EXIT`` the exits, ``F_HIDE`` rooms to hide in, ``F_ROOF`` the rooftop, ``F_SCHOOL`` the
school (police head there), ``F_GATHER`` a place a response names, ``F_UP`` / ``F_DOWN`` stairs
leading up / down (zombies following a sound); then one row per exit the scenario assigns, then
one per exit the queue router weighs. Each is a Dijkstra over the whole world (about a second for
the 4 M-cell town).

The rooftop, school and stairs rows are computed on first need, since many runs never use some
of them: until then a row is *pending* and holds NaN. ``ensure`` computes pending rows before a
kernel reads them: the decide phase asks for the rooftop and school rows when its rules may read
them this tick, and for every row an agent is about to walk by (``ensure_goals``). A pending row
is computed from the walls and doors as they were at the start, so it equals the row an eager
build would have made.
"""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

import numpy as np
from numba import njit

from hyosan.codes import IS_HUMAN, M_ZSTAIRS, S_ZOM, Cell
from hyosan.world.world import World

N_FIELDS = 7
F_EXIT, F_HIDE, F_ROOF, F_SCHOOL, F_GATHER, F_UP, F_DOWN = range(N_FIELDS)
#: rows computed on first need
LAZY = frozenset({F_ROOF, F_SCHOOL, F_UP, F_DOWN})
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
    """The stacked fields (``data``) and which rows are still pending."""

    def __init__(self, world: World | None, n_rows: int, n_cells: int,
                 jobs: dict[int, tuple[np.ndarray, np.ndarray]] | None = None,
                 lazy: frozenset[int] | set[int] = frozenset()):
        self.world = world
        self.data = np.full((n_rows, n_cells), np.inf, dtype=np.float32)
        self.pending = np.zeros(n_rows, dtype=np.bool_)
        self._jobs = dict(jobs or {})  # rows not computed yet
        #: (row, seconds) for each row computed after the build, in order
        self.log: list[tuple[int, float]] = []
        later = [k for k in self._jobs if k in lazy]
        self.data[later] = np.nan
        self.pending[later] = True
        self._compute([k for k in self._jobs if k not in lazy])
        self._need = np.zeros(n_rows, dtype=np.bool_)

    def _compute(self, rows: list[int]) -> None:
        """Dijkstra for each row; two at a time (the kernel releases the GIL)."""
        from hyosan.world.navigation import distance_field

        jobs = [(k, *self._jobs.pop(k)) for k in rows]

        def one(job):
            k, targets, ok = job
            # a job may make its row itself (the schedule's destinations, rules/schedule.py)
            self.data[k] = targets() if callable(targets) else \
                distance_field(self.world, targets, ok=ok)

        if len(jobs) > 1:
            with ThreadPoolExecutor(max_workers=2) as pool:
                list(pool.map(one, jobs))
        else:
            for job in jobs:
                one(job)
        self.pending[rows] = False

    def ensure(self, *rows: int) -> None:
        """Compute the pending ones among ``rows`` (the others are ready)."""
        todo = [int(k) for k in rows if self.pending[k]]
        if todo:
            t0 = time.perf_counter()
            self._compute(todo)
            dt = (time.perf_counter() - t0) / len(todo)
            self.log.extend((k, dt) for k in todo)

    def ensure_goals(self, state: np.ndarray, mode: np.ndarray, goal: np.ndarray) -> None:
        """Compute every pending row an agent is about to walk by (its ``goal``)."""
        if self.pending.any() and goal_rows(len(state), state, mode, goal, self.pending,
                                            self._need):
            self.ensure(*np.flatnonzero(self._need))


@njit(cache=True)
def goal_rows(n, state, mode, goal, pending, need):
    """Mark in ``need`` the pending rows some agent walks by: a living human's goal, or the
    stairs a zombie heads for (mode 23); the movement kernels read ``fields[goal]`` for them."""
    need[:] = False
    found = False
    for i in range(n):
        g = goal[i]
        if g < 0 or not pending[g]:
            continue
        s = state[i]
        if s == S_ZOM:
            if mode[i] != M_ZSTAIRS:
                continue  # a turned evacuee's old goal: zombies walk by it only to the stairs
        elif not IS_HUMAN[s]:
            continue
        need[g] = True
        found = True
    return found
