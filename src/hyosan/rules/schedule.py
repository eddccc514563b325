"""The day/night schedule: home at night, a place of work, school or errands by day.

Everyone the schedule covers has at least two places: their home (where they start) and the
place of their activity (``scenario.schedule.activities``). The timetable is three slots per
person, in structure-of-arrays form: ``slot_t[i]`` the seconds of the day each slot starts
(midnight, setting off, coming back) and ``slot_d[i]`` its destination, a place.

**Commutes are timed trips off the map** (not walked). When someone's slot changes they leave
their place: their cell is freed, their mode is ``Mode.COMMUTE`` (travelling) and they are
parked on the *limbo* cell (``Timetable.limbo``, a cell in the map's corner outside the
cordon that nobody can walk onto), so nobody sees or hears them, they see nobody, nothing
bites them and the frames draw them in no street. They are due at the destination after the
trip time: the street distance, the Manhattan distance in metres between the nearest pair of
the two places' doors (ground coordinates; ``STOREY_M`` more per storey climbed), divided by
their walking speed. When due they take a free cell of the destination drawn at random (up
to ``SEAT_TRIES`` draws, again the next tick if none was free: the walk from the door to
one's flat or desk is not simulated).

A trip is interrupted, and the traveller put down at the point of the trip they have reached
(on the straight line between the two doors, by the share of the trip time gone; the nearest
free outdoor cell to it: ``GROUND``, nobody on it) with ``decide`` in charge from then on,
when one of these reaches them (checked every tick, for the travellers only):

* an alert: ``alerted`` set by a response (alarm, broadcast, police orders, evacuate, gather,
  the checkpoints' call) — they are put down alerted, in the mode the response gave;
* a response changing their mode (the checkpoints' call sends everyone to wait there);
* the outbreak: a zombie on the ground level within the sight radius of the day or night
  (``behaviour.sight_day`` / ``sight_night``) of the trip's current point, walls or not (in
  the street one sees down the block); they are put down ``NOTICED`` and react as anyone who
  saw one. Zombies are found in the previous tick's buckets of the perceive phase;
* their own state: an infected traveller who turns is put down as a zombie there; one who is
  no longer on the map (killed by a strike, let out) is taken off the trip.

Nothing else reaches a traveller: no bite, no sound, no sight of them. If a slot changes
before the trip is over (a short errand), the trip goes on from the point reached to the
new destination.

The schedule switches people from a list of slot changes sorted by time of day (``ev_t``,
``ev_i``, ``ev_k``), advanced every tick to the clock: no scan over everyone each tick; the
travellers are a list of their own (``trav``). Anyone alerted (or seeing a zombie) leaves the
schedule to ``decide``: their later slot changes are skipped.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numba import njit

from hyosan.codes import (
    A_NONE,
    A_NOTICED,
    C_GROUND,
    IS_HUMAN,
    M_COMMUTE,
    M_ROUTINE,
    ON_MAP,
    S_ZOM,
    WALKABLE,
    State,
)
from hyosan.engine.rng import randint
from hyosan.errors import ScenarioError
from hyosan.population import Population, standable_cells
from hyosan.scenario.loader import field_line
from hyosan.scenario.schema import Scenario
from hyosan.world.world import World

DAY_S = 86400.0
#: draws for a free cell when someone arrives at their place; the draws' slot in the stream
SEAT_TRIES = 8
SEAT_SLOT = 0
#: metres of walking added to a trip per storey climbed or descended (a flight and a landing)
STOREY_M = 10.0
#: furthest (cells, Chebyshev) an interrupted traveller is put down from their point
DROP_REACH = 200


@dataclass
class Timetable:
    """The schedule of every agent (``slot_d[i, 0] < 0``: not scheduled) and their trips."""

    slot_t: np.ndarray  # (n, 3) float64: seconds of the day each slot starts
    slot_d: np.ndarray  # (n, 3) int32: destination of each slot, -1 not scheduled
    dest_place: np.ndarray  # int32: place index of each destination
    cur: np.ndarray  # int32: destination each agent is at or travelling to
    seat_start: np.ndarray  # int64 (n_dest + 1): where each destination's seats start
    seat_cells: np.ndarray  # int64: the standable cells of every destination, in order
    ent_start: np.ndarray  # int64 (n_dest + 1): where each destination's doors start
    ent_gr: np.ndarray  # int32: ground row of each door (level-0 coordinates)
    ent_gc: np.ndarray  # int32: ground column of each door
    ent_fl: np.ndarray  # int32: storey of each door
    ev_t: np.ndarray  # float64: the slot changes of the day, by time of day
    ev_i: np.ndarray  # int32: whose
    ev_k: np.ndarray  # int8: to which slot
    limbo: int  # the cell travellers are parked on
    # the trips (per agent; meaningful while ``away``)
    away: np.ndarray  # bool: travelling
    t0: np.ndarray  # float64: when the trip started (simulated seconds)
    t1: np.ndarray  # float64: when it is due
    gr0: np.ndarray  # float32: ground row where it started
    gc0: np.ndarray
    gr1: np.ndarray  # float32: ground row of the destination's door
    gc1: np.ndarray
    trav: np.ndarray  # int32: the travellers, trav[:n_trav]
    key: int = 0  # counter-based random stream of the seat draws
    n_trav: int = 0
    ptr: int = -1  # next slot change in ``ev_*`` (-1: before the first step)
    last_clock: float = 0.0
    trips: int = 0  # trips begun
    arrived: int = 0  # trips ended at the destination
    interrupted: int = 0  # trips ended on the way

    @property
    def n_dest(self) -> int:
        return len(self.dest_place)

    def step(self, sim) -> None:
        """Start, end and interrupt trips for this tick (``sim``: the Simulation)."""
        p, w, sc = sim.pop, sim.world, sim.scenario
        clock = (sc.clock.start + sim.time_s) % DAY_S
        if self.ptr < 0:  # the first step: slot changes since midnight happen now
            lo, hi, wrap = 0, int(np.searchsorted(self.ev_t, clock, side="right")), False
        elif clock >= self.last_clock:
            lo, hi, wrap = self.ptr, int(np.searchsorted(self.ev_t, clock, side="right")), False
        else:  # past midnight: the rest of yesterday, then today's from midnight
            lo, hi, wrap = self.ptr, int(np.searchsorted(self.ev_t, clock, side="right")), True
        night = clock >= sc.clock.dusk or clock < sc.clock.dawn
        sight = (sc.behaviour.sight_night if night else sc.behaviour.sight_day) / w.cell_size
        look = sim.by_state[S_ZOM] > 0 and hasattr(sim, "z_start")
        counts = schedule_step(
            sim.n, p.state, p.mode, p.goal, p.alerted, p.threat, p.cell, p.level, p.row, p.col,
            p.budget, p.stuck, p.speed, sim.occ, w.place_of, w.kind, sim.lvl_off, sim.lvl_h,
            sim.lvl_w, sim.lvl_or, sim.lvl_oc, self.slot_d, self.cur, self.dest_place,
            self.seat_start, self.seat_cells, self.ent_start, self.ent_gr, self.ent_gc,
            self.ent_fl, self.ev_i, self.ev_k, lo, hi, wrap, self.away, self.t0, self.t1,
            self.gr0, self.gc0, self.gr1, self.gc1, self.trav, self.n_trav, self.limbo,
            sim.time_s, float(w.cell_size), self.key, sim.tick, look,
            sim.z_start if look else self.seat_start, sim.z_items if look else self.trav,
            sim.b_off, sim.b_w, sim.b_h, sight)
        self.n_trav = int(counts[0])
        self.trips += int(counts[1])
        self.arrived += int(counts[2])
        self.interrupted += int(counts[3])
        self.ptr = hi
        self.last_clock = clock

    def travelling(self) -> int:
        """People on a trip now."""
        return self.n_trav

    def where(self, pop: Population, world: World) -> np.ndarray:
        """Per agent: 1 if standing in the place of their current destination."""
        return ((world.place_of[pop.cell] == self.dest_place[self.cur]) & ~self.away).astype(
            np.int8)

    def summary(self) -> dict:
        return {"trips": self.trips, "arrived": self.arrived, "interrupted": self.interrupted,
                "travelling": self.n_trav}


def entries(world: World, cells: np.ndarray, every: int) -> np.ndarray:
    """The cells one enters a place by: its door cells and the door cells beside its cells
    (8 neighbours, same level); a place without doors (a park) by its edge's standable cells,
    one in ``every``."""
    lv, r, c = world.rowcol(cells)
    own = np.zeros(world.n_cells, np.bool_)
    own[cells] = True
    out = [cells[world.door_of[cells] >= 0]]
    off, h, w = world.level_arrays()
    for dr in (-1, 0, 1):
        for dc in (-1, 0, 1):
            rr, cc = r + dr, c + dc
            ok = (rr >= 0) & (cc >= 0) & (rr < h[lv]) & (cc < w[lv])
            nb = off[lv[ok]] + rr[ok] * w[lv[ok]] + cc[ok]
            out.append(nb[world.door_of[nb] >= 0])
    doors = np.unique(np.concatenate(out))
    if len(doors):
        return doors.astype(np.int64)
    ok = standable_cells(world, cells)
    if len(ok) == 0:
        return cells[:1].astype(np.int64)
    _, r, c = world.rowcol(ok)
    edge = ok[(r == r.min()) | (r == r.max()) | (c == c.min()) | (c == c.max())]
    return edge[::max(1, every)].astype(np.int64)


def _limbo(world: World) -> int:
    """A cell of the ground's outer ring nobody can stand on or next to (the map's corner,
    outside the cordon), farthest from any walkable cell within 8 cells; the corner itself
    if none is."""
    off, h, w = world.level_arrays()
    walk = WALKABLE[world.kind[: h[0] * w[0]]].reshape(h[0], w[0])
    for r0, c0 in ((0, 0), (0, w[0] - 1), (h[0] - 1, 0), (h[0] - 1, w[0] - 1)):
        win = walk[max(0, r0 - 8): r0 + 9, max(0, c0 - 8): c0 + 9]
        if not win.any():
            return int(off[0] + r0 * w[0] + c0)
    return int(off[0])


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
    ents = [entries(world, world.places[names[pl]].cells,
                    max(1, int(round(18.0 / world.cell_size)))) for pl in dest_place]
    ent_start = np.zeros(len(ents) + 1, np.int64)
    ent_start[1:] = np.cumsum([len(x) for x in ents])
    ent = np.concatenate(ents) if ents else np.zeros(0, np.int64)
    lv, r, c = world.rowcol(ent)
    org = np.array([lvl.origin for lvl in world.levels], np.int64).reshape(-1, 2)
    floor = np.array([lvl.floor for lvl in world.levels], np.int64)
    # the day's slot changes (to slot 1 and to slot 2; midnight's is home to home), by time
    who = np.flatnonzero(slot_d[:, 0] >= 0)
    ev_t = np.concatenate([slot_t[who, 1], slot_t[who, 2]])
    ev_i = np.concatenate([who, who]).astype(np.int32)
    ev_k = np.repeat(np.array([1, 2], np.int8), len(who))
    order = np.lexsort((ev_k, ev_i, ev_t))
    cur = slot_d[:, 0].copy()
    return Timetable(
        slot_t=slot_t, slot_d=slot_d, dest_place=dest_place, cur=cur, seat_start=seat_start,
        seat_cells=np.concatenate(seats).astype(np.int64) if seats else np.zeros(0, np.int64),
        ent_start=ent_start, ent_gr=(r + org[lv, 0]).astype(np.int32),
        ent_gc=(c + org[lv, 1]).astype(np.int32), ent_fl=floor[lv].astype(np.int32),
        ev_t=ev_t[order], ev_i=ev_i[order], ev_k=ev_k[order], limbo=_limbo(world),
        away=np.zeros(n, np.bool_), t0=np.zeros(n), t1=np.zeros(n),
        gr0=np.zeros(n, np.float32), gc0=np.zeros(n, np.float32),
        gr1=np.zeros(n, np.float32), gc1=np.zeros(n, np.float32),
        trav=np.zeros(n, np.int32), key=np.uint64(seed_key))


@njit(cache=True)
def _take_seat(i, d, level, row, col, occ, seat_start, seat_cells, lvl_off, lvl_w, key, tick):
    """Someone arriving at destination ``d`` takes a free cell of it drawn at random (up to
    ``SEAT_TRIES`` draws); returns the cell, or -1 if every draw was taken."""
    a = seat_start[d]
    m = seat_start[d + 1] - a
    if m <= 0:
        return -1
    for k in range(SEAT_TRIES):
        c = seat_cells[a + randint(key, tick, i, SEAT_SLOT + k, m)]
        if occ[c] >= 0:
            continue
        occ[c] = i
        lv = 0
        while lv + 1 < lvl_off.shape[0] and c >= lvl_off[lv + 1]:
            lv += 1
        level[i] = lv
        row[i] = (c - lvl_off[lv]) // lvl_w[lv]
        col[i] = (c - lvl_off[lv]) % lvl_w[lv]
        return c
    return -1


@njit(cache=True)
def _door_pair(a, b, ent_start, ent_gr, ent_gc, ent_fl, cs):
    """The nearest pair of doors of destinations ``a`` and ``b``: (metres of street, door of
    ``a``, door of ``b``)."""
    best = np.inf
    ia = ent_start[a]
    ib = ent_start[b]
    for x in range(ent_start[a], ent_start[a + 1]):
        for y in range(ent_start[b], ent_start[b + 1]):
            m = cs * (abs(ent_gr[x] - ent_gr[y]) + abs(ent_gc[x] - ent_gc[y])) + \
                STOREY_M * abs(ent_fl[x] - ent_fl[y])
            if m < best:
                best = m
                ia = x
                ib = y
    return best, ia, ib


@njit(cache=True)
def _door_near(gr, gc, b, ent_start, ent_gr, ent_gc, ent_fl, cs):
    """The door of destination ``b`` nearest a ground point (on the street, storey 0)."""
    best = np.inf
    ib = ent_start[b]
    for y in range(ent_start[b], ent_start[b + 1]):
        m = cs * (abs(gr - ent_gr[y]) + abs(gc - ent_gc[y])) + STOREY_M * ent_fl[y]
        if m < best:
            best = m
            ib = y
    return best, ib


@njit(cache=True)
def _point(i, now, t0, t1, gr0, gc0, gr1, gc1):
    """The ground point a traveller has reached: on the line between the doors, by the share
    of the trip time gone."""
    f = 1.0 if t1[i] <= t0[i] else min(1.0, max(0.0, (now - t0[i]) / (t1[i] - t0[i])))
    return gr0[i] + f * (gr1[i] - gr0[i]), gc0[i] + f * (gc1[i] - gc0[i])


@njit(cache=True)
def drop_cell(pr, pc, occ, kind, h0, w0, off0, reach):
    """The free outdoor cell (``GROUND``, nobody on it) of the ground level nearest the point
    (pr, pc): the first Chebyshev ring round it that has one, the nearest (Euclidean) in it;
    -1 if none within ``reach`` rings."""
    r0 = int(np.floor(pr + 0.5))
    c0 = int(np.floor(pc + 0.5))
    for k in range(reach + 1):
        best = -1
        best_d = np.inf
        for r in range(r0 - k, r0 + k + 1):
            if r < 0 or r >= h0:
                continue
            edge = r == r0 - k or r == r0 + k
            step = 1 if edge or k == 0 else 2 * k
            c = c0 - k
            while c <= c0 + k:
                if 0 <= c < w0:
                    u = off0 + r * w0 + c
                    if kind[u] == C_GROUND and occ[u] < 0:
                        d = (r - pr) ** 2 + (c - pc) ** 2
                        if d < best_d:
                            best_d = d
                            best = u
                c += step
        if best >= 0:
            return best
    return -1


@njit(cache=True)
def _zombie_near(pr, pc, state, level, row, col, z_start, z_items, b_off, b_w, b_h, sight):
    """A zombie on the ground level within ``sight`` cells of the point (walls or not)."""
    reach = int(sight) // 16 + 1
    br0 = int(pr) // 16
    bc0 = int(pc) // 16
    for br in range(max(0, br0 - reach), min(b_h[0], br0 + reach + 1)):
        for bc in range(max(0, bc0 - reach), min(b_w[0], bc0 + reach + 1)):
            b = b_off[0] + br * b_w[0] + bc
            for t in range(z_start[b], z_start[b + 1]):
                j = z_items[t]
                if state[j] == S_ZOM and level[j] == 0 and \
                        (row[j] - pr) ** 2 + (col[j] - pc) ** 2 <= sight * sight:
                    return True
    return False


@njit(cache=True)
def schedule_step(n, state, mode, goal, alerted, threat, cell, level, row, col, budget, stuck,
                  speed, occ, place_of, kind, lvl_off, lvl_h, lvl_w, lvl_or, lvl_oc, slot_d,
                  cur, dest_place, seat_start, seat_cells, ent_start, ent_gr, ent_gc, ent_fl,
                  ev_i, ev_k, lo, hi, wrap, away, t0, t1, gr0, gc0, gr1, gc1, trav, n_trav,
                  limbo, now, cs, key, tick, look, z_start, z_items, b_off, b_w, b_h, sight):
    """One tick of the schedule: end or interrupt the trips under way, then start those of the
    slot changes ``lo:hi`` of the sorted list (with ``wrap``: ``lo:`` then ``:hi``). Returns
    (travellers, trips begun, arrived, interrupted)."""
    begun = 0
    arrived = 0
    stopped = 0
    h0 = lvl_h[0]
    # the trips under way: interrupted, due, or on
    k = 0
    while k < n_trav:
        i = trav[k]
        s = state[i]
        reached = not IS_HUMAN[s] or mode[i] != M_COMMUTE or alerted[i] != A_NONE
        if not reached and look:
            pr, pc = _point(i, now, t0, t1, gr0, gc0, gr1, gc1)
            if _zombie_near(pr - lvl_or[0], pc - lvl_oc[0], state, level, row, col, z_start,
                            z_items, b_off, b_w, b_h, sight):
                reached = True
                alerted[i] = A_NOTICED  # they saw the outbreak on their way
        done = False
        if reached:
            pr, pc = _point(i, now, t0, t1, gr0, gc0, gr1, gc1)
            c = drop_cell(pr - lvl_or[0], pc - lvl_oc[0], occ, kind, h0, lvl_w[0], lvl_off[0],
                          DROP_REACH)
            if c >= 0 or not ON_MAP[s]:
                if c >= 0:
                    cell[i] = c
                    level[i] = 0
                    row[i] = (c - lvl_off[0]) // lvl_w[0]
                    col[i] = (c - lvl_off[0]) % lvl_w[0]
                    if ON_MAP[s]:
                        occ[c] = i
                if mode[i] == M_COMMUTE:
                    mode[i] = M_ROUTINE
                goal[i] = -1
                done = True
                stopped += 1
        elif now >= t1[i]:
            d = cur[i]
            c = _take_seat(i, d, level, row, col, occ, seat_start, seat_cells, lvl_off, lvl_w,
                           key, tick)
            if c >= 0:  # (every draw taken: at the door, again next tick)
                cell[i] = c
                mode[i] = M_ROUTINE
                goal[i] = -1
                done = True
                arrived += 1
        if done:
            away[i] = False
            budget[i] = 0.0
            stuck[i] = 0
            n_trav -= 1
            trav[k] = trav[n_trav]  # (the last one takes this place: looked at next)
        else:
            k += 1
    # the slot changes due by now
    m = ev_i.shape[0]
    e = lo
    while True:
        if e >= (m if wrap else hi):
            if wrap:
                wrap = False
                e = 0
                continue
            break
        i = ev_i[e]
        kk = ev_k[e]
        e += 1
        if not IS_HUMAN[state[i]] or alerted[i] != A_NONE or threat[i] >= 0:
            continue  # decide's from here on
        mi = mode[i]
        if mi != M_ROUTINE and mi != M_COMMUTE:
            continue
        d = slot_d[i, kk]
        if d == cur[i]:
            continue
        if away[i]:  # still on the way: on from the point reached to the new place
            pr, pc = _point(i, now, t0, t1, gr0, gc0, gr1, gc1)
            metres, ib = _door_near(pr, pc, d, ent_start, ent_gr, ent_gc, ent_fl, cs)
            gr0[i] = pr
            gc0[i] = pc
        else:
            if place_of[cell[i]] == dest_place[d] or occ[cell[i]] != i:
                cur[i] = d
                continue  # already there (or in transit on a flight: stays)
            metres, ia, ib = _door_pair(cur[i], d, ent_start, ent_gr, ent_gc, ent_fl, cs)
            gr0[i] = ent_gr[ia]
            gc0[i] = ent_gc[ia]
            occ[cell[i]] = -1  # off the map
            cell[i] = limbo
            level[i] = 0
            row[i] = (limbo - lvl_off[0]) // lvl_w[0]
            col[i] = (limbo - lvl_off[0]) % lvl_w[0]
            mode[i] = M_COMMUTE
            goal[i] = -1
            away[i] = True
            trav[n_trav] = i
            n_trav += 1
        gr1[i] = ent_gr[ib]
        gc1[i] = ent_gc[ib]
        t0[i] = now
        t1[i] = now + metres / max(speed[i], 0.1)
        cur[i] = d
        begun += 1
    return n_trav, begun, arrived, stopped
