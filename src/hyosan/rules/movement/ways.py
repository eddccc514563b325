"""Doorways and stair flights: passages that admit a limited flow of people.

A cellular automaton moves people cell by cell, so a passage's capacity is whatever its cells
happen to let through: a doorway one cell deep passes everyone behind it at walking pace, and a
stair link, whose flight takes ten seconds and more, held its one person per lane for the whole
climb (a 1 m stair passed 0.2 P/s, a fifth of what stairs carry). Measured passages do better
and differently, so each is modelled as a *way* with a gate:

- a **doorway** (a connected run of door cells, or of exit cells, on one level) admits the next
  person ``1 / (door_flow · width)`` seconds after the one before: about 1.9 P/(m·s) for people
  pressing through a bottleneck (Seyfried et al. 2009; Rupprecht 2011). Its cells share one
  gate, as a door's width is shared: two people queueing at the same half of a 1 m door do not
  leave the other half's share unused.
- a **flight** (the stair cells of one stairwell linked up, or down, from one level) admits at
  most ``stair_flow · width`` persons per second, about 1.0 P/(m·s) at the most on stairs
  (Fruin 1971; SFPE Handbook, Gwynne & Rosenbaum 2016: 1.01 P/(s·m)). People who take it are in
  transit: off every cell until they have climbed its length at their stair speed, then they
  step onto the landing cell as soon as it is free. A flight holds at most ``JAM_DENSITY``
  P/m² of its area, so a blocked landing backs the queue up to the stair foot.

A way's width is its cells' clear widths added up and divided by its depth (cells counted
along the way of travel, estimated as cell count over the longer side of its bounding box): a door
drawn two cells thick is as wide as one drawn one cell thick, and a stair block 4 cells deep and
8 wide is a 4 m flight at 0.5 m cells.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numba import njit
from scipy import ndimage

from hyosan.codes import Cell
from hyosan.engine.grid import set_cell
from hyosan.world.world import World

#: most persons per m² standing on a flight (Fruin's level of service F on stairs, ≥ 2.7)
JAM_DENSITY = 2.7


def label_groups(world: World, mask: np.ndarray) -> list[np.ndarray]:
    """The cells of ``mask`` grouped into 8-connected runs on each level, in level order."""
    groups: list[np.ndarray] = []
    for lv in world.levels:
        grid = mask[lv.offset: lv.offset + lv.size].reshape(lv.height, lv.width)
        if not grid.any():
            continue
        labels, k = ndimage.label(grid, structure=np.ones((3, 3), bool))
        flat = labels.ravel()
        order = np.argsort(flat, kind="stable")
        bounds = np.searchsorted(flat[order], np.arange(1, k + 2))
        for j in range(k):
            groups.append((lv.offset + order[bounds[j]: bounds[j + 1]]).astype(np.int64))
    return groups


def group_width(world: World, cells: np.ndarray) -> float:
    """Metres of clear width of a group of cells: their clear widths over the group's depth."""
    _, r, c = world.rowcol(cells)
    long_side = max(int(r.max() - r.min()) + 1, int(c.max() - c.min()) + 1)
    depth = max(1, int(round(len(cells) / long_side)))
    return float(world.clear[cells].astype(np.float64).sum()) / depth


@dataclass
class Ways:
    """Every gated passage of a world; per-cell maps point into the per-way arrays."""

    way: np.ndarray  # int32 per cell: the doorway a step into the cell enters, -1 none
    up_way: np.ndarray  # int32 per cell: the flight its up link climbs, -1 none
    down_way: np.ndarray  # int32 per cell: the flight its down link descends, -1 none
    width: np.ndarray  # float64 per way, metres
    rate: np.ndarray  # float64 per way: persons admitted per second (0: no gate)
    cap: np.ndarray  # int64 per way: most people in transit on it (flights)
    gate: np.ndarray  # float64 per way: time the next person may enter
    inside: np.ndarray  # int64 per way: people in transit now
    n_doorways: int  # ways [0, n_doorways) are doorways, the rest flights
    partner: np.ndarray  # int64 per way: the flight the other way on the same stair, -1 none

    @property
    def n(self) -> int:
        return len(self.width)

    def in_transit(self) -> int:
        """People on flights now."""
        return int(self.inside[self.n_doorways:].sum())


def build_ways(world: World, door_flow: float, stair_flow: float) -> Ways:
    """Group a world's door, exit and linked stair cells into ways with their gates.

    ``door_flow`` and ``stair_flow`` are P/(m·s); 0 lifts the gate (flights still hold people
    in transit for the climb)."""
    n = world.n_cells
    groups_d = (label_groups(world, world.kind == Cell.DOOR)
                + label_groups(world, world.kind == Cell.EXIT))
    groups_u = label_groups(world, world.up >= 0)
    groups_w = label_groups(world, world.down >= 0)
    way = np.full(n, -1, np.int32)
    up_way = np.full(n, -1, np.int32)
    down_way = np.full(n, -1, np.int32)
    widths, rates, caps = [], [], []
    for k, g in enumerate(groups_d + groups_u + groups_w):
        wd = group_width(world, g)
        widths.append(wd)
        if k < len(groups_d):
            way[g] = k
            rates.append(door_flow * wd)
            caps.append(np.iinfo(np.int64).max)
        else:
            (up_way if k < len(groups_d) + len(groups_u) else down_way)[g] = k
            rates.append(stair_flow * wd)
            caps.append(max(1, int(JAM_DENSITY * wd * world.stair_length)))
    m = len(widths)
    partner = np.full(m, -1, np.int64)
    for g in groups_u:  # the flight down from the landings of a flight up is its partner
        a = int(up_way[g[0]])
        back = down_way[world.up[g]]
        back = back[back >= 0]
        if back.size:
            b = int(np.bincount(back).argmax())
            partner[a] = b
            partner[b] = a
    return Ways(way, up_way, down_way, np.array(widths, np.float64),
                np.array(rates, np.float64), np.array(caps, np.int64), np.zeros(m, np.float64),
                np.zeros(m, np.int64), len(groups_d), partner)


