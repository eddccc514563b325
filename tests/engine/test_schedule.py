"""The day/night schedule moves people between their places: out to their activity when its
time comes, home again after, each to their own places."""

from __future__ import annotations

import numpy as np
import pytest

from hyosan.codes import Mode
from hyosan.engine.simulation import Simulation
from hyosan.scenario import apply_overrides, load_scenario


def quiet_city(activities: list[dict]):
    """A small city without outbreak or response, starting at 05:00."""
    sc = apply_overrides(load_scenario("hyosan-city"), {
        "world.city.scale": 0.01, "response": [], "outbreak.index_cases.0.turn_after": "5 d",
        "schedule.activities": activities})
    return sc


@pytest.fixture(scope="module")
def day():
    """Everyone but the police: out at 05:05 ± 1 min to the nearest shop or park, back at
    05:40 ± 1 min; positions sampled at 05:35 and 06:25."""
    sc = quiet_city([{"roles": ["resident", "student", "teacher"], "place_kinds": ["shop", "park"],
                      "nearest": True, "leave": "05:05", "back": "05:40", "spread": "1 min"}])
    sim = Simulation(sc)
    w, p = sim.world, sim.pop
    start = w.place_of[p.cell].copy()
    snaps = {}
    for minute in range(1, 86):
        for _ in range(int(60 / sim.dt)):
            sim.step()
        if minute in (35, 85):
            snaps[minute] = (w.place_of[p.cell].copy(), p.mode.copy())
    return sim, start, snaps


def test_everyone_has_two_places(day) -> None:
    sim, _, _ = day
    tt = sim.timetable
    sched = tt.slot_d[:, 0] >= 0
    assert sched.sum() >= 0.95 * sim.n
    home = tt.dest_place[tt.slot_d[sched, 0]]
    away = tt.dest_place[tt.slot_d[sched, 1]]
    assert np.all(home != away)
    assert np.array_equal(home, sim.pop.home[sched])


def test_out_by_day_and_home_again(day) -> None:
    sim, start, snaps = day
    tt = sim.timetable
    sched = np.flatnonzero(tt.slot_d[:, 0] >= 0)
    home = tt.dest_place[tt.slot_d[sched, 0]]
    away = tt.dest_place[tt.slot_d[sched, 1]]
    assert np.array_equal(start[sched], home)  # all at home at 05:00
    at35, mode35 = snaps[35]
    assert (at35[sched] == away).mean() > 0.9  # at their shop or park by 05:35
    at85, mode85 = snaps[85]
    assert (at85[sched] == home).mean() > 0.9  # and home again by 06:25
    assert (mode85[sched] == Mode.ROUTINE).mean() > 0.9


def test_each_goes_to_the_nearest_place_of_their_kind(day) -> None:
    sim, _, _ = day
    tt, w = sim.timetable, sim.world
    names = list(w.places)
    sched = np.flatnonzero(tt.slot_d[:, 0] >= 0)
    cand = [i for i, n in enumerate(names) if w.places[n].kind in ("shop", "park")]
    cen = np.array([w.places[names[i]].centroid(w) for i in cand])
    home = np.array([w.places[names[h]].centroid(w) for h in sim.pop.home[sched]])
    nearest = np.array(cand)[np.argmin(((home[:, None] - cen[None]) ** 2).sum(2), axis=1)]
    away = tt.dest_place[tt.slot_d[sched, 1]]
    # the nearest unless it was full (then the next nearest): most get their nearest
    assert (away == nearest).mean() > 0.5


def test_alerted_people_leave_the_schedule() -> None:
    sc = quiet_city([{"roles": ["resident", "student", "teacher"], "place_kinds": ["office"],
                      "leave": "05:01", "back": "23:00", "spread": "10 s"}])
    sim = Simulation(sc)
    p = sim.pop
    for _ in range(int(120 / sim.dt)):
        sim.step()
    commuting = np.flatnonzero(p.mode == Mode.COMMUTE)
    assert len(commuting) > 100
    p.alerted[commuting[:50]] = 2  # an alarm reaches fifty of them
    sim.step()
    assert not np.any(p.mode[commuting[:50]] == Mode.COMMUTE)
    assert (p.mode[commuting[50:]] == Mode.COMMUTE).mean() > 0.95  # a few arrive this tick
    assert np.all(np.isin(p.mode[commuting[:50]], [Mode.HIDE, Mode.HIDDEN]))  # on_alert: hide


