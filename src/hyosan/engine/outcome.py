"""Outcome: what happened, for the record and the report — counts per tick, the event log,
places that fell, the agents table, named characters' fates and the run's summary.

What the run has counted so far is one typed object, ``Counters`` (built with the Simulation,
pickled with it in a checkpoint); the functions here read and fill it, and take what else they
read (the population, the world, the clock) as arguments: none of them sees the Simulation.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from hyosan.codes import MODE_NAMES, ON_MAP, ROLE_NAMES, STATE_NAMES, State
from hyosan.engine import events as ev
from hyosan.engine.doors import HIDEABLE_KINDS
from hyosan.engine.record import MemorySeries, count_states
from hyosan.population import Population
from hyosan.scenario.schema import Scenario
from hyosan.units import format_clock
from hyosan.world.world import World

#: place kinds whose fall is worth a line in the story
STORY_KINDS = HIDEABLE_KINDS - {"house", "apartment"} | {"gym", "rooftop", "corridor"}
S_ZOM = int(State.ZOMBIE)


@dataclass
class Counters:
    """What the run has counted: per state and per level (this tick), the time series, the
    events so far, the school's half-infected time, the places that fell."""

    by_state: np.ndarray  # agents per state, counted at the last record
    h_lvl: np.ndarray  # living humans per level
    z_lvl: np.ndarray  # zombies per level
    series: MemorySeries  # the counts over time (what ``run`` returns)
    school_members: np.ndarray  # agent -> a living human inside a building at the start
    n_school: int
    had_humans: np.ndarray  # place -> had a living human at some record
    kev: list[tuple] = field(default_factory=list)  # kernel events: (tick, kinds, a, b, cells)
    pev: list[tuple] = field(default_factory=list)  # events raised in Python
    school_news: bool = True  # bitten (or risen) since ``track_school`` last counted
    t_half_school: float | None = None
    fallen: set[int] = field(default_factory=set)  # places that fell

    @classmethod
    def new(cls, n_levels: int, n_places: int, school_members: np.ndarray) -> Counters:
        """Zero counts for a world of ``n_levels`` levels and ``n_places`` places."""
        return cls(by_state=np.zeros(len(State), np.int64),
                   h_lvl=np.zeros(n_levels, np.int64), z_lvl=np.zeros(n_levels, np.int64),
                   series=MemorySeries(n_levels), school_members=school_members,
                   n_school=int(school_members.sum()),
                   had_humans=np.zeros(n_places, dtype=bool))


def count(c: Counters, pop: Population, tick: int, time_s: float, writer: Any = None) -> None:
    """Counts per state (and humans and zombies per level) into the series and the writer."""
    count_states(pop.n, pop.state, pop.level, c.by_state, c.h_lvl, c.z_lvl)
    if writer is not None:
        writer.counts(tick, time_s, c.by_state, c.h_lvl, c.z_lvl)
    c.series.add(tick, c.by_state)


def drain_events(c: Counters, buf: ev.EventBuffer, tick: int) -> tuple | None:
    """Collect this tick's kernel events from ``buf``. Returns (kinds, cells, per-kind
    counts), or None when there were none (for the hearing of bites, kills, broken doors)."""
    if buf.n[0] == 0:
        return None
    kinds, a, b, cells = buf.drain()
    if len(kinds) == 0:
        return None
    c.kev.append((tick, kinds, a, b, cells))
    per_kind = np.bincount(kinds, minlength=len(ev.NAMES))
    if per_kind[ev.BITE] or per_kind[ev.RISE]:
        c.school_news = True
    return kinds, cells, per_kind


def record_event(c: Counters, tick: int, kind: str, *, agent: int = -1, other: int = -1,
                 cell: int = -1, place: str = "", detail: str = "") -> None:
    """An event raised outside the kernels (interventions, hiding, places falling)."""
    c.pev.append((tick, kind, agent, other, cell, place, detail))