def no_ways() -> Ways:
    """A stand-in for the simple profiles, which step without doors or stairs."""
    one = np.full(1, -1, np.int32)
    return Ways(one, one, one, np.zeros(0), np.zeros(0), np.zeros(0, np.int64), np.zeros(0),
                np.zeros(0, np.int64), 0, np.zeros(0, np.int64))


@njit(cache=True, inline="always")
def way_of_step(cur, w, up, down, way, up_way, down_way):
    """The way a step from ``cur`` to ``w`` enters (-1 none) and whether it takes a flight."""
    if up[cur] == w:
        return up_way[cur], True
    if down[cur] == w:
        return down_way[cur], True
    g = way[w]
    if g >= 0 and way[cur] == g:
        return -1, False  # already in this doorway (one drawn more than a cell deep)
    return g, False


@njit(cache=True, inline="always")
def admit(g, time_s, rate, cap, gate, inside, partner):
    """Whether way ``g`` lets one more person in at ``time_s``; if so their slot is taken.

    The gate carries the lag of the tick grid (under half a second) so the rate holds at any
    tick length, but no older credit: an idle door does not bank a burst. A flight holds at
    most its cap, and with its ``partner`` (the same stair the other way) at most both caps:
    people passing on the stairs (``land``) can move a place from one to the other."""
    if inside[g] >= cap[g]:
        return False
    p = partner[g]
    if p >= 0 and inside[g] + inside[p] >= cap[g] + cap[p]:
        return False
    r = rate[g]
    if r > 0.0:
        if gate[g] > time_s + 1e-9:
            return False
        t0 = gate[g] if gate[g] > time_s - 0.5 else time_s
        gate[g] = t0 + 1.0 / r
    return True


@njit(cache=True)
def land(ag, gr, wy, sc, pm):
    """People who have climbed their flight step onto its landing cell once it is free.

    An agent is in transit while ``flight[i] >= 0``: its ``cell`` is the landing, which it does
    not hold (``occ`` does not point to it). It lands when its metre budget, charged the flight
    when it set off, is paid back (≥ 0). Returns how many landed.

    Someone standing on the landing who wants to take the same stair the other way (``want``
    from the last sub-round: the link of the climber's ``partner`` flight out of that cell; and
    still the budget for a step, which a person who has since stopped to hide or wait has not)
    passes the climber on the stairs: the climber lands, and they set off, paying for the
    flight, with no wait at its gate or its cap (the stair holds as many people as before).
    Without it a stairwell used both ways locks: full flights up wait for landings held by
    people waiting for full flights down, and the other way round.

    Named state (``engine/state.py``): ``ag`` agents, ``gr`` grid, ``wy`` ways, ``sc`` scratch
    (``want``), ``pm`` parameters (the stair factors)."""
    n, flight, cell, level, row, col, budget = ag.n, ag.flight, ag.cell, ag.level, ag.row, \
        ag.col, ag.budget
    occ, up, down, lvl_off, lvl_w = gr.occ, gr.up, gr.down, gr.lvl_off, gr.lvl_w
    stair_len, cell_size = gr.stair_len, gr.cell_size
    inside, partner, up_way, down_way = wy.inside, wy.partner, wy.up_way, wy.down_way
    want, up_factor, down_factor = sc.want, pm.up_factor, pm.down_factor
    landed = 0
    for i in range(n):
        g = flight[i]
        if g < 0 or budget[i] < 0.0:
            continue
        c = cell[i]
        j = occ[c]
        if j >= 0:
            w = want[j]
            if w < 0 or not (w == up[c] or w == down[c]) or budget[j] < 0.999 * cell_size:
                continue  # the landing is taken: wait at the top of the flight
            g2 = up_way[c] if w == up[c] else down_way[c]
            if g2 < 0 or g2 != partner[g]:
                continue
            budget[j] -= stair_len / (up_factor if w == up[c] else down_factor)
            set_cell(j, w, np.searchsorted(lvl_off, w, side="right") - 1, cell, level, row,
                     col, lvl_off, lvl_w)
            flight[j] = g2
            inside[g2] += 1
            want[j] = -1
        occ[c] = i
        flight[i] = -1
        inside[g] -= 1
        landed += 1
    return landed


def take_off(idx: np.ndarray, cell: np.ndarray, flight: np.ndarray, occ: np.ndarray,
             ways: Ways) -> None:
    """Agents ``idx`` leave the map (rescued, killed, destroyed): free the cells they hold and
    their places on the flights they are climbing. The landing of someone in transit may be
    held by another person, who stays."""
    idx = np.asarray(idx, np.int64)
    holds = occ[cell[idx]] == idx
    occ[cell[idx[holds]]] = -1
    fl = flight[idx]
    on = fl >= 0
    np.subtract.at(ways.inside, fl[on], 1)
    flight[idx[on]] = -1
