"""Create the population a scenario describes: roles into places, named characters, index cases."""

from __future__ import annotations

import numpy as np

from hyosan.codes import FIGHTS, Mode, Role, State
from hyosan.errors import ScenarioError
from hyosan.population import (
    Population,
    distribute,
    empty_population,
    role_code,
    standable_cells,
)
from hyosan.scenario.loader import field_line
from hyosan.scenario.schema import PreEvacuationSpec, Scenario
from hyosan.world.world import World


def _draw_speeds(rng: np.random.Generator, n: int, mean: float, sd: float, lo: float,
                 hi: float) -> np.ndarray:
    """Normal speeds truncated to [lo, hi] by redrawing the ones outside."""
    v = rng.normal(mean, sd, n)
    bad = (v < lo) | (v > hi)
    for _ in range(100):
        if not bad.any():
            break
        v[bad] = rng.normal(mean, sd, int(bad.sum()))
        bad = (v < lo) | (v > hi)
    return np.clip(v, lo, hi)


def draw_pre_evacuation(rng: np.random.Generator, spec: PreEvacuationSpec, n: int
                        ) -> np.ndarray:
    """``n`` pre-evacuation times (seconds) from ``spec`` truncated to [min, max]: one uniform
    per agent through the inverse CDF between F(min) and F(max), so no mass piles up on a bound
    (as for turn times, ``contact.draw_turn_delay``)."""
    law = spec.law()
    hi = spec.max if spec.max is not None else np.inf
    if law is None:
        return np.full(n, float(np.clip(spec.value, spec.min, hi)))
    u = rng.uniform(law.cdf(spec.min), law.cdf(hi), n)
    return np.clip(law.ppf(u), spec.min, hi)  # the clip guards rounding only


class Spawner:
    """Hands out free cells of places, in a seeded random order.

    Each place keeps a shuffled array of its standable cells and a count of those still free;
    cells are taken from the end, so no per-cell Python objects are made (a 10⁶-agent grid
    spawns from one array)."""

    def __init__(self, world: World, rng: np.random.Generator):
        self.world = world
        self.rng = rng
        self.cells: dict[int, np.ndarray] = {}  # shuffled standable cells per place
        self.left: dict[int, int] = {}  # how many of them (from the start) are still free
        self.names = list(world.places)

    def capacity(self, place_index: int) -> int:
        if place_index not in self.cells:
            place = self.world.places[self.names[place_index]]
            self.cells[place_index] = self.rng.permutation(
                standable_cells(self.world, place.cells))
            self.left[place_index] = len(self.cells[place_index])
        return self.left[place_index]

    def take_many(self, place_index: int, k: int) -> np.ndarray:
        """``k`` free cells of the place, in increasing cell order.

        A crowd spawned together gets consecutive agent numbers; handing them their (random)
        cells in cell order keeps neighbours in space near each other in memory, which is what
        keeps a step fast on large grids (agents in one group are alike, so nothing else
        changes)."""
        if k > self.capacity(place_index):
            raise ScenarioError(f"place {self.names[place_index]!r} is full")
        self.left[place_index] -= k
        end = self.left[place_index]
        return np.sort(self.cells[place_index][end: end + k])

    def take(self, place_index: int) -> int:
        """One free cell of the place."""
        return int(self.take_many(place_index, 1)[0])


