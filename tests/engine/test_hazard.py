"""The hazard field on its own (``rules/hazard.py``): the published relations, onset and ramp,
who it acts on, incapacitation, rerouting around smoke and zombies, and its scenario errors."""

from __future__ import annotations

import numpy as np
import pytest

from hyosan.codes import S_SUS, S_ZOM
from hyosan.errors import ScenarioError
from hyosan.rules import hazard
from hyosan.validate.egress import hazards as cases
from hyosan.validate.egress.harness import build, egress
from hyosan.validate.movement import box, rows


def test_speed_relation_matches_fds_evac_constants():
    # Frantzich & Nilsson (2003), as in FDS+Evac: v/v0 = 1 - 0.057 Ks / 0.706, floor 0.1
    assert hazard.speed_factor(0.0) == 1.0
    assert hazard.speed_factor(5.0) == pytest.approx(1 - 5 * 0.08074, rel=1e-3)
    assert hazard.speed_factor(50.0) == 0.1


def test_purser_dose_by_hand():
    # FED_CO at 1000 ppm: 2.764e-5 * 1000**1.036 = 0.03546 /min; HV_CO2(0 %) = e^2.0004/7.1
    per_min = hazard.fed_per_s(co_ppm=1000.0) * 60.0
    assert per_min == pytest.approx(0.03546 * 7.392 / 7.1, rel=2e-3)
    # O2 alone at 12 %: 1 / e^(8.13 - 0.54 * 8.9) = 1 / e^3.324 = 0.03601 /min
    assert hazard.fed_per_s(o2_pct=12.0) * 60.0 == pytest.approx(0.03601, rel=2e-3)
    assert hazard.fed_per_s() == 0.0


def test_kernels_act_on_humans_only():
    state = np.array([S_SUS, S_ZOM], np.uint8)
    cell = np.array([0, 0], np.int64)
    before = np.zeros(2)
    budget = np.array([0.2, 0.2])
    down = np.zeros(2, np.bool_)
    hazard.slow(2, state, cell, before, budget, np.array([5.0]), 0.706, -0.057, 0.1, down)
    assert budget[0] == pytest.approx(0.2 * hazard.speed_factor(5.0))
    assert budget[1] == 0.2  # zombies breathe nothing
    fed = np.zeros(2)
    out = np.zeros(2, np.int64)
    k = hazard.dose(2, state, cell, np.array([0.6]), fed, down, 1.0, 1.0, out)
    assert k == 0 and fed[0] == 0.6 and fed[1] == 0.0
    k = hazard.dose(2, state, cell, np.array([0.6]), fed, down, 1.0, 1.0, out)
    assert k == 1 and out[0] == 0 and down[0] and not down[1]
    budget[:] = 0.3
    hazard.slow(2, state, cell, before, budget, np.array([0.0]), 0.706, -0.057, 0.1, down)
    assert budget[0] == 0.0  # the incapacitated walk no more


def test_onset_and_ramp():
    world = cases.smoke_corridor("t/hz_onset", 20.0)
    spec = {"smoke": [{"place": "smoke", "extinction": 4.0, "at": 10.0, "ramp": 20.0}]}
    out = egress(world, {"start": 1}, speed=0.1, t_max=25.0, hazard=spec)
    hz = out.sim.hazard
    cells = world.places["smoke"].cells
    hz._fill(5.0)
    assert hz.ks[cells].max() == 0.0
    hz._fill(20.0)
    assert np.allclose(hz.ks[cells], 2.0)
    hz._fill(40.0)
    assert np.allclose(hz.ks[cells], 4.0)
    assert hz.ks[world.places["start"].cells].max() == 0.0


def test_speed_only_falls_after_onset():
    world = cases.smoke_corridor("t/hz_late", 20.0)
    free = egress(world, {"start": 1}, speed=1.0, t_max=60)
    late = egress(world, {"start": 1}, speed=1.0, t_max=60, hazard={
        "smoke": [{"place": "smoke", "extinction": 12.0, "at": 10.0}]})
    # 21 m (the start cell, 20 m of smoke, the exit cell) at 1 m/s; with smoke from 10 s,
    # 10 m at 1 m/s, then 0.1 m/s: not out by 60 s
    assert float(free.t_escape[0]) == pytest.approx(21.0, abs=0.3)
    assert np.isnan(late.t_escape[0])
    x = float(late.sim.pop.col[0]) * 0.5
    assert 10.0 <= x <= 10.5 + 0.1 * 50 + 0.5


def test_no_hazard_builds_nothing():
    world = cases.smoke_corridor("t/hz_none", 5.0)
    out = egress(world, {"start": 1}, t_max=10)
    assert out.sim.hazard is None and "hazard" not in out.sim.summary()


def test_incapacitated_are_counted_and_reported():
    world = cases.smoke_corridor("t/hz_fed", 20.0)
    out = egress(world, {"start": 2}, speed=1.0, t_max=30, hazard={
        "smoke": [{"place": "smoke", "co": 40000.0, "co2": 5.0}]})
    s = out.sim.summary()["hazard"]
    assert s["incapacitated"] == 2 and s["max_fed"] >= 1.0
    kinds = list(out.sim.events_table()["kind"])
    assert kinds.count("incapacitated") == 2


def test_zombie_presence_reroutes():
    """A zombie standing by the near exit raises the cost of the way past it, so the start
    cell's exit field now points east."""
    g = box(6, 42)
    for r in range(1, 5):
        g[r][14] = "a"
    g[2][0] = g[3][0] = "E"
    g[2][41] = g[3][41] = "E"
    g[2][3] = "z"
    world = build("t/hz_zombie", [rows(g)], {"a": "start", "z": "lair"})
    out = egress(world, [{"count": 1, "places": ["start"]}, {"count": 1, "places": ["lair"]}],
                 t_max=0.2, hazard={"zombies": {"radius": 2.0, "avoid": 10.0}})
    sim = out.sim
    p = sim.pop
    plain = sim.fields[0].copy()
    p.state[1] = S_ZOM
    sim.hazard._rerouted_at = -1e9
    sim.hazard.before_move(sim)
    start = world.places["start"].cells
    west = world.rowcol(start)[2] * 0.5  # metres to the west exit row
    assert np.all(plain[start] < 8.0)  # nearest: west, 7 m
    assert np.all(sim.fields[0][start] > plain[start] + 5.0)
    assert sim.hazard.zmark.sum() > 0 and west.min() > 0


def test_unknown_place_is_a_scenario_error():
    world = cases.smoke_corridor("t/hz_bad", 5.0)
    with pytest.raises(ScenarioError, match=r"hazard\.smoke\.0\.place.*'kitchen'"):
        egress(world, {"start": 1}, t_max=1, hazard={"smoke": [{"place": "kitchen"}]})


def test_hazard_cases_pass():
    for f in (cases.smoke_speed, cases.incapacitation, cases.smoke_reroute):
        r = f("t/" + f.__name__, False)
        assert r.passed, r.measured


def test_weighted_field_with_unit_weight_is_the_distance_field():
    from hyosan.rules.hazard import weighted_field
    from hyosan.world.navigation import distance_field

    world = cases.smoke_corridor("t/hz_unit", 10.0)
    ex = world.exits()
    a = weighted_field(world, ex, np.ones(world.n_cells))
    b = distance_field(world, ex, who="human")
    assert np.array_equal(np.isfinite(a), np.isfinite(b))
    assert np.array_equal(a[np.isfinite(a)], b[np.isfinite(b)])
    w2 = np.full(world.n_cells, 2.0)
    c = weighted_field(world, ex, w2)
    assert np.allclose(c[np.isfinite(c)], 2 * b[np.isfinite(b)], rtol=1e-6)
