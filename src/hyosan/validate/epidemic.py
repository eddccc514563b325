"""`hyosan validate epidemic`: the engine against the zombie epidemic models of Alemi et al. (2015).

Three claims, each measured with a seeded ensemble of engine runs on a torus grid
(`docs/validation.md` gives the derivations and the table as measured):

1. **Mixing mode follows the well-mixed closed form.** Every agent jumps to a uniformly random
   free cell each tick and contact is the Moore neighbourhood, so a zombie meets k·S/(C − 1)
   susceptibles per tick on average (C cells, k = 8). A per-contact bite probability p per tick
   then bites at the well-mixed rate β = k·p·N/((C − 1)·dt) (`beta_from_contact_probability`); the
   kill probability maps to κ the same way. The ensemble mean of S(t), Z(t) over outbreaks that
   took off is compared with `closed_form` over the whole outbreak.
2. **Single-zombie extinction** in mixing mode: a lone zombie's lineage dies out with probability
   min(α, 1); runs stop at Z = 0 or Z = M (the gambler's-ruin value (α − α^M)/(1 − α^M) is the
   exact reference for that stopping rule and differs from α by α^M).
3. **Lattice mode** (every site occupied, nobody moves, von Neumann contact): the probability that
   one zombie turns at least ``cap`` sites drops from clearly positive at α = 0.30 to near zero at
   α = 0.55, bracketing α_c ≈ 0.437, in agreement with the continuous-time reference simulator
   (`hyosan.reference.lattice.outbreak_sizes`) run side by side.

The engine is discrete in time. Per-tick probabilities are kept small and contact requests are
resolved ``sequential``-ly (a zombie destroyed earlier in the tick's random order bites nobody),
which makes the bite-or-kill race on one contact exact to second order in the tick when
p = 1 − exp(−rate·dt). With simultaneous resolution a zombie killed in a tick still bites in it,
which lowers the effective α by O(p); near the steep lattice transition that shows (see docs).

``bite_scale`` / ``kill_scale`` multiply the probabilities handed to the engine while the
references keep the true values: a deliberate error, to show the checks catch a wrong rule.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import yaml
from scipy.stats import binomtest

from hyosan.engine.simulation import Simulation
from hyosan.reference import alemi
from hyosan.reference.lattice import ALPHA_C, outbreak_sizes
from hyosan.scenario import Scenario, parse_scenario
from hyosan.states import State
from hyosan.validate import Check

S_CODE, Z_CODE = int(State.SUSCEPTIBLE), int(State.ZOMBIE)
#: confidence level of every interval in the table
CONFIDENCE = 0.99
_Z99 = 2.5758293035489004  # two-sided normal quantile for CONFIDENCE


# ------------------------------------------------------------------------------- sizes


@dataclass(frozen=True)
class Sizes:
    """How big each check is (reduced: the default and the test suite; full: ``--full``)."""

    # mixing trajectories
    mix_rows: int
    mix_cols: int
    mix_agents: int
    mix_z0: int
    mix_runs: int
    # single-zombie extinction in mixing mode
    ext_rows: int
    ext_cols: int
    ext_agents: int
    ext_runs: int
    ext_stop: int
    ext_alphas: tuple[float, ...]
    # lattice
    lat_side: int
    lat_cap: int
    lat_runs: int
    lat_ref_runs: int
    lat_alphas: tuple[float, ...]


REDUCED = Sizes(mix_rows=100, mix_cols=200, mix_agents=2000, mix_z0=100, mix_runs=16,
                ext_rows=100, ext_cols=100, ext_agents=1000, ext_runs=200, ext_stop=15,
                ext_alphas=(0.8,),
                lat_side=64, lat_cap=1000, lat_runs=200, lat_ref_runs=4000,
                lat_alphas=(0.30, 0.55))
FULL = Sizes(mix_rows=200, mix_cols=250, mix_agents=5000, mix_z0=250, mix_runs=40,
             ext_rows=100, ext_cols=100, ext_agents=1000, ext_runs=600, ext_stop=15,
             ext_alphas=(0.3, 0.5, 0.8),
             lat_side=100, lat_cap=2000, lat_runs=500, lat_ref_runs=10000,
             lat_alphas=(0.30, 0.40, 0.50, 0.55))

#: α values of the mixing-trajectory check (the issue's three)
MIX_ALPHAS = (0.3, 0.5, 0.8)
#: well-mixed bite rate per tick, β·dt; small so that the tick-by-tick (Euler-like) growth of the
#: engine stays close to the continuous-time solution (error ≈ β·dt/2 relative on the rate)
MIX_BETA_DT = 0.02
#: mixing trajectories are followed for this many e-folds of the closed form's growth
MIX_EFOLDS = 10.0
#: tolerance of the trajectory check, on max over t of |⟨S⟩ − S_cf| and |⟨Z⟩ − Z_cf|: a
#: systematic allowance (units of N) for the tick and the finite N, plus MIX_SE standard errors of
#: the ensemble mean (its largest over t), since a slow outbreak (α = 0.8) varies a lot in timing
MIX_SYS = 0.01
MIX_SE = 3.0
#: per-tick bite probability on the lattice (rate β·dt = −ln(1 − p))
LAT_P_BITE = 0.2


# ------------------------------------------------------------------------------- scenarios


def grid_scenario(*, rows: int, cols: int, agents: int, z0: int, p_bite: float, p_kill: float,
                  profile: str, neighbourhood: str = "moore",
                  resolve: str = "sequential") -> Scenario:
    """A torus of open cells with ``agents`` residents, ``z0`` of them zombies from the start."""
    doc = {
        "name": f"validate-{profile}",
        "description": "built by hyosan.validate.epidemic",
        "world": {"generator": "grid", "grid": {"rows": rows, "cols": cols, "torus": True}},
        "population": [{"role": "resident", "count": agents - z0, "places": ["grid"],
                        "group_by_place": False}],
        "outbreak": {
            "index_cases": [{"place": "grid", "count": z0, "already_zombie": True}],
            "bite_probability": float(p_bite), "kill_probability": float(p_kill),
            "contact": "pairs", "neighbourhood": neighbourhood, "resolve": resolve,
            "turn": {"distribution": "instant"}, "carrier_fraction": 0.0,
        },
        "behaviour": {"profile": profile, "roles": {"resident": {"fights": "cornered"}}},
        "run": {"dt": "1 s", "duration": "1 s", "frames_every": "0 s", "seed": 1},
    }
    return parse_scenario(yaml.safe_dump(doc, sort_keys=False), source=f"<{profile} grid>")


def _prob(p: float) -> float:
    """A scaled probability must stay a probability."""
    return min(max(p, 0.0), 1.0)


def _seeds(seed: int, tag: str, n: int) -> list[np.random.SeedSequence]:
    """``n`` independent run seeds for one check, from the base seed and the check's name."""
    words = [ord(c) for c in tag]
    return np.random.SeedSequence([seed, *words]).spawn(n)


