"""Munz et al. (2009) ODE family: right-hand sides by hand, conservation, the paper's claims."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.optimize import brentq

from hyosan.errors import ScenarioError
from hyosan.reference import munz


def test_rhs_against_hand_computed_values():
    # βSZ = 0.01·100·2 = 2, δS = 2, ζR = 1, αSZ = 1 (see the worked numbers in each comment)
    p = dict(beta=0.01, alpha=0.005, zeta=0.1, delta=0.02, Pi=3.0)
    np.testing.assert_allclose(munz.rhs_szr(0, np.array([100, 2, 10.0]), **p), [-1, 2, 2])
    # I = 5, ρ = 0.2: ρI = 1, δI = 0.1
    y4 = np.array([100, 5, 2, 10.0])
    np.testing.assert_allclose(munz.rhs_sizr(0, y4, **p, rho=0.2), [-1, 0.9, 1, 2.1])
    # κI = 2, σZ = 1, γQ = 1 with κ = 0.4, σ = 0.5, γ = 0.25, Q = 4
    y5 = np.array([100, 5, 2, 10.0, 4.0])
    np.testing.assert_allclose(
        munz.rhs_quarantine(0, y5, **p, rho=0.2, kappa=0.4, sigma=0.5, gamma=0.25),
        [-1, -1.1, 0, 3.1, 2])
    # cZ = 1 with c = 0.5
    np.testing.assert_allclose(munz.rhs_treatment(0, y4, **p, rho=0.2, c=0.5),
                               [0, 0.9, 0, 2.1])


def test_rhs_sum_is_the_birth_rate():
    # every transfer leaves one compartment for another: the total changes only by Π
    rng = np.random.default_rng(1)
    for _ in range(20):
        y = rng.uniform(0, 100, 5)
        p = dict(beta=rng.uniform(0, 0.1), alpha=rng.uniform(0, 0.1), zeta=rng.uniform(0, 1),
                 delta=rng.uniform(0, 1), Pi=rng.uniform(0, 5))
        assert munz.rhs_szr(0, y[:3], **p).sum() == pytest.approx(p["Pi"])
        assert munz.rhs_sizr(0, y[:4], **p, rho=0.3).sum() == pytest.approx(p["Pi"])
        assert munz.rhs_treatment(0, y[:4], **p, rho=0.3, c=0.2).sum() == pytest.approx(p["Pi"])
        assert munz.rhs_quarantine(0, y, **p, rho=0.3, kappa=0.1, sigma=0.2,
                                   gamma=0.3).sum() == pytest.approx(p["Pi"])


@pytest.mark.parametrize("variant", munz.VARIANTS)
def test_population_is_conserved_without_births_deaths_or_resurrection(variant):
    res = munz.solve_munz(variant, Pi=0.0, delta=0.0, zeta=0.0, t_end=50.0)
    n0 = res.total[0]
    assert n0 > 0
    if variant == "impulsive":
        # strikes remove zombies from the system; between strikes the total is constant
        pre = res.t < res.strikes[0]
        np.testing.assert_allclose(res.total[pre], n0, rtol=1e-8)
    else:
        np.testing.assert_allclose(res.total, n0, rtol=1e-8)


def test_doomsday_for_the_basic_parameters():
    res = munz.solve_szr()  # paper's values: α = 0.005, β = 0.0095, ζ = δ = 1e-4, N = 500
    assert res["S"][0] == 500
    assert res["S"][-1] < 1e-6 * 500  # humans are wiped out
    assert res["Z"][-1] > 0.4 * 500  # zombies remain (β > α)
    assert 0 < res.doomsday_time() < res.t[-1]
    # with Π = δ = 0 too (the setting of the paper's stability claim)
    res0 = munz.solve_szr(delta=0.0, t_end=20.0)
    assert res0["S"][-1] < 1e-6


def test_treatment_leads_to_coexistence_at_c_over_beta():
    c, beta = 0.05, 0.0095
    res = munz.solve_treatment(c=c, beta=beta, delta=0.0, Pi=0.0, zeta=0.1, t_end=3000.0)
    s_star = munz.treatment_equilibrium_s(beta=beta, c=c)
    assert s_star == pytest.approx(c / beta)
    assert res["S"][-1] == pytest.approx(s_star, rel=1e-4)
    assert res["Z"][-1] > 1.0  # zombies persist alongside the humans
    # the end state is an equilibrium of the full system
    y = np.array([res[k][-1] for k in "SIZR"])
    dy = munz.rhs_treatment(0, y, beta, 0.005, 0.1, 0.0, 0.0, 0.005, c)
    assert np.max(np.abs(dy)) < 1e-6


def _leading_eigenvalue(kappa: float, sigma: float) -> float:
    """Largest real part among the infected block (I, Z, Q) of the numerical Jacobian at the
    disease-free state (S = N), Π = δ = ζ = 0."""
    N, beta, alpha, rho, gamma = 500.0, 0.0095, 0.005, 0.005, 0.1
    y0 = np.array([N, 0, 0, 0, 0.0])
    args = (beta, alpha, 0.0, 0.0, 0.0, rho, kappa, sigma, gamma)
    h = 1e-6
    J = np.empty((5, 5))
    for j in range(5):
        e = np.zeros(5)
        e[j] = h
        J[:, j] = (munz.rhs_quarantine(0, y0 + e, *args)
                   - munz.rhs_quarantine(0, y0 - e, *args)) / (2 * h)
    block = J[np.ix_([1, 2, 4], [1, 2, 4])]
    return float(np.max(np.linalg.eigvals(block).real))


@pytest.mark.parametrize("sigma", [0.0, 0.3])
def test_quarantine_r0_matches_the_linearisation(sigma):
    N, beta, alpha, rho = 500.0, 0.0095, 0.005, 0.005
    # the κ at which the disease-free state loses stability, from the Jacobian alone
    hi = 1.0
    if _leading_eigenvalue(0.0, sigma) <= 0:
        pytest.skip("no outbreak even without quarantine")
    kappa_jac = brentq(lambda k: _leading_eigenvalue(k, sigma), 0.0, hi, xtol=1e-12)
    r0 = lambda k: munz.quarantine_r0(beta=beta, N=N, rho=rho, kappa=k,  # noqa: E731
                                      alpha=alpha, sigma=sigma)
    kappa_r0 = brentq(lambda k: r0(k) - 1.0, 0.0, hi, xtol=1e-12)
    assert kappa_jac == pytest.approx(kappa_r0, rel=1e-5)
    # and on either side, the sign of the growth rate follows R0 - 1
    for k in (0.5 * kappa_r0, 2.0 * kappa_r0):
        assert np.sign(_leading_eigenvalue(k, sigma)) == np.sign(r0(k) - 1.0)


def test_impulsive_strikes_remove_k_n_of_the_zombies():
    k, interval = 0.25, 2.5
    res = munz.solve_impulsive(k=k, interval=interval, t_end=12.0)
    np.testing.assert_allclose(res.strikes, [2.5, 5.0, 7.5, 10.0])
    for n, ts in enumerate(res.strikes, start=1):
        i = np.nonzero(res.t == ts)[0]
        assert len(i) == 2  # the value just before and just after the jump
        before, after = res["Z"][i]
        assert after == pytest.approx(max(0.0, 1 - k * n) * before, abs=1e-12)
        # humans and removed do not jump
        assert res["S"][i[0]] == res["S"][i[1]]
    # the 4th strike (k·n = 1) eradicates the zombies
    assert abs(res["Z"][np.nonzero(res.t == 10.0)[0][1]]) < 1e-12
    # before the first strike it is the plain SZR model with the same parameters
    plain = munz.solve_szr(N=1000, alpha=0.0075, beta=0.0055, zeta=0.09, delta=0.0001,
                           t_end=2.5, n_points=11)
    pre = res.t <= 2.5
    np.testing.assert_allclose(np.interp(plain.t, res.t[pre][:-1], res["Z"][pre][:-1]),
                               plain["Z"], rtol=1e-6)


def test_bad_variant_and_parameters_are_user_errors():
    with pytest.raises(ScenarioError, match="variant"):
        munz.solve_munz("vampire")
    with pytest.raises(ScenarioError, match="kappa"):
        munz.solve_munz("szr", kappa=0.1)
    with pytest.raises(ScenarioError, match="beta"):
        munz.solve_szr(beta=-1.0)
