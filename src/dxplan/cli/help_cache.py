"""``dxplan --help`` as typer printed it last time, printed again without importing typer or rich.

The root help page is typer's (rich panels, worded in the command line's language, as wide as the
terminal, coloured on a terminal), and importing typer and rich costs most of ``dxplan --help``.
The page depends on nothing but the command line, dxplan's code and catalogues, the installed typer
and rich, and what those read of the process's surroundings (:func:`page_key`). So the first run
records what typer writes (:func:`kept`), and a later run with the same key writes those characters
again (:func:`replay`): the same bytes, exit 0.

Only root help pages are kept: every argument one of ``--help``, ``-h``, ``--lang ja|en``,
``--lang=ja|en``, with ``--help`` or ``-h`` among them (:func:`is_root_help`). A page is kept only when
typer ended with exit 0, wrote nothing on stderr and every write reached standard output (a reader
that stopped early, ``--help | head -1``, leaves a page unkept), and standard output encodes UTF-8;
never on Windows, where rich asks the console itself what it can show.
Pages live in the user's cache folder (:func:`dxplan.files.cache_place.cache_dir`, none with
``DXPLAN_NO_CACHE``), one file per command line and ``DXPLAN_LANG``, written atomically:
``help-<8 hex digits>.txt``: on the first line the key's hex digits and the BLAKE2b digest of the page
(a page that is not the one written, a damaged file, is not printed), the page after it. Another key
(a wider terminal, a new version, colour) replaces the file. A file that cannot be read or written leaves the help to typer.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

__all__ = ["is_root_help", "page_key", "replay", "kept"]

#: The arguments a root help command line is made of.
HELP_ARGS = frozenset({"--help", "-h", "--lang", "ja", "en", "--lang=ja", "--lang=en"})

#: The environment variables that change the page: dxplan's language; typer's help renderer
#: (``TERMINAL_WIDTH``, ``FORCE_COLOR``, ``PY_COLORS``, ``GITHUB_ACTIONS``, ``_TYPER_FORCE_DISABLE_TERMINAL``,
#: ``TYPER_USE_RICH``); rich's console (size, colour, terminal, cell widths); gettext's language; the
#: switch of typer's completion options.
ENVIRONMENT = (
    "DXPLAN_LANG",
    "TERMINAL_WIDTH", "FORCE_COLOR", "PY_COLORS", "GITHUB_ACTIONS", "_TYPER_FORCE_DISABLE_TERMINAL", "TYPER_USE_RICH",
    "COLUMNS", "LINES", "NO_COLOR", "TTY_INTERACTIVE", "TTY_COMPATIBLE", "COLORTERM", "TERM",
    "DATABRICKS_RUNTIME_VERSION", "JUPYTER_COLUMNS", "JUPYTER_LINES", "UNICODE_VERSION",
    "LANGUAGE", "LC_ALL", "LC_MESSAGES", "LC_CTYPE", "LANG",
    "_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION",  # typer's completion options take a shell name or none
)

#: The libraries that render the page (shellingham: whether typer offers to detect the shell): each
#: one's package file (path, size, modification time; None when not installed) is part of the key.
RENDERERS = ("typer", "rich", "shellingham")


def is_root_help(argv: list[str]) -> bool:
    """Whether ``argv`` asks for the root help page only (see the module docstring)."""
    return bool(argv) and ("--help" in argv or "-h" in argv) and all(arg in HELP_ARGS for arg in argv)


def page_key(argv: list[str]) -> str:
    """What the root help page of ``argv`` depends on, as 32 hex digits: the command line; dxplan's version,
    code, catalogues and data (:func:`dxplan.files.cache_place.fingerprint`); Python's version; the installed
    typer and rich (:data:`RENDERERS`); the variables of :data:`ENVIRONMENT`; and for standard input, output and
    error whether each is a terminal, its encoding and the terminal's size."""
    from importlib.util import find_spec

    from dxplan.files.cache_place import fingerprint

    parts = ["\0".join(argv), fingerprint(), sys.version]
    for name in RENDERERS:
        spec = find_spec(name)
        origin = spec.origin if spec is not None else None
        try:
            st = os.stat(origin) if origin else None
        except OSError:
            st = None
        parts.append(f"{name}={origin}:{st.st_size if st else '-'}:{st.st_mtime_ns if st else '-'}")
    parts += [f"{name}={os.environ.get(name)!r}" for name in ENVIRONMENT]
    for fd, stream in enumerate((sys.stdin, sys.stdout, sys.stderr)):
        try:
            size: Any = tuple(os.get_terminal_size(fd))
        except (OSError, ValueError):
            size = None
        tty = bool(stream is not None and stream.isatty())
        parts.append(f"{fd}:{tty}:{getattr(stream, 'encoding', None)}:{getattr(stream, 'errors', None)}:{size}")
    return hashlib.blake2b("\n".join(parts).encode("utf-8", "backslashreplace"), digest_size=16).hexdigest()


