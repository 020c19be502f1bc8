"""Several files written together or not at all: a journal in the plan folder and staged renames.

:func:`commit_files` replaces a set of files under one folder (a plan folder: ``dxplan import``
changes many action files) so that a crash or ``SIGKILL`` at any moment leaves, once the folder
is next loaded, either every file old or every file new:

1. the **journal** ``<folder>/.dxplan-import.journal`` (JSON: the writing process, a state and
   the ``(target, staged)`` pairs, paths relative to the folder) is created exclusively in state
   ``staging`` — a second writer finds it and stops (:class:`TransactionBusy`);
2. each new text is written to its **staged file** beside its target
   (``.<name>.dxplan-txn-<pid>-<random>.new``), flushed, ``fsync``\\ ed, given the target's
   permissions, and each folder ``fsync``\\ ed;
3. the journal is replaced atomically (:func:`dxplan.files.atomic.write_atomic`) by the same
   pairs in state ``commit``: **the commit point**;
4. each staged file is renamed over its target (``os.replace``), each folder ``fsync``\\ ed;
5. the journal is removed.

:func:`recover` finishes what a killed writer left, and every load of a plan folder from disk
calls it (:func:`dxplan.files.load.load_plan`): a journal in state ``staging`` is rolled back (its
staged files removed: the targets were not touched), one in state ``commit`` rolled forward (the
staged files still there renamed over their targets: their texts were complete and on disk
before the commit point); then the journal and any temporary file the journal writes left
(:func:`dxplan.files.atomic.remove_stale`) go. A journal whose writer still runs is left alone.
Before step 1 nothing is on disk; after step 5 nothing is left.

A committed journal that cannot be rolled forward now (the folder is read-only to this user,
or on a read-only mount) is left for the next run that may write; :func:`unfinished_commit`
then names the staged files that stand for their targets, so that a load reads the plan as
the import left it (every file new) rather than half renamed.

Every rename is within one folder (atomic on POSIX); a symlinked target is written through
(its final target is replaced, :func:`dxplan.files.atomic.resolve_target`).
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import stat
from pathlib import Path

from dxplan.i18n import N_, UserError
from dxplan.problems import EXIT_PROBLEMS
from .atomic import fsync_dir, alive, create_exclusive, remove_stale, resolve_target, write_atomic

__all__ = ["JOURNAL", "TransactionBusy", "commit_files", "recover", "unfinished_commit"]

#: The journal's name in the folder it covers.
JOURNAL = ".dxplan-import.journal"
_FORMAT = 1


class TransactionBusy(UserError):
    """Another dxplan process is writing files of the same folder (its journal is there): exit 1, nothing written."""

    exit_code = EXIT_PROBLEMS


def _journal_text(state: str, pairs: list[tuple[Path, Path]], root: Path) -> str:
    files = [{"target": os.path.relpath(t, root), "staged": os.path.relpath(s, root)} for t, s in pairs]
    return json.dumps({"dxplan_transaction": _FORMAT, "pid": os.getpid(), "state": state, "files": files}, ensure_ascii=False, indent=1) + "\n"


def _stage(target: Path, data: bytes, staged: Path) -> None:
    try:
        mode = stat.S_IMODE(os.stat(target).st_mode)
    except FileNotFoundError:
        mask = os.umask(0)
        os.umask(mask)
        mode = 0o666 & ~mask
    fd = os.open(staged, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
        os.fchmod(fh.fileno(), mode)


def commit_files(root: Path, files: list[tuple[Path, str | bytes]]) -> None:
    """Replace every ``(path, data)`` of ``files`` (``str`` written as UTF-8) together, journaled in ``root`` (see the module docstring).

    Raises :class:`TransactionBusy` when another process's journal is in ``root`` and ``OSError``
    when a file cannot be written; before the commit point every file is then as it was and
    nothing of this call is left on disk, after it the remaining renames are done by the next
    :func:`recover`.
    """
    root = Path(root)
    recover(root)
    journal = root / JOURNAL
    pairs = []
    for path, _ in files:
        target = resolve_target(Path(path))
        pairs.append((target, target.parent / f".{target.name}.dxplan-txn-{os.getpid()}-{secrets.token_hex(4)}.new"))
    try:
        create_exclusive(journal, _journal_text("staging", pairs, root))
    except FileExistsError:
        raise TransactionBusy(N_("{folder}: another dxplan process is writing this plan ({journal}); nothing was written, try again when it has finished"),
                              {"folder": str(root), "journal": JOURNAL}) from None
    try:
        for (target, staged), (_, data) in zip(pairs, files, strict=True):
            _stage(target, data.encode("utf-8") if isinstance(data, str) else data, staged)
        for folder in {s.parent for _, s in pairs}:
            fsync_dir(folder)
        write_atomic(journal, _journal_text("commit", pairs, root))
    except BaseException:
        _roll_back(journal, pairs)
        raise
    _roll_forward(journal, pairs)


def _roll_back(journal: Path, pairs: list[tuple[Path, Path]]) -> None:
    for _, staged in pairs:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(staged)
    for folder in {s.parent for _, s in pairs}:
        fsync_dir(folder)
    with contextlib.suppress(FileNotFoundError):
        os.unlink(journal)
    fsync_dir(journal.parent)


def _roll_forward(journal: Path, pairs: list[tuple[Path, Path]]) -> None:
    for target, staged in pairs:
        with contextlib.suppress(FileNotFoundError):  # renamed before the writer was stopped
            os.replace(staged, target)
    for folder in {t.parent for t, _ in pairs}:
        fsync_dir(folder)
    with contextlib.suppress(FileNotFoundError):
        os.unlink(journal)
    fsync_dir(journal.parent)


def recover(root: Path) -> str | None:
    """Finish an interrupted :func:`commit_files` in ``root``: ``"rolled back"``, ``"rolled forward"``,
    ``"busy"`` (its writer still runs), ``"unfinished"`` (a committed journal that this process cannot
    roll forward, e.g. a read-only folder: see :func:`unfinished_commit`) or None (nothing to do, or
    a journal in state ``staging`` that cannot be removed now: its targets are all old).

    Never raises for a folder that cannot be read or written: the journal stays for the next run.
    A journal that is not one this module writes is left alone (None).
    """
    root = Path(root)
    try:
        names = [e.name for e in os.scandir(root) if e.name.startswith(JOURNAL) or e.name.startswith(f".{JOURNAL}")]
    except OSError:
        return None
    if not names:
        return None
    journal = root / JOURNAL
    outcome = None
    try:
        text = journal.read_text(encoding="utf-8")
    except FileNotFoundError:
        text = None
    except OSError:
        return None
    if text is not None:
        try:
            data = json.loads(text)
            pid, state = int(data["pid"]), data["state"]
            pairs = [(root / f["target"], root / f["staged"]) for f in data["files"]]
        except (ValueError, KeyError, TypeError):
            return None
        if pid != os.getpid() and alive(pid):
            return "busy"
        try:
            if state == "commit":
                _roll_forward(journal, pairs)
                outcome = "rolled forward"
            else:
                _roll_back(journal, pairs)
                outcome = "rolled back"
        except OSError:
            return "unfinished" if state == "commit" else None
    remove_stale(root)
    return outcome


def unfinished_commit(root: Path) -> dict[str, Path]:
    """The staged files of a committed journal in ``root`` that are not yet renamed over their targets.

    Returns ``{realpath of target: staged file}`` (empty when there is no readable journal in state
    ``commit``, or every rename is done). A loader reads each staged file in place of its target:
    the staged texts were complete and on disk before the commit point, so that is the plan as the
    interrupted import wrote it. Never raises.
    """
    root = Path(root)
    try:
        data = json.loads((root / JOURNAL).read_text(encoding="utf-8"))
        if data["state"] != "commit":
            return {}
        pairs = [(root / f["target"], root / f["staged"]) for f in data["files"]]
    except (OSError, ValueError, KeyError, TypeError):
        return {}
    return {os.path.realpath(t): s for t, s in pairs if os.path.lexists(s)}
