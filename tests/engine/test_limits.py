"""Deterministic limits of the contact rule: β = 0, p_bite = 1, κ = 1."""

from __future__ import annotations

import numpy as np
from tests.engine.conftest import scenario

from hyosan import Simulation
from hyosan.states import State

GRID = """
name: limits
world: {{generator: grid, grid: {{rows: {rows}, cols: {cols}, torus: false}}}}
population:
  - {{role: {role}, count: {humans}, places: [grid], group_by_place: false}}
outbreak:
  index_cases: [{{place: grid, count: {zombies}, already_zombie: true}}]
  {bite}
  turn: {{distribution: instant}}
  carrier_fraction: 0
behaviour:
  profile: {profile}
  roles: {{{role}: {{kill_rate: {kill} /s, fights: cornered}}}}
run: {{dt: 1 s, duration: 50 s, frames_every: 0 s, seed: 5}}
"""


def _sim(**kw):
    args = dict(rows=30, cols=30, role="resident", humans=300, zombies=20,
                bite="bite_rate: 0 /s", profile="random_walk", kill=0)
    args.update(kw)
    return Simulation(scenario(GRID.format(**args)))


def test_no_bites_when_beta_is_zero():
    sim = _sim(bite="bite_rate: 0 /s")
    result = sim.run()
    ts = result.timeseries
    assert ts["susceptible"].min() == 300
    assert ts["infected"].max() == 0 and ts["zombie"].max() == 20
    assert "bite" not in result.events["kind"]


def _pair(role: str, bite: str, kill: float) -> Simulation:
    """One human and one zombie side by side on a 1 × 2 strip that never moves."""
    sim = _sim(rows=2, cols=2, humans=1, zombies=1, role=role, bite=bite, profile="lattice",
               kill=kill)
    p = sim.pop
    # put them in the same row, adjacent, whatever the spawner chose
    sim.occ[:] = -1
    p.cell[:] = [0, 1]
    p.row[:] = 0
    p.col[:] = [0, 1]
    sim.occ[[0, 1]] = [0, 1]
    return sim


def test_certain_bite_lands_in_the_first_tick():
    sim = _pair("resident", "bite_probability: 1", 0.0)
    human = int(np.flatnonzero(sim.pop.state == State.SUSCEPTIBLE)[0])
    sim.step()
    assert sim.pop.bitten_at[human] == 0.0
    assert sim.pop.state[human] == State.ZOMBIE  # instant turning
    assert sim.events_table()["kind"][:2] == ["bite", "turn"]


def test_soldier_with_certain_kill_removes_adjacent_zombie_at_once():
    sim = _pair("soldier", "bite_rate: 0 /s", 1e9)  # κ·dt huge → 1 − exp(−κ dt) = 1
    zombie = int(np.flatnonzero(sim.pop.state == State.ZOMBIE)[0])
    assert sim.pop.kill_p.max() == 1.0
    sim.step()
    assert sim.pop.state[zombie] == State.DESTROYED
    assert sim.occ[sim.pop.cell[zombie]] == -1
    assert sim.events_table()["kind"] == ["kill"]


def test_zero_kill_rate_never_destroys():
    sim = _sim(bite="bite_rate: 0 /s", kill=0)
    assert sim.run().timeseries["destroyed"].max() == 0