# ------------------------------------------------------------------------------- 1. mixing


@dataclass
class MixingEnsemble:
    """Engine runs of the mixing check and their closed-form reference (counts per tick)."""

    alpha: float
    t: np.ndarray
    S: np.ndarray  # runs × ticks
    Z: np.ndarray
    took_off: np.ndarray  # bool per run
    S_ref: np.ndarray
    Z_ref: np.ndarray
    n_agents: int

    def deviation(self) -> tuple[float, float]:
        """max_t |⟨S⟩ − S_cf| / N and the same for Z, over the runs that took off."""
        S = self.S[self.took_off].mean(axis=0)
        Z = self.Z[self.took_off].mean(axis=0)
        n = self.n_agents
        return (float(np.max(np.abs(S - self.S_ref)) / n),
                float(np.max(np.abs(Z - self.Z_ref)) / n))

    def tolerance(self) -> float:
        """MIX_SYS + MIX_SE × the largest standard error of ⟨S⟩ or ⟨Z⟩ over t, in units of N."""
        k = int(self.took_off.sum())
        if k < 2:
            return MIX_SYS
        se = max(self.S[self.took_off].std(axis=0, ddof=1).max(),
                 self.Z[self.took_off].std(axis=0, ddof=1).max()) / math.sqrt(k)
        return MIX_SYS + MIX_SE * float(se) / self.n_agents


