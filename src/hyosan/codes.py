"""The engine's one vocabulary: every small integer code, and the property tables kernels index.

Each code is an ``IntEnum`` (its members compare and store as plain integers); kernels read the
module-level ``int`` aliases or the tables below (``IS_HUMAN[state[i]]``), never a raw number.
The tables are NumPy arrays, which Numba freezes into a compiled kernel as constants: indexing
one costs what the comparisons it replaces cost, and a rule is written once.

Nothing here may change value without a stated change of model output: the codes are stored in
agents' arrays, events and recordings (``events.parquet``, frames), and readers decode them by
these tables.
"""

from __future__ import annotations

from enum import IntEnum

import numpy as np


class State(IntEnum):
    """Epidemic state of an agent. Counts over time are the S, I, Z, R of the reference models."""

    SUSCEPTIBLE = 0
    INFECTED = 1  # bitten, incubating
    ZOMBIE = 2
    CARRIER = 3  # bitten but never turns; acts human; zombies ignore them
    DEAD = 4  # killed (e.g. by a strike); may rise if the scenario says so
    DESTROYED = 5  # a zombie put down for good
    ESCAPED = 6  # left the map through an exit or a rescue


class Role(IntEnum):
    STUDENT = 0
    TEACHER = 1
    STAFF = 2
    RESIDENT = 3
    POLICE = 4
    SOLDIER = 5


class Mode(IntEnum):
    """Behaviour modes (uint8). Humans below 20, zombies from 20."""

    ROUTINE = 0  # stay in class / at home; small shuffles
    FLEE = 1  # away from a seen zombie toward the preferred safe target
    HIDE = 2  # to the nearest room with a door
    HIDDEN = 3  # inside a room, door shut
    EVACUATE = 4  # to an open exit
    ROOFTOP = 5  # to the rooftop (or the gather place)
    FIGHT = 6  # toward a seen zombie (police, soldiers, the brave)
    WAIT = 7  # arrived at the rooftop / gather place: wait for rescue
    RESPOND = 8  # police heading to the outbreak
    COMMUTE = 9  # walking to the next place of one's day (``rules.schedule``)
    ZWANDER = 20
    ZCHASE = 21
    ZINVESTIGATE = 22
    ZSTAIRS = 23  # heard prey on another floor: to the stairs, then up or down


class Cell(IntEnum):
    """What a grid cell is. Stored as uint8 in ``World.kind``."""

    WALL = 0
    FLOOR = 1
    DOOR = 2
    STAIRS = 3
    EXIT = 4  # stepping here leaves the map: the agent has escaped
    WINDOW = 5  # blocks walking, lets sight through
    GROUND = 6  # outdoor ground: streets, yards, courts
    OBSTACLE = 7  # furniture, cars, fences: blocks walking, lets sight through
    VOID = 8  # outside any building on an upper level: nothing there at all


class Door(IntEnum):
    """State of a door cell. Stored as uint8 in ``World.door_state``."""

    OPEN = 0
    CLOSED = 1  # people open and pass; zombies cannot open it and batter it instead
    LOCKED = 2  # nobody passes; zombies batter it
    BARRICADED = 3  # nobody passes; zombies batter its hit points down
    BROKEN = 4  # battered down: open for good


class Event(IntEnum):
    """Kinds of events kernels write into the per-tick buffer (``engine.events``)."""

    BITE = 0
    KILL = 1
    TURN = 2
    ESCAPE = 3
    DEATH = 4
    RISE = 5
    CARRIER = 6
    DOOR_BROKEN = 7
    HIDE = 8
    BARRICADE = 9
    ALERT = 10


class Profile(IntEnum):
    """Behaviour profile: the full model, or one of the simple benchmark models."""

    FULL = 0
    RANDOM_WALK = 1
    MIXING = 2
    LATTICE = 3


class TurnDist(IntEnum):
    """Distribution of the time from bite to turning (``outbreak.turn.distribution``)."""

    LOGNORMAL = 0
    EXPONENTIAL = 1
    FIXED = 2
    INSTANT = 3


class Fights(IntEnum):
    """When a role engages zombies (``roles.<role>.fights``)."""

    NEVER = 0
    CORNERED = 1
    ALWAYS = 2


class Alert(IntEnum):
    """How much a person knows (``Population.alerted``)."""

    NONE = 0
    NOTICED = 1  # saw a zombie or heard screams
    ALARM = 2  # told by an alarm, a broadcast or an order


class Walker(IntEnum):
    """Who is asking whether a cell can be walked (doors differ for humans and zombies)."""

    HUMAN = 0
    ZOMBIE = 1


def _lower_names(enum: type[IntEnum]) -> dict[str, int]:
    return {m.name.lower(): int(m) for m in enum}


