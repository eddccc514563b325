"""The engine against the Alemi et al. (2015) zombie models: `hyosan validate epidemic`.

The default suite runs the reduced size; the references are independent (closed form,
gambler's ruin, the continuous-time lattice simulator), never the engine's own output.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from hyosan.reference import alemi
from hyosan.states import State
from hyosan.validate import epidemic as E


def test_reduced_suite_passes(tmp_path):
    checks = E.run(full=False, out_dir=tmp_path)
    failed = [c for c in checks if not c.passed]
    assert not failed, failed
    # 3 mixing trajectories, the extinction row(s), lattice rows per α and the bracketing row
    assert len(checks) == 3 + len(E.REDUCED.ext_alphas) + len(E.REDUCED.lat_alphas) + 1
    assert (tmp_path / "epidemic.csv").read_text().count("\n") == len(checks) + 1
    assert (tmp_path / "epidemic_mixing.png").stat().st_size > 0


@pytest.mark.parametrize("scale", [{"bite_scale": 1.2}, {"kill_scale": 1.2}])
def test_a_20_percent_error_in_a_rule_is_caught(scale):
    # the engine gets a probability 20 % off, the closed form keeps the true β and κ
    ens = E.mixing_ensemble(0.5, seed=3, **scale)
    assert not E.check_mixing(ens).passed
    dS, dZ = ens.deviation()
    assert max(dS, dZ) > 1.5 * ens.tolerance()  # not a near miss


def test_contact_mapping_round_trip_and_small_p():
    n, c = E.REDUCED.mix_agents, E.REDUCED.mix_rows * E.REDUCED.mix_cols
    p = alemi.contact_probability_from_beta(E.MIX_BETA_DT, n_agents=n, n_cells=c)
    # β = k·p·N/(C − 1) by hand, k = 8
    assert E.MIX_BETA_DT == pytest.approx(8 * p * n / (c - 1))
    # first order in p is enough only if p·k·Z/C (several zombies on one human) stays small
    assert p < 0.05 and n / c <= 0.1


def test_ruin_probability_against_hand_values_and_brute_force():
    assert E.ruin_probability(0.5, 2) == pytest.approx(0.5 / (1 + 0.5))  # one step decides
    assert E.ruin_probability(0.8, 10**6) == pytest.approx(0.8)
    assert E.ruin_probability(1.3, 5) == 1.0
    # brute force random walk: up w.p. 1/(1+α) from 1, absorbed at 0 or M
    rng = np.random.default_rng(0)
    alpha, stop, runs = 0.6, 6, 20000
    ruined = 0
    for _ in range(runs):
        z = 1
        while 0 < z < stop:
            z += 1 if rng.random() < 1 / (1 + alpha) else -1
        ruined += z == 0
    p = E.ruin_probability(alpha, stop)
    assert abs(ruined / runs - p) < 4 * math.sqrt(p * (1 - p) / runs)


def test_grid_scenarios_are_what_the_references_assume():
    from hyosan.engine.simulation import Simulation

    sc = E.grid_scenario(rows=8, cols=8, agents=64, z0=1, p_bite=0.2, p_kill=0.1,
                         profile="lattice", neighbourhood="von_neumann")
    sim = Simulation(sc, seed=1)
    assert sim.n == 64 and len(np.unique(sim.pop.cell)) == 64  # every site filled
    assert np.count_nonzero(sim.pop.state == State.ZOMBIE) == 1
    start = sim.pop.cell.copy()
    for _ in range(5):
        sim.step()
    assert np.array_equal(sim.pop.cell, start)  # nobody moves on the lattice


def test_active_bond_detection():
    from hyosan.engine.simulation import Simulation

    sc = E.grid_scenario(rows=6, cols=6, agents=36, z0=1, p_bite=0.0, p_kill=0.0,
                         profile="lattice", neighbourhood="von_neumann")
    sim = Simulation(sc, seed=2)
    assert E._has_active_bond(sim, 6)
    sim.pop.state[sim.pop.state == State.SUSCEPTIBLE] = State.DESTROYED
    assert not E._has_active_bond(sim, 6)


@pytest.mark.slow
def test_full_suite_passes():
    checks = E.run(full=True)
    failed = [c for c in checks if not c.passed]
    assert not failed, failed
