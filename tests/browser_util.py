"""Shared helper for tests that drive a real headless Chromium through Playwright.

Browser tests need Debian's ``chromium`` at /usr/bin/chromium and the Python ``playwright``
package (never ``playwright install``: we use the system browser via ``executable_path``).
Where either is missing the test is skipped with a clear reason, except on CI (``CI=true``),
where a missing browser is a failure: CI must exercise the browser tests, never skip them.

Usage::

    from browser_util import launch_browser

    def test_page(tmp_path):
        with launch_browser() as browser:
            page = browser.new_page()
            ...
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

CHROMIUM_PATH = Path("/usr/bin/chromium")

# Flags that keep a headless Chromium quiet and offline in a container.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]

# Where browser tests leave screenshots for a person to look at.
ARTIFACT_DIR = Path(__file__).resolve().parents[1] / "test-artifacts"


def on_ci() -> bool:
    """True when running on CI, where missing browser pieces must fail rather than skip."""
    return os.environ.get("CI", "").strip().lower() == "true"


def skip_or_fail(reason: str) -> None:
    """Skip the current test with ``reason``, or fail it on CI."""
    if on_ci():
        pytest.fail(f"browser test cannot run on CI: {reason}")
    pytest.skip(reason)


def browser_missing_reason() -> str | None:
    """Why a browser test cannot run here, or None when it can."""
    if not CHROMIUM_PATH.exists() and shutil.which("chromium") is None:
        return f"Debian's chromium is not installed (expected at {CHROMIUM_PATH})"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the Python 'playwright' package is not installed"
    return None


def chromium_executable() -> str:
    """Path of the system Chromium binary."""
    if CHROMIUM_PATH.exists():
        return str(CHROMIUM_PATH)
    found = shutil.which("chromium")
    return found if found else str(CHROMIUM_PATH)


@contextmanager
def launch_browser() -> Iterator[Any]:
    """Launch headless system Chromium via Playwright; yield the Browser, close it after.

    Skips (or fails on CI) when chromium or playwright is unavailable or the launch fails.
    """
    reason = browser_missing_reason()
    if reason is not None:
        skip_or_fail(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        try:
            browser = p.chromium.launch(
                executable_path=chromium_executable(), headless=True, args=CHROMIUM_ARGS
            )
        except Exception as exc:  # a broken install should read as "cannot run here"
            skip_or_fail(f"chromium failed to launch: {exc}")
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def browser() -> Iterator[Any]:
    """Pytest fixture form of :func:`launch_browser` (import it into a conftest to use)."""
    with launch_browser() as b:
        yield b


def artifact_path(name: str) -> Path:
    """Path under ``test-artifacts/`` for a screenshot or other artifact (folder created)."""
    ARTIFACT_DIR.mkdir(parents=True, exist_ok=True)
    return ARTIFACT_DIR / name
