"""Waiting at a gated doorway is queueing, not being stuck.

A doorway admits one person every ``1 / (door_flow · width)`` seconds
(``movement/ways.py``). Someone at its mouth whom the gate refuses, while others are let
through from beside them, may stand for many seconds with nobody on the cell ahead:
``stuck.update_stuck`` counted that as stuck
(it only knew "someone on a cell ahead" as queueing), so after 20 s (``decide``: 4 × the stuck
limit) they gave up the exit, turned to hiding and stood in the doorway's mouth, blocking the
person behind (found with PedPy, ``docs/egress.md``). Here, after ``update_stuck``, a human
who has not moved and stands beside a gated doorway cell that leads toward their goal keeps
their old count: they are in the doorway's queue.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from numba import njit

from hyosan.codes import IS_HUMAN
from hyosan.engine.grid import window

if TYPE_CHECKING:  # pragma: no cover
    from hyosan.engine.simulation import Simulation


@njit(cache=True)
def at_gate(n, state, cell, level, row, col, stuck, before, way, rate, lvl_off, lvl_h, lvl_w,
            fields, goal):
    """Undo this tick's stuck count of humans waiting at a gated doorway toward their goal.
    Returns how many were waiting."""
    k = 0
    for i in range(n):
        if stuck[i] != before[i] + 1 or not IS_HUMAN[state[i]]:
            continue  # not counted this tick (moved, queueing, standing still) or a zombie
        g = goal[i]
        if g < 0:
            continue
        c0 = cell[i]
        here = fields[g, c0]
        lv = level[i]
        h = lvl_h[lv]
        w = lvl_w[lv]
        r0 = row[i]
        q0 = col[i]
        mine = way[c0]
        ra, rb, qa, qb = window(r0, q0, 1, h, w)
        for r in range(ra, rb):
            for q in range(qa, qb):
                if r == r0 and q == q0:
                    continue
                c = lvl_off[lv] + r * w + q
                d = way[c]
                if d >= 0 and d != mine and rate[d] > 0.0 and fields[g, c] < here:
                    stuck[i] = before[i]
                    k += 1
                    break
            if stuck[i] == before[i]:
                break
    return k


def after_stuck(sim: Simulation) -> None:
    """The hook after ``stuck.update_stuck`` (``sim.stuck_before``: the counts it started
    from)."""
    p, wy = sim.pop, sim.ways
    at_gate(sim.n, p.state, p.cell, p.level, p.row, p.col, p.stuck, sim.stuck_before, wy.way,
            wy.rate, sim.lvl_off, sim.lvl_h, sim.lvl_w, sim.fields, p.goal)


def move_hooks() -> tuple[tuple[str, Callable[[Simulation], None]], ...]:
    """Always on: after ``update_stuck``, waiting at a gate is queueing, not being stuck."""
    return (("after_stuck", after_stuck),)
