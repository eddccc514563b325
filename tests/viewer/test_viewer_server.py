"""The local server and the exported site, without a browser: allow-list, read-only, no escape."""

from __future__ import annotations

import gzip
import http.client
import json
import socket

import numpy as np
import pytest
from typer.testing import CliRunner

from hyosan.errors import HyosanError, RunDirError
from hyosan.record import format as fmt
from hyosan.record.reader import RunDir
from hyosan.viewer.export import build_site, export_site
from hyosan.viewer.server import ViewerServer, url_key

SECRET = "top-secret-marker-5f1c"


def request(srv: ViewerServer, method: str, target: str) -> tuple[int, bytes, dict]:
    host, port = srv.server_address[:2]
    conn = http.client.HTTPConnection(host, port, timeout=10)
    try:
        conn.request(method, target)
        resp = conn.getresponse()
        return resp.status, resp.read(), dict(resp.getheaders())
    finally:
        conn.close()


def raw_request(srv: ViewerServer, line: bytes) -> tuple[int, bytes]:
    """Send a request line byte for byte (http.client refuses to send some of these)."""
    with socket.create_connection(srv.server_address[:2], timeout=10) as s:
        s.sendall(line + b"\r\nHost: x\r\nConnection: close\r\n\r\n")
        data = b""
        while chunk := s.recv(65536):
            data += chunk
    status = int(data.split(b" ", 2)[1])
    return status, data


def test_binds_loopback_on_a_free_port(server):
    host, port = server.server_address[:2]
    assert host == "127.0.0.1"
    assert port > 0
    assert server.url == f"http://127.0.0.1:{port}/"


def test_serves_page_and_data(server, run_dir):
    status, body, headers = request(server, "GET", "/")
    assert status == 200 and b'<script src="viewer.js">' in body
    assert "default-src 'self'" in headers["Content-Security-Policy"]
    status, body, _ = request(server, "GET", "/data/meta.json")
    meta = json.loads(body)
    assert meta["frames"]["n_frames"] == RunDir(run_dir).n_frames
    # chunks pass through byte for byte and decode to the writer's layout
    first = meta["frames"]["chunks"][1]["file"]
    status, body, headers = request(server, "GET", f"/data/frames/{first}")
    assert status == 200 and "Content-Encoding" not in headers
    assert body == (run_dir / fmt.FRAMES_DIR / first).read_bytes()
    n, count = meta["frames"]["n_agents"], meta["frames"]["chunks"][1]["count"]
    assert len(gzip.decompress(body)) == count * (6 * n + meta["frames"]["n_doors"])


def test_head_matches_get_without_body(server):
    _, body, _ = request(server, "GET", "/viewer.js")
    status, head_body, headers = request(server, "HEAD", "/viewer.js")
    assert status == 200 and head_body == b""
    assert int(headers["Content-Length"]) == len(body)


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "PATCH", "OPTIONS", "BREW"])
def test_read_only(server, method):
    status, body, headers = request(server, method, "/data/meta.json")
    assert status == 405
    assert headers["Allow"] == "GET, HEAD"
    assert b"Traceback" not in body


TRAVERSALS = [
    "/../summary.json", "/data/../../summary.json", "/data/frames/../../../etc/passwd",
    "/%2e%2e/summary.json", "/%2e%2e%2fsummary.json", "/data%2f..%2f..%2fsecret.txt",
    "/%252e%252e%252fsecret.txt", "/..%5csecret.txt", "/data\\..\\..\\secret.txt",
    "//etc/passwd", "/data//meta.json", "/%2fetc%2fpasswd", "/..%c0%af..%c0%afsecret.txt",
    "http://example.com/index.html", "*",
]


@pytest.mark.parametrize("target", TRAVERSALS)
def test_traversals_refused(server, run_dir, target):
    (run_dir.parent / "secret.txt").write_text(SECRET)
    status, body, _ = request(server, "GET", target)
    assert 400 <= status < 500
    assert SECRET.encode() not in body and b"root:" not in body and b"Traceback" not in body


