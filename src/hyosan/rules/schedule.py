"""The day/night schedule: home at night, a place of work, school or errands by day.

Everyone the schedule covers has at least two places: their home (where they start) and the
place of their activity (``scenario.schedule.activities``). The timetable is three slots per
person, in structure-of-arrays form: ``slot_t[i]`` the seconds of the day each slot starts
(midnight, setting off, coming back) and ``slot_d[i]`` its destination. A *destination* is a
place with one navigation field of its own (a row of the simulation's stacked fields, computed
on first need) leading to the place's cells: a commuter walks down it to the nearest door, and
on stepping in takes a free cell of the place drawn at random (the walk from the door to one's
flat or desk is not simulated: it is a step inside one building). So people in a place are
spread as at the start, never packed in from the door or the middle, and those deep inside
can leave when their time comes (a room filled solid from one side walls in its far end).

``schedule_step`` (one kernel, every tick, before decide) switches people whose slot changed
to ``Mode.COMMUTE`` toward the new destination and settles those who arrived. Anyone alerted
(or seeing a zombie) leaves the schedule to ``decide`` from that tick on. Nobody gives up on
the way (someone who stopped short in a street would block it for good): a commuter near their
place (within 1.5 × its radius plus 30 m) who has come no closer for ``settle_after`` seconds
counts as stuck (``Timetable.stuck``), a crowd at a door; further away a wait is a queue.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass

import numpy as np
from numba import njit

from hyosan.codes import IS_HUMAN, M_COMMUTE, M_ROUTINE, State
from hyosan.engine.rng import randint
from hyosan.errors import ScenarioError
from hyosan.population import Population, standable_cells
from hyosan.scenario.loader import field_line
from hyosan.scenario.schema import Scenario
from hyosan.world.world import World

DAY_S = 86400.0
#: draws for a free cell when someone walks into their place; the draws' slot in the stream
SEAT_TRIES = 8
SEAT_SLOT = 0


@dataclass
class Timetable:
    """The schedule of every agent (``slot_d[i, 0] < 0``: not scheduled) and the state of
    their commute."""

    slot_t: np.ndarray  # (n, 3) float64: seconds of the day each slot starts
    slot_d: np.ndarray  # (n, 3) int32: destination of each slot, -1 not scheduled
    dest_place: np.ndarray  # int32: place index of each destination
    cores: list[np.ndarray]  # target cells of each destination's field (its standable cells)
    cur: np.ndarray  # int32: destination each agent is at or heading for
    best: np.ndarray  # float32: nearest (metres of field) a commuter has come
    idle: np.ndarray  # int32: ticks a commuter has come no closer
    settle_ticks: int
    reach: np.ndarray  # float32: metres of field within which a commuter counts as arrived-ish
    seat_start: np.ndarray  # int64 (n_dest + 1): where each destination's seats start
    seat_cells: np.ndarray  # int64: the standable cells of every destination, in order
    key: int = 0  # counter-based random stream of the seat draws
    first_row: int = -1  # field row of destination 0 (set by ``attach``)
    _others: np.ndarray | None = None  # cells of every destination (made on first need)
    dest_row: np.ndarray | None = None  # int64: field row per destination

    @property
    def n_dest(self) -> int:
        return len(self.dest_place)

    def attach(self, first_row: int) -> None:
        """Give the destinations field rows ``first_row``, ``first_row + 1``, …"""
        self.first_row = first_row
        self.dest_row = np.arange(first_row, first_row + self.n_dest, dtype=np.int64)

    def jobs(self, world: World) -> dict[int, tuple[object, None]]:
        """Field row → (a function making the row, None), for ``NavFields`` (lazily)."""
        from functools import partial

        return {int(self.dest_row[d]): (partial(self.field, world, d), None)
                for d in range(self.n_dest)}

    def field(self, world: World, d: int) -> np.ndarray:
        """Destination ``d``'s field: metres to its core, going round the other places people
        stay in (every other destination: homes, workplaces, the school's rooms), never through
        them: a short cut through a building full of people standing is a jam, and nobody
        walks through a stranger's flat. Inside those places the field leads out by the
        nearest door (so people leave them), then on as outside."""
        from hyosan.world.navigation import distance_field, passable

        names = list(world.places)
        ok = passable(world, "human")
        if self._others is None:
            self._others = np.zeros(world.n_cells, np.bool_)
            for pl in self.dest_place:
                self._others[world.places[names[pl]].cells] = True
        own = world.places[names[self.dest_place[d]]].cells
        inner = self._others & ok
        inner[own] = False
        walk = ok & ~inner
        dist = distance_field(world, self.cores[d], ok=walk).astype(np.float64)
        off, h, w = world.level_arrays()
        _fill_inside(dist, inner, off, h, w, float(world.cell_size),
                     float(world.cell_size) * np.sqrt(2.0))
        return dist.astype(np.float32)

    def step(self, sim) -> None:
        """Switch slots and settle arrivals for this tick (``sim``: the Simulation)."""
        p, w, sc = sim.pop, sim.world, sim.scenario
        clock = (sc.clock.start + sim.time_s) % DAY_S
        schedule_step(sim.n, p.state, p.mode, p.goal, p.alerted, p.threat, p.cell, p.level,
                      p.row, p.col, p.budget, sim.occ, w.place_of, sim.fields, sim.lvl_off,
                      sim.lvl_h, sim.lvl_w, self.slot_t, self.slot_d, self.cur,
                      self.dest_place, self.dest_row, self.reach, self.best, self.idle, clock,
                      self.settle_ticks, self.seat_start, self.seat_cells, self.key, sim.tick,
                      1.01 * w.cell_size * np.sqrt(2.0))

    def stuck(self) -> int:
        """Commuters near their place who have come no closer for ``settle_after``."""
        return int((self.idle > self.settle_ticks).sum())

    def where(self, pop: Population, world: World) -> np.ndarray:
        """Per scheduled agent: 1 if standing in the place of their current destination."""
        return (world.place_of[pop.cell] == self.dest_place[self.cur]).astype(np.int8)


def _reach(world: World, cells: np.ndarray) -> float:
    """Metres of field within which a commuter is near a place: 1.5 × its radius plus 30 m."""
    ok = standable_cells(world, cells)
    if len(ok) == 0:
        return 30.0
    _, r, c = world.rowcol(ok)
    d = (r - r.mean()) ** 2 + (c - c.mean()) ** 2
    return 1.5 * float(np.sqrt(d.max())) * world.cell_size + 30.0


def _assign_nearest(home_rc: np.ndarray, cand_rc: np.ndarray, cap: np.ndarray) -> np.ndarray:
    """Each agent to the nearest candidate with room left (then the next nearest, …), agents
    served in order. Returns the candidate index per agent (-1: no room anywhere)."""
    d = ((home_rc[:, None, :] - cand_rc[None, :, :]) ** 2).sum(axis=2)
    order = np.argsort(d, axis=1, kind="stable")
    out = np.full(len(home_rc), -1, np.int64)
    left = cap.copy()
    for rank in range(cand_rc.shape[0]):
        todo = np.flatnonzero(out < 0)
        if len(todo) == 0:
            break
        want = order[todo, rank]
        for c in np.unique(want):
            mine = todo[want == c][: max(0, int(left[c]))]
            out[mine] = c
            left[c] -= len(mine)
    return out


def _assign_share(k: int, cap: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """``k`` agents (already shuffled) over candidates in proportion to their capacity."""
    quota = np.floor(k * cap / cap.sum()).astype(np.int64)
    rest = k - quota.sum()
    if rest:
        frac = k * cap / cap.sum() - quota
        quota[np.argsort(-frac, kind="stable")[:rest]] += 1
    return np.repeat(np.arange(len(cap)), quota)


def build(scenario: Scenario, world: World, pop: Population, seed_key: int, dt: float
          ) -> Timetable:
    """Everyone's timetable from ``scenario.schedule`` (homes are where they start)."""
    spec = scenario.schedule
    n = pop.n
    rng = np.random.default_rng(seed_key)
    names = list(world.places)
    from hyosan.codes import ROLE_NAMES

    eligible = (pop.state == State.SUSCEPTIBLE) & (pop.named < 0) & (pop.home >= 0)
    u = rng.random(n)
    act = np.full(n, -1, np.int64)
    cum: dict[int, float] = {}
    for k, a in enumerate(spec.activities):
        codes = [ROLE_NAMES.index(r) for r in a.roles]
        lo = np.array([cum.get(c, 0.0) for c in range(len(ROLE_NAMES))])
        for c in codes:
            cum[c] = cum.get(c, 0.0) + a.share
        hi = np.array([cum.get(c, 0.0) for c in range(len(ROLE_NAMES))])
        mine = eligible & (act < 0) & np.isin(pop.role, codes) & (u >= lo[pop.role]) & (
            u < hi[pop.role])
        act[mine] = k
    dest_of_place: dict[int, int] = {}

    def dest(place: int) -> int:
        return dest_of_place.setdefault(int(place), len(dest_of_place))

    slot_t = np.zeros((n, 3), np.float64)
    slot_d = np.full((n, 3), -1, np.int32)
    centroid = np.array([world.places[nm].centroid(world) for nm in names])
    for k, a in enumerate(spec.activities):
        who = np.flatnonzero(act == k)
        if len(who) == 0:
            continue
        cand = np.array([i for i, nm in enumerate(names) if world.places[nm].kind in
                         a.place_kinds], np.int64)
        where = f"{field_line(scenario, 'schedule', 'activities', k)}, field " \
                f"'schedule.activities[{k}]'"
        if len(cand) == 0:
            raise ScenarioError(f"no place of kinds {a.place_kinds} in this world", where=where)
        fill = spec.fill if a.fill is None else a.fill
        cap = np.array([int(fill * len(standable_cells(world, world.places[names[c]].cells)))
                        for c in cand], np.int64)
        if cap.sum() < len(who):
            raise ScenarioError(f"{len(who):,} people for {a.place_kinds} but those places hold "
                                f"only {cap.sum():,} (at fill {fill:g})", where=where)
        if a.nearest:
            pick = _assign_nearest(centroid[pop.home[who]], centroid[cand], cap)
        else:
            who = who[rng.permutation(len(who))]
            pick = _assign_share(len(who), cap, rng)
        place = cand[pick]
        leave = np.clip(rng.normal(a.leave, a.spread, len(who)), 0.0, DAY_S - 1200.0)
        back = np.clip(rng.normal(a.back, a.spread, len(who)), leave + 600.0, DAY_S - 1.0)
        slot_t[who, 1] = leave
        slot_t[who, 2] = back
        home_d = np.array([dest(h) for h in pop.home[who]], np.int32)
        slot_d[who, 0] = home_d
        slot_d[who, 1] = [dest(pl) for pl in place]
        slot_d[who, 2] = home_d
    dest_place = np.full(len(dest_of_place), -1, np.int32)
    for pl, d in dest_of_place.items():
        dest_place[d] = pl
    seats = [standable_cells(world, world.places[names[pl]].cells) for pl in dest_place]
    seat_start = np.zeros(len(seats) + 1, np.int64)
    seat_start[1:] = np.cumsum([len(x) for x in seats])
    cores = seats  # the field leads to the place's nearest cell: in by the nearest door
    reach = np.array([_reach(world, world.places[names[pl]].cells) for pl in dest_place],
                     np.float32)
    cur = slot_d[:, 0].copy()
    return Timetable(slot_t=slot_t, slot_d=slot_d, dest_place=dest_place, cores=cores, cur=cur,
                     reach=reach, seat_start=seat_start,
                     seat_cells=np.concatenate(seats).astype(np.int64) if seats else
                     np.zeros(0, np.int64), key=np.uint64(seed_key),
                     best=np.full(n, np.inf, np.float32), idle=np.zeros(n, np.int32),
                     settle_ticks=max(1, int(round(spec.settle_after / dt))))


@njit(cache=True)
def _fill_inside(dist, inner, off, h, w, step, diag):
    """Extend ``dist`` into the ``inner`` cells (Dijkstra within them, 8 neighbours), from
    every reached cell beside one: inside a place one walks to its nearest door, then on."""
    heap = [(0.0, np.int64(0))]
    heap.pop()
    n = dist.shape[0]
    nl = off.shape[0]
    for lv in range(nl):
        for r in range(h[lv]):
            for c in range(w[lv]):
                u = off[lv] + r * w[lv] + c
                if inner[u] or not np.isfinite(dist[u]):
                    continue
                for dr in range(-1, 2):
                    for dc in range(-1, 2):
                        rr = r + dr
                        cc = c + dc
                        if 0 <= rr < h[lv] and 0 <= cc < w[lv] and inner[off[lv] + rr * w[lv]
                                                                          + cc]:
                            heapq.heappush(heap, (dist[u], np.int64(u)))
    while len(heap) > 0:
        du, u = heapq.heappop(heap)
        if du > dist[u]:
            continue
        lv = 0
        while lv + 1 < nl and u >= off[lv + 1]:
            lv += 1
        r = (u - off[lv]) // w[lv]
        c = (u - off[lv]) % w[lv]
        for dr in range(-1, 2):
            for dc in range(-1, 2):
                if dr == 0 and dc == 0:
                    continue
                rr = r + dr
                cc = c + dc
                if rr < 0 or cc < 0 or rr >= h[lv] or cc >= w[lv]:
                    continue
                v = off[lv] + rr * w[lv] + cc
                if not inner[v]:
                    continue
                nd = du + (diag if dr != 0 and dc != 0 else step)
                if nd < dist[v]:
                    dist[v] = nd
                    heapq.heappush(heap, (nd, v))
    return n


@njit(cache=True)
def _take_seat(i, d, here, level, row, col, budget, occ, seat_start, seat_cells, lvl_off,
               lvl_w, key, tick):
    """Someone who walked into their place takes a free cell of it drawn at random (up to
    ``SEAT_TRIES`` draws; none free: they stay where they stand)."""
    a = seat_start[d]
    m = seat_start[d + 1] - a
    if m <= 0:
        return
    for k in range(SEAT_TRIES):
        c = seat_cells[a + randint(key, tick, i, SEAT_SLOT + k, m)]
        if occ[c] >= 0:
            continue
        occ[here] = -1
        occ[c] = i
        lv = 0
        while lv + 1 < lvl_off.shape[0] and c >= lvl_off[lv + 1]:
            lv += 1
        level[i] = lv
        row[i] = (c - lvl_off[lv]) // lvl_w[lv]
        col[i] = (c - lvl_off[lv]) % lvl_w[lv]
        return c
    return here


@njit(cache=True)
def schedule_step(n, state, mode, goal, alerted, threat, cell, level, row, col, budget, occ,
                  place_of, fields, lvl_off, lvl_h, lvl_w, slot_t, slot_d, cur, dest_place,
                  dest_row, reach, best, idle, clock, settle_ticks, seat_start, seat_cells, key,
                  tick, door_step):
    """Set off those whose slot changed, seat those who arrived; returns how many commute."""
    moving = 0
    for i in range(n):
        if slot_d[i, 0] < 0 or not IS_HUMAN[state[i]]:
            continue
        m = mode[i]
        if m != M_ROUTINE and m != M_COMMUTE:
            continue
        if alerted[i] != 0 or threat[i] >= 0:
            continue  # decide's from here on
        k = 0
        if clock >= slot_t[i, 2]:
            k = 2
        elif clock >= slot_t[i, 1]:
            k = 1
        d = slot_d[i, k]
        if d != cur[i]:
            cur[i] = d
            if m == M_ROUTINE and place_of[cell[i]] == dest_place[d]:
                continue  # already there (settled short last time, in the right place)
            mode[i] = M_COMMUTE
            m = M_COMMUTE
            goal[i] = dest_row[d]
            best[i] = np.inf
            idle[i] = 0
        if m != M_COMMUTE:
            continue
        g = goal[i]
        here = cell[i]
        if occ[here] != i:
            moving += 1
            continue  # on a stair flight
        f = fields[g, here]
        if place_of[here] == dest_place[d] or f <= door_step:
            # walked in (or onto its doorstep): to a free cell of the place. Seating people
            # from the doorstep keeps a one-cell door from locking between someone coming in
            # and someone going out, which the walking rules cannot pass there
            c = _take_seat(i, d, here, level, row, col, budget, occ, seat_start, seat_cells,
                           lvl_off, lvl_w, key, tick)
            cell[i] = c
            budget[i] = 0.0
            mode[i] = M_ROUTINE
            goal[i] = -1
            continue
        if f != f:
            moving += 1
            continue  # field still pending: decide computes it this tick
        if f < best[i] - 1e-3 or f > reach[d]:
            best[i] = min(f, best[i])  # far from the place a wait is a queue on the way
            idle[i] = 0
        else:
            idle[i] += 1  # near the place and no closer: a crowd at its door (``stuck``)
        moving += 1
    return moving
