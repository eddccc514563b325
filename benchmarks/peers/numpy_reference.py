"""Plain Numba reference of the `grid-benchmark` model, in both update orders.

The model: a torus of ``height x width`` cells, at most one agent per cell; agents random-walk on
the Moore neighbourhood (move to a uniformly chosen free neighbouring cell, stay if none); 1 % of
the agents start as zombies. Each tick a zombie bites one uniformly chosen adjacent (Moore) human
with probability ``p_bite`` and that human turns at once; a human destroys one uniformly chosen
adjacent zombie with probability ``p_kill``.

Two update orders, so the peers (sequential) and Hyosan's engine (synchronous) both have an
independent reference to be checked against:

- ``run_sequential``: what Mesa's ``agents.shuffle_do("step")`` and Repast4Py's schedule do. Each
  tick the agents alive at the start of the tick act one after another in a fresh random order;
  an agent's step is "move, then bite (zombie) or fight (human)", seeing the moves and bites of
  the agents before it. An agent removed earlier in the tick (destroyed, or turned) does not act;
  a human turned this tick acts as a zombie from the next tick on (in Mesa it is a new object,
  not in the tick's shuffled list).
- ``run_synchronous``: what DESIGN.md prescribes for Hyosan. Every agent picks its target among
  the cells free at the start of the tick; a cell wanted by several agents goes to one of them
  chosen uniformly, the others stay. Then contact requests are gathered from the post-move
  positions (each zombie: one adjacent human, bite with ``p_bite``; each human: one adjacent
  zombie, destroy with ``p_kill``) and resolved once: bitten humans turn, destroyed zombies go;
  a zombie destroyed this tick still lands its bite, a human bitten this tick still lands its blow.

Randomness comes from Numba's own generator, seeded at the start of each run from ``seed``, so a
run is reproducible; the stream is not the same as Mesa's (which uses ``random.Random``), only the
distribution is.
"""

# Inside @njit the legacy np.random functions are Numba's own generator, seeded per run.
# ruff: noqa: NPY002

from __future__ import annotations

import numpy as np
from numba import njit

HUMAN = 0
ZOMBIE = 1
GONE = 2  # destroyed zombie (masked, not deleted)

# Moore offsets (row, column), the eight neighbours of a cell.
_DR = np.array([-1, -1, -1, 0, 0, 1, 1, 1], dtype=np.int64)
_DC = np.array([-1, 0, 1, -1, 1, -1, 0, 1], dtype=np.int64)


def n_initial_zombies(n_agents: int, zombie_fraction: float = 0.01) -> int:
    """Zombies at the start: ``round(fraction * n)``, at least one (so there is an outbreak)."""
    return max(1, round(zombie_fraction * n_agents))


@njit(cache=True)
def _seed(seed: int) -> None:
    np.random.seed(seed)


@njit(cache=True)
def _place(height: int, width: int, n_agents: int, n_zombies: int):
    """Distinct uniformly random cells; the first ``n_zombies`` agents are zombies."""
    cells = np.random.permutation(height * width)[:n_agents].astype(np.int64)
    occ = -np.ones(height * width, dtype=np.int64)
    kind = np.zeros(n_agents, dtype=np.int8)
    kind[:n_zombies] = ZOMBIE
    for a in range(n_agents):
        occ[cells[a]] = a
    return cells, occ, kind


@njit(cache=True)
def _neighbour(cell: int, k: int, height: int, width: int) -> int:
    r = cell // width
    c = cell - r * width
    return ((r + _DR[k]) % height) * width + (c + _DC[k]) % width


@njit(cache=True)
def _start(height, width, n_agents, n_zombies, ticks, seed):
    """Seed, place the agents, and the humans series with its tick-0 entry filled."""
    _seed(seed)
    pos, occ, kind = _place(height, width, n_agents, n_zombies)
    humans = np.empty(ticks + 1, dtype=np.int64)
    humans[0] = n_agents - n_zombies
    return pos, occ, kind, humans


# The two helpers below are shared by both update orders and sit in their inner loops;
# inline="always" keeps the kernels as fast as when the helpers were written out in each.
@njit(cache=True, inline="always")
def _free_neighbour(cell, occ, cand, height, width):
    """A uniformly chosen free neighbouring cell of ``cell``, or -1 if none (``cand``: scratch)."""
    n = 0
    for k in range(8):
        nb = _neighbour(cell, k, height, width)
        if occ[nb] < 0:
            cand[n] = nb
            n += 1
    if n == 0:
        return -1
    return cand[np.random.randint(n)]


@njit(cache=True, inline="always")
def _contact(a, pos, occ, kind, cand, height, width, p_bite, p_kill):
    """The agent that ``a`` bites (a zombie) or destroys (a human) this tick, or -1.

    One uniformly chosen adjacent agent of the other kind, hit with ``p_bite`` or ``p_kill``;
    -1 when there is none or the contact misses. ``cand`` is scratch.
    """
    other = HUMAN if kind[a] == ZOMBIE else ZOMBIE
    n = 0
    for k in range(8):
        b = occ[_neighbour(pos[a], k, height, width)]
        if b >= 0 and kind[b] == other:
            cand[n] = b
            n += 1
    if n == 0:
        return -1
    b = cand[np.random.randint(n)]
    p = p_bite if kind[a] == ZOMBIE else p_kill
    return b if np.random.random() < p else -1


