"""The well-mixed SZR model of Alemi, Bierbaum, Myers & Sethna (2015, Phys. Rev. E 92, 052801).

Reactions: S + Z → 2Z (bite, rate β) and S + Z → S + R (kill, rate κ); α = κ/β.

**Rate convention (frequency dependent, counts).** S, Z, R are head counts and N = S + Z + R is
constant. Bites happen at total rate β·S·Z/N and kills at κ·S·Z/N: β is the number of bites a
single zombie makes per unit time when everyone around it is susceptible. The mean-field ODE is

    S' = −β S Z / N,    Z' = (β − κ) S Z / N,    R' = κ S Z / N,

whose solution, with a = Z0 + (1 − α) S0 and c = a β / N, is (Z + (1 − α) S is conserved)

    S(t) = a S0 / ((1 − α) S0 + Z0 e^{c t}),    Z(t) = Z0 + (1 − α)(S0 − S(t)).

**Mapping from an agent engine.** If every tick (length dt) each agent moves to a uniformly
random free cell of a grid with C cells, N agents, and contact is with the k cells around it
(k = 8 for Moore), then a zombie has on average k·S/(C − 1) susceptible neighbours per tick; with
a per-contact bite probability p per tick, bites per tick are Z·k·S·p/(C − 1), i.e.
β = k·p·N / ((C − 1)·dt) (:func:`beta_from_contact_probability`; the same for κ from the kill
probability). This is first order in p: a human next to several zombies in one tick can only be
bitten once, so keep p·k·Z/C small for agreement.

A single zombie among many humans is a random walk that steps up with probability 1/(1 + α) and
down with α/(1 + α), so it dies out early with probability min(α, 1) (min(α, 1)^Z0 for Z0).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numba import njit

from hyosan.errors import ScenarioError

# --------------------------------------------------------------------------- closed form


def rhs_alemi(t: float, y: np.ndarray, beta: float, kappa: float, N: float) -> np.ndarray:
    """Mean-field right-hand side, y = (S, Z, R) in counts."""
    S, Z, _ = y
    f = S * Z / N
    return np.array([-beta * f, (beta - kappa) * f, kappa * f])


def closed_form(t: np.ndarray | float, *, S0: float, Z0: float, R0: float = 0.0,
                beta: float = 1.0, kappa: float = 0.5) -> tuple[np.ndarray, np.ndarray,
                                                                np.ndarray]:
    """Exact (S, Z, R) of the mean-field model at times ``t`` (counts, N = S0 + Z0 + R0)."""
    _check_rates(beta, kappa)
    t = np.asarray(t, dtype=float)
    N = S0 + Z0 + R0
    alpha = kappa / beta
    b = 1.0 - alpha
    a = Z0 + b * S0
    c = a * beta / N
    # 1/S obeys u' = (β/N)(a u − b): u = u0 e^{ct} − b (β/N) t φ(ct), φ(x) = (e^x − 1)/x,
    # written so that a → 0 (and α = 1) stay exact.
    x = c * t
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        phi = np.where(np.abs(x) < 1e-12, 1.0 + x / 2, np.expm1(x) / np.where(x == 0, 1, x))
        u = np.exp(x) / S0 - b * (beta / N) * t * phi if S0 > 0 else np.full_like(t, np.inf)
        S = np.where(np.isfinite(u) & (u > 0), 1.0 / u, 0.0)
    Z = Z0 + b * (S0 - S)
    R = N - S - Z
    return S, Z, R


def final_size(*, S0: float, Z0: float, alpha: float) -> tuple[float, float]:
    """(S∞, Z∞) of the mean-field model: doomsday (S∞ = 0) unless α > 1 and Z0 is small."""
    if alpha > 1.0:
        S_inf = max(0.0, S0 - Z0 / (alpha - 1.0))
    else:
        S_inf = 0.0
    return S_inf, Z0 + (1.0 - alpha) * (S0 - S_inf)


def extinction_probability(alpha: float, z0: int = 1) -> float:
    """Probability that Z0 zombies among very many humans die out early: min(α, 1)^Z0."""
    return float(min(alpha, 1.0) ** z0)


def beta_from_contact_probability(p: float, *, n_agents: int, n_cells: int,
                                  neighbours: int = 8, dt: float = 1.0) -> float:
    """Well-mixed rate (per unit time, convention β·S·Z/N) from a per-contact, per-tick probability.

    Valid for the engine's mixing mode (everyone to a uniformly random free cell each tick,
    contact with the ``neighbours`` cells around); see the module docstring for the derivation.
    """
    if not 0.0 <= p <= 1.0:
        raise ScenarioError(f"must be a probability in [0, 1], got {p!r}", where="p")
    if n_cells < 2 or n_agents > n_cells:
        raise ScenarioError(f"need 2 <= n_agents <= n_cells, got {n_agents} agents in "
                            f"{n_cells} cells", where="n_cells")
    return neighbours * p * n_agents / ((n_cells - 1) * dt)


def contact_probability_from_beta(beta: float, *, n_agents: int, n_cells: int,
                                  neighbours: int = 8, dt: float = 1.0) -> float:
    """Inverse of :func:`beta_from_contact_probability`."""
    p = beta * (n_cells - 1) * dt / (neighbours * n_agents)
    if p > 1.0:
        raise ScenarioError(f"rate {beta} needs a contact probability {p:.3g} > 1: use a "
                            "shorter tick or a denser grid", where="beta")
    return p


def _check_rates(beta: float, kappa: float) -> None:
    if not (np.isfinite(beta) and beta > 0):
        raise ScenarioError(f"must be > 0, got {beta!r}", where="beta")
    if not (np.isfinite(kappa) and kappa >= 0):
        raise ScenarioError(f"must be >= 0, got {kappa!r}", where="kappa")


# --------------------------------------------------------------------------- stochastic


@dataclass
class StochasticResult:
    """An ensemble of stochastic SZR runs sampled at the times ``t`` (arrays runs × len(t))."""

    method: str
    t: np.ndarray
    S: np.ndarray
    Z: np.ndarray
    R: np.ndarray
    #: reactions fired per run (leaps count each reaction they contain)
    events: np.ndarray

    @property
    def runs(self) -> int:
        return self.S.shape[0]

    @property
    def extinct(self) -> np.ndarray:
        """Runs whose zombies were all destroyed by the last sample time."""
        return self.Z[:, -1] == 0

    def mean(self) -> dict[str, np.ndarray]:
        return {"S": self.S.mean(axis=0), "Z": self.Z.mean(axis=0), "R": self.R.mean(axis=0)}


# The helpers below sit in the kernels' inner loops: inline="always" keeps the kernels as fast
# as when they were written out in each (as plain calls, Gillespie ran about 3x slower).


@njit(cache=True, inline="always")
def _record(out, r, j, S, Z, R):
    out[r, j, 0] = S
    out[r, j, 1] = Z
    out[r, j, 2] = R


@njit(cache=True, inline="always")
def _record_until(out, r, j, t_out, t, S, Z, R):
    """Write (S, Z, R) into run ``r``'s samples from ``j`` on while they lie at or before ``t``;
    return the first sample left unwritten."""
    while j < t_out.shape[0] and t_out[j] <= t:
        _record(out, r, j, S, Z, R)
        j += 1
    return j


@njit(cache=True, inline="always")
def _record_rest(out, r, j, S, Z, R):
    """Write (S, Z, R) into all of run ``r``'s samples from ``j`` on."""
    for k in range(j, out.shape[1]):
        _record(out, r, k, S, Z, R)