#: lower-case names as written in scenario files and output tables
STATE_NAMES = [s.name.lower() for s in State]
ROLE_NAMES = [r.name.lower() for r in Role]
EVENT_NAMES = [e.name.lower() for e in Event]
#: mode -> its name in words (the agents' table and the story)
MODE_NAMES = {0: "routine", 1: "flee", 2: "hide", 3: "hidden", 4: "evacuate", 5: "rooftop",
              6: "fight", 7: "wait", 8: "respond", 9: "commute", 20: "wander", 21: "chase",
              22: "investigate", 23: "to the stairs"}
#: scenario words -> codes
PROFILES = _lower_names(Profile)
TURN_DISTS = _lower_names(TurnDist)
FIGHTS = _lower_names(Fights)

# ---------------------------------------------------------------- property tables (by state)
# State and mode tables span the whole uint8 range: a kernel may index them with a transient
# marker (contact's "turning", 255) and must read False there, not past the table's end.
_N_STATES = 256
#: states that count as a living human (they can be bitten, flee, fight, escape)
HUMAN_STATES = (State.SUSCEPTIBLE, State.INFECTED, State.CARRIER)
IS_HUMAN = np.isin(np.arange(_N_STATES), HUMAN_STATES)
#: states whose agent stands on a cell of the map (living humans and zombies)
ON_MAP_STATES = (*HUMAN_STATES, State.ZOMBIE)
ON_MAP = np.isin(np.arange(_N_STATES), ON_MAP_STATES)

# ---------------------------------------------------------------- property tables (by mode)
_N_MODES = 256
#: modes in which a human stands still (no budget is given)
STILL_MODES = (Mode.ROUTINE, Mode.HIDDEN, Mode.WAIT)
STANDS_STILL = np.isin(np.arange(_N_MODES), STILL_MODES)
#: zombie modes that sprint (run_speed) rather than shamble (the wander speed)
SPRINT_MODES = (Mode.ZCHASE, Mode.ZINVESTIGATE, Mode.ZSTAIRS)
SPRINTS = np.isin(np.arange(_N_MODES), SPRINT_MODES)
#: zombie modes that hunt a sound (local navigation windows, stairs toward the sound)
HEARING_MODES = (Mode.ZINVESTIGATE, Mode.ZSTAIRS)
HUNTS_SOUND = np.isin(np.arange(_N_MODES), HEARING_MODES)

# ---------------------------------------------------------------- property tables (by door)
#: door state -> does it block sight (shut doors do; open or broken ones do not)
DOOR_OPAQUE = np.isin(np.arange(len(Door)), (Door.CLOSED, Door.LOCKED, Door.BARRICADED))
#: door state -> passable for humans / for zombies
HUMAN_PASSES_DOOR = np.array([True, True, False, False, True], dtype=np.bool_)
ZOMBIE_PASSES_DOOR = np.array([True, False, False, False, True], dtype=np.bool_)
#: door state -> can zombies batter it down (shut but not yet broken)
BATTERABLE = ~ZOMBIE_PASSES_DOOR

# ---------------------------------------------------------------- property tables (by cell kind)
#: kind -> can a person stand there (doors: when open or closed-but-unlocked)
WALKABLE = np.array([False, True, True, True, True, False, True, False, False], dtype=np.bool_)
#: kind -> does it stop a line of sight
OPAQUE = np.array([True, False, False, False, False, False, False, False, True], dtype=np.bool_)
#: kind -> extra cost factor of walking across it (stairs are slower)
COST_FACTOR = np.array([np.inf, 1.0, 1.0, 1.0, 1.0, np.inf, 1.0, np.inf, np.inf])

# ---------------------------------------------------------------- plain ints for kernels
# Numba compiles a global ``int`` as a literal; these aliases keep the kernels' arithmetic in
# plain integers (an IntEnum member is typed apart from the uint8 it is compared with).
S_SUS, S_INF, S_ZOM, S_CAR, S_DEAD, S_DES, S_ESC = (int(s) for s in State)
M_ROUTINE, M_FLEE, M_HIDE, M_HIDDEN, M_EVAC, M_ROOF, M_FIGHT, M_WAIT, M_RESPOND = (
    int(m) for m in list(Mode)[:9])
M_COMMUTE = int(Mode.COMMUTE)
M_ZWANDER, M_ZCHASE, M_ZINV, M_ZSTAIRS = (int(m) for m in list(Mode)[10:])
C_WALL, C_FLOOR, C_DOOR, C_STAIRS, C_EXIT, C_WINDOW, C_GROUND, C_OBSTACLE, C_VOID = (
    int(c) for c in Cell)
D_OPEN, D_CLOSED, D_LOCKED, D_BARRICADED, D_BROKEN = (int(d) for d in Door)
E_BITE, E_KILL, E_TURN, E_ESCAPE, E_DEATH, E_RISE, E_CARRIER, E_DOOR_BROKEN, E_HIDE, \
    E_BARRICADE, E_ALERT = (int(e) for e in Event)
P_FULL, P_RANDOM_WALK, P_MIXING, P_LATTICE = (int(p) for p in Profile)
A_NONE, A_NOTICED, A_ALARM = (int(a) for a in Alert)
