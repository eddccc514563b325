"""Full runs compared byte for byte with the outputs committed before a refactor.

A refactor or an exact optimisation must leave every array equal. A change meant to alter the
model regenerates the references (``python tests/golden/regenerate.py``) and says why in
CHANGELOG.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from golden_cases import ALL_CASES, compute, differences, load


@pytest.mark.parametrize("name", ALL_CASES)
def test_outputs_match_reference(name, tmp_path):
    diffs = differences(load(name), compute(name, tmp_path))
    assert not diffs, f"{name} differs from its reference:\n" + "\n".join(diffs[:20])
