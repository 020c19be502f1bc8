"""Plan folders loaded and handled in worker processes, results in order.

``dxplan lint`` spreads plan folders over the cores in :mod:`dxplan.lint.engine`; the data commands
(``status``) do the same through :func:`map_plans`: each worker loads one plan folder with the
one loader (:func:`dxplan.files.load.load_plan`, files from the results cache when unchanged), applies
the command's function to it and returns only the function's (small, picklable) result and the
plan's load errors. Results come back in the order of the folders (:func:`dxplan.files.parallel.imap_ordered`),
so the output does not depend on the number of workers; one plan folder, or one worker, runs in
this process with no pool at all.

Given a *view* (a name for the function and its arguments), an unchanged plan folder is answered
from the results cache without loading it, as ``dxplan lint`` answers one
(:mod:`dxplan.files.plan_key`): first by its files' stat signature (no file read), else by the hash
of their names and bytes (nothing parsed or validated); otherwise it is loaded, the function
applied, and the whole outcome (load errors and result) stored under both keys as plain data
(:mod:`dxplan.files.plain`). An outcome that is not plain data (a usage error to raise) is not
stored; a stored entry that cannot be read back is computed again.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, TypeVar
from collections.abc import Callable, Iterator

from .parallel import imap_ordered
from dxplan.problems import Problem

if TYPE_CHECKING:
    from dxplan.model.loaded import LoadedPlan

R = TypeVar("R")

WINDOW = 16
"""Plans loaded ahead of the one being printed: the caller (rich tables, one plan at a time) is often
slower than the workers, and each waiting result holds its plan's models."""

__all__ = ["PlanOutcome", "map_plans", "outcome_of"]


@dataclass
class PlanOutcome(Generic[R]):
    """One plan folder after loading: ``errors`` (its load problems of severity error, positioned),
    ``loaded`` (its ``plan.yaml`` loaded), and ``value`` (what the function returned; None when
    ``plan.yaml`` did not load, since the function is not called then)."""

    root: Path
    errors: list[Problem]
    loaded: bool
    value: R | None

    @property
    def failed(self) -> bool:
        """True when the plan did not load or has errors (the data commands then exit 1)."""
        return not self.loaded or bool(self.errors)


def outcome_of(fn: Callable[..., R], loaded: LoadedPlan, args: tuple[Any, ...] = ()) -> PlanOutcome[R]:
    """The :class:`PlanOutcome` of an already loaded plan: its load errors, and ``fn(loaded, *args)`` when its ``plan.yaml`` loaded."""
    errors = [p for p in loaded.problems if p.severity == "error"]
    return PlanOutcome(loaded.root, errors, loaded.plan is not None, fn(loaded, *args) if loaded.plan is not None else None)


def _apply(item: tuple[Callable[..., Any], Path, tuple[Any, ...], str | None]) -> PlanOutcome:
    from .load import load_plan

    fn, root, args, view = item
    if view is not None:
        return cached_outcome(fn, root, args, view)
    return outcome_of(fn, load_plan(root, positions=False), args)


def _stored(root: Path, view: str, entry: Any) -> PlanOutcome | None:
    """The outcome a view entry holds, or None (with the cache's warning, the entry dropped) when it is not one."""
    from . import result_cache
    from .plain import from_plain

    try:
        outcome = from_plain(entry)
    except (ValueError, RecursionError):
        outcome = None
    if isinstance(outcome, PlanOutcome):
        return outcome
    result_cache.drop_view(root, view)
    return None


def cached_outcome(fn: Callable[..., R], root: Path, args: tuple[Any, ...], view: str) -> PlanOutcome[R]:
    """:func:`outcome_of` ``fn`` for plan folder ``root``, answered from the results cache's view ``view`` when its files are unchanged.

    ``view`` names ``fn`` (one entry per plan folder and view); ``args`` (plain values: their ``repr`` is
    part of the keys) and the files must be all the outcome depends on besides dxplan's code, which the
    cache's fingerprint covers. The entry is found by :func:`dxplan.files.views.find_view`. See the module docstring.
    """
    from . import result_cache
    from .load import load_plan
    from .plain import to_plain
    from .views import Found, find_view

    found = find_view(root, view, args, lambda entry: _stored(Path(root), view, entry))
    if isinstance(found, Found):
        return found.value
    if found.files is None or found.preread is None:
        return outcome_of(fn, load_plan(root, positions=False), args)
    found.preread.prefetch(found.files.limits)
    outcome = outcome_of(fn, load_plan(found.preread, positions=False), args)
    if found.key is not None:
        with contextlib.suppress(TypeError):  # not plain data (a usage error to raise): computed again next time
            result_cache.put_view(found.files.root, view, found.key, to_plain(outcome), found.stat)
    result_cache.flush()
    return outcome


def map_plans(
    fn: Callable[..., R], roots: list[Path], args: tuple[Any, ...] = (), jobs: int | None = None, view: str | None = None,
) -> Iterator[PlanOutcome[R]]:
    """``fn(loaded_plan, *args)`` for the plan folder at each of ``roots``, as :class:`PlanOutcome`, in the order of ``roots``.

    ``fn`` must be a module-level function (workers find it by name) returning picklable data;
    it is called only for a plan whose ``plan.yaml`` loaded. ``jobs``: worker processes (None:
    :func:`dxplan.files.parallel.default_jobs`); at most :data:`WINDOW` results wait for the caller. ``view``: a
    name for ``fn`` under which each outcome is kept in the results cache and answered from it while the
    plan's files and ``args`` are unchanged (:func:`cached_outcome`; None: always computed). Never raises for bad
    input (load problems are in the outcome); an exception raised by ``fn`` is raised here.
    """
    return imap_ordered(_apply, [(fn, Path(root), args, view) for root in roots], jobs, window=WINDOW)
