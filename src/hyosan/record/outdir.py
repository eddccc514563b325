"""The one rule for every folder or file a command writes: never touch what Hyosan did not make.

A command writes into a new folder (or an empty one), or replaces a folder that is already a
Hyosan output of the same kind, recognised by its marker file ``.hyosan-output``; anything else
is refused with a message saying why. Whole outputs (a run, a comparison, a viewer export) are
written into a hidden sibling and renamed into place once complete, so an interrupted command
never replaces a good result; a run that stops midway is kept marked incomplete instead.
"""

from __future__ import annotations

import json
import os
import shutil
import struct
import tempfile
import zlib
from pathlib import Path

from hyosan.errors import HyosanError

#: the file that says "Hyosan made this folder" (JSON: kind, complete)
MARKER = ".hyosan-output"
#: the PNG text key that says "Hyosan drew this picture"
PNG_KEY = b"hyosan-output"


class OutputError(HyosanError):
    """An output path that Hyosan will not write (exists and is not its own, read-only, ...)."""


def _where(path: Path, option: str | None) -> str:
    return f"{option} {str(path)!r}" if option else repr(str(path))


def as_path(text: str | os.PathLike | None, option: str) -> Path | None:
    """A path option as given on the command line; the empty string is refused (it would
    otherwise mean the current directory)."""
    if text is None:
        return None
    if str(text).strip() == "":
        raise OutputError(f"{option} is empty: give the name of a folder or file to write")
    return Path(text)


def output_kind(path: Path) -> str | None:
    """The kind of Hyosan output at ``path`` ("run", "compare", "viewer", ...), else None.

    Run directories written before the marker existed are recognised by their summary's format.
    """
    marker = path / MARKER
    if marker.is_file():
        try:
            return str(json.loads(marker.read_text())["kind"])
        except (OSError, ValueError, KeyError, TypeError):
            return None
    summary = path / "summary.json"
    if summary.is_file():
        try:
            fmt = json.loads(summary.read_text()).get("format", "")
        except (OSError, ValueError, AttributeError):
            return None
        return "run" if str(fmt).startswith("hyosan-run/") else None
    return None


def is_complete(path: Path) -> bool:
    """False for a folder whose marker says the command writing it has not finished."""
    try:
        return bool(json.loads((path / MARKER).read_text()).get("complete", True))
    except (OSError, ValueError, AttributeError):
        return True


def write_marker(path: Path, kind: str, *, complete: bool) -> None:
    (path / MARKER).write_text(json.dumps({"kind": kind, "complete": complete}) + "\n")


def _check_parent(path: Path, option: str | None) -> None:
    """The nearest existing ancestor must be a folder we may write in."""
    parent = path.absolute().parent
    while not parent.exists() and parent != parent.parent:
        parent = parent.parent
    if not parent.is_dir():
        raise OutputError(
            f"{_where(path, option)}: {parent} is a file, so nothing can be written under it")
    try:  # a real try (permissions alone miss read-only file systems, and root)
        os.rmdir(tempfile.mkdtemp(prefix=".hyosan-probe-", dir=parent))
    except OSError as exc:
        raise OutputError(f"{_where(path, option)}: cannot write in {parent} "
                          f"({exc.strerror or 'read-only'}); choose another place") from None


def check_dir(path: Path, kind: str, *, option: str | None = None, force: bool = False) -> Path:
    """Refuse ``path`` unless it is new, empty, or a Hyosan output of ``kind`` (or, with
    ``force``, of another kind). Returns the path."""
    where = _where(path, option)
    here = Path.cwd().resolve()
    real = path.resolve()
    if real == here or real in here.parents:
        raise OutputError(f"{where} is the current folder or one above it; name a new folder")
    if path.is_symlink() or (path.exists() and not path.is_dir()):
        raise OutputError(f"{where} is a file (or a link), not a folder; choose a new folder")
    if path.is_dir():
        try:
            empty = not any(path.iterdir())
        except OSError as exc:
            raise OutputError(f"{where}: cannot read this folder: {exc.strerror}") from None
        if not empty:
            have = output_kind(path)
            if have is None:
                raise OutputError(
                    f"{where} exists and is not a folder Hyosan wrote (no {MARKER} marker); "
                    "Hyosan replaces only its own outputs and never writes into other folders. "
                    "Choose a new folder, or empty this one yourself")
            if have != kind and not force:
                raise OutputError(f"{where} holds a Hyosan {have} output, not a {kind}; "
                                  "choose another folder")
    _check_parent(path, option)
    return path


