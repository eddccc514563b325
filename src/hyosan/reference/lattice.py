"""The lattice SZR model of Alemi, Bierbaum, Myers & Sethna (2015, Phys. Rev. E 92, 052801).

Every site of an L×L square lattice with periodic boundaries holds one individual: susceptible
(S), zombie (Z) or removed (R). Each S–Z pair of nearest neighbours (von Neumann contact) is an
*active bond*; on each active bond the zombie bites (the S becomes Z) at rate β and the human
kills (the Z becomes R) at rate κ; α = κ/β. Removed sites are inert.

The simulation is exact in continuous time (Gillespie over active bonds): with B active bonds
the next event comes after an Exp(B·(β+κ)) wait, on a uniformly chosen bond, and is a bite with
probability 1/(1+α). The active bonds live in an array with a position index, so adding and
removing one is O(1) and an event costs O(1). Only α matters for the order of events and hence
for outbreak sizes; β sets the time scale.

Alemi et al. find the critical ratio α_c ≈ 0.437 on the square lattice: below it a single zombie
overruns the lattice with positive probability, above it every outbreak stays finite.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
from numba import njit

from hyosan.errors import ScenarioError

S_SITE, Z_SITE, R_SITE = 0, 1, 2

#: critical ratio κ/β on the square lattice (Alemi et al. 2015)
ALPHA_C = 0.437


@functools.lru_cache(maxsize=4)
def _neighbour_table(L: int) -> np.ndarray:
    """nbr[4·site + d] = the neighbour of ``site`` in direction d (periodic); cached per L."""
    table = np.empty(4 * L * L, dtype=np.int32)
    _fill_neighbours(L, table)
    table.flags.writeable = False  # shared between calls through the cache
    return table


@njit(cache=True)
def _fill_neighbours(L, table):
    # d: 0 up, 1 down, 2 left, 3 right; the opposite of d is d ^ 1
    for r in range(L):
        up = (r - 1) % L
        down = (r + 1) % L
        for c in range(L):
            i = 4 * (r * L + c)
            table[i] = up * L + c
            table[i + 1] = down * L + c
            table[i + 2] = r * L + (c - 1) % L
            table[i + 3] = r * L + (c + 1) % L


@njit(cache=True)
def _add_bond(b, bonds, pos, nb):
    pos[b] = nb
    bonds[nb] = b
    return nb + 1


@njit(cache=True)
def _remove_bond(b, bonds, pos, nb):
    i = pos[b]
    last = bonds[nb - 1]
    bonds[i] = last
    pos[last] = i
    pos[b] = -1
    return nb - 1


@njit(cache=True)
def _lattice_kernel(L, nbr, p_bite, total_rate, rng, size_cap, t_out, state, bonds, pos,
                    touched, sizes, capped, events, counts):
    """Run len(sizes) single-zombie outbreaks in turn on a lattice that starts all S.

    Bond id b = 4·z + d joins zombie site z to the susceptible site nbr[b] in direction d. Only the
    sites a run touched are reset afterwards, so small outbreaks on a big lattice stay cheap.
    ``counts`` (len(t_out) × 3) receives S, Z, R at the sample times of the first run.
    """
    n_sites = L * L
    nt = t_out.shape[0]
    centre = (L // 2) * L + L // 2
    for run in range(sizes.shape[0]):
        nb = 0
        n_touched = 0
        n_z = 1
        n_r = 0
        state[centre] = Z_SITE
        touched[n_touched] = centre
        n_touched += 1
        for d in range(4):
            nb = _add_bond(4 * centre + d, bonds, pos, nb)
        t = 0.0
        j = 0
        record = run == 0 and nt > 0
        while record and j < nt and t_out[j] <= t:
            counts[j, 0] = n_sites - n_z - n_r
            counts[j, 1] = n_z
            counts[j, 2] = n_r
            j += 1
        n_ev = 0
        while nb > 0 and n_touched < size_cap:
            if record:
                t_next = t - np.log(1.0 - rng.random()) / (nb * total_rate)
                while j < nt and t_out[j] < t_next:
                    counts[j, 0] = n_sites - n_z - n_r
                    counts[j, 1] = n_z
                    counts[j, 2] = n_r
                    j += 1
                if j == nt:  # past the last sample time: stop here
                    break
                t = t_next
            # one uniform picks the bond (integer part) and the reaction (fractional part)
            u = rng.random() * nb
            i = int(u)
            b = bonds[i]
            z = b >> 2
            if u - i < p_bite:
                s = nbr[b]
                for d in range(4):
                    n = nbr[4 * s + d]
                    if state[n] == Z_SITE:
                        nb = _remove_bond(4 * n + (d ^ 1), bonds, pos, nb)
                    elif state[n] == S_SITE:
                        nb = _add_bond(4 * s + d, bonds, pos, nb)
                state[s] = Z_SITE
                touched[n_touched] = s
                n_touched += 1
                n_z += 1
            else:
                for d in range(4):
                    if pos[4 * z + d] >= 0:
                        nb = _remove_bond(4 * z + d, bonds, pos, nb)
                state[z] = R_SITE
                n_z -= 1
                n_r += 1
            n_ev += 1
        while record and j < nt:
            counts[j, 0] = n_sites - n_z - n_r
            counts[j, 1] = n_z
            counts[j, 2] = n_r
            j += 1
        sizes[run] = n_touched
        capped[run] = nb > 0
        events[run] = n_ev
        if run < sizes.shape[0] - 1:  # leave the last run's lattice for the caller to inspect
            _reset(touched, n_touched, state, bonds, pos, nb)


@njit(cache=True)
def _reset(touched, n_touched, state, bonds, pos, nb):
    for i in range(nb):
        pos[bonds[i]] = -1
    for i in range(n_touched):
        state[touched[i]] = S_SITE


def _check(L: int, alpha: float, beta: float, runs: int) -> None:
    if int(L) != L or not 3 <= L <= 20_000:
        raise ScenarioError(f"lattice side must be a whole number in [3, 20000], got {L!r}",
                            where="L")
    if not (np.isfinite(alpha) and alpha >= 0):
        raise ScenarioError(f"must be >= 0, got {alpha!r}", where="alpha")
    if not (np.isfinite(beta) and beta > 0):
        raise ScenarioError(f"must be > 0, got {beta!r}", where="beta")
    if runs < 1:
        raise ScenarioError(f"must be >= 1, got {runs!r}", where="runs")


def _run(L: int, alpha: float, beta: float, runs: int, seed: int, size_cap: int,
         t_out: np.ndarray):
    n = L * L
    state = np.zeros(n, dtype=np.uint8)
    bonds = np.empty(4 * n, dtype=np.int32)
    pos = np.full(4 * n, -1, dtype=np.int32)
    touched = np.empty(n, dtype=np.int64)
    sizes = np.empty(runs, dtype=np.int64)
    capped = np.empty(runs, dtype=np.bool_)
    events = np.empty(runs, dtype=np.int64)
    counts = np.zeros((len(t_out), 3), dtype=np.int64)
    # one random stream for the batch, from the base seed: runs are reproducible as a set
    rng = np.random.default_rng(seed)
    _lattice_kernel(int(L), _neighbour_table(int(L)), 1.0 / (1.0 + alpha), beta * (1.0 + alpha),
                    rng, int(size_cap), t_out, state, bonds, pos, touched, sizes, capped, events,
                    counts)
    return state, sizes, capped, events, counts


@dataclass
class OutbreakStats:
    """Final sizes of single-zombie outbreaks (sites ever turned, the seed included)."""

    L: int
    alpha: float
    size_cap: int
    sizes: np.ndarray
    #: runs stopped at ``size_cap`` while still active (they "grew large")
    capped: np.ndarray
    events: np.ndarray

    @property
    def runs(self) -> int:
        return len(self.sizes)

    @property
    def p_large(self) -> float:
        """Fraction of outbreaks that reached ``size_cap``."""
        return float(self.capped.mean())

    def p_exceeds(self, m: int) -> float:
        """Fraction of outbreaks whose size reached at least ``m`` (m <= size_cap)."""
        if m > self.size_cap:
            raise ScenarioError(f"sizes above size_cap={self.size_cap} were not followed",
                                where="m")
        return float(np.mean(self.sizes >= m))


def outbreak_sizes(*, L: int = 256, alpha: float = 0.3, runs: int = 1000, seed: int = 0,
                   size_cap: int | None = None, beta: float = 1.0) -> OutbreakStats:
    """Run ``runs`` single-zombie outbreaks; each stops when over or when ``size_cap`` is reached.

    ``size_cap`` defaults to L²/4, well below the whole lattice so that wrapping round the
    periodic boundary does not matter much.
    """
    _check(L, alpha, beta, runs)
    cap = L * L // 4 if size_cap is None else int(size_cap)
    if not 1 <= cap <= L * L:
        raise ScenarioError(f"must be in [1, L²={L * L}], got {size_cap!r}", where="size_cap")
    _, sizes, capped, events, _ = _run(L, alpha, beta, runs, seed, cap, np.empty(0))
    return OutbreakStats(int(L), float(alpha), cap, sizes, capped, events)


@dataclass
class LatticeRun:
    """One outbreak: S, Z, R counts at the times ``t`` and the final lattice (L × L codes)."""

    L: int
    alpha: float
    t: np.ndarray
    S: np.ndarray
    Z: np.ndarray
    R: np.ndarray
    final_state: np.ndarray
    events: int

    @property
    def size(self) -> int:
        """Sites ever turned into zombies, the seed included."""
        return int(self.L * self.L - self.S[-1])


def lattice_run(*, L: int = 128, alpha: float = 0.3, beta: float = 1.0,
                t: np.ndarray | None = None, t_end: float = 200.0, n_points: int = 401,
                seed: int = 0) -> LatticeRun:
    """One outbreak from a single zombie at the centre, followed to the last sample time."""
    _check(L, alpha, beta, 1)
    t_out = np.linspace(0.0, t_end, n_points) if t is None else np.asarray(t, dtype=float)
    if t_out.ndim != 1 or len(t_out) == 0 or np.any(np.diff(t_out) < 0) or t_out[0] < 0:
        raise ScenarioError("sample times must be a non-empty, non-decreasing list >= 0",
                            where="t")
    state, _, _, events, counts = _run(L, alpha, beta, 1, seed, L * L + 1, t_out)
    return LatticeRun(int(L), float(alpha), t_out, counts[:, 0], counts[:, 1], counts[:, 2],
                      state.reshape(L, L).copy(), int(events[0]))
