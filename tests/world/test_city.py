"""The city generator at a small size: its districts, the cordon and the roads out, every home
reachable from a road out, and the population placed as the schedule says."""

from __future__ import annotations

import numpy as np
import pytest

from hyosan.codes import Cell, Role, State
from hyosan.engine.setup import build_population
from hyosan.errors import ScenarioError
from hyosan.scenario import apply_overrides, load_scenario
from hyosan.scenario.build import build_world
from hyosan.world.city import HOME_KINDS, city
from hyosan.world.navigation import distance_field
from hyosan.world.school import school

SCALE = 0.02  # 3,400 residents in 700 m


@pytest.fixture(scope="module")
def scenario():
    return apply_overrides(load_scenario("hyosan-city"), {"world.city.scale": SCALE})


@pytest.fixture(scope="module")
def world(scenario):
    return build_world(scenario)


def test_districts_and_services(world) -> None:
    blocks = np.array(world.meta["city"]["blocks"])
    ring = np.array(world.meta["city"]["ring"])
    kinds = set(blocks.ravel())
    assert {"school", "hospital", "police_station", "office", "shop", "apartment", "house",
            "checkpoint"} <= kinds
    # downtown in the middle, homes round it
    assert ring[blocks == "office"].mean() < ring[np.isin(blocks, ["apartment", "house"])].mean()
    for name in ("hospital", "police station", "checkpoints", "quarantine zone", "science lab",
                 "class 2-5", "rooftop"):
        assert name in world.places
    assert len(world.levels) == 5  # the ground and the school's three upper floors and roof


def test_cordon_and_roads_out(world) -> None:
    g = world.grid(0)
    f = world.meta["city"]["fence_cells"]
    border = np.zeros(g.shape, bool)
    border[:f, :] = border[-f:, :] = border[:, :f] = border[:, -f:] = True
    # the fence is whole but for the roads out, which end in exits at the map edge only
    open_border = border & (g != Cell.OBSTACLE)
    assert set(np.unique(g[open_border])) <= {Cell.GROUND, Cell.EXIT}
    ex = np.argwhere(g == Cell.EXIT)
    assert len(ex) and np.all((ex[:, 0] == 0) | (ex[:, 0] == g.shape[0] - 1) |
                              (ex[:, 1] == 0) | (ex[:, 1] == g.shape[1] - 1))
    roads = [name for name, p in world.places.items() if p.kind == "exit"]
    for side in ("north", "south", "west", "east"):  # two a side asked; a small city has
        assert 1 <= sum(r.startswith(f"road {side}") for r in roads) <= 2  # fewer streets
    # the quarantine zone is inside the fence and leaves out the checkpoints
    zone = world.places["quarantine zone"].cells
    assert not np.isin(world.places["checkpoints"].cells, zone).any()
    lvl, r, c = world.rowcol(zone[zone < world.levels[0].size])
    assert r.min() >= f and c.min() >= f


def test_every_home_reachable_from_a_road_out(world) -> None:
    d = distance_field(world, world.exits(), who="human")
    for pl in world.places.values():
        if pl.kind in HOME_KINDS + ("office", "shop", "classroom", "checkpoint"):
            assert np.isfinite(d[pl.cells]).all(), pl.name


def test_population_placed_as_scheduled(scenario, world) -> None:
    pop, _ = build_population(scenario, world, np.random.SeedSequence(1))
    expected = sum(scenario.scaled_count(s) for s in scenario.population) + len(
        scenario.named) + 1
    assert pop.n == expected
    names = list(world.places)
    kinds = np.array([world.places[n].kind for n in names])
    at = world.place_of[pop.cell]
    residents = (pop.named < 0) & (pop.state == State.SUSCEPTIBLE) & (pop.role != Role.POLICE)
    assert np.all(np.isin(kinds[at[residents]], HOME_KINDS))  # everyone starts at home
    assert np.array_equal(at[residents], pop.home[residents])
    # no home holds more than its share (fill 0.3 of its cells)
    for k in np.unique(at[residents]):
        assert (at[residents] == k).sum() <= 0.3 * len(world.places[names[k]].cells) + 1


def test_too_small_a_city_is_refused() -> None:
    with pytest.raises(ScenarioError, match="too small"):
        city(people=200_000, size_m=700, school=school(cell_size=1.5))
