"""The Munz et al. (2009) zombie ODE family, solved with SciPy.

Munz, Hudea, Imad & Smith, "When zombies attack!: Mathematical modelling of an outbreak of zombie
infection" (2009). Time is in days; S susceptible humans, I infected (latent), Z zombies,
R removed (dead humans and destroyed zombies, who may rise again at rate zeta), Q quarantined.

Every right-hand side is a plain function ``rhs_*(t, y, ...) -> ndarray`` so that tests and users
can evaluate it directly; the ``solve_*`` functions take the paper's parameters by keyword with
its figure values as defaults and return a :class:`MunzResult`.

Variants (equations in ``docs/reference.md``):

- ``szr``: S' = Π − βSZ − δS;  Z' = βSZ + ζR − αSZ;  R' = δS + αSZ − ζR
- ``sizr``: adds the latent class I (bitten, turns at rate ρ; dies naturally at rate δ)
- ``quarantine``: SIZR plus Q: infected enter at rate κ, zombies at rate σ, Q is removed at γ
- ``treatment``: SIZR plus a cure returning zombies to S at rate c
- ``impulsive``: SZR with the zombies reduced by the fraction k·n at the n-th strike
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from scipy.integrate import solve_ivp

from hyosan.errors import ScenarioError

#: the paper's figure values (basic, latent, quarantine and treatment models)
MUNZ_DEFAULTS: dict[str, float] = {
    "alpha": 0.005, "beta": 0.0095, "zeta": 0.0001, "delta": 0.0001, "Pi": 0.0, "N": 500.0,
    "rho": 0.005,
}
#: the paper's impulsive-eradication values (strikes every 2.5 days, k = 0.25)
IMPULSIVE_DEFAULTS: dict[str, float] = {
    "alpha": 0.0075, "beta": 0.0055, "zeta": 0.09, "delta": 0.0001, "Pi": 0.0, "N": 1000.0,
    "k": 0.25, "interval": 2.5,
}
VARIANTS = ("szr", "sizr", "quarantine", "treatment", "impulsive")

# tight tolerances: the tests compare against equilibria and conserved sums to ~1e-6 relative
_RTOL = 1e-10
_ATOL = 1e-10


@dataclass
class MunzResult:
    """Solution of one Munz model: times (days) and one array per compartment."""

    variant: str
    t: np.ndarray
    compartments: dict[str, np.ndarray]
    params: dict[str, float] = field(default_factory=dict)
    #: strike times for the impulsive model (empty otherwise)
    strikes: np.ndarray = field(default_factory=lambda: np.empty(0))

    def __getitem__(self, name: str) -> np.ndarray:
        return self.compartments[name]

    @property
    def total(self) -> np.ndarray:
        """Sum of all compartments at each time (conserved when Π = 0)."""
        return np.sum(list(self.compartments.values()), axis=0)

    def final(self) -> dict[str, float]:
        """Each compartment at the final time."""
        return {k: float(v[-1]) for k, v in self.compartments.items()}

    def doomsday_time(self, threshold: float = 1.0) -> float | None:
        """First time S falls below ``threshold`` humans (None if it never does)."""
        below = np.nonzero(self.compartments["S"] < threshold)[0]
        return float(self.t[below[0]]) if len(below) else None


# --------------------------------------------------------------------------- right-hand sides


def rhs_szr(t: float, y: np.ndarray, beta: float, alpha: float, zeta: float, delta: float,
            Pi: float) -> np.ndarray:
    """Basic model, y = (S, Z, R)."""
    S, Z, R = y
    return np.array([
        Pi - beta * S * Z - delta * S,
        beta * S * Z + zeta * R - alpha * S * Z,
        delta * S + alpha * S * Z - zeta * R,
    ])


def rhs_sizr(t: float, y: np.ndarray, beta: float, alpha: float, zeta: float, delta: float,
             Pi: float, rho: float) -> np.ndarray:
    """Latent-infection model, y = (S, I, Z, R)."""
    S, I, Z, R = y
    return np.array([
        Pi - beta * S * Z - delta * S,
        beta * S * Z - rho * I - delta * I,
        rho * I + zeta * R - alpha * S * Z,
        delta * S + delta * I + alpha * S * Z - zeta * R,
    ])


def rhs_quarantine(t: float, y: np.ndarray, beta: float, alpha: float, zeta: float,
                   delta: float, Pi: float, rho: float, kappa: float, sigma: float,
                   gamma: float) -> np.ndarray:
    """Quarantine model, y = (S, I, Z, R, Q)."""
    S, I, Z, R, Q = y
    return np.array([
        Pi - beta * S * Z - delta * S,
        beta * S * Z - rho * I - delta * I - kappa * I,
        rho * I + zeta * R - alpha * S * Z - sigma * Z,
        delta * S + delta * I + alpha * S * Z - zeta * R + gamma * Q,
        kappa * I + sigma * Z - gamma * Q,
    ])


def rhs_treatment(t: float, y: np.ndarray, beta: float, alpha: float, zeta: float,
                  delta: float, Pi: float, rho: float, c: float) -> np.ndarray:
    """Treatment model (SIZR with a cure at rate c), y = (S, I, Z, R)."""
    S, I, Z, R = y
    return np.array([
        Pi - beta * S * Z - delta * S + c * Z,
        beta * S * Z - rho * I - delta * I,
        rho * I + zeta * R - alpha * S * Z - c * Z,
        delta * S + delta * I + alpha * S * Z - zeta * R,
    ])


# --------------------------------------------------------------------------- analytic helpers


def quarantine_r0(*, beta: float = 0.0095, N: float = 500.0, rho: float = 0.005,
                  kappa: float = 0.0, alpha: float = 0.005, sigma: float = 0.0) -> float:
    """Basic reproduction number of the quarantine model, R0 = βNρ / ((ρ+κ)(αN+σ))."""
    return beta * N * rho / ((rho + kappa) * (alpha * N + sigma))


def treatment_equilibrium_s(*, beta: float = 0.0095, c: float) -> float:
    """Humans at the coexistence equilibrium of the treatment model (Π = δ = 0): S* = c/β."""
    return c / beta


# --------------------------------------------------------------------------- solvers


def _check_positive(**values: float) -> None:
    for name, v in values.items():
        if not np.isfinite(v) or v < 0:
            raise ScenarioError(f"must be a finite number >= 0, got {v!r}", where=name)


def _solve(rhs: Callable, y0: list[float], args: tuple, t_end: float, n_points: int,
           t_start: float = 0.0) -> tuple[np.ndarray, np.ndarray]:
    if not t_end > t_start:
        raise ScenarioError(f"must be > {t_start}, got {t_end!r}", where="t_end")
    if n_points < 2:
        raise ScenarioError(f"must be >= 2, got {n_points!r}", where="n_points")
    t_eval = np.linspace(t_start, t_end, n_points)
    sol = solve_ivp(rhs, (t_start, t_end), y0, args=args, method="LSODA", t_eval=t_eval,
                    rtol=_RTOL, atol=_ATOL)
    if not sol.success:  # pragma: no cover - the models are smooth and bounded
        raise RuntimeError(f"solve_ivp failed: {sol.message}")
    return sol.t, sol.y


def solve_szr(*, N: float = 500.0, Z0: float = 1.0, R0: float = 0.0, S0: float | None = None,
              alpha: float = 0.005, beta: float = 0.0095, zeta: float = 0.0001,
              delta: float = 0.0001, Pi: float = 0.0, t_end: float = 10.0,
              n_points: int = 1001) -> MunzResult:
    """Basic SZR model. ``S0`` defaults to ``N`` (N humans plus Z0 zombies)."""
    S0 = N if S0 is None else S0
    _check_positive(N=N, S0=S0, Z0=Z0, R0=R0, alpha=alpha, beta=beta, zeta=zeta, delta=delta,
                    Pi=Pi)
    t, y = _solve(rhs_szr, [S0, Z0, R0], (beta, alpha, zeta, delta, Pi), t_end, n_points)
    params = dict(N=N, S0=S0, Z0=Z0, R0=R0, alpha=alpha, beta=beta, zeta=zeta, delta=delta,
                  Pi=Pi)
    return MunzResult("szr", t, {"S": y[0], "Z": y[1], "R": y[2]}, params)


def solve_sizr(*, N: float = 500.0, Z0: float = 1.0, I0: float = 0.0, R0: float = 0.0,
               S0: float | None = None, alpha: float = 0.005, beta: float = 0.0095,
               zeta: float = 0.0001, delta: float = 0.0001, Pi: float = 0.0, rho: float = 0.005,
               t_end: float = 1000.0, n_points: int = 1001) -> MunzResult:
    """Latent-infection SIZR model (bitten humans turn after a mean 1/ρ days)."""
    S0 = N if S0 is None else S0
    _check_positive(N=N, S0=S0, I0=I0, Z0=Z0, R0=R0, alpha=alpha, beta=beta, zeta=zeta,
                    delta=delta, Pi=Pi, rho=rho)
    t, y = _solve(rhs_sizr, [S0, I0, Z0, R0], (beta, alpha, zeta, delta, Pi, rho), t_end,
                  n_points)
    params = dict(N=N, S0=S0, I0=I0, Z0=Z0, R0=R0, alpha=alpha, beta=beta, zeta=zeta,
                  delta=delta, Pi=Pi, rho=rho)
    return MunzResult("sizr", t, {"S": y[0], "I": y[1], "Z": y[2], "R": y[3]}, params)


def solve_quarantine(*, N: float = 500.0, Z0: float = 1.0, I0: float = 0.0, R0: float = 0.0,
                     Q0: float = 0.0, S0: float | None = None, alpha: float = 0.005,
                     beta: float = 0.0095, zeta: float = 0.0001, delta: float = 0.0001,
                     Pi: float = 0.0, rho: float = 0.005, kappa: float = 0.01,
                     sigma: float = 0.01, gamma: float = 0.01, t_end: float = 1000.0,
                     n_points: int = 1001) -> MunzResult:
    """SIZR with quarantine Q (infected enter at κ, zombies at σ, the quarantined die at γ)."""
    S0 = N if S0 is None else S0
    _check_positive(N=N, S0=S0, I0=I0, Z0=Z0, R0=R0, Q0=Q0, alpha=alpha, beta=beta,
                    zeta=zeta, delta=delta, Pi=Pi, rho=rho, kappa=kappa, sigma=sigma,
                    gamma=gamma)
    args = (beta, alpha, zeta, delta, Pi, rho, kappa, sigma, gamma)
    t, y = _solve(rhs_quarantine, [S0, I0, Z0, R0, Q0], args, t_end, n_points)
    params = dict(N=N, S0=S0, I0=I0, Z0=Z0, R0=R0, Q0=Q0, alpha=alpha, beta=beta, zeta=zeta,
                  delta=delta, Pi=Pi, rho=rho, kappa=kappa, sigma=sigma, gamma=gamma)
    comps = {"S": y[0], "I": y[1], "Z": y[2], "R": y[3], "Q": y[4]}
    return MunzResult("quarantine", t, comps, params)


def solve_treatment(*, N: float = 500.0, Z0: float = 1.0, I0: float = 0.0, R0: float = 0.0,
                    S0: float | None = None, alpha: float = 0.005, beta: float = 0.0095,
                    zeta: float = 0.0001, delta: float = 0.0001, Pi: float = 0.0,
                    rho: float = 0.005, c: float = 0.05, t_end: float = 1000.0,
                    n_points: int = 1001) -> MunzResult:
    """SIZR with treatment: zombies are cured back to S at rate c."""
    S0 = N if S0 is None else S0
    _check_positive(N=N, S0=S0, I0=I0, Z0=Z0, R0=R0, alpha=alpha, beta=beta, zeta=zeta,
                    delta=delta, Pi=Pi, rho=rho, c=c)
    t, y = _solve(rhs_treatment, [S0, I0, Z0, R0], (beta, alpha, zeta, delta, Pi, rho, c),
                  t_end, n_points)
    params = dict(N=N, S0=S0, I0=I0, Z0=Z0, R0=R0, alpha=alpha, beta=beta, zeta=zeta,
                  delta=delta, Pi=Pi, rho=rho, c=c)
    return MunzResult("treatment", t, {"S": y[0], "I": y[1], "Z": y[2], "R": y[3]}, params)


def solve_impulsive(*, N: float = 1000.0, Z0: float = 1.0, R0: float = 0.0,
                    S0: float | None = None, alpha: float = 0.0075, beta: float = 0.0055,
                    zeta: float = 0.09, delta: float = 0.0001, Pi: float = 0.0, k: float = 0.25,
                    interval: float = 2.5, t_end: float = 12.0,
                    points_per_interval: int = 251) -> MunzResult:
    """SZR with impulsive eradication: at the n-th strike (t = n·interval) Z → (1 − k·n)·Z.

    A strike that would remove more than all zombies (k·n ≥ 1) leaves none. The ODE is
    integrated piecewise between strikes; each strike time appears twice in ``t`` (the value
    just before and just after the jump), so plots show the jump as a vertical step.
    """
    S0 = N if S0 is None else S0
    _check_positive(N=N, S0=S0, Z0=Z0, R0=R0, alpha=alpha, beta=beta, zeta=zeta, delta=delta,
                    Pi=Pi, k=k)
    if not interval > 0:
        raise ScenarioError(f"must be > 0, got {interval!r}", where="interval")
    if not t_end > 0:
        raise ScenarioError(f"must be > 0, got {t_end!r}", where="t_end")
    args = (beta, alpha, zeta, delta, Pi)
    y = np.array([S0, Z0, R0], dtype=float)
    ts: list[np.ndarray] = []
    ys: list[np.ndarray] = []
    strikes = []
    n = 0
    t0 = 0.0
    while t0 < t_end:
        t1 = min((n + 1) * interval, t_end)
        m = max(2, int(round(points_per_interval * (t1 - t0) / interval)))
        t, seg = _solve(rhs_szr, list(y), args, t1, m, t_start=t0)
        ts.append(t)
        ys.append(seg)
        y = seg[:, -1].copy()
        if t1 == (n + 1) * interval and t1 <= t_end:
            n += 1
            strikes.append(t1)
            y[1] *= max(0.0, 1.0 - k * n)  # the n-th strike removes the fraction k·n
            if t1 == t_end:  # record the state just after a strike at the final time
                ts.append(np.array([t1]))
                ys.append(y[:, None].copy())
        t0 = t1
    t = np.concatenate(ts)
    Y = np.concatenate(ys, axis=1)
    params = dict(N=N, S0=S0, Z0=Z0, R0=R0, alpha=alpha, beta=beta, zeta=zeta, delta=delta,
                  Pi=Pi, k=k, interval=interval)
    return MunzResult("impulsive", t, {"S": Y[0], "Z": Y[1], "R": Y[2]}, params,
                      strikes=np.array(strikes))


SOLVERS: dict[str, Callable[..., MunzResult]] = {
    "szr": solve_szr, "sizr": solve_sizr, "quarantine": solve_quarantine,
    "treatment": solve_treatment, "impulsive": solve_impulsive,
}


def solve_munz(variant: str = "szr", **params: float) -> MunzResult:
    """Solve the named variant; parameters by keyword (unknown names are a ScenarioError)."""
    if variant not in SOLVERS:
        raise ScenarioError(f"unknown Munz variant {variant!r}; choose one of "
                            f"{', '.join(VARIANTS)}", where="variant")
    solver = SOLVERS[variant]
    allowed = set(solver.__kwdefaults__ or {})
    unknown = sorted(set(params) - allowed)
    if unknown:
        raise ScenarioError(f"unknown parameter(s) {', '.join(unknown)} for variant "
                            f"{variant!r}; allowed: {', '.join(sorted(allowed))}",
                            where="params")
    return solver(**params)
