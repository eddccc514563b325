"""Outcome: what happened, for the record and the report — counts per tick, the event log,
places that fell, the agents table, named characters' fates and the run's summary.

Functions of the Simulation, whose counters and event lists they read and fill.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from hyosan.codes import MODE_NAMES, ON_MAP, ROLE_NAMES, STATE_NAMES, Profile, State
from hyosan.engine import events as ev
from hyosan.engine.doors import HIDEABLE_KINDS
from hyosan.engine.record import count_states
from hyosan.units import format_clock

if TYPE_CHECKING:  # pragma: no cover
    from hyosan.engine.simulation import Simulation

#: place kinds whose fall is worth a line in the story
STORY_KINDS = HIDEABLE_KINDS - {"house", "apartment"} | {"gym", "rooftop", "corridor"}
S_ZOM = int(State.ZOMBIE)


def count(sim: Simulation) -> None:
    """Counts per state (and humans and zombies per level) into the series and the writer."""
    p = sim.pop
    count_states(sim.n, p.state, p.level, sim.by_state, sim.h_lvl, sim.z_lvl)
    if sim.writer is not None:
        sim.writer.counts(sim.tick, sim.time_s, sim.by_state, sim.h_lvl, sim.z_lvl)
    sim.series.add(sim.tick, sim.by_state)


def drain_events(sim: Simulation) -> None:
    """Collect this tick's kernel events; bites, kills and broken doors are heard."""
    if sim.buf.n[0] == 0:
        return
    kinds, a, b, cells = sim.buf.drain()
    if len(kinds) == 0:
        return
    sim._kev.append((sim.tick, kinds, a, b, cells))
    per_kind = np.bincount(kinds, minlength=len(ev.NAMES))
    if per_kind[ev.BITE] or per_kind[ev.RISE]:
        sim.school_news = True
    if sim.profile != Profile.FULL or not (per_kind[ev.BITE] or per_kind[ev.KILL] or
                                per_kind[ev.DOOR_BROKEN]):
        return  # (only those are heard)
    sim.noise.add_events(sim.tick, sim.world, kinds, cells, sim.scenario.behaviour.hearing)


def record_event(sim: Simulation, kind: str, *, agent: int = -1, other: int = -1, cell: int = -1,
                 place: str = "", detail: str = "") -> None:
    """An event raised outside the kernels (interventions, hiding, places falling)."""
    sim._pev.append((sim.tick, kind, agent, other, cell, place, detail))


def events_table(sim: Simulation) -> dict[str, np.ndarray | list]:
    """Every event so far, in time order, as columns of ``events.parquet``."""
    ticks, kinds, a, b, cells, places, details = [], [], [], [], [], [], []
    for t, k, aa, bb, cc in sim._kev:
        ticks.append(np.full(len(k), t, np.int64))
        kinds.append(np.asarray(ev.NAMES, dtype=object)[k])
        a.append(aa)
        b.append(bb)
        cells.append(cc)
        places.append(np.full(len(k), None, dtype=object))
        details.append(np.full(len(k), "", dtype=object))
    if sim._pev:
        cols = list(zip(*sim._pev, strict=True))
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
        lvl[has], row[has], col[has] = sim.world.rowcol(cell[has])
        pi = sim.world.place_of[cell[has]]
        named = np.array(sim.place_names + [""], dtype=object)[np.where(pi >= 0, pi, -1)]
        sub = place[has]
        place[has] = np.where(sub == None, named, sub)  # noqa: E711
    place = np.where(place == None, "", place)  # noqa: E711
    tick = tick[order]
    return {"tick": tick, "time_s": tick * sim.dt,
            "kind": np.concatenate(kinds)[order].tolist(),
            "agent": np.concatenate(a)[order].astype(np.int32),
            "other": np.concatenate(b)[order].astype(np.int32),
            "level": lvl.astype(np.int16), "row": row.astype(np.int32),
            "col": col.astype(np.int32), "place": place.tolist(),
            "detail": np.concatenate(details)[order].tolist()}


def track_school(sim: Simulation) -> None:
    """Note when half the school's people have been bitten (or turned without a bite)."""
    if sim.n_school and sim.t_half_school is None:
        # the count below rises only with a bite or a rise, each a kernel event
        # (``drain_events`` sets ``school_news``); checked at the first record too
        if not sim.school_news:
            return
        sim.school_news = False
        bitten = int((sim.school_members & ~np.isnan(sim.pop.bitten_at)).sum()) + \
            int((sim.school_members & (sim.pop.state == S_ZOM)
                 & np.isnan(sim.pop.bitten_at)).sum())
        if bitten * 2 >= sim.n_school:
            sim.t_half_school = sim.time_s


