"""The move phase's driver: the sub-rounds of a tick's move in one kernel call (``move_rounds``)."""

from __future__ import annotations

from numba import njit

from hyosan.codes import HUNTS_SOUND, S_ZOM
from hyosan.rules.movement.batter import batter_doors
from hyosan.rules.movement.changes import changed_agents
from hyosan.rules.movement.desire import NO_AGENTS, desire_agents
from hyosan.rules.movement.exits import leave_exits
from hyosan.rules.movement.lanes import deposit
from hyosan.rules.movement.passing import swap_places
from hyosan.rules.movement.resolve import resolve_and_commit
from hyosan.rules.movement.ways import land
from hyosan.rules.zombies import desire_zombies_listed


@njit(cache=True)
def move_rounds(ag, gr, wy, sc, pm, ev, key, tick, time_s):
    """The sub-rounds of the full profile's move, after ``add_budget``: each lands climbers,
    lets people out of exits, takes every agent's desire (``desire_full``, then
    ``zombies.desire_zombies_listed``; zombies batter doors in the first), resolves and commits the
    moves and passes, until one moves nobody or ``rounds`` are done; then walkers leave their
    trail (``lanes.deposit``) when ``lanes`` > 0. Returns the doors broken.

    With ``incremental``, sub-rounds after the first take again only the desires that can
    have changed (``changed_agents``; ``epoch[0]`` numbers the sub-rounds for its stamps), all
    of them after a door broke. With no zombies (``desire_full`` counts them, and clears
    every ``batter``), their desires and battering are skipped. One kernel call, so
    the per-sub-round cost of calling kernels from Python (≈ 3 µs each) is paid once a tick.

    State comes as named structs (``engine/state.py``): ``ag`` agents, ``gr`` grid, ``wy``
    ways, ``sc`` scratch, ``pm`` parameters, ``ev`` events.
    """
    n = ag.n
    cell, state, mode, stuck, prev_cell = ag.cell, ag.state, ag.mode, ag.stuck, ag.prev_cell
    budget = ag.budget
    level, row, col = ag.level, ag.row, ag.col
    occ, door_of, door_state, door_hp = gr.occ, gr.door_of, gr.door_state, gr.door_hp
    cell_size, lvl_off, lvl_w = gr.cell_size, gr.lvl_off, gr.lvl_w
    want, batter, seen, held, epoch, active = sc.want, sc.batter, sc.seen, sc.held, sc.epoch, \
        sc.active
    hunters, vr, vc, vt = sc.hunters, sc.vr, sc.vc, sc.vt
    inside = wy.inside
    rounds, incremental, damage = pm.rounds, pm.incremental, pm.damage
    p_swap, lanes, memory_s = pm.p_swap, pm.lanes, pm.memory_s
    ev_kind, ev_a, ev_b, ev_cell, ev_n = ev.kind, ev.a, ev.b, ev.cell, ev.n
    trail = (lanes, vr, vc, vt, time_s, memory_s, cell_size)
    broke = 0
    zombies = 0  # set by the first sub-round's desire_full
    n_hunt = 0  # zombies hunting by sound (listed in ``hunters``), counted in the first
    for rnd in range(rounds):
        landed = 0
        for g in range(wy.n_doorways, len(inside)):
            if inside[g] > 0:
                landed = land(ag, gr, wy, sc, pm)
                break
        left = leave_exits(gr.exit_cells, state, budget, occ, gr.clear, cell_size, time_s,
                           ag.ended_at, ev_kind, ev_a, ev_b, ev_cell, ev_n)
        m = -1  # every agent; or the count of ``active``, who alone can want a cell
        if incremental and rnd > 0 and not (rnd == 1 and broke > 0):
            epoch[0] += 1
            m = changed_agents(ag, gr, sc)
            desire_agents(m, active, ag, gr, sc, pm, key, tick, rnd, trail, True)
        else:  # desire_full, noting who is unsure
            zombies = desire_agents(n, NO_AGENTS, ag, gr, sc, pm, key, tick, rnd, trail, True)
            if incremental:
                for i in range(n):
                    seen[i] = cell[i]
                    held[i] = occ[cell[i]] == i
            if rnd == 0 and zombies:  # states and modes stand still through the move phase
                n_hunt = 0
                for i in range(n):
                    if state[i] == S_ZOM and HUNTS_SOUND[mode[i]]:
                        hunters[n_hunt] = i
                        n_hunt += 1
        if zombies and n_hunt:
            # the zombies following a sound or heading for the stairs: those among them who
            # can step this sub-round are on ``active`` already (changed_agents lists every
            # zombie on the map with a full budget), the others want nothing
            desire_zombies_listed(n_hunt, hunters, ag, gr, sc, key, tick, rnd)
        if m < 0:  # a full sub-round: resolve the agents that want a cell, in index order
            m = 0
            for i in range(n):
                if want[i] >= 0:
                    active[m] = i
                    m += 1
        if rnd == 0 and zombies:
            broke = batter_doors(n, batter, door_of, door_state, door_hp, damage, stuck,
                                 ev_kind, ev_a, ev_b, ev_cell, ev_n)
        moved = resolve_and_commit(m, rnd, True, ag, gr, wy, sc, pm, ev, key, tick, time_s)
        if p_swap > 0:
            moved += swap_places(ag, gr, sc, pm, key, tick, rnd)
        if moved == 0 and left == 0 and landed == 0:
            break
    if lanes > 0:
        deposit(n, prev_cell, cell, level, row, col, state, lvl_off, lvl_w, vr, vc, vt, time_s,
                memory_s)
    return broke
