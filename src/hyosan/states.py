"""Agent states and roles as small integer codes shared by the engine, recorders and readers."""

from __future__ import annotations

from enum import IntEnum


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


#: lower-case names as written in scenario files and output tables
STATE_NAMES = [s.name.lower() for s in State]
ROLE_NAMES = [r.name.lower() for r in Role]

#: states that count as a living human (they can be bitten or act)
HUMAN_STATES = (State.SUSCEPTIBLE, State.INFECTED, State.CARRIER)
