"""Doors: which door cells each room has, people shutting and barricading them, and the sight
they block. Zombies break them in the move phase (``batter.batter_doors``, from
``rounds.move_rounds``; ``rules/movement``).

Door states and hit points live on the World (``door_state``, ``door_hp``); these functions are
given the arrays they read and the event log to write to (none knows the Simulation).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from hyosan.codes import DOOR_OPAQUE, Cell, Door, State
from hyosan.scenario.schema import BehaviourSpec
from hyosan.world import sight
from hyosan.world.world import World

#: place kinds people can shut themselves into
HIDEABLE_KINDS = {"classroom", "library", "science_lab", "broadcast_room", "music_room",
                  "nurse_office", "staff_room", "equipment_room", "house", "apartment",
                  "office", "room", "toilet", "storeroom", "hospital", "police_station", "shop",
                  "study_room"}


def room_doors(world: World, lvl_off: np.ndarray, lvl_h: np.ndarray,
               lvl_w: np.ndarray) -> dict[int, np.ndarray]:
    """Place index → the door cells next to its cells (sorted); places without one are left out."""
    door_mask = world.kind == Cell.DOOR
    out: dict[int, np.ndarray] = {}
    for k, pl in enumerate(world.places.values()):
        lvl, r, c = world.rowcol(pl.cells)
        doors = set()
        for dr, dc in ((-1, 0), (1, 0), (0, -1), (0, 1)):
            rr, cc = r + dr, c + dc
            lv_h = lvl_h[lvl]
            lv_w = lvl_w[lvl]
            ok = (rr >= 0) & (rr < lv_h) & (cc >= 0) & (cc < lv_w)
            nb = lvl_off[lvl[ok]] + rr[ok] * lv_w[ok] + cc[ok]
            doors.update(int(x) for x in nb[door_mask[nb]])
        if doors:
            out[k] = np.array(sorted(doors), dtype=np.int64)
    return out


def opacity(world: World) -> np.ndarray:
    """Bool per cell: does it block sight now (``world.sight.opacity``, the one definition);
    ``refresh`` keeps it current as doors change."""
    return sight.opacity(world)


def refresh(world: World, opaque: np.ndarray) -> None:
    """Door states changed: shut doors block sight, open or broken ones do not (as
    ``world.sight.opacity``); bumps the world's version."""
    if len(world.door_cells):
        ds = world.door_state
        opaque[world.door_cells] = DOOR_OPAQUE[ds]
    world.version += 1


def school_room_doors(world: World, room_doors: dict[int, np.ndarray],
                      hideable: np.ndarray) -> np.ndarray:
    """Door cells of the rooms people can hide in inside buildings (what a lockdown locks)."""
    names = list(world.places)
    out = [d for k, d in room_doors.items() if hideable[k] and world.places[names[k]].building]
    return np.unique(np.concatenate(out)) if out else np.zeros(0, np.int64)


def shut_doors(world: World, state: np.ndarray, cell: np.ndarray, occ: np.ndarray,
               room_doors: dict[int, np.ndarray], agents: np.ndarray, behaviour: BehaviourSpec,
               rng: np.random.Generator, record_event: Callable[..., None]) -> bool:
    """People who just got into a room shut its doors; some barricade them (``rng``, one draw
    per open door). Returns whether a door changed (the caller refreshes sight)."""
    w, b = world, behaviour
    names = list(w.places)
    changed = False
    for j in agents:
        k = int(w.place_of[cell[j]])
        doors = room_doors.get(k)
        if doors is None:
            continue
        inside = occ[w.places[names[k]].cells]
        inside = inside[inside >= 0]
        if (state[inside] == State.ZOMBIE).any():
            continue  # nobody shuts themselves in with a zombie
        for d in doors:
            di = w.door_of[d]
            if w.door_state[di] == Door.OPEN:
                barricade = rng.random() < b.barricade_probability
                w.door_state[di] = Door.BARRICADED if barricade else Door.CLOSED
                w.door_hp[di] = b.barricade_strength if barricade else b.door_strength
                changed = True
                kind = "barricade" if barricade else "hide"
                record_event(kind, agent=int(j), cell=int(d), place=names[k])
    return changed
