"""Plans rendered for the terminal by worker processes and printed by the command: what a console with given settings prints, as text.

``status`` and ``score`` (text formats) render each plan in the worker that computed it
(:func:`render_captured`, a console built with the command's :func:`console_settings`) and keep
the text in the results cache with the plan's results (:mod:`dxplan.files.pool`), so an unchanged
plan is printed (:func:`print_captured`) without being loaded or rendered again. The settings are
part of the cached view's name: another width, colour or language renders afresh.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Optional

from .console import _console_class

if TYPE_CHECKING:
    from rich.console import Console


ConsoleSettings = tuple[int, Optional[str], bool, bool]
"""What decides how a console renders: width, colour system (None: no colour), terminal or not, ``NO_COLOR``."""


def console_settings(console: Console) -> ConsoleSettings:
    """The :data:`ConsoleSettings` of ``console``: a worker process renders with them (:func:`console_like`)
    exactly what ``console`` would print, and they are part of the name of rendered text in the results cache."""
    return (console.width, console.color_system, console.is_terminal, console.no_color)


def console_like(settings: ConsoleSettings) -> Console:
    """A console that renders as one with ``settings`` (:func:`console_settings`) does, for capturing (``console.capture()``)."""
    width, color_system, terminal, no_color = settings
    return _console_class()(highlight=False, width=width, markup=False, color_system=color_system,  # type: ignore[arg-type]
                            force_terminal=terminal, no_color=no_color)


def render_captured(settings: ConsoleSettings, draw: Callable[[Console], None]) -> str:
    """What ``draw(console)`` prints on a console with ``settings``, as the text that console would write
    (styles as escape codes when it has colour): rendered in a worker, printed by :func:`print_captured`."""
    console = console_like(settings)
    with console.capture() as captured:
        draw(console)
    return captured.get()


def print_captured(console: Console, text: str) -> None:
    """Write text :func:`render_captured` gave to ``console``'s output as it is (it was rendered as ``console`` renders)."""
    if text:
        console.file.write(text)
        console.file.flush()

