"""Ensembles: replicates and parameter sweeps on a local process pool or a Dask cluster, stored
in DuckDB, compared with confidence intervals (``hyosan ensemble``, ``hyosan compare``)."""

from hyosan.ensemble.compare import compare, mean_ci
from hyosan.ensemble.runner import SweepReport, run_sweep
from hyosan.ensemble.store import Store
from hyosan.ensemble.sweep import Replicate, SweepPlan, build_plan, parse_vary

__all__ = ["Replicate", "Store", "SweepPlan", "SweepReport", "build_plan", "compare", "mean_ci",
           "parse_vary", "run_sweep"]
