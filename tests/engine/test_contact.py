"""The contact rule on a few hand-placed agents: bite and kill probabilities, who is credited,
the neighbourhood, and the sequential order. Frequencies are checked against the rule's stated
probabilities (binomial tolerances over many ticks), never against numbers the code printed."""

from __future__ import annotations

import numpy as np
import pytest

from hyosan.codes import IS_HUMAN, State, TurnDist
from hyosan.engine import state as st
from hyosan.engine.events import BITE, KILL, EventBuffer
from hyosan.rules import contact as contact_mod

H = W = 7


class Board:
    """Agents on one 7 × 7 level (no torus), and what the contact kernel needs of them."""

    def __init__(self, agents: list[tuple[int, int, State]], kill_p: float = 0.0):
        n = len(agents)
        self.row = np.array([a[0] for a in agents], np.int32)
        self.col = np.array([a[1] for a in agents], np.int32)
        self.state0 = np.array([a[2] for a in agents], np.uint8)
        self.cell = (self.row * W + self.col).astype(np.int64)
        self.level = np.zeros(n, np.int32)
        self.kill_p = np.full(n, kill_p, np.float32)
        self.n = n

    def run(self, tick: int, p_bite: float, *, one: bool = False, vn: bool = False,
            sequential: bool = False, key: int = 12345):
        """One contact phase from the starting states; returns (state, events)."""
        n = self.n
        state = self.state0.copy()
        occ = np.full(H * W, -1, np.int32)
        occ[self.cell] = np.arange(n)
        buf = EventBuffer(64)
        f64 = lambda v: np.full(n, v, np.float64)  # noqa: E731
        i32 = np.full(n, -1, np.int32)
        ag = st.build(st.Agents, **{**{f: i32 for f in st.AGENTS},
            "n": n, "cell": self.cell, "level": self.level, "row": self.row, "col": self.col,
            "state": state, "kill_p": self.kill_p, "immune": np.zeros(n, np.bool_),
            "timer": np.zeros(n, np.float32), "bitten_at": f64(np.nan), "bitten_by": i32.copy(),
            "turn_delay": np.full(n, np.nan, np.float32)})
        gr = st.build(st.Grid, **{**{f: np.zeros(1, np.int64) for f in st.GRID},
            "occ": occ, "lvl_off": np.array([0], np.int64), "lvl_h": np.array([H], np.int64),
            "lvl_w": np.array([W], np.int64), "torus": False, "cell_size": 1.0,
            "stair_len": 1.0})
        sc = st.build(st.Scratch, **{**{f: np.zeros(1, np.int64) for f in st.SCRATCH},
            "bite_by": np.full(n, -1, np.int64), "bite_prio": f64(0.0),
            "kill_by": np.full(n, -1, np.int64), "kill_prio": f64(0.0)})
        pm = st.build(st.Params, **{**{f: 0.0 for f in st.PARAMS},
            "p_bite": p_bite, "one": one, "vn": vn, "sequential": sequential,
            "turn_dist": int(TurnDist.FIXED), "turn_median": 5.0, "turn_sigma": 0.0,
            "turn_min": 0.0, "turn_max": 10.0, "carrier_fraction": 0.0})
        contact_mod.contact(ag, gr, sc, pm, st.events(buf), np.uint64(key), tick, 0.0)
        return state, buf.drain()


RING = [(2, 2), (2, 3), (2, 4), (3, 2), (3, 4), (4, 2), (4, 3), (4, 4)]  # round (3, 3)


def ring_board(kill_p: float = 0.0) -> Board:
    return Board([(3, 3, State.ZOMBIE)] + [(r, c, State.SUSCEPTIBLE) for r, c in RING], kill_p)


def within(k: int, n: int, p: float, sds: float = 4.0) -> bool:
    return abs(k - n * p) <= sds * np.sqrt(n * p * (1 - p)) + 1