@pytest.mark.parametrize("target", ["/etc/passwd", "/summary.json", "/world.npz",
                                    "/frames/index.json", "/data/frames/chunk_99999.bin.gz",
                                    "/secret.txt"])
def test_outside_the_allow_list_is_404(server, target):
    status, body, _ = request(server, "GET", target)
    assert status == 404 and b"Traceback" not in body


@pytest.mark.parametrize("line", [b"GET /%00/../secret.txt HTTP/1.1",
                                  b"GET /index.html\x00.txt HTTP/1.1", b"GARBAGE",
                                  b"GET /../secret.txt HTTP/9.9", b"GET " + b"/a" * 40000])
def test_malformed_requests_get_4xx(server, line):
    status, data = raw_request(server, line)
    assert 400 <= status < 500
    assert SECRET.encode() not in data and b"Traceback" not in data


def test_url_key():
    assert url_key("/") == "index.html"
    assert url_key("/data/meta.json?x=1") == "data/meta.json"
    for bad in ("data/meta.json", "/a/../b", "/%2e", "/a\\b", "/a\x00", "//x", "/a\nb"):
        assert url_key(bad) is None


def test_level_grids_are_the_world(run_dir):
    """The raw level files reproduce world.npz's kind array, level by level (row-major)."""
    site = build_site(run_dir)
    with np.load(run_dir / fmt.WORLD_NPZ) as npz:
        kind = npz["kind"]
    meta = json.loads(site["data/meta.json"])
    rebuilt = np.concatenate([np.frombuffer(site[f"data/level_{lv['index']}.bin"], np.uint8)
                              for lv in meta["world"]["levels"]])
    assert np.array_equal(rebuilt, kind)
    # every door position points at a door cell (kind 2) of its level
    d = meta["doors"]
    for lvl, r, c in zip(d["level"], d["row"], d["col"], strict=True):
        lv = meta["world"]["levels"][lvl]
        assert kind[lv["offset"] + r * lv["width"] + c] == 2
    assert len(d["level"]) == meta["frames"]["n_doors"] > 0


def test_json_is_strict_and_complete(run_dir):
    site = build_site(run_dir)
    agents = json.loads(site["data/agents.json"])  # NaN would make this invalid JSON
    assert agents["name"][1] == "On-jo"
    assert agents["bitten_at_s"][1] is None
    ts = json.loads(site["data/timeseries.json"])
    table = RunDir(run_dir).timeseries()
    assert ts["zombie"] == table.column("zombie").to_pylist()


def test_bad_run_dirs(tmp_path, run_dir):
    with pytest.raises(RunDirError, match="no such run directory"):
        ViewerServer(tmp_path / "nope")
    unfinished = tmp_path / "unfinished"
    unfinished.mkdir()
    (unfinished / fmt.RUNNING_MARKER).write_text("")
    with pytest.raises(RunDirError, match="did not finish"):
        build_site(unfinished)


def test_export_refuses_unrelated_folder(tmp_path, run_dir):
    busy = tmp_path / "busy"
    busy.mkdir()
    (busy / "notes.txt").write_text("mine")
    with pytest.raises(HyosanError, match="not empty"):
        export_site(run_dir, busy)
    with pytest.raises(HyosanError, match="outside the run directory"):
        export_site(run_dir, run_dir / "site")


def test_cli_export_and_errors(tmp_path, run_dir):
    import typer

    from hyosan.viewer.commands import register

    app = typer.Typer()
    register(app)
    app.command("noop")(lambda: None)  # a second command keeps `view` a subcommand
    out = tmp_path / "site"
    result = CliRunner().invoke(app, ["view", str(run_dir), "--export", str(out)])
    assert result.exit_code == 0, result.output
    assert (out / "index.html").exists() and (out / "data" / "meta.json").exists()
    assert sorted(p.name for p in (out / "data" / "frames").iterdir()) == sorted(
        p.name for p in (run_dir / fmt.FRAMES_DIR).glob("chunk_*.bin.gz"))
    result = CliRunner().invoke(app, ["view", str(tmp_path / "missing"), "--no-open"])
    assert isinstance(result.exception, RunDirError)
    assert "no such run directory" in str(result.exception)
