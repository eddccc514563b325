"""Navigation fields for the rooftop, the school and the stairs are computed on first need:
never when a run does not need them, and then equal to the ones an eager build makes."""

from __future__ import annotations

import numpy as np
import pytest
from tests.engine.conftest import EVACUATE_ONE, plan_world, scenario

from hyosan import Simulation, load_scenario
from hyosan.engine import state as st
from hyosan.engine.fields import F_DOWN, F_ROOF, F_SCHOOL, F_UP, LAZY
from hyosan.population import Mode
from hyosan.rules import decide as decide_mod
from hyosan.scenario import apply_overrides
from hyosan.states import Role, State

ROOF_BESIDE = """
###########
#aaa.....E#
#aaa......#
#.........#
#rrr......#
###########
"""


def _eager(sim: Simulation) -> Simulation:
    """The same simulation with every field computed at the build, as before."""
    sim.nav.ensure(*np.flatnonzero(sim.nav.pending))
    assert not sim.nav.pending.any()
    return sim


def test_evacuation_that_never_needs_the_rooftop_does_not_compute_it():
    world = plan_world([ROOF_BESIDE], {"a": ("start", "room"), "r": ("roof", "rooftop")})
    sim = Simulation(scenario(EVACUATE_ONE.format(count=6, speed=1.3, duration=30)), world=world)
    assert sim.nav.pending[F_ROOF], "the rooftop has cells, so its field waits until needed"
    assert np.isnan(sim.fields[F_ROOF]).all()
    sim.run()
    assert (sim.pop.state == State.ESCAPED).all()
    assert sim.nav.pending[F_ROOF] and sim.nav.log == []


def test_build_leaves_rooftop_school_and_stairs_for_later():
    sim = Simulation(load_scenario("school-outbreak"))  # the flagship's school, no town
    assert all(sim.nav.pending[k] for k in LAZY)
    assert not sim.nav.pending[:F_ROOF].any()  # exits and hiding rooms are needed at once


def _school(responses: list[dict], turn_after: float = 3600.0):
    sc = load_scenario("school-outbreak")
    data = sc.model_dump(mode="json")
    data["outbreak"]["index_cases"][0]["turn_after"] = turn_after
    data["response"] = responses
    return type(sc).model_validate(data)


def test_response_sending_people_to_the_rooftop_gets_the_eager_field():
    sc = _school([{"action": "evacuate", "at": 2.0, "target": "rooftop"}])
    sim = Simulation(sc)
    eager = _eager(Simulation(sc))
    for _ in range(5):
        sim.step()
    assert sim.nav.pending[F_ROOF], "nobody has been told yet"
    for _ in range(10):
        sim.step()
    assert not sim.nav.pending[F_ROOF]
    assert [k for k, _ in sim.nav.log] == [F_ROOF]
    assert np.array_equal(sim.fields[F_ROOF], eager.fields[F_ROOF])
    walking = sim.pop.mode == Mode.ROOFTOP
    assert walking.sum() > 100 and (sim.pop.goal[walking] == F_ROOF).all()


def test_police_response_gets_the_school_field():
    sc = _school([{"action": "police", "at": 1.0}])
    sim = Simulation(sc)
    sim.pop.role[:5] = Role.POLICE  # the school has no police: five people play them here
    eager = _eager(Simulation(sc))
    for _ in range(5):
        sim.step()
    assert sim.nav.pending[F_SCHOOL]
    for _ in range(3):
        sim.step()
    assert (sim.pop.plan[:5] == Mode.RESPOND).all()
    assert not sim.nav.pending[F_SCHOOL]
    assert np.array_equal(sim.fields[F_SCHOOL], eager.fields[F_SCHOOL])


def test_zombie_following_a_sound_upstairs_gets_the_stairs_field():
    sim = Simulation(_school([]))
    eager = _eager(Simulation(_school([])))
    z = 0
    sim.pop.state[z] = State.ZOMBIE
    sim.pop.mode[z] = Mode.ZSTAIRS
    sim.pop.goal[z] = F_UP
    upstairs = np.flatnonzero(sim.pop.level > sim.pop.level[z])
    sim.pop.target[z] = sim.pop.cell[upstairs[0]]  # someone it heard on a floor above
    sim.decide()  # the last phase before the move phase walks it down fields[goal]
    assert not sim.nav.pending[F_UP] and sim.nav.pending[F_DOWN]
    assert np.array_equal(sim.fields[F_UP], eager.fields[F_UP])


def test_field_read_before_it_is_computed_is_an_error(monkeypatch):
    sim = Simulation(_school([]))
    monkeypatch.setattr(decide_mod, "fields_needed", lambda *a: (False, False))
    p = sim.pop
    p.alerted[0] = 2
    p.mode[0] = p.plan[0] = Mode.EVACUATE
    p.stuck[0] = 10_000  # stuck so long it turns to the rooftop: decide reads its field
    with pytest.raises(RuntimeError, match="rooftop field before it was computed"):
        sim.decide()


