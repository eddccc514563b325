"""Exit choice that weighs the queue at each exit (RiMEA 11), for ``behaviour.exit_choice: queue``.

People do not all head for the nearest exit when a crowd is already waiting there: some walk
further to a free one. Every exit (a connected group of exit cells) has its own distance field.
Once a second each evacuating person estimates, for every exit ``e``,

    T_e = max(d_e / v, Q_e / C_e) + 1 / C_e

where ``d_e`` is the walking distance, ``v`` their walking speed, ``Q_e`` the number of people
heading for ``e`` who are closer to it than they are (the queue ahead) and ``C_e`` the exit's
capacity in persons per second: what a doorway admits (``behaviour.door_flow``) × its width.
You leave when you have walked there *and* the people ahead of you have gone through,
whichever is later. This is the
estimate of the route-choice models compared by Kretz (2009) and Kirik et al. (2009) in
cellular automata.

Not everyone weighs queues: observed evacuees often keep to the nearest or familiar exit
despite a queue (Kinateder et al. 2018; Haghani & Sarvi 2017), so only a share
``behaviour.exit_flexible`` of the people does (drawn per person); the rest walk to the nearest
exit and count in its queue. Were everyone an exact time-minimiser, a large crowd would split
evenly between any two exits whatever their distance, since the queue dwarfs the walk.
A person switches only when another exit is clearly better (by ``max(2 s, 10 %)``), and only
about half of them reconsider in any second: people do not all turn at once, which would make
the queues swing from one exit to the other.
"""

from __future__ import annotations

import numpy as np

from hyosan.codes import IS_HUMAN, Cell, Mode
from hyosan.rules.movement.ways import label_groups
from hyosan.world.world import World

#: seconds between two reconsiderations
EVERY_S = 1.0
#: a better exit must save max(ABS_GAIN_S, REL_GAIN · T) seconds before anyone switches
ABS_GAIN_S = 2.0
REL_GAIN = 0.10
#: share of the evacuating crowd that reconsiders in a given second
RECONSIDER = 0.5
#: the most exits given their own field (each is one float32 per cell of the world)
MAX_EXITS = 32
#: P/(m·s) assumed for an exit when doorways are not capped (``door_flow: 0``)
UNCAPPED_FLOW = 1.9


def exit_groups(world: World) -> list[np.ndarray]:
    """Exit cells grouped into exits: 8-connected runs of exit cells on one level (the same
    groups as the exits' doorways in ``movement/ways.py``)."""
    return label_groups(world, world.kind == Cell.EXIT)


class ExitChooser:
    """Per-exit fields and the periodic choice of exit for evacuating people.

    ``first`` is the index of exit 0's field in the simulation's field stack; a person's
    ``exit_field`` is set to ``first + e`` for the exit ``e`` they head for.
    """

    def __init__(self, groups: list[np.ndarray], widths: np.ndarray, first: int,
                 door_flow: float, seed: int):
        self.groups = groups
        self.first = first
        self.k = len(groups)
        flow = door_flow if door_flow > 0 else UNCAPPED_FLOW
        self.capacity = flow * np.asarray(widths, float)  # persons per second
        self.seed = seed

    def fields(self) -> list[tuple[int, np.ndarray]]:
        """(field index, target cells) for every exit."""
        return [(self.first + e, g) for e, g in enumerate(self.groups)]

    def update(self, tick: int, fields: np.ndarray, state: np.ndarray, mode: np.ndarray,
               cell: np.ndarray, speed: np.ndarray, exit_field: np.ndarray,
               flexible: np.ndarray) -> int:
        """Re-choose exits of the evacuating people; returns how many switched.

        ``flexible`` marks people who weigh queues (``behaviour.exit_flexible`` of those whose
        exit the scenario did not assign); the others keep to the nearest exit, but count in
        its queue. A flexible person without a choice yet (``exit_field`` outside the per-exit
        range) takes the exit with the least estimated time at once.
        """
        on = IS_HUMAN[state]
        idx = np.flatnonzero(on & (mode == Mode.EVACUATE) & (exit_field < self.first + self.k)
                             & ((exit_field >= self.first) | (exit_field == 0)))
        if len(idx) == 0 or self.k == 0:
            return 0
        m = len(idx)
        cols = np.arange(m)
        d = fields[self.first: self.first + self.k][:, cell[idx]].astype(np.float64)  # (k, m)
        cur = exit_field[idx].astype(np.int64) - self.first
        chosen = cur >= 0
        cur = np.where(chosen, cur, np.argmin(d, axis=0))  # the rest walk to the nearest
        ahead = np.zeros_like(d)
        for e in range(self.k):
            mine = np.sort(d[e, cur == e])
            ahead[e] = np.searchsorted(mine, d[e], side="left")
        v = np.maximum(speed[idx].astype(np.float64), 0.1)
        cap = self.capacity[:, None]
        t = np.maximum(d / v, ahead / cap) + 1.0 / cap
        t[~np.isfinite(d)] = np.inf
        best = np.argmin(t, axis=0)
        t_best = t[best, cols]
        t_cur = t[cur, cols]
        rng = np.random.default_rng([self.seed, tick])
        thinks = rng.random(m) < RECONSIDER
        with np.errstate(invalid="ignore"):  # inf − inf where every exit is shut
            gain = t_cur - t_best
        switch = flexible[idx] & np.isfinite(t_best) & (
            ~chosen | ~np.isfinite(t_cur)
            | (thinks & (gain > np.maximum(ABS_GAIN_S, REL_GAIN * t_cur))))
        exit_field[idx[switch]] = self.first + best[switch]
        return int((switch & chosen & (best != cur)).sum())
