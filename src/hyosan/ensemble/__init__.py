"""Ensembles: replicates and parameter sweeps on a local process pool or a Dask cluster, stored
in DuckDB, compared with confidence intervals (``hyosan ensemble``, ``hyosan compare``)."""

from __future__ import annotations

import importlib

# Names resolve lazily (PEP 562) so that `hyosan --help` does not import SciPy/Numba.
_WHERE = {
    'compare': 'hyosan.ensemble.compare',
    'mean_ci': 'hyosan.ensemble.compare',
    'SweepReport': 'hyosan.ensemble.runner',
    'run_sweep': 'hyosan.ensemble.runner',
    'Store': 'hyosan.ensemble.store',
    'Replicate': 'hyosan.ensemble.sweep',
    'SweepPlan': 'hyosan.ensemble.sweep',
    'build_plan': 'hyosan.ensemble.sweep',
    'parse_vary': 'hyosan.ensemble.sweep',
}

__all__ = ["Replicate", "Store", "SweepPlan", "SweepReport", "build_plan", "compare", "mean_ci",
           "parse_vary", "run_sweep"]


def __getattr__(name: str):
    if name in _WHERE:
        return getattr(importlib.import_module(_WHERE[name]), name)
    raise AttributeError(f"module 'hyosan.ensemble' has no attribute {name!r}")
