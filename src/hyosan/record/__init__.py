"""Recorders and the run-directory format: writers behind one small interface, and a reader.

``protocol.Writer`` is the interface; ``RunWriter`` (a run directory), ``MemoryWriter`` and
``ensemble.store.StoreWriter`` implement it; ``outputs`` registers the tables by name.
"""

from hyosan.record.memory import MemoryWriter
from hyosan.record.protocol import Writer
from hyosan.record.reader import RunDir
from hyosan.record.writer import RunWriter

__all__ = ["MemoryWriter", "RunDir", "RunWriter", "Writer"]
