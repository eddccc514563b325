"""The viewer in a real headless Chromium, on a synthetic run (see viewer_synth.py)."""

from __future__ import annotations

import functools
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import numpy as np
import pytest
from viewer_synth import ONJO, TEST_RUN

from browser_util import artifact_path, launch_browser
from hyosan.record.reader import RunDir
from hyosan.states import STATE_NAMES, State
from hyosan.viewer.export import export_site

pytestmark = pytest.mark.browser
VIEWPORT = {"width": 1280, "height": 800}
#: the documented legend: state -> colour of an agent's cell (RGB)
LEGEND = {State.SUSCEPTIBLE: (0x4F, 0x8F, 0xF7), State.INFECTED: (0xF5, 0xA5, 0x24),
          State.ZOMBIE: (0xE0, 0x31, 0x2B)}


@pytest.fixture(scope="module")
def browser():
    with launch_browser() as b:
        yield b


@pytest.fixture(scope="module")
def page(browser, server):
    """One page on the local server; records console errors and every request made."""
    pg = browser.new_page(viewport=VIEWPORT)
    pg.errors, pg.requests = [], []
    pg.on("console", lambda m: pg.errors.append(m.text) if m.type == "error" else None)
    pg.on("pageerror", lambda e: pg.errors.append(str(e)))
    pg.on("request", lambda r: pg.requests.append(r.url))
    pg.goto(server.url)
    pg.evaluate("window.hyosanViewer.ready")
    yield pg
    pg.close()


def seek(pg, f: int) -> dict:
    return pg.evaluate("f => window.hyosanViewer.seek(f)", f)


def canvas_png(pg) -> str:
    return pg.evaluate("document.getElementById('map').toDataURL()")


def shown_counts(pg) -> dict[str, int]:
    return {name: int(pg.inner_text(f'#counts [data-count="{name}"] b')) for name in STATE_NAMES}


def test_loads_clean_and_stays_local(page, server, run_dir):
    st = page.evaluate("window.hyosanViewer.state()")
    assert st["nFrames"] == RunDir(run_dir).n_frames
    seek(page, 70)  # fetches later chunks too
    assert page.errors == []
    outside = [u for u in page.requests if not (u.startswith(server.url) or u.startswith("data:"))]
    assert outside == []


def test_scrub_changes_canvas_and_colours_agents(page, run_dir):
    page.evaluate("window.hyosanViewer.setLevel('0'); window.hyosanViewer.setGrade(false)")
    seek(page, 3)
    early = canvas_png(page)
    st = seek(page, 60)
    assert canvas_png(page) != early
    # agents on the ground alone in their cell show their state's colour where the reader
    # (independently of the page) says they stand
    fr = RunDir(run_dir).frame(60)
    view = st["view"]
    on_ground = np.flatnonzero((fr["level"] == 0) & (fr["state"] != State.ESCAPED))
    cells = fr["row"][on_ground].astype(int) * 1000 + fr["col"][on_ground]
    uniq, n = np.unique(cells, return_counts=True)
    checked = 0
    for i in on_ground:
        s = int(fr["state"][i])
        if s not in LEGEND or n[np.searchsorted(uniq, fr["row"][i] * 1000 + fr["col"][i])] > 1:
            continue
        x = (fr["col"][i] + 0.5) * view["scale"] + view["tx"]
        y = (fr["row"][i] + 0.5) * view["scale"] + view["ty"]
        rgb = page.evaluate("([x, y]) => Array.from(document.getElementById('map')"
                            ".getContext('2d').getImageData(x, y, 1, 1).data.slice(0, 3))",
                            [float(x), float(y)])
        assert tuple(rgb) == LEGEND[s], (i, s)
        checked += 1
    assert checked >= 20
    page.evaluate("window.hyosanViewer.setLevel('all'); window.hyosanViewer.setGrade(true)")


@pytest.mark.parametrize("f", [0, 37, 79])
def test_counts_match_timeseries(page, run_dir, f):
    run = RunDir(run_dir)
    st = seek(page, f)
    tick = run.frame_index["ticks"][f]
    assert st["tick"] == tick
    ts = run.timeseries()
    row = ts.column("tick").to_pylist().index(tick)
    expected = {name: ts.column(name)[row].as_py() for name in STATE_NAMES}
    assert shown_counts(page) == expected == st["counts"]
    # and the time series agrees with the frame's own states (independent tally)
    tally = np.bincount(run.frame(f)["state"], minlength=len(STATE_NAMES))
    assert expected == dict(zip(STATE_NAMES, tally.tolist(), strict=True))


def test_follow_named_character_across_levels(page, run_dir):
    run = RunDir(run_dir)
    switch = TEST_RUN["switch_tick"] // TEST_RUN["frame_every"]
    before, after = switch - 3, switch + 6  # frames around her climb
    assert run.frame(before)["level"][ONJO] == 0 and run.frame(after)["level"][ONJO] == 1
    page.select_option("#level", "0")
    page.select_option("#follow", label="On-jo")
    for f, level in [(before, 0), (after, 1), (before, 0)]:
        st = seek(page, f)
        fol = st["followed"]
        assert fol["name"] == "On-jo" and fol["level"] == level
        assert st["mode"] == str(level)  # the single-level view moved with her
        assert fol["inView"]
        assert (fol["row"], fol["col"]) == (run.frame(f)["row"][ONJO], run.frame(f)["col"][ONJO])
    # clicking her (she is centred) opens her card with her role
    box = page.locator("#map").bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    info = page.inner_text("#agent-info")
    assert "On-jo" in info and "teacher" in info and "susceptible" in info
    page.screenshot(path=str(artifact_path("viewer.png")))
    page.select_option("#follow", "")
    page.select_option("#level", "all")


def test_playback_crosses_chunks(page):
    seek(page, 0)
    page.evaluate("window.hyosanViewer.setSpeed('max'); window.hyosanViewer.play()")
    for _ in range(150):  # poll (CSP forbids wait_for_function's eval)
        if page.evaluate("window.hyosanViewer.state().frame") >= 40:
            break
        page.wait_for_timeout(100)
    assert page.evaluate("window.hyosanViewer.state().frame") >= 40
    page.evaluate("window.hyosanViewer.pause()")
    assert page.errors == []


def test_exported_site_shows_the_same(browser, page, run_dir, tmp_path):
    out = export_site(run_dir, tmp_path / "site")
    handler = functools.partial(QuietHandler, directory=str(out))
    static = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=static.serve_forever, daemon=True).start()
    try:
        pg = browser.new_page(viewport=VIEWPORT)
        errors = []
        pg.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        pg.goto(f"http://127.0.0.1:{static.server_address[1]}/index.html")
        pg.evaluate("window.hyosanViewer.ready")
        for p in (pg, page):  # same view on both: all levels, fitted, nobody selected
            p.evaluate("window.hyosanViewer.select(-1); window.hyosanViewer.setLevel('all')")
        for f in (5, 50):
            st = seek(pg, f)
            ref = seek(page, f)
            assert st["counts"] == ref["counts"] and st["tick"] == ref["tick"]
            assert canvas_png(pg) == canvas_png(page)
        assert errors == []
        pg.close()
    finally:
        static.shutdown()
        static.server_close()


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass
