"""Elevators on their own (``rules/elevators.py``): the closed-form schedule, the highest floor
first with stops on the way down, riders off the map, waiting is not being stuck, errors."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from hyosan.codes import Mode
from hyosan.errors import ScenarioError
from hyosan.rules.elevators import closed_form_alights
from hyosan.validate.egress import lifts
from hyosan.validate.egress.harness import build, egress
from hyosan.validate.movement import box, rows
from hyosan.world.floorplan import FloorPlanWarning


def test_closed_form_by_hand():
    # 4 m at 1 m/s = 4 s each way, doors 4 s: out at 12 s, then every 16 s
    assert closed_form_alights(20, 8, 1, 4.0, 1.0, 4.0) == [12.0, 28.0, 44.0]
    assert closed_form_alights(3, 8, 2, 3.0, 2.0, 5.0) == [2 * 3.0 + 5.0]


def test_elevator_case_passes():
    r = lifts.elevator_usage("t/lift", False)
    assert r.passed, r.measured


def _three_floors(key):
    fl = [box(10, 12) for _ in range(3)]
    for k, f in enumerate(fl):
        for r in range(3, 6):
            for c in range(2, 5):
                f[r][c] = "abc"[k]
    fl[0][4][11] = "E"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FloorPlanWarning)
        return build(key, [rows(f) for f in fl], {"a": "L0", "b": "L1", "c": "L2"})


def test_highest_floor_first_then_stops_on_the_way_down():
    world = _three_floors("t/lift3")
    spec = {"lobbies": ["L0", "L1", "L2"], "capacity": 5, "speed": 2.0, "floor_height": 3.0,
            "door_time": 2.0}
    ride_seen = []

    def tick(sim, prev):
        car = sim.elevators.cars[0]
        for i in car.riders:  # riders are off the map
            ride_seen.append(sim.occ[sim.pop.cell[i]] != i)

    out = egress(world, [{"count": 3, "places": ["L1"], "exit": "L1"},
                         {"count": 2, "places": ["L2"], "exit": "L2"}],
                 t_max=120, elevators=[spec], on_tick=tick)
    ev = out.sim.events_table()
    kinds = list(ev["kind"])
    boards = [d for k, d in zip(kinds, ev["detail"], strict=True) if k == "boarded"]
    assert boards[:2] == ["elevator 1, floor 2"] * 2 and boards[2:] == ["elevator 1, floor 1"] * 3
    car = out.sim.elevators.cars[0]
    # up 6 m (3 s), doors 2 s, down 3 m (1.5 s), doors 2 s, down 3 m (1.5 s): out at 10 s
    assert car.alight_times == pytest.approx([10.0] * 5)
    assert out.done and all(ride_seen) and ride_seen
    assert out.sim.summary()["elevators"]["elevator 1"]["carried"] == 5


def test_waiting_for_the_car_is_not_being_stuck():
    world = lifts.elevator_world("t/lift_slow")
    spec = {"lobbies": ["lobby 0", "lobby 1"], "capacity": 1, "speed": 0.2,
            "floor_height": 4.0, "door_time": 5.0}  # 50 s a round trip: far past 20 s
    modes = []
    out = egress(world, [{"count": 4, "places": ["lobby 1"], "exit": "lobby 1"}],
                 t_max=260, elevators=[spec],
                 on_tick=lambda sim, prev: modes.append(set(sim.pop.mode.tolist())))
    assert out.done
    assert all(m <= {int(Mode.EVACUATE)} for m in modes)  # nobody gave up and hid


def test_unknown_lobby_and_no_elevators():
    world = lifts.elevator_world("t/lift_bad")
    with pytest.raises(ScenarioError, match=r"elevators\.0\.lobbies\.1.*'attic'"):
        egress(world, {"lobby 1": 1}, t_max=1, elevators=[{"lobbies": ["lobby 0", "attic"]}])
    out = egress(world, {"lobby 0": 1}, t_max=1)
    assert out.sim.elevators is None
    assert np.isfinite(out.t_escape).sum() <= 1
