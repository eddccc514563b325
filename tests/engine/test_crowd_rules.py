"""Crowd rules on a hand-made strip: the oncoming count part of a person in the density ahead,
two people heading through each other's cells squeeze past, and running fades with density."""

from __future__ import annotations

import numpy as np
import pytest
from tests.engine.conftest import loose_structs

from hyosan.engine import state as st
from hyosan.rules.movement.budget import add_budget, local_density, weidmann
from hyosan.rules.movement.passing import swap_places
from hyosan.states import State

W = 5  # one level, 3 rows × 5 columns, all floor
FLOOR = 1
KIND = np.full(3 * W, FLOOR, np.int8)
LVL = (np.array([0], np.int64), np.array([3], np.int64), np.array([W], np.int64))
# field 0 falls eastward (the east exit), field 1 westward
COLS = np.tile(np.arange(W, dtype=np.float64), 3)
FIELDS = np.stack([W - 1 - COLS, COLS]).astype(np.float32)


def _density(goal_of_neighbour: int, oncoming: float) -> float:
    occ = np.full(3 * W, -1, np.int64)
    me, ahead = 1 * W + 2, 1 * W + 3  # the middle row: me, and someone on the next cell east
    occ[me], occ[ahead] = 0, 1
    goal = np.array([0, goal_of_neighbour], np.int64)
    return local_density(me, 0, 1, 2, occ, KIND, *LVL, 1.0, FIELDS, 0, goal, oncoming)


def test_oncoming_walker_counts_part_of_a_person_ahead():
    # three cells lie closer to my goal (east): one person on them, 1/3 P per cell
    assert _density(0, 0.5) == pytest.approx(1 / 3)  # walking my way: a whole headway
    assert _density(1, 0.5) == pytest.approx(0.5 / 3)  # walking at me: half a person
    assert _density(1, 0.0) == 0.0
    assert _density(1, 1.0) == pytest.approx(1 / 3)


def _swap(goal_j: int, p: float = 1.0) -> tuple[np.ndarray, int]:
    """i at column 1 wants j's cell (column 2); j wants nothing free (want −1)."""
    n = 2
    cell = np.array([W + 1, W + 2], np.int64)
    row = np.array([1, 1], np.int64)
    col = np.array([1, 2], np.int64)
    occ = np.full(3 * W, -1, np.int64)
    occ[cell] = [0, 1]
    want = np.full(n, -1, np.int64)
    swap = np.array([W + 2, -1], np.int64)  # j has not picked i's cell itself
    state = np.full(n, int(State.SUSCEPTIBLE), np.int8)
    budget = np.full(n, 1.0, np.float64)
    goal = np.array([0, goal_j], np.int64)
    ag, gr, _, sc, pm = loose_structs(
        n=n, cell=cell, row=row, col=col, level=np.zeros(n, np.int64), state=state,
        budget=budget, goal=goal, occ=occ, kind=KIND, lvl_off=LVL[0], lvl_w=LVL[2],
        cell_size=0.5, fields=FIELDS, want=want, swap=swap, p_swap=p)
    made = swap_places(ag, gr, sc, pm, 7, 1, 0)
    return cell, made


def test_people_heading_through_each_other_squeeze_past():
    cell, made = _swap(goal_j=1)  # j heads west, toward i's cell
    assert made == 1 and cell.tolist() == [W + 2, W + 1]


def test_nobody_is_pushed_back_the_way_they_came():
    cell, made = _swap(goal_j=0)  # j heads east too: a queue, not an oncoming walker
    assert made == 0 and cell.tolist() == [W + 1, W + 2]
    cell, made = _swap(goal_j=1, p=0.0)
    assert made == 0


def _speed(mode: int, people_ahead: int) -> float:
    """Metres per second add_budget gives a person at (1, 2) heading east with
    ``people_ahead`` of the three cells ahead taken (0.25 m² cells: 0, 1.33, 2.67 P/m²)."""
    from hyosan.population import Mode

    occ = np.full(3 * W, -1, np.int64)
    cell = np.array([W + 2] + [r * W + 3 for r in range(people_ahead)], np.int64)
    n = len(cell)
    occ[cell] = np.arange(n)
    lv = np.zeros(n, np.int64)
    row = cell // W
    col = cell % W
    state = np.full(n, int(State.SUSCEPTIBLE), np.int8)
    modes = np.full(n, int(Mode.ROUTINE), np.int8)  # the crowd ahead stands still
    modes[0] = mode
    speed = np.full(n, 1.34)
    run = speed * 1.6  # the default run_factor
    budget = np.zeros(n)
    stamina = np.full(n, 60.0)
    goal = np.zeros(n, np.int64)
    dt = 0.1
    ag = st.build(st.Agents, **{**{f: np.zeros(1, np.int64) for f in st.AGENTS},
        "n": n, "state": state, "mode": modes, "speed": speed, "run_speed": run,
        "budget": budget, "stamina": stamina, "cell": cell, "level": lv, "row": row, "col": col,
        "goal": goal})
    gr = st.build(st.Grid, **{**{f: np.zeros(1, np.int64) for f in st.GRID},
        "occ": occ, "kind": KIND, "lvl_off": LVL[0], "lvl_h": LVL[1], "lvl_w": LVL[2],
        "fields": FIELDS, "cell_size": 0.5, "stair_len": 1.0, "torus": False})
    pm = st.build(st.Params, **{**{f: 0.0 for f in st.PARAMS},
        "dt": dt, "zombie_walk": 0.5, "crowding": True, "run_fade": 1.7, "oncoming": 0.5})
    add_budget(ag, gr, pm)
    return float(budget[0] / dt)


def test_running_only_pays_at_low_density():
    """Fleeing people run above 1.5 m/s in free space; the advantage shrinks with the density
    ahead and is gone above about 1.7 P/m² (the issue's reference, after Helbing et al. 2000
    and Fruin: nobody sprints through a crowd)."""
    from hyosan.population import Mode

    flee, walk = int(Mode.FLEE), int(Mode.EVACUATE)
    assert _speed(flee, 0) > 1.5 and _speed(walk, 0) == pytest.approx(1.34)
    assert _speed(walk, 1) < _speed(flee, 1) < _speed(flee, 0)  # 1.33 P/m²: some advantage
    assert _speed(flee, 2) == pytest.approx(_speed(walk, 2))  # 2.67 P/m²: none
    assert _speed(walk, 2) == pytest.approx(1.34 * weidmann(2 / 0.75))
