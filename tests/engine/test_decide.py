"""Human (and zombie) decisions, one rule at a time, on a single agent of a small level."""

from __future__ import annotations

import numpy as np
import pytest

from hyosan.codes import Alert, Fights, Mode, State
from hyosan.engine import state as st
from hyosan.engine.fields import F_EXIT, F_HIDE, F_ROOF, F_SCHOOL, N_FIELDS
from hyosan.rules import decide as decide_mod

W = 20  # one level, 1 × 20 cells; place 0 is cells 0-4 (a room), place 1 is cells 15-19


class One:
    """Two agents (a human and a zombie) and every array ``decide`` reads."""

    def __init__(self, human_cell: int = 10, zombie_cell: int = 12, *, hideable=(True, False),
                 wait_place: int = 1):
        self.state = np.array([State.SUSCEPTIBLE, State.ZOMBIE], np.uint8)
        self.mode = np.array([Mode.ROUTINE, Mode.ZWANDER], np.uint8)
        self.plan = np.array([Mode.EVACUATE, Mode.ZWANDER], np.uint8)
        self.goal = np.full(2, -1, np.int16)
        self.threat = np.full(2, -1, np.int32)
        self.target = np.full(2, -1, np.int64)
        self.alerted = np.zeros(2, np.uint8)
        self.stuck = np.zeros(2, np.int32)
        self.fights = np.zeros(2, np.uint8)
        self.cell = np.array([human_cell, zombie_cell], np.int64)
        self.level = np.zeros(2, np.int32)
        self.row = np.zeros(2, np.int32)
        self.col = self.cell.astype(np.int32)
        self.place_of = np.full(W, -1, np.int32)
        self.place_of[:5] = 0
        self.place_of[15:] = 1
        self.hideable = np.array(hideable, np.bool_)
        self.wait_place = wait_place
        self.fields = np.ones((N_FIELDS, W), np.float32)  # everywhere reachable
        self.exit_field = np.zeros(2, np.int16)
        self.newly = np.zeros(2, np.int64)

    def structs(self, flee_cells: float = 5.0, stuck_limit: int = 25) -> tuple:
        """The agents, grid, scratch and parameter structs over these arrays."""
        ag = st.build(st.Agents, **{**{f: np.zeros(1, np.int64) for f in st.AGENTS},
            "n": 2, "state": self.state, "mode": self.mode, "plan": self.plan,
            "goal": self.goal, "threat": self.threat, "target": self.target,
            "alerted": self.alerted, "stuck": self.stuck, "fights": self.fights,
            "cell": self.cell, "level": self.level, "row": self.row, "col": self.col,
            "exit_field": self.exit_field, "premove": np.zeros(2, np.float32)})
        gr = st.build(st.Grid, **{**{f: np.zeros(1, np.int64) for f in st.GRID},
            "place_of": self.place_of, "hideable": self.hideable, "fields": self.fields,
            "lvl_off": np.array([0], np.int64), "cell_size": 1.0, "stair_len": 1.0,
            "torus": False})
        sc = st.build(st.Scratch, **{**{f: np.zeros(1, np.int64) for f in st.SCRATCH},
            "newly_hidden": self.newly})
        pm = st.build(st.Params, **{**{f: 0.0 for f in st.PARAMS},
            "flee_cells": flee_cells, "stuck_limit": stuck_limit, "dt": 0.2})
        return ag, gr, sc, pm

    def decide(self, flee_cells: float = 5.0, stuck_limit: int = 25) -> int:
        ag, gr, sc, pm = self.structs(flee_cells, stuck_limit)
        return decide_mod.decide(ag, gr, sc, pm, self.wait_place, F_ROOF)


def test_the_quiet_majority_keeps_its_routine():
    a = One()
    assert a.decide() == 0
    assert a.mode[0] == Mode.ROUTINE and a.goal[0] == -1


def test_an_alerted_person_takes_up_the_plan_and_its_field():
    a = One()
    a.alerted[0] = Alert.NOTICED
    a.decide()
    assert a.mode[0] == Mode.EVACUATE and a.goal[0] == F_EXIT


def test_a_near_zombie_makes_people_flee_toward_their_plan():
    a = One()
    a.threat[0] = 1
    a.decide(flee_cells=5.0)
    assert a.mode[0] == Mode.FLEE and a.goal[0] == F_EXIT


def test_a_far_zombie_does_not():
    a = One(zombie_cell=19)
    a.threat[0] = 1
    a.decide(flee_cells=5.0)
    assert a.mode[0] != Mode.FLEE


def test_fighters_engage_the_zombie_they_see():
    a = One()
    a.fights[0] = Fights.ALWAYS
    a.threat[0] = 1
    a.decide()
    assert a.mode[0] == Mode.FIGHT and a.target[0] == a.cell[1] and a.goal[0] == -1


def test_hiding_in_a_room_with_a_door_shuts_them_in():
    a = One(human_cell=2)
    a.mode[0] = Mode.HIDE
    assert a.decide() == 1 and a.newly[0] == 0
    assert a.mode[0] == Mode.HIDDEN and a.goal[0] == -1


def test_hiding_with_no_room_reachable_turns_to_evacuation():
    a = One()
    a.mode[0] = a.plan[0] = Mode.HIDE
    a.fields[F_HIDE] = np.inf
    a.decide()
    assert a.mode[0] == Mode.EVACUATE and a.plan[0] == Mode.EVACUATE


@pytest.mark.parametrize("roof, mode", [(1.0, Mode.ROOFTOP), (np.inf, Mode.HIDE)])
def test_evacuees_without_an_exit_go_to_the_rooftop_or_else_hide(roof, mode):
    a = One()
    a.mode[0] = Mode.EVACUATE
    a.fields[F_EXIT] = np.inf
    a.fields[F_ROOF] = roof
    a.decide()
    assert a.mode[0] == mode and a.plan[0] == mode


def test_arriving_at_the_rooftop_they_wait():
    a = One(human_cell=16)
    a.mode[0] = a.plan[0] = Mode.ROOFTOP
    a.decide()
    assert a.mode[0] == Mode.WAIT


def test_police_reaching_the_school_stand_down_to_routine():
    a = One()
    a.mode[0] = a.plan[0] = Mode.RESPOND
    a.fields[F_SCHOOL] = 0.0
    a.decide()
    assert a.mode[0] == Mode.ROUTINE


def test_a_field_not_yet_computed_is_reported_not_read():
    a = One()
    a.threat[0] = 1
    a.plan[0] = Mode.ROOFTOP
    a.fields[F_ROOF] = np.nan
    assert a.decide() == -1 - F_ROOF
    ag, gr, _, pm = a.structs(stuck_limit=25)
    assert decide_mod.fields_needed(ag, gr, pm) == (True, False)


def test_an_investigating_zombie_at_its_target_wanders_again():
    a = One()
    a.mode[1] = Mode.ZINVESTIGATE
    a.target[1] = a.cell[1]
    a.decide()
    assert a.mode[1] == Mode.ZWANDER and a.target[1] == -1 and a.stuck[1] == 0


def test_a_frustrated_zombie_ignores_what_it_senses_for_a_while():
    a = One()
    a.mode[1] = Mode.ZCHASE
    a.target[1] = 3
    a.stuck[1] = 26
    a.decide(stuck_limit=25)
    assert a.mode[1] == Mode.ZWANDER and a.stuck[1] == -100
