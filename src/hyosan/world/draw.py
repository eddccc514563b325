"""A picture of a world: every level in its own panel, special places labelled, a legend.

Used by ``hyosan world SCENARIO --png PATH`` to check a map by eye before running on it. Big
square levels (the town, a yard) sit side by side on top, with a panel zoomed on the school's
ground floor; long thin storeys (a corridor school) follow as full-width strips.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from hyosan.world.cells import Cell
from hyosan.world.world import World

#: RGB per cell kind (index = ``Cell`` code)
COLORS = np.array([
    (60, 60, 66),     # wall
    (242, 238, 228),  # floor
    (181, 101, 29),   # door
    (122, 92, 200),   # stairs
    (220, 30, 40),    # exit
    (150, 200, 230),  # window
    (214, 218, 200),  # ground
    (90, 140, 70),    # obstacle (trees, fences)
    (255, 255, 255),  # void
], dtype=np.uint8)
_LEGEND_NAMES = ["wall", "floor", "door", "stairs", "exit", "window", "ground / street",
                 "obstacle / tree / fence", "void"]
#: places not labelled on a whole-town panel (too many, or obvious from the drawing)
_QUIET_KINDS = {"house", "apartment", "street", "corridor", "schoolyard", "park"}
_BIG_LEVEL = 400  # a level wider or taller than this (cells) is a town: label only specials


def _site_box(world: World) -> tuple[int, int, int, int] | None:
    """(r0, r1, c0, c1) on level 0 around the first multi-storey building's ground places."""
    upper = [lv for lv in world.levels[1:] if lv.building]
    if not upper:
        return None
    bname = upper[0].building
    cells = [p.cells for p in world.places.values() if p.level == 0 and p.building == bname]
    if cells:
        _, r, c = world.rowcol(np.concatenate(cells))
        r0, r1, c0, c1 = int(r.min()), int(r.max()) + 1, int(c.min()), int(c.max()) + 1
    else:
        lv = upper[0]
        r0, c0 = lv.origin
        r1, c1 = r0 + lv.height, c0 + lv.width
    pad = max(4, (r1 - r0) // 10)
    g = world.levels[0]
    return max(0, r0 - pad), min(g.height, r1 + pad), max(0, c0 - pad), min(g.width, c1 + pad)


def _panels(world: World, levels: list[int], town_crop: bool) -> list[tuple[str, int, tuple]]:
    """(title, level, (r0, r1, c0, c1)) of each panel, in drawing order."""
    panels = []
    for i in levels:
        lv = world.levels[i]
        panels.append((lv.name, i, (0, lv.height, 0, lv.width)))
        if i == 0 and town_crop and max(lv.height, lv.width) > _BIG_LEVEL:
            box = _site_box(world)
            if box is not None:
                bname = next(x.building for x in world.levels[1:] if x.building)
                panels.append((f"{bname} ground floor (zoom)", 0, box))
    return panels


def draw_world(world: World, path: str | Path, *, levels: list[int] | None = None,
               town_crop: bool = True, dpi: int = 110) -> list[str]:
    """Write a PNG of the world's levels to ``path``; return the panel titles in order."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.gridspec import GridSpec
    from matplotlib.patches import Patch

    levels = list(range(world.n_levels)) if levels is None else list(levels)
    panels = _panels(world, levels, town_crop)
    aspect = [(b[1] - b[0]) / max(1, b[3] - b[2]) for _, _, b in panels]
    big = [k for k, a in enumerate(aspect) if a >= 0.3]
    strips = [k for k, a in enumerate(aspect) if a < 0.3]
    width = 16.0
    ncols = max(1, len(big))
    heights = ([min(9.0, width / ncols * max(aspect[k] for k in big))] if big else []) + [
        max(1.2, width * aspect[k]) + 0.4 for k in strips]
    fig = plt.figure(figsize=(width, sum(heights) + 1.0))
    gs = GridSpec(len(heights), ncols, figure=fig, height_ratios=heights)
    axes = {}
    for col, k in enumerate(big):
        axes[k] = fig.add_subplot(gs[0, col])
    for row, k in enumerate(strips):
        axes[k] = fig.add_subplot(gs[row + (1 if big else 0), :])

    for k, (title, i, (r0, r1, c0, c1)) in enumerate(panels):
        ax = axes[k]
        grid = world.grid(i)[r0:r1, c0:c1]
        ax.imshow(COLORS[grid], interpolation="antialiased" if grid.size > 1e6 else "nearest",
                  extent=(c0 - 0.5, c1 - 0.5, r1 - 0.5, r0 - 0.5))
        ax.set_title(title, fontsize=10)
        ax.set_xticks([])
        ax.set_yticks([])
        _annotate(ax, world, i, (r0, r1, c0, c1))

    present = np.unique(world.kind)
    handles = [Patch(facecolor=COLORS[c] / 255, edgecolor="0.3", label=_LEGEND_NAMES[c])
               for c in present]
    fig.legend(handles=handles, loc="lower center", ncol=len(handles), fontsize=9,
               frameon=False)
    fig.suptitle(f"{world.name}: {world.n_levels} level(s), {len(world.places)} places, "
                 f"cell {world.cell_size} m", fontsize=12)
    fig.tight_layout(rect=(0, 0.04, 1, 0.97))
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=dpi)
    plt.close(fig)
    return [p[0] for p in panels]


def _annotate(ax, world: World, level: int, box: tuple[int, int, int, int]) -> None:
    """Label places inside the view; mark exits and stairs so they show at any zoom."""
    r0, r1, c0, c1 = box
    town_view = max(r1 - r0, c1 - c0) > _BIG_LEVEL
    span = max(r1 - r0, c1 - c0)
    for place in world.places.values():
        if place.level != level or (town_view and place.kind in _QUIET_KINDS):
            continue
        if town_view and place.building is not None and place.kind != "gate":
            continue  # the school's rooms show in the zoomed panel
        if not town_view and place.kind in ("house", "apartment"):
            continue
        r, c = place.centroid(world)
        if not (r0 <= r < r1 and c0 <= c < c1):
            continue
        if place.kind == "exit":
            ax.plot(c, r, marker="v", color="red", markersize=9, markeredgecolor="black")
            top = r < r0 + 0.1 * (r1 - r0)  # keep labels of northern exits off the title
            ax.annotate(place.name, (c, r), fontsize=7, color="darkred", ha="center",
                        va="top" if top else "bottom", xytext=(0, -8 if top else 6),
                        textcoords="offset points")
            continue
        if place.kind == "stairwell":
            short = place.name.split()[1] if len(place.name.split()) > 1 else place.name
            ax.annotate(f"stairs {short}", (c, r), fontsize=6, color="indigo",
                        ha="center", va="center")
            continue
        size = 8 if town_view else (7 if span < 300 else 6)
        ax.annotate(place.name, (c, r), fontsize=size, ha="center", va="center",
                    bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none",
                          "alpha": 0.7})
    # exits that belong to no place still get a marker
    grid = world.grid(level)[r0:r1, c0:c1]
    er, ec = np.nonzero(grid == Cell.EXIT)
    if len(er) and not any(p.kind == "exit" and p.level == level
                           for p in world.places.values()):
        step = max(1, len(er) // 20)
        ax.plot(ec[::step] + c0, er[::step] + r0, "v", color="red", markersize=5)
