"""The "all side by side" view in Chromium, on a run whose town is a hundred times the
building's footprint (as in the flagship): the building's storeys get the space, the town is a
small inset with the building outlined, the storeys are named as the report names them."""

from __future__ import annotations

import numpy as np
import pytest
from viewer_synth import BIG_TOWN_RUN, ONJO, make_run

from browser_util import artifact_path, launch_browser
from hyosan.record.reader import RunDir
from hyosan.states import State
from hyosan.viewer.server import ViewerServer

pytestmark = pytest.mark.browser
VIEWPORT = {"width": 1280, "height": 800}
BACKGROUND = (0x0D, 0x0E, 0x11)  # the map's empty background
WALL, GROUND = (0x34, 0x37, 0x3F), (0xAA, 0xB8, 0x8F)  # cell-kind legend


@pytest.fixture(scope="module")
def big_town(tmp_path_factory):
    return make_run(tmp_path_factory.mktemp("viewer-town") / "run", **BIG_TOWN_RUN)


@pytest.fixture(scope="module")
def page(big_town):
    srv = ViewerServer(big_town)
    srv.start_background()
    with launch_browser() as browser:
        pg = browser.new_page(viewport=VIEWPORT)
        pg.errors = []
        pg.on("console", lambda m: pg.errors.append(m.text) if m.type == "error" else None)
        pg.on("pageerror", lambda e: pg.errors.append(str(e)))
        pg.goto(srv.url)
        pg.evaluate("window.hyosanViewer.ready")
        pg.evaluate("window.hyosanViewer.setGrade(false)")
        yield pg
        pg.close()
    srv.shutdown()
    srv.server_close()


def pixel(pg, x: float, y: float) -> tuple[int, int, int]:
    return tuple(pg.evaluate("([x, y]) => Array.from(document.getElementById('map')"
                             ".getContext('2d').getImageData(x, y, 1, 1).data.slice(0, 3))",
                             [float(x), float(y)]))


def drawn_pixels(pg, rects: list[dict]) -> tuple[list[int], int]:
    """Non-background pixels of the map canvas inside each rect, and on the whole canvas
    (counted from the canvas's pixels, not from the page's layout)."""
    return pg.evaluate(
        """([rects, bg]) => {
          const cv = document.getElementById('map');
          const d = cv.getContext('2d').getImageData(0, 0, cv.width, cv.height).data;
          const sx = cv.width / cv.clientWidth, sy = cv.height / cv.clientHeight;
          const inR = rects.map(() => 0); let total = 0;
          for (let y = 0; y < cv.height; y++) for (let x = 0; x < cv.width; x++) {
            const o = 4 * (y * cv.width + x);
            if (d[o] === bg[0] && d[o + 1] === bg[1] && d[o + 2] === bg[2]) continue;
            total++;
            rects.forEach((r, k) => {
              if (x >= r.x * sx && x < (r.x + r.w) * sx && y >= r.y * sy && y < (r.y + r.h) * sy)
                inR[k]++;
            });
          }
          return [inR, total];
        }""", [rects, list(BACKGROUND)])


def test_all_view_gives_the_building_the_space(page, big_town):
    run = RunDir(big_town)
    levels = run.world["levels"]
    ground, upper = levels[0], levels[1]
    town_cells = ground["height"] * ground["width"]
    assert town_cells >= 100 * upper["height"] * upper["width"]  # the flagship's proportions
    st = page.evaluate("window.hyosanViewer.seek(3)")
    assert st["mode"] == "all"
    panels = st["view"]["panels"]
    main = [p for p in panels if not p["inset"]]
    inset = [p for p in panels if p["inset"]]
    # top storey first, 1F is the ground level cropped to the building's footprint
    assert [p["label"] for p in main] == ["school 2F", "school 1F"]
    r0, c0 = upper["origin"]
    assert (main[1]["level"], main[1]["r0"], main[1]["c0"], main[1]["rows"], main[1]["cols"]) \
        == (0, r0, c0, upper["height"], upper["width"])
    assert len(inset) == 1 and inset[0]["level"] == 0
    assert (inset[0]["rows"], inset[0]["cols"]) == (ground["height"], ground["width"])

    canvas = st["view"]["width"] * st["view"]["height"]
    area = [p["w"] * p["h"] for p in panels]
    building = sum(a for a, p in zip(area, panels, strict=True) if not p["inset"])
    # the storeys take most of what is drawn and a good part of the canvas; the town, a
    # hundred times their area, is shrunk to at most about a third of their extent
    assert building >= 0.6 * sum(area), area
    assert building >= 0.3 * canvas, (building, canvas)
    assert inset[0]["w"] <= 0.4 * max(p["w"] for p in main) or \
        inset[0]["h"] <= 0.4 * sum(p["h"] for p in main)
    # the same, counted on the canvas's own pixels: most drawn pixels are the building's
    inside, total = drawn_pixels(page, panels)
    in_building = sum(n for n, p in zip(inside, panels, strict=True) if not p["inset"])
    assert in_building >= 0.6 * total, (inside, total)
    # no panel overlaps another (the labels sit in the gaps)
    for i, a in enumerate(panels):
        for b in panels[i + 1:]:
            assert (a["x"] + a["w"] <= b["x"] or b["x"] + b["w"] <= a["x"]
                    or a["y"] + a["h"] <= b["y"] or b["y"] + b["h"] <= a["y"]), (a, b)

    # 1F shows the ground level's cells: its north wall, one cell in from the corner
    p1 = main[1]
    s = p1["w"] / p1["cols"]
    assert pixel(page, p1["x"] + 5.5 * s, p1["y"] + 0.5 * s) == WALL
    # the inset shows the town: open ground in its south-east corner
    q = inset[0]
    assert pixel(page, q["x"] + 0.9 * q["w"], q["y"] + 0.9 * q["h"]) == GROUND
    page.screenshot(path=str(artifact_path("viewer-all.png")))
    assert page.errors == []