def test_no_bite_at_p0_and_every_neighbour_bitten_at_p1():
    b = ring_board()
    state, _ = b.run(0, 0.0)
    assert (state == b.state0).all()
    state, (kinds, a, bb, _c) = b.run(0, 1.0)
    assert (state[1:] == State.INFECTED).all() and state[0] == State.ZOMBIE
    assert (kinds == BITE).sum() == 8 and set(bb[kinds == BITE]) == set(range(1, 9))


def test_pairs_mode_bites_each_neighbour_with_p_bite():
    b = ring_board()
    ticks, p = 400, 0.3
    bitten = sum(int((b.run(t, p)[0][1:] == State.INFECTED).sum()) for t in range(ticks))
    assert within(bitten, 8 * ticks, p)


def test_one_mode_bites_at_most_one_and_picks_uniformly():
    b = ring_board()
    ticks, p = 800, 0.5
    picks = np.zeros(9, int)
    for t in range(ticks):
        state, _ = b.run(t, p, one=True)
        hit = np.flatnonzero(state == State.INFECTED)
        assert len(hit) <= 1
        picks[hit] += 1
    assert within(int(picks.sum()), ticks, p)
    # each of the 8 is picked with probability 1/8 of the bites
    for k in picks[1:]:
        assert within(int(k), int(picks.sum()), 1 / 8)


def test_von_neumann_reaches_no_diagonal_neighbour():
    b = ring_board()
    state, _ = b.run(0, 1.0, vn=True)
    bitten = {RING[j - 1] for j in np.flatnonzero(state == State.INFECTED)}
    assert bitten == {(2, 3), (3, 2), (3, 4), (4, 3)}


def test_a_human_bitten_by_two_zombies_is_credited_to_one_at_random():
    b = Board([(3, 2, State.ZOMBIE), (3, 4, State.ZOMBIE), (3, 3, State.SUSCEPTIBLE)])
    ticks = 400
    by_first = 0
    for t in range(ticks):
        _state, (kinds, a, bb, _c) = b.run(t, 1.0)
        assert (kinds == BITE).sum() == 1 and bb[0] == 2
        by_first += int(a[0] == 0)
    assert within(by_first, ticks, 0.5)


def test_a_fighter_with_certain_kill_destroys_its_zombie_and_is_bitten_too():
    """Both requests come from one generation: the blow and the bite both land (simultaneous)."""
    b = Board([(3, 3, State.ZOMBIE), (3, 4, State.SUSCEPTIBLE)], kill_p=1.0)
    state, (kinds, a, bb, _c) = b.run(0, 1.0)
    assert state[0] == State.DESTROYED and state[1] == State.INFECTED
    assert sorted(kinds.tolist()) == sorted([BITE, KILL])


def test_sequential_order_voids_the_later_request():
    """In a random order of actors the zombie destroyed first bites nobody; a bite that comes
    first leaves the blow (the bitten turns only after 5 s). Each comes first about half the
    time."""
    b = Board([(3, 3, State.ZOMBIE), (3, 4, State.SUSCEPTIBLE)], kill_p=1.0)
    ticks = 400
    killed_first = 0
    for t in range(ticks):
        state, (kinds, _a, _b, _c) = b.run(t, 1.0, sequential=True)
        assert len(kinds) in (1, 2)  # a bite that does not turn at once leaves the blow
        if state[0] == State.DESTROYED and state[1] == State.SUSCEPTIBLE:
            killed_first += 1
    assert within(killed_first, ticks, 0.5)


@pytest.mark.parametrize("lone", [State.INFECTED, State.CARRIER, State.ESCAPED])
def test_zombies_bite_only_the_susceptible(lone):
    b = Board([(3, 3, State.ZOMBIE), (3, 4, lone)])
    state, (kinds, *_rest) = b.run(0, 1.0)
    assert state[1] == lone and len(kinds) == 0
    assert IS_HUMAN[lone] == (lone != State.ESCAPED)
