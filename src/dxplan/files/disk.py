"""Plan files on disk as bytes: the one way a plan file is read (:func:`read_bytes`) and a plan folder on disk as a file source (:class:`DiskSource`).

Reading needs no model: :mod:`dxplan.files.plan_key` lists and stats a plan folder through
:class:`DiskSource` and the results cache answers an unchanged plan without importing the models
(``dxplan status`` from the cache, :mod:`dxplan.cli.quick`). :mod:`dxplan.files.load` parses and
validates what is read here (and re-exports these names).
"""

from __future__ import annotations

import errno
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

from . import layout as planfiles
from dxplan.yamlread import Limits

__all__ = ["FileTooLarge", "read_bytes", "DiskSource"]


class FileTooLarge(Exception):
    """A file over :attr:`dxplan.yamlread.Limits.file_bytes`, found before its content was read. ``size`` in bytes."""

    def __init__(self, size: int) -> None:
        super().__init__(f"{size} bytes")
        self.size = size


def read_bytes(path: Path, limits: Limits | None = None) -> bytes | OSError | FileTooLarge:
    """The bytes of the file at ``path`` (symlinks followed), or why they were not read.

    The size is checked before anything is read (:class:`FileTooLarge` past
    ``limits.file_bytes``); a folder, FIFO, device or socket named like a plan file is
    an ``OSError`` (never opened, so a FIFO cannot block); at most ``file_bytes + 1``
    bytes are ever read.
    """
    limits = limits or Limits.from_env()
    try:
        st = os.stat(path)
        if not stat.S_ISREG(st.st_mode):
            kind = "a folder" if stat.S_ISDIR(st.st_mode) else "not a regular file"
            return OSError(errno.EISDIR if stat.S_ISDIR(st.st_mode) else errno.EINVAL, kind)
        if st.st_size > limits.file_bytes:
            return FileTooLarge(st.st_size)
        with open(path, "rb") as fh:
            data = fh.read(limits.file_bytes + 1)
    except OSError as exc:
        return exc
    if len(data) > limits.file_bytes:
        return FileTooLarge(len(data))
    return data


@dataclass
class DiskSource:
    """A plan folder on disk."""

    root: Path
    limits: Limits = field(default_factory=Limits.from_env)
    listing_error: OSError | None = None
    #: ``{realpath of a file: the file to read instead}``: the staged files of an import whose
    #: renames could not be finished here (:func:`dxplan.files.transaction.unfinished_commit`).
    overlay: dict[str, Path] = field(default_factory=dict)

    def action_paths(self) -> list[Path]:
        """See :func:`dxplan.files.layout.action_files`; an unreadable ``actions/`` folder is kept in ``listing_error``."""
        try:
            return planfiles.action_files(self.root, strict=True)
        except OSError as exc:
            self.listing_error = exc
            return []

    def read(self, paths: list[Path]) -> dict[Path, bytes | OSError | FileTooLarge]:
        """Each file's bytes, or why it was not read (see :func:`read_bytes`)."""
        if self.overlay:
            return {p: read_bytes(self.overlay.get(os.path.realpath(p), p), self.limits) for p in paths}
        return {p: read_bytes(p, self.limits) for p in paths}