def test_follow_and_pick_in_the_all_view(page, big_town):
    run = RunDir(big_town)
    f = 1  # On-jo walks on the ground inside the building: shown in the large 1F panel
    fr = run.frame(f)
    assert fr["level"][ONJO] == 0
    page.evaluate("window.hyosanViewer.follow('On-jo')")
    st = page.evaluate("f => window.hyosanViewer.seek(f)", f)
    assert st["mode"] == "all" and st["followed"]["inView"]
    assert (st["followed"]["row"], st["followed"]["col"]) == (fr["row"][ONJO], fr["col"][ONJO])
    box = page.locator("#map").bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    assert "On-jo" in page.inner_text("#agent-info")
    page.evaluate("window.hyosanViewer.follow(-1); window.hyosanViewer.select(-1)")
    # someone out in the town: following them leaves the overview for the town at full size
    ground, upper = run.world["levels"][0], run.world["levels"][1]
    (r0, c0), h, w = upper["origin"], upper["height"], upper["width"]
    fr = run.frame(2)
    out = np.flatnonzero((fr["level"] == 0) & (fr["state"] == State.SUSCEPTIBLE)
                         & ~((fr["row"] >= r0) & (fr["row"] < r0 + h)
                             & (fr["col"] >= c0) & (fr["col"] < c0 + w)))
    who = int(out[0])
    page.evaluate("i => window.hyosanViewer.follow(i)", who)
    st = page.evaluate("window.hyosanViewer.seek(2)")
    assert st["mode"] == "0" and st["followed"]["inView"]
    (p,) = st["view"]["panels"]
    assert (p["rows"], p["cols"], p["inset"]) == (ground["height"], ground["width"], False)
    page.evaluate("window.hyosanViewer.follow(-1)")
    page.select_option("#level", "all")


def test_double_click_on_the_inset_opens_the_town_there(page, big_town):
    ground = RunDir(big_town).world["levels"][0]
    st = page.evaluate("window.hyosanViewer.seek(2)")
    (q,) = [p for p in st["view"]["panels"] if p["inset"]]
    box = page.locator("#map").bounding_box()
    fx, fy = 0.75, 0.25  # a spot in the town's north-east
    page.mouse.dblclick(box["x"] + q["x"] + fx * q["w"], box["y"] + q["y"] + fy * q["h"])
    st = page.evaluate("window.hyosanViewer.state()")
    assert st["mode"] == "0"
    v = st["view"]  # the spot is now at the centre of the map, at a readable scale
    col = (v["width"] / 2 - v["tx"]) / v["scale"]
    row = (v["height"] / 2 - v["ty"]) / v["scale"]
    assert abs(col - fx * ground["width"]) < 3 and abs(row - fy * ground["height"]) < 3
    assert v["scale"] >= 6
    page.select_option("#level", "all")


def test_single_level_view_still_shows_the_whole_level(page, big_town):
    ground = RunDir(big_town).world["levels"][0]
    page.select_option("#level", "0")
    st = page.evaluate("window.hyosanViewer.seek(2)")
    (p,) = st["view"]["panels"]
    assert (p["level"], p["rows"], p["cols"], p["inset"]) == (0, ground["height"],
                                                             ground["width"], False)
    labels = page.eval_on_selector_all("#level option", "os => os.map((o) => o.textContent)")
    assert labels == ["all side by side", "ground", "school 2F"]
    page.select_option("#level", "all")
    assert page.errors == []
