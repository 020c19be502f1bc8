"""The results cache: what a plan file and a whole plan gave last time, keyed by their content (a plan's also by its files' stat data).

Three kinds of entry, in one SQLite database:

- **file data** — the plain data a YAML text parses to (what the one safe reader,
  :func:`dxplan.yamlread.parse`, returned for it: only texts it accepted are stored), keyed by
  the BLAKE2b hash of the reader's limits and the text. Commands that load plans
  (``status``, ``score``, ``report``, and ``lint`` for a plan that changed) take an unchanged
  file's data from here instead of parsing it; the data is still validated by the models on
  every run, exactly like freshly parsed data.
- **plan results** — every lint problem of a plan folder (load problems and the plan-wide
  rules' findings, positioned), stored under the folder's absolute path with the hash of
  all its files (names and bytes) and the reader's limits. ``dxplan lint`` answers an unchanged plan from here
  without parsing anything; one changed file changes the plan's hash, so that plan — and
  only that plan — is linted again (its other files' data still come from the file entries).
  Beside the content hash, a plan result may carry a **stat signature**: the hash of the
  reader's limits and, per file, its name, size, modification and status-change times
  (nanoseconds), inode and device, as ``os.stat`` gives them without reading the file (what
  git's index keeps). ``dxplan lint`` answers a plan whose files' stat data all equal the
  stored signature without reading any file (:func:`get_plan_by_stat`); on any difference it
  reads and hashes the files as above, and stores the new signature with the result. The
  signature is stored only when no file is *racy*: every file's modification and
  status-change times are older than the moment of the stat minus
  :data:`dxplan.lint.engine.RACY_SECONDS` (2 s; git's "racy git" rule). A file rewritten with the
  same size within one tick of a filesystem's coarse clock keeps its stat data, so a
  signature taken then could describe other bytes than those hashed; the status-change time,
  which no program can set back, makes a rewrite after the signature visible even when the
  modification time is restored (``touch -d``, ``cp -p``, ``rsync -t``).
- **plan views** — what a data command computed for a plan folder with its options (``status``'s
  results or its rendered tables, ``score``'s, ``compare``'s figures; each a *view*, named by the
  command's worker function; its arguments are part of the keys, so other arguments replace the
  entry rather than add one), together with the folder's load errors, stored as
  plain data (:mod:`dxplan.files.plain`: typed results written as tagged tuples and built back
  equal) under the folder's absolute path and the view's name, keyed like plan results by the
  content hash and the stat signature (:mod:`dxplan.files.plan_key`). ``status``, ``score`` and
  ``compare`` answer an unchanged plan from here without reading (stat) or parsing (content) any
  file (:func:`dxplan.files.pool.cached_outcome`); one changed file changes its plan's keys, so only
  that plan is computed again. ``report`` keeps what it wrote for a plan the same way
  (:mod:`dxplan.report.kept`), and a plan's printed PDF as its ``pdf`` view, keyed instead by a hash
  of the print HTML and what WeasyPrint's output depends on (:func:`dxplan.report.pdf.print_key`). An entry that is not what its view expects is dropped with the
  corrupt-entry warning and computed again.

The database file's name carries a hash of the database's layout (:data:`dxplan.files.cache_place.FORMAT`), dxplan's
version, the packaged JSON Schemas and the size and modification time of every module and
message catalogue of the package, so a new layout, a new version, a changed schema or an
edited rule starts from an empty cache (an older database is left as it is, unused).

Every value is stored as its own BLAKE2b digest followed by a pickle that may only hold
plain data (dict, list, str, int, float (:class:`dxplan.numbers.WrittenFloat` too), bool, None, date, datetime). An entry whose digest
does not match (a corrupt or truncated entry) is ignored with a warning on stderr and
deleted; a database SQLite cannot read is ignored with a warning for the rest of the run
and removed. Several processes may read and write at once (SQLite's locking, WAL journal);
writes are batched in one transaction per plan (:func:`flush`).

Location: ``$DXPLAN_CACHE_DIR``, else ``$XDG_CACHE_HOME/dxplan``, else ``~/.cache/dxplan``.
``DXPLAN_NO_CACHE=1`` turns it off. The databases of other versions or code (another
fingerprint) that nothing has written for :data:`PRUNE_DAYS` days are removed when a process
first opens its own, so upgrades do not pile up old databases (a national corpus's is ~330 MB). The cache is an optimisation only: a cache that cannot
be opened or written leaves the results exactly as without it.
"""

