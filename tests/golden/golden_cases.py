"""Reference runs whose outputs must not change under refactors or exact optimisations.

Each case is a small but busy run: the flagship with its timeline compressed into ten minutes
(every response action fires), the school alone with an evacuation, a strike and a lure, the
simple profiles of ``grid-benchmark``, and the reduced RiMEA cases. ``capture`` turns a case's
outputs into plain arrays; ``regenerate.py`` writes them under ``data/`` and ``test_golden.py``
compares a fresh run with them byte for byte.

Regenerate only when a change is *meant* to alter the model, and say why in the commit and in
CHANGELOG.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyarrow.parquet as pq

DATA = Path(__file__).with_name("data")

# name -> (scenario, seed, duration in seconds, overrides, extra response entries)
RUN_CASES: dict[str, tuple[str, int, float, dict, list]] = {
    "flagship": ("hyosan-high", 2022, 600.0, {
        "outbreak.index_cases.0.turn_after": 30.0,
        "response.2.at": 180.0,        # police
        "response.3.at": 360.0,        # quarantine
        "response.4.at": 400.0,        # gather at the rooftop
        "response.5.at": 420.0,        # rescue
        "response.5.every": 60.0,
        "run.frames_every": 60.0,
    }, []),
    "school": ("school-outbreak", 7, 600.0, {
        "outbreak.index_cases.0.turn_after": 20.0,
        "response.1.at": 300.0,        # evacuate
        "run.frames_every": 60.0,
    }, [
        {"action": "lockdown", "at": 120.0},
        {"action": "alarm", "at": 150.0},
        {"action": "lure", "at": 200.0, "place": "music room"},
        {"action": "strike", "at": 450.0, "place": "class 2-5", "fraction": 0.9},
        {"action": "fire_alarm", "at": 500.0},
    ]),
    "grid": ("grid-benchmark", 1, 60.0, {}, []),
    "grid-mixing": ("grid-benchmark", 2, 60.0, {"behaviour.profile": "mixing"}, []),
    "grid-lattice": ("grid-benchmark", 3, 60.0, {"behaviour.profile": "lattice"}, []),
}

TABLES = ("timeseries", "events", "agents")


def scenario_for(name: str):
    """The validated scenario of run case ``name``."""
    from hyosan import load_scenario
    from hyosan.scenario import apply_overrides

    base, _seed, _dur, overrides, extra = RUN_CASES[name]
    sc = load_scenario(base)
    if extra:
        data = sc.model_dump(mode="json")
        data["response"] = list(data["response"]) + extra
        sc = type(sc).model_validate(data)
    return apply_overrides(sc, overrides) if overrides else sc


def run_case(name: str, out_dir: Path) -> dict[str, np.ndarray]:
    """Run case ``name`` into ``out_dir`` and return its outputs as named arrays."""
    from hyosan import Simulation

    _base, seed, duration, _o, _e = RUN_CASES[name]
    sim = Simulation(scenario_for(name), seed=seed)
    res = sim.run(out_dir, duration=duration)
    arrays: dict[str, np.ndarray] = {}
    for table in TABLES:
        t = pq.read_table(res.run_dir / f"{table}.parquet")
        for col in t.column_names:
            arrays[f"{table}/{col}"] = _array(t.column(col).to_pylist())
    from hyosan.record.reader import RunDir

    reader = RunDir(res.run_dir)
    stacks: dict[str, list[np.ndarray]] = {}
    frames = reader.frames() if (res.run_dir / "frames").is_dir() else iter(())
    for tick, _time_s, frame in frames:
        stacks.setdefault("tick", []).append(np.array([tick]))
        for key, value in frame.items():
            stacks.setdefault(key, []).append(np.asarray(value))
    for key, parts in stacks.items():
        arrays[f"frames/{key}"] = np.concatenate(parts)
    counts = res.summary.get("counts", {})
    for key in sorted(counts):
        arrays[f"summary/{key}"] = np.array([counts[key]])
    p = sim.pop
    for attr in ("cell", "state", "mode", "speed", "budget"):
        if hasattr(p, attr):
            arrays[f"final/{attr}"] = np.asarray(getattr(p, attr)).copy()
    return arrays


def _array(values: list) -> np.ndarray:
    if values and all(isinstance(v, str) or v is None for v in values):
        return np.array(["\x00" if v is None else v for v in values], dtype=str)
    if any(isinstance(v, (list, dict)) for v in values):
        return np.array([repr(v) for v in values], dtype=str)
    return np.array([np.nan if v is None else v for v in values])


def rimea_case() -> dict[str, np.ndarray]:
    """The reduced RiMEA cases and bottleneck series: every check's measured text and verdict."""
    from hyosan.validate import movement as mv

    # rows measured by PedPy exist only where PedPy is installed: the reference keeps ours
    checks = [c for c in mv.run(False, None) if not c.name.endswith("(PedPy)")]
    return {
        "name": np.array([c.name for c in checks], dtype=str),
        "measured": np.array([c.measured for c in checks], dtype=str),
        "passed": np.array([c.passed for c in checks]),
    }


def compute(name: str, tmp: Path) -> dict[str, np.ndarray]:
    """The outputs of case ``name`` (a run case or ``rimea``)."""
    if name == "rimea":
        return rimea_case()
    return run_case(name, tmp / name)


ALL_CASES = [*RUN_CASES, "rimea"]


def load(name: str) -> dict[str, np.ndarray]:
    with np.load(DATA / f"{name}.npz", allow_pickle=False) as z:
        return {k: z[k] for k in z.files}


def differences(expected: dict[str, np.ndarray], got: dict[str, np.ndarray]) -> list[str]:
    """Human-readable list of what differs; empty when the outputs are byte-identical."""
    out = []
    for key in sorted(set(expected) | set(got)):
        if key not in got:
            out.append(f"{key}: missing from the new run")
            continue
        if key not in expected:
            out.append(f"{key}: new output not in the reference")
            continue
        a, b = expected[key], got[key]
        if a.shape != b.shape or a.dtype.kind != b.dtype.kind:
            out.append(f"{key}: shape/dtype {a.shape} {a.dtype} -> {b.shape} {b.dtype}")
            continue
        if a.dtype.kind in "fiub":
            same = a.astype(np.float64).tobytes() == b.astype(np.float64).tobytes()
        else:
            same = bool((a == b).all())
        if not same:
            diff = np.flatnonzero(a != b) if a.ndim == 1 else []
            first = int(diff[0]) if len(diff) else -1
            out.append(f"{key}: {len(diff)} values differ (first at {first}: "
                       f"{a[first] if first >= 0 else '?'} -> {b[first] if first >= 0 else '?'})")
    return out
