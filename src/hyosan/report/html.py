"""``report.html``: one self-contained page (images inline as data URIs, inline CSS, no
scripts, no network) with the summary, headline numbers, plots, responses, story, animation.
"""

from __future__ import annotations

import base64
import html
import json
from pathlib import Path

from hyosan.record.reader import RunDir
from hyosan.report.data import start_clock
from hyosan.report.plots import PLOTS
from hyosan.report.story import StoryLine, story_html
from hyosan.units import format_clock, format_duration

_MIME = {".png": "image/png", ".gif": "image/gif", ".svg": "image/svg+xml", ".mp4": "video/mp4"}

#: section id -> title, in page order
SECTIONS = {
    "summary": "Scenario",
    "headline": "Headline numbers",
    "plots": "Plots",
    "responses": "Responses",
    "story": "Story",
    "animation": "Animation",
}

_CSS = """
body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;margin:0;background:#f4f3ef;
color:#1d1d22}
header{background:#1d1f27;color:#f4f3ef;padding:18px 32px}
header h1{margin:0;font-size:26px} header p{margin:4px 0 0;color:#b9bcc8}
main{max-width:1080px;margin:0 auto;padding:8px 24px 48px}
section{background:#fff;border-radius:8px;padding:12px 20px;margin:16px 0;
box-shadow:0 1px 3px #0002}
h2{margin:4px 0 10px;font-size:20px;border-bottom:2px solid #c8102e;padding-bottom:4px}
table{border-collapse:collapse} td,th{padding:3px 14px 3px 0;text-align:left}
.numbers{display:flex;flex-wrap:wrap;gap:10px}
.num{background:#f4f3ef;border-radius:6px;padding:8px 14px;min-width:110px}
.num b{display:block;font-size:24px} .num span{font-size:12px;color:#555}
figure{margin:10px 0} figure img{max-width:100%;height:auto;border:1px solid #ddd}
figcaption{font-size:13px;color:#555}
ul.story{line-height:1.5} details{margin:4px 0}
#animation img{min-width:60%;image-rendering:pixelated}
"""


def data_uri(path: Path) -> str:
    """The file as a base64 data URI."""
    mime = _MIME.get(path.suffix.lower(), "application/octet-stream")
    return f"data:{mime};base64,{base64.b64encode(path.read_bytes()).decode('ascii')}"


def _num(value, label: str) -> str:
    shown = "—" if value is None else html.escape(str(value))
    return f"<div class='num'><b>{shown}</b><span>{html.escape(label)}</span></div>"


def render_html(run: RunDir, *, plots: dict[str, Path], story: list[StoryLine],
                animation: Path | None, follow: tuple[str, Path] | None = None,
                notes: list[str] | None = None) -> str:
    """The report page as a string."""
    s = run.summary
    esc = html.escape
    clock0 = start_clock(run)
    scenario = str(s.get("scenario", run.path.name))
    duration = s.get("duration_s")
    rows = [
        ("scenario", scenario), ("seed", s.get("seed")),
        ("simulated", format_duration(duration) if duration is not None else None),
        ("starts at", format_clock(0, clock0)),
        ("time step", f"{s['dt']} s" if s.get("dt") is not None else None),
        ("agents", sum(s["counts"].values()) if isinstance(s.get("counts"), dict) else None),
        ("wall time", f"{s['wall_time_s']:.1f} s" if s.get("wall_time_s") is not None
         else None),
        ("run directory", str(run.path)),
    ]
    summary = "<table>" + "".join(
        f"<tr><th>{esc(k)}</th><td>{esc(str(v))}</td></tr>" for k, v in rows if v is not None
    ) + "</table>"
    if s.get("named"):
        summary += "<h3>Named characters</h3><table><tr><th>name</th><th>role</th>" \
                   "<th>fate</th></tr>" + "".join(
                       f"<tr><td>{esc(str(n))}</td><td>{esc(str(v.get('role', '')))}</td>"
                       f"<td>{esc(str(v.get('fate', '')))}</td></tr>"
                       for n, v in s["named"].items() if isinstance(v, dict)) + "</table>"
    half = s.get("time_to_half_school_infected_s")
    building = s.get("building", "school")  # runs written before the summary named it
    numbers = [
        _num(s.get("humans_alive"), "humans alive"), _num(s.get("escaped"), "escaped"),
        _num(s.get("zombies"), "zombies"), _num(s.get("destroyed"), "zombies destroyed"),
        _num(s.get("dead"), "dead"),
    ]
    if building:  # no building, no "half the school" number
        numbers.append(_num(format_duration(half) if half is not None else "never",
                            f"until half the {building} was infected"))
    headline = "<div class='numbers'>" + "".join(numbers) + "</div>"
    figs = "".join(
        f"<figure><img src='{data_uri(p)}' alt='{esc(name)}'>"
        f"<figcaption>{esc(PLOTS.get(name, name))}</figcaption></figure>"
        for name, p in plots.items())
    responses = s.get("responses") or []
    resp = "<p>No responses were recorded.</p>" if not responses else "<ul>" + "".join(
        f"<li>{esc(format_clock(float(r.get('time_s', 0)), clock0))} — "
        f"{esc(str(r.get('action', '')))}"
        f"{(': ' + esc(str(r['detail']))) if r.get('detail') else ''}</li>"
        for r in responses) + "</ul>"
    anim = ""
    if animation is not None:
        anim += (f"<figure><img src='{data_uri(animation)}' alt='animation'><figcaption>the whole "
                 "run (the full-length MP4 sits next to this report)</figcaption></figure>")
    if follow is not None:
        anim += (f"<figure><img src='{data_uri(follow[1])}' alt='follow {esc(follow[0])}'>"
                 f"<figcaption>following {esc(follow[0])}</figcaption></figure>")
    if not anim:
        anim = "<p>No animation in this report.</p>"
    anim += "".join(f"<p>{esc(n)}</p>" for n in notes or [])
    body = {"summary": summary, "headline": headline, "plots": figs, "responses": resp,
            "story": story_html(story), "animation": anim}
    sections = "\n".join(
        f"<section id='{key}'><h2>{esc(title)}</h2>\n{body[key]}\n</section>"
        for key, title in SECTIONS.items())
    return (
        "<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width,initial-scale=1'>"
        f"<title>Hyosan report: {esc(scenario)}</title><style>{_CSS}</style></head><body>"
        f"<header><h1>Hyosan report: {esc(scenario)}</h1>"
        f"<p>seed {esc(json.dumps(s.get('seed')))} · {esc(str(run.path.name))}</p></header>"
        f"<main>{sections}</main></body></html>\n"
    )