from __future__ import annotations

import atexit
import hashlib
import io
import os
import pickle
import sqlite3
import time
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from dxplan.i18n import N_
import contextlib

from .cache_place import cache_dir, fingerprint

__all__ = ["text_key", "bytes_key", "prefetch_data", "get_data", "put_data", "get_plan", "get_plan_by_stat", "put_plan",
           "get_view", "get_view_by_stat", "put_view", "drop_view", "flush", "database_path", "reset", "probing", "Trouble", "cache_dir", "fingerprint"]

_DIGEST = 16
_BATCH = 2000
_ALLOWED = {
    ("datetime", "date"), ("datetime", "datetime"), ("datetime", "timezone"), ("datetime", "timedelta"),
    ("dxplan.numbers", "WrittenFloat"),  # a float with the decimals its text was written with
}


_UNREADABLE = N_("the results cache {path} cannot be read and is ignored (it is removed; the next run rebuilds it)")
_CORRUPT = N_("a corrupt entry in the results cache {path} is ignored")


class _Corrupt(Exception):
    """A stored value that does not match its digest or holds more than plain data."""


class _PlainUnpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        if (module, name) in _ALLOWED:
            return super().find_class(module, name)
        raise _Corrupt(f"{module}.{name}")


def _digest(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=_DIGEST).digest()


def _pack(value: Any) -> bytes:
    payload = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    return _digest(payload) + payload


def _unpack(blob: bytes) -> Any:
    digest, payload = blob[:_DIGEST], blob[_DIGEST:]
    if len(digest) != _DIGEST or _digest(payload) != digest:
        raise _Corrupt("digest")
    try:
        return _PlainUnpickler(io.BytesIO(payload)).load()
    except _Corrupt:
        raise
    except Exception as exc:  # noqa: BLE001 - any unreadable pickle is a corrupt entry
        raise _Corrupt(str(exc)) from None


def text_key(text: str, limits: str = "") -> bytes:
    """The key of a YAML text's data entry: BLAKE2b of the reader's ``limits`` (:attr:`dxplan.yamlread.Limits.key`) and the text's UTF-8 bytes.

    The same text read under other limits may be refused, so it has another key.
    """
    return _digest(limits.encode() + b"\0" + text.encode("utf-8"))


def bytes_key(raw: bytes, limits: str = "") -> bytes:
    """:func:`text_key` of the text a file's bytes decode to (UTF-8, a leading BOM dropped), from the bytes."""
    return _digest(limits.encode() + b"\0" + (raw[3:] if raw.startswith(b"\xef\xbb\xbf") else raw))


# --------------------------------------------------------------------------- where, and which database


def database_path() -> Path | None:
    """The database file of this dxplan (see :func:`fingerprint`), or None when the cache is off."""
    folder = cache_dir()
    return None if folder is None else folder / f"results-{fingerprint()}.sqlite3"


PRUNE_DAYS = 7
"""A database of another fingerprint whose files were last modified this many days ago or more is removed."""


def _prune(current: Path) -> None:
    """Remove the other databases in ``current``'s folder (``results-*.sqlite3`` and their ``-wal``/``-shm``)
    unmodified for :data:`PRUNE_DAYS` days. Never raises; a file another process removes first is skipped."""
    folder, keep = current.parent, current.name
    cutoff = time.time() - PRUNE_DAYS * 86400
    try:
        names = os.listdir(folder)
    except OSError:
        return
    groups: dict[str, list[Path]] = {}
    for name in names:
        if name.startswith("results-") and ".sqlite3" in name:
            groups.setdefault(name[: name.index(".sqlite3") + len(".sqlite3")], []).append(folder / name)
    for db, files in groups.items():
        if db == keep:
            continue
        try:
            newest = max(f.stat().st_mtime for f in files)
        except OSError:
            continue
        if newest < cutoff:
            for f in files:
                with contextlib.suppress(OSError):
                    f.unlink()


# --------------------------------------------------------------------------- the connection (one per process)


