"""The school generator: a long corridor school (Hyosan High) with a gym, a yard and a gate.

``school()`` returns a ``BuildingPlan`` whose ground floor is the whole site (fenced
schoolyard, main building, gym) and whose upper floors and rooftop stand over the main
building. Storeys are numbered the Korean way in names (1F is the ground floor); ``floor`` in
the plan counts from 0. Each storey has rooms along the north side of one long corridor,
stairwells reaching every storey and the rooftop, doors from every room onto the corridor.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from hyosan.errors import ScenarioError
from hyosan.world.cells import Cell
from hyosan.world.floorplan import BuildingPlan, PlaceSpec, assemble
from hyosan.world.world import World

#: special rooms per storey (1 = ground floor): (name, kind, slots wide)
DEFAULT_SPECIAL_ROOMS: dict[int, list[tuple[str, str, int]]] = {
    1: [("staff room", "staff_room", 2), ("nurse's office", "nurse_office", 1),
        ("broadcast room", "broadcast_room", 1)],
    4: [("library", "library", 2), ("science lab", "science_lab", 1),
        ("music room", "music_room", 1)],
}
_STAIR_NAMES = {2: ["west", "east"], 3: ["west", "centre", "east"]}


def _cells(metres: float, cell: float, least: int = 1) -> int:
    return max(least, int(round(metres / cell)))


@dataclass
class _Room:
    name: str
    kind: str
    c0: int  # first interior column (main-building frame)
    c1: int  # one past the last interior column


def _segments(L: int, n_stairs: int, sw: int) -> tuple[list[int], list[tuple[int, int]]]:
    """Stairwell start columns and the room segments [s0, s1) between them."""
    first, last = 1, L - 1 - sw
    starts = [int(round(first + (last - first) * i / (n_stairs - 1))) for i in range(n_stairs)]
    segs = []
    for a, b in zip(starts[:-1], starts[1:], strict=True):
        s0, s1 = a + sw + 1, b - 1  # a wall column on each side
        if s1 - s0 >= 3:
            segs.append((s0, s1))
    return starts, segs


def _layout_rooms(storey: int, segs: list[tuple[int, int]], slot: int,
                  specials: list[tuple[str, str, int]], grade: int | None) -> list[_Room]:
    """Fill each segment with slots; special rooms first (west to east), then classrooms."""
    counts = [max(1, (s1 - s0 + 1) // (slot + 1)) for s0, s1 in segs]
    free = [[True] * n for n in counts]
    placed: list[tuple[int, int, int, str, str]] = []  # seg, first slot, span, name, kind
    for name, kind, span in specials:
        for si, n in enumerate(counts):
            j = next((j for j in range(n - span + 1) if all(free[si][j:j + span])), None)
            if j is not None:
                free[si][j:j + span] = [False] * span
                placed.append((si, j, span, name, kind))
                break
        else:
            raise ScenarioError(f"storey {storey}: no room for {name!r} ({span} slots); make "
                                "the school longer or move the room to another storey")
    number = 0
    for si, n in enumerate(counts):
        for j in range(n):
            if free[si][j]:
                number += 1
                if grade is not None:
                    placed.append((si, j, 1, f"class {grade}-{number}", "classroom"))
                else:
                    placed.append((si, j, 1, f"study room {storey}-{number}", "study_room"))
    rooms: list[_Room] = []
    for si, (s0, s1) in enumerate(segs):
        mine = sorted(p for p in placed if p[0] == si)
        # split the segment's columns in proportion to the slots, one wall between rooms
        interior = (s1 - s0) - (len(mine) - 1)
        edges = np.round(np.cumsum([0] + [p[2] for p in mine]) * interior / counts[si]).astype(int)
        for i, (_, _, _, name, kind) in enumerate(mine):
            c0 = s0 + edges[i] + i
            rooms.append(_Room(name, kind, c0, s0 + edges[i + 1] + i))
    return rooms


def school(*, floors: int = 4, length_m: float = 100.0, cell_size: float = 0.5,
           classroom_width_m: float = 9.0, classroom_depth_m: float = 8.0,
           corridor_width_m: float = 3.0, stairwells: int = 3, stairwell_width_m: float = 5.0,
           special_rooms: dict[int, list[tuple[str, str, int]]] | None = None,
           grades: dict[int, int] | None = None, rooftop: bool = True, gym: bool = True,
           gym_size_m: tuple[float, float] = (20.0, 30.0), yard_depth_m: float = 40.0,
           margin_m: float = 3.0, gate_width_m: float = 6.0, name: str = "school"
           ) -> BuildingPlan:
    """A school site as a ``BuildingPlan``: main building, gym, fenced yard and main gate.

    ``special_rooms`` maps a storey (1 = ground) to rooms (name, kind, slots wide) placed
    before the classrooms; ``grades`` maps a storey to the grade of its classrooms
    (``class {grade}-{n}``; default: grade = storey for storeys 1–3, study rooms above).
    """
    if floors < 1:
        raise ScenarioError(f"a school needs at least one storey, got floors={floors}")
    if stairwells < 2 and floors > 1:
        raise ScenarioError(f"a school needs at least two stairwells, got {stairwells}")
    cs = cell_size
    L = _cells(length_m, cs)
    D = _cells(classroom_depth_m, cs, 3)
    C = _cells(corridor_width_m, cs, 2)
    sw = _cells(stairwell_width_m, cs, 3)
    slot = _cells(classroom_width_m, cs, 4)
    H = D + C + 3
    r_in, r_cor0, r_cor1, r_out = D + 1, D + 2, D + C + 2, D + C + 2  # key rows
    starts, segs = _segments(L, max(stairwells, 2), sw)
    if len(segs) == 0 or L < 2 * sw + 6:
        raise ScenarioError(f"a school {length_m} m long is too short for {stairwells} "
                            "stairwells and its rooms")
    specials = DEFAULT_SPECIAL_ROOMS if special_rooms is None else special_rooms
    grades = {1: 1, 2: 2, 3: 3} if grades is None else grades
    stair_names = _STAIR_NAMES.get(len(starts), [str(i + 1) for i in range(len(starts))])
    n_levels = floors + (1 if rooftop else 0)

    grids: list[np.ndarray] = []
    places: list[PlaceSpec] = []
    stair_rows = slice(2, 2 + max(2, D // 2))

    def rect(g: np.ndarray, r0: int, r1: int, c0: int, c1: int) -> tuple[np.ndarray, np.ndarray]:
        rr, cc = np.mgrid[r0:r1, c0:c1]
        return rr.ravel(), cc.ravel()

    for k in range(n_levels):
        storey = k + 1
        g = np.full((H, L), Cell.WALL, dtype=np.uint8)
        is_roof = rooftop and k == floors
        label = "rooftop" if is_roof else f"{storey}F"
        if is_roof:
            g[1:H - 1, 1:L - 1] = Cell.FLOOR
            roof = np.ones((H, L), dtype=bool)
            roof[[0, -1], :] = roof[:, [0, -1]] = False
            for i, a in enumerate(starts):
                # a small stair house on the roof: walls, the stairs, a door to the roof
                g[0:r_in + 1, a - 1:a + sw + 1] = Cell.WALL
                g[1:r_in, a:a + sw] = Cell.FLOOR
                g[stair_rows, a + 1:a + sw - 1] = Cell.STAIRS
                mid = a + sw // 2
                g[r_in, mid - 1:mid + 1] = Cell.DOOR
                roof[0:r_in + 1, a - 1:a + sw + 1] = False
                rr, cc = rect(g, 1, r_in, a, a + sw)
                places.append(PlaceSpec(f"stairwell {stair_names[i]} rooftop", "stairwell", k,
                                        rr, cc))
            rr, cc = np.nonzero(roof & (g == Cell.FLOOR))
            places.append(PlaceSpec("rooftop", "rooftop", k, rr, cc))
            grids.append(g)
            continue
        g[r_cor0:r_cor1, 1:L - 1] = Cell.FLOOR
        rr, cc = rect(g, r_cor0, r_cor1, 1, L - 1)
        places.append(PlaceSpec(f"corridor {label}", "corridor", k, rr, cc))
        for i, a in enumerate(starts):
            g[1:r_in + 1, a:a + sw] = Cell.FLOOR  # open onto the corridor
            if n_levels > 1:
                g[stair_rows, a + 1:a + sw - 1] = Cell.STAIRS
            rr, cc = rect(g, 1, r_in + 1, a, a + sw)
            places.append(PlaceSpec(f"stairwell {stair_names[i]} {label}", "stairwell", k,
                                    rr, cc))
        for room in _layout_rooms(storey, segs, slot, specials.get(storey, []),
                                  grades.get(storey)):
            g[1:r_in, room.c0:room.c1] = Cell.FLOOR
            g[0, room.c0 + 1:room.c1 - 1] = Cell.WINDOW  # windows on the outer (north) wall
            width = room.c1 - room.c0
            doors = [room.c0 + 1, room.c1 - 2] if width >= 8 else [room.c0 + width // 2]
            g[r_in, doors] = Cell.DOOR  # front and back doors onto the corridor
            rr, cc = rect(g, 1, r_in, room.c0, room.c1)
            places.append(PlaceSpec(room.name, room.kind, k, rr, cc))
        if k == 0:
            mid = L // 2
            g[r_out, mid - 2:mid + 2] = Cell.DOOR  # main entrance onto the yard
            for a in (starts[0], starts[-1]):
                g[r_out, a + sw // 2 - 1:a + sw // 2 + 1] = Cell.DOOR
            g[r_cor0 + C // 2 - 1:r_cor0 + C // 2 + 1, [0, L - 1]] = Cell.DOOR  # end doors
        else:
            cols = np.arange(2, L - 2)
            g[r_out, cols[(cols // 4) % 2 == 0]] = Cell.WINDOW
        grids.append(g)

    return _site(name, cs, grids, places, H, L, gym=gym, gym_size_m=gym_size_m,
                 yard_depth_m=yard_depth_m, margin_m=margin_m, gate_width_m=gate_width_m,
                 rooftop=rooftop, floors=floors)


def _site(name: str, cs: float, grids: list[np.ndarray], places: list[PlaceSpec], H: int,
          L: int, *, gym: bool, gym_size_m: tuple[float, float], yard_depth_m: float,
          margin_m: float, gate_width_m: float, rooftop: bool, floors: int) -> BuildingPlan:
    """Put the main building's ground floor on a fenced site with the gym, yard and gate."""
    mg = _cells(margin_m, cs, 2)
    gh, gw = (_cells(gym_size_m[0], cs, 10), _cells(gym_size_m[1], cs, 12)) if gym else (0, 0)
    yard = _cells(yard_depth_m, cs, 4)
    top, left = 1 + mg, 1 + mg
    rows = top + max(H, gh) + yard + 1
    cols = left + L + (mg + gw if gym else 0) + mg + 1
    site = np.full((rows, cols), Cell.GROUND, dtype=np.uint8)
    site[[0, -1], :] = Cell.OBSTACLE  # the fence (one can see through it)
    site[:, [0, -1]] = Cell.OBSTACLE
    site[top:top + H, left:left + L] = grids[0]
    site_places: list[PlaceSpec] = []
    for p in places:
        if p.floor == 0:
            site_places.append(PlaceSpec(p.name, p.kind, 0, p.rows + top, p.cols + left))
        else:
            site_places.append(p)
    if gym:
        g0 = left + L + mg
        g = np.full((gh, gw), Cell.WALL, dtype=np.uint8)
        g[1:-1, 1:-1] = Cell.FLOOR
        eq_h, eq_w = max(3, gh // 4), max(4, gw // 4)  # equipment room in the north-east corner
        g[1:eq_h + 1, gw - eq_w - 2] = Cell.WALL
        g[eq_h + 1, gw - eq_w - 2:gw - 1] = Cell.WALL
        g[eq_h + 1, gw - eq_w // 2 - 2] = Cell.DOOR
        g[gh - 1, gw // 2 - 2:gw // 2 + 2] = Cell.DOOR  # onto the yard
        g[gh // 2 - 1:gh // 2 + 1, 0] = Cell.DOOR  # towards the main building
        site[top:top + gh, g0:g0 + gw] = g
        er, ec = np.mgrid[1:eq_h + 1, gw - eq_w - 1:gw - 1]
        inner = np.zeros((gh, gw), dtype=bool)
        inner[1:-1, 1:-1] = True
        inner[er, ec] = False
        inner &= g == Cell.FLOOR
        ir, ic = np.nonzero(inner)
        site_places.append(PlaceSpec("gym", "gym", 0, ir + top, ic + g0))
        site_places.append(PlaceSpec("equipment room", "equipment_room", 0,
                                     er.ravel() + top, ec.ravel() + g0))
    gate_w = _cells(gate_width_m, cs, 2)
    gc = left + L // 2 - gate_w // 2
    site[rows - 1, gc:gc + gate_w] = Cell.GROUND
    site_places.append(PlaceSpec("main gate", "gate", 0, np.full(gate_w, rows - 1),
                                 np.arange(gc, gc + gate_w)))
    yard_mask = site == Cell.GROUND
    yard_mask[rows - 1, :] = False
    yr, yc = np.nonzero(yard_mask)
    site_places.append(PlaceSpec("schoolyard", "schoolyard", 0, yr, yc))
    names = [f"{name} {k + 1}F" for k in range(floors)] + (
        [f"{name} rooftop"] if rooftop else [])
    return BuildingPlan(name=name, floors=[site] + grids[1:],
                        origins=[(0, 0)] + [(top, left)] * (len(grids) - 1),
                        places=site_places, cell_size=cs, floor_names=names,
                        source=f"<generated {name}>")


def school_world(*, street_m: float = 6.0, **kwargs: object) -> World:
    """The school alone on its site, with a street past the main gate and exits at both ends.

    Small enough for tests and school-only scenarios; keywords go to ``school()``.
    """
    plan = school(**kwargs)  # type: ignore[arg-type]
    cs = plan.cell_size
    sh, sw = plan.shape
    st = _cells(street_m, cs, 2)
    ground = np.full((sh + st, sw), Cell.GROUND, dtype=np.uint8)
    ground[sh:, [0, -1]] = Cell.EXIT
    rows = np.arange(sh, sh + st)
    exits = [PlaceSpec("road west", "exit", 0, rows, np.zeros(st, dtype=np.int64)),
             PlaceSpec("road east", "exit", 0, rows, np.full(st, sw - 1))]
    return assemble(ground, [(plan, (0, 0))], ground_places=exits, cell_size=cs,
                    name=plan.name, ground_name="ground")
