"""One verification case's outcome, and one row of the egress table."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Result:
    """What a case function measured against its criterion (illegal moves fail it)."""

    criterion: str
    measured: str
    passed: bool
    violations: int = 0

    def __post_init__(self) -> None:
        self.passed = bool(self.passed) and self.violations == 0
        if self.violations:
            self.measured += f"; {self.violations} illegal moves"


@dataclass
class Row:
    """One line of ``hyosan validate egress``: status is pass, FAIL, "not built" or "n/a"."""

    suite: str
    case: str
    criterion: str
    measured: str
    status: str
    key: str = ""  # the shared case it ran (``suites.CASES``), or what it needs if not built

    @property
    def failed(self) -> bool:
        return self.status == "FAIL"
