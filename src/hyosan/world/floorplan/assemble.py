"""Assembly: building plans stamped onto a ground level, upper floors as levels, stairs linked."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from hyosan.errors import FloorPlanError
from hyosan.world.cells import Cell
from hyosan.world.floorplan.parse import load_building, parse_building
from hyosan.world.floorplan.plan import BuildingPlan, PlaceSpec, check_stairs, partner_mask
from hyosan.world.floorplan.reach import warn_unreachable
from hyosan.world.world import Level, Place, World


def assemble(ground: np.ndarray, buildings: list[tuple[BuildingPlan, tuple[int, int]]], *,
             ground_places: list[PlaceSpec] = (), cell_size: float | None = None,
             name: str = "world", ground_name: str = "ground") -> World:
    """Stamp building plans onto a ground grid (level 0) and add their upper floors as levels.

    ``ground`` is a 2-D grid of ``Cell`` codes; each building's ground floor replaces the
    ground under it (its void cells leave the ground as it is); floor k of a building becomes
    a level placed at ``position + origins[k]``. Stairs link floor k to k+1 at the same spot.
    """
    ground = np.array(ground, dtype=np.uint8)
    cs = cell_size if cell_size is not None else (buildings[0][0].cell_size if buildings
                                                   else 0.5)
    gh, gw = ground.shape
    levels = [Level(0, ground_name, gh, gw, 0)]
    grids = [ground]
    ground_clear = np.full(ground.shape, cs, dtype=np.float32)
    clears = [ground_clear]
    owner: list[tuple[int, int]] = []  # per building: level index of floor 1
    offset = gh * gw
    for plan, (pr, pc) in buildings:
        if abs(plan.cell_size - cs) > 1e-9:
            raise FloorPlanError(f"building {plan.name!r} has cells of {plan.cell_size} m but "
                                 f"the ground has {cs} m", where=plan.source)
        h, w = plan.shape
        if pr < 0 or pc < 0 or pr + h > gh or pc + w > gw:
            raise FloorPlanError(f"building {plan.name!r} ({h} rows × {w} columns at [{pr}, "
                                 f"{pc}]) lies outside the ground ({gh} rows × {gw} columns)",
                                 where=plan.source)
        patch = ground[pr:pr + h, pc:pc + w]
        solid = plan.floors[0] != Cell.VOID
        patch[solid] = plan.floors[0][solid]
        ground_clear[pr:pr + h, pc:pc + w][solid] = plan.floor_widths(0)[solid]
        owner.append((len(levels), pr, pc))
        for k in range(1, plan.n_floors):
            fh, fw = plan.floors[k].shape
            orr, occ = plan.origins[k]
            levels.append(Level(len(levels), plan.level_name(k), fh, fw, offset,
                                origin=(pr + orr, pc + occ), building=plan.name, floor=k))
            grids.append(plan.floors[k])
            clears.append(plan.floor_widths(k))
            offset += fh * fw
    kind = np.concatenate([g.ravel() for g in grids])
    clear = np.concatenate([g.ravel() for g in clears]).astype(np.float32)
    up = np.full(offset, -1, dtype=np.int64)
    down = np.full(offset, -1, dtype=np.int64)

    def level_of(b: int, k: int) -> int:
        return 0 if k == 0 else owner[b][0] + k - 1

    places: dict[str, Place] = {}

    def add_place(spec: PlaceSpec, lvl: int, dr: int, dc: int, building: str | None) -> None:
        if spec.name in places:
            raise FloorPlanError(f"place name {spec.name!r} is used twice in the world",
                                 where=building or ground_name)
        lv = levels[lvl]
        cells = lv.offset + (spec.rows + dr) * lv.width + (spec.cols + dc)
        places[spec.name] = Place(spec.name, spec.kind, lvl, cells.astype(np.int64),
                                  building=building, floor=spec.floor)

    for spec in ground_places:
        add_place(spec, 0, 0, 0, None)
    for b, (plan, (pr, pc)) in enumerate(buildings):
        check_stairs(plan)
        for spec in plan.places:
            lvl = level_of(b, spec.floor)
            dr, dc = (pr, pc) if spec.floor == 0 else (0, 0)
            add_place(spec, lvl, dr, dc, plan.name)
        for k in range(plan.n_floors - 1):
            rows, cols = np.nonzero(plan.floors[k] == Cell.STAIRS)
            ok = partner_mask(plan, k, k + 1, rows, cols)
            rows, cols = rows[ok], cols[ok]
            lo, hi = levels[level_of(b, k)], levels[level_of(b, k + 1)]
            (rk, ck), (rj, cj) = plan.origins[k], plan.origins[k + 1]
            sr, sc = (rows + pr, cols + pc) if k == 0 else (rows, cols)
            a = lo.offset + sr * lo.width + sc
            z = hi.offset + (rows + rk - rj) * hi.width + (cols + ck - cj)
            up[a] = z
            down[z] = a
    stair_length = buildings[0][0].stair_length if buildings else 6.0
    return World(cell_size=cs, levels=levels, kind=kind, up=up, down=down,
                 stair_length=stair_length, places=places, name=name, clear=clear)


def plan_world(plan: BuildingPlan, *, warn: bool = True) -> World:
    """A building standing alone: level 0 is its ground floor, upper floors are levels."""
    world = assemble(plan.floors[0], [(plan, (0, 0))], cell_size=plan.cell_size,
                     name=plan.name, ground_name=plan.level_name(0))
    if warn:
        warn_unreachable(world, plan)
    return world


def parse_floorplan(text: str, *, source: str = "<string>") -> World:
    """Parse a floor-plan document into a standalone ``World`` (see ``docs/floorplans.md``)."""
    return plan_world(parse_building(text, source=source))


def load_floorplan(path: str | Path) -> World:
    """Read and parse a floor-plan file into a standalone ``World``."""
    return plan_world(load_building(path))