@njit(cache=True, inline="always")
def _exact_event(out, r, j, t_out, t, S, Z, R, a, scale, bite_below, rng):
    """One event of Gillespie's direct method at total rate ``a``, recording the samples before
    it: ``(j, t, S, Z, R, fired)``. No event fires (``fired`` 0) when it would come after the
    last sample. It is a bite when ``u * scale < bite_below`` for a uniform ``u``, a kill
    otherwise (the two kernels write the bite odds differently: each keeps its own rounding).
    """
    t_next = t - np.log(1.0 - rng.random()) / a
    nt = t_out.shape[0]
    while j < nt and t_out[j] < t_next:
        _record(out, r, j, S, Z, R)
        j += 1
    if j == nt:
        return j, t, S, Z, R, 0
    if rng.random() * scale < bite_below:
        S -= 1
        Z += 1
    else:
        Z -= 1
        R += 1
    return j, t_next, S, Z, R, 1


@njit(cache=True)
def _gillespie_kernel(S0, Z0, R0, beta, kappa, t_out, rng, z_stop, out, events):
    """Exact SSA of S+Z→2Z (β) and S+Z→S+R (κ) at total rate (β+κ)SZ/N, out.shape[0] runs.

    Stops early when Z reaches ``z_stop`` (the outbreak has taken off); the state at that
    moment fills the remaining samples.
    """
    N = S0 + Z0 + R0
    nt = t_out.shape[0]
    p_bite = beta / (beta + kappa)
    rate_per_pair = (beta + kappa) / N
    for r in range(out.shape[0]):
        S, Z, R = S0, Z0, R0
        t = 0.0
        n_ev = 0
        j = _record_until(out, r, 0, t_out, t, S, Z, R)
        while j < nt and Z > 0 and S > 0 and Z < z_stop:
            j, t, S, Z, R, fired = _exact_event(out, r, j, t_out, t, S, Z, R,
                                                rate_per_pair * S * Z, 1.0, p_bite, rng)
            n_ev += fired
        _record_rest(out, r, j, S, Z, R)
        events[r] = n_ev


