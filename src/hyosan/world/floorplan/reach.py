"""Reachability: which places and exits of a world the walkable region does not join."""

from __future__ import annotations

import warnings

import numpy as np
from scipy import ndimage
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from hyosan.world.cells import WALKABLE, Cell
from hyosan.world.floorplan.plan import BuildingPlan, FloorPlanWarning
from hyosan.world.world import World


def walkable_components(world: World) -> np.ndarray:
    """Component label per global cell (4-neighbour steps plus stair links), -1 if not walkable.

    Doors count as passable whatever their state: this is about the plan, not a moment.
    """
    walk = WALKABLE[world.kind]
    labels = np.full(world.n_cells, -1, dtype=np.int64)
    n_labels = 0
    for lv in world.levels:
        lab, count = ndimage.label(world.grid(lv.index, walk))
        flat = lab.ravel()
        idx = np.flatnonzero(flat)
        labels[lv.offset + idx] = flat[idx] - 1 + n_labels
        n_labels += count
    if n_labels == 0:
        return labels
    src = np.flatnonzero(world.up >= 0)
    dst = world.up[src]
    keep = walk[src] & walk[dst]
    a, b = labels[src[keep]], labels[dst[keep]]
    graph = coo_matrix((np.ones(len(a)), (a, b)), shape=(n_labels, n_labels))
    _, merged = connected_components(graph, directed=False)
    out = np.full(world.n_cells, -1, dtype=np.int64)
    ok = labels >= 0
    out[ok] = merged[labels[ok]]
    return out


def unreachable(world: World) -> tuple[list[str], np.ndarray]:
    """Places and exit cells outside the largest walkable region (names, exit cell indices)."""
    comp = walkable_components(world)
    if (comp >= 0).sum() == 0:
        return list(world.places), np.flatnonzero(world.kind == Cell.EXIT)
    main = np.bincount(comp[comp >= 0]).argmax()
    cut = [p.name for p in world.places.values() if not np.any(comp[p.cells] == main)]
    exits = np.flatnonzero(world.kind == Cell.EXIT)
    return cut, exits[comp[exits] != main]


def warn_unreachable(world: World, plan: BuildingPlan | None = None) -> None:
    """Warn (``FloorPlanWarning``) about places and exits cut off from the main region."""
    cut, exits = unreachable(world)
    src = plan.source if plan is not None else world.name
    for pname in cut:
        warnings.warn(f"{src}: place {pname!r} cannot be reached from the rest of the plan",
                      FloorPlanWarning, stacklevel=3)
    if len(exits):
        lvl, r, c = (int(v[0]) for v in world.rowcol(exits[:1]))
        where = (plan.where(lvl, r, c) if plan is not None and lvl == 0
                 else f"{src}, level {lvl}, row {r}, column {c}")
        warnings.warn(f"{where}: exit cannot be reached from the rest of the plan "
                      f"({len(exits)} exit cell(s) cut off)", FloorPlanWarning, stacklevel=3)
