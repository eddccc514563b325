"""Each response action, called on the school: what it must change, and nothing it must not."""

from __future__ import annotations

import typing

import numpy as np
import pytest

from hyosan import Simulation, load_scenario
from hyosan.codes import IS_HUMAN, Alert, Door, Mode, Role, State
from hyosan.engine.fields import F_GATHER
from hyosan.rules.respond import ACTIONS, apply
from hyosan.scenario.schema import Action, Intervention


@pytest.fixture
def sim() -> Simulation:
    """The school with no scheduled response and a late index case: a quiet building."""
    sc = load_scenario("school-outbreak")
    data = sc.model_dump(mode="json")
    data["outbreak"]["index_cases"][0]["turn_after"] = 3600.0
    data["response"] = []
    return Simulation(type(sc).model_validate(data), seed=5)


def act(sim: Simulation, **iv) -> str:
    return apply(sim, Intervention(at=0.0, **iv))


def in_place(sim: Simulation, name: str) -> np.ndarray:
    k = list(sim.world.places).index(name)
    return np.flatnonzero(sim.world.place_of[sim.pop.cell] == k)


def test_every_schema_action_has_its_registered_function():
    assert set(typing.get_args(Action)) == set(ACTIONS)


@pytest.mark.parametrize("action", ["alarm", "broadcast", "fire_alarm"])
def test_alarm_alerts_the_school_and_sounds(sim, action):
    humans = np.flatnonzero(IS_HUMAN[sim.pop.state])
    assert (sim.pop.alerted == Alert.NONE).all() and not sim.noise.active
    text = act(sim, action=action)
    assert (sim.pop.alerted[humans] == Alert.ALARM).all()  # the whole school is inside
    assert sim.noise.active, "the broadcast room sounds"
    assert text == f"{len(humans)} people in the school alerted"
    evacuating = sim.pop.plan[humans] == Mode.EVACUATE
    assert evacuating.all() if action == "fire_alarm" else not evacuating.all()


def test_lockdown_locks_room_doors_and_hides_who_is_in_a_room(sim):
    w = sim.world
    doors = sim.school_room_doors()
    assert len(doors) and (w.door_state[w.door_of[doors]] == Door.OPEN).all()
    in_rooms = sim.hideable[w.place_of[sim.pop.cell]] & (w.place_of[sim.pop.cell] >= 0)
    act(sim, action="lockdown")
    assert (w.door_state[w.door_of[doors]] == Door.LOCKED).all()
    assert (w.door_hp[w.door_of[doors]] == sim.scenario.behaviour.door_strength).all()
    assert sim.opaque[doors].all(), "locked doors block sight"
    assert (sim.pop.mode[in_rooms] == Mode.HIDDEN).all()
    assert (sim.pop.mode[~in_rooms] != Mode.HIDDEN).all()
    assert (sim.pop.plan[IS_HUMAN[sim.pop.state]] == Mode.HIDE).all()


def test_police_dispatches_officers_up_to_count(sim):
    p = sim.pop
    p.role[:6] = Role.POLICE
    p.mode[0] = Mode.FIGHT  # already engaged: not sent again
    assert act(sim, action="police", count=3) == "3 police officers dispatched"
    assert (p.mode[1:4] == Mode.RESPOND).all() and (p.alerted[1:4] == Alert.ALARM).all()
    assert p.mode[0] == Mode.FIGHT and (p.mode[4:6] != Mode.RESPOND).all()
    assert act(sim, action="police") == "5 police officers dispatched"  # all but the fighter


def test_quarantine_closes_every_exit(sim):
    exits = sim.world.exits()
    assert len(exits) and np.isfinite(sim.fields[0][sim.pop.cell]).all()
    act(sim, action="quarantine")
    assert len(sim.world.exits()) == 0
    assert np.isinf(sim.fields[0]).all(), "no way out is left"


def test_rescue_lifts_people_from_the_place_up_to_capacity(sim):
    who = in_place(sim, "class 2-5")
    assert len(who) > 5
    assert act(sim, action="rescue", place="class 2-5", capacity=5) == \
        "5 people rescued from class 2-5"
    p = sim.pop
    assert (p.state[who[:5]] == State.ESCAPED).all() and (p.ended_at[who[:5]] == 0.0).all()
    assert (sim.occ[p.cell[who[:5]]] == -1).all(), "rescued people leave their cells"
    assert (p.state[who[5:]] == State.SUSCEPTIBLE).all()
    assert sum(1 for e in sim.counters.pev if e[1] == "escape") == 5