@njit(cache=True)
def _sequential(height, width, n_agents, n_zombies, ticks, p_bite, p_kill, seed):
    pos, occ, kind, humans = _start(height, width, n_agents, n_zombies, ticks, seed)
    cand = np.empty(8, dtype=np.int64)
    start_kind = kind.copy()
    for t in range(ticks):
        start_kind[:] = kind
        order = np.random.permutation(n_agents)
        for a in order:
            # Only agents alive at the start of the tick, and unchanged since, act.
            if kind[a] == GONE or kind[a] != start_kind[a]:
                continue
            # Move, seeing the moves before it; then contact, applied at once.
            dest = _free_neighbour(pos[a], occ, cand, height, width)
            if dest >= 0:
                occ[pos[a]] = -1
                occ[dest] = a
                pos[a] = dest
            b = _contact(a, pos, occ, kind, cand, height, width, p_bite, p_kill)
            if b < 0:
                continue
            if kind[a] == ZOMBIE:
                kind[b] = ZOMBIE
            else:
                kind[b] = GONE
                occ[pos[b]] = -1
        humans[t + 1] = np.sum(kind == HUMAN)
    return humans


@njit(cache=True)
def _synchronous(height, width, n_agents, n_zombies, ticks, p_bite, p_kill, seed):
    pos, occ, kind, humans = _start(height, width, n_agents, n_zombies, ticks, seed)
    cand = np.empty(8, dtype=np.int64)
    want = -np.ones(n_agents, dtype=np.int64)
    # Per cell: number of agents that want it so far, and the current (reservoir) winner.
    n_want = np.zeros(height * width, dtype=np.int64)
    winner = -np.ones(height * width, dtype=np.int64)
    turn = np.zeros(n_agents, dtype=np.bool_)
    destroy = np.zeros(n_agents, dtype=np.bool_)
    for t in range(ticks):
        # Move, from the same generation: propose, resolve at random, commit.
        for a in range(n_agents):
            want[a] = -1
            if kind[a] == GONE:
                continue
            dest = _free_neighbour(pos[a], occ, cand, height, width)
            if dest >= 0:
                want[a] = dest
                # Reservoir sampling: a uniform winner among all proposers of `dest`.
                n_want[dest] += 1
                if np.random.randint(n_want[dest]) == 0:
                    winner[dest] = a
        for a in range(n_agents):
            dest = want[a]
            if dest >= 0:
                if winner[dest] == a:
                    occ[pos[a]] = -1
                    pos[a] = dest
                n_want[dest] = 0
        for a in range(n_agents):
            if want[a] >= 0 and winner[want[a]] == a:
                occ[pos[a]] = a
        for a in range(n_agents):
            if want[a] >= 0:
                winner[want[a]] = -1
        # Contact: gather requests from the post-move state, then resolve once.
        turn[:] = False
        destroy[:] = False
        for a in range(n_agents):
            if kind[a] == GONE:
                continue
            b = _contact(a, pos, occ, kind, cand, height, width, p_bite, p_kill)
            if b < 0:
                continue
            if kind[a] == ZOMBIE:
                turn[b] = True
            else:
                destroy[b] = True
        for a in range(n_agents):
            if turn[a]:
                kind[a] = ZOMBIE
            elif destroy[a]:
                kind[a] = GONE
                occ[pos[a]] = -1
        humans[t + 1] = np.sum(kind == HUMAN)
    return humans


def _check(height: int, width: int, n_agents: int, ticks: int) -> None:
    if height < 3 or width < 3:
        raise ValueError(f"grid must be at least 3 x 3 for a Moore torus, got {height} x {width}")
    if not 0 < n_agents <= height * width:
        raise ValueError(f"n_agents must be in 1..{height * width}, got {n_agents}")
    if ticks < 0:
        raise ValueError(f"ticks must be >= 0, got {ticks}")


def humans_over_time(
    height: int,
    width: int,
    n_agents: int,
    ticks: int,
    seed: int,
    *,
    synchronous: bool = False,
    zombie_fraction: float = 0.01,
    p_bite: float = 0.5,
    p_kill: float = 0.2,
) -> np.ndarray:
    """Humans at ticks 0..``ticks`` (length ``ticks + 1``) for one seeded run."""
    _check(height, width, n_agents, ticks)
    kernel = _synchronous if synchronous else _sequential
    nz = n_initial_zombies(n_agents, zombie_fraction)
    return kernel(height, width, n_agents, nz, ticks, p_bite, p_kill, seed)


def run_sequential(
    height: int, width: int, n_agents: int, ticks: int, seed: int, **rates: float
) -> int:
    """Final humans after ``ticks`` with sequential random-order updates (like Mesa)."""
    return int(humans_over_time(height, width, n_agents, ticks, seed, **rates)[-1])


def run_synchronous(
    height: int, width: int, n_agents: int, ticks: int, seed: int, **rates: float
) -> int:
    """Final humans after ``ticks`` with synchronous updates (like Hyosan's engine)."""
    return int(
        humans_over_time(height, width, n_agents, ticks, seed, synchronous=True, **rates)[-1]
    )
