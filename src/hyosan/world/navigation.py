"""Navigation fields: walking distance to a set of target cells over all levels and stairs.

The walking graph has one node per global cell. A cell is *passable* for a walker (``who``) when
its kind is walkable (``cells.WALKABLE``), it is not closed by a cordon (``World.exit_closed``, any
cell kind) and, for a door cell, the door's state lets that walker through
(``HUMAN_PASSES_DOOR`` / ``ZOMBIE_PASSES_DOOR``; ``who="any"`` treats every door as open, for
static reachability). Zombies never stand on exit cells (an exit leaves the map; the engine's
move phase agrees). Edges join passable cells:

* the 8 planar neighbours on the same level: orthogonal step ``cell_size``, diagonal step
  ``√2 · cell_size``; a diagonal step needs both orthogonal cells beside it passable (no cutting
  corners past a wall or a shut door); level 0 wraps around when ``World.torus`` is set;
* stair portals ``World.up`` / ``World.down``: cost ``stair_length · stair_factor``. The factor
  turns the slope walked into floor-walking-time-equivalent metres; people climb or descend
  stairs at roughly half their floor speed (about 0.6 m/s against 1.3 m/s), hence the default 2.

A *distance field* is the shortest such distance from every cell to its nearest target
(``inf`` where no target is reachable). Costs are symmetric, so this is also the distance from
the target set to the cell, which is what one multi-source Dijkstra computes.

The engine's one cache of these fields is ``engine/fields.NavFields`` (one row per goal, taken
with the doors as they are at the start, some rows computed on first need); this module is the
computation it and every other caller (localnav, hazard, schedule, social) share.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from hyosan.codes import HUMAN_PASSES_DOOR, WALKABLE, ZOMBIE_PASSES_DOOR, Cell
from hyosan.engine.grid import DC, DR
from hyosan.errors import ScenarioError
from hyosan.world.world import World

#: default stair cost factor: stair slope metres × this = equivalent floor metres
STAIR_FACTOR = 2.0
#: walker kinds understood by ``passable`` and the fields
WHO = ("human", "zombie", "any")

# Planar neighbour offsets: orthogonal first (indices 0-3: N, S, W, E), then diagonal (4-7),
# taken from the engine's one Moore table (``engine.grid.DR``/``DC``, whose order fixes the
# engine's random draws); the corner rule below needs the orthogonal ones first.
_MOORE = np.array([1, 6, 3, 4, 0, 2, 5, 7], dtype=np.int64)
_DR = DR[_MOORE]
_DC = DC[_MOORE]


# ------------------------------------------------------------------------ passability
def _door_passes(who: str) -> np.ndarray | None:
    """Door state -> passable table for ``who`` (``None``: every door passes)."""
    if who == "human":
        return HUMAN_PASSES_DOOR
    if who == "zombie":
        return ZOMBIE_PASSES_DOOR
    if who == "any":
        return None
    raise ValueError(f"who must be one of {WHO}, not {who!r}")


def passable(world: World, who: str = "human") -> np.ndarray:
    """Bool per global cell: can ``who`` stand there now (kind, door state, cordon)."""
    table = _door_passes(who)
    p = WALKABLE[world.kind]
    if table is not None and len(world.door_cells):
        p[world.door_cells] = table[world.door_state]
    if who == "zombie":
        p &= world.kind != Cell.EXIT
    p &= ~world.exit_closed
    return p


# ---------------------------------------------------------------------------- kernels
@njit(cache=True)
def _level_of(cell, off):
    """Index of the level holding global ``cell`` (levels are few: a linear scan)."""
    lv = 0
    while lv + 1 < off.shape[0] and cell >= off[lv + 1]:
        lv += 1
    return lv


@njit(cache=True)
def _wrap(r, c, hl, wl, wraps):
    """(row, col) moved back onto a torus level, or (-1, -1) when off a bounded level."""
    if wraps:
        return (r + hl) % hl, (c + wl) % wl
    if 0 <= r < hl and 0 <= c < wl:
        return r, c
    return -1, -1


@njit(cache=True)
def neighbours(cell, off, h, w, up, down, out, torus=False) -> int:
    """Fill ``out`` (len ≥ 10) with the planar neighbours (8, fewer at the level's edge) and
    stair partners of ``cell``; return how many. Pure geometry: passability is not checked.
    With ``torus`` (``World.torus``) level 0 wraps around at its edges."""
    lv = _level_of(cell, off)
    local = cell - off[lv]
    wl = w[lv]
    r = local // wl
    c = local - r * wl
    n = 0
    for k in range(8):
        rr, cc = _wrap(r + _DR[k], c + _DC[k], h[lv], wl, torus and lv == 0)
        if rr >= 0:
            out[n] = off[lv] + rr * wl + cc
            n += 1
    if up[cell] >= 0:
        out[n] = up[cell]
        n += 1
    if down[cell] >= 0:
        out[n] = down[cell]
        n += 1
    return n


@njit(cache=True)
def _moves(cell, ok, off, h, w, up, down, torus, out, cost, step, stair_cost):
    """Cells one legal move from ``cell`` (passable, no corner cutting) into ``out``, with
    their costs into ``cost``; returns how many. Order: N, S, W, E, NW, NE, SW, SE, up, down."""
    lv = _level_of(cell, off)
    base = off[lv]
    wl = w[lv]
    hl = h[lv]
    wraps = torus and lv == 0
    r = (cell - base) // wl
    c = (cell - base) - r * wl
    diag = step * math.sqrt(2.0)
    m = 0
    for k in range(8):
        rr, cc = _wrap(r + _DR[k], c + _DC[k], hl, wl, wraps)
        if rr < 0 or not ok[base + rr * wl + cc]:
            continue
        if k >= 4:
            # the two orthogonal cells beside a diagonal step must both be passable
            r1, c1 = _wrap(r + _DR[k], c, hl, wl, wraps)
            r2, c2 = _wrap(r, c + _DC[k], hl, wl, wraps)
            if not (ok[base + r1 * wl + c1] and ok[base + r2 * wl + c2]):
                continue
        out[m] = base + rr * wl + cc
        cost[m] = diag if k >= 4 else step
        m += 1
    if up[cell] >= 0 and ok[up[cell]]:
        out[m] = up[cell]
        cost[m] = stair_cost
        m += 1
    if down[cell] >= 0 and ok[down[cell]]:
        out[m] = down[cell]
        cost[m] = stair_cost
        m += 1
    return m


@njit(cache=True)
def _sift_up(hk, hn, pos, i):
    key = hk[i]
    node = hn[i]
    while i > 0:
        parent = (i - 1) >> 1
        if hk[parent] <= key:
            break
        hk[i] = hk[parent]
        hn[i] = hn[parent]
        pos[hn[i]] = i
        i = parent
    hk[i] = key
    hn[i] = node
    pos[node] = i


@njit(cache=True)
def _sift_down(hk, hn, pos, i, size):
    key = hk[i]
    node = hn[i]
    while True:
        child = 2 * i + 1
        if child >= size:
            break
        if child + 1 < size and hk[child + 1] < hk[child]:
            child += 1
        if hk[child] >= key:
            break
        hk[i] = hk[child]
        hn[i] = hn[child]
        pos[hn[i]] = i
        i = child
    hk[i] = key
    hn[i] = node
    pos[node] = i


@njit(cache=True, inline="always")
def _grid_moves(u, base, wl, hl, ok, up, down, nb, cost, step, diag, stair_cost):
    """``_moves`` unrolled for a bounded level: the hot path of ``_dijkstra``."""
    r = (u - base) // wl
    c = (u - base) - r * wl
    m = 0
    # orthogonal neighbours; remember which are passable for the corner rule
    okn = r > 0 and ok[u - wl]
    oks = r + 1 < hl and ok[u + wl]
    okw = c > 0 and ok[u - 1]
    oke = c + 1 < wl and ok[u + 1]
    if okn:
        nb[m] = u - wl
        cost[m] = step
        m += 1
    if oks:
        nb[m] = u + wl
        cost[m] = step
        m += 1
    if okw:
        nb[m] = u - 1
        cost[m] = step
        m += 1
    if oke:
        nb[m] = u + 1
        cost[m] = step
        m += 1
    if okn and okw and ok[u - wl - 1]:
        nb[m] = u - wl - 1
        cost[m] = diag
        m += 1
    if okn and oke and ok[u - wl + 1]:
        nb[m] = u - wl + 1
        cost[m] = diag
        m += 1
    if oks and okw and ok[u + wl - 1]:
        nb[m] = u + wl - 1
        cost[m] = diag
        m += 1
    if oks and oke and ok[u + wl + 1]:
        nb[m] = u + wl + 1
        cost[m] = diag
        m += 1
    if up[u] >= 0 and ok[up[u]]:
        nb[m] = up[u]
        cost[m] = stair_cost
        m += 1
    if down[u] >= 0 and ok[down[u]]:
        nb[m] = down[u]
        cost[m] = stair_cost
        m += 1
    return m


@njit(cache=True, nogil=True)
def _dijkstra(targets, ok, off, h, w, up, down, torus, step, diag, stair_cost, dist):
    """Multi-source Dijkstra over the walking graph, every move costing its length."""
    _search(targets, ok, np.empty(0), off, h, w, up, down, torus, step, diag, stair_cost, dist)


@njit(cache=True, nogil=True)
def _search(targets, ok, weight, off, h, w, up, down, torus, step, diag, stair_cost, dist):
    """Multi-source Dijkstra over the walking graph with an indexed binary heap (decrease-key).

    ``ok``: passable per cell; ``step``, ``diag``: orthogonal and diagonal cost. ``weight``:
    empty for plain lengths, else one factor per cell, a move costing its length times the
    mean weight of the two cells it joins (the hazard field's smoke). ``dist`` (one per cell)
    receives the distances; each sum is rounded to its dtype as it is stored (float64 for the
    level fields, float32 for the local windows). A heap entry is (key, node) in two parallel
    arrays; ``pos`` finds a node's slot for decrease-key."""
    weighted = weight.shape[0] > 0
    n = ok.shape[0]
    dist[:] = np.inf  # settled nodes need no flag: no relaxation can lower them
    pos = np.full(n, -1, dtype=np.int32)  # heap slot of a node, -1 when not in the heap
    hk = np.empty(n, dtype=dist.dtype)  # a node is in the heap at most once: n slots suffice
    hn = np.empty(n, dtype=np.int32)
    size = 0
    for t in targets:
        if ok[t] and pos[t] < 0:
            dist[t] = 0.0
            hk[size] = 0.0
            hn[size] = t
            pos[t] = size
            size += 1
    nl = off.shape[0]
    nb = np.empty(10, dtype=np.int64)
    cost = np.empty(10)
    while size > 0:
        u = hn[0]
        du = hk[0]
        pos[u] = -1
        size -= 1
        if size > 0:
            hk[0] = hk[size]
            hn[0] = hn[size]
            _sift_down(hk, hn, pos, 0, size)
        lv = 0
        while lv + 1 < nl and u >= off[lv + 1]:
            lv += 1
        if torus and lv == 0:
            m = _moves(u, ok, off, h, w, up, down, torus, nb, cost, step, stair_cost)
        else:
            m = _grid_moves(u, off[lv], w[lv], h[lv], ok, up, down, nb, cost, step, diag,
                            stair_cost)
        for k in range(m):
            v = nb[k]
            if weighted:
                dv = du + cost[k] * 0.5 * (weight[u] + weight[v])
            else:
                dv = du + cost[k]
            if dv < dist[v]:
                dist[v] = dv
                i = pos[v]
                if i < 0:
                    i = size
                    size += 1
                hk[i] = dv
                hn[i] = v
                _sift_up(hk, hn, pos, i)


#: diagonal step of the local windows, in cells: the constant their float32 sums always used
WINDOW_DIAG = 1.4142135


@njit(cache=True)
def window_field(kind, off, width, height, r0, c0, tr, tc, out):
    """Cells of walking from (tr, tc) to every cell of the square window of one level whose
    top-left cell is (r0, c0); ``out`` (size × size float32) receives them (``inf`` where
    unreachable, everywhere when the target lies outside the window).

    The window is a small walking graph of its own for ``_dijkstra``: one level, no stairs,
    every walkable kind passable (doors count as open, as for ``who="any"``; cordons are not
    looked at), cells beyond the level's edge blocked. Orthogonal steps cost 1, diagonal ones
    ``WINDOW_DIAG``, and every sum is rounded to float32. A target that cannot be stood on
    (a wall) gives no field, as in ``distance_field``."""
    size = out.shape[0]
    lr = tr - r0
    lc = tc - c0
    if lr < 0 or lr >= size or lc < 0 or lc >= size:
        out[:, :] = np.inf
        return
    n = size * size
    ok = np.zeros(n, dtype=np.bool_)
    for i in range(size):
        gr = r0 + i
        if gr < 0 or gr >= height:
            continue
        for j in range(size):
            gc = c0 + j
            if 0 <= gc < width:
                ok[i * size + j] = WALKABLE[kind[off + gr * width + gc]]
    no_stairs = np.full(n, -1, dtype=np.int64)
    dims = np.full(1, size, dtype=np.int64)
    _dijkstra(np.full(1, lr * size + lc, dtype=np.int64), ok, np.zeros(1, dtype=np.int64),
              dims, dims, no_stairs, no_stairs, False, 1.0, WINDOW_DIAG, 1.0, out.reshape(n))


@njit(cache=True)
def _flood(sources, ok, off, h, w, up, down, torus):
    """Breadth-first flood over the same graph as ``_dijkstra``; bool per cell."""
    n = ok.shape[0]
    seen = np.zeros(n, dtype=np.bool_)
    queue = np.empty(n, dtype=np.int64)
    head = 0
    tail = 0
    for s in sources:
        if ok[s] and not seen[s]:
            seen[s] = True
            queue[tail] = s
            tail += 1
    nb = np.empty(10, dtype=np.int64)
    cost = np.empty(10)
    while head < tail:
        u = queue[head]
        head += 1
        m = _moves(u, ok, off, h, w, up, down, torus, nb, cost, 1.0, 1.0)
        for k in range(m):
            v = nb[k]
            if not seen[v]:
                seen[v] = True
                queue[tail] = v
                tail += 1
    return seen


@njit(cache=True)
def best_step(cell, field, ok, off, h, w, up, down, torus=False) -> int:
    """The neighbour (planar or stair partner) one legal move from ``cell`` with the lowest
    field value, if that value is strictly below ``field[cell]``; otherwise -1 (at a target,
    or no target reachable). ``ok`` is the passability the field was computed with; ties go to
    the first neighbour in the order N, S, W, E, NW, NE, SW, SE, up, down. If ``cell`` itself
    is impassable (a door locked under someone's feet), any finite neighbour still beats it."""
    nb = np.empty(10, dtype=np.int64)
    cost = np.empty(10)
    m = _moves(cell, ok, off, h, w, up, down, torus, nb, cost, 1.0, 1.0)
    best = -1
    best_val = field[cell]
    for k in range(m):
        v = nb[k]
        if field[v] < best_val:
            best_val = field[v]
            best = v
    return best


# ------------------------------------------------------------------------- public API
def _as_cells(world: World, cells: np.ndarray | list[int]) -> np.ndarray:
    arr = np.ascontiguousarray(np.asarray(cells, dtype=np.int64).ravel())
    if arr.size and (arr.min() < 0 or arr.max() >= world.n_cells):
        raise ValueError(f"target cells must lie in 0..{world.n_cells - 1}")
    return arr


def distance_field(
    world: World,
    targets: np.ndarray | list[int],
    *,
    who: str = "human",
    stair_factor: float = STAIR_FACTOR,
    ok: np.ndarray | None = None,
) -> np.ndarray:
    """Metres of walking from every cell to its nearest target (float32, ``inf`` unreachable).

    Targets that ``who`` cannot stand on (a locked door, a closed exit) are dropped. ``ok`` may
    pass a precomputed ``passable(world, who)`` to save recomputing it."""
    if ok is None:
        ok = passable(world, who)
    off, h, w = world.level_arrays()
    step = float(world.cell_size)
    dist = np.empty(world.n_cells)
    _dijkstra(
        _as_cells(world, targets), ok, off, h, w, world.up, world.down, world.torus,
        step, step * math.sqrt(2.0), float(world.stair_length * stair_factor), dist,
    )
    return dist.astype(np.float32)


def reachable(
    world: World, sources: np.ndarray | list[int], who: str = "any"
) -> np.ndarray:
    """Bool per global cell: can ``who`` walk there from any of ``sources`` (same moves as the
    distance fields). With ``who="any"`` every door counts as open: the static layout."""
    off, h, w = world.level_arrays()
    ok = passable(world, who)
    return _flood(_as_cells(world, sources), ok, off, h, w, world.up, world.down, world.torus)


def targets_of_place(world: World, name: str) -> np.ndarray:
    """Global cells of the named place, for use as navigation targets."""
    place = world.places.get(name)
    if place is None:
        known = ", ".join(sorted(world.places)) or "none"
        raise ScenarioError(f"no place named {name!r} in world {world.name!r} (known: {known})")
    return place.cells


def descend(world: World, field: np.ndarray, cell: int, who: str = "human") -> int:
    """Python convenience over ``best_step``: next cell downhill from ``cell``, or -1."""
    off, h, w = world.level_arrays()
    ok = passable(world, who)
    return int(best_step(cell, field, ok, off, h, w, world.up, world.down, world.torus))
