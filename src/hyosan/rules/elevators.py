"""Elevators: cars that carry waiting evacuees from their floor's lobby down to the exit floor.

A scenario's ``elevators`` lists cars, each serving ``lobbies`` (named places, one per floor,
the first the discharge floor where people leave the car). People who are to use a car are
told to go to their floor's lobby (``population[].exit: <lobby>``): they walk there as to an
assigned exit and wait on its cells (waiting there is not being stuck). Each car:

* starts at the discharge floor with its doors shut; when people wait on other floors it goes
  to the highest of them, taking ``|Δz| / speed`` (z = ``floor_height`` × the lobby's rank);
* at a stop its doors stay open for ``door_time``: on arrival people step out (at the
  discharge floor, onto the lobby's free cells, then walk to the nearest exit) and up to
  ``capacity`` of those waiting step in (the lowest agent numbers first);
* loaded, it goes down, stopping on the way at floors where people wait while there is room,
  to the discharge floor; empty, it goes to the highest floor with people waiting, or idles.

Riders are off the map (no cell holds them, as on a stair flight): nobody meets them, nothing
bites them. The car moves at constant speed (no acceleration or levelling time) and people
board instantly at the start of the stop; one car per ``elevators`` entry (a bank of cars is
several entries sharing lobbies). ``boarded`` and ``alighted`` events name car and floor.
Without ``elevators`` nothing here runs (golden runs stay byte-identical).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
from numba import njit

from hyosan.codes import IS_HUMAN, M_EVAC, Profile

if TYPE_CHECKING:  # pragma: no cover
    from hyosan.engine.simulation import Simulation
    from hyosan.scenario.schema import ElevatorSpec


@njit(cache=True)
def hold_waiters(n, state, mode, cell, exit_field, stuck, before, lobby_row):
    """Undo this tick's stuck count of evacuees standing in the lobby they were sent to
    (``lobby_row[c]``: the field row of the lobby cell ``c``, -1 elsewhere)."""
    for i in range(n):
        if stuck[i] == before[i] + 1 and IS_HUMAN[state[i]] and mode[i] == M_EVAC and \
                lobby_row[cell[i]] >= 0 and lobby_row[cell[i]] == exit_field[i]:
            stuck[i] = before[i]


@dataclass
class Car:
    """One car's state: where it is, where it goes, whom it carries."""

    name: str
    spec: ElevatorSpec
    lobbies: list[np.ndarray]  # cells of each floor's lobby, discharge first
    rows: list[int]  # the field row people sent to each lobby follow
    floor: int = 0
    target: int = -1  # floor it travels to (-1: standing)
    arrive: float = 0.0  # time it reaches ``target``
    doors_until: float = -1.0  # doors open until then
    riders: list[int] = field(default_factory=list)
    trips: int = 0
    alight_times: list[float] = field(default_factory=list)


