"""Confidence intervals against an independent computation on the stored data; table, plots,
Parquet export."""

from __future__ import annotations

import math
from pathlib import Path

import duckdb
import numpy as np
import pyarrow.parquet as pq
import pytest
from scipy import stats

from hyosan.ensemble import Store, compare, mean_ci
from hyosan.ensemble.compare import plot, table


def test_mean_ci_closed_form() -> None:
    # x = 1, 2, 3, 4: mean 2.5, s = sqrt(5/3), t(0.975, 3) = 3.182446305284263
    m, lo, hi, n = mean_ci([1, 2, 3, 4])
    half = 3.182446305284263 * math.sqrt(5 / 3) / 2
    assert (m, n) == (2.5, 4)
    assert lo == pytest.approx(2.5 - half, rel=1e-12)
    assert hi == pytest.approx(2.5 + half, rel=1e-12)
    assert math.isnan(mean_ci([7.0])[1]) and mean_ci([7.0])[0] == 7.0
    assert mean_ci([np.nan, 1.0, 3.0])[3] == 2  # runs where it never happened are left out


def test_intervals_match_scipy_on_the_stored_values(local2_store: Path) -> None:
    con = duckdb.connect(str(local2_store), read_only=True)
    rows = con.execute("SELECT r.\"outbreak.bite_probability\", s.humans_alive + s.escaped, "
                       "s.escaped, s.zombies FROM runs r JOIN summaries s USING (run_id)"
                       ).fetchall()
    con.close()
    with Store(local2_store, read_only=True) as st:
        groups = compare(st)
    assert [g.value for g in groups] == [0.2, 0.9]
    for g in groups:
        mine = [r for r in rows if r[0] == g.value]
        assert g.n == len(mine) == 3
        for col, name in ((1, "survivors"), (2, "escaped"), (3, "zombies")):
            x = np.array([r[col] for r in mine], dtype=float)
            m, lo, hi, n = g.stats[name]
            assert m == pytest.approx(x.mean())
            if x.std() == 0:
                assert lo == pytest.approx(m) and hi == pytest.approx(m)
                continue
            ref = stats.t.interval(0.95, len(x) - 1, loc=x.mean(), scale=stats.sem(x))
            assert (lo, hi) == pytest.approx(ref, rel=1e-9)
    # the two settings differ (bites 0.2 vs 0.9 per tick): more zombies with 0.9
    assert groups[1].stats["zombies"][0] > groups[0].stats["zombies"][0]


def test_table_plots_and_parquet(local2_store: Path, tmp_path: Path) -> None:
    from rich.console import Console

    with Store(local2_store, read_only=True) as st:
        groups = compare(st, by="outbreak.bite_probability")
        console = Console(record=True, width=200)
        console.print(table(groups))
        text = console.export_text()
        paths = plot(st, groups, tmp_path)
        exported = st.export_parquet(tmp_path / "pq")
    assert "outbreak.bite_probability" in text and "0.9" in text
    for p in paths:
        assert p.stat().st_size > 10_000
    counts = {p.stem: pq.read_table(p).num_rows for p in exported}
    con = duckdb.connect(str(local2_store), read_only=True)
    for t, n in counts.items():
        assert n == con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] > 0
    con.close()


def test_compare_rejects_unknown_key(local2_store: Path) -> None:
    from hyosan.errors import HyosanError

    with Store(local2_store, read_only=True) as st, pytest.raises(HyosanError, match="--by"):
        compare(st, by="outbreak.bite_rate")