def _page_file(argv: list[str]) -> Path | None:
    """The file of the kept page of command line ``argv`` (named by it and ``DXPLAN_LANG``, so each language
    keeps its own page); None when the cache is off, standard output does not encode UTF-8 (click would
    then write through its own wrapper) or on Windows."""
    import codecs

    from dxplan.files.cache_place import cache_dir

    if sys.platform == "win32":  # rich asks the Windows console itself what it can show: nothing in the key names that
        return None
    folder = cache_dir()
    encoding = getattr(sys.stdout, "encoding", None)
    try:
        utf8 = encoding is not None and codecs.lookup(encoding).name == "utf-8"
    except LookupError:
        utf8 = False
    if folder is None or not utf8:
        return None
    line = "\0".join([*argv, os.environ.get("DXPLAN_LANG", "")])
    return folder / f"help-{hashlib.blake2b(line.encode('utf-8', 'backslashreplace'), digest_size=4).hexdigest()}.txt"


def replay(argv: list[str]) -> int | None:
    """Write the kept root help page of ``argv`` to standard output and return 0; None (nothing written)
    when ``argv`` is not a root help command line or no page is kept under its :func:`page_key`."""
    if not is_root_help(argv) or "_DXPLAN_COMPLETE" in os.environ:
        return None
    path = _page_file(argv)
    if path is None:
        return None
    try:
        head, _, page = _read_regular(path).partition(b"\n")
        text = page.decode("utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    if head != _head(page_key(argv), page):
        return None
    sys.stdout.write(text)
    sys.stdout.flush()
    return 0


def _read_regular(path: Path) -> bytes:
    """The bytes of the regular file at ``path``; OSError for anything else (a FIFO is never waited on)."""
    import stat

    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(f"{path}: not a regular file")
        with os.fdopen(fd, "rb", closefd=False) as fh:
            return fh.read()
    finally:
        os.close(fd)


class _Recorder:
    """A text stream that writes through to ``stream`` and keeps what was written; ``broken`` once a write of text or a flush failed."""

    def __init__(self, stream: Any) -> None:
        self._stream = stream
        self.written: list[str] = []
        self.broken = False

    def write(self, text: str) -> int:
        try:
            count = self._stream.write(text)
        except TypeError:  # not text (click asks whether the stream takes bytes by writing b""): nothing was written
            raise
        except BaseException:
            self.broken = True
            raise
        self.written.append(text)
        return count  # type: ignore[no-any-return]

    def flush(self) -> None:
        try:
            self._stream.flush()
        except BaseException:
            self.broken = True
            raise

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


@contextlib.contextmanager
def kept(argv: list[str]) -> Iterator[None]:
    """Run the ``with`` block (typer printing the command's output) and, when ``argv`` is a root help
    command line, keep the page it wrote for :func:`replay` (see the module docstring for when)."""
    path = _page_file(argv) if is_root_help(argv) and "_DXPLAN_COMPLETE" not in os.environ else None
    if path is None:
        yield
        return
    key = page_key(argv)  # before typer runs: dxplan sets LANGUAGE for typer's own messages
    out, err = sys.stdout, sys.stderr
    recorder, errors = _Recorder(out), _Recorder(err)
    sys.stdout, sys.stderr = recorder, errors  # type: ignore[assignment]
    code: Any = "unfinished"
    try:
        yield
    except SystemExit as exc:
        code = exc.code
        raise
    finally:
        whole = sys.stdout is recorder and sys.stderr is errors
        if sys.stdout is recorder:
            sys.stdout = out
        if sys.stderr is errors:
            sys.stderr = err
        if whole and code in (0, None) and not recorder.broken and not any(errors.written):
            _keep(path, key, "".join(recorder.written))


def _keep(path: Path, key: str, page: str) -> None:
    """Write the page file (atomically); a folder that cannot be written, or anything but a regular file
    in the page file's place, keeps nothing."""
    from dxplan.files.atomic import write_atomic
    from dxplan.i18n import UserError

    with contextlib.suppress(OSError, UnicodeEncodeError, UserError):
        if path.is_symlink() or (path.exists() and not path.is_file()):
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        data = page.encode()
        write_atomic(path, _head(key, data) + b"\n" + data)


def _head(key: str, page: bytes) -> bytes:
    """The first line of a page file: the page's key and the digest of its bytes."""
    return f"{key} {hashlib.blake2b(page, digest_size=16).hexdigest()}".encode()
