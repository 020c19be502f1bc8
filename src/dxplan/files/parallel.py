"""Work spread over the cores: a function mapped over items in worker processes, results in order.

Used by :func:`dxplan.lint.engine.lint_paths` (one plan folder per item). Results come back in
the order of the items whatever worker computed them, so the output of N workers is the
output of one. Workers are forked where the platform allows it (they start with dxplan
already imported), else spawned. A process that has loaded a library running native threads
that do not survive a fork (pyarrow and DuckDB: their allocators' threads are not copied into
the child, which then crashes when it frees memory) spawns its workers instead (fresh interpreters
that import dxplan and see this process's environment as it is when the pool starts). The parent's results-cache connection is closed before
the workers start; each worker opens its own (:mod:`dxplan.files.result_cache`).
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from collections import deque
from itertools import islice
from typing import TypeVar
from collections.abc import Callable, Iterable, Iterator

T = TypeVar("T")
R = TypeVar("R")

__all__ = ["default_jobs", "imap_ordered"]


def default_jobs() -> int:
    """How many workers to use when not told: ``DXPLAN_JOBS`` if set, else the CPUs this process may run on."""
    value = os.environ.get("DXPLAN_JOBS", "")
    if value.isdigit() and int(value) > 0:
        return int(value)
    try:
        return len(os.sched_getaffinity(0)) or 1
    except (AttributeError, OSError):  # not on Linux
        return os.cpu_count() or 1


#: Modules whose native threads make a forked child unsafe (see the module docstring).
FORK_UNSAFE = ("pyarrow", "duckdb")


def _context() -> multiprocessing.context.BaseContext:
    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods and not any(name in sys.modules for name in FORK_UNSAFE):
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")


def imap_ordered(fn: Callable[[T], R], items: Iterable[T], jobs: int | None = None, window: int | None = None) -> Iterator[R]:
    """``fn(item)`` for every item, in the items' order, computed by up to ``jobs`` worker processes.

    ``jobs``: ``None`` for :func:`default_jobs`; 1 (or a single item) runs in this process.
    ``window``: at most this many results computed ahead of the one the caller is at (None: no
    bound, the pool's own batching), so a caller slower than the workers (printing each result)
    holds a few results in memory, not all of them. ``fn`` must be a module-level function and
    its arguments and results picklable. An exception raised by ``fn`` is raised here.
    """
    items = list(items)
    jobs = default_jobs() if jobs is None else max(1, jobs)
    jobs = min(jobs, len(items))
    if jobs <= 1:
        yield from map(fn, items)
        return
    from . import result_cache

    result_cache.flush()
    result_cache.reset()  # no SQLite connection may cross a fork
    with _context().Pool(jobs) as pool:
        if window is None:
            chunk = max(1, min(8, len(items) // (jobs * 8)))
            yield from pool.imap(fn, items, chunksize=chunk)
            return
        pending: deque = deque()
        rest = iter(items)
        for item in islice(rest, max(window, jobs)):
            pending.append(pool.apply_async(fn, (item,)))
        while pending:
            result = pending.popleft().get()
            for item in islice(rest, 1):  # one more item for each result taken
                pending.append(pool.apply_async(fn, (item,)))
            yield result
