"""User-facing errors: one clear message naming the file, line or field and what is wrong."""

from __future__ import annotations

from pathlib import Path


class HyosanError(Exception):
    """Base class of every error Hyosan reports to a user without a traceback."""


class ScenarioError(HyosanError):
    """A scenario file, floor plan, CLI argument or data file is malformed.

    ``where`` names the location (file, line, column or field); ``what`` says what is wrong.
    """

    def __init__(self, what: str, *, where: str | None = None) -> None:
        self.what = what
        self.where = where
        super().__init__(f"{where}: {what}" if where else what)


class FloorPlanError(ScenarioError):
    """A text floor plan cannot be parsed (names file, floor, line and column)."""


class RunDirError(HyosanError):
    """A run directory is missing files or was written by an incomplete run."""


def read_user_text(path: Path, error: type[ScenarioError], what: str) -> str:
    """A user's text file as UTF-8, or ``error`` naming the file (``what``: "file", "plan")."""
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise error(f"not UTF-8 text (byte {exc.start}); save the {what} as UTF-8",
                    where=str(path)) from None
    except OSError as exc:
        raise error(f"cannot read the {what}: {exc.strerror}", where=str(path)) from None
