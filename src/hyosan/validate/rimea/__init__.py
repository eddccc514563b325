"""The RiMEA guideline's test cases (reduced sizes by default, the guideline's with ``full``)."""

from hyosan.validate.rimea.crowds import rimea6, rimea8, rimea9, rimea10, rimea11, rimea12, rimea13
from hyosan.validate.rimea.speeds import (
    AGE_BANDS,
    fundamental_diagram,
    rimea1,
    rimea2_3,
    rimea7,
    stairs_world,
)

__all__ = ["AGE_BANDS", "fundamental_diagram", "rimea1", "rimea2_3", "rimea6", "rimea7",
           "rimea8", "rimea9", "rimea10", "rimea11", "rimea12", "rimea13", "stairs_world"]
