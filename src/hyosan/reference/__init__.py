"""Reference models the engine is checked against: the Munz et al. (2009) ODE family, the
well-mixed SZR of Alemi et al. (2015) (closed form, Gillespie, tau-leaping) and their lattice SZR.

Equations, parameters and sources: ``docs/reference.md``.
"""

from __future__ import annotations

import importlib

# Names resolve lazily (PEP 562) so that `hyosan --help` does not import SciPy/Numba.
_WHERE = {
    'StochasticResult': 'hyosan.reference.alemi',
    'beta_from_contact_probability': 'hyosan.reference.alemi',
    'closed_form': 'hyosan.reference.alemi',
    'contact_probability_from_beta': 'hyosan.reference.alemi',
    'extinction_probability': 'hyosan.reference.alemi',
    'final_size': 'hyosan.reference.alemi',
    'gillespie': 'hyosan.reference.alemi',
    'rhs_alemi': 'hyosan.reference.alemi',
    'simulate_extinction': 'hyosan.reference.alemi',
    'tau_leap': 'hyosan.reference.alemi',
    'ALPHA_C': 'hyosan.reference.lattice',
    'LatticeRun': 'hyosan.reference.lattice',
    'OutbreakStats': 'hyosan.reference.lattice',
    'lattice_run': 'hyosan.reference.lattice',
    'outbreak_sizes': 'hyosan.reference.lattice',
    'IMPULSIVE_DEFAULTS': 'hyosan.reference.munz',
    'MUNZ_DEFAULTS': 'hyosan.reference.munz',
    'VARIANTS': 'hyosan.reference.munz',
    'MunzResult': 'hyosan.reference.munz',
    'quarantine_r0': 'hyosan.reference.munz',
    'rhs_quarantine': 'hyosan.reference.munz',
    'rhs_sizr': 'hyosan.reference.munz',
    'rhs_szr': 'hyosan.reference.munz',
    'rhs_treatment': 'hyosan.reference.munz',
    'solve_impulsive': 'hyosan.reference.munz',
    'solve_munz': 'hyosan.reference.munz',
    'solve_quarantine': 'hyosan.reference.munz',
    'solve_sizr': 'hyosan.reference.munz',
    'solve_szr': 'hyosan.reference.munz',
    'solve_treatment': 'hyosan.reference.munz',
    'treatment_equilibrium_s': 'hyosan.reference.munz',
}

__all__ = [
    "ALPHA_C", "IMPULSIVE_DEFAULTS", "MUNZ_DEFAULTS", "VARIANTS", "LatticeRun", "MunzResult",
    "OutbreakStats", "StochasticResult", "beta_from_contact_probability", "closed_form",
    "contact_probability_from_beta", "extinction_probability", "final_size", "gillespie",
    "lattice_run", "outbreak_sizes", "quarantine_r0", "rhs_alemi", "rhs_quarantine",
    "rhs_sizr", "rhs_szr", "rhs_treatment", "simulate_extinction", "solve_impulsive",
    "solve_munz", "solve_quarantine", "solve_sizr", "solve_szr", "solve_treatment",
    "tau_leap", "treatment_equilibrium_s",
]


def __getattr__(name: str):
    if name in _WHERE:
        return getattr(importlib.import_module(_WHERE[name]), name)
    raise AttributeError(f"module 'hyosan.reference' has no attribute {name!r}")
