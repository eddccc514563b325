"""Turn a validated scenario into its World, and check the places it names exist there."""

from __future__ import annotations

import math
from pathlib import Path

from hyosan import limits
from hyosan.errors import ScenarioError
from hyosan.scenario.loader import field_line
from hyosan.scenario.schema import Scenario
from hyosan.world.world import World


def build_world(scenario: Scenario) -> World:
    """The world a scenario describes (generator or floor plan), with its places checked."""
    spec = scenario.world
    cs = spec.cell_size
    try:
        if spec.generator == "grid":
            from hyosan.world.grid import grid_world

            world = grid_world(spec.grid.rows, spec.grid.cols, cell_size=cs, torus=spec.grid.torus)
        elif spec.generator == "school":
            from hyosan.world.school import school_world

            world = school_world(floors=spec.school.floors, length_m=spec.school.length,
                                 cell_size=cs, **spec.school.params)
        elif spec.generator == "town":
            from hyosan.world.school import school
            from hyosan.world.town import town

            sch = school(floors=spec.school.floors, length_m=spec.school.length, cell_size=cs,
                         **spec.school.params)
            world = town(size_m=spec.town.size, school=sch, cell_size=cs, **spec.town.params)
        elif spec.generator == "city":
            from hyosan.world.city import city
            from hyosan.world.school import school

            sch = school(floors=spec.school.floors, length_m=spec.school.length, cell_size=cs,
                         **spec.school.params)
            people = sum(scenario.scaled_count(s) for s in scenario.population)
            c = spec.city
            world = city(people=people, size_m=c.size_at_scale(), block_m=c.block,
                         street_m=c.street, cell_size=cs, roads_per_side=c.roads_per_side,
                         seed=c.seed, school=sch, name=scenario.name.split("-")[0],
                         **c.params)
        else:
            from hyosan.world.floorplan import load_floorplan

            base = getattr(scenario, "_base_dir", None) or Path.cwd()
            path = Path(spec.floorplan)
            if not path.is_absolute():
                path = Path(base) / path
            where = f"{field_line(scenario, 'world', 'floorplan')}, field 'world.floorplan'"
            if not path.is_file():
                what = ("is a folder, not a floor-plan file" if path.is_dir() else
                        "is not a regular file" if path.exists() else "does not exist")
                raise ScenarioError(f"floor plan file {str(path)!r} {what}", where=where)
            world = load_floorplan(path)
            if "cell_size" in spec.model_fields_set and abs(world.cell_size - cs) > 1e-9:
                raise ScenarioError(
                    f"world.cell_size is {cs} m but the floor plan {str(path)!r} has cells of "
                    f"{world.cell_size} m; remove world.cell_size or make them agree",
                    where=f"{field_line(scenario, 'world', 'cell_size')}, field "
                          "'world.cell_size'")
    except ScenarioError as exc:
        if exc.where is not None:
            raise
        raise ScenarioError(exc.what, where=_generator_where(scenario)) from None
    except (TypeError, ValueError) as exc:  # a generator keyword or value it cannot take
        raise ScenarioError(f"the {spec.generator} generator cannot build this: {exc}",
                            where=_generator_where(scenario)) from None
    limits.check("cells", world.n_cells, f"{field_line(scenario, 'world')}, field 'world'",
                 "this world")
    check_places(scenario, world)
    return world


def _generator_where(scenario: Scenario) -> str:
    gen = scenario.world.generator
    key = gen if gen in ("school", "town", "grid", "city") else "floorplan"
    return f"{field_line(scenario, 'world', key)}, field 'world.{key}'"


def preflight(scenario: Scenario, seed: int | None = None) -> tuple[World, int]:
    """Everything ``Simulation`` checks before its first tick, without simulating: the world
    and its places, the population placed (fits its places, index cases exist), the exit
    routing and the memory it will need. Returns the world (to reuse) and the agent count.

    ``check`` calls this, and so does ``run`` before building its simulation, so the two can
    never disagree about what is valid."""
    import numpy as np

    from hyosan.engine import route
    from hyosan.engine.setup import build_population

    full = scenario.behaviour.profile == "full"
    counted = sum(scenario.scaled_count(s) for s in scenario.population) + len(
        scenario.named) + sum(ic.count for ic in scenario.outbreak.index_cases)
    where = scenario_where(scenario)
    # before the world's arrays exist (from the generator's size), then with its real size
    limits.check_memory(int(scenario.world.cells_estimate()), counted, full=full, where=where)
    world = build_world(scenario)
    limits.check_memory(world.n_cells, counted, full=full, where=where)
    seed_seq = np.random.SeedSequence(int(scenario.run.seed if seed is None else seed))
    pop, _ = build_population(scenario, world, seed_seq.spawn(1)[0])
    if full and scenario.behaviour.exit_choice == "queue":
        check_exit_groups(scenario, route.exit_groups(world))
    return world, pop.n


