"""The agents: one NumPy array per attribute (structure of arrays), and spawning into places.

``DTYPES`` fixes every attribute's dtype. Agents are never deleted: those who leave the
simulation (escaped, destroyed, dead) keep their row and are masked by state.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np

from hyosan.codes import ROLE_NAMES, Cell, Mode, Role, State
from hyosan.errors import ScenarioError
from hyosan.world.world import World

__all__ = ["Mode", "Population", "distribute", "empty_population", "role_code",
           "standable_cells"]  # Mode: re-exported from hyosan.codes


NO_TIME = np.nan


@dataclass
class Population:
    """Agent attributes as parallel arrays (index = agent id)."""

    cell: np.ndarray  # int64 global cell
    level: np.ndarray  # int32
    row: np.ndarray  # int32 row on its level
    col: np.ndarray  # int32
    state: np.ndarray  # uint8 State
    role: np.ndarray  # uint8 Role
    mode: np.ndarray  # uint8 Mode
    speed: np.ndarray  # float32 walking speed m/s
    run_speed: np.ndarray  # float32 m/s when fleeing (zombies: sprint)
    budget: np.ndarray  # float32 metres that may still be walked this tick
    stamina: np.ndarray  # float32 seconds of running left
    timer: np.ndarray  # float32 seconds until turning / rising
    group: np.ndarray  # int32 group id (-1 none)
    named: np.ndarray  # int32 index into the scenario's named characters (-1 none)
    kill_p: np.ndarray  # float32 probability per tick to destroy an adjacent zombie
    courage: np.ndarray  # float32
    immune: np.ndarray  # bool: becomes a carrier if bitten
    threat: np.ndarray  # int32 nearest seen zombie (-1)
    target: np.ndarray  # int64 cell an agent heads for (chase, noise), -1 none
    alerted: np.ndarray  # uint8: 0 no, 1 heard/saw something, 2 alarm
    stuck: np.ndarray  # int32 ticks without a wanted move
    home: np.ndarray  # int32 place index where the agent started (-1)
    start_cell: np.ndarray  # int64
    bitten_at: np.ndarray  # float64 seconds (NaN)
    turned_at: np.ndarray  # float64
    ended_at: np.ndarray  # float64
    bitten_by: np.ndarray  # int32
    turn_delay: np.ndarray  # float32 drawn incubation (NaN if never bitten)
    goal: np.ndarray  # int16 navigation field the agent follows (-1 none)
    plan: np.ndarray  # uint8 mode to take up once alerted (hide, evacuate, rooftop, stay)
    fights: np.ndarray  # uint8 0 never, 1 when cornered, 2 always (engages zombies it sees)
    exit_field: np.ndarray  # int16 field an evacuating agent follows (0: the nearest exit)
    flight: np.ndarray  # int32 stair flight (way) the agent is in transit on, -1 on a cell
    premove: np.ndarray  # float32 seconds still to wait once alerted (pre-evacuation time)

    @property
    def n(self) -> int:
        return len(self.cell)

    def arrays(self) -> dict[str, np.ndarray]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


DTYPES: dict[str, type] = {
    "cell": np.int64, "level": np.int32, "row": np.int32, "col": np.int32,
    "state": np.uint8, "role": np.uint8, "mode": np.uint8, "speed": np.float32,
    "run_speed": np.float32, "budget": np.float32, "stamina": np.float32, "timer": np.float32,
    "group": np.int32, "named": np.int32, "kill_p": np.float32, "courage": np.float32,
    "immune": np.bool_, "threat": np.int32, "target": np.int64, "alerted": np.uint8,
    "stuck": np.int32, "home": np.int32, "start_cell": np.int64, "bitten_at": np.float64,
    "turned_at": np.float64, "ended_at": np.float64, "bitten_by": np.int32,
    "turn_delay": np.float32, "goal": np.int16, "plan": np.uint8, "fights": np.uint8,
    "exit_field": np.int16, "flight": np.int32, "premove": np.float32,
}

_FILL = {"threat": -1, "target": -1, "group": -1, "named": -1, "home": -1, "bitten_by": -1,
         "bitten_at": NO_TIME, "turned_at": NO_TIME, "ended_at": NO_TIME,
         "turn_delay": NO_TIME, "goal": -1, "flight": -1}


def empty_population(n: int) -> Population:
    cols = {}
    for name, dtype in DTYPES.items():
        cols[name] = np.full(n, _FILL.get(name, 0), dtype=dtype)
    return Population(**cols)


def standable_cells(world: World, cells: np.ndarray) -> np.ndarray:
    """Cells of a place where a person can be put at the start (floor or ground)."""
    k = world.kind[cells]
    return cells[(k == Cell.FLOOR) | (k == Cell.GROUND)]


@dataclass
class Spawn:
    """One agent to create, gathered before the arrays are filled."""

    cell: int
    role: int
    group: int
    home: int
    named: int = -1
    state: int = State.SUSCEPTIBLE
    timer: float = 0.0


def distribute(count: int, places: list[int], capacity: list[int], per_place: int | None,
               what: str) -> list[int]:
    """How many agents go to each place: round-robin, at most ``per_place`` and capacity."""
    caps = [min(c, per_place) if per_place else c for c in capacity]
    if sum(caps) < count:
        raise ScenarioError(
            f"cannot place {count} {what}: the chosen places hold only {sum(caps)} "
            f"({len(places)} places{f', at most {per_place} each' if per_place else ''})"
        )
    out = [0] * len(places)
    remaining = count
    # fill evenly: repeated passes add one per place with room left
    while remaining > 0:
        room = [i for i in range(len(places)) if out[i] < caps[i]]
        share = max(1, remaining // len(room))
        for i in room:
            add = min(share, caps[i] - out[i], remaining)
            out[i] += add
            remaining -= add
            if remaining == 0:
                break
    return out


def role_code(name: str) -> int:
    return ROLE_NAMES.index(name)


def role_of(code: int) -> Role:
    return Role(code)
