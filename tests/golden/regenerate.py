"""Write the golden reference outputs: ``python tests/golden/regenerate.py [CASE ...]``.

Only for a change meant to alter the model; say why in the commit message and CHANGELOG.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
from golden_cases import ALL_CASES, DATA, compute


def main(names: list[str]) -> None:
    DATA.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        for name in names or ALL_CASES:
            arrays = compute(name, Path(tmp))
            np.savez_compressed(DATA / f"{name}.npz", **arrays)
            print(f"{name}: {len(arrays)} arrays written")


if __name__ == "__main__":
    main(sys.argv[1:])
