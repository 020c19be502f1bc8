"""A whole output folder written all or nothing: staged beside it, checked, then moved into place with one rename.

:func:`replace_folder` writes every file into a staging folder beside the output folder
(``.<name>.dxplan-<pid>-<random>.tmp``, every file new there and synced to disk), lets the
caller read the staged files back, and only then renames the staging folder to the output's name: an interrupted
or failed run leaves no output folder, or the previous one untouched.

- the output folder does not exist, or is empty: the staging folder is renamed to it;
- it holds a previous output of the same kind (the caller's ``previous`` test): the old folder is renamed aside,
  the new one into place, and the old one removed;
- it holds anything else, or is not a folder: the caller's :class:`dxplan.i18n.UserError`, nothing written.

A staging folder a killed run left beside the output (its process no longer runs) is removed by the next run
(:func:`remove_stale_stages`). ``dxplan publish`` (the open-data package) and ``dxplan site`` write this way.
"""

from __future__ import annotations

import glob
import os
import re
import shutil
import tempfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from dxplan.i18n import N_, UserError

from .atomic import alive, fsync_dir, write_all

_STAGE = re.compile(r"^\..+\.dxplan-(\d+)-[A-Za-z0-9_]+\.tmp$")


def remove_stale_stages(parent: Path, name: str) -> list[Path]:
    """Remove the staging folders of output ``name`` in ``parent`` (``.<name>.dxplan-<pid>-<random>.tmp``) whose
    process no longer runs; return them. Nothing else is touched; errors are ignored."""
    removed = []
    for entry in parent.glob(f".{glob.escape(name)}.dxplan-*.tmp"):
        m = _STAGE.match(entry.name)
        if m and entry.is_dir() and not entry.is_symlink() and not alive(int(m.group(1))):
            shutil.rmtree(entry, ignore_errors=True)
            removed.append(entry)
    return removed


def replace_folder(
    folder: Path,
    files: dict[str, bytes],
    *,
    previous: Callable[[Path], bool],
    foreign: UserError,
    check: Callable[[Path], None] | None = None,
) -> list[tuple[str, int]]:
    """Write ``files`` (relative ``/``-separated path → bytes) as the folder ``folder``, all or nothing (module
    docstring); return each file's relative path and size in bytes, in the order given.

    ``previous(folder)``: whether a non-empty ``folder`` holds an earlier output of this kind (it is then replaced);
    ``foreign``: the error raised when it holds anything else. ``check(stage)``: reads the staged files back and
    raises OSError when they are not what was meant; nothing is moved into place then. Raises
    :class:`dxplan.i18n.UserError` (``folder`` is not a folder, or ``foreign``), OSError when it cannot be written.
    """

    def write(stage: Path) -> list[tuple[str, int]]:
        _write_all(stage, files)
        return [(rel, len(data)) for rel, data in files.items()]

    return replace_folder_by(folder, write, previous=previous, foreign=foreign, check=check)


def replace_folder_by(
    folder: Path,
    write: Callable[[Path], list[tuple[str, int]]],
    *,
    previous: Callable[[Path], bool],
    foreign: UserError,
    check: Callable[[Path], None] | None = None,
) -> list[tuple[str, int]]:
    """:func:`replace_folder` for output written as it is made: ``write(stage)`` writes the files into the new,
    empty staging folder ``stage`` (new names only; each file made durable, e.g. by :func:`sync_files`) and
    returns each file's relative path and size in bytes; that list is returned once the folder is in place.

    Whatever ``write`` raises (an OSError, a usage error, an interrupt) leaves no output folder, or the previous
    one untouched, and no staging folder. ``previous``, ``foreign``, ``check`` and the errors raised: as
    :func:`replace_folder`, checked before ``write`` is called.
    """
    folder = Path(folder)
    if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
        raise UserError(N_("{folder} is not a folder; nothing was written"), {"folder": str(folder)})
    had = folder.is_dir() and any(folder.iterdir())
    if had and not previous(folder):
        raise foreign
    parent = folder.absolute().parent
    parent.mkdir(parents=True, exist_ok=True)
    remove_stale_stages(parent, folder.name)
    stage = Path(tempfile.mkdtemp(prefix=f".{folder.name}.dxplan-{os.getpid()}-", suffix=".tmp", dir=parent))
    old: Path | None = None
    try:
        written = write(stage)
        if check is not None:
            check(stage)
        os.chmod(stage, 0o777 & ~_umask())
        if had:
            old = Path(tempfile.mkdtemp(prefix=f".{folder.name}.dxplan-{os.getpid()}-", suffix=".tmp", dir=parent))
            os.rename(folder, old / "old")
        os.rename(stage, folder)
    except BaseException:
        if old is not None and (old / "old").exists() and not folder.exists():
            os.rename(old / "old", folder)
        shutil.rmtree(stage, ignore_errors=True)
        raise
    finally:
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    fsync_dir(parent)
    return written


def _write_all(stage: Path, files: dict[str, bytes]) -> None:
    """Write ``files`` into the new, private folder ``stage`` (each name new: ``x`` mode, permissions 0644 less the
    umask) and make them durable before anything is renamed: the files' ``fsync`` calls run in a pool of threads,
    where the file system commits them together (one at a time, a site of 300 pages took seconds), then each
    folder is synced. Raises OSError for a name outside ``stage`` or a failed write."""
    root = stage.resolve()
    paths = []
    for rel, data in files.items():
        target = stage / rel
        if not target.resolve().is_relative_to(root):
            raise OSError(f"{rel}: outside the output folder")
        target.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        try:
            write_all(fd, data)
        finally:
            os.close(fd)
        paths.append(target)

    sync_files(stage, paths)


def sync_files(stage: Path, paths: list[Path]) -> None:
    """Make the files ``paths`` written in the folder ``stage`` durable, and the folders that hold them, ``stage``
    included: the files' ``fsync`` calls run in a pool of threads, where the file system commits them together
    (one at a time, a site of 300 pages took seconds), then each folder is synced, deepest first. Raises OSError
    when a file cannot be synced."""

    def sync(path: Path) -> None:
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)

    with ThreadPoolExecutor(max_workers=16) as pool:
        list(pool.map(sync, paths))
    root = stage.resolve()
    folders = {root}
    for path in paths:
        folders.update(f for f in Path(path).resolve().parents if f.is_relative_to(root))
    for folder in sorted(folders, key=lambda p: len(p.parts), reverse=True):
        fsync_dir(folder)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


