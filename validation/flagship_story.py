"""Does the flagship tell the series' story over seeds? Survivors and barricaded groups.

For each seed, runs ``hyosan-high`` (optionally shortened with ``--duration``) and reports:
the people of the school who survived (still human or got out), those rescued by helicopter,
the students alive behind a barricade an hour after it went up (the largest such group and the
number of rooms holding one of at least 5), and how long the longest barricade held. Prints
one Markdown row per seed and the distribution (median, range).

    python validation/flagship_story.py --seeds 1 2 3 [--duration "90 min"] [--out DIR]

Run directories are kept under ``--out`` (default: a temporary folder, removed).
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np

from hyosan.record.reader import RunDir
from hyosan.report.chapters import StoryData
from hyosan.report.plots import SURVIVED, _codes
from hyosan.states import ROLE_NAMES, STATE_NAMES, Role, State

HOLD_S = 60 * 60.0  # a group "survives by barricading for a while": still there 1 h on
GROUP = 5  # at least this many students


def measure(run_dir: Path, hold_s: float = HOLD_S) -> dict:
    """The story's numbers of one finished run directory."""
    run = RunDir(run_dir)
    d = StoryData.of_run(run)
    ag = d.ag
    survived = np.isin(_codes(ag["final_state"], STATE_NAMES), [int(s) for s in SURVIVED])
    school = d.started_in_building
    students = _codes(ag["role"], ROLE_NAMES) == Role.STUDENT
    esc = d.of_kind("escape")
    rescued = int((d.detail[esc] == "rescue").sum()) if len(esc) else 0
    # barricaded rooms of the building: first barricade time per room
    bar = d.of_kind("barricade")
    bar = bar[d.in_building[bar]] if len(bar) else bar
    first: dict[str, float] = {}
    for i in bar:
        first.setdefault(str(d.place[i]), float(d.t[i]))
    # students alive in the room HOLD_S after its barricade (from the recorded frames)
    names = [p["name"] for p in d.world["places"]]
    index = {n: k for k, n in enumerate(names)}
    place_of = d.world["arrays"]["place_of"]
    offsets = np.array([lv["offset"] for lv in d.levels], np.int64)
    widths = np.array([lv["width"] for lv in d.levels], np.int64)
    times = np.asarray(run.frame_index["time_s"], float)
    groups: dict[str, int] = {}
    for room, tb in first.items():
        t = tb + hold_s
        if t > times[-1] or room not in index:
            continue
        f = min(int(np.searchsorted(times, t)), len(times) - 1)
        fr = run.frame(f)
        lv = fr["level"].astype(np.int64)
        cell = offsets[lv] + fr["row"].astype(np.int64) * widths[lv] + fr["col"]
        inside = place_of[cell] == index[room]
        alive = np.isin(fr["state"], [State.SUSCEPTIBLE, State.CARRIER])
        groups[room] = int((inside & alive & students).sum())
    broken = d.of_kind("door_broken")
    when_broken: dict[tuple, float] = {}
    for i in broken:
        when_broken.setdefault((d.level[i], d.row[i], d.col[i]), float(d.t[i]))
    held = [when_broken.get((d.level[i], d.row[i], d.col[i]), d.end_s) - float(d.t[i])
            for i in bar]
    best = max(groups.items(), key=lambda kv: kv[1]) if groups else ("", 0)
    return {
        "school": int(school.sum()), "school_survivors": int((survived & school).sum()),
        "students_survived": int((survived & school & students).sum()), "rescued": rescued,
        "barricaded_rooms": len(first), "largest_group": best[1], "largest_group_room": best[0],
        "rooms_holding": sum(1 for v in groups.values() if v >= GROUP),
        "longest_hold_min": max(held) / 60 if held else 0.0,
        "alive": int(run.summary.get("humans_alive", 0)),
    }


def run_seed(seed: int, duration: str | None, out: Path, hold_s: float = HOLD_S
             ) -> tuple[dict, float]:
    from hyosan import Simulation, load_scenario
    from hyosan.units import parse_quantity

    sc = load_scenario("hyosan-high")
    t0 = time.perf_counter()
    dur = parse_quantity(duration, "time") if duration else None
    res = Simulation(sc, seed=seed).run(out / f"seed{seed}", duration=dur)
    return measure(res.run_dir, hold_s), time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    ap.add_argument("--duration", default=None, help='e.g. "90 min" (default: the full 3 h)')
    ap.add_argument("--hold-min", type=float, default=HOLD_S / 60,
                    help="minutes a barricaded group must last (default 60)")
    ap.add_argument("--out", default=None, help="keep run directories here")
    ap.add_argument("--measure", nargs="*", default=None,
                    help="only measure these finished run directories")
    args = ap.parse_args()
    rows = []
    if args.measure:
        rows = [(Path(p).name, measure(Path(p), 60 * args.hold_min), 0.0)
                for p in args.measure]
    else:
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(args.out) if args.out else Path(tmp)
            for s in args.seeds:
                m, wall = run_seed(s, args.duration, out, 60 * args.hold_min)
                rows.append((str(s), m, wall))
                print(f"seed {s}: {m} ({wall:.0f} s)", flush=True)
    keys = ("school_survivors", "students_survived", "rescued", "largest_group",
            "rooms_holding", "longest_hold_min")
    print("\n| seed | " + " | ".join(keys) + " | largest group's room |")
    print("|---" * (len(keys) + 2) + "|")
    for s, m, _ in rows:
        print(f"| {s} | " + " | ".join(f"{m[k]:.0f}" if isinstance(m[k], float) else
                                       str(m[k]) for k in keys)
              + f" | {m['largest_group_room']} |")
    if len(rows) > 1:
        for k in keys:
            v = [m[k] for _, m, _ in rows]
            print(f"{k}: median {statistics.median(v):.1f}, range {min(v):.0f}–{max(v):.0f}")


if __name__ == "__main__":
    main()
