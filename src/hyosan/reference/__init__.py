"""Reference models the engine is checked against: the Munz et al. (2009) ODE family, the
well-mixed SZR of Alemi et al. (2015) (closed form, Gillespie, tau-leaping) and their lattice SZR.

Equations, parameters and sources: ``docs/reference.md``.
"""

from __future__ import annotations

from hyosan.reference.alemi import (
    StochasticResult,
    beta_from_contact_probability,
    closed_form,
    contact_probability_from_beta,
    extinction_probability,
    final_size,
    gillespie,
    rhs_alemi,
    simulate_extinction,
    tau_leap,
)
from hyosan.reference.lattice import (
    ALPHA_C,
    LatticeRun,
    OutbreakStats,
    lattice_run,
    outbreak_sizes,
)
from hyosan.reference.munz import (
    IMPULSIVE_DEFAULTS,
    MUNZ_DEFAULTS,
    VARIANTS,
    MunzResult,
    quarantine_r0,
    rhs_quarantine,
    rhs_sizr,
    rhs_szr,
    rhs_treatment,
    solve_impulsive,
    solve_munz,
    solve_quarantine,
    solve_sizr,
    solve_szr,
    solve_treatment,
    treatment_equilibrium_s,
)

__all__ = [
    "ALPHA_C", "IMPULSIVE_DEFAULTS", "MUNZ_DEFAULTS", "VARIANTS", "LatticeRun", "MunzResult",
    "OutbreakStats", "StochasticResult", "beta_from_contact_probability", "closed_form",
    "contact_probability_from_beta", "extinction_probability", "final_size", "gillespie",
    "lattice_run", "outbreak_sizes", "quarantine_r0", "rhs_alemi", "rhs_quarantine",
    "rhs_sizr", "rhs_szr", "rhs_treatment", "simulate_extinction", "solve_impulsive",
    "solve_munz", "solve_quarantine", "solve_sizr", "solve_szr", "solve_treatment",
    "tau_leap", "treatment_equilibrium_s",
]
