"""``report.html``: one self-contained page (images inline as data URIs, inline CSS, one small
inline script that filters the event log; no network) that a person reads in under a minute.

The first screen answers "what happened": a one-line lede, the headline numbers, the epidemic
curve with the key moments and a strip of the school at those moments. Then the story in
chapters, what became of each named character (with a map of their path), the animation
preview, the other plots two to a row, and, folded away, the scenario and a searchable log of
at most ``story.MAX_LOG_ROWS`` notable events (``events.parquet`` keeps them all).
"""

from __future__ import annotations

import base64
import html
import json
from pathlib import Path

from hyosan.record.reader import RunDir
from hyosan.report.chapters import Chapter
from hyosan.report.characters import Account
from hyosan.report.data import start_clock
from hyosan.report.plots import PLOTS
from hyosan.report.story import StoryLine
from hyosan.units import format_clock, format_duration

_MIME = {".png": "image/png", ".gif": "image/gif", ".svg": "image/svg+xml", ".mp4": "video/mp4"}

#: section id -> title, in page order
SECTIONS = {
    "what": "What happened",
    "story": "The story",
    "characters": "The characters",
    "animation": "Animation",
    "plots": "More plots",
    "log": "Event log",
    "summary": "Scenario",
}

_CSS = """
body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;margin:0;background:#f4f3ef;
color:#1d1d22;line-height:1.45}
header{background:#1d1f27;color:#f4f3ef;padding:14px 32px}
header h1{margin:0;font-size:24px} header p{margin:4px 0 0;color:#b9bcc8;font-size:14px}
main{max-width:1200px;margin:0 auto;padding:4px 24px 40px}
section{background:#fff;border-radius:8px;padding:10px 20px;margin:12px 0;
box-shadow:0 1px 3px #0002}
h2{margin:2px 0 8px;font-size:19px;border-bottom:2px solid #c8102e;padding-bottom:3px}
h3{margin:10px 0 2px;font-size:15px} p{margin:2px 0 6px}
.lede{font-size:15px;margin:0 0 4px}
table{border-collapse:collapse;font-size:13px} td,th{padding:2px 12px 2px 0;text-align:left;
vertical-align:top}
.numbers{display:flex;gap:6px;margin:6px 0}
.num{flex:1;background:#f4f3ef;border-radius:6px;padding:4px 8px}
.num b{display:block;font-size:20px}
.num span{font-size:11px;color:#555;line-height:1.1;display:block}
figure{margin:6px 0} figure img{max-width:100%;height:auto;display:block}
figcaption{font-size:12px;color:#555}
.chapters{columns:2;column-gap:28px} .chapter{break-inside:avoid}
.cards{display:grid;grid-template-columns:1fr 1fr;gap:10px}
.card{background:#f8f7f3;border-radius:6px;padding:6px 10px;font-size:14px}
.card img{max-width:100%;height:auto} .fate{color:#c8102e;font-size:12px}
.grid2{display:grid;grid-template-columns:1fr 1fr;gap:8px}
details summary{cursor:pointer;font-weight:600}
#log input{margin:6px 0;padding:4px 8px;width:320px}
#log tbody{font-size:13px}
"""

_FILTER_JS = """
document.getElementById('logsearch').addEventListener('input',function(e){
var q=e.target.value.toLowerCase();
document.querySelectorAll('#logtable tbody tr').forEach(function(r){
r.style.display=r.textContent.toLowerCase().indexOf(q)<0?'none':'';});});
"""


def data_uri(path: Path) -> str:
    """The file as a base64 data URI."""
    mime = _MIME.get(path.suffix.lower(), "application/octet-stream")
    return f"data:{mime};base64,{base64.b64encode(path.read_bytes()).decode('ascii')}"


def _num(value, label: str) -> str:
    shown = "—" if value is None else html.escape(f"{value:,}" if isinstance(value, int)
                                                   else str(value))
    return f"<div class='num'><b>{shown}</b><span>{html.escape(label)}</span></div>"


def _img(path: Path | None, alt: str, caption: str = "") -> str:
    if path is None:
        return ""
    cap = f"<figcaption>{html.escape(caption)}</figcaption>" if caption else ""
    return f"<figure><img src='{data_uri(path)}' alt='{html.escape(alt)}'>{cap}</figure>"


