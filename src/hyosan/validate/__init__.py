"""Validation suites a user runs before trusting the engine: `hyosan validate movement|epidemic`.

Each suite module exposes ``run(full: bool, out_dir: Path | None) -> list[Check]``.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Check:
    """One row of a validation table."""

    name: str
    reference: str  # what the literature / closed form says
    measured: str  # what the engine gave
    tolerance: str  # the criterion
    passed: bool
