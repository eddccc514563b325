"""What a response action may read and change: the part of the Simulation it is given."""

from __future__ import annotations

from typing import Protocol

import numpy as np

from hyosan.codes import IS_HUMAN
from hyosan.population import Population
from hyosan.rules.movement.ways import Ways, take_off
from hyosan.scenario.schema import Scenario
from hyosan.world.world import World


class Context(Protocol):
    """The run as response actions see it (``Simulation`` provides all of it)."""

    pop: Population
    world: World
    scenario: Scenario
    occ: np.ndarray  # cell -> agent standing there (-1)
    ways: Ways
    hideable: np.ndarray  # place index -> can people shut themselves in
    in_school: np.ndarray  # cell -> inside a building
    broadcast_place: str | None
    strike_rng: np.random.Generator
    wait_place: int  # place index where people wait (the rooftop, or the gather place)

    @property
    def time_s(self) -> float: ...

    def school_room_doors(self) -> np.ndarray: ...

    def doors_changed(self) -> None: ...

    def exits_changed(self) -> None: ...

    def set_gather(self, place: str) -> None: ...

    def area_mask(self, place_index: int) -> np.ndarray: ...

    def add_noise_at_place(self, place: str, loudness: float, radius_m: float,
                           duration_s: float) -> None: ...

    def record_event(self, kind: str, *, agent: int = -1, other: int = -1, cell: int = -1,
                     place: str = "", detail: str = "") -> None: ...


def school_humans(ctx: Context) -> np.ndarray:
    """Living people inside buildings (those an alarm or an order reaches)."""
    p = ctx.pop
    return np.flatnonzero(IS_HUMAN[p.state] & ctx.in_school[p.cell])


def leave(ctx: Context, who: np.ndarray, state: int) -> None:
    """Take agents off the map in ``state`` (escaped, destroyed, dead) now."""
    p = ctx.pop
    p.state[who] = state
    p.ended_at[who] = ctx.time_s
    take_off(who, p.cell, p.flight, ctx.occ, ctx.ways)