def events_table(c: Counters, world: World, place_names: list[str], dt: float
                 ) -> dict[str, np.ndarray | list]:
    """Every event so far, in time order, as columns of ``events.parquet``."""
    ticks, kinds, a, b, cells, places, details = [], [], [], [], [], [], []
    for t, k, aa, bb, cc in c.kev:
        ticks.append(np.full(len(k), t, np.int64))
        kinds.append(np.asarray(ev.NAMES, dtype=object)[k])
        a.append(aa)
        b.append(bb)
        cells.append(cc)
        places.append(np.full(len(k), None, dtype=object))
        details.append(np.full(len(k), "", dtype=object))
    if c.pev:
        cols = list(zip(*c.pev, strict=True))
        ticks.append(np.array(cols[0], np.int64))
        kinds.append(np.array(cols[1], dtype=object))
        a.append(np.array(cols[2], np.int32))
        b.append(np.array(cols[3], np.int32))
        cells.append(np.array(cols[4], np.int64))
        places.append(np.array([p or None for p in cols[5]], dtype=object))
        details.append(np.array(cols[6], dtype=object))
    if not ticks:
        empty = np.zeros(0, np.int64)
        return {"tick": empty, "time_s": empty.astype(float), "kind": [], "agent": empty,
                "other": empty, "level": empty, "row": empty, "col": empty, "place": [],
                "detail": []}
    tick = np.concatenate(ticks)
    order = np.argsort(tick, kind="stable")
    cell = np.concatenate(cells)[order]
    place = np.concatenate(places)[order]
    lvl = np.full(len(cell), -1, np.int64)
    row = lvl.copy()
    col = lvl.copy()
    has = cell >= 0
    if has.any():
        lvl[has], row[has], col[has] = world.rowcol(cell[has])
        pi = world.place_of[cell[has]]
        named = np.array(place_names + [""], dtype=object)[np.where(pi >= 0, pi, -1)]
        sub = place[has]
        place[has] = np.where(sub == None, named, sub)  # noqa: E711
    place = np.where(place == None, "", place)  # noqa: E711
    tick = tick[order]
    return {"tick": tick, "time_s": tick * dt,
            "kind": np.concatenate(kinds)[order].tolist(),
            "agent": np.concatenate(a)[order].astype(np.int32),
            "other": np.concatenate(b)[order].astype(np.int32),
            "level": lvl.astype(np.int16), "row": row.astype(np.int32),
            "col": col.astype(np.int32), "place": place.tolist(),
            "detail": np.concatenate(details)[order].tolist()}


def track_school(c: Counters, pop: Population, time_s: float) -> None:
    """Note when half the school's people have been bitten (or turned without a bite)."""
    if c.n_school and c.t_half_school is None:
        # the count below rises only with a bite or a rise, each a kernel event
        # (``drain_events`` sets ``school_news``); checked at the first record too
        if not c.school_news:
            return
        c.school_news = False
        bitten = int((c.school_members & ~np.isnan(pop.bitten_at)).sum()) + \
            int((c.school_members & (pop.state == S_ZOM) & np.isnan(pop.bitten_at)).sum())
        if bitten * 2 >= c.n_school:
            c.t_half_school = time_s


def check_places(c: Counters, pop: Population, world: World, place_names: list[str],
                 place_kind: list[str], tick: int) -> None:
    """A place 'falls' when zombies there outnumber the living humans it had."""
    on = ON_MAP[pop.state]
    pl = world.place_of[pop.cell[on]]
    st = pop.state[on]
    ok = pl >= 0
    npl = len(place_names)
    hum = np.bincount(pl[ok & (st != State.ZOMBIE)], minlength=npl)
    zom = np.bincount(pl[ok & (st == State.ZOMBIE)], minlength=npl)
    c.had_humans |= hum > 0
    for k in np.flatnonzero(c.had_humans & (zom > hum) & (zom > 0)):
        if k not in c.fallen and place_kind[k] in STORY_KINDS:
            c.fallen.add(int(k))
            record_event(c, tick, "place_fell", place=place_names[k],
                         detail=f"{int(zom[k])} zombies, {int(hum[k])} people left")


