"""Results-cache entries keyed by git content: what a command computed from a plan folder made of given blobs.

A plan folder at a commit is a set of blobs under names, and a blob never changes, so a figure computed
from those files never needs invalidating: other files make another key, other code (or another
dxplan) another database (:func:`dxplan.files.result_cache.fingerprint`). ``dxplan history`` keeps its
figures per plan state here (:mod:`dxplan.status.states`), so a warm history computes nothing.

The entries live in the results cache's ``data`` table (:mod:`dxplan.files.result_cache`), with its
guarantees: each value is plain data stored with its own digest; a corrupt entry is ignored with a
warning, deleted and computed again; a cache that cannot be opened leaves results exactly as without it.
Their keys cannot meet a file-data key: a file-data key hashes the reader's limits (UTF-8 text) and
a NUL first, these keys a ``0xFF`` byte (never in UTF-8) first.
"""

from __future__ import annotations

import hashlib
from typing import Any

from . import result_cache

__all__ = ["history_key", "get", "put", "prefetch", "flush"]

_KIND_HISTORY = b"\xffhistory-figures/1\0"


def history_key(files: tuple[tuple[str, str], ...], year: int | None, limits: str) -> bytes:
    """The key of a history's figures for a plan state: ``files`` its sorted (name inside the plan folder,
    blob id) pairs, ``year`` the fiscal year asked (None: each state's own), ``limits`` the reader's limits."""
    h = hashlib.blake2b(_KIND_HISTORY, digest_size=16)
    h.update(f"{year}\0{limits}\0".encode())
    for name, oid in files:
        h.update(name.encode("utf-8", "surrogateescape") + b"\0" + oid.encode("ascii") + b"\0")
    return h.digest()


def prefetch(keys: list[bytes]) -> None:
    """Read the entries of ``keys`` in one query (see :func:`dxplan.files.result_cache.prefetch_data`)."""
    result_cache.prefetch_data(keys)


def get(key: bytes) -> Any | None:
    """The plain data stored under ``key``, or None (nothing stored, a corrupt entry, no cache)."""
    return result_cache.get_data(key)


def put(key: bytes, value: Any) -> None:
    """Store ``value`` (plain data) under ``key``; written by :func:`flush` (or at exit)."""
    result_cache.put_data(key, value)


def flush() -> None:
    """Write the pending entries (:func:`dxplan.files.result_cache.flush`)."""
    result_cache.flush()
