"""A timed twin of ``rounds.move_rounds``: the same sub-kernels called one by one from Python.

``move_rounds`` is one compiled call a tick, so a profiler sees it whole. This twin follows its
body line for line, calling the same compiled sub-kernels (``land``, ``leave_exits``,
``changed_agents``, ``desire_agents``, ``desire_zombies``, ``batter_doors``,
``resolve_and_commit``, ``swap_places``, ``deposit``) and timing each, so the benchmark can
see where a move phase goes. Its results are the kernel's (the flagship benchmark checks the
final counts against an untimed run); each call from Python adds a few microseconds of
dispatch, so it is used on a sample of ticks only.
"""

from __future__ import annotations

import time

from numba import njit

from hyosan.codes import HUNTS_SOUND, S_ZOM
from hyosan.engine.state import EVENTS
from hyosan.rules.movement.batter import batter_doors
from hyosan.rules.movement.changes import changed_agents
from hyosan.rules.movement.desire import NO_AGENTS, desire_agents
from hyosan.rules.movement.exits import leave_exits
from hyosan.rules.movement.lanes import deposit
from hyosan.rules.movement.passing import swap_places
from hyosan.rules.movement.resolve import resolve_and_commit
from hyosan.rules.movement.ways import land
from hyosan.rules.zombies import desire_zombies_listed


class MoveSplit:
    """Seconds per sub-kernel over the ticks it ran, and the agents each sub-round visited."""

    def __init__(self) -> None:
        self.t: dict[str, float] = {}
        self.calls = 0
        self.rounds = 0
        self.active_sum = 0  # agents listed by changed_agents, summed over incremental rounds
        self.inc_rounds = 0
        self.full_rounds = 0  # sub-rounds that looked at every agent (the first, or zombies)

    def _time(self, name: str, fn, *args):
        t0 = time.perf_counter()
        out = fn(*args)
        self.t[name] = self.t.get(name, 0.0) + time.perf_counter() - t0
        return out

    def __call__(self, ag, gr, wy, sc, pm, ev, key, tick, time_s):
        a = {**ag.values, **gr.values, **wy.values, **sc.values, **pm.values, "key": key,
             "tick": tick, "time_s": time_s}
        a["ev"] = tuple(ev.values[k] for k in EVENTS)
        a["structs"] = (ag, gr, wy, sc, pm, ev)
        self.calls += 1
        return self._run(a)

    def _run(self, a: dict) -> int:
        n, T = a["n"], self._time
        ev = a["ev"]
        trail = (a["lanes"], a["vr"], a["vc"], a["vt"], a["time_s"], a["memory_s"],
                 a["cell_size"])
        broke = 0
        zombies = 0
        n_hunt = 0
        inside, nd = a["inside"], a["n_doorways"]
        ag, gr, wy, sc, pm, _ = a["structs"]
        for rnd in range(a["rounds"]):
            self.rounds += 1
            landed = 0
            if (inside[nd:] > 0).any():
                landed = T("land", land, ag, gr, wy, sc, pm)
            left = T("leave_exits", leave_exits, a["exit_cells"], a["state"], a["budget"],
                     a["occ"], a["clear"], a["cell_size"], a["time_s"], a["ended_at"], *ev)
            m = -1
            desire_args = (ag, gr, sc, pm, a["key"], a["tick"], rnd, trail, True)
            if a["incremental"] and rnd > 0 and not (rnd == 1 and broke > 0):
                a["epoch"][0] += 1
                m = T("changed_agents", changed_agents, ag, gr, sc)
                self.active_sum += m
                self.inc_rounds += 1
                T("desire (listed)", desire_agents, m, a["active"], *desire_args)
            else:
                zombies = T("desire (all)", desire_agents, n, NO_AGENTS, *desire_args)
                if a["incremental"]:
                    T("seen/held", _seen_held, n, a["cell"], a["occ"], a["seen"], a["held"])
                if rnd == 0 and zombies:
                    n_hunt = T("hunters", _hunters, n, a["state"], a["mode"], a["hunters"])
            if zombies and n_hunt:
                T("desire_zombies", desire_zombies_listed, n_hunt, a["hunters"], ag, gr, sc,
                  a["key"], a["tick"], rnd)
            if m < 0:
                self.full_rounds += 1
                m = T("wanters", _wanters, n, a["want"], a["active"])
            if rnd == 0 and zombies:
                broke = T("batter_doors", batter_doors, n, a["batter"], a["door_of"],
                          a["door_state"], a["door_hp"], a["damage"], a["stuck"], *ev)
            moved = T("resolve_and_commit", resolve_and_commit, m, rnd, True, *a["structs"],
                      a["key"], a["tick"], a["time_s"])
            if a["p_swap"] > 0:
                moved += T("swap_places", swap_places, ag, gr, sc, pm, a["key"], a["tick"], rnd)
            if moved == 0 and left == 0 and landed == 0:
                break
        if a["lanes"] > 0:
            T("deposit", deposit, n, a["prev_cell"], a["cell"], a["level"], a["row"],
              a["col"], a["state"], a["lvl_off"], a["lvl_w"], a["vr"], a["vc"], a["vt"],
              a["time_s"], a["memory_s"])
        return broke


@njit(cache=True)
def _seen_held(n, cell, occ, seen, held):
    """The loop ``move_rounds`` runs after a full desire pass (inline there)."""
    for i in range(n):
        seen[i] = cell[i]
        held[i] = occ[cell[i]] == i


@njit(cache=True)
def _hunters(n, state, mode, hunters):
    """The zombies hunting by sound, listed in the first sub-round (inline in the kernel)."""
    m = 0
    for i in range(n):
        if state[i] == S_ZOM and HUNTS_SOUND[mode[i]]:
            hunters[m] = i
            m += 1
    return m


@njit(cache=True)
def _wanters(n, want, active):
    """A full sub-round's agents that want a cell, in index order (inline in the kernel)."""
    m = 0
    for i in range(n):
        if want[i] >= 0:
            active[m] = i
            m += 1
    return m