def check_exit_groups(scenario: Scenario, groups: list) -> None:
    """exit_choice 'queue' keeps one field per exit: at most ``route.MAX_EXITS`` of them."""
    from hyosan.engine import route

    if len(groups) > route.MAX_EXITS:
        raise ScenarioError(
            f"this world has {len(groups)} exits; exit_choice 'queue' handles at most "
            f"{route.MAX_EXITS} (use 'nearest')",
            where=f"{field_line(scenario, 'behaviour', 'exit_choice')}, "
                  "field 'behaviour.exit_choice'")


def scenario_where(scenario: Scenario) -> str:
    """The scenario's file (or built-in name), for errors about the scenario as a whole."""
    return getattr(scenario, "_source", None) or scenario.name


def _missing(world: World, name: str) -> str:
    near = sorted(world.places)[:8]
    return (f"no place called {name!r} in this world "
            f"(it has {len(world.places)} places, e.g. {', '.join(map(repr, near))})")


def check_places(scenario: Scenario, world: World) -> None:
    """Every place and place kind the scenario names must exist in the world."""
    kinds = {p.kind for p in world.places.values()}
    for i, sp in enumerate(scenario.population):
        for j, name in enumerate(sp.places):
            if name not in world.places:
                raise ScenarioError(_missing(world, name), where=(
                    f"{field_line(scenario, 'population', i, 'places', j)}, "
                    f"field 'population[{i}].places[{j}]'"))
        if sp.exit and sp.exit not in world.places:
            raise ScenarioError(_missing(world, sp.exit), where=(
                f"{field_line(scenario, 'population', i, 'exit')}, field 'population[{i}].exit'"))
        for j, kind in enumerate(sp.place_kinds):
            if kind not in kinds:
                raise ScenarioError(
                    f"no place of kind {kind!r} in this world (kinds: {', '.join(sorted(kinds))})",
                    where=(f"{field_line(scenario, 'population', i, 'place_kinds', j)}, "
                           f"field 'population[{i}].place_kinds[{j}]'"))
    for i, n in enumerate(scenario.named):
        if n.place not in world.places:
            raise ScenarioError(_missing(world, n.place), where=(
                f"{field_line(scenario, 'named', i, 'place')}, field 'named[{i}].place'"))
    for i, ic in enumerate(scenario.outbreak.index_cases):
        if ic.place not in world.places:
            raise ScenarioError(_missing(world, ic.place), where=(
                f"{field_line(scenario, 'outbreak', 'index_cases', i, 'place')}, "
                f"field 'outbreak.index_cases[{i}].place'"))
    for i, sm in enumerate(scenario.hazard.smoke if scenario.hazard else []):
        if sm.place not in world.places:
            raise ScenarioError(_missing(world, sm.place), where=(
                f"{field_line(scenario, 'hazard', 'smoke', i, 'place')}, "
                f"field 'hazard.smoke[{i}].place'"))
    for i, el in enumerate(scenario.elevators):
        levels = []
        for j, name in enumerate(el.lobbies):
            if name not in world.places:
                raise ScenarioError(_missing(world, name), where=(
                    f"{field_line(scenario, 'elevators', i, 'lobbies', j)}, "
                    f"field 'elevators[{i}].lobbies[{j}]'"))
            levels.append(world.places[name].level)
        if len(set(levels)) != len(levels):
            raise ScenarioError("an elevator serves one lobby per floor; two of these lobbies "
                                "are on the same floor", where=(
                                    f"{field_line(scenario, 'elevators', i, 'lobbies')}, "
                                    f"field 'elevators[{i}].lobbies'"))
    for i, act in enumerate(scenario.response):
        if act.place and act.place not in world.places:
            raise ScenarioError(_missing(world, act.place), where=(
                f"{field_line(scenario, 'response', i, 'place')}, field 'response[{i}].place'"))
        if act.action == "lure" and act.count:
            # a lure's count is the radius of its sound in metres; it spreads over its floor
            lv = world.levels[world.places[act.place].level]
            span = math.hypot(lv.height, lv.width) * world.cell_size
            if act.count > math.ceil(span):
                raise ScenarioError(
                    f"a lure's count is the radius of its sound in metres: {act.count} m is more "
                    f"than the floor of {act.place!r} spans ({math.ceil(span)} m corner to "
                    f"corner); give at most {math.ceil(span)}",
                    where=f"{field_line(scenario, 'response', i, 'count')}, "
                          f"field 'response[{i}].count'")