class _State:
    def __init__(self) -> None:
        self.clear()

    def clear(self) -> None:
        """Back to the state of a new process: no connection, nothing pending, nothing warned."""
        self.pid = -1
        self.path: Path | None = None
        self.conn: sqlite3.Connection | None = None
        self.broken = False
        self.warned: set[str] = set()
        self.pending_data: dict[bytes, bytes] = {}
        self.pending_plans: dict[str, tuple[bytes, bytes | None, bytes]] = {}
        self.pending_views: dict[tuple[str, str], tuple[bytes, bytes | None, bytes]] = {}
        self.prefetched: dict[bytes, bytes | None] = {}


_state = _State()


class Trouble(Exception):
    """Raised, while :func:`probing`, where the cache would otherwise warn (a corrupt entry, an unreadable database)."""


#: True while :func:`probing` (kept apart from :class:`_State`, which a new connection clears).
_probing: list[bool] = []


@contextlib.contextmanager
def probing() -> Iterator[None]:
    """Within the block the cache changes nothing and says nothing about trouble: a corrupt entry or a
    database SQLite cannot read raises :class:`Trouble` before anything is warned, dropped or disabled.

    For an answer that is only tried (``dxplan status`` before typer, :mod:`dxplan.cli.quick`): on
    trouble it gives up, and the command's ordinary run meets the same trouble and reports it as always.
    """
    _probing.append(True)
    try:
        yield
    finally:
        _probing.pop()


def _warn(message: str) -> None:
    if _probing:
        raise Trouble(message)
    from dxplan.i18n import command_lang, t
    from dxplan.problems import default_lang

    if message not in _state.warned:
        _state.warned.add(message)
        sys.stderr.write(f"dxplan: {t(command_lang(default_lang()), message, path=str(_state.path))}\n")


def _disable(exc: BaseException) -> None:
    """Stop using a database SQLite cannot read (warn, remove it); results come without the cache."""
    _warn(_UNREADABLE)
    _state.broken = True
    conn, _state.conn = _state.conn, None
    if conn is not None:
        with contextlib.suppress(sqlite3.Error):
            conn.close()
    if isinstance(exc, sqlite3.DatabaseError) and not isinstance(exc, sqlite3.OperationalError) and _state.path is not None:
        for suffix in ("", "-wal", "-shm"):
            with contextlib.suppress(OSError):
                os.unlink(f"{_state.path}{suffix}")


def _connect() -> sqlite3.Connection | None:
    if _state.pid != os.getpid():  # a new process (or a forked worker): its own connection
        _state.clear()
        _state.pid = os.getpid()
        _state.path = database_path()
    if _state.broken or _state.path is None:
        return None
    if _state.conn is None:
        for attempt in range(20):
            try:
                _state.path.parent.mkdir(parents=True, exist_ok=True)
                conn = sqlite3.connect(_state.path, timeout=60, isolation_level=None)
                conn.execute("PRAGMA page_size=8192")  # for a new database only: a few-KB value per page
                conn.execute("PRAGMA journal_mode=WAL")
                conn.execute("PRAGMA synchronous=OFF")  # a cache: entries carry digests; no fsync per plan
                # a rowid table: a value of a few KB stays in the table's page (a WITHOUT ROWID table keeps
                # under 1 KB of a row there and spills the rest to overflow pages: twice the writes)
                conn.execute("CREATE TABLE IF NOT EXISTS data (key BLOB PRIMARY KEY, value BLOB NOT NULL)")
                conn.execute("CREATE TABLE IF NOT EXISTS plans (root TEXT PRIMARY KEY, key BLOB NOT NULL, value BLOB NOT NULL, stat BLOB)")
                conn.execute("CREATE TABLE IF NOT EXISTS views (root TEXT NOT NULL, view TEXT NOT NULL, key BLOB NOT NULL, value BLOB NOT NULL, "
                             "stat BLOB, PRIMARY KEY (root, view))")
                _state.conn = conn
                _prune(_state.path)
                break
            except sqlite3.OperationalError as exc:
                # two processes creating the database at once: switching it to WAL needs a lock that
                # SQLite's busy timeout does not wait for; try again shortly rather than give up
                if attempt == 19 or "locked" not in str(exc):
                    _disable(exc)
                    return None
                time.sleep(0.02 * (attempt + 1))
            except (OSError, sqlite3.Error) as exc:
                _disable(exc)
                return None
    return _state.conn


def _read(sql: str, args: tuple[Any, ...]) -> tuple[Any, ...] | None:
    conn = _connect()
    if conn is None:
        return None
    try:
        return conn.execute(sql, args).fetchone()
    except sqlite3.Error as exc:
        _disable(exc)
        return None