def claim_dir(path: Path, kind: str, *, option: str | None = None) -> Path:
    """Make ``path`` (new, empty or Hyosan's own of ``kind``) a marked folder to write files
    into, keeping the files already there (for commands that add to a folder)."""
    check_dir(path, kind, option=option)
    try:
        path.mkdir(parents=True, exist_ok=True)
        write_marker(path, kind, complete=True)
    except OSError as exc:
        raise OutputError(f"{_where(path, option)}: cannot write here: {exc.strerror}") from None
    return path


class Staged:
    """A whole output written into a hidden sibling of ``target``, renamed into place by
    ``commit``. As a context manager: commit on success, discard on an error.

    ``keep_partial`` marks the sibling incomplete from the start (a run, whose partial output is
    kept by ``abandon`` and may be replaced by the next run); otherwise the marker is written
    by ``commit`` and the sibling starts empty."""

    def __init__(self, target: str | Path, kind: str, *, option: str | None = None,
                 force: bool = False, overwrite: bool = True, keep_partial: bool = False
                 ) -> None:
        self.target = Path(target)
        self.kind = kind
        check_dir(self.target, kind, option=option, force=force)
        if not overwrite and self.target.is_dir() and any(self.target.iterdir()):
            raise OutputError(f"{_where(self.target, option)} is not empty")
        parent = self.target.absolute().parent
        try:
            parent.mkdir(parents=True, exist_ok=True)
            self.tmp = Path(tempfile.mkdtemp(prefix=f".{self.target.name}.", suffix=".partial",
                                             dir=parent))
            self.tmp.chmod(0o777 & ~_umask())  # as mkdir would make it, not mkdtemp's 0700
            if keep_partial:
                write_marker(self.tmp, kind, complete=False)
        except OSError as exc:
            raise OutputError(f"{_where(self.target, option)}: cannot write here: "
                              f"{exc.strerror}") from None

    def commit(self) -> Path:
        """Mark the output complete and rename it into place (replacing only Hyosan's own)."""
        write_marker(self.tmp, self.kind, complete=True)
        old = None
        if self.target.exists():
            check_dir(self.target, self.kind, force=True)  # still ours: nothing else replaced
            old = Path(tempfile.mkdtemp(prefix=f".{self.target.name}.", suffix=".old",
                                        dir=self.tmp.parent))
            os.replace(self.target, old / "d")
        os.replace(self.tmp, self.target)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
        return self.target

    def abandon(self) -> Path:
        """Keep what was written, marked incomplete: at the target if that is free, else in
        the hidden sibling (a complete output already there stays as it was)."""
        if not self.tmp.exists():
            return self.target
        if not self.target.exists():
            os.replace(self.tmp, self.target)
            return self.target
        return self.tmp

    def discard(self) -> None:
        shutil.rmtree(self.tmp, ignore_errors=True)

    def __enter__(self) -> Path:
        return self.tmp

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is None:
            self.commit()
        else:
            self.discard()


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


# ----------------------------------------------------------------------------- single files
def check_file(path: Path, *, option: str | None = None, force: bool = False,
               suffix: str | None = None) -> Path:
    """A file to write: new, or one Hyosan wrote before (see ``png_is_ours``), or any file
    with ``force`` (the user named it); never a folder."""
    where = _where(path, option)
    if suffix and path.suffix.lower() != suffix:
        raise OutputError(f"{where}: the file must end in {suffix}")
    if path.is_dir():
        raise OutputError(f"{where} is a folder; give a file name")
    if path.exists() and not force and not (suffix == ".png" and png_is_ours(path)):
        raise OutputError(f"{where} exists and was not written by Hyosan; choose a new name, "
                          "or give --force to replace this file")
    _check_parent(path, option)
    return path


def temp_file_for(target: Path) -> Path:
    """A temporary file name beside ``target`` (same folder, same suffix)."""
    target.absolute().parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{target.stem}.", suffix=target.suffix,
                                dir=target.absolute().parent)
    os.close(fd)
    os.chmod(name, 0o666 & ~_umask())  # as open() would make it, not mkstemp's 0600
    return Path(name)


def mark_png(path: Path) -> None:
    """Add a tEXt chunk naming Hyosan right after the PNG header chunk."""
    data = path.read_bytes()
    end_ihdr = 8 + 8 + 13 + 4  # signature, IHDR length+type, IHDR data, CRC
    body = b"tEXt" + PNG_KEY + b"\0" + b"1"
    chunk = struct.pack(">I", len(body) - 4) + body + struct.pack(">I", zlib.crc32(body))
    path.write_bytes(data[:end_ihdr] + chunk + data[end_ihdr:])


def png_is_ours(path: Path) -> bool:
    """True for a PNG carrying the chunk ``mark_png`` adds."""
    try:
        with path.open("rb") as fh:
            head = fh.read(4096)
    except OSError:
        return False
    return head.startswith(b"\x89PNG") and b"tEXt" + PNG_KEY + b"\0" in head