class Elevators:
    """Every car of the scenario and the tick's update (after the move phase)."""

    def __init__(self, sim: Simulation):
        from hyosan.engine.fields import N_FIELDS
        from hyosan.errors import ScenarioError

        w = sim.world
        self.cars: list[Car] = []
        self.just_alighted: list[int] = []  # this tick's (a move checker must skip them)
        self.lobby_row = np.full(w.n_cells, -1, np.int64)
        for k, e in enumerate(sim.scenario.elevators):
            cells, rows = [], []
            for j, name in enumerate(e.lobbies):
                if name not in w.places:
                    known = ", ".join(sorted(w.places)) or "none"
                    raise ScenarioError(f"elevators.{k}.lobbies.{j}: no place named {name!r} "
                                        f"(known: {known})")
                c = w.places[name].cells
                cells.append(c)
                row = N_FIELDS + sim.assigned_exits.index(name) if name in \
                    sim.assigned_exits else -1
                rows.append(row)
                if j > 0 and row >= 0:
                    self.lobby_row[c] = row
            levels = {int(w.rowcol(c[:1])[0][0]) for c in cells}
            if len(levels) != len(cells):
                raise ScenarioError(f"elevators.{k}.lobbies: one lobby per floor (two are on "
                                    "the same level)")
            self.cars.append(Car(e.name or f"elevator {k + 1}", e, cells, rows))

    # ------------------------------------------------------------------ hooks
    def move_hooks(self) -> tuple[tuple[str, Callable[[Simulation], None]], ...]:
        """After ``update_stuck`` (``engine/hooks.py``): waiting for a car is not being
        stuck, then the cars move."""
        return (("after_stuck", self.after_stuck), ("after_stuck", self.step))

    def after_stuck(self, sim: Simulation) -> None:
        """Undo this tick's stuck count of those waiting in a lobby (``sim.stuck_before``)."""
        p = sim.pop
        hold_waiters(sim.n, p.state, p.mode, p.cell, p.exit_field, p.stuck, sim.stuck_before,
                     self.lobby_row)

    def step(self, sim: Simulation) -> None:
        """Advance every car to the end of this tick (called after the move phase)."""
        t = sim.time_s + sim.dt
        self.just_alighted = []
        for car in self.cars:
            self._advance(sim, car, t)

    # ------------------------------------------------------------------ the car
    def _waiting(self, sim: Simulation, car: Car, f: int) -> np.ndarray:
        """Agents waiting on floor ``f``'s lobby for this car, lowest number first."""
        if f == 0 or car.rows[f] < 0:
            return np.zeros(0, np.int64)
        p = sim.pop
        c = car.lobbies[f]
        who = sim.occ[c]
        who = who[who >= 0]
        ok = IS_HUMAN[p.state[who]] & (p.mode[who] == M_EVAC) & (p.exit_field[who] ==
                                                                 car.rows[f])
        return np.sort(who[ok])

    def _travel(self, car: Car, to: int, now: float) -> None:
        h = car.spec.floor_height
        car.target = to
        car.arrive = now + abs(to - car.floor) * h / car.spec.speed

    def _advance(self, sim: Simulation, car: Car, t: float) -> None:
        eps = 1e-9
        now = sim.time_s
        if car.target >= 0:  # travelling
            if car.arrive > t + eps:
                return
            car.floor, now = car.target, car.arrive
            car.target = -1
            car.doors_until = now + car.spec.door_time
            self._stop(sim, car, now)
        if car.doors_until >= 0:
            if car.floor == 0 and car.riders:
                self._alight(sim, car, now)  # a full lobby: the rest step out as cells free up
            if car.doors_until > t + eps:
                return
            now = car.doors_until
            car.doors_until = -1.0
        self._next(sim, car, now, t)

    def _stop(self, sim: Simulation, car: Car, now: float) -> None:
        if car.floor == 0:
            self._alight(sim, car, now)
            return
        room = car.spec.capacity - len(car.riders)
        if room <= 0:
            return
        p = sim.pop
        for i in self._waiting(sim, car, car.floor)[:room]:
            i = int(i)
            sim.occ[p.cell[i]] = -1  # off the map, as on a flight
            car.riders.append(i)
            sim.record_event("boarded", agent=i, cell=int(p.cell[i]),
                             detail=f"{car.name}, floor {car.floor}")

    def _alight(self, sim: Simulation, car: Car, now: float) -> None:
        from hyosan.engine.grid import set_cell

        p, w = sim.pop, sim.world
        free = [int(c) for c in car.lobbies[0] if sim.occ[c] < 0]
        out = 0
        while car.riders and free:
            i = car.riders.pop(0)
            c = free.pop(0)
            lv = int(w.rowcol(np.array([c]))[0][0])
            set_cell(i, c, lv, p.cell, p.level, p.row, p.col, sim.lvl_off, sim.lvl_w)
            sim.occ[c] = i
            p.exit_field[i] = 0  # now the nearest exit
            p.goal[i] = 0
            p.budget[i] = 0.0
            p.stuck[i] = 0
            car.alight_times.append(now)
            self.just_alighted.append(i)
            out += 1
            sim.record_event("alighted", agent=i, cell=c, detail=f"{car.name}, floor 0")
        if out:
            car.trips += 1 if not car.riders else 0

    def _next(self, sim: Simulation, car: Car, now: float, t: float) -> None:
        n_floors = len(car.lobbies)
        if car.riders:
            room = car.spec.capacity - len(car.riders)
            below = [f for f in range(car.floor - 1, 0, -1)
                     if room > 0 and len(self._waiting(sim, car, f))]
            self._travel(car, below[0] if below else 0, now)
        else:
            up = [f for f in range(n_floors - 1, 0, -1) if len(self._waiting(sim, car, f))]
            if not up:
                return  # idle where it is
            self._travel(car, up[0], now)
        if car.arrive <= t + 1e-9:  # a zero-length trip (already there): stop now
            self._advance(sim, car, t)

    def summary(self) -> dict:
        return {c.name: {"trips": c.trips, "carried": len(c.alight_times),
                         "riding": len(c.riders)} for c in self.cars}


def build(sim: Simulation) -> Elevators | None:
    """The scenario's cars for the full profile, or None."""
    if not sim.scenario.elevators or sim.profile != Profile.FULL:
        return None
    return Elevators(sim)


def closed_form_alights(n: int, capacity: int, floors_up: int, floor_height: float,
                        speed: float, door_time: float) -> list[float]:
    """When each batch steps out at the discharge floor, for ``n`` people waiting from t = 0 on
    one floor ``floors_up`` above it, the car starting there (an independent reference for the
    verification case)."""
    travel = floors_up * floor_height / speed
    trips = math.ceil(n / capacity)
    return [j * (2 * travel + 2 * door_time) + 2 * travel + door_time for j in range(trips)]