def _drop(table: str, column: str, key: Any, view: str | None = None) -> None:
    _warn(_CORRUPT)
    conn = _connect()
    if conn is not None:
        with contextlib.suppress(sqlite3.Error):
            if view is None:
                conn.execute(f"DELETE FROM {table} WHERE {column} = ?", (key,))
            else:
                conn.execute(f"DELETE FROM {table} WHERE {column} = ? AND view = ?", (key, view))


# --------------------------------------------------------------------------- file data


def prefetch_data(keys: list[bytes]) -> None:
    """Read the data entries of ``keys`` in one query, so that :func:`get_data` asks the database nothing for them.

    For a plan folder about to be loaded (its files' keys known from their bytes); a key
    with no entry is remembered as missing until the next :func:`flush`.
    """
    conn = _connect()
    if conn is None or not keys:
        return
    found: dict[bytes, bytes] = {}
    try:
        for i in range(0, len(keys), 500):
            chunk = keys[i : i + 500]
            rows = conn.execute(f"SELECT key, value FROM data WHERE key IN ({','.join('?' * len(chunk))})", chunk)
            found.update(rows.fetchall())
    except sqlite3.Error as exc:
        _disable(exc)
        return
    for key in keys:
        _state.prefetched[key] = found.get(key)


def get_data(key: bytes) -> Any | None:
    """The stored data of the YAML text whose :func:`text_key` is ``key``, or None."""
    if _state.pid != os.getpid():
        _connect()
    blob = _state.pending_data.get(key)
    if blob is None:
        if key in _state.prefetched:
            blob = _state.prefetched[key]
            if blob is None:
                return None
        else:
            row = _read("SELECT value FROM data WHERE key = ?", (key,))
            if row is None:
                return None
            blob = row[0]
    try:
        return _unpack(blob)
    except _Corrupt:
        _drop("data", "key", key)
        return None


def put_data(key: bytes, data: Any) -> None:
    """Keep ``data`` (plain data) as the parse of the text with :func:`text_key` ``key``; written by :func:`flush`."""
    if _connect() is None:
        return
    try:
        _state.pending_data[key] = _pack(data)
    except (pickle.PicklingError, TypeError, ValueError, RecursionError):
        return
    if len(_state.pending_data) >= _BATCH:
        flush()


# --------------------------------------------------------------------------- plan results


def _plan_row(name: str) -> tuple[bytes, bytes | None, bytes] | None:
    """(content key, stat signature or None, packed value) stored for plan folder ``name`` (pending ones first), or None."""
    pending = _state.pending_plans.get(name) if _state.pid == os.getpid() else None
    if pending is not None:
        return pending
    row = _read("SELECT key, stat, value FROM plans WHERE root = ?", (name,))
    return None if row is None else (row[0], row[1], row[2])


def _plan_value(name: str, blob: bytes) -> Any | None:
    try:
        return _unpack(blob)
    except _Corrupt:
        _drop("plans", "root", name)
        return None


def get_plan(root: Path, key: bytes) -> Any | None:
    """The stored results of plan folder ``root`` if they were stored under content key ``key``, else None.

    A corrupt stored value is ignored (None) with a warning and deleted.
    """
    name = str(Path(root).absolute())
    row = _plan_row(name)
    if row is None or row[0] != key:
        return None
    return _plan_value(name, row[2])


def get_plan_by_stat(root: Path, stat: bytes) -> Any | None:
    """The stored results of plan folder ``root`` if they were stored with stat signature ``stat``, else None.

    ``stat``: the signature :func:`dxplan.lint.engine.lint_folder` computes from its files' ``os.stat``
    data (see the module docstring); a result stored without one never matches. A corrupt
    stored value is ignored (None) with a warning and deleted, as in :func:`get_plan`.
    """
    name = str(Path(root).absolute())
    row = _plan_row(name)
    if row is None or row[1] is None or row[1] != stat:
        return None
    return _plan_value(name, row[2])


def put_plan(root: Path, key: bytes, value: Any, stat: bytes | None = None) -> None:
    """Store ``value`` (plain data) as the results of plan folder ``root`` under content key ``key``; written by :func:`flush`.

    ``stat``: the folder's stat signature to store with it (see :func:`get_plan_by_stat`);
    None stores none (the files were racy), and a signature stored before is dropped.
    """
    if _connect() is None:
        return
    try:
        _state.pending_plans[str(Path(root).absolute())] = (key, stat, _pack(value))
    except (pickle.PicklingError, TypeError, ValueError, RecursionError):
        return