def agent_table(pop: Population, scenario: Scenario, world: World, place_names: list[str]
                ) -> dict[str, np.ndarray | list]:
    """One row per agent: who, where they started and how they ended (``agents.parquet``)."""
    p = pop
    names = [scenario.named[k].name if k >= 0 else "" for k in p.named]
    lvl, r, c = world.rowcol(p.start_cell)
    home = [place_names[h] if h >= 0 else "" for h in p.home]
    return {
        "id": np.arange(p.n, dtype=np.int32),
        "role": [ROLE_NAMES[x] for x in p.role],
        "name": names, "group": p.group,
        "start_level": lvl.astype(np.int32), "start_row": r.astype(np.int32),
        "start_col": c.astype(np.int32), "start_place": home,
        "final_state": [STATE_NAMES[s] for s in p.state],
        "bitten_at_s": p.bitten_at, "turned_at_s": p.turned_at, "ended_at_s": p.ended_at,
        "bitten_by": p.bitten_by, "turn_delay_s": p.turn_delay.astype(np.float64),
    }


def fate(pop: Population, scenario: Scenario, world: World, place_names: list[str], j: int
         ) -> str:
    """What became of agent ``j``, in words (for named characters)."""
    p, sc = pop, scenario
    s = State(int(p.state[j]))
    clock = lambda t: format_clock(t, sc.clock.start)  # noqa: E731
    pl = int(world.place_of[p.cell[j]])
    where = f" in {place_names[pl]}" if pl >= 0 else ""
    if s == State.ESCAPED:
        return f"escaped at {clock(p.ended_at[j])}"
    if s == State.ZOMBIE:
        return f"bitten at {clock(p.bitten_at[j])}, turned at {clock(p.turned_at[j])}" \
            if not np.isnan(p.bitten_at[j]) else "a zombie"
    if s == State.DESTROYED:
        return f"turned, then destroyed at {clock(p.ended_at[j])}" \
            if not np.isnan(p.ended_at[j]) else "turned, then destroyed"
    if s == State.DEAD:
        return f"killed at {clock(p.ended_at[j])}"
    if s == State.CARRIER:
        return f"bitten at {clock(p.bitten_at[j])} but immune: a carrier{where}"
    if s == State.INFECTED:
        return f"bitten at {clock(p.bitten_at[j])}, not yet turned{where}"
    return f"alive{where} ({MODE_NAMES.get(int(p.mode[j]), '')})"


def summary(c: Counters, pop: Population, scenario: Scenario, world: World,
            place_names: list[str], *, seed: int | np.random.SeedSequence, dt: float,
            tick: int, named_idx: np.ndarray, responses: list, wall_time_s: float = 0.0
            ) -> dict:
    """The run in numbers: counts, named characters' fates, responses, speed."""
    p, sc = pop, scenario
    counts = {name: int(c.by_state[i]) for i, name in enumerate(STATE_NAMES)}
    named = {}
    for j in named_idx:
        nc = sc.named[p.named[j]]
        named[nc.name] = {"role": nc.role, "fate": fate(p, sc, world, place_names, int(j)),
                          "state": STATE_NAMES[p.state[j]], "agent": int(j)}
    return {
        "scenario": sc.name, "seed": int(seed) if not isinstance(
            seed, np.random.SeedSequence) else str(seed.entropy),
        "dt": dt, "ticks": tick, "duration_s": tick * dt,
        "start_clock_s": sc.clock.start, "agents": p.n, "counts": counts,
        "humans_alive": counts["susceptible"] + counts["infected"] + counts["carrier"],
        "escaped": counts["escaped"], "zombies": counts["zombie"],
        "destroyed": counts["destroyed"], "dead": counts["dead"],
        "school_population": c.n_school,
        # the building whose people ``time_to_half_school_infected_s`` counts, for labels
        # ("half the clinic infected"); None where the world has no building
        "building": next((lv.building for lv in world.levels if lv.building), None),
        "time_to_half_school_infected_s": c.t_half_school,
        "named": named, "responses": responses, "wall_time_s": wall_time_s,
        "agent_steps_per_s": (p.n * tick / wall_time_s) if wall_time_s > 0 else None,
    }
