"""Recorders and the run-directory format: writers behind one small interface, and a reader."""

from hyosan.record.reader import RunDir
from hyosan.record.writer import RunWriter

__all__ = ["RunDir", "RunWriter"]
