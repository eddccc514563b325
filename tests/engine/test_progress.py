"""Time to turn follows the scenario's distribution; carriers never turn."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats
from tests.engine.conftest import scenario

from hyosan import Simulation
from hyosan.engine.rng import stream_key
from hyosan.rules.contact import TURN_EXPONENTIAL, TURN_LOGNORMAL, draw_turn_delay
from hyosan.states import State

N = 10_000


def _draws(dist: int, median: float, sigma: float, lo: float, hi: float) -> np.ndarray:
    key = stream_key(123, "contact")
    return np.array([draw_turn_delay(dist, median, sigma, lo, hi, key, 7, i) for i in range(N)])


def test_lognormal_turn_times_match_the_distribution():
    x = _draws(TURN_LOGNORMAL, 120.0, 1.0, 0.0, 1e12)
    ref = stats.lognorm(s=1.0, scale=120.0)  # median = scale
    assert stats.kstest(x, ref.cdf).pvalue > 0.01
    assert np.median(x) == pytest.approx(120.0, rel=0.05)


def test_exponential_turn_times_match_the_distribution():
    x = _draws(TURN_EXPONENTIAL, 60.0, 1.0, 0.0, 1e12)
    ref = stats.expon(scale=60.0 / np.log(2.0))  # median 60 s
    assert stats.kstest(x, ref.cdf).pvalue > 0.01


@pytest.mark.parametrize("dist", [TURN_LOGNORMAL, TURN_EXPONENTIAL])
def test_bounds_truncate_the_distribution(dist):
    # the flagship's bounds: 10 s to 15 min around a 2 min median
    x = _draws(dist, 120.0, 1.0, 10.0, 900.0)
    assert x.min() >= 10.0 and x.max() <= 900.0
    base = (stats.lognorm(s=1.0, scale=120.0) if dist == TURN_LOGNORMAL
            else stats.expon(scale=120.0 / np.log(2.0)))
    f_lo, f_hi = base.cdf(10.0), base.cdf(900.0)
    assert stats.kstest(x, lambda v: (base.cdf(v) - f_lo) / (f_hi - f_lo)).pvalue > 0.01
    # no spike at either bound: the last (first) 1 % of the range holds what the truncated
    # density puts there (a clip would pile ~2 % of all draws on 900 s, 0.6 % on 10 s)
    for a, b in ((891.0, 900.0), (10.0, 18.9)):
        expect = (base.cdf(b) - base.cdf(a)) / (f_hi - f_lo)
        got = np.mean((x >= a) & (x <= b))
        assert abs(got - expect) < 4 * np.sqrt(expect / N) + 1e-4, (a, got, expect)


def test_truncation_deep_in_a_tail():
    # bounds far in the upper tail (P < 1e-6 untruncated) still give the right law
    x = _draws(TURN_LOGNORMAL, 1.0, 0.5, 20.0, 40.0)
    base = stats.lognorm(s=0.5, scale=1.0)
    f_lo, f_hi = base.cdf(20.0), base.cdf(40.0)
    assert x.min() >= 20.0 and x.max() <= 40.0
    assert stats.kstest(x, lambda v: (base.cdf(v) - f_lo) / (f_hi - f_lo)).pvalue > 0.01


GRID = """
name: carriers
world: {{generator: grid, grid: {{rows: 40, cols: 40, torus: true}}}}
population:
  - {{role: resident, count: 400, places: [grid], group_by_place: false}}
outbreak:
  index_cases: [{{place: grid, count: 10, already_zombie: true}}]
  bite_probability: 0.5
  turn: {{distribution: lognormal, median: 20 s, sigma: 0.5, min: 1 s, max: 200 s}}
  carrier_fraction: {carriers}
behaviour:
  profile: random_walk
  roles: {{resident: {{fights: never}}}}
run: {{dt: 1 s, duration: 400 s, frames_every: 0 s, seed: 9}}
"""


def test_immune_carriers_never_turn():
    sim = Simulation(scenario(GRID.format(carriers=1.0)))
    result = sim.run()
    ts = result.timeseries
    assert ts["carrier"][-1] > 100  # many were bitten
    assert ts["zombie"].max() == 10  # and none of them turned
    assert "turn" not in result.events["kind"]


def test_recorded_turn_times_follow_the_scenario_distribution():
    sim = Simulation(scenario(GRID.format(carriers=0.0)))
    sim.run()
    bitten = ~np.isnan(sim.pop.turn_delay)
    d = sim.pop.turn_delay[bitten]
    assert len(d) > 150
    ref = stats.lognorm(s=0.5, scale=20.0)
    assert stats.kstest(d, ref.cdf).pvalue > 0.01
    # those bitten early enough all turned, exactly after their drawn delay
    turned = bitten & (sim.pop.state != State.INFECTED)
    lag = sim.pop.turned_at[turned] - sim.pop.bitten_at[turned]
    assert np.all(np.abs(lag - np.ceil(sim.pop.turn_delay[turned] - 1e-6)) <= 1.0)
