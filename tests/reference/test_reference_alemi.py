"""Well-mixed SZR (Alemi et al. 2015): closed form, Gillespie, tau-leaping, extinction."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.integrate import solve_ivp

from hyosan.errors import ScenarioError
from hyosan.reference import alemi

T = np.linspace(0.0, 20.0, 41)


def _binomial_ok(k: int, n: int, p: float, z: float = 3.3) -> bool:
    """k successes in n trials are within z standard errors of p (z = 3.3: 99.9 %)."""
    return abs(k / n - p) <= z * math.sqrt(max(p * (1 - p), 1e-12) / n) + 0.5 / n


@pytest.mark.parametrize("kappa,S0,Z0,R0", [(0.3, 999, 1, 0), (0.8, 900, 50, 50),
                                            (1.0, 500, 20, 0), (1.5, 1000, 400, 0),
                                            (1.5, 1000, 2, 0), (0.0, 100, 1, 0)])
def test_closed_form_matches_numerical_integration(kappa, S0, Z0, R0):
    N = S0 + Z0 + R0
    t = np.linspace(0, 60, 61)
    sol = solve_ivp(alemi.rhs_alemi, (0, 60), [S0, Z0, R0], args=(1.3, kappa, N),
                    t_eval=t, rtol=1e-11, atol=1e-9, method="LSODA")
    S, Z, R = alemi.closed_form(t, S0=S0, Z0=Z0, R0=R0, beta=1.3, kappa=kappa)
    np.testing.assert_allclose(S, sol.y[0], rtol=1e-6, atol=1e-6)
    np.testing.assert_allclose(Z, sol.y[1], rtol=1e-6, atol=1e-6)
    np.testing.assert_allclose(R, sol.y[2], rtol=1e-6, atol=1e-6)


@pytest.mark.parametrize("alpha,S0,Z0", [(0.5, 1000, 1), (1.5, 1000, 10), (3.0, 100, 150)])
def test_final_size_is_the_long_time_limit(alpha, S0, Z0):
    S_inf, Z_inf = alemi.final_size(S0=S0, Z0=Z0, alpha=alpha)
    sol = solve_ivp(alemi.rhs_alemi, (0, 5000), [S0, Z0, 0], args=(1.0, alpha, S0 + Z0),
                    rtol=1e-11, atol=1e-11, method="LSODA")
    assert sol.y[0, -1] == pytest.approx(S_inf, abs=1e-3)
    assert sol.y[1, -1] == pytest.approx(Z_inf, abs=1e-3)


def test_time_convention_single_pair():
    # one zombie, one human, no kills: the bite comes at rate β·1·1/N with N = 2
    beta = 0.8
    t = np.array([0.5, 2.0, 5.0])
    res = alemi.gillespie(S0=1, Z0=1, beta=beta, kappa=0.0, t=t, runs=4000, seed=3)
    for j, tj in enumerate(t):
        p = 1 - math.exp(-beta * tj / 2)
        assert _binomial_ok(int((res.Z[:, j] == 2).sum()), 4000, p)


def test_deterministic_limits():
    res = alemi.gillespie(S0=300, Z0=1, kappa=0.0, t=np.array([0.0, np.inf]), runs=5)
    assert np.all(res.S[:, -1] == 0) and np.all(res.Z[:, -1] == 301)
    assert np.all(res.events == 300)
    # kills only: the first event destroys the lone zombie
    res = alemi.gillespie(S0=300, Z0=1, beta=1e-12, kappa=1.0, t=np.array([0.0, np.inf]),
                          runs=5)
    assert np.all(res.Z[:, -1] == 0) and np.all(res.R[:, -1] == 1)


@pytest.mark.parametrize("alpha", [0.3, 0.5, 0.8])
def test_gillespie_ensemble_mean_follows_the_closed_form(alpha):
    # Z0 large enough that early extinction is negligible; a 20 % error in β or κ moves the
    # closed form by more than 4 % of N at some time, the tolerance is 1 %
    S0, Z0, runs = 10_000, 500, 100
    res = alemi.gillespie(S0=S0, Z0=Z0, kappa=alpha, t=T, runs=runs, seed=14)
    S, Z, R = alemi.closed_form(T, S0=S0, Z0=Z0, kappa=alpha)
    m = res.mean()
    N = S0 + Z0
    assert np.max(np.abs(m["S"] - S)) < 0.01 * N
    assert np.max(np.abs(m["Z"] - Z)) < 0.01 * N
    assert np.max(np.abs(m["R"] - R)) < 0.01 * N
    assert np.all(res.S + res.Z + res.R == N)


@pytest.mark.parametrize("alpha,z0", [(0.5, 1), (0.8, 1), (0.6, 3), (1.2, 1)])
def test_early_extinction_probability(alpha, z0):
    runs = 2000
    extinct, n = alemi.simulate_extinction(alpha=alpha, Z0=z0, runs=runs, seed=14)
    p = alemi.extinction_probability(alpha, z0)
    assert p == pytest.approx(min(alpha, 1.0) ** z0)
    assert _binomial_ok(extinct, n, p)


@pytest.mark.parametrize("alpha", [0.3, 0.8])
def test_tau_leaping_means_match_gillespie(alpha):
    S0, Z0, runs = 20_000, 500, 40
    kw = dict(S0=S0, Z0=Z0, kappa=alpha, t=T, runs=runs)
    tl = alemi.tau_leap(**kw, seed=1)
    ex = alemi.gillespie(**kw, seed=2)
    N = S0 + Z0
    for k in "SZR":
        assert np.max(np.abs(tl.mean()[k] - ex.mean()[k])) < 0.01 * N
    assert np.all(tl.S + tl.Z + tl.R == N)
    assert np.all(tl.S >= 0) and np.all(tl.Z >= 0)


def test_contact_mapping_by_brute_force_placement():
    # N agents at uniformly random distinct cells of a 30×30 torus: the mean number of
    # (zombie, susceptible Moore neighbour) pairs must be 8·S·Z/(C − 1), the basis of the map
    rng = np.random.default_rng(4)
    side, S, Z = 30, 200, 100
    C = side * side
    labels = np.zeros(C, dtype=np.int8)
    labels[:S] = 1
    labels[S:S + Z] = 2
    total = 0
    reps = 400
    for _ in range(reps):
        grid = rng.permutation(labels).reshape(side, side)
        zs = grid == 2
        for dr in (-1, 0, 1):
            for dc in (-1, 0, 1):
                if dr or dc:
                    total += int(np.sum(zs & (np.roll(grid, (dr, dc), axis=(0, 1)) == 1)))
    expected = 8 * S * Z / (C - 1)
    assert total / reps == pytest.approx(expected, rel=0.01)
    # p per contact per tick → β with the convention β·S·Z/N (bites per tick = p · pairs)
    p, N = 0.05, S + Z
    beta = alemi.beta_from_contact_probability(p, n_agents=N, n_cells=C)
    assert beta * S * Z / N == pytest.approx(p * expected)
    assert alemi.contact_probability_from_beta(beta, n_agents=N, n_cells=C) == pytest.approx(p)


def test_user_errors():
    with pytest.raises(ScenarioError, match="beta"):
        alemi.gillespie(beta=0.0)
    with pytest.raises(ScenarioError, match="S0"):
        alemi.gillespie(S0=-3)
    with pytest.raises(ScenarioError, match="p"):
        alemi.beta_from_contact_probability(1.5, n_agents=10, n_cells=100)
