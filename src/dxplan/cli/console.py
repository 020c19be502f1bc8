"""The rich console dxplan's tables print on: :func:`make_console` (imports rich; typer is not needed).

Kept apart from :mod:`.common` (which imports typer) so that a ``status`` answered from the results
cache before typer is imported (:mod:`.quick`) prints on the same console as the command does.
"""

from __future__ import annotations

import functools
import os
import shutil
import sys
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.console import Console

__all__ = ["make_console"]


def make_console() -> Console:
    """The rich console for terminal tables: exactly as wide as the terminal (or ``COLUMNS``), so
    tables wrap their cells instead of running past the edge; 120 when there is no terminal (a pipe
    or a file). Colour follows rich's rules: none when ``NO_COLOR`` is set or the output is not a
    terminal. A reader who stops early (``| head``) ends the command with exit 0.

    Plan text is printed as it is, never interpreted: rich markup is off (a ``[bold]`` in a title is
    text), and every segment is made visible (:func:`dxplan.output.visible.visible_segments`: an escape
    sequence in a title shows as ``␛]0;…``, it does not retitle the terminal).

    rich is imported here, by the commands that print tables, not when the CLI starts
    (``lint`` and ``--version`` print without it).
    """
    width = shutil.get_terminal_size((120, 24)).columns
    return _console_class()(highlight=False, width=width, markup=False)


@functools.cache
def _console_class() -> type[Console]:
    """rich's Console, except that a reader who stops early (``| head``) ends the command with exit 0."""
    from rich.console import Console

    from dxplan.output.visible import visible_segments

    class _Console(Console):
        """rich's Console, except that a reader who stops early (``| head``) ends the command with exit 0,
        and control characters in the text it prints are shown, not sent to the terminal."""

        def _render_buffer(self, buffer: Iterable[Any]) -> str:
            """rich's last step before writing (segments → text with the console's own styles): each text segment made visible first."""
            return super()._render_buffer(visible_segments(buffer))

        def on_broken_pipe(self) -> None:
            """rich's hook for a closed pipe (its default exits 1): stop writing and exit 0."""
            self.quiet = True
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            raise SystemExit(0)

    return _Console
