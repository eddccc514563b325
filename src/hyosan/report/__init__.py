"""Results a person can see: plots, an animation graded by the outbreak, follow-one-character
replays, the story of named characters and places, and a self-contained ``report.html``."""

from __future__ import annotations

from pathlib import Path

from hyosan.record.reader import RunDir
from hyosan.report.grade import grade
from hyosan.report.story import story

REPORT_DIR = "report"  # plots, videos and story.md go here, inside the run directory
REPORT_FILE = "report.html"


def write_report(run_dir: str | Path, *, follow: str | None = None, animation: bool = True,
                 reference: bool = False) -> Path:
    """Write plots, animation, story and ``report.html`` for a finished run; return the page.

    ``follow`` adds a replay that keeps that named character in frame; ``reference`` overlays
    the well-mixed SZR curve fitted to the run on the counts plot.
    """
    from hyosan.report.animation import write_animation
    from hyosan.report.follow import find_character, write_follow
    from hyosan.report.html import render_html
    from hyosan.report.plots import write_plots
    from hyosan.report.story import run_story, story_markdown

    run = RunDir(run_dir)
    if follow is not None:
        find_character(run, follow)  # a wrong name fails before any slow work
    out = run.path / REPORT_DIR
    out.mkdir(exist_ok=True)
    plots = write_plots(run, out, reference=reference)
    lines = run_story(run)
    (out / "story.md").write_text(story_markdown(lines))
    notes: list[str] = []
    has_frames = (run.path / "frames" / "index.json").exists()
    gif = None
    followed = None
    if (animation or follow) and not has_frames:
        notes.append("This run recorded no frames, so there is no animation.")
    if animation and has_frames:
        gif = write_animation(run, out).get("gif")
    if follow is not None and has_frames:
        path = write_follow(run, follow, out).get("gif")
        followed = (follow, path) if path is not None else None
    page = run.path / REPORT_FILE
    page.write_text(render_html(run, plots=plots, story=lines, animation=gif, follow=followed,
                                notes=notes))
    return page


__all__ = ["REPORT_FILE", "grade", "story", "write_report"]
