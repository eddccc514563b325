"""A zombie with nothing to see, hear or chase keeps wandering (dormant), and wakes when a person
comes within its sight or hearing, or when a noise reaches it.

Radii are the scenario's own (``behaviour.zombies.sight`` and ``hearing``, in metres): the
test places the one person at distances read from them, not from the code's output. Whatever
the engine does to spare dormant zombies work (issue 17), these must hold.
"""

from __future__ import annotations

import numpy as np
import pytest

from hyosan import Simulation
from hyosan.codes import Mode, State
from hyosan.scenario.schema import Scenario
from hyosan.validate.egress.harness import build
from hyosan.validate.movement import box, rows

N_ROWS, N_COLS = 20, 400  # an open hall of 10 m × 200 m (0.5 m cells)


def _sim() -> tuple[Simulation, int, int]:
    g = box(N_ROWS, N_COLS, "a")
    world = build("t/wake", [rows(g)], {"a": "hall"})
    sc = Scenario.model_validate({
        "name": "wake", "world": {"generator": "grid"},
        "population": [{"role": "student", "count": 1, "places": ["hall"]}],
        "behaviour": {"on_alert": "stay"},
        "outbreak": {"carrier_fraction": 0.0,
                     "index_cases": [{"place": "hall", "already_zombie": True}]}})
    sim = Simulation(sc, seed=4, world=world)
    p = sim.pop
    z = int(np.flatnonzero(p.state == State.ZOMBIE)[0])
    h = int(np.flatnonzero(p.state == State.SUSCEPTIBLE)[0])
    return sim, z, h


def _put(sim: Simulation, i: int, r: int, c: int) -> None:
    """Move agent ``i`` to (r, c) of the one level, keeping the occupancy grid right."""
    p = sim.pop
    sim.occ[p.cell[i]] = -1
    cell = r * N_COLS + c
    assert sim.occ[cell] < 0
    p.cell[i], p.row[i], p.col[i] = cell, r, c
    sim.occ[cell] = i


def _metres(sim: Simulation, m: float) -> int:
    return int(round(m / sim.world.cell_size))


def _wander(sim: Simulation, z: int, ticks: int) -> list[int]:
    modes = []
    for _ in range(ticks):
        sim.step()
        modes.append(int(sim.pop.mode[z]))
    return modes


def _far_apart(sim: Simulation, z: int, h: int) -> None:
    zb = sim.scenario.behaviour.zombies
    gap = _metres(sim, max(zb.hearing, zb.sight) * 1.5)
    assert 10 + gap < N_COLS - 2
    _put(sim, z, 10, 10)
    _put(sim, h, 10, 10 + gap)
    sim.pop.mode[z] = Mode.ZWANDER
    sim.pop.target[z] = -1


def test_dormant_zombie_keeps_wandering():
    sim, z, h = _sim()
    _far_apart(sim, z, h)
    modes = _wander(sim, z, 100)  # 20 s: ten hearing checks, fifty looks
    assert set(modes) == {int(Mode.ZWANDER)}


@pytest.mark.parametrize("sense", ["sight", "hearing"])
def test_dormant_zombie_wakes_when_a_person_comes_within_reach(sense):
    sim, z, h = _sim()
    _far_apart(sim, z, h)
    assert set(_wander(sim, z, 20)) == {int(Mode.ZWANDER)}
    zb = sim.scenario.behaviour.zombies
    # within sight: 0.6 of the sight radius; heard but not seen: between the two radii
    reach = 0.6 * zb.sight if sense == "sight" else 0.5 * (zb.sight + zb.hearing)
    p = sim.pop
    _put(sim, h, int(p.row[z]), int(p.col[z]) + _metres(sim, reach))
    modes = _wander(sim, z, 12)  # a look every 2 ticks, a listen every 10
    want = Mode.ZCHASE if sense == "sight" else Mode.ZINVESTIGATE
    assert int(want) in modes, f"the zombie did not wake by {sense}: modes {modes}"
    k = modes.index(int(want))
    assert k < (2 if sense == "sight" else 10)


def test_dormant_zombie_wakes_when_a_noise_reaches_it():
    sim, z, h = _sim()
    _far_apart(sim, z, h)
    assert set(_wander(sim, z, 20)) == {int(Mode.ZWANDER)}
    p = sim.pop
    zr, zc = int(p.row[z]), int(p.col[z])
    # an alarm 30 m away, heard over 40 m, for a minute
    sim.add_noise(0, zr, zc + _metres(sim, 30.0), 1.0, 40.0, 60.0)
    modes = _wander(sim, z, 4)
    assert int(Mode.ZINVESTIGATE) in modes
    noise_cell = zr * N_COLS + zc + _metres(sim, 30.0)
    assert int(p.target[z]) == noise_cell
