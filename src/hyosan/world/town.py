"""The town generator: a street grid of blocks with houses, apartments, a hospital, a police
station, parks and the school, and roads that leave the map (exits a quarantine can close).

Everything is drawn with NumPy slices, one per building (never one Python step per cell), so
the default 1 km × 1 km town (4 million cells at 0.5 m) builds in well under a few seconds.
Blocks are typed with a seeded generator, so a seed gives one town.
"""

from __future__ import annotations

from typing import Literal

import numpy as np

from hyosan.errors import ScenarioError
from hyosan.world.cells import Cell
from hyosan.world.floorplan import BuildingPlan, PlaceSpec, assemble
from hyosan.world.school import school as make_school
from hyosan.world.world import World

_SIDES = ("north", "south", "west", "east")


def _cells(metres: float, cell: float, least: int = 1) -> int:
    return max(least, int(round(metres / cell)))


def _split(n: int, block: int, street: int) -> tuple[np.ndarray, np.ndarray]:
    """Start and size of the blocks along one axis; streets lie between consecutive blocks."""
    k = max(1, int(round((n - block) / (block + street))))
    total = n - k * street
    if total < (k + 1) * 8:
        raise ScenarioError(f"the town is too small for its blocks ({n} cells across)")
    edges = np.round(np.linspace(0, total, k + 2)).astype(np.int64)
    sizes = np.diff(edges)
    starts = edges[:-1] + np.arange(k + 1) * street
    return starts, sizes


def _rect_cells(r0: int, r1: int, c0: int, c1: int) -> tuple[np.ndarray, np.ndarray]:
    rr, cc = np.mgrid[r0:r1, c0:c1]
    return rr.ravel(), cc.ravel()


