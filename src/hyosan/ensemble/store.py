"""The ensemble store: one DuckDB file, written by the parent process only, one replicate per
transaction, so a sweep stopped at any moment keeps every replicate that finished.

Tables
  ``runs``        run_id, scenario, settings (canonical JSON), label, replicate, base_seed,
                  spawn_key, duration_s, wall_time_s, finished_at, and one column per varied key
                  (named by the dotted key: DOUBLE for numbers, BOOLEAN, else VARCHAR)
  ``summaries``   run_id, survivors (= humans_alive + escaped), humans_alive, escaped, zombies,
                  destroyed, dead, agents, school_population, time_to_half_school_infected_s
                  (NULL if never), ticks, simulated_s, final_<state> for every state, named and
                  responses (JSON)
  ``timeseries``  run_id, time_s, one count column per state (thinned: see ``task.THIN_S``)

``StoreWriter`` is the store behind the run writers' interface (``record.protocol.Writer``):
a run fed to it lands in the store as one replicate, as ``Store.write`` would store it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pyarrow as pa

from hyosan.ensemble.sweep import Replicate, canonical
from hyosan.ensemble.task import THIN_S, thin
from hyosan.errors import HyosanError
from hyosan.record.outputs import Columns
from hyosan.world.world import World

STATES = ("susceptible", "infected", "zombie", "carrier", "dead", "destroyed", "escaped")
TABLES = ("runs", "summaries", "timeseries")

_SCHEMA = [
    """CREATE TABLE IF NOT EXISTS runs (
        run_id VARCHAR PRIMARY KEY, scenario VARCHAR NOT NULL, settings VARCHAR NOT NULL,
        label VARCHAR NOT NULL, replicate INTEGER NOT NULL, base_seed BIGINT NOT NULL,
        spawn_key VARCHAR NOT NULL, duration_s DOUBLE, wall_time_s DOUBLE,
        finished_at TIMESTAMP DEFAULT current_timestamp)""",
    """CREATE TABLE IF NOT EXISTS summaries (
        run_id VARCHAR PRIMARY KEY, survivors INTEGER, humans_alive INTEGER, escaped INTEGER,
        zombies INTEGER, destroyed INTEGER, dead INTEGER, agents INTEGER,
        school_population INTEGER, time_to_half_school_infected_s DOUBLE, ticks BIGINT,
        simulated_s DOUBLE, """
    + ", ".join(f"final_{s} INTEGER" for s in STATES) + ", named VARCHAR, responses VARCHAR)",
    "CREATE TABLE IF NOT EXISTS timeseries (run_id VARCHAR NOT NULL, time_s DOUBLE NOT NULL, "
    + ", ".join(f"{s} INTEGER" for s in STATES) + ")",
]


def _column_type(value: Any) -> str:
    if isinstance(value, bool):
        return "BOOLEAN"
    if isinstance(value, int | float):
        return "DOUBLE"
    return "VARCHAR"


def _column_value(value: Any, sql_type: str) -> Any:
    if sql_type == "VARCHAR":
        return value if isinstance(value, str) else canonical(value)
    return value


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


class Store:
    """A DuckDB ensemble store (created on first use)."""

    def __init__(self, path: str | Path, *, read_only: bool = False) -> None:
        self.path = Path(path)
        if read_only and not self.path.is_file():
            raise HyosanError(f"{self.path}: no such ensemble store")
        try:
            self.con = duckdb.connect(str(self.path), read_only=read_only)
        except duckdb.Error as exc:
            raise HyosanError(f"{self.path}: cannot open the store: {exc}") from None
        if not read_only:
            for sql in _SCHEMA:
                self.con.execute(sql)
        elif not set(TABLES) <= set(self.tables()):
            raise HyosanError(f"{self.path}: not an ensemble store (no runs/summaries tables)")

    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def tables(self) -> list[str]:
        return [r[0] for r in self.con.execute("SHOW TABLES").fetchall()]

    def done_ids(self) -> set[str]:
        """Run ids of every stored replicate."""
        return {r[0] for r in self.con.execute("SELECT run_id FROM runs").fetchall()}

    def _run_columns(self) -> dict[str, str]:
        rows = self.con.execute("SELECT column_name, data_type FROM information_schema.columns "
                                "WHERE table_name = 'runs'").fetchall()
        return dict(rows)

    def _ensure_setting_columns(self, settings: dict[str, Any]) -> dict[str, str]:
        cols = self._run_columns()
        for key, value in settings.items():
            want = _column_type(value)
            have = cols.get(key)
            if have is None:
                self.con.execute(f"ALTER TABLE runs ADD COLUMN {_quote(key)} {want}")
                cols[key] = want
            elif have != want and have != "VARCHAR":
                # a key once numeric now takes text: widen the column to text
                self.con.execute(f"ALTER TABLE runs ALTER {_quote(key)} TYPE VARCHAR")
                cols[key] = "VARCHAR"
        return cols

    def write(self, rep: Replicate, result: dict[str, Any]) -> None:
        """Store one finished replicate in one transaction (all three tables or nothing).

        ``result`` holds ``summary`` (a run's summary; of named characters and responses only
        state, fate, time and action are kept), ``timeseries`` and ``wall_time_s``."""
        s = result["summary"]
        cols = self._ensure_setting_columns(rep.settings)
        names = ["run_id", "scenario", "settings", "label", "replicate", "base_seed",
                 "spawn_key", "duration_s", "wall_time_s"]
        values = [rep.run_id, rep.scenario, rep.settings_json, rep.label, rep.index,
                  rep.base_seed, canonical(list(rep.spawn_key)), rep.duration_s,
                  result["wall_time_s"]]
        for key, value in rep.settings.items():
            names.append(key)
            values.append(_column_value(value, cols[key]))
        counts = s["counts"]
        summary = {
            "run_id": rep.run_id, "survivors": s["humans_alive"] + s["escaped"],
            **{k: s[k] for k in ("humans_alive", "escaped", "zombies", "destroyed", "dead",
                                 "agents", "school_population",
                                 "time_to_half_school_infected_s", "ticks")},
            "simulated_s": s["duration_s"],
            **{f"final_{st}": counts[st] for st in STATES},
            "named": json.dumps({n: {"state": v["state"], "fate": v["fate"]}
                                 for n, v in s.get("named", {}).items()}),
            "responses": json.dumps([{"time_s": r["time_s"], "action": r["action"]}
                                     for r in s.get("responses", [])]),
        }
        ts = result["timeseries"]
        n = len(ts["time_s"])
        table = pa.table({"run_id": pa.array([rep.run_id] * n, pa.string()),
                          "time_s": pa.array(ts["time_s"], pa.float64()),
                          **{st: pa.array(ts[st], pa.int32()) for st in STATES}})
        self.con.begin()
        try:
            self.con.execute(
                f"INSERT INTO runs ({', '.join(map(_quote, names))}) "
                f"VALUES ({', '.join('?' * len(names))})", values)
            self.con.execute(
                f"INSERT INTO summaries ({', '.join(summary)}) "
                f"VALUES ({', '.join('?' * len(summary))})", list(summary.values()))
            self.con.register("_hyosan_ts", table)
            self.con.execute("INSERT INTO timeseries SELECT * FROM _hyosan_ts")
            self.con.unregister("_hyosan_ts")
            self.con.commit()
        except BaseException:
            self.con.rollback()
            raise

    def export_parquet(self, out_dir: str | Path) -> list[Path]:
        """Write every table as ``OUT_DIR/<table>.parquet``."""
        out = Path(out_dir)
        out.mkdir(parents=True, exist_ok=True)
        paths = []
        for t in TABLES:
            p = out / f"{t}.parquet"
            self.con.execute(f"COPY {t} TO '{str(p).replace(chr(39), chr(39) * 2)}' "
                             "(FORMAT PARQUET)")
            paths.append(p)
        return paths


class StoreWriter:
    """One replicate written into a ``Store`` through the writer interface.

    The store keeps summaries and a thinned time series (one row per ``thin_s`` of simulated
    time, plus the last), so events, frames and tables other than the summary are not kept:
    an ensemble compares outcomes, and a run directory is the place for the rest. ``close``
    stores the replicate in one transaction."""

    def __init__(self, store: Store, rep: Replicate, dt: float, thin_s: float = THIN_S):
        self.store, self.rep, self.dt, self.thin_s = store, rep, dt, thin_s
        self.series: dict[str, list] = {"tick": [], "time_s": [], **{s: [] for s in STATES}}

    def begin(self, scenario_yaml: str, world: World, n_agents: int) -> None:
        """Nothing to keep: the replicate names its scenario and settings."""

    def counts(self, tick: int, time_s: float, by_state: np.ndarray,
               humans_by_level: np.ndarray, zombies_by_level: np.ndarray) -> None:
        self.series["tick"].append(int(tick))
        self.series["time_s"].append(float(time_s))
        for i, name in enumerate(STATES):
            self.series[name].append(int(by_state[i]))

    def events_bulk(self, columns: Columns) -> None:
        """Not stored (see the class)."""

    def frame(self, tick: int, time_s: float, level: np.ndarray, state: np.ndarray,
              row: np.ndarray, col: np.ndarray, door_state: np.ndarray) -> None:
        """Not stored (see the class)."""

    def table(self, name: str, columns: Columns) -> None:
        """Not stored (see the class)."""

    def close(self, agents: Columns, summary: dict[str, Any]) -> None:
        self.store.write(self.rep, {
            "summary": summary, "wall_time_s": summary.get("wall_time_s"),
            "timeseries": thin({k: np.asarray(v) for k, v in self.series.items()}, self.dt,
                               self.thin_s)})