@njit(cache=True)
def _tau_leap_kernel(S0, Z0, R0, beta, kappa, t_out, rng, eps, n_exact, out, events):
    """Tau-leaping with exact SSA steps whenever a leap would hold fewer than ``n_exact`` events.

    The leap τ keeps the expected relative change of S and Z below ``eps`` and lands exactly on
    the sample times; reaction counts are Poisson, clipped so no compartment goes negative.
    """
    N = S0 + Z0 + R0
    nt = t_out.shape[0]
    for r in range(out.shape[0]):
        S, Z, R = S0, Z0, R0
        t = 0.0
        n_ev = 0
        j = _record_until(out, r, 0, t_out, t, S, Z, R)
        while j < nt and Z > 0 and S > 0:
            ab = beta * S * Z / N
            ak = kappa * S * Z / N
            a = ab + ak
            tau = eps * min(S / ab, Z / a)
            if a * tau < n_exact:
                j, t, S, Z, R, fired = _exact_event(out, r, j, t_out, t, S, Z, R, a, a, ab, rng)
                n_ev += fired
            else:
                hit = t + tau >= t_out[j]
                if hit:
                    tau = t_out[j] - t
                nb = min(rng.poisson(ab * tau), S)
                nk = min(rng.poisson(ak * tau), Z + nb)
                S -= nb
                Z += nb - nk
                R += nk
                n_ev += nb + nk
                t = t_out[j] if hit else t + tau
                j = _record_until(out, r, j, t_out, t, S, Z, R)
        _record_rest(out, r, j, S, Z, R)
        events[r] = n_ev


def _ensemble(method: str, kernel, t_out: np.ndarray, runs: int, seed: int, S0: int, Z0: int,
              R0: int, beta: float, kappa: float, *options) -> StochasticResult:
    """Run ``kernel`` (with its own ``options`` after the rng) for ``runs`` runs from one seed."""
    out = np.empty((runs, len(t_out), 3), dtype=np.int64)
    events = np.empty(runs, dtype=np.int64)
    kernel(int(S0), int(Z0), int(R0), float(beta), float(kappa), t_out,
           np.random.default_rng(seed), *options, out, events)
    return StochasticResult(method, t_out, out[:, :, 0], out[:, :, 1], out[:, :, 2], events)


def _prepare(S0: int, Z0: int, R0: int, beta: float, kappa: float, t: np.ndarray | None,
             t_end: float, n_points: int, runs: int) -> np.ndarray:
    _check_rates(beta, kappa)
    for name, v in (("S0", S0), ("Z0", Z0), ("R0", R0)):
        if int(v) != v or v < 0:
            raise ScenarioError(f"must be a whole number >= 0, got {v!r}", where=name)
    if S0 + Z0 + R0 <= 0:
        raise ScenarioError("the population is empty", where="S0")
    if runs < 1:
        raise ScenarioError(f"must be >= 1, got {runs!r}", where="runs")
    t_out = np.linspace(0.0, t_end, n_points) if t is None else np.asarray(t, dtype=float)
    if t_out.ndim != 1 or len(t_out) == 0 or np.any(np.diff(t_out) < 0) or t_out[0] < 0:
        raise ScenarioError("sample times must be a non-empty, non-decreasing list >= 0",
                            where="t")
    return t_out


def gillespie(*, S0: int = 999, Z0: int = 1, R0: int = 0, beta: float = 1.0,
              kappa: float = 0.5, t: np.ndarray | None = None, t_end: float = 30.0,
              n_points: int = 301, runs: int = 1, seed: int = 0,
              z_stop: int | None = None) -> StochasticResult:
    """Exact stochastic runs (Gillespie's direct method, Numba) sampled at ``t``.

    ``z_stop`` ends a run when Z reaches it (used for extinction statistics: the outbreak has
    escaped early extinction with overwhelming probability).
    """
    t_out = _prepare(S0, Z0, R0, beta, kappa, t, t_end, n_points, runs)
    zs = np.iinfo(np.int64).max if z_stop is None else int(z_stop)
    return _ensemble("gillespie", _gillespie_kernel, t_out, runs, seed, S0, Z0, R0, beta, kappa,
                     zs)


def tau_leap(*, S0: int = 999_999, Z0: int = 1, R0: int = 0, beta: float = 1.0,
             kappa: float = 0.5, t: np.ndarray | None = None, t_end: float = 40.0,
             n_points: int = 401, runs: int = 1, seed: int = 0, eps: float = 0.01,
             n_exact: float = 10.0) -> StochasticResult:
    """Approximate stochastic runs for large populations (tau-leaping, exact when Z or S is few)."""
    t_out = _prepare(S0, Z0, R0, beta, kappa, t, t_end, n_points, runs)
    if not 0 < eps < 1:
        raise ScenarioError(f"must be in (0, 1), got {eps!r}", where="eps")
    return _ensemble("tau-leap", _tau_leap_kernel, t_out, runs, seed, S0, Z0, R0, beta, kappa,
                     float(eps), float(n_exact))


def simulate_extinction(*, alpha: float, Z0: int = 1, S0: int = 100_000, runs: int = 2000,
                        seed: int = 0, z_stop: int = 100) -> tuple[int, int]:
    """Count runs whose Z0 zombies die out before reaching ``z_stop``: (extinct, runs).

    Compare with :func:`extinction_probability`; S0 ≫ z_stop keeps the finite-size bias small.
    """
    res = gillespie(S0=S0, Z0=Z0, beta=1.0, kappa=alpha, t=np.array([0.0, np.inf]),
                    runs=runs, seed=seed, z_stop=z_stop)
    return int(res.extinct.sum()), runs
