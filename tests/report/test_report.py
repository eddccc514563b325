"""report.html: self-contained, every section present; opens in a real headless Chromium."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from browser_util import artifact_path, launch_browser
from hyosan.report import write_report
from hyosan.report.html import SECTIONS


@pytest.fixture(scope="module")
def report(run_dir, tmp_path_factory):
    copy = tmp_path_factory.mktemp("rep") / "run"
    shutil.copytree(run_dir, copy)
    return write_report(copy, follow="Nam On-jo", reference=True)


def test_report_is_self_contained(report):
    text = report.read_text()
    for key in SECTIONS:
        assert f"id='{key}'" in text
    srcs = re.findall(r"""(?:src|href)=['"]([^'"]+)""", text)
    # 6 plots, curve, strip, 2 path maps, the animation, the follow replay
    assert len(srcs) >= 12
    assert all(s.startswith("data:") for s in srcs)
    assert "http://" not in text and "https://" not in text
    # one inline script (the log's filter), nothing loaded
    assert text.count("<script") == 1 and "<script>" in text
    assert "Nam On-jo barricaded the music room on 2F" in text  # a row of the log
    # the chapters and every named character's account
    for title in ("The first bite", "The end"):
        assert f"· {title}</h3>" in text
    for name in ("Nam On-jo", "Lee Cheong-san"):
        assert f"<h3>{name} · student</h3>" in text


def test_no_animation_and_no_infection(quiet_run_dir, tmp_path):
    copy = tmp_path / "quiet"
    shutil.copytree(quiet_run_dir, copy)
    page = write_report(copy, animation=False)
    text = page.read_text()
    assert "No animation in this report." in text
    assert not (copy / "report" / "animation.gif").exists()


def test_cli_report(run_dir, tmp_path):
    # a fresh app with only this command, so the test does not depend on the other commands
    import typer

    from hyosan.report.commands import register

    app = typer.Typer()
    register(app)
    app.command("noop")(lambda: None)  # two commands, so "report" is a sub-command
    copy = tmp_path / "run"
    shutil.copytree(run_dir, copy)
    res = CliRunner().invoke(app, ["report", str(copy), "--no-animation"])
    assert res.exit_code == 0, res.output
    assert (copy / "report.html").exists()
    assert "report.html" in res.output
    res = CliRunner().invoke(app, ["report", str(copy), "--follow", "Nobody"])
    assert res.exit_code != 0 and "no named character 'Nobody'" in str(res.exception)


def test_report_command_is_registered():
    # read cli.py rather than import it: other command modules may still be missing
    import hyosan

    source = (Path(hyosan.__file__).parent / "cli.py").read_text()
    modules = source.split("COMMAND_MODULES = [", 1)[1].split("]", 1)[0]
    assert '"hyosan.report.commands"' in modules


@pytest.mark.browser
def test_report_in_headless_chromium(report):
    requests: list[str] = []
    with launch_browser() as browser:
        page = browser.new_page(viewport={"width": 1200, "height": 900})

        def route(r):
            requests.append(r.request.url)
            if r.request.url.startswith(("file:", "data:")):
                r.continue_()
            else:
                r.abort()

        page.route("**/*", route)
        page.goto(report.as_uri())
        page.wait_for_load_state("load")
        for key, title in SECTIONS.items():
            heading = page.locator(f"section#{key} h2")
            assert heading.is_visible() and heading.inner_text() == title
        widths = page.eval_on_selector_all(
            "img", "els => els.map(e => [e.complete, e.naturalWidth])")
        assert len(widths) >= 8
        assert all(done and w > 0 for done, w in widths), widths
        page.screenshot(path=str(artifact_path("report.png")), full_page=True)
    offline = [u for u in requests if not u.startswith(("file:", "data:"))]
    assert offline == [], offline
    assert requests and requests[0].startswith("file:")


def test_half_infected_label_names_the_building(run_dir, tmp_path):
    import json

    copy = tmp_path / "clinic"
    shutil.copytree(run_dir, copy)
    summary = json.loads((copy / "summary.json").read_text())
    summary["building"] = "clinic"
    (copy / "summary.json").write_text(json.dumps(summary))
    text = write_report(copy, animation=False).read_text()
    assert "until half the clinic was infected" in text and "half the school" not in text
    summary["building"] = None
    (copy / "summary.json").write_text(json.dumps(summary))
    text = write_report(copy, animation=False).read_text()
    assert "until half the" not in text
