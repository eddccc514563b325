"""The city generator: Hyosan as the series has it, several km² for 170,000 residents.

The town generator (``world.town``) draws every house at 0.5 m; a city of several km² at that
resolution has tens of millions of cells, and one navigation field per destination would not
fit in memory. The city is drawn coarser instead (default 1.5 m cells: one person's space, a
door one cell wide) and *flattened*: each city block holds one building, an apartment complex,
a terrace of houses, an office block, a shop block, whose single floor has as many cells as the
block's storeys hold people. So a block is one place, one destination of the day/night
schedule and one navigation field (``rules.schedule``), and the whole city fits in a few GB
(measured in BENCHMARKS.md, "City").

Layout, from the centre out: the school (the flagship's, with its upper floors) on the central
blocks, downtown offices and shops round it, the hospital to the north-east and the police
station to the south-west, then rings of dense apartment complexes and of houses, parks among
them. A ring road runs inside the **military cordon**, a fence of obstacles round the whole
city broken only by the **roads out** (exits at the map edge, ``roads_per_side`` per side);
beside each road out, inside the fence, lies a **checkpoint** square (all of them one place,
``checkpoints``) where the quarantine lets people out at a rate (``rules.respond.checkpoint``).
The place ``quarantine zone`` covers everything inside the cordon but the checkpoints: what
the military strike hits.

Block types are drawn with a seeded generator; capacities follow the residents asked for, and
the generator refuses a city too small to house them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from hyosan.errors import ScenarioError
from hyosan.world.cells import Cell
from hyosan.world.floorplan import BuildingPlan, PlaceSpec, assemble
from hyosan.world.town import _building, _cells, _split
from hyosan.world.world import World

_SIDES = ("north", "south", "west", "east")
#: kinds of the places people live in / spend their day in
HOME_KINDS = ("apartment", "house")
WORK_KINDS = ("office", "shop", "hospital", "police_station")


@dataclass(frozen=True)
class CityShares:
    """Shares of residents by what they do by day, used to size the city's blocks."""

    workers: float = 0.55  # to an office, a shop, the hospital or the police station
    #: share of a home's cells its people fill at the start: they are spread at random, and
    #: people standing still are obstacles to those walking out; above ~0.59 of cells taken
    #: no free path crosses a room (site percolation on the 8-neighbour lattice)
    home_fill: float = 0.3
    #: share of a workplace's cells filled by day (people settle on seats from the middle out)
    fill: float = 0.45


