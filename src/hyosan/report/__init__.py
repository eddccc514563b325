"""Results a person can see: plots, an animation graded by the outbreak, follow-one-character
replays, the story of named characters and places, and a self-contained ``report.html``."""

from __future__ import annotations

from pathlib import Path

from hyosan.record.reader import RunDir
from hyosan.report.grade import grade
from hyosan.report.story import story

REPORT_DIR = "report"  # plots, videos and story.md go here, inside the run directory
REPORT_FILE = "report.html"


#: chapters whose moments the first screen's curve and school strip show, in this order
KEY_MOMENTS = ("first_bite", "broadcast", "town", "quarantine", "rescue", "strike", "end")
MAX_MOMENTS = 6


def key_moments(chapters) -> list[tuple[float, str]]:
    """(time, short label) of the key moments: the chapters in ``KEY_MOMENTS`` that
    happened, at most ``MAX_MOMENTS`` (the end always kept)."""
    labels = {"first_bite": "first bite", "broadcast": "broadcast", "town": "town reached",
              "quarantine": "quarantine", "rescue": "rescue", "strike": "strike", "end": "end"}
    found = {c.key: c.time_s for c in chapters}
    keys = [k for k in KEY_MOMENTS if k in found]
    for drop in ("town", "broadcast", "quarantine", "first_bite"):  # least telling first
        if len(keys) > MAX_MOMENTS and drop in keys:
            keys.remove(drop)
    return sorted((found[k], labels[k]) for k in keys)


def write_report(run_dir: str | Path, *, follow: str | None = None, animation: bool = True,
                 reference: bool = False) -> Path:
    """Write plots, animation, story and ``report.html`` for a finished run; return the page.

    ``follow`` adds a replay that keeps that named character in frame; ``reference`` overlays
    the well-mixed SZR curve fitted to the run on the counts plot.
    """
    from hyosan.report.animation import write_animation
    from hyosan.report.chapters import StoryData, build_chapters
    from hyosan.report.characters import build_accounts, plot_path, read_paths
    from hyosan.report.follow import find_character, slug, write_follow
    from hyosan.report.html import render_html
    from hyosan.report.plots import plot_epidemic_curve, plot_school_strip, write_plots
    from hyosan.report.story import notable, run_story, story_markdown

    run = RunDir(run_dir)
    if follow is not None:
        find_character(run, follow)  # a wrong name fails before any slow work
    out = run.path / REPORT_DIR
    out.mkdir(exist_ok=True)
    plots = write_plots(run, out, reference=reference)
    data = StoryData.of_run(run)
    chapters = build_chapters(data)
    accounts = build_accounts(data, read_paths(run, sorted(data.names)))
    maps = {a.name: p for a in accounts
            if (p := plot_path(run, a, out / "paths" / f"{slug(a.name)}.png")) is not None}
    moments = key_moments(chapters)
    curve = plot_epidemic_curve(run, out, moments)
    has_frames = (run.path / "frames" / "index.json").exists() and run.n_frames > 0
    strip = plot_school_strip(run, out, moments) if has_frames else None
    lines = run_story(run)
    (out / "story.md").write_text(story_markdown(lines, chapters, accounts))
    notes: list[str] = []
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
    page.write_text(render_html(run, plots=plots, story=notable(lines), animation=gif,
                                follow=followed, notes=notes, chapters=chapters,
                                accounts=accounts, path_maps=maps, curve=curve, strip=strip,
                                n_events=data.n_events))
    return page


__all__ = ["REPORT_FILE", "grade", "story", "write_report"]
