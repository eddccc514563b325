"""Fixtures for the viewer tests: one synthetic run per session and one server per module."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # for browser_util
sys.path.insert(0, str(Path(__file__).resolve().parent))  # for viewer_synth

from viewer_synth import TEST_RUN, make_run

from hyosan.viewer.server import ViewerServer


@pytest.fixture(scope="session")
def run_dir(tmp_path_factory) -> Path:
    return make_run(tmp_path_factory.mktemp("viewer") / "run", **TEST_RUN)


@pytest.fixture(scope="module")
def server(run_dir):
    srv = ViewerServer(run_dir)
    srv.start_background()
    yield srv
    srv.shutdown()
    srv.server_close()