def _building(g: np.ndarray, r0: int, c0: int, h: int, w: int, doors: list[tuple[int, int]],
              windows: bool = True) -> tuple[np.ndarray, np.ndarray]:
    """Draw a walled one-room building; return its interior cells (rows, cols)."""
    g[r0:r0 + h, c0:c0 + w] = Cell.WALL
    g[r0 + 1:r0 + h - 1, c0 + 1:c0 + w - 1] = Cell.FLOOR
    if windows and h >= 8:
        g[r0 + h // 2 - 1:r0 + h // 2 + 1, [c0, c0 + w - 1]] = Cell.WINDOW
    for r, c in doors:
        g[r0 + r, c0 + c] = Cell.DOOR
    return _rect_cells(r0 + 1, r0 + h - 1, c0 + 1, c0 + w - 1)


def town(*, size_m: float = 1000.0, block_m: float = 100.0, street_m: float = 10.0,
         cell_size: float = 0.5, house_m: float = 10.0, apartment_share: float = 0.3,
         park_share: float = 0.1, exits_per_side: int = 1, seed: int = 0,
         school: BuildingPlan | Literal["default"] | None = "default",
         name: str = "hyosan") -> World:
    """The town as a ``World``: level 0 is the whole map, the school's upper floors are levels.

    Streets are ``Cell.GROUND``; houses (``house {block}-{n}``), apartments
    (``apartment {block}-{n}``), ``hospital``, ``police station`` and parks are named places;
    ``exits_per_side`` roads per map edge end in exit cells named ``road north`` (or
    ``road north 1``, ``road north 2``, … when several).
    """
    cs = cell_size
    plan = make_school(cell_size=cs) if school == "default" else school
    n = _cells(size_m, cs, 40)
    B, S = _cells(block_m, cs, 20), _cells(street_m, cs, 2)
    starts, sizes = _split(n, B, S)
    nb = len(starts)
    g = np.full((n, n), Cell.GROUND, dtype=np.uint8)
    places: list[PlaceSpec] = []
    rng = np.random.default_rng(seed)
    taken = np.zeros((nb, nb), dtype=bool)

    def span(i0: int, count: int) -> tuple[int, int]:
        return int(starts[i0]), int(starts[i0 + count - 1] + sizes[i0 + count - 1])

    buildings: list[tuple[BuildingPlan, tuple[int, int]]] = []
    if plan is not None:
        sh, sw = plan.shape
        by = next((m for m in range(1, nb) if span(0, m)[1] - span(0, m)[0] >= sh), None)
        bx = next((m for m in range(1, nb) if span(0, m)[1] - span(0, m)[0] >= sw), None)
        if by is None or bx is None:
            raise ScenarioError(f"the town ({size_m} m) is too small for the school "
                                f"({sh * cs:.0f} m × {sw * cs:.0f} m plus a street below it)")
        i0, j0 = (nb - by) // 2, (nb - bx) // 2
        (r0, r1), (c0, c1) = span(i0, by), span(j0, bx)
        if r1 - r0 < sh or c1 - c0 < sw:
            raise ScenarioError(f"the town ({size_m} m) is too small for the school")
        g[r0:r1, c0:c1] = Cell.GROUND
        taken[i0:i0 + by, j0:j0 + bx] = True
        # the site's south fence (with the main gate) runs along the street below the blocks
        buildings.append((plan, (r1 - sh, c0 + (c1 - c0 - sw) // 2)))

    def free_block_near(ti: int, tj: int) -> tuple[int, int]:
        ii, jj = np.nonzero(~taken)
        if len(ii) == 0:
            raise ScenarioError("the town has no free block left for its hospital and police")
        best = int(np.argmin((ii - ti) ** 2 + (jj - tj) ** 2))
        taken[ii[best], jj[best]] = True
        return int(ii[best]), int(jj[best])

    # hospital (north-east) and police station (south-west)
    for pname, kind, (ti, tj), frac in (("hospital", "hospital", (1, nb - 2), 0.7),
                                        ("police station", "police", (nb - 2, 1), 0.4)):
        i, j = free_block_near(ti, tj)
        r0, c0, h, w = int(starts[i]), int(starts[j]), int(sizes[i]), int(sizes[j])
        bh, bw = max(8, int(h * frac)), max(8, int(w * frac))
        br, bc = r0 + (h - bh) // 2, c0 + (w - bw) // 2
        doors = [(bh - 1, bw // 2 - 1), (bh - 1, bw // 2), (0, bw // 2 - 1), (0, bw // 2),
                 (bh // 2, 0), (bh // 2, bw - 1)]
        rr, cc = _building(g, br, bc, bh, bw, doors)
        places.append(PlaceSpec(pname, kind, 0, rr, cc))

    hs = _cells(house_m, cs, 6)
    gap, inset = _cells(2.0, cs, 2), _cells(1.0, cs, 1)
    apt_depth, apt_gap = _cells(12.0, cs, 6), _cells(15.0, cs, 3)
    kinds = rng.random((nb, nb))
    for i in range(nb):
        for j in range(nb):
            if taken[i, j]:
                continue
            bid = i * nb + j + 1
            r0, c0, h, w = int(starts[i]), int(starts[j]), int(sizes[i]), int(sizes[j])
            if kinds[i, j] < park_share:
                park = g[r0:r0 + h, c0:c0 + w]
                tr, tc = np.mgrid[3:h - 3:12, 3:w - 3:12]  # trees on a loose lattice
                jr = rng.integers(0, 5, tr.shape)
                jc = rng.integers(0, 5, tc.shape)
                park[np.minimum(tr + jr, h - 3), np.minimum(tc + jc, w - 3)] = Cell.OBSTACLE
                rr, cc = np.nonzero(park == Cell.GROUND)
                places.append(PlaceSpec(f"park {bid}", "park", 0, rr + r0, cc + c0))
            elif kinds[i, j] < park_share + apartment_share:
                count = max(1, (h - 2 * inset + apt_gap) // (apt_depth + apt_gap))
                aw = w - 2 * inset
                for m in range(count):
                    ar = r0 + inset + m * (apt_depth + apt_gap)
                    doors = [(apt_depth - 1, c) for c in range(10, aw - 5, 40)] or [
                        (apt_depth - 1, aw // 2)]
                    rr, cc = _building(g, ar, c0 + inset, apt_depth, aw, doors)
                    places.append(PlaceSpec(f"apartment {bid}-{m + 1}", "apartment", 0, rr, cc))
            else:
                nr = max(1, (h - 2 * inset + gap) // (hs + gap))
                nc = max(1, (w - 2 * inset + gap) // (hs + gap))
                number = 0
                for a in range(nr):
                    for b in range(nc):
                        number += 1
                        hr = r0 + inset + a * (hs + gap)
                        hc = c0 + inset + b * (hs + gap)
                        door = (hs - 1, hs // 2) if a >= nr / 2 else (0, hs // 2)
                        rr, cc = _building(g, hr, hc, hs, hs, [door])
                        places.append(PlaceSpec(f"house {bid}-{number}", "house", 0, rr, cc))

    # roads that leave town: street bands crossing the map edge become exit cells
    street_starts = starts[1:] - S
    if exits_per_side > len(street_starts):
        raise ScenarioError(f"exits_per_side={exits_per_side} but the town has only "
                            f"{len(street_starts)} streets per side")
    picks = np.unique(np.round(np.linspace(0, len(street_starts) - 1,
                                           exits_per_side + 2)[1:-1]).astype(int))
    if exits_per_side == 1:
        picks = np.array([len(street_starts) // 2])
    for side in _SIDES:
        for m, s in enumerate(street_starts[picks]):
            band = np.arange(s, s + S)
            edge = np.full(S, 0 if side in ("north", "west") else n - 1)
            rr, cc = (edge, band) if side in ("north", "south") else (band, edge)
            g[rr, cc] = Cell.EXIT
            label = f"road {side}" if len(picks) == 1 else f"road {side} {m + 1}"
            places.append(PlaceSpec(label, "exit", 0, rr, cc))
    return assemble(g, buildings, ground_places=places, cell_size=cs, name=name,
                    ground_name=f"{name} town")


def flagship_world() -> World:
    """Hyosan: the default 1 km town with the default four-storey school inside."""
    return town()
