"""Named state for the kernels: the tick's arrays and parameters in a few typed structs.

The big kernels (``rounds.move_rounds``, ``resolve.resolve_and_commit``, ``budget.add_budget``,
``stuck.update_stuck``, ``perceive.perceive``, ``contact.contact``, ``decide.decide``,
``progress.progress``) take these instead of long lists of positional arguments (up to 75), so
a new parameter is one name in a field list below plus the value ``Simulation`` gives it, and a
kernel reads it as ``pm.name``. The form is the one ``benchmarks/bench_structs.py`` chose: a
Numba ``structref`` (the same call cost as positional arguments, writes inside ``prange``
kept), built by a ``cache=True`` kernel, so a new process loads the constructor instead of
compiling it. Each struct is one line below (``_define``: its name, its field list, its
docstring); its Numba type is ``<name>Type``. Kernels with ``prange`` bind the fields they
use to local names before the loop (RECIPES.md, "Named state").

Groups:
- ``Agents``: per-agent arrays the kernels read and write (the population's and the engine's);
- ``Grid``: per-cell and per-level arrays of the world, who holds each cell (``occ``), the
  navigation fields and the perception buckets' layout;
- ``Ways``: the gated doorways and stair flights (``movement/ways.py``);
- ``Scratch``: per-tick working arrays (move desires and claims, contact requests, buckets);
- ``Events``: the event buffer (``events.EventBuffer``), appended to by ``events.emit``;
- ``Params``: the rules' scalar parameters, fixed for a run.

From Python a struct reads like the dictionary it was built from (``ref.cell``), for tests and
benchmarks; ``build`` refuses a missing or unknown name, so nothing is bound by position.
"""

from __future__ import annotations

from typing import Any

from numba import njit, types
from numba.experimental import structref

AGENTS = ("n", "cell", "level", "row", "col", "state", "mode", "goal", "target", "threat",
          "budget", "ended_at", "flight", "stuck", "alerted", "seen_tick", "zfield",
          "prev_cell", "kill_p", "immune", "timer", "bitten_at", "bitten_by", "turn_delay",
          "speed", "run_speed", "stamina", "turned_at", "plan", "fights", "exit_field",
          "premove")
GRID = ("occ", "kind", "clear", "door_of", "door_state", "door_hp", "exit_closed",
        "exit_cells", "up", "down", "lvl_off", "lvl_h", "lvl_w", "opaque", "lvl_floor",
        "lvl_bld", "lvl_or", "lvl_oc", "fields", "b_off", "b_w", "b_h", "cell_size",
        "stair_len", "torus", "place_of", "hideable")
WAYS = ("way", "up_way", "down_way", "rate", "cap", "gate", "inside", "partner", "n_doorways")
SCRATCH = ("want", "claim", "batter", "swap", "unsure", "seen", "held", "stamp", "epoch",
           "active", "hunters", "zfields", "zorigin", "vr", "vc", "vt", "bite_by", "bite_prio",
           "kill_by", "kill_prio", "z_start", "z_items", "h_start", "h_items", "z_near", "z_next",
           "h_next", "newly_hidden")
EVENTS = ("kind", "a", "b", "cell", "n")
PARAMS = (
    # move
    "rounds", "incremental", "up_factor", "down_factor", "stair_factor", "flee_cells",
    "damage", "p_swap", "lanes", "memory_s",
    # move: add_budget
    "dt", "zombie_walk", "crowding", "run_fade", "oncoming",
    # progress
    "rise_dead",
    # decide
    "stuck_limit",
    # perceive
    "z_hear_cells", "f_up", "f_down",
    # contact
    "p_bite", "one", "vn", "sequential", "turn_dist", "turn_median", "turn_sigma", "turn_min",
    "turn_max", "carrier_fraction",
)


class _Fields(structref.StructRefProxy):
    """A struct's Python face: its fields read from the values it was built from."""

    def __getattr__(self, name: str) -> Any:
        try:
            return self.__dict__["values"][name]
        except KeyError:
            raise AttributeError(name) from None


def _preprocess(self, fields):
    return tuple((name, types.unliteral(typ)) for name, typ in fields)


_MAKERS: dict[type, tuple[tuple[str, ...], Any]] = {}


def _define(name: str, fields: tuple[str, ...], doc: str) -> type:
    """One struct from its field list: its Numba type ``<name>Type``, its proxy class ``name``
    (module attributes, so the on-disk cache pickles them by name) and the ``cache=True``
    kernel that builds it, which a new process loads instead of compiling the proxy's
    constructor. Each maker is the same closure over another class: Numba's cache keys a
    closure by the values it closes over, so the six never share an entry."""
    typ = structref.register(type(f"{name}Type", (types.StructRef,),
                                  {"preprocess_fields": _preprocess, "__module__": __name__}))
    proxy = type(name, (_Fields,), {"__doc__": doc, "__module__": __name__})
    structref.define_proxy(proxy, typ, list(fields))

    @njit(cache=True)
    def make(*vals):
        return proxy(*vals)

    globals()[typ.__name__] = typ
    _MAKERS[proxy] = (fields, make)
    return proxy


Agents = _define("Agents", AGENTS, "Per-agent arrays (``AGENTS``).")
Grid = _define("Grid", GRID, "The world's cells and levels, who holds each cell, fields, "
               "bucket layout (``GRID``).")
Ways = _define("Ways", WAYS, "Doorways and stair flights (``WAYS``).")
Scratch = _define("Scratch", SCRATCH, "Per-tick working arrays (``SCRATCH``).")
Events = _define("Events", EVENTS, "The event buffer (``EVENTS``).")
Params = _define("Params", PARAMS, "The rules' scalar parameters (``PARAMS``).")


def build(struct: type, /, **values: Any) -> Any:
    """The struct ``struct`` (``Agents``, ``Grid``, …) from its fields by name: every name of
    its field list, and no other, or a ``TypeError`` naming the difference."""
    names, make = _MAKERS[struct]
    missing = [f for f in names if f not in values]
    extra = [f for f in values if f not in names]
    if missing or extra:
        raise TypeError(f"{struct.__name__}: missing {missing}, unknown {extra}")
    vals = tuple(values[f] for f in names)
    ref = make(*vals)
    ref.values = dict(zip(names, vals, strict=True))
    return ref


def events(buf) -> Events:
    """The ``Events`` struct over an ``events.EventBuffer``'s arrays."""
    return build(Events, kind=buf.kind, a=buf.a, b=buf.b, cell=buf.cell, n=buf.n)
