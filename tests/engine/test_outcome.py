"""What a run reports: counts that add up, the events table in time order, fates in words,
places that fall."""

from __future__ import annotations

import numpy as np
import pytest

from hyosan import Simulation, load_scenario
from hyosan.codes import STATE_NAMES, State


@pytest.fixture(scope="module")
def run():
    sc = load_scenario("school-outbreak")
    data = sc.model_dump(mode="json")
    data["outbreak"]["index_cases"][0]["turn_after"] = 5.0
    sim = Simulation(type(sc).model_validate(data), seed=3)
    res = sim.run(duration=240.0)
    return sim, res


def test_counts_add_up_to_the_population(run):
    sim, res = run
    counts = res.summary["counts"]
    assert sum(counts.values()) == sim.n
    assert counts == {name: int((sim.pop.state == k).sum()) for k, name in enumerate(STATE_NAMES)}
    assert res.summary["humans_alive"] == sum(counts[k] for k in
                                              ("susceptible", "infected", "carrier"))
    assert counts["zombie"] > 1, "the index case turned and bit"


def test_events_are_in_time_order_and_every_bite_is_an_agent_bitten(run):
    sim, res = run
    ev = res.events
    assert (np.diff(ev["time_s"]) >= 0).all()
    kinds = np.array(ev["kind"])
    bitten = np.array(ev["other"])[kinds == "bite"]
    assert len(bitten) == len(set(bitten.tolist())), "nobody is bitten twice"
    assert sorted(bitten.tolist()) == np.flatnonzero(sim.pop.bitten_by >= 0).tolist()
    # the index case starts infected, unbitten: its turn is an event too
    assert (kinds == "turn").sum() == int((~np.isnan(sim.pop.turned_at)).sum())


def test_agent_table_and_fates_agree_with_the_states(run):
    sim, _res = run
    table = sim.agent_table()
    assert table["final_state"] == [STATE_NAMES[s] for s in sim.pop.state]
    for j in range(sim.n):
        s = State(int(sim.pop.state[j]))
        text = sim.fate(j)
        expect = {State.ESCAPED: "escaped", State.ZOMBIE: "bitten at",
                  State.INFECTED: "not yet turned", State.SUSCEPTIBLE: "alive",
                  State.DESTROYED: "destroyed", State.DEAD: "killed",
                  State.CARRIER: "carrier"}[s]
        if s == State.ZOMBIE and np.isnan(sim.pop.bitten_at[j]):
            expect = "a zombie"  # the index case turned without a bite
        assert expect in text, (s, text)


def test_a_place_falls_once_when_its_zombies_outnumber_its_people(run):
    sim, _res = run
    falls = [e for e in sim.counters.pev if e[1] == "place_fell"]
    assert len({e[5] for e in falls}) == len(falls), "each place falls once"
    for e in falls:
        assert "zombies" in e[6]
