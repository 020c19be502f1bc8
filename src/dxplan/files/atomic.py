"""The one way dxplan writes a file: atomically, so that nothing is ever lost or half-written.

:func:`write_atomic` writes a temporary file in the target's own folder, flushes and
``fsync``\\ s it, gives it the target's permissions and renames it over the target
(``os.replace``, atomic on POSIX), then ``fsync``\\ s the folder. A reader — or a
crash, or ``SIGKILL`` at any moment — sees the old file or the new one, never a
truncated one. A symlink is followed: the link's final target is replaced and the
link stays a link. :func:`create_exclusive` does the same for a file that must not
exist yet (``os.link`` refuses an existing name).

Only a regular file (or a new one) is ever replaced. A FIFO or a character device (``/dev/null``,
``/dev/stdout`` into a pipe, a terminal) is written into, never replaced; a socket, a block device
or a folder is refused with a :class:`dxplan.i18n.UserError`. :func:`write_output` is the writer of
outputs (reports, exports, schemas): it also refuses a symlink sitting at a *default* output name,
one the user did not name, so that no planted link redirects an output outside the folder.

Temporary files are named ``.<name>.dxplan-<pid>-<random>.tmp``. One left behind by a
killed process is removed by :func:`remove_stale` (``dxplan fmt`` calls it on each
folder it formats), which only touches temporary files whose writing process is gone.
Every writer of plan files, reports, sheets and scaffolds goes through this module.
"""

from __future__ import annotations

import os
import re
import stat
import tempfile
from pathlib import Path
import contextlib

from dxplan.i18n import N_, UserError

__all__ = ["write_atomic", "write_output", "create_exclusive", "remove_stale", "resolve_target", "fsync_dir", "write_all"]

_TMP = re.compile(r"^\..+\.dxplan-(\d+)-[A-Za-z0-9_]+\.tmp$")


def resolve_target(path: Path) -> Path:
    """The file a write to ``path`` must replace: ``path`` itself, or the final target of a symlink chain.

    A dangling link resolves to the file it names (which is then created). Raises
    ``OSError`` (ELOOP) for a symlink loop.
    """
    path = Path(path)
    if not path.is_symlink():
        return path
    with contextlib.suppress(FileNotFoundError):
        os.stat(path)
    return Path(os.path.realpath(path))


def _default_mode() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def _tmp_file(target: Path) -> tuple[int, str]:
    return tempfile.mkstemp(prefix=f".{target.name}.dxplan-{os.getpid()}-", suffix=".tmp", dir=target.parent)