def test_fields_needed_covers_every_read_of_decide():
    """Random people (one alert person a trial among quiet ones): whenever ``decide`` reads the
    rooftop or school field, ``fields_needed`` said it might."""
    sim = Simulation(_school([]))
    p, w = sim.pop, sim.world
    fields = sim.fields.copy()
    fields[F_ROOF] = np.nan
    fields[F_SCHOOL] = np.nan
    rng = np.random.default_rng(5)
    limit = int(round(5.0 / sim.dt))
    humans = (State.SUSCEPTIBLE, State.INFECTED, State.CARRIER)
    modes = [Mode.ROUTINE, Mode.FLEE, Mode.HIDE, Mode.HIDDEN, Mode.EVACUATE, Mode.ROOFTOP,
             Mode.FIGHT, Mode.WAIT, Mode.RESPOND]
    plans = [Mode.ROUTINE, Mode.HIDE, Mode.EVACUATE, Mode.ROOFTOP, Mode.RESPOND]
    closed = fields.copy()
    closed[0] = np.inf  # after a quarantine no exit can be reached
    read = {F_ROOF: 0, F_SCHOOL: 0}
    for _ in range(3000):
        state, mode, plan = p.state.copy(), p.mode.copy(), p.plan.copy()
        stuck, alerted = np.zeros_like(p.stuck), np.zeros_like(p.alerted)
        threat = np.full(sim.n, -1, p.threat.dtype)
        fights = rng.integers(0, 3, sim.n).astype(p.fights.dtype)
        i, z = rng.choice(sim.n, 2, replace=False)
        if rng.random() < 0.5:  # a zombie in the same room
            same = np.flatnonzero(w.place_of[p.cell] == w.place_of[p.cell[i]])
            z = rng.choice(same[same != i]) if (same != i).any() else z
        state[i] = rng.choice(humans)
        mode[i], plan[i] = rng.choice(modes), rng.choice(plans)
        stuck[i] = rng.integers(-limit, 5 * limit)
        alerted[i] = rng.integers(0, 3)
        if rng.random() < 0.5:
            state[z] = State.ZOMBIE
            threat[i] = z
        f = closed if rng.random() < 0.2 else fields
        ag = st.build(st.Agents, **{**sim.ag.values, "state": state, "mode": mode,
            "plan": plan, "goal": p.goal.copy(), "threat": threat, "target": p.target.copy(),
            "alerted": alerted, "stuck": stuck, "fights": fights, "premove": p.premove.copy()})
        gr = st.build(st.Grid, **{**sim.gr.values, "fields": f})
        sc = st.build(st.Scratch, **{**sim.scratch.values,
            "newly_hidden": np.zeros(sim.n, np.int64)})
        pm = st.build(st.Params, **{**sim.pm.values, "flee_cells": 30.0, "stuck_limit": limit,
            "dt": 0.2})
        roof, school = decide_mod.fields_needed(ag, gr, pm)  # before decide changes modes
        nh = decide_mod.decide(ag, gr, sc, pm, sim.wait_place, F_ROOF)
        if nh < 0:
            read[-1 - nh] += 1
            assert {F_ROOF: roof, F_SCHOOL: school}[-1 - nh], (mode[i], plan[i], stuck[i])
    assert read[F_ROOF] > 50 and read[F_SCHOOL] > 50  # the trials did reach both reads


def test_lazy_fields_give_the_same_run_as_eager_ones():
    """A small flagship (town, school, police, quarantine, rooftop gathering and rescue) in two
    minutes: the same summary, events and agents whether fields wait or not."""
    sc = apply_overrides(load_scenario("hyosan-high"), {
        "world.town.size": 400.0, "population.0.count": 300, "population.3.count": 500,
        "population.4.count": 10, "outbreak.index_cases.0.turn_after": 5.0,
        "response.2.at": 30.0, "response.2.count": 10, "response.3.at": 60.0,
        "response.4.at": 90.0, "response.5.at": 100.0, "response.5.every": 10.0})
    lazy = Simulation(sc)
    eager = _eager(Simulation(sc))
    a = lazy.run(duration=120.0)
    b = eager.run(duration=120.0)
    assert len(lazy.nav.log) >= 2, "some fields were computed during the run"
    for key in ("wall_time_s", "agent_steps_per_s"):
        a.summary.pop(key)
        b.summary.pop(key)
    assert a.summary == b.summary
    for col in a.events:
        assert np.array_equal(np.asarray(a.events[col]), np.asarray(b.events[col])), col
    for attr in ("state", "cell", "mode", "plan", "goal", "stuck"):
        assert np.array_equal(getattr(lazy.pop, attr), getattr(eager.pop, attr)), attr
    for k in range(lazy.fields.shape[0]):
        if not lazy.nav.pending[k]:
            assert np.array_equal(lazy.fields[k], eager.fields[k]), k
