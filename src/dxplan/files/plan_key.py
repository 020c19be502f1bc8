"""What identifies a plan folder's files for the results cache: their stat signature and their content hash.

Shared by ``dxplan lint`` (:func:`dxplan.lint.engine.lint_folder`) and the data commands
(:func:`dxplan.files.pool.map_plans` with a view): both answer an unchanged plan folder from
:mod:`dxplan.files.result_cache` by the first key that matches.

- the **stat signature** (:func:`stat_key`): the files are ``os.stat``-ed, not read — BLAKE2b
  of the reader's limits and, per file, its name, size, modification and status-change times,
  inode and device (what git's index keeps). It is stored only when no file is *racy*: every
  file's modification and status-change times older than the moment of the stat minus
  :data:`RACY_SECONDS` (git's "racy git" rule), since a file rewritten with the same size
  within one tick of a coarse filesystem clock keeps its stat data;
- the **content key** (:func:`folder_key`): BLAKE2b of the limits and the files' names and bytes.
"""

from __future__ import annotations

import hashlib
import os
import stat
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .layout import ACTIONS_DIR, PLAN_FILE
from .disk import DiskSource
from dxplan.yamlread import Limits

__all__ = ["RACY_SECONDS", "PlanFiles", "Preread", "limits_key", "stat_key", "folder_key", "plan_files"]

RACY_SECONDS = 2.0
"""A file modified or status-changed less than this many seconds before its ``os.stat`` is racy: no stat signature is stored for its plan.

2 s covers the coarsest common filesystem clock (FAT's 2 s modification times) and some
clock skew between a network filesystem and this machine. ``dxplan lint`` passes its own
(:data:`dxplan.lint.engine.RACY_SECONDS`); tests set them lower.
"""


@dataclass
class Preread:
    """A plan folder on disk whose files were already read (a :class:`dxplan.files.load.FileSource`).

    ``keys``: each read file's results-cache key (:meth:`prefetch`), which the loader then need not compute.
    """

    root: Path
    actions: list[Path]
    data: dict[Path, Any] = field(repr=False)
    listing_error: OSError | None = None
    keys: dict[Path, bytes] = field(default_factory=dict, repr=False)

    def prefetch(self, limits: Limits) -> None:
        """Compute :attr:`keys` and read the results cache's data entries of these files in one query
        (:func:`dxplan.files.result_cache.prefetch_data`)."""
        from . import result_cache

        self.keys = {p: result_cache.bytes_key(b, limits.key) for p, b in self.data.items() if isinstance(b, bytes)}
        result_cache.prefetch_data(list(self.keys.values()))

    def action_paths(self) -> list[Path]:
        return self.actions

    def read(self, paths: list[Path]) -> dict[Path, Any]:
        return {p: self.data[p] for p in paths}


def limits_key(limits: Limits) -> str:
    """All five limits (the plan's result also depends on the number of actions allowed)."""
    return f"{limits.key}/{limits.actions}"


def stat_key(files: list[tuple[str, Path]], limits: Limits, racy_seconds: float | None = None) -> tuple[bytes | None, bool]:
    """(stat signature of ``files``, whether one is racy) from ``os.stat``, no file read; (None, True) when a file would not be read as bytes.

    ``files``: (name relative to the plan folder, path) of each file, in reading order. A file
    that cannot be stat-ed, is not a regular file or is over ``limits.file_bytes`` gives None: its
    plan is read the ordinary way. Racy: modified or status-changed less than ``racy_seconds``
    (None: :data:`RACY_SECONDS`) before the moment taken before the first stat.
    """
    margin = RACY_SECONDS if racy_seconds is None else racy_seconds
    cutoff = time.time_ns() - int(margin * 1e9)
    parts = [limits_key(limits)]
    racy = False
    for name, path in files:
        try:
            st = os.stat(path)
        except (OSError, ValueError):
            return None, True
        if not stat.S_ISREG(st.st_mode) or st.st_size > limits.file_bytes:
            return None, True
        racy = racy or st.st_mtime_ns >= cutoff or st.st_ctime_ns >= cutoff
        parts.append(f"{name}\0{st.st_size}\0{st.st_mtime_ns}\0{st.st_ctime_ns}\0{st.st_ino}\0{st.st_dev}")
    return hashlib.blake2b(os.fsencode("\0".join(parts)), digest_size=16).digest(), racy


def folder_key(root: Path, data: dict[Path, Any], limits: Limits) -> bytes | None:
    """The hash of the limits and a plan folder's file names and bytes; None when a file was not read (an error, too large)."""
    h = hashlib.blake2b(digest_size=16)
    h.update(limits_key(limits).encode() + b"\0")
    for path, content in data.items():
        if not isinstance(content, bytes):
            return None
        h.update(os.fsencode(path.relative_to(root)) + f"\0{len(content)}\0".encode())  # fsencode: any name, even one not UTF-8
        h.update(content)
    return h.digest()


@dataclass
class PlanFiles:
    """The files :func:`dxplan.files.load.load_plan` reads for a plan folder on disk, listed, not read.

    ``files``: ``plan.yaml`` and the action files up to the actions limit (past it the loader reads
    none and reports the limit); ``named``: each with its name relative to the folder; ``whole``:
    the listing worked and is within the limit (only then is the folder keyed at all).
    """

    root: Path
    limits: Limits
    source: DiskSource
    actions: list[Path]
    files: list[Path]
    named: list[tuple[str, Path]]
    whole: bool

    def stat_key(self, racy_seconds: float | None = None) -> tuple[bytes | None, bool]:
        """:func:`stat_key` of the files; (None, True) when the folder is not :attr:`whole`."""
        return stat_key(self.named, self.limits, racy_seconds) if self.whole else (None, True)

    def read(self) -> tuple[Preread, bytes | None]:
        """The files read (as a source the loader takes) and their :func:`folder_key` (None when not whole or a file was not read)."""
        data = self.source.read(self.files)
        key = folder_key(self.root, data, self.limits) if self.whole else None
        return Preread(self.root, self.actions, data, self.source.listing_error), key


def plan_files(root: Path, limits: Limits | None = None) -> PlanFiles:
    """The plan folder ``root``'s files as :class:`PlanFiles` (listed under ``limits``, default from the environment)."""
    root = Path(root)
    limits = limits or Limits.from_env()
    source = DiskSource(root, limits)
    actions = source.action_paths()
    files = [root / PLAN_FILE, *actions[: limits.actions]]
    whole = source.listing_error is None and len(actions) <= limits.actions
    named = [(PLAN_FILE, files[0]), *((f"{ACTIONS_DIR}/{p.name}", p) for p in files[1:])]  # DiskSource lists root/actions/NAME
    return PlanFiles(root, limits, source, actions, files, named, whole)
