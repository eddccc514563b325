"""Agents are never created or lost; nobody stands in a wall or shares a cell."""

from __future__ import annotations

import numpy as np
import pytest

from hyosan import Simulation, load_scenario
from hyosan.scenario import apply_overrides
from hyosan.states import State
from hyosan.world.cells import WALKABLE, Cell

ON_MAP = (State.SUSCEPTIBLE, State.INFECTED, State.CARRIER, State.ZOMBIE)


def check_invariants(sim: Simulation) -> None:
    p, w = sim.pop, sim.world
    live = np.isin(p.state, ON_MAP)
    # people climbing a stair flight hold no cell; their cell is the landing they head for
    climbing = p.flight >= 0
    assert live[climbing].all(), "someone off the map is still on a flight"
    assert (w.kind[p.cell[climbing]] == Cell.STAIRS).all()
    assert (np.bincount(p.flight[climbing], minlength=sim.ways.n) == sim.ways.inside).all()
    # a flight admits up to its cap; people passing on the stairs (ways.land) move one place
    # from a flight to its partner the other way, so only the pair is bounded
    wy = sim.ways
    pair = wy.partner >= 0
    alone = ~pair
    assert (wy.inside[alone] <= wy.cap[alone]).all()
    both = wy.inside[pair] + wy.inside[wy.partner[pair]]
    assert (both <= wy.cap[pair] + wy.cap[wy.partner[pair]]).all()
    on = live & ~climbing
    cells = p.cell[on]
    assert len(np.unique(cells)) == len(cells), "two agents share a cell"
    assert WALKABLE[w.kind[cells]].all(), "an agent stands in a wall"
    # the occupancy grid agrees with the agents' cells, both ways
    assert (sim.occ[cells] == np.flatnonzero(on)).all()
    assert (sim.occ >= 0).sum() == on.sum()
    # level/row/col agree with the global cell
    lvl, r, c = w.rowcol(p.cell)
    assert (lvl == p.level).all() and (r == p.row).all() and (c == p.col).all()


@pytest.mark.parametrize("name,ticks", [("school-outbreak", 2500), ("grid-benchmark", 60)])
def test_invariants_hold_every_tick(name, ticks):
    sc = load_scenario(name)
    if name == "school-outbreak":
        # the outbreak starts at once and everyone is told to leave after a minute: crowds on
        # corridors and stairs, chases, bites and escapes all happen within the test
        sc = apply_overrides(sc, {"outbreak.index_cases.0.turn_after": 10.0,
                                  "response.1.at": 60.0})
    sim = Simulation(sc, seed=11)
    n0 = sim.n
    counts0 = sim.by_state.sum()
    for _ in range(ticks):
        sim.step()
        if sim.tick % 10 == 0:
            check_invariants(sim)
        assert sim.by_state.sum() == counts0 == n0
    check_invariants(sim)
    # something actually happened: the outbreak spread and people moved
    assert sim.count(State.SUSCEPTIBLE) < n0 - 1
    assert (sim.pop.cell != sim.pop.start_cell).sum() > n0 // 10