def mixing_ensemble(alpha: float, sizes: Sizes = REDUCED, *, seed: int = 2015,
                    bite_scale: float = 1.0, kill_scale: float = 1.0) -> MixingEnsemble:
    """Run the mixing-mode ensemble for one α and evaluate the closed form at the same ticks."""
    n, c = sizes.mix_agents, sizes.mix_rows * sizes.mix_cols
    p_bite = alemi.contact_probability_from_beta(MIX_BETA_DT, n_agents=n, n_cells=c)
    p_kill = alpha * p_bite  # κ/β = α, through the same linear map
    beta = alemi.beta_from_contact_probability(p_bite, n_agents=n, n_cells=c)
    ticks = int(math.ceil(MIX_EFOLDS / ((1.0 - alpha) * beta)))
    sc = grid_scenario(rows=sizes.mix_rows, cols=sizes.mix_cols, agents=n, z0=sizes.mix_z0,
                       p_bite=_prob(p_bite * bite_scale), p_kill=_prob(p_kill * kill_scale),
                       profile="mixing")
    S = np.empty((sizes.mix_runs, ticks + 1))
    Z = np.empty_like(S)
    for r, ss in enumerate(_seeds(seed, f"mixing{alpha}", sizes.mix_runs)):
        ts = Simulation(sc, seed=ss).run(duration=float(ticks)).timeseries
        tick = np.asarray(ts["tick"])
        S[r] = np.interp(np.arange(ticks + 1), tick, ts["susceptible"],
                         left=n - sizes.mix_z0)
        Z[r] = np.interp(np.arange(ticks + 1), tick, ts["zombie"], left=sizes.mix_z0)
    t = np.arange(ticks + 1, dtype=float)
    S0 = n - sizes.mix_z0
    S_ref, Z_ref, _ = alemi.closed_form(t, S0=S0, Z0=sizes.mix_z0, beta=beta,
                                        kappa=alpha * beta)
    # took off: at least half the humans bitten by the end (the closed form bites > 95 % by then);
    # a run whose first zombies all die early has no counterpart in the deterministic solution
    took_off = (S0 - S[:, -1]) >= 0.5 * S0
    return MixingEnsemble(alpha, t, S, Z, took_off, S_ref, Z_ref, n)


def check_mixing(ens: MixingEnsemble) -> Check:
    """The table row of one mixing ensemble."""
    dS, dZ = ens.deviation()
    k = int(ens.took_off.sum())
    tol = ens.tolerance()
    ok = k > 1 and dS <= tol and dZ <= tol
    return Check(
        name=f"mixing α={ens.alpha:g}: mean S(t), Z(t)",
        reference="closed form (Alemi 2015)",
        measured=f"max dev S {100 * dS:.2f}%, Z {100 * dZ:.2f}% of N ({k}/{len(ens.took_off)} "
                 "took off)",
        tolerance=f"≤ {100 * MIX_SYS:g}% + {MIX_SE:g} SE = {100 * tol:.2f}% of N",
        passed=bool(ok))


# ------------------------------------------------------------------------------- 2. extinction


def ruin_probability(alpha: float, stop: int) -> float:
    """P(one zombie's lineage hits 0 before ``stop``): steps up w.p. 1/(1+α) (gambler's ruin)."""
    if alpha >= 1.0:
        return 1.0 if alpha > 1.0 else 1.0 - 1.0 / stop
    return (alpha - alpha ** stop) / (1.0 - alpha ** stop)


def mixing_extinction(alpha: float, sizes: Sizes = REDUCED, *, seed: int = 2015,
                      bite_scale: float = 1.0, kill_scale: float = 1.0) -> tuple[int, int]:
    """Single-zombie runs in mixing mode until Z = 0 or Z = stop: (extinct, runs)."""
    n, c = sizes.ext_agents, sizes.ext_rows * sizes.ext_cols
    p_bite = alemi.contact_probability_from_beta(MIX_BETA_DT, n_agents=n, n_cells=c)
    sc = grid_scenario(rows=sizes.ext_rows, cols=sizes.ext_cols, agents=n, z0=1,
                       p_bite=_prob(p_bite * bite_scale),
                       p_kill=_prob(alpha * p_bite * kill_scale), profile="mixing")
    extinct = 0
    # a generous cap on ticks: the mean time to reach `stop` is ~ log(stop)/((1−α)β·dt)
    max_ticks = int(50 * (1 + math.log(sizes.ext_stop)) / ((1.0 - min(alpha, 0.95)) * MIX_BETA_DT))
    for ss in _seeds(seed, f"extinction{alpha}", sizes.ext_runs):
        sim = Simulation(sc, seed=ss)
        state = sim.pop.state
        for _ in range(max_ticks):
            sim.step()
            z = int(np.count_nonzero(state == Z_CODE))
            if z == 0:
                extinct += 1
                break
            if z >= sizes.ext_stop:
                break
    return extinct, sizes.ext_runs