# ------------------------------------------------------------------ trips off the map
def _doors(w, cells: np.ndarray) -> np.ndarray:
    """Door cells in a place or beside one of its cells (8 neighbours, same level)."""
    lv, r, c = w.rowcol(cells)
    off, h, wd = w.level_arrays()
    out = set()
    for dr in (-1, 0, 1):
        for dc in (-1, 0, 1):
            rr, cc = r + dr, c + dc
            ok = (rr >= 0) & (cc >= 0) & (rr < h[lv]) & (cc < wd[lv])
            nb = off[lv[ok]] + rr[ok] * wd[lv[ok]] + cc[ok]
            out.update(int(x) for x in nb[w.door_of[nb] >= 0])
    return np.array(sorted(out), np.int64)


def _street_m(w, a: np.ndarray, b: np.ndarray) -> float:
    """Metres of street between the nearest pair of doors: Manhattan in ground coordinates,
    plus STOREY_M a storey (the definition in rules/schedule.py)."""
    from hyosan.rules.schedule import STOREY_M

    def ground(cells):
        lv, r, c = w.rowcol(cells)
        org = np.array([w.levels[k].origin for k in lv]).reshape(-1, 2)
        fl = np.array([w.levels[k].floor for k in lv])
        return r + org[:, 0], c + org[:, 1], fl

    ra, ca, fa = ground(a)
    rb, cb, fb = ground(b)
    m = w.cell_size * (np.abs(ra[:, None] - rb[None]) + np.abs(ca[:, None] - cb[None])) + \
        STOREY_M * np.abs(fa[:, None] - fb[None])
    return float(m.min())


@pytest.fixture(scope="module")
def office_day():
    """Residents, students and teachers to an office at 05:02 ± 1 min and home at 05:30
    ± 1 min; every 20 s: who is where, who travels, and when their trip is due."""
    sc = quiet_city([{"roles": ["resident", "student", "teacher"], "place_kinds": ["office"],
                      "leave": "05:02", "back": "05:30", "spread": "1 min"}])
    sim = Simulation(sc)
    tt = sim.timetable
    snaps = []
    for _ in range(int(3600 / 20)):
        for _ in range(int(20 / sim.dt)):
            sim.step()
        snaps.append((sim.time_s, sim.world.place_of[sim.pop.cell].copy(), tt.away.copy(),
                      tt.t0.copy(), tt.t1.copy()))
    return sim, snaps


