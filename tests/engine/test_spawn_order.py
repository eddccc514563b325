"""A crowd spawned together gets its random cells in cell order (memory locality)."""

from __future__ import annotations

import numpy as np
import pytest

from hyosan.engine.setup import Spawner, build_population
from hyosan.errors import ScenarioError
from hyosan.scenario import load_scenario
from hyosan.scenario.build import build_world
from hyosan.states import State


def test_grid_crowd_is_numbered_in_cell_order_on_distinct_random_cells():
    sc = load_scenario("grid-benchmark")
    w = build_world(sc)
    a, _ = build_population(sc, w, np.random.SeedSequence(3))
    b, _ = build_population(sc, w, np.random.SeedSequence(4))
    crowd = a.state == State.SUSCEPTIBLE  # the population group, after the index cases
    cells = a.cell[crowd]
    assert (np.diff(cells) > 0).all()  # increasing: distinct and in cell order
    assert not np.array_equal(cells, b.cell[b.state == State.SUSCEPTIBLE])  # still random
    assert len(np.unique(a.cell)) == a.n


def test_take_and_take_many_hand_out_each_cell_once_and_refuse_when_full():
    sc = load_scenario("grid-benchmark")
    w = build_world(sc)
    sp = Spawner(w, np.random.default_rng(0))
    p = 0
    n = sp.capacity(p)
    one = sp.take(p)
    many = sp.take_many(p, n - 1)
    assert sp.capacity(p) == 0
    assert len(set(many.tolist()) | {one}) == n
    with pytest.raises(ScenarioError, match="full"):
        sp.take(p)