def _doors_round(h: int, w: int, every: int) -> list[tuple[int, int]]:
    """Door cells on all four walls of an h × w building, one every ``every`` cells."""
    out = []
    for c in range(every // 2, w - 1, every):
        out += [(0, c), (h - 1, c)]
    for r in range(every // 2, h - 1, every):
        out += [(r, 0), (r, w - 1)]
    return [(r, c) for r, c in out if 0 < r < h - 1 or 0 < c < w - 1]


def _interior(g: np.ndarray, r0: int, c0: int, h: int, w: int) -> tuple[np.ndarray, np.ndarray]:
    sub = g[r0 + 1:r0 + h - 1, c0 + 1:c0 + w - 1]
    rr, cc = np.nonzero(sub == Cell.FLOOR)
    return rr + r0 + 1, cc + c0 + 1


def city(*, people: int = 170_000, size_m: float = 2600.0, block_m: float = 150.0,
         street_m: float = 12.0, cell_size: float = 1.5, roads_per_side: int = 2,
         fence_m: float = 6.0, park_share: float = 0.08, house_share: float = 0.3,
         seed: int = 0, school: BuildingPlan | None = None, shares: CityShares = CityShares(),
         name: str = "hyosan") -> World:
    """The city as a ``World`` sized for ``people`` residents (see the module's docstring).

    Places: ``apartment i-j``, ``houses i-j``, ``office i-j``, ``shop i-j``, ``park i-j`` (block
    row i, column j), ``hospital``, ``police station``, the school's rooms, ``checkpoints``,
    ``quarantine zone`` and ``road north 1`` … (exits). ``world.meta["city"]`` records each
    block's type and district ring, and the cordon, for tests and reports.
    """
    cs = cell_size
    n = _cells(size_m, cs, 80)
    F, S = _cells(fence_m, cs, 2), _cells(street_m, cs, 2)
    B = _cells(block_m, cs, 20)
    inner = n - 2 * (F + S)
    starts, sizes = _split(inner, B, S)
    starts = starts + F + S
    nb = len(starts)
    g = np.full((n, n), Cell.GROUND, dtype=np.uint8)
    # the cordon: a fence round the city (roads out cut through it below)
    g[:F, :] = g[-F:, :] = g[:, :F] = g[:, -F:] = Cell.OBSTACLE
    rng = np.random.default_rng(seed)
    kind = np.full((nb, nb), "", dtype=object)
    buildings: list[tuple[BuildingPlan, tuple[int, int]]] = []

    def span(i0: int, count: int) -> tuple[int, int]:
        return int(starts[i0]), int(starts[i0 + count - 1] + sizes[i0 + count - 1])

    if school is not None:
        sh, sw = school.shape
        by = next((m for m in range(1, nb + 1) if span(0, m)[1] - span(0, m)[0] >= sh), None)
        bx = next((m for m in range(1, nb + 1) if span(0, m)[1] - span(0, m)[0] >= sw), None)
        if by is None or bx is None or by > nb - 2 or bx > nb - 2:
            raise ScenarioError(f"the city ({size_m:g} m) is too small for the school")
        i0, j0 = (nb - by) // 2, (nb - bx) // 2
        (r0, r1), (c0, c1) = span(i0, by), span(j0, bx)
        kind[i0:i0 + by, j0:j0 + bx] = "school"
        buildings.append((school, (r1 - sh, c0 + (c1 - c0 - sw) // 2)))

    # roads out: street bands between blocks that cross the fence to the map edge
    street_starts = (starts[1:] - S).astype(int)
    if roads_per_side < 1 or roads_per_side > len(street_starts):
        raise ScenarioError(f"roads_per_side={roads_per_side}: the city has "
                            f"{len(street_starts)} streets per side")
    picks = np.unique(np.round(np.linspace(0, len(street_starts) - 1,
                                           roads_per_side + 2)[1:-1]).astype(int))
    exits: list[PlaceSpec] = []
    check_blocks: list[tuple[int, int]] = []
    for side in _SIDES:
        for m, k in enumerate(picks):
            s = street_starts[k]
            band = np.arange(s, s + S)
            if side in ("north", "south"):
                rows = slice(0, F + S) if side == "north" else slice(n - F - S, n)
                g[rows, s:s + S] = Cell.GROUND
                edge = np.full(S, 0 if side == "north" else n - 1)
                rr, cc = edge, band
                bi = 0 if side == "north" else nb - 1
                check_blocks.append((bi, int(k) + 1))  # the block east of the road
            else:
                cols = slice(0, F + S) if side == "west" else slice(n - F - S, n)
                g[s:s + S, cols] = Cell.GROUND
                edge = np.full(S, 0 if side == "west" else n - 1)
                rr, cc = band, edge
                bj = 0 if side == "west" else nb - 1
                check_blocks.append((int(k) + 1, bj))  # the block south of the road
            g[rr, cc] = Cell.EXIT
            exits.append(PlaceSpec(f"road {side} {m + 1}", "exit", 0, rr, cc))
    for bi, bj in check_blocks:
        if kind[bi, bj] == "":
            kind[bi, bj] = "checkpoint"

    # hospital (north-east) and police station (south-west), nearest free blocks to their spots
    def free_near(ti: float, tj: float) -> tuple[int, int]:
        ii, jj = np.nonzero(kind == "")
        if len(ii) == 0:
            raise ScenarioError(f"the city ({size_m:g} m) has no block left for its services")
        best = int(np.argmin((ii - ti) ** 2 + (jj - tj) ** 2))
        return int(ii[best]), int(jj[best])

    mid = (nb - 1) / 2
    kind[free_near(mid - nb / 4, mid + nb / 4)] = "hospital"
    kind[free_near(mid + nb / 4, mid - nb / 4)] = "police_station"

    # the remaining blocks, from the centre out: offices and shops downtown, then homes
    ii, jj = np.nonzero(kind == "")
    dist = np.hypot(ii - mid, jj - mid) + rng.random(len(ii)) * 0.8
    order = np.argsort(dist, kind="stable")
    inset = _cells(6.0, cs, 2)

    def capacity(h: int, w: int, frac: float) -> int:
        bh, bw = max(8, int(h * frac)), max(8, int(w * frac))
        return int((bh - 2) * (bw - 2))

    block_cap = capacity(int(np.median(sizes)) - 2 * inset, int(np.median(sizes)) - 2 * inset,
                         1.0)
    need_work = 1.05 * shares.workers * people / shares.fill  # 5 %: blocks differ in size
    need_home = 1.05 * people / shares.home_fill
    have_work = have_home = 0.0
    shops = homes = 0
    for k, idx in enumerate(order):
        i, j = int(ii[idx]), int(jj[idx])
        if have_work < need_work:
            t = "shop" if k % 5 == 4 else "office"
            shops += t == "shop"
            have_work += block_cap
        elif shops < 2:
            t = "shop"
            shops += 1
        elif have_home < need_home or homes < 2:
            if homes == 1:  # every city has houses and apartments, however small
                t = "house"
                have_home += capacity(int(sizes[i]) - 2 * inset, int(sizes[j]) - 2 * inset, 0.45)
            elif homes > 1 and rng.random() < park_share:
                t = "park"
            elif have_home < (1 - house_share) * need_home:
                t = "apartment"
                have_home += block_cap
            else:
                t = "house"
                have_home += capacity(int(sizes[i]) - 2 * inset, int(sizes[j]) - 2 * inset, 0.45)
        else:
            t = "park"
        kind[i, j] = t
        homes += t in HOME_KINDS
    if have_home < need_home or have_work < need_work:
        raise ScenarioError(
            f"the city ({size_m:g} m, {nb}×{nb} blocks) is too small to house and employ "
            f"{people:,} residents; make world.city.size larger")

    places: list[PlaceSpec] = []
    check_rr: list[np.ndarray] = []
    check_cc: list[np.ndarray] = []
    door_every = _cells(18.0, cs, 6)
    for i in range(nb):
        for j in range(nb):
            t = kind[i, j]
            r0, c0, h, w = int(starts[i]), int(starts[j]), int(sizes[i]), int(sizes[j])
            label = f"{i + 1}-{j + 1}"
            if t in ("school", ""):
                continue
            if t == "checkpoint":
                rr, cc = np.mgrid[r0:r0 + h, c0:c0 + w]
                check_rr.append(rr.ravel())
                check_cc.append(cc.ravel())
                continue
            if t == "park":
                park = g[r0:r0 + h, c0:c0 + w]
                step = _cells(15.0, cs, 6)
                tr, tc = np.mgrid[2:h - 2:step, 2:w - 2:step]
                park[tr, tc] = Cell.OBSTACLE  # trees
                rr, cc = np.nonzero(park == Cell.GROUND)
                places.append(PlaceSpec(f"park {label}", "park", 0, rr + r0, cc + c0))
                continue
            frac = {"house": 0.45, "hospital": 0.75, "police_station": 0.5}.get(t, 1.0)
            ah, aw = h - 2 * inset, w - 2 * inset
            bh, bw = max(8, int(ah * frac)), max(8, int(aw * frac))
            br, bc = r0 + inset + (ah - bh) // 2, c0 + inset + (aw - bw) // 2
            _building(g, br, bc, bh, bw, _doors_round(bh, bw, door_every), windows=False)
            rr, cc = _interior(g, br, bc, bh, bw)
            pname = {"hospital": "hospital", "police_station": "police station",
                     "house": f"houses {label}"}.get(t, f"{t} {label}")
            places.append(PlaceSpec(pname, t, 0, rr, cc))
    if not check_rr:
        raise ScenarioError("the city has no checkpoint square (no road out)")
    places.append(PlaceSpec("checkpoints", "checkpoint", 0, np.concatenate(check_rr),
                            np.concatenate(check_cc)))
    places += exits
    world = assemble(g, buildings, ground_places=places, cell_size=cs, name=name,
                     ground_name=f"{name} city")
    _add_zone(world, F)
    world.meta["city"] = {
        "blocks": [[str(kind[i, j]) for j in range(nb)] for i in range(nb)],
        "block_starts": starts.tolist(), "block_sizes": sizes.tolist(),
        "fence_cells": F, "street_cells": S, "people": int(people),
        "ring": [[float(math.hypot(i - mid, j - mid) / max(mid, 1)) for j in range(nb)]
                 for i in range(nb)],
    }
    return world


def _add_zone(world: World, fence: int) -> None:
    """The place ``quarantine zone``: every cell inside the fence (all levels) but the
    checkpoints. It comes first in ``world.places``, so any other place naming a cell wins it
    in ``place_of`` (streets and yards belong to the zone, a flat to its complex)."""
    from hyosan.world.world import Place

    lv = world.levels[0]
    grid = np.zeros((lv.height, lv.width), dtype=np.bool_)
    grid[fence:-fence, fence:-fence] = True
    inside = np.flatnonzero(grid.ravel())
    upper = np.arange(lv.size, world.n_cells, dtype=np.int64)
    cells = np.concatenate([inside, upper])
    cells = np.setdiff1d(cells, world.places["checkpoints"].cells)
    zone = Place("quarantine zone", "zone", 0, cells)
    world.places = {"quarantine zone": zone, **world.places}
    world.index_places()
