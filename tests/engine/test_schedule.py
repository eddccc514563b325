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