def check_extinction(alpha: float, extinct: int, runs: int, stop: int) -> Check:
    ref = ruin_probability(alpha, stop)
    ci = binomtest(extinct, runs).proportion_ci(CONFIDENCE, method="exact")
    return Check(
        name=f"mixing α={alpha:g}: P(1 zombie dies out)",
        reference=f"min(α,1) = {min(alpha, 1.0):.3f} ({ref:.3f} stopping at Z={stop})",
        measured=f"{extinct}/{runs} = {extinct / runs:.3f} [{ci.low:.3f}, {ci.high:.3f}]",
        tolerance=f"reference inside the {100 * CONFIDENCE:g}% binomial interval",
        passed=bool(ci.low <= ref <= ci.high))


# ------------------------------------------------------------------------------- 3. lattice


def _has_active_bond(sim: Simulation, side: int) -> bool:
    """Is any zombie next to a susceptible (von Neumann, periodic)? If not, nothing can change."""
    grid = np.full(side * side, int(State.DESTROYED), np.uint8)
    grid[sim.pop.cell] = sim.pop.state
    grid = grid.reshape(side, side)
    s = grid == S_CODE
    near_s = np.roll(s, 1, 0) | np.roll(s, -1, 0) | np.roll(s, 1, 1) | np.roll(s, -1, 1)
    return bool((near_s & (grid == Z_CODE)).any())


def lattice_large(alpha: float, sizes: Sizes = REDUCED, *, seed: int = 2015,
                  bite_scale: float = 1.0, kill_scale: float = 1.0) -> tuple[int, int]:
    """Single-zombie outbreaks on a full lattice: (runs that turned ≥ cap sites, runs)."""
    side, cap = sizes.lat_side, sizes.lat_cap
    beta_dt = -math.log(1.0 - LAT_P_BITE)
    p_kill = 1.0 - math.exp(-alpha * beta_dt)  # κ·dt = α·β·dt
    sc = grid_scenario(rows=side, cols=side, agents=side * side, z0=1,
                       p_bite=_prob(LAT_P_BITE * bite_scale), p_kill=_prob(p_kill * kill_scale),
                       profile="lattice", neighbourhood="von_neumann")
    n = side * side
    large = 0
    for ss in _seeds(seed, f"lattice{alpha}", sizes.lat_runs):
        sim = Simulation(sc, seed=ss)
        state = sim.pop.state
        tick = 0
        while True:
            sim.step()
            tick += 1
            if n - int(np.count_nonzero(state == S_CODE)) >= cap:  # sites ever turned
                large += 1
                break
            if tick % 8 == 0 and not _has_active_bond(sim, side):
                break  # every zombie is walled in by zombies and the destroyed: over
            if not np.any(state == Z_CODE):
                break
    return large, sizes.lat_runs


def _two_sample_ok(k1: int, n1: int, k2: int, n2: int) -> tuple[bool, float]:
    """Do two binomial proportions agree at CONFIDENCE? (pooled normal test; returns the margin)"""
    p = (k1 + k2) / (n1 + n2)
    # a floor of 1/2 success keeps the test meaningful when both counts are zero
    p = max(p, 0.5 / (n1 + n2))
    margin = _Z99 * math.sqrt(p * (1 - p) * (1 / n1 + 1 / n2))
    return abs(k1 / n1 - k2 / n2) <= margin, margin


def check_lattice(results: dict[float, tuple[int, int]], sizes: Sizes, *,
                  seed: int = 2015) -> list[Check]:
    """Side-by-side rows per α, then the bracketing of α_c."""
    rows = []
    cap = sizes.lat_cap
    for alpha, (k, n) in results.items():
        ref = outbreak_sizes(L=sizes.lat_side, alpha=alpha, runs=sizes.lat_ref_runs, seed=seed,
                             size_cap=cap)
        kr = int(ref.capped.sum())
        ok, margin = _two_sample_ok(k, n, kr, ref.runs)
        rows.append(Check(
            name=f"lattice α={alpha:g}: P(size ≥ {cap})",
            reference=f"{kr / ref.runs:.3f} (continuous-time, {ref.runs} runs, L={sizes.lat_side})",
            measured=f"{k}/{n} = {k / n:.3f}",
            tolerance=f"|Δ| ≤ {margin:.3f} ({100 * CONFIDENCE:g}% two-sample)",
            passed=bool(ok)))
    lo_a, hi_a = min(results), max(results)
    k_lo, n_lo = results[lo_a]
    k_hi, n_hi = results[hi_a]
    lo_ci = binomtest(k_lo, n_lo).proportion_ci(CONFIDENCE, method="exact")
    hi_ci = binomtest(k_hi, n_hi).proportion_ci(CONFIDENCE, method="exact")
    rows.append(Check(
        name=f"lattice: transition between α={lo_a:g} and {hi_a:g}",
        reference=f"α_c ≈ {ALPHA_C} (Alemi 2015)",
        measured=f"P={k_lo / n_lo:.3f} at {lo_a:g}, {k_hi / n_hi:.3f} at {hi_a:g}",
        tolerance=f"{100 * CONFIDENCE:g}% bounds: > 0.3 at {lo_a:g}, < 0.1 at {hi_a:g}",
        passed=bool(lo_a < ALPHA_C < hi_a and lo_ci.low > 0.3 and hi_ci.high < 0.1)))
    return rows


