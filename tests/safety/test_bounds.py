"""Bounded resources and the CLI's error boundary: the YAML bomb, the viewer's links, exit
statuses decided in one place."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
import tracemalloc
import urllib.error
import urllib.request

import pytest

from hyosan.errors import ScenarioError
from hyosan.scenario.loader import parse_scenario

BOMB = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n' + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [" + ",".join([f"*{chr(97 + i)}"] * 9) + "]\n"
    for i in range(8))  # 9^9 ≈ 387 million strings once expanded


def test_yaml_bomb_refused_fast_and_small():
    tracemalloc.start()
    t0 = time.perf_counter()
    with pytest.raises(ScenarioError, match="aliases are expanded"):
        parse_scenario(BOMB, source="bomb.yaml")
    elapsed = time.perf_counter() - t0
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert elapsed < 1.0, elapsed
    assert peak < 100 * 2**20, peak


def test_a_few_aliases_still_work():
    text = ("name: aliased\nworld: {generator: grid, grid: &g {rows: 10, cols: 10}}\n"
            "population:\n  - &p {role: resident, count: 5, places: [grid]}\n  - *p\n")
    sc = parse_scenario(text)
    assert [s.count for s in sc.population] == [5, 5]


def test_viewer_refuses_a_link_out_of_the_run(tmp_path, finished_run):
    from hyosan.viewer.server import ViewerServer

    run = tmp_path / "run"
    shutil.copytree(finished_run, run)
    secret = tmp_path / "secret.txt"
    secret.write_text("private")
    chunks = sorted((run / "frames").glob("chunk_*.bin.gz"))
    assert len(chunks) >= 1
    chunks[0].unlink()
    chunks[0].symlink_to(secret)
    server = ViewerServer(run, port=0)
    server.start_background()
    try:
        ok = urllib.request.urlopen(server.url + "data/meta.json", timeout=10)
        assert ok.status == 200
        with pytest.raises(urllib.error.HTTPError) as err:
            urllib.request.urlopen(server.url + f"data/frames/{chunks[0].name}", timeout=10)
        assert err.value.code == 403
        assert b"private" not in err.value.read()
    finally:
        server.shutdown()
        server.server_close()


def test_failing_validate_exits_nonzero(cli, monkeypatch):
    import hyosan.validate.commands as vc

    monkeypatch.setattr(vc, "run_suite", lambda name, full, out: False)
    assert cli("validate", "movement").code == 1
    monkeypatch.setattr(vc, "run_suite", lambda name, full, out: True)
    assert cli("validate", "movement").code == 0


def test_traceback_only_with_hyosan_debug(cli, monkeypatch, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: x\nrun: {dt: 0}\n")
    plain = cli("check", bad)
    assert plain.code == 1 and "Traceback" not in plain.out
    monkeypatch.setenv("HYOSAN_DEBUG", "1")
    debug = cli("check", bad)
    assert debug.code == 1 and "Traceback" in debug.out


def test_a_bug_is_called_a_bug(cli, monkeypatch):
    import hyosan.scenario.loader as loader

    def broken(*a, **k):
        raise ZeroDivisionError("oops")

    monkeypatch.setattr(loader, "load_scenario", broken)
    res = cli("check", "anything")
    assert res.code == 70 and "internal error" in res.out and "Traceback" not in res.out


def test_os_error_on_a_user_path_is_one_line(cli, monkeypatch):
    import hyosan.scenario.loader as loader

    def full_disk(*a, **k):
        raise OSError(28, "No space left on device", "/mnt/full/x")

    monkeypatch.setattr(loader, "load_scenario", full_disk)
    res = cli("check", "anything")
    assert res.code == 1 and "/mnt/full/x: No space left on device" in res.out


def test_engine_knows_no_pictures():
    """Simulating (and its command) imports nothing of the report: the CLI chains them."""
    code = ("import sys, hyosan.engine.commands, hyosan.engine.simulation; "
            "bad = [m for m in sys.modules if m.startswith(('hyosan.report', 'matplotlib'))]; "
            "assert not bad, bad")
    subprocess.run([sys.executable, "-c", code], check=True, timeout=120)


def test_check_catches_what_run_would_reject(cli, tmp_path):
    """Populations that only placing them can reject: check fails exactly like run."""
    from safety_util import TINY

    for old, new in (("count: 50,", "count: 100000,"),
                     ("count: 2, already", "count: 1000, already")):
        path = tmp_path / "p.yaml"
        path.write_text(TINY.replace(old, new))
        checked = cli("check", path)
        ran = cli("run", path, "--out", tmp_path / "r", "--no-progress")
        assert checked.code == ran.code == 1
        assert checked.out.splitlines()[-1] == ran.out.splitlines()[-1]
        assert not (tmp_path / "r").exists()


def test_memory_estimate_checked_before_the_world_is_built(cli, tmp_path, monkeypatch):
    from safety_util import TINY

    import hyosan.limits
    import hyosan.scenario.build as build

    def never(*a, **k):
        raise AssertionError("the world was built before the memory check")

    monkeypatch.setattr(hyosan.limits, "available_memory", lambda: 10_000)
    monkeypatch.setattr(build, "build_world", never)
    path = tmp_path / "t.yaml"
    path.write_text(TINY)
    res = cli("check", path)
    assert res.code == 1 and "GiB of memory" in res.out and "t.yaml" in res.out


def test_export_refuses_a_link_out_of_the_run(tmp_path, finished_run, cli):
    run = tmp_path / "run"
    shutil.copytree(finished_run, run)
    secret = tmp_path / "secret.txt"
    secret.write_text("private")
    chunk = sorted((run / "frames").glob("chunk_*.bin.gz"))[0]
    chunk.unlink()
    chunk.symlink_to(secret)
    res = cli("view", run, "--export", tmp_path / "site")
    assert res.code == 1 and "outside the run directory" in res.out
    assert not (tmp_path / "site").exists()


def test_trajectories_too_big_refused_before_the_run(cli, tmp_path, monkeypatch):
    """Positions for every agent and tick over a long run are refused before the first tick,
    naming ``--trajectories-every`` and the limit's variable; nothing is written."""
    from safety_util import TINY

    path = tmp_path / "tiny.yaml"
    path.write_text(TINY)
    monkeypatch.setenv("HYOSAN_MAX_TRAJECTORY_ROWS", "1000")
    out = tmp_path / "run"
    r = cli("run", path, "--out", out, "--no-report", "--no-progress", "--trajectories")
    assert r.code == 1 and "Traceback" not in r.out
    assert "--trajectories-every" in r.flat and "HYOSAN_MAX_TRAJECTORY_ROWS" in r.flat
    assert not out.exists()
    ok = cli("run", path, "--out", out, "--no-report", "--no-progress", "--trajectories",
             "--trajectories-every", "20s")  # 50 agents × 2 frames fits
    assert ok.code == 0, ok.out
    assert (out / "trajectories" / "level0.txt").is_file()


def test_trajectories_name_the_missing_extra(cli, tmp_path, monkeypatch):
    import importlib.util

    from safety_util import TINY

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: None if name == "h5py" else real(name, *a))
    path = tmp_path / "tiny.yaml"
    path.write_text(TINY)
    r = cli("run", path, "--out", tmp_path / "run", "--no-report", "--no-progress",
            "--trajectories")
    assert r.code == 1 and "hyosan[egress]" in r.flat and "--trajectories" in r.flat
    assert not (tmp_path / "run").exists()
