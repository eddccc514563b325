"""The agent arrays and spawning: dtypes and fills, the share-out over places, the built crowd."""

from __future__ import annotations

import numpy as np
import pytest

from hyosan import Simulation, load_scenario
from hyosan.codes import Cell, Mode, Role, State
from hyosan.errors import ScenarioError
from hyosan.population import (
    DTYPES,
    distribute,
    empty_population,
    role_code,
    role_of,
    standable_cells,
)


def test_empty_population_has_one_array_per_attribute_with_its_dtype_and_fill():
    p = empty_population(5)
    arrays = p.arrays()
    assert set(arrays) == set(DTYPES)
    for name, a in arrays.items():
        assert a.dtype == DTYPES[name] and a.shape == (5,)
    assert (p.threat == -1).all() and (p.goal == -1).all() and (p.flight == -1).all()
    assert np.isnan(p.bitten_at).all() and (p.state == State.SUSCEPTIBLE).all()


@pytest.mark.parametrize("count, caps, per", [(10, [5, 5, 5], None), (7, [2, 9, 9], None),
                                              (6, [9, 9, 9], 2), (1, [3, 3], None)])
def test_distribute_shares_evenly_within_capacity(count, caps, per):
    out = distribute(count, list(range(len(caps))), caps, per, "people")
    assert sum(out) == count
    limit = [min(c, per) if per else c for c in caps]
    assert all(o <= c for o, c in zip(out, limit, strict=True))
    # even: no place with room left has two fewer than another
    room = [o for o, c in zip(out, limit, strict=True) if o < c]
    assert not room or max(out) - min(room) <= 1


def test_distribute_refuses_more_than_the_places_hold():
    with pytest.raises(ScenarioError, match="hold only 4"):
        distribute(5, [0, 1], [2, 2], None, "students")


def test_role_codes_round_trip():
    for role in Role:
        assert role_of(role_code(role.name.lower())) is role


def test_built_school_puts_each_on_a_standable_cell_with_a_speed_in_bounds():
    sim = Simulation(load_scenario("school-outbreak"), seed=4)
    p, w, sc = sim.pop, sim.world, sim.scenario
    assert len(np.unique(p.cell)) == p.n, "one agent a cell"
    assert np.isin(w.kind[p.cell], (Cell.FLOOR, Cell.GROUND)).all()
    assert len(standable_cells(w, p.cell)) == p.n
    for role in Role:
        mask = p.role == role
        if mask.any():
            rs = sc.role(role.name.lower())
            assert (p.speed[mask] >= np.float32(rs.speed_min)).all()
            assert (p.speed[mask] <= np.float32(rs.speed_max)).all()
    zombies = p.state == State.ZOMBIE
    assert (p.mode[zombies] == Mode.ZWANDER).all() and (p.mode[~zombies] == Mode.ROUTINE).all()
    # the index case starts infected in its place, with its scenario turn time
    ic = sc.outbreak.index_cases[0]
    j = np.flatnonzero(p.state == (State.ZOMBIE if ic.already_zombie else State.INFECTED))
    assert len(j) == ic.count
    assert (w.place_of[p.cell[j]] == list(w.places).index(ic.place)).all()