def render_html(run: RunDir, *, plots: dict[str, Path], story: list[StoryLine],
                animation: Path | None, follow: tuple[str, Path] | None = None,
                notes: list[str] | None = None, chapters: list[Chapter] | None = None,
                accounts: list[Account] | None = None, path_maps: dict[str, Path] | None = None,
                curve: Path | None = None, strip: Path | None = None,
                n_events: int | None = None) -> str:
    """The report page as a string."""
    s = run.summary
    esc = html.escape
    clock0 = start_clock(run)
    scenario = str(s.get("scenario", run.path.name))
    chapters = chapters or []
    accounts = accounts or []
    path_maps = path_maps or {}

    # -- what happened
    end = next((c for c in chapters if c.key == "end"), None)
    first = next((c for c in chapters if c.key == "first_bite"), None)
    lede = " ".join(x for x in (first.text.split(". ", 1)[-1].split(". ")[0].rstrip(".") + "."
                                if first else "", end.text if end else "") if x)
    counts = s.get("counts") if isinstance(s.get("counts"), dict) else {}
    bitten = sum(int(counts.get(k, 0)) for k in ("infected", "zombie", "carrier", "destroyed"))
    rescued = next((c.numbers.get("rescued") for c in chapters if c.key == "rescue"), None)
    half = s.get("time_to_half_school_infected_s")
    building = s.get("building", "school")
    numbers = [_num(sum(int(v) for v in counts.values()) if counts else None, "people"),
               _num(bitten, "bitten by the end"), _num(s.get("humans_alive"), "still alive"),
               _num(s.get("zombies"), "zombies at the end"),
               _num(s.get("destroyed"), "zombies destroyed"), _num(s.get("dead"), "dead")]
    if rescued is not None:
        numbers.append(_num(rescued, "rescued by helicopter"))
    if building:
        numbers.append(_num(f"{round(half / 60):,} min" if half is not None else "never",
                            f"until half the {building} was infected"))
    what = (f"<p class='lede'>{esc(lede)}</p>" if lede else "") + \
        "<div class='numbers'>" + "".join(numbers) + "</div>" + \
        _img(curve, "epidemic curve", "the living, the bitten and the zombies over the day "
             "(log scale); dotted lines mark the chapters below") + \
        _img(strip, "the school at key moments", f"the {building or 'building'}'s storeys "
             "(top storey at the top) at the key moments: blue the living, orange the bitten, "
             "red the zombies")

    # -- the story
    story_html = "<div class='chapters'>" + "".join(
        f"<div class='chapter'><h3>{esc(format_clock(c.time_s, clock0))} · {esc(c.title)}</h3>"
        f"<p>{esc(c.text)}</p></div>" for c in chapters) + "</div>" if chapters else \
        "<p>Nothing of note happened.</p>"

    # -- the characters
    named = s.get("named") if isinstance(s.get("named"), dict) else {}
    cards = []
    for a in accounts:
        fate = (named.get(a.name) or {}).get("fate", "") if isinstance(named.get(a.name),
                                                                        dict) else ""
        cards.append(f"<div class='card'><h3>{esc(a.name)}"
                     f"{(' · ' + esc(a.role)) if a.role else ''}</h3>"
                     f"{f'<div class=fate>{esc(fate)}</div>' if fate else ''}"
                     f"<p>{esc(a.text)}</p>{_img(path_maps.get(a.name), 'path of ' + a.name)}"
                     "</div>")
    chars = "<div class='cards'>" + "".join(cards) + "</div>" if cards else \
        "<p>This scenario names no characters.</p>"

    # -- animation
    anim = ""
    if animation is not None:
        anim += _img(animation, "animation", "a preview of the whole run; the full-size MP4 is "
                     "report/animation.mp4 next to this page")
    if follow is not None:
        anim += _img(follow[1], f"follow {follow[0]}", f"following {follow[0]} (report/"
                     f"{follow[1].with_suffix('.mp4').name} at full size)")
    if not anim:
        anim = "<p>No animation in this report.</p>"
    anim += "".join(f"<p>{esc(n)}</p>" for n in notes or [])

    # -- more plots
    figs = "<div class='grid2'>" + "".join(
        _img(p, name, PLOTS.get(name, name)) for name, p in plots.items()) + "</div>"

    # -- the log
    total = n_events if n_events is not None else len(story)
    rows = "".join(f"<tr><td>{esc(line.text.split(' — ', 1)[0])}</td>"
                   f"<td>{esc(line.text.split(' — ', 1)[-1])}</td></tr>" for line in story)
    log = (f"<details><summary>{len(story):,} notable events of {total:,} "
           "(every event is in events.parquet)</summary>"
           "<input id='logsearch' type='search' placeholder='filter: a name, a place, a word'>"
           f"<table id='logtable'><thead><tr><th>time</th><th>event</th></tr></thead>"
           f"<tbody>{rows}</tbody></table></details>")

    # -- scenario
    duration = s.get("duration_s")
    srows = [
        ("scenario", scenario), ("seed", s.get("seed")),
        ("simulated", format_duration(duration) if duration is not None else None),
        ("starts at", format_clock(0, clock0)),
        ("time step", f"{s['dt']} s" if s.get("dt") is not None else None),
        ("agents", sum(s["counts"].values()) if isinstance(s.get("counts"), dict) else None),
        ("wall time", f"{s['wall_time_s']:.1f} s" if s.get("wall_time_s") is not None
         else None),
        ("run directory", str(run.path)),
    ]
    responses = s.get("responses") or []
    srows += [(f"response at {format_clock(float(r.get('time_s', 0)), clock0)}",
               f"{r.get('action', '')}: {r.get('detail', '')}".rstrip(": "))
              for r in responses]
    summary = "<details><summary>run settings and responses</summary><table>" + "".join(
        f"<tr><th>{esc(k)}</th><td>{esc(str(v))}</td></tr>" for k, v in srows if v is not None
    ) + "</table></details>"

    body = {"what": what, "story": story_html, "characters": chars, "animation": anim,
            "plots": figs, "log": log, "summary": summary}
    sections = "\n".join(
        f"<section id='{key}'><h2>{esc(title)}</h2>\n{body[key]}\n</section>"
        for key, title in SECTIONS.items())
    return (
        "<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width,initial-scale=1'>"
        f"<title>Hyosan report: {esc(scenario)}</title><style>{_CSS}</style></head><body>"
        f"<header><h1>Hyosan report: {esc(scenario)}</h1>"
        f"<p>seed {esc(json.dumps(s.get('seed')))} · {esc(str(run.path.name))} · storeys are "
        "named 1F (ground floor), 2F, … and rooftop</p></header>"
        f"<main>{sections}</main><script>{_FILTER_JS}</script></body></html>\n"
    )
