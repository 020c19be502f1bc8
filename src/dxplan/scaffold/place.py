"""Putting the files of ``dxplan init`` in place, all or nothing.

Every file is first written into a staging folder the user does not see; the set is then moved into
place in one step, so an interruption (``SIGKILL``, a full disk) leaves either nothing or the whole
set, and the next ``init`` finds nothing in its way:

- a new folder (or an empty one): the staging folder ``.<name>.dxplan-<pid>-<random>.tmp`` is made
  beside it and renamed to it (``rename`` is atomic on POSIX and replaces an empty folder);
- a folder that already holds other files (a cloned repository): the staging folder is made inside
  it; once complete it holds a list of its files (:data:`COMPLETE`), then each file is linked into
  place. A staging folder left by a killed ``init`` is finished (its list is there: the set is
  completed) or removed (no list: nothing had been placed) by the next ``init`` on that folder,
  before it looks for files in its way (:func:`recover`).

A new repository also gets its git repository with the branch ``main`` (``git init -b main``; with
an older git, ``git init`` and ``HEAD`` pointed at ``refs/heads/main``), unless the folder is already
inside one or git is not installed.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import tempfile
from pathlib import Path

from dxplan.files.atomic import fsync_dir, alive, create_exclusive, remove_stale, write_atomic
from dxplan.files.gitio import GitError, run_git
from dxplan.i18n import N_

from .init import FilesExist

#: The list of files a staging folder writes last, when every file is in it.
COMPLETE = ".dxplan-complete"

#: Files left as they are when the folder already has one (a cloned repository's own ``.gitignore``):
#: never replaced, not a reason to refuse.
OPTIONAL = frozenset({".gitignore"})

_STAGE = re.compile(r"^\..*\.dxplan-(\d+)-[A-Za-z0-9_]+\.tmp$")


def _default_mode(kind: int) -> int:
    mask = os.umask(0)
    os.umask(mask)
    return kind & ~mask


def _stage(parent: Path, name: str, files: dict[str, str]) -> Path:
    """A staging folder in ``parent`` holding ``files`` (relative path → text), permissions as a new folder's."""
    stage = Path(tempfile.mkdtemp(prefix=f".{name}.dxplan-{os.getpid()}-", suffix=".tmp", dir=parent))
    os.chmod(stage, _default_mode(0o777))
    try:
        for rel, text in files.items():
            path = stage / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            create_exclusive(path, text, mode=0o644)
    except BaseException:
        shutil.rmtree(stage, ignore_errors=True)
        raise
    return stage


def _git_init(folder: Path) -> bool:
    """Make ``folder`` a git repository whose branch is ``main``; False when git is not installed or fails."""
    try:
        proc = run_git(["init", "-q", "-b", "main"], folder, check=False)
        if proc.returncode != 0:  # git before 2.28 has no -b
            run_git(["init", "-q"], folder)
            run_git(["symbolic-ref", "HEAD", "refs/heads/main"], folder)
    except GitError:
        return False
    return True


def _inside_git(folder: Path) -> bool:
    """Whether ``folder`` (or its nearest existing parent) is inside a git work tree; True when git cannot tell (then no repository is made)."""
    probe = folder.resolve()
    while not probe.exists():
        probe = probe.parent
    try:
        return run_git(["rev-parse", "--is-inside-work-tree"], probe, check=False).returncode == 0
    except GitError:
        return True


def recover(folder: Path) -> None:
    """Finish or remove what a killed ``init`` left in or beside ``folder`` (see the module docstring).

    Only staging folders of processes that no longer run are touched. A complete one inside ``folder``
    has its files linked into place where the name is still free; any other is removed.
    """
    folder = Path(folder)
    for parent in (folder.parent, folder):
        try:
            entries = list(os.scandir(parent))
        except OSError:
            continue
        for entry in entries:
            m = _STAGE.match(entry.name)
            if not m or not entry.is_dir(follow_symlinks=False) or alive(int(m.group(1))):
                continue
            stage = Path(entry.path)
            listing = stage / COMPLETE
            if parent == folder and listing.is_file():
                with contextlib.suppress(OSError):
                    _place(stage, folder, listing.read_text(encoding="utf-8").splitlines())
            shutil.rmtree(stage, ignore_errors=True)
    remove_stale(folder.parent)


def _place(stage: Path, folder: Path, rels: list[str]) -> None:
    """Link each staged file into ``folder`` (never over an existing name), then fsync the folders."""
    touched = {folder}
    for rel in rels:
        target = folder / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        with contextlib.suppress(FileExistsError):
            os.link(stage / rel, target)
        touched.add(target.parent)
    for path in touched:
        fsync_dir(path)


def _is_empty_folder(folder: Path) -> bool:
    return folder.is_dir() and not folder.is_symlink() and not any(folder.iterdir())


def write_files(folder: Path, files: dict[str, str], *, force: bool = False, git: bool = True) -> tuple[list[Path], bool]:
    """Write ``files`` (relative path → text) under ``folder``, all or nothing; return the paths written
    and whether a git repository (branch ``main``) was made.

    Without ``force``, raises :class:`FilesExist` listing every file that already exists, before
    writing anything (a file of :data:`OPTIONAL` already there is kept and not written). With ``force`` and files in the way, each file is replaced atomically on its
    own (the one case that is not all or nothing: the user asked to overwrite). ``git``: make the
    new folder a git repository when it is not inside one. Raises OSError when a folder is not writable.
    """
    folder = Path(folder)
    recover(folder)
    files = {rel: text for rel, text in files.items() if not (rel in OPTIONAL and os.path.lexists(folder / rel))}
    existing = [rel for rel in files if (folder / rel).exists() or (folder / rel).is_symlink()]
    if existing and not force:
        params = {"folder": str(folder), "files": ", ".join(existing)}
        raise FilesExist(N_("{folder} already has {files}; nothing was written (--force overwrites them)"), params)
    make_git = git and not _inside_git(folder)
    written = [folder / rel for rel in files]
    if existing:
        for rel, text in files.items():
            (folder / rel).parent.mkdir(parents=True, exist_ok=True)
            write_atomic(folder / rel, text)
        return written, make_git and _git_init(folder)
    if not folder.exists() or _is_empty_folder(folder):
        folder.parent.mkdir(parents=True, exist_ok=True)
        stage = _stage(folder.parent, folder.name, files)
        try:
            made = make_git and _git_init(stage)
            os.rename(stage, folder)
        except BaseException:
            shutil.rmtree(stage, ignore_errors=True)
            raise
        fsync_dir(folder.parent)
        return written, made
    stage = _stage(folder, "init", files)
    try:
        create_exclusive(stage / COMPLETE, "".join(f"{rel}\n" for rel in files))
        _place(stage, folder, list(files))
    finally:
        shutil.rmtree(stage, ignore_errors=True)
    return written, make_git and _git_init(folder)
