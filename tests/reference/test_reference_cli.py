"""`hyosan reference ...` commands: they run, print the key numbers and write plot and CSV."""

from __future__ import annotations

import csv

import pytest
import typer
from typer.testing import CliRunner

from hyosan.errors import ScenarioError
from hyosan.reference import commands


@pytest.fixture()
def app() -> typer.Typer:
    app = typer.Typer()
    app.command("noop")(lambda: None)  # a second command keeps `reference` a sub-command
    commands.register(app)
    return app


def _rows(path):
    with path.open() as f:
        return list(csv.DictReader(f))


def test_munz_doomsday(app, tmp_path):
    res = CliRunner().invoke(app, ["reference", "munz", "--out", str(tmp_path)])
    assert res.exit_code == 0, res.output
    assert "doomsday" in res.output
    rows = _rows(tmp_path / "munz.csv")
    assert float(rows[0]["S"]) == 500 and float(rows[-1]["S"]) < 1e-3
    assert (tmp_path / "munz.png").stat().st_size > 1000


def test_munz_quarantine_prints_r0(app, tmp_path):
    res = CliRunner().invoke(app, ["reference", "munz", "--variant", "quarantine", "--kappa",
                                   "0.02", "--sigma", "0", "--out", str(tmp_path)])
    assert res.exit_code == 0, res.output
    # βNρ/((ρ+κ)αN) = 0.0095·500·0.005/(0.025·2.5) = 0.38
    assert "0.38" in res.output


def test_munz_rejects_options_of_other_variants(app, tmp_path):
    res = CliRunner().invoke(app, ["reference", "munz", "--c", "0.1", "--out", str(tmp_path)])
    assert isinstance(res.exception, ScenarioError)
    assert "--c" in str(res.exception)


def test_alemi_and_lattice(app, tmp_path):
    res = CliRunner().invoke(app, ["reference", "alemi", "--n", "2000", "--runs", "50",
                                   "--alpha", "0.5", "--out", str(tmp_path)])
    assert res.exit_code == 0, res.output
    assert "0.5000" in res.output  # min(α, 1)
    rows = _rows(tmp_path / "alemi.csv")
    assert float(rows[0]["S_closed"]) == 1999
    res = CliRunner().invoke(app, ["reference", "lattice", "--size", "32", "--runs", "50",
                                   "--alpha", "0", "--out", str(tmp_path)])
    assert res.exit_code == 0, res.output
    sizes = _rows(tmp_path / "lattice_sizes.csv")
    assert len(sizes) == 50 and all(int(r["size"]) == 32 * 32 // 4 for r in sizes)
    assert (tmp_path / "lattice.png").exists() and (tmp_path / "lattice_run.png").exists()
