"""The bottleneck series: specific flow through passages 0.8–2.4 m wide, short and long."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from hyosan.validate import Check
from hyosan.validate.harness import CS, box, build, evacuate, flow, rows, verdict
from hyosan.validate.plots import plot_bottleneck
from hyosan.world.world import World

BOTTLENECK_WIDTHS = [0.8, 1.0, 1.2, 1.6, 2.0, 2.4]


#: passage lengths (cells) of the short bottleneck (the criterion) and of the long one
SHORT, LONG = 2, 6


def bottleneck_world(width_m: float, h: int = 24, room: int = 24, length: int = SHORT
                     ) -> World:
    """A room ``room`` cells deep, then a passage ``width_m`` wide and ``length`` cells long, then
    the exit cell. Flow through a bottleneck falls with its length (Liddle et al. 2011; Zhang &
    Seyfried distinguish the capacities of short and long bottlenecks); the series is judged on
    a short one (1 m of passage and the exit) and the long one (3 m) is measured beside it. A
    door one cell deep passes 2.0–2.7 P/(m·s) in this model, a 4 m passage 1.45–1.58.

    The passage is drawn as whole cells plus, for the remainder, one lane of narrow cells (legend
    ``d``: floor, ``x``: exit, of that clear width) along its whole length: 0.8 m is one 0.5 m
    lane and one 0.3 m lane."""
    full = int(width_m / CS + 1e-9)
    rest = round(width_m - full * CS, 6)
    lanes = full + (rest > 0)
    g = box(h + 2, room + length + 3, "#")
    top = 1 + (h - lanes) // 2
    for r in range(1, h + 1):
        for c in range(1, room + 1):
            g[r][c] = "a"
    for k, r in enumerate(range(top, top + lanes)):
        narrow = k == full  # the last lane carries the remainder
        for c in range(room + 1, room + length + 1):
            g[r][c] = "d" if narrow else "."
        g[r][room + length + 1] = "x" if narrow else "E"
    legend = ({"d": f"{{kind: floor, width: {rest}}}", "x": f"{{kind: exit, width: {rest}}}"}
              if rest > 0 else None)
    return build(f"bottleneck_{width_m:.1f}m", [rows(g)], {"a": "room"}, legend=legend)


def _bottleneck_flows(full: bool, length: int) -> tuple[np.ndarray, list[float], int]:
    """Specific flows, flows and illegal moves of the series through a passage ``length``
    cells long (mean flow over the seeds at each width)."""
    seeds = [1, 2, 3] if full else [1]
    n = 400 if full else 300
    js, flows = [], []
    bad = 0
    for wm in BOTTLENECK_WIDTHS:
        j = []
        for s in seeds:
            out = evacuate(bottleneck_world(wm, length=length), {"room": n}, seed=s,
                           t_max=400, speed=None)
            bad += out.violations
            j.append(flow(out.t_escape))
        flows.append(float(np.mean(j)))
        js.append(flows[-1] / wm)
    return np.array(js), flows, bad


def bottleneck(full: bool, out_dir: Path | None, with_long: bool = False) -> list[Check]:
    """Specific flow through passages 0.8–2.4 m wide (whole cells plus one narrow lane).

    The short bottleneck is judged on the literature's band and a flow growing with width;
    with ``with_long`` the long one is measured too and must pass less than the short one at
    every width, its flow still growing with width."""
    out = []
    js, flows, bad = _bottleneck_flows(full, SHORT)
    ok = (js >= 1.5).all() and (js <= 2.3).all() and (np.diff(flows) > 0).all()
    if out_dir is not None:
        plot_bottleneck(np.array(BOTTLENECK_WIDTHS), js, Path(out_dir) / "bottleneck.png")
    out.append(verdict(f"bottleneck series, {SHORT * CS:g} m passage",
                       "Js ≈ 1.9 P/(m·s) (Seyfried 2009); flow ↑ with width", _series(js),
                       "Js 1.5–2.3, flow increasing", ok, bad))
    if with_long:
        js_l, flows_l, bad_l = _bottleneck_flows(full, LONG)
        ok = (np.diff(flows_l) > 0).all() and (js_l < js).all()
        out.append(verdict(f"bottleneck series, {LONG * CS:g} m passage",
                           "long bottlenecks pass less than short ones", _series(js_l),
                           "flow increasing, Js < short's", ok, bad_l))
    return out


def _series(js: np.ndarray) -> str:
    return ", ".join(f"{wm:.1f} m: {j:.2f}" for wm, j in zip(BOTTLENECK_WIDTHS, js, strict=True))
