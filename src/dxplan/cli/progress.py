"""Progress on stderr for work that can take more than a second (rich.progress).

Shown only when stderr is a terminal and ``--quiet`` is not given: a pipe, a file or a CI log
gets nothing, so what a command prints is the same with or without it. The display is
transient: it is erased when the work ends, leaving the terminal as the command's output left it.

``with progress(lang, N_("checking plans"), total=n, quiet=quiet) as step:`` then ``step()``
after each unit of work; ``total=None`` shows a spinner and the time elapsed (one long step,
such as printing a PDF).
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Annotated, Any

import typer

from dxplan.i18n import t

from .common import help_text

QuietOpt = Annotated[bool, typer.Option("--quiet", "-q", help=help_text("show no progress on stderr"))]


def shown(quiet: bool) -> bool:
    """Whether progress is shown: stderr is a terminal and ``--quiet`` was not given."""
    return not quiet and sys.stderr.isatty()


@contextmanager
def progress(lang: str, msgid: str, *, total: int | None = None, quiet: bool = False, **params: Any) -> Iterator[Callable[[], None]]:
    """A progress display for the work inside the ``with`` block, labelled ``msgid`` (worded in ``lang``
    with ``params``); yields ``step()``, to call after each of the ``total`` units (None: a spinner).

    Nothing is shown (and ``step`` does nothing) when :func:`shown` is False.
    """
    if not shown(quiet):
        yield lambda: None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    columns: list[Any] = [SpinnerColumn(), TextColumn("{task.description}")]
    if total is not None:
        columns += [BarColumn(), MofNCompleteColumn()]
    columns.append(TimeElapsedColumn())
    with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task(t(lang, msgid, **params), total=total)
        yield lambda: bar.advance(task)
