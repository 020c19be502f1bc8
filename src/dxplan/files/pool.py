"""Plan folders loaded and handled in worker processes, results in order.

``dxplan lint`` spreads plan folders over the cores in :mod:`dxplan.lint.engine`; the data commands
(``status``) do the same through :func:`map_plans`: each worker loads one plan folder with the
one loader (:func:`dxplan.files.load.load_plan`, files from the results cache when unchanged), applies
the command's function to it and returns only the function's (small, picklable) result and the
plan's load errors. Results come back in the order of the folders (:func:`dxplan.files.parallel.imap_ordered`),
so the output does not depend on the number of workers; one plan folder, or one worker, runs in
this process with no pool at all.
"""

from __future__ import annotations

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


def _apply(item: tuple[Callable[..., Any], Path, tuple[Any, ...]]) -> PlanOutcome:
    from .load import load_plan

    fn, root, args = item
    return outcome_of(fn, load_plan(root, positions=False), args)


def map_plans(fn: Callable[..., R], roots: list[Path], args: tuple[Any, ...] = (), jobs: int | None = None) -> Iterator[PlanOutcome[R]]:
    """``fn(loaded_plan, *args)`` for the plan folder at each of ``roots``, as :class:`PlanOutcome`, in the order of ``roots``.

    ``fn`` must be a module-level function (workers find it by name) returning picklable data;
    it is called only for a plan whose ``plan.yaml`` loaded. ``jobs``: worker processes (None:
    :func:`dxplan.files.parallel.default_jobs`); at most :data:`WINDOW` results wait for the caller. Never raises for bad input (load problems are in
    the outcome); an exception raised by ``fn`` is raised here.
    """
    return imap_ordered(_apply, [(fn, Path(root), args) for root in roots], jobs, window=WINDOW)
