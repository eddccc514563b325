"""Viewer benchmark: open a synthetic 20,000-agent run in headless Chromium and measure playback.

Reports the time until the page is ready (world, tables and first chunk loaded, first frame
drawn) and the frames drawn per second while playing as fast as the browser allows (one replay
frame per requestAnimationFrame), counted by the page over a few seconds. Target: >= 30.

    .venv/bin/python benchmarks/bench_viewer.py [--agents 20000] [--frames 2000] [--seconds 5]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "viewer"))  # the synthetic run builder
sys.path.insert(0, str(ROOT / "tests"))  # browser_util: the one way we launch chromium

from viewer_synth import make_run  # noqa: E402

from browser_util import CHROMIUM_ARGS, chromium_executable  # noqa: E402
from hyosan.viewer.server import ViewerServer  # noqa: E402


def measure(url: str, seconds: float, speed: str) -> dict:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_executable(), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        t0 = time.perf_counter()
        page.goto(url)
        page.evaluate("window.hyosanViewer.ready")
        ready_s = time.perf_counter() - t0
        page.evaluate(f"window.hyosanViewer.setSpeed({speed!r}); window.hyosanViewer.play()")
        page.wait_for_timeout(1000)  # warm-up: JIT, first prefetches
        a = page.evaluate("[performance.now(), window.hyosanViewer.state()]")
        page.wait_for_timeout(seconds * 1000)
        b = page.evaluate("[performance.now(), window.hyosanViewer.state()]")
        browser.close()
    dt = (b[0] - a[0]) / 1000
    return {"ready_s": ready_s, "drawn_per_s": (b[1]["drawn"] - a[1]["drawn"]) / dt,
            "frames_advanced_per_s": (b[1]["frame"] - a[1]["frame"]) / dt,
            "errors": errors, "end_frame": b[1]["frame"]}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--agents", type=int, default=20_000)
    ap.add_argument("--frames", type=int, default=2_000)
    ap.add_argument("--seconds", type=float, default=5.0)
    ap.add_argument("--run-dir", type=Path, help="reuse or keep the synthetic run here")
    args = ap.parse_args()
    tmp = tempfile.TemporaryDirectory() if args.run_dir is None else None
    run = args.run_dir or Path(tmp.name) / "run"
    if not (run / "summary.json").exists():
        t0 = time.perf_counter()
        make_run(run, n_agents=args.agents, n_ticks=args.frames, frame_every=1, chunk_frames=64,
                 scale=8, switch_tick=args.frames // 2)
        print(f"wrote synthetic run: {args.agents} agents, {args.frames} frames "
              f"in {time.perf_counter() - t0:.1f} s ({run})")
    size = sum(f.stat().st_size for f in (run / "frames").iterdir()) / 2**20
    print(f"frames on disk: {size:.1f} MiB")
    srv = ViewerServer(run)
    srv.start_background()
    try:
        for speed in ("max", 60):
            r = measure(srv.url, args.seconds, str(speed))
            print(f"speed={speed!s:>3}: ready in {r['ready_s']:.2f} s; "
                  f"drawn {r['drawn_per_s']:.1f} frames/s; "
                  f"replay advanced {r['frames_advanced_per_s']:.1f} frames/s "
                  f"(to frame {r['end_frame']}); console errors: {len(r['errors'])}")
    finally:
        srv.shutdown()
        if tmp is not None:
            tmp.cleanup()


if __name__ == "__main__":
    main()