def fsync_dir(folder: Path) -> None:
    """Make the names in ``folder`` durable (``fsync`` of the folder itself); nothing when it cannot be opened or synced."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _write_tmp(target: Path, data: bytes, mode: int) -> str:
    fd, tmp = _tmp_file(target)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
            os.fchmod(fh.fileno(), mode)
    except BaseException:
        _unlink(tmp)
        raise
    return tmp


def _unlink(tmp: str) -> None:
    with contextlib.suppress(FileNotFoundError):
        os.unlink(tmp)


def _bytes(data: str | bytes) -> bytes:
    return data.encode("utf-8") if isinstance(data, str) else data


def _kind(path: Path) -> int | None:
    """The file type bits of what ``path`` names, the link followed (``stat.S_IFMT``); None when nothing is there."""
    try:
        return stat.S_IFMT(os.stat(path).st_mode)
    except FileNotFoundError:
        return None


def _write_into(path: Path, data: bytes) -> None:
    """Write ``data`` into the FIFO or character device ``path`` (opened for writing, never created)."""
    fd = os.open(path, os.O_WRONLY | getattr(os, "O_NOCTTY", 0))
    try:
        write_all(fd, data)
    finally:
        os.close(fd)


def write_all(fd: int, data: bytes) -> None:
    """Write every byte of ``data`` to the open file descriptor ``fd`` (``os.write`` may write less than asked). Raises OSError."""
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def write_atomic(path: Path, data: str | bytes, *, mode: int | None = None) -> Path:
    """Replace the file at ``path`` with ``data`` (``str`` is written as UTF-8, exactly as given).

    Permissions: ``mode`` if given, else the existing file's, else ``0o666`` less the umask.
    A symlink is followed (its target is replaced, see :func:`resolve_target`). Returns the
    path actually written. Only a regular file is replaced: a FIFO or character device is
    written into (``path`` returned), never replaced. Raises ``OSError`` on failure (the old
    file is then intact and no temporary file is left) and :class:`dxplan.i18n.UserError`
    (exit 2) when ``path`` is a socket, a block device or a folder.
    """
    path = Path(path)
    kind = _kind(path)
    if kind in (stat.S_IFIFO, stat.S_IFCHR):
        _write_into(path, _bytes(data))
        return path
    if kind is not None and kind != stat.S_IFREG:
        raise UserError(N_("{path}: not a regular file (a socket, a device or a folder); dxplan writes only files, FIFOs and character devices"), {"path": str(path)})
    target = resolve_target(path)
    if mode is None:
        try:
            mode = stat.S_IMODE(os.stat(target).st_mode)
        except FileNotFoundError:
            mode = _default_mode()
    tmp = _write_tmp(target, _bytes(data), mode)
    try:
        os.replace(tmp, target)
    except BaseException:
        _unlink(tmp)
        raise
    fsync_dir(target.parent)
    return target


def write_output(path: Path, data: str | bytes, *, default_name: bool = False) -> Path:
    """Write an output (a report, an export, a schema) to ``path`` as :func:`write_atomic` does.

    ``default_name``: ``path`` is a name dxplan chose (``<plan>-report.html`` without ``-o``), not one
    the user gave; a symlink there is refused (:class:`dxplan.i18n.UserError`, exit 2) and nothing is
    written, since the user never asked to write where it points. A symlink the user named is followed.
    Returns the path written; raises as :func:`write_atomic`.
    """
    path = Path(path)
    if default_name and path.is_symlink():
        raise UserError(N_("{path}: a symbolic link is at this default output name; dxplan does not write through it. Remove it or name the output with -o"), {"path": str(path)})
    return write_atomic(path, data)


def create_exclusive(path: Path, data: str | bytes, *, mode: int | None = None) -> Path:
    """Write ``data`` to the new file ``path`` atomically; ``FileExistsError`` if the name exists.

    The data is written to a temporary file and hard-linked to ``path`` (``os.link`` fails
    when ``path`` exists), so a reader never sees a half-written file and an existing file
    is never replaced. On a file system without hard links: exclusive create, then write.
    """
    path = Path(path)
    tmp = _write_tmp(path, _bytes(data), _default_mode() if mode is None else mode)
    try:
        try:
            os.link(tmp, path)
        except FileExistsError:
            raise
        except OSError:
            with open(path, "xb") as fh:
                fh.write(_bytes(data))
                fh.flush()
                os.fsync(fh.fileno())
    finally:
        _unlink(tmp)
    fsync_dir(path.parent)
    return path


def alive(pid: int) -> bool:
    """Whether process ``pid`` still runs (this one included; one owned by another user counts as running):
    a staging folder, journal or temporary file named after a live writer is never removed."""
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # exists, owned by someone else
    return True


def remove_stale(folder: Path) -> list[Path]:
    """Remove this module's temporary files in ``folder`` whose writing process no longer runs; returns them.

    Only names of the form ``.<name>.dxplan-<pid>-<random>.tmp`` are considered, so no
    other file is ever touched. Errors are ignored (the folder may be read-only).
    """
    removed: list[Path] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        m = _TMP.match(entry.name)
        if m and entry.is_file(follow_symlinks=False) and not alive(int(m.group(1))):
            try:
                os.unlink(entry.path)
                removed.append(Path(entry.path))
            except OSError:
                pass
    return removed