# ------------------------------------------------------------------------------- suite


def run(full: bool = False, out_dir: Path | None = None, *, seed: int = 2015,
        bite_scale: float = 1.0, kill_scale: float = 1.0) -> list[Check]:
    """All checks at the reduced (default) or full size; write CSV and plots to ``out_dir``."""
    sizes = FULL if full else REDUCED
    scale = {"bite_scale": bite_scale, "kill_scale": kill_scale}
    checks: list[Check] = []
    ensembles = [mixing_ensemble(a, sizes, seed=seed, **scale) for a in MIX_ALPHAS]
    checks += [check_mixing(e) for e in ensembles]
    for a in sizes.ext_alphas:
        k, n = mixing_extinction(a, sizes, seed=seed, **scale)
        checks.append(check_extinction(a, k, n, sizes.ext_stop))
    lat = {a: lattice_large(a, sizes, seed=seed, **scale) for a in sizes.lat_alphas}
    checks += check_lattice(lat, sizes, seed=seed)
    if out_dir is not None:
        write_outputs(Path(out_dir), checks, ensembles)
    return checks


def write_outputs(out_dir: Path, checks: list[Check], ensembles: list[MixingEnsemble]) -> None:
    """``epidemic.csv`` (the table) and ``epidemic_mixing.png`` (means against the closed form)."""
    import csv

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    out_dir.mkdir(parents=True, exist_ok=True)
    with open(out_dir / "epidemic.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["check", "reference", "measured", "tolerance", "pass"])
        for c in checks:
            w.writerow([c.name, c.reference, c.measured, c.tolerance, c.passed])
    fig, axes = plt.subplots(1, len(ensembles), figsize=(4 * len(ensembles), 3.2), sharey=True)
    for ax, e in zip(np.atleast_1d(axes), ensembles, strict=True):
        n = e.n_agents
        for runs_s, runs_z in zip(e.S[e.took_off], e.Z[e.took_off], strict=True):
            ax.plot(e.t, runs_s / n, color="tab:blue", alpha=0.15, lw=0.6)
            ax.plot(e.t, runs_z / n, color="tab:red", alpha=0.15, lw=0.6)
        ax.plot(e.t, e.S[e.took_off].mean(0) / n, color="tab:blue", label="engine S")
        ax.plot(e.t, e.Z[e.took_off].mean(0) / n, color="tab:red", label="engine Z")
        ax.plot(e.t, e.S_ref / n, "k--", lw=1, label="closed form")
        ax.plot(e.t, e.Z_ref / n, "k--", lw=1)
        ax.set_title(f"mixing, α = {e.alpha:g}")
        ax.set_xlabel("tick")
    np.atleast_1d(axes)[0].set_ylabel("fraction of N")
    np.atleast_1d(axes)[0].legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(out_dir / "epidemic_mixing.png", dpi=110)
    plt.close(fig)


def main(argv: list[str] | None = None) -> int:
    """``python -m hyosan.validate.epidemic [--full] [--bite-scale X] [--kill-scale Y]``.

    The scales exist to demonstrate that the checks fail when a rule is off (e.g. 1.2).
    """
    import argparse

    ap = argparse.ArgumentParser(prog="python -m hyosan.validate.epidemic")
    ap.add_argument("--full", action="store_true")
    ap.add_argument("--out", type=Path)
    ap.add_argument("--bite-scale", type=float, default=1.0)
    ap.add_argument("--kill-scale", type=float, default=1.0)
    ap.add_argument("--seed", type=int, default=2015)
    a = ap.parse_args(argv)
    checks = run(a.full, a.out, seed=a.seed, bite_scale=a.bite_scale, kill_scale=a.kill_scale)
    for c in checks:
        print(f"{'pass' if c.passed else 'FAIL'} | {c.name} | {c.reference} | {c.measured} | "
              f"{c.tolerance}")
    return 0 if all(c.passed for c in checks) else 1


if __name__ == "__main__":
    raise SystemExit(main())
