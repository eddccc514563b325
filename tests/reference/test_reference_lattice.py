"""Lattice SZR (Alemi et al. 2015): exact small cases, deterministic limits, the transition."""

from __future__ import annotations

import math

import numpy as np
import pytest

from hyosan.errors import ScenarioError
from hyosan.reference import lattice


def _binomial_ok(k: int, n: int, p: float, z: float = 3.3) -> bool:
    return abs(k / n - p) <= z * math.sqrt(max(p * (1 - p), 1e-12) / n) + 0.5 / n


def test_neighbour_table_is_periodic_von_neumann():
    L = 5
    table = lattice._neighbour_table(L).reshape(L * L, 4)
    for r in range(L):
        for c in range(L):
            want = {((r - 1) % L, c), ((r + 1) % L, c), (r, (c - 1) % L), (r, (c + 1) % L)}
            got = {divmod(int(n), L) for n in table[r * L + c]}
            assert got == want
            # direction d and d ^ 1 are opposite: going and coming back returns home
            for d in range(4):
                assert table[table[r * L + c, d], d ^ 1] == r * L + c


@pytest.mark.parametrize("L", [3, 8, 21])
def test_no_kills_means_the_whole_lattice_turns(L):
    stats = lattice.outbreak_sizes(L=L, alpha=0.0, runs=5, size_cap=L * L)
    assert np.all(stats.sizes == L * L)
    run = lattice.lattice_run(L=L, alpha=0.0, t_end=1e9, n_points=2)
    assert run.S[-1] == 0 and run.Z[-1] == L * L and run.R[-1] == 0
    assert np.all(run.final_state == lattice.Z_SITE)


def test_overwhelming_kills_keep_outbreaks_tiny():
    stats = lattice.outbreak_sizes(L=64, alpha=1e6, runs=500, seed=2)
    assert stats.sizes.max() <= 2
    assert not stats.capped.any()


def test_first_events_have_the_exact_probabilities():
    # the seed has 4 bonds: size 1 iff the first event is a kill, probability α/(1+α);
    # size 2 iff bite, then both zombies killed (kills create no bonds): (1/(1+α))·(α/(1+α))²
    alpha, runs = 0.5, 4000
    stats = lattice.outbreak_sizes(L=32, alpha=alpha, runs=runs, seed=7)
    q = alpha / (1 + alpha)
    assert _binomial_ok(int(np.sum(stats.sizes == 1)), runs, q)
    assert _binomial_ok(int(np.sum(stats.sizes == 2)), runs, (1 - q) * q * q)


def test_trajectory_conserves_sites_and_is_monotone():
    L = 48
    run = lattice.lattice_run(L=L, alpha=0.2, t_end=60.0, n_points=61, seed=3)
    assert np.all(run.S + run.Z + run.R == L * L)
    assert np.all(np.diff(run.S) <= 0) and np.all(np.diff(run.R) >= 0)
    assert run.S[0] == L * L - 1 and run.Z[0] == 1
    # the final picture agrees with the final counts
    assert int(np.sum(run.final_state == lattice.Z_SITE)) == run.Z[-1]
    assert int(np.sum(run.final_state == lattice.R_SITE)) == run.R[-1]


def test_first_event_time_has_the_exact_rate():
    # with 4 bonds of rate β + κ the first event comes after Exp(4(β + κ)); no kills here
    beta, runs = 2.0, 2000
    t1 = 0.05
    hits = 0
    for seed in range(runs):
        run = lattice.lattice_run(L=8, alpha=0.0, beta=beta, t=np.array([0.0, t1]), seed=seed)
        hits += int(run.Z[-1] > 1)
    assert _binomial_ok(hits, runs, 1 - math.exp(-4 * beta * t1))


def test_transition_small():
    # well below α_c ≈ 0.437 many single zombies grow large; well above, essentially none do
    low = lattice.outbreak_sizes(L=128, alpha=0.30, runs=300, size_cap=2000, seed=1)
    high = lattice.outbreak_sizes(L=128, alpha=0.55, runs=300, size_cap=2000, seed=1)
    assert low.p_large > 0.4
    assert high.p_large < 0.05
    assert high.p_exceeds(100) < low.p_exceeds(100)


@pytest.mark.slow
def test_transition_brackets_alpha_c():
    cap = 20_000
    p = {a: lattice.outbreak_sizes(L=512, alpha=a, runs=2000, size_cap=cap, seed=3).p_large
         for a in (0.30, 0.40, 0.50, 0.55)}
    assert p[0.30] > 0.5
    assert p[0.30] > p[0.40] > p[0.50]
    assert p[0.50] < 0.05
    assert p[0.55] < 0.005


def test_user_errors():
    with pytest.raises(ScenarioError, match="L"):
        lattice.outbreak_sizes(L=2)
    with pytest.raises(ScenarioError, match="alpha"):
        lattice.outbreak_sizes(alpha=-1.0)
    with pytest.raises(ScenarioError, match="size_cap"):
        lattice.outbreak_sizes(L=10, size_cap=1000)
    stats = lattice.outbreak_sizes(L=16, alpha=0.3, runs=3, size_cap=50)
    with pytest.raises(ScenarioError, match="size_cap"):
        stats.p_exceeds(51)
