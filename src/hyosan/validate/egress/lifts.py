"""Elevator case: a car empties an upper floor in batches (``rules/elevators.py``)."""

from __future__ import annotations

import warnings

import numpy as np

from hyosan.rules.elevators import closed_form_alights
from hyosan.validate.egress.harness import build, egress
from hyosan.validate.egress.result import Result
from hyosan.validate.movement import box, rows
from hyosan.world.floorplan import FloorPlanWarning


def elevator_world(key: str):
    """Two floors 10 m × 5 m: on the upper one a 2.5 m × 2 m lobby ("lobby 1") where people
    start, on the ground a lobby ("lobby 0") below it and an exit 7 m away; no stairs."""
    f0, f1 = box(12, 22), box(12, 22)
    for r in range(4, 8):
        for c in range(2, 7):
            f1[r][c] = "l"
            f0[r][c] = "g"
    f0[5][21] = f0[6][21] = "E"
    with warnings.catch_warnings():  # the upper floor is reached by the car alone
        warnings.simplefilter("ignore", FloorPlanWarning)
        return build(key, [rows(f0), rows(f1)], {"g": "lobby 0", "l": "lobby 1"})


def elevator_usage(key: str, full: bool) -> Result:
    """Elevator usage (NIST Verif.2.7, ISO Test 8; our reading): ``n`` people (reduced 12,
    full 20) wait in the upper lobby for one car of 8 places, 4 m between floors at 1 m/s,
    doors open 4 s a stop, the car starting on the ground floor. It empties the floor in
    ⌈n / 8⌉ trips; each batch steps out at j·(2·4 s + 2·4 s) + 2·4 s + 4 s (the closed form;
    the car's clock, and the ``alighted`` events on the ground floor ± a tick), and everyone
    then walks out."""
    world = elevator_world(key)
    n = 20 if full else 12
    spec = {"name": "lift", "lobbies": ["lobby 0", "lobby 1"], "capacity": 8, "speed": 1.0,
            "floor_height": 4.0, "door_time": 4.0}
    out = egress(world, [{"count": n, "places": ["lobby 1"], "exit": "lobby 1"}],
                 t_max=200, elevators=[spec])
    car = out.sim.elevators.cars[0]
    want = closed_form_alights(n, 8, 1, 4.0, 1.0, 4.0)
    got = sorted(set(np.round(car.alight_times, 6)))
    sizes = [int(np.sum(np.isclose(car.alight_times, t))) for t in got]
    ev = out.sim.events_table()
    kind = np.asarray(ev["kind"], dtype=object)
    seen = np.asarray(ev["tick"])[kind == "alighted"] * out.sim.dt  # on the ground floor
    placed_ok = len(seen) == n and all(
        np.abs(seen[j * 8:(j + 1) * 8] - want[j]).max() <= out.sim.dt + 1e-9
        for j in range(len(want)))
    want_sizes = [min(8, n - 8 * j) for j in range(len(want))]
    ok = (len(got) == len(want) and np.allclose(got, want, atol=out.sim.dt + 1e-9)
          and sizes == want_sizes and placed_ok and out.done)
    return Result(f"{len(want)} trips of ≤ 8; batches out at the closed form ± a tick; all out",
                  "batches " + ", ".join(f"{k} at {t:.1f} s" for k, t in zip(sizes, got,
                                                                             strict=False))
                  + " (closed form " + ", ".join(f"{t:.0f}" for t in want) + f" s); all out: "
                  f"{out.done} by {np.nanmax(out.t_escape):.0f} s", ok, out.violations)
