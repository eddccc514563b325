"""A sweep killed midway keeps what finished; the same command then runs only what is missing."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import duckdb

REPS = 10
VALUES = (0.2, 0.9)


def _command(scenario: Path, store: Path) -> list[str]:
    return [sys.executable, "-m", "hyosan.cli", "ensemble", str(scenario), "-n", str(REPS),
            "--vary", "outbreak.bite_probability=" + ",".join(map(str, VALUES)),
            "--duration", "500 s", "--workers", "1", "--store", str(store), "--log"]


def test_killed_sweep_resumes_without_duplicates_or_gaps(tiny_scenario: Path, tmp_path: Path
                                                         ) -> None:
    store = tmp_path / "resume.duckdb"
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "COLUMNS": "200"}
    proc = subprocess.Popen(_command(tiny_scenario, store), stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, env=env,
                            start_new_session=True)
    stored = 0
    try:
        assert proc.stdout is not None
        for line in proc.stdout:
            if line.startswith("stored "):
                stored += 1
                if stored == 3:
                    break
    finally:
        # SIGKILL the whole session we started (the CLI and its pool's workers): no clean-up
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    assert stored == 3

    con = duckdb.connect(str(store), read_only=True)
    kept = con.execute("SELECT count(*) FROM runs").fetchone()[0]
    con.close()
    total = REPS * len(VALUES)
    assert 3 <= kept < total, "the kill should land midway"

    again = subprocess.run(_command(tiny_scenario, store), capture_output=True, text=True,
                           env=env, timeout=120)
    assert again.returncode == 0, again.stderr
    already = int(re.search(r"(\d+) already in the store", again.stdout).group(1))
    assert already == kept
    assert again.stdout.count("stored ") == total - kept  # only the missing ones ran

    con = duckdb.connect(str(store), read_only=True)
    try:
        rows = con.execute("SELECT \"outbreak.bite_probability\", replicate FROM runs "
                           "ORDER BY 1, 2").fetchall()
        n_summ = con.execute("SELECT count(DISTINCT run_id), count(*) FROM summaries"
                             ).fetchone()
        ts = con.execute("SELECT count(*), count(DISTINCT (run_id, time_s)), "
                         "count(DISTINCT run_id) FROM timeseries").fetchone()
    finally:
        con.close()
    assert rows == [(v, i) for v in VALUES for i in range(REPS)]
    assert n_summ == (total, total)
    # 500 s thinned to one row per 10 s: t = 0, 10, ..., 500
    assert ts == (total * 51, total * 51, total)