def test_strike_destroys_zombies_and_kills_people_in_the_area(sim):
    p = sim.pop
    who = in_place(sim, "class 2-5")
    z, h = who[:10], who[10:]
    p.state[z] = State.ZOMBIE
    outside = np.setdiff1d(np.flatnonzero(IS_HUMAN[p.state]), h)
    before = p.state[outside].copy()
    act(sim, action="strike", place="class 2-5", fraction=1.0, human_kill=0.0)
    assert (p.state[z] == State.DESTROYED).all() and (sim.occ[p.cell[z]] == -1).all()
    assert (p.state[h] == State.SUSCEPTIBLE).all()
    act(sim, action="strike", place="class 2-5", fraction=1.0, human_kill=1.0)
    assert (p.state[h] == State.DEAD).all()
    assert (p.timer[h] == sim.scenario.outbreak.rise_after).all()
    assert (p.state[outside] == before).all(), "nobody outside the area is hit"


def test_strike_fraction_is_the_share_destroyed(sim):
    """Binomial(n, 0.5) over the area's zombies: within 4 standard deviations."""
    p = sim.pop
    z = np.flatnonzero(IS_HUMAN[p.state])
    p.state[z] = State.ZOMBIE
    here = sim.area_mask(list(sim.world.places).index("class 2-5"))[p.cell]
    n = int((here & (p.state == State.ZOMBIE)).sum())
    act(sim, action="strike", place="class 2-5", fraction=0.5)
    k = int((p.state == State.DESTROYED).sum())
    assert abs(k - n / 2) <= 4 * np.sqrt(n / 4)


@pytest.mark.parametrize("target, plan", [("exits", Mode.EVACUATE), ("rooftop", Mode.ROOFTOP)])
def test_evacuate_sets_plan_and_mode_but_not_of_those_fleeing(sim, target, plan):
    p = sim.pop
    p.mode[0] = Mode.FLEE
    act(sim, action="evacuate", target=target)
    humans = IS_HUMAN[p.state]
    assert (p.plan[humans] == plan).all() and (p.alerted[humans] == Alert.ALARM).all()
    assert p.mode[0] == Mode.FLEE and (p.mode[1:][humans[1:]] == plan).all()


def test_evacuate_to_a_place_makes_it_the_gathering_point(sim):
    act(sim, action="evacuate", target="place", place="gym")
    assert sim.roof_field == F_GATHER
    assert sim.wait_place == sim.place_names.index("gym")
    gym = sim.world.places["gym"].cells
    assert (sim.fields[F_GATHER][gym] == 0).all()


def test_gather_sends_the_school_to_the_place(sim):
    p = sim.pop
    text = act(sim, action="gather", place="gym")
    humans = IS_HUMAN[p.state]
    assert text.endswith("gather at gym")
    assert (p.plan[humans] == Mode.ROOFTOP).all() and (p.mode[humans] == Mode.ROOFTOP).all()
    assert sim.roof_field == F_GATHER


def test_lure_plays_a_sound_at_the_place(sim):
    assert not sim.noise.active
    assert act(sim, action="lure", place="music room", count=50) == "sound played at music room"
    assert sim.noise.active


def test_checkpoint_orders_everyone_there_and_lets_out_only_the_unbitten(sim):
    """The first firing sends every person to the checkpoint and lets out up to ``capacity``
    of those standing there who were not bitten; the bitten stay."""
    who = in_place(sim, "class 2-5")
    p = sim.pop
    p.state[who[:3]] = State.INFECTED
    p.state[who[3]] = State.CARRIER
    msg = act(sim, action="checkpoint", place="class 2-5", capacity=10)
    assert msg.startswith("10 let out at class 2-5, 4 bitten turned back; ")
    assert sim.roof_field == F_GATHER and sim.wait_place == list(sim.world.places).index(
        "class 2-5")
    out = who[p.state[who] == State.ESCAPED]
    assert len(out) == 10 and not np.isin(who[:4], out).any()
    humans = np.flatnonzero(IS_HUMAN[p.state])
    assert (p.alerted[humans] == Alert.ALARM).all() and (p.plan[humans] == Mode.ROOFTOP).all()
    # the next firing tells nobody again and lets out the next ten, at random among the clean
    assert act(sim, action="checkpoint", place="class 2-5", capacity=10) == \
        "10 let out at class 2-5, 4 bitten turned back"
    assert (p.state[who[:3]] == State.INFECTED).all()
