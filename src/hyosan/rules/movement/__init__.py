"""The movement model (the full profile's move phase): a floor-field cellular automaton
with synchronous update.

Every agent picks its desired cell from the *current* generation (navigation field of its goal,
plus a repulsive term around a seen threat; greedy toward a target for chasers; random for
wanderers), conflicts over a cell are resolved at random (highest draw wins), then all winners
move at once. Speeds differ through a movement budget in metres: a step costs the cell size
(√2 times that diagonally, more on stairs, the stair length through a stairwell); an agent steps
when its budget reaches one cell and may go into debt for a costly step.

A cell narrower than the cell size (``World.clear``: a door leaf, a gap) costs
``cell_size / clear`` times as much to step into, and stepping out through a narrow exit costs
``cell_size² / clear``. A lane of clear width c then carries c / cell_size of a full lane's
flow, so a doorway's capacity grows linearly with its width (Seyfried et al. 2009) in steps
finer than the cell, whatever the cell size.

One concern a module: ``budget`` (Weidmann's speed in a crowd, the metres each agent has to
spend), ``desire`` (the cell each agent wants), ``resolve`` (conflicts over a cell, then every
winner moves at once), ``passing`` (two people facing each other squeeze past), ``ways``
(doorways and stair flights as gated ways), ``lanes`` (the counterflow trail), ``exits``
(stepping out of the building), ``batter`` (zombies breaking doors), ``stuck`` (who has not
moved), ``changes`` (which desires a later sub-round must take again) and ``rounds`` (the
driver: ``move_rounds``, one kernel call a tick). Each rule with random draws declares its
slots in its own ``DRAWS`` table (``rules/draws.py``).
"""