def check_places(sim: Simulation) -> None:
    """A place 'falls' when zombies there outnumber the living humans it had."""
    p, w = sim.pop, sim.world
    on = ON_MAP[p.state]
    pl = w.place_of[p.cell[on]]
    st = p.state[on]
    ok = pl >= 0
    npl = len(sim.place_names)
    hum = np.bincount(pl[ok & (st != State.ZOMBIE)], minlength=npl)
    zom = np.bincount(pl[ok & (st == State.ZOMBIE)], minlength=npl)
    sim.had_humans |= hum > 0
    for k in np.flatnonzero(sim.had_humans & (zom > hum) & (zom > 0)):
        if k not in sim.fallen and sim.place_kind[k] in STORY_KINDS:
            sim.fallen.add(int(k))
            record_event(sim, "place_fell", place=sim.place_names[k],
                              detail=f"{int(zom[k])} zombies, {int(hum[k])} people left")


def agent_table(sim: Simulation) -> dict[str, np.ndarray | list]:
    """One row per agent: who, where they started and how they ended (``agents.parquet``)."""
    p = sim.pop
    names = [sim.scenario.named[k].name if k >= 0 else "" for k in p.named]
    lvl, r, c = sim.world.rowcol(p.start_cell)
    home = [sim.place_names[h] if h >= 0 else "" for h in p.home]
    return {
        "id": np.arange(sim.n, dtype=np.int32),
        "role": [ROLE_NAMES[x] for x in p.role],
        "name": names, "group": p.group,
        "start_level": lvl.astype(np.int32), "start_row": r.astype(np.int32),
        "start_col": c.astype(np.int32), "start_place": home,
        "final_state": [STATE_NAMES[s] for s in p.state],
        "bitten_at_s": p.bitten_at, "turned_at_s": p.turned_at, "ended_at_s": p.ended_at,
        "bitten_by": p.bitten_by, "turn_delay_s": p.turn_delay.astype(np.float64),
    }


def fate(sim: Simulation, j: int) -> str:
    """What became of agent ``j``, in words (for named characters)."""
    p, sc = sim.pop, sim.scenario
    s = State(int(p.state[j]))
    clock = lambda t: format_clock(t, sc.clock.start)  # noqa: E731
    pl = int(sim.world.place_of[p.cell[j]])
    where = f" in {sim.place_names[pl]}" if pl >= 0 else ""
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


def summary(sim: Simulation, wall_time_s: float = 0.0) -> dict:
    """The run in numbers: counts, named characters' fates, responses, speed."""
    p, sc = sim.pop, sim.scenario
    counts = {name: int(sim.by_state[i]) for i, name in enumerate(STATE_NAMES)}
    named = {}
    for j in sim.named_idx:
        nc = sc.named[p.named[j]]
        named[nc.name] = {"role": nc.role, "fate": fate(sim, int(j)),
                          "state": STATE_NAMES[p.state[j]], "agent": int(j)}
    return {
        "scenario": sc.name, "seed": int(sim.seed) if not isinstance(
            sim.seed, np.random.SeedSequence) else str(sim.seed.entropy),
        "dt": sim.dt, "ticks": sim.tick, "duration_s": sim.time_s,
        "start_clock_s": sc.clock.start, "agents": sim.n, "counts": counts,
        "humans_alive": counts["susceptible"] + counts["infected"] + counts["carrier"],
        "escaped": counts["escaped"], "zombies": counts["zombie"],
        "destroyed": counts["destroyed"], "dead": counts["dead"],
        "school_population": sim.n_school,
        # the building whose people ``time_to_half_school_infected_s`` counts, for labels
        # ("half the clinic infected"); None where the world has no building
        "building": next((lv.building for lv in sim.world.levels if lv.building), None),
        "time_to_half_school_infected_s": sim.t_half_school,
        "named": named, "responses": sim.responder.log, "wall_time_s": wall_time_s,
        "agent_steps_per_s": (sim.n * sim.tick / wall_time_s) if wall_time_s > 0 else None,
    }
