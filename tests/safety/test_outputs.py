"""Every command that writes leaves other people's files alone, and replaces only its own."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from safety_util import TINY, make_foreign, snapshot

from hyosan.record import outdir
from hyosan.record.outdir import OutputError


@pytest.fixture
def place(tmp_path, monkeypatch):
    (tmp_path / "tiny.yaml").write_text(TINY)
    make_foreign(tmp_path / "mine")
    (tmp_path / "mine.png").write_bytes(b"\x89PNG\r\n\x1a\n my own drawing")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def writing_commands(run: Path) -> list[list[str]]:
    """Each writing command pointed at the user's folder ``mine`` (or their file)."""
    return [
        ["run", "tiny.yaml", "--out", "mine", "--no-progress"],
        ["report", "mine"],
        ["view", str(run), "--export", "mine"],
        ["world", "tiny.yaml", "--png", "mine.png"],
        ["world", "tiny.yaml", "--png", "mine"],
        ["ensemble", "tiny.yaml", "-n", "1", "-w", "1", "--store", "e.duckdb",
         "--export", "mine", "--no-progress"],
        ["compare", "e.duckdb", "--out", "mine"],
        ["compare", "e.duckdb", "--export", "mine"],
        ["reference", "munz", "--out", "mine"],
        ["validate", "movement", "--out", "mine"],
        ["ensemble", "tiny.yaml", "--store", "mine/data.csv"],
    ]


def test_foreign_files_survive_every_writing_command(place, cli, finished_run):
    from hyosan.ensemble.store import Store

    Store(place / "e.duckdb").close()
    before = snapshot(place / "mine")
    png = (place / "mine.png").read_bytes()
    for argv in writing_commands(finished_run):
        res = cli(*argv)
        assert res.code == 1 and "Traceback" not in res.out, (argv, res.out)
        assert snapshot(place / "mine") == before, argv
        assert (place / "mine.png").read_bytes() == png, argv


def test_empty_out_and_dotdot_name_touch_nothing(place, cli, monkeypatch):
    here = place / "cwd" / "deeper"
    here.mkdir(parents=True)
    make_foreign(place / "victim")
    # a name that would have become runs/../../../victim, i.e. the user's folder
    (place / "evil.yaml").write_text(TINY.replace("name: tiny", "name: ../../../victim"))
    (here / "keep.txt").write_text("the current folder's own file")
    monkeypatch.chdir(here)
    before = snapshot(place)
    for argv in (["run", "../../tiny.yaml", "--out", "", "--no-progress"],
                 ["run", "../../evil.yaml", "--no-progress"]):
        res = cli(*argv)
        assert res.code == 1, res.out
        assert snapshot(place) == before, argv


def test_rerun_replaces_its_own_run_only(place, cli):
    first = cli("run", "tiny.yaml", "--out", "r", "--no-progress", "--no-report")
    assert first.code == 0, first.out
    summary = json.loads((place / "r" / "summary.json").read_text())
    assert summary["complete"] and outdir.output_kind(place / "r") == "run"
    (place / "r" / "stale.txt").write_text("left by an older run")
    again = cli("run", "tiny.yaml", "--out", "r", "--no-progress", "--no-report", "--seed", "5")
    assert again.code == 0, again.out
    assert not (place / "r" / "stale.txt").exists()  # replaced whole, not merged
    assert json.loads((place / "r" / "summary.json").read_text())["seed"] == 5
    assert not list(place.glob(".r.*"))  # no temporary siblings left behind


def test_check_dir_rules(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert outdir.check_dir(tmp_path / "new", "run")  # new
    (tmp_path / "empty").mkdir()
    assert outdir.check_dir(tmp_path / "empty", "run")  # empty
    legacy = tmp_path / "legacy"  # a run written before the marker existed
    legacy.mkdir()
    (legacy / "summary.json").write_text(json.dumps({"format": "hyosan-run/1"}))
    assert outdir.check_dir(legacy, "run")
    with pytest.raises(OutputError, match="not a compare"):
        outdir.check_dir(legacy, "compare")
    with pytest.raises(OutputError, match="current folder"):
        outdir.check_dir(Path("."), "run")
    with pytest.raises(OutputError, match="empty"):
        outdir.as_path("", "--out")


def test_staged_output_discarded_on_error(tmp_path):
    target = tmp_path / "site"
    with outdir.Staged(target, "viewer") as tmp:
        (tmp / "index.html").write_text("one")
    assert (target / "index.html").read_text() == "one"
    with pytest.raises(RuntimeError), outdir.Staged(target, "viewer") as tmp:
        (tmp / "index.html").write_text("two")
        raise RuntimeError("stopped midway")
    assert (target / "index.html").read_text() == "one"  # the good one stays
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_world_png_replaces_only_its_own_picture(place, cli):
    assert cli("world", "tiny.yaml", "--png", "w.png").code == 0
    assert outdir.png_is_ours(place / "w.png")
    assert cli("world", "tiny.yaml", "--png", "w.png").code == 0  # ours: replaced
    res = cli("world", "tiny.yaml", "--png", "mine.png")
    assert res.code == 1 and "--force" in res.out
    assert cli("world", "tiny.yaml", "--png", "mine.png", "--force").code == 0
    assert outdir.png_is_ours(place / "mine.png")


def test_report_refuses_a_copy_without_marker_only_if_not_a_run(tmp_path, finished_run, cli):
    copy = tmp_path / "copy"
    shutil.copytree(finished_run, copy)
    (copy / outdir.MARKER).unlink()  # a run copied by hand still has its summary
    res = cli("report", copy, "--no-animation")
    assert res.code == 0, res.out