# --------------------------------------------------------------------------- plan views


def _view_row(name: str, view: str) -> tuple[bytes, bytes | None, bytes] | None:
    """(content key, stat signature or None, packed value) of view ``view`` of plan folder ``name`` (pending ones first), or None."""
    pending = _state.pending_views.get((name, view)) if _state.pid == os.getpid() else None
    if pending is not None:
        return pending
    row = _read("SELECT key, stat, value FROM views WHERE root = ? AND view = ?", (name, view))
    return None if row is None else (row[0], row[1], row[2])


def _view_value(name: str, view: str, blob: bytes) -> Any | None:
    try:
        return _unpack(blob)
    except _Corrupt:
        _drop("views", "root", name, view)
        return None


def get_view(root: Path, view: str, key: bytes) -> Any | None:
    """What view ``view`` of plan folder ``root`` stored under content key ``key``, else None.

    A *view* is one command's result for one plan with its options (``status`` of a fiscal year,
    ``score --explain``, ``compare``'s figures), named by the caller
    (:func:`dxplan.files.pool.map_plans`); each view of a folder is kept apart, beside lint's plan
    results. ``key``: the hash of the folder's file names and bytes and the reader's limits, as for
    :func:`get_plan`. A corrupt stored value is ignored (None) with a warning and deleted.
    """
    name = str(Path(root).absolute())
    row = _view_row(name, view)
    if row is None or row[0] != key:
        return None
    return _view_value(name, view, row[2])


def get_view_by_stat(root: Path, view: str, stat: bytes) -> Any | None:
    """What view ``view`` of plan folder ``root`` stored with stat signature ``stat`` (see :func:`get_plan_by_stat`), else None."""
    name = str(Path(root).absolute())
    row = _view_row(name, view)
    if row is None or row[1] is None or row[1] != stat:
        return None
    return _view_value(name, view, row[2])


def drop_view(root: Path, view: str) -> None:
    """Delete view ``view`` of plan folder ``root`` (an entry whose plain data is not of the shape its reader expects), with the cache's warning."""
    name = str(Path(root).absolute())
    _state.pending_views.pop((name, view), None)
    _drop("views", "root", name, view)


def put_view(root: Path, view: str, key: bytes, value: Any, stat: bytes | None = None) -> None:
    """Store ``value`` (plain data) as view ``view`` of plan folder ``root`` under content key ``key`` and stat signature
    ``stat`` (None: none; the files were racy); written by :func:`flush`."""
    if _connect() is None:
        return
    try:
        _state.pending_views[(str(Path(root).absolute()), view)] = (key, stat, _pack(value))
    except (pickle.PicklingError, TypeError, ValueError, RecursionError):
        return


def flush() -> None:
    """Write the pending entries in one transaction (SQLite waits for another writer's lock, up to 60 s)."""
    if _state.pid != os.getpid() or not (_state.pending_data or _state.pending_plans or _state.pending_views):
        if _state.pid == os.getpid():
            _state.prefetched = {}
        return
    conn = _connect()
    data, plans, views = _state.pending_data, _state.pending_plans, _state.pending_views
    _state.pending_data, _state.pending_plans, _state.pending_views, _state.prefetched = {}, {}, {}, {}
    if conn is None:
        return
    try:
        with conn:
            conn.execute("BEGIN IMMEDIATE")
            conn.executemany("INSERT OR REPLACE INTO data (key, value) VALUES (?, ?)", data.items())
            conn.executemany("INSERT OR REPLACE INTO plans (root, key, value, stat) VALUES (?, ?, ?, ?)", ((r, k, v, s) for r, (k, s, v) in plans.items()))
            conn.executemany("INSERT OR REPLACE INTO views (root, view, key, value, stat) VALUES (?, ?, ?, ?, ?)",
                             ((r, w, k, v, s) for (r, w), (k, s, v) in views.items()))
    except sqlite3.Error as exc:
        _disable(exc)


def reset() -> None:
    """Forget this process's connection and pending entries (the next call opens the database again)."""
    if _state.conn is not None:
        with contextlib.suppress(sqlite3.Error):
            _state.conn.close()
    _state.clear()


atexit.register(flush)