def test_at_the_place_the_slot_names_or_travelling_within_the_trip_time(office_day) -> None:
    """At time T each scheduled person stands in the place their slot names, or travels to
    it, set off when the slot began, due after the street distance / their walking speed."""
    sim, snaps = office_day
    tt, w, p = sim.timetable, sim.world, sim.pop
    sc = sim.scenario
    sched = np.flatnonzero(tt.slot_d[:, 0] >= 0)
    names = list(w.places)
    doors = {}

    def door(d):
        pl = int(tt.dest_place[d])
        if pl not in doors:
            doors[pl] = _doors(w, w.places[names[pl]].cells)
        return doors[pl]

    trip_s = {}  # (person, slot) -> trip time from the previous slot's place, by definition
    for i in sched[:: max(1, len(sched) // 300)]:
        for k in (1, 2):
            a, b = tt.slot_d[i, k - 1], tt.slot_d[i, k]
            trip_s[(i, k)] = _street_m(w, door(a), door(b)) / float(p.speed[i])
    travelled = 0
    for t, place, away, t0, t1 in snaps:
        clock = sc.clock.start + t - sim.dt  # the clock of the last tick stepped
        for (i, k), s in trip_s.items():
            now_k = 2 if clock >= tt.slot_t[i, 2] else (1 if clock >= tt.slot_t[i, 1] else 0)
            if now_k != k:
                continue
            began = sc.clock.start + t0[i]
            if away[i]:
                travelled += 1
                # set off at the first tick of the slot (of the run, for a slot begun
                # before 05:00), due a trip time later; seated then, or a tick or two later
                # if every draw of a seat was taken (0.45 ** 8 a tick at this fill)
                due = max(tt.slot_t[i, k], sc.clock.start)
                assert due <= began < due + sim.dt + 1e-6
                assert t1[i] - t0[i] == pytest.approx(s, rel=1e-5)
                assert clock - began < s + 2 * sim.dt
            else:
                assert place[i] == tt.dest_place[tt.slot_d[i, k]]
    assert travelled > 100  # the check saw people on the way


def test_travellers_are_off_the_map(office_day) -> None:
    """Nobody on a trip holds a cell; they all wait on the limbo cell, which nobody can walk
    onto; and the schedule needs no navigation rows of its own."""
    from hyosan.codes import WALKABLE

    sim, _ = office_day
    tt, p = sim.timetable, sim.pop
    sc = apply_overrides(load_scenario("hyosan-city"), {"world.city.scale": 0.01})
    plain = Simulation(sc.model_copy(update={"schedule": None}))
    assert sim.fields.shape[0] == plain.fields.shape[0]
    # a fresh run to the middle of the morning trips
    sim2 = Simulation(quiet_city([{"roles": ["resident"], "place_kinds": ["office"],
                                   "leave": "05:01", "back": "23:00", "spread": "10 s"}]))
    for _ in range(int(90 / sim2.dt)):
        sim2.step()
    tt2, p2 = sim2.timetable, sim2.pop
    away = np.flatnonzero(tt2.away)
    assert len(away) > 100
    assert not np.isin(away, sim2.occ).any()
    assert np.all(p2.cell[away] == tt2.limbo)
    assert not WALKABLE[sim2.world.kind[tt2.limbo]]
    assert np.all(p2.mode[away] == Mode.COMMUTE)
    assert tt.summary()["trips"] > 0 and p.n == sim.n


def test_the_outbreak_reaches_a_traveller_on_the_way() -> None:
    """A zombie within sight of the point a traveller has reached stops the trip: they are
    put down, alerted, on the free outdoor cell nearest that point (the first ring that has
    one: within √2 of the nearest)."""
    from hyosan.codes import Cell, State

    sim = Simulation(quiet_city([{"roles": ["resident"], "place_kinds": ["office"],
                                  "leave": "05:01", "back": "23:00", "spread": "10 s"}]))
    for _ in range(int(80 / sim.dt)):
        sim.step()
    tt, p, w = sim.timetable, sim.pop, sim.world
    away = np.flatnonzero(tt.away & (tt.t1 - sim.time_s > 120))
    i = int(away[np.argmax(tt.t1[away])])
    f = (sim.time_s + 2 * sim.dt - tt.t0[i]) / (tt.t1[i] - tt.t0[i])  # where, two ticks on
    pr = tt.gr0[i] + f * (tt.gr1[i] - tt.gr0[i])
    pc = tt.gc0[i] + f * (tt.gc1[i] - tt.gc0[i])
    # a police officer (not scheduled) turns, on a free outdoor cell 3-7 m from that point
    # (sight at night, before 06:10: 8 m)
    z = int(np.flatnonzero(tt.slot_d[:, 0] < 0)[0])
    lv, r, c = w.rowcol(np.arange(w.level_arrays()[0][1] if w.n_levels > 1 else w.n_cells))
    d2 = (r - pr) ** 2 + (c - pc) ** 2
    free = (w.kind[: len(r)] == Cell.GROUND) & (sim.occ[: len(r)] < 0) & (lv == 0)
    spot = int(np.flatnonzero(free & (d2 * w.cell_size ** 2 > 9) & (
        d2 * w.cell_size ** 2 < 49))[0])
    sim.occ[p.cell[z]] = -1
    sim.occ[spot] = z
    p.cell[z], p.level[z], p.row[z], p.col[z] = spot, 0, r[spot], c[spot]
    p.state[z] = State.ZOMBIE
    p.mode[z] = Mode.ZWANDER
    for _ in range(3):  # counted, then in the perceive phase's buckets, then seen
        t_before = sim.time_s
        free_before = free & (sim.occ[: len(r)] < 0)
        away_before = np.flatnonzero(tt.away)
        sim.step()
        if not tt.away[i]:
            break
    assert not tt.away[i] and p.alerted[i] > 0
    f = (t_before - tt.t0[i]) / (tt.t1[i] - tt.t0[i])
    pr = tt.gr0[i] + f * (tt.gr1[i] - tt.gr0[i])
    pc = tt.gc0[i] + f * (tt.gc1[i] - tt.gc0[i])
    put = sim.prev_cell[i]  # where they were put down (before this tick's move)
    assert w.kind[put] == Cell.GROUND
    others = away_before[(away_before != i) & ~tt.away[away_before]]
    free_before[sim.prev_cell[others]] = False  # (put down in the same tick, before them)
    nearest = np.sqrt(((r[free_before] - pr) ** 2 + (c[free_before] - pc) ** 2).min())
    assert np.hypot(r[put] - pr, c[put] - pc) <= np.sqrt(2) * nearest + 1e-6
