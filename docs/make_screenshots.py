"""Write the README's pictures from a finished flagship run that has its report.

    python docs/make_screenshots.py RUN_DIR

``docs/img/report_first_screen.png``: the report's first screen in Chromium at 1280 × 800;
``docs/img/animation_early.png``, ``animation_middle.png``, ``animation_late.png``: three
animation frames (a few minutes after the first bite, when half the school was infected, the
last frame); ``docs/img/follow.png``: a frame of the follow replay of Nam On-jo. Prints the
report's height in pixels at 1280 px wide.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from hyosan.record.reader import RunDir  # noqa: E402
from hyosan.report.animation import animator_for  # noqa: E402
from hyosan.report.chapters import run_chapters  # noqa: E402
from hyosan.report.follow import Follower, find_character  # noqa: E402
from hyosan.report.plots import frame_at  # noqa: E402

OUT = ROOT / "docs" / "img"


def main(run_dir: str) -> None:
    from browser_util import launch_browser

    OUT.mkdir(parents=True, exist_ok=True)
    run = RunDir(run_dir)
    with launch_browser() as browser:
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        page.goto((run.path / "report.html").as_uri())
        page.wait_for_load_state("load")
        print("report height at 1280 px:", page.evaluate("document.documentElement.scrollHeight"))
        page.screenshot(path=str(OUT / "report_first_screen.png"))
    chapters = {c.key: c.time_s for c in run_chapters(run)}
    half = run.summary.get("time_to_half_school_infected_s")
    times = {"early": chapters.get("first_bite", 0.0) + 300.0,
             "middle": half if half is not None else run.summary["duration_s"] / 2,
             "late": float(run.frame_index["time_s"][-1])}
    anim = animator_for(run)
    for key, t in times.items():
        f = frame_at(run, t)
        rgb = anim.render(float(run.frame_index["time_s"][f]), run.frame(f))
        Image.fromarray(rgb).save(OUT / f"animation_{key}.png", optimize=True)
    agent = find_character(run, "Nam On-jo")
    fol = Follower(run, agent, "Nam On-jo")
    t = chapters.get("first_bite", 0.0) + 120.0
    f = frame_at(run, t)
    rgb, _info = fol.render(float(run.frame_index["time_s"][f]), run.frame(f))
    Image.fromarray(np.ascontiguousarray(rgb)).save(OUT / "follow.png", optimize=True)
    print("written:", ", ".join(sorted(p.name for p in OUT.glob("*.png"))))


if __name__ == "__main__":
    main(sys.argv[1])
