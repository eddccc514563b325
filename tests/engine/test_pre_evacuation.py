"""Pre-evacuation times (``population[].pre_evacuation``) on their own: drawn per agent from the
stated distribution, and each agent leaves routine that long after the alarm."""

from __future__ import annotations

import numpy as np
import pytest
from pydantic import ValidationError
from scipy import stats

from hyosan.engine.setup import draw_pre_evacuation
from hyosan.scenario.schema import PreEvacuationSpec, SpawnSpec
from hyosan.validate.egress.harness import build, egress
from hyosan.validate.egress.routes import PRE_EVACUATION
from hyosan.validate.movement import box, rows


def _hall(n_rows: int = 30, n_cols: int = 40):
    g = box(n_rows, n_cols, "a")
    g[n_rows // 2][0] = "E"
    return build("t/hall", [rows(g)], {"a": "hall"})


@pytest.mark.parametrize("name", list(PRE_EVACUATION))
def test_draws_follow_each_distribution(name):
    spec, ref = PRE_EVACUATION[name]
    t = draw_pre_evacuation(np.random.default_rng(5), PreEvacuationSpec(**spec), 4000)
    assert stats.kstest(t, ref.cdf).pvalue > 0.01


def test_engine_start_times_follow_the_distribution():
    """Measured in the engine: the tick each of 600 people leaves routine (gamma, KS)."""
    spec, ref = PRE_EVACUATION["gamma"]
    out = egress(_hall(), [{"count": 600, "places": ["hall"], "pre_evacuation": spec}],
                 t_max=300, stop_when_started=True, check=False)
    assert np.isfinite(out.t_start).all()
    assert stats.kstest(out.t_start, ref.cdf).pvalue > 0.01
    # and each one within a tick of its own draw
    assert np.abs(out.t_start - out.extra["premove"]).max() <= out.sim.dt + 1e-6


def test_fixed_time_and_no_time():
    out = egress(_hall(), [{"count": 5, "places": ["hall"],
                            "pre_evacuation": {"distribution": "fixed", "value": "30 s"}},
                           {"count": 5, "places": ["hall"]}], t_max=60,
                 stop_when_started=True)
    assert out.t_start[:5] == pytest.approx(30.0, abs=0.2)
    assert (out.t_start[5:] == 0.0).all()  # the default: they go at once


def test_truncated_to_min_and_max_without_pile_up():
    """Bounds truncate the law (KS against scipy's truncated normal), no mass on a bound."""
    spec = PreEvacuationSpec(distribution="normal", mean=10.0, sd=50.0, min=5.0, max=20.0)
    t = draw_pre_evacuation(np.random.default_rng(1), spec, 4000)
    assert 5.0 <= t.min() and t.max() <= 20.0
    assert ((t == 5.0) | (t == 20.0)).sum() == 0
    ref = stats.truncnorm((5.0 - 10.0) / 50.0, (20.0 - 10.0) / 50.0, loc=10.0, scale=50.0)
    assert stats.kstest(t, ref.cdf).pvalue > 0.01


def test_bad_specs_are_refused():
    with pytest.raises(ValidationError, match="uniform"):
        PreEvacuationSpec(distribution="uniform", min=1.0)
    with pytest.raises(ValidationError, match="below"):
        PreEvacuationSpec(distribution="fixed", min=10.0, max=5.0)
    with pytest.raises(ValidationError):
        SpawnSpec(role="student", count=1, places=["a"],
                  pre_evacuation={"distribution": "beta"})
    with pytest.raises(ValidationError, match="positive 'sd'"):
        PreEvacuationSpec(distribution="normal", mean=60.0)
    with pytest.raises(ValidationError, match="positive 'median'"):
        PreEvacuationSpec(distribution="lognormal", sigma=0.5)
    with pytest.raises(ValidationError, match="no probability"):
        PreEvacuationSpec(distribution="normal", mean=1000.0, sd=1.0, max=10.0)


def test_a_seen_zombie_ends_the_wait():
    """Someone still finishing their work flees a zombie in sight at once."""
    from hyosan.engine.simulation import Simulation
    from hyosan.population import Mode
    from hyosan.scenario.schema import Scenario
    from hyosan.states import State

    world = _hall(12, 20)
    sc = Scenario.model_validate({
        "name": "t", "world": {"generator": "grid"},
        "population": [{"role": "student", "count": 1, "places": ["hall"],
                        "pre_evacuation": {"distribution": "fixed", "value": "100 s"}}],
        "behaviour": {"on_alert": "evacuate"},
        "outbreak": {"carrier_fraction": 0.0,
                     "index_cases": [{"place": "hall", "already_zombie": True}]}})
    sim = Simulation(sc, seed=1, world=world)
    p = sim.pop
    human = int(np.flatnonzero(p.state == State.SUSCEPTIBLE)[0])
    p.alerted[human] = 2
    p.plan[human] = Mode.EVACUATE
    for _ in range(10):
        sim.step()
    assert p.mode[human] != Mode.ROUTINE
    assert p.premove[human] > 90.0  # the wait was cut short, not counted down