def build_population(scenario: Scenario, world: World, seed: np.random.SeedSequence
                     ) -> tuple[Population, dict]:
    """The agents at t = 0 and facts about them (named characters, school members)."""
    rng = np.random.default_rng(seed)
    sp = Spawner(world, rng)
    names = sp.names
    index_of = {n: i for i, n in enumerate(names)}
    cells: list[int] = []
    roles: list[int] = []
    groups: list[int] = []
    homes: list[int] = []
    named: list[int] = []
    states: list[int] = []
    timers: list[float] = []
    group_of_place: dict[int, int] = {}

    exits: list[str | None] = []
    entry: list[int] = []  # population entry each agent came from (-1: named, index case)

    def add(took, role, home, group, nm=-1, state=State.SUSCEPTIBLE, timer=0.0, exit_to=None,
            k_entry=-1):
        """Agents alike but for their cells: ``took`` is one cell or an array of them."""
        took = np.atleast_1d(took).tolist()
        k = len(took)
        cells.extend(took)
        exits.extend([exit_to] * k)
        entry.extend([k_entry] * k)
        roles.extend([role] * k)
        homes.extend([home] * k)
        groups.extend([group] * k)
        named.extend([nm] * k)
        states.extend([int(state)] * k)
        timers.extend([timer] * k)

    # named characters and index cases first: they must get their places
    for k, nc in enumerate(scenario.named):
        p = index_of[nc.place]
        if sp.capacity(p) == 0:
            raise ScenarioError(f"place {nc.place!r} has no free cell for {nc.name}",
                                where=field_line(scenario, "named", k, "place"))
        add(sp.take(p), role_code(nc.role), p, group_of_place.setdefault(p, len(group_of_place)),
            nm=k)
    index_agents = []
    for k, ic in enumerate(scenario.outbreak.index_cases):
        p = index_of[ic.place]
        for _ in range(ic.count):
            if sp.capacity(p) == 0:
                raise ScenarioError(f"place {ic.place!r} has no free cell for an index case",
                                    where=field_line(scenario, "outbreak", "index_cases", k))
            nm = -1
            if ic.name:
                nm = next((j for j, n in enumerate(scenario.named) if n.name == ic.name), -1)
            index_agents.append(len(cells))
            add(sp.take(p), int(Role.STUDENT), p, group_of_place.setdefault(p, len(group_of_place)),
                nm=nm,
                state=State.ZOMBIE if ic.already_zombie else State.INFECTED,
                timer=0.0 if ic.already_zombie else ic.turn_after)
    for k, spec in enumerate(scenario.population):
        chosen = [index_of[n] for n in spec.places]
        if spec.place_kinds:
            chosen += [i for i, n in enumerate(names)
                       if world.places[n].kind in spec.place_kinds and i not in chosen]
        caps = [sp.capacity(p) for p in chosen]
        if spec.fill is not None:  # a share of each place's cells, whoever took them
            caps = [max(0, int(spec.fill * len(sp.cells[p])) - (len(sp.cells[p]) - c))
                    for p, c in zip(chosen, caps, strict=True)]
        try:
            per = distribute(scenario.scaled_count(spec), chosen, caps, spec.per_place,
                             f"{spec.role}s")
        except ScenarioError as exc:
            raise ScenarioError(exc.what, where=f"{field_line(scenario, 'population', k)}, "
                                               f"field 'population[{k}]'") from None
        for p, cnt in zip(chosen, per, strict=True):
            g = group_of_place.setdefault(p, len(group_of_place)) if spec.group_by_place else -1
            add(sp.take_many(p, cnt), role_code(spec.role), p, g, exit_to=spec.exit, k_entry=k)

    n = len(cells)
    pop = empty_population(n)
    pop.cell[:] = cells
    lvl, rows, cols = world.rowcol(pop.cell)
    pop.level[:] = lvl
    pop.row[:] = rows
    pop.col[:] = cols
    pop.start_cell[:] = pop.cell
    pop.role[:] = roles
    pop.group[:] = groups
    pop.home[:] = homes
    pop.named[:] = named
    pop.state[:] = states
    pop.timer[:] = timers
    pop.mode[:] = np.where(pop.state == State.ZOMBIE, Mode.ZWANDER, Mode.ROUTINE)
    zspec = scenario.behaviour.zombies
    fights = np.zeros(n, dtype=np.uint8)
    for code, role in enumerate(Role):
        mask = pop.role == code
        if not mask.any():
            continue
        rs = scenario.role(role.name.lower())
        pop.speed[mask] = _draw_speeds(rng, int(mask.sum()), rs.speed_mean, rs.speed_sd,
                                       rs.speed_min, rs.speed_max)
        pop.run_speed[mask] = np.minimum(pop.speed[mask] * rs.run_factor, 6.0)
        pop.stamina[mask] = rs.stamina
        pop.courage[mask] = rs.courage
        fights[mask] = FIGHTS[rs.fights]
        pop.kill_p[mask] = 0.0 if rs.fights == "never" else rs.kill_rate
    # kill_p holds a rate here; the simulation turns it into a per-tick probability
    for j in np.flatnonzero(pop.named >= 0):
        nc = scenario.named[pop.named[j]]
        if nc.speed is not None:
            pop.speed[j] = nc.speed
            pop.run_speed[j] = nc.speed * scenario.role(nc.role).run_factor
        if nc.kill_rate is not None:
            pop.kill_p[j] = nc.kill_rate
        if nc.courage is not None:
            pop.courage[j] = nc.courage
        pop.immune[j] = nc.immune
    z = pop.state == State.ZOMBIE
    pop.run_speed[z] = zspec.speed
    pop.turned_at[z] = 0.0
    infected = pop.state == State.INFECTED
    pop.bitten_at[infected] = 0.0
    pop.turn_delay[infected] = pop.timer[infected]
    for k, spec in enumerate(scenario.population):  # drawn last: other draws stay the same
        if spec.pre_evacuation is not None:
            mine = np.asarray(entry) == k
            pop.premove[mine] = draw_pre_evacuation(rng, spec.pre_evacuation, int(mine.sum()))
    info = {"index_agents": index_agents, "fights": fights, "exits": exits,
            "entry": np.asarray(entry, np.int64)}
    return pop, info
