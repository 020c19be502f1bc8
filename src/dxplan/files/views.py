"""A plan folder's stored view, found without loading anything: the lookup half of :func:`dxplan.files.pool.cached_outcome`.

A *view* is what a data command computed for one plan folder with its arguments, kept in the
results cache (:mod:`dxplan.files.result_cache`) as plain data. :func:`find_view` finds it as
:mod:`dxplan.files.plan_key` keys a folder: by its files' stat signature (no file read), else by
the hash of their names and bytes (read, not parsed). It imports neither the models nor the
loader, so a command answered from the cache (``dxplan status`` before typer is imported,
:mod:`dxplan.cli.quick`) never imports them; :func:`dxplan.files.pool.cached_outcome` computes the
outcome when nothing is found and stores it under the keys found here.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, TypeVar

if TYPE_CHECKING:
    from .plan_key import PlanFiles, Preread

T = TypeVar("T")

__all__ = ["Found", "Missed", "find_view", "view_key"]


def view_key(key: bytes, args: tuple[Any, ...]) -> bytes:
    """``key`` (a folder's stat or content key) combined with the ``repr`` of a view's arguments (plain values): 16 bytes."""
    return hashlib.blake2b(key + b"\0" + repr(args).encode("utf-8", "backslashreplace"), digest_size=16).digest()


@dataclass
class Found(Generic[T]):
    """A stored view that ``accept`` took: ``value`` is what it made of the stored entry."""

    value: T


@dataclass
class Missed:
    """No usable stored view: what computing it needs. ``files`` None: the folder is not to be cached at all
    (an import is being written or cannot be finished here: :func:`dxplan.files.transaction.recover`);
    else the folder's files already read (``preread``), their content key with the arguments (``key``,
    None when a file was not read) and the stat signature to store with the result (``stat``, None when racy)."""

    files: PlanFiles | None = None
    preread: Preread | None = None
    key: bytes | None = None
    stat: bytes | None = None


def find_view(root: Path, view: str, args: tuple[Any, ...], accept: Callable[[Any], T | None]) -> Found[T] | Missed:
    """The stored entry of view ``view`` of plan folder ``root`` for ``args``, as ``accept(entry)``.

    First by the folder's stat signature (nothing read; only when no file is racy), else by its
    content key (files read and hashed). ``accept`` turns a stored entry (plain data) into the value
    the caller wants, or None when the entry is not of the shape it expects (the caller decides
    whether to drop it); an entry found by content whose stat signature changed (a file touched, not
    changed) gets the new signature, so the next run is answered by stat. Never raises for what is
    on disk or in the cache: anything unusable is a :class:`Missed`.
    """
    from . import result_cache
    from .plan_key import plan_files
    from .transaction import recover

    # an import killed while writing is finished or undone first, as the loader does; one whose writer still
    # runs, or that cannot be finished here, leaves files the loader does not read as they are: no cache then
    if recover(Path(root)) in ("busy", "unfinished"):
        return Missed()
    pf = plan_files(root)
    stat, racy = pf.stat_key()
    # one entry per plan and view, whatever the arguments: they are part of both keys, so a run with
    # other arguments (another width, language, year) replaces the entry instead of adding one
    stat = None if stat is None else view_key(stat, args)
    if stat is not None and not racy:
        entry = result_cache.get_view_by_stat(pf.root, view, stat)
        if entry is not None and (hit := accept(entry)) is not None:
            return Found(hit)
    keep_stat = None if racy else stat
    preread, key = pf.read()
    key = None if key is None else view_key(key, args)
    if key is not None:
        entry = result_cache.get_view(pf.root, view, key)
        if entry is not None and (hit := accept(entry)) is not None:
            if keep_stat is not None:  # touched, not changed: the next run is answered by stat
                result_cache.put_view(pf.root, view, key, entry, keep_stat)
                result_cache.flush()
            return Found(hit)
    return Missed(pf, preread, key, keep_stat)
