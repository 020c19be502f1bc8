"""typer's help renderer as dxplan's help pages use it: imported only for a help page, with two fixes.

``typer.rich_utils`` formats every help page and usage line (``rich_markup_mode="rich"``). It is
imported when a help page is formatted, not when the CLI starts (:func:`install`), and without the
two rich modules it imports at its top but a dxplan help page never uses (:func:`help_renderer`).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

#: What :func:`install` was given: how to get the Console class help pages print with.
_CONSOLE: list[Callable[[], type]] = []

def install(console_class: Callable[[], type]) -> None:
    """Two fixes to typer's rich ``--help`` for dxplan's users (applied once, when :mod:`.common` is imported).

    - Flags take no value, so they get no type entry (typer prints ``<bool>`` for ``--strict``
      and ``--help``); nor do arguments named by a metavar (``PATH``, not ``PATH <list[Path]>``).
    - Help texts fold at the column edge instead of ending in "…": Japanese has no spaces between
      words, so a long Japanese phrase is one "word" that rich would otherwise cut.

    typer imports its help renderer (``typer.rich_utils``: rich's Markdown, traceback and table
    modules, ~70 ms) only when it formats a help page; the second fix is therefore applied by
    :func:`_fold_help_texts` just before a help page is formatted, so a command that shows no
    help does not import the renderer (a faster start-up). ``console_class``: the rich Console class
    the renderer is to print with (:func:`dxplan.cli.console._console_class`), asked for then.
    """
    _CONSOLE[:] = [console_class]
    from typer.core import TyperArgument, TyperCommand, TyperGroup, TyperOption

    if getattr(TyperOption, "_dxplan_fixed", False):
        return
    shown = TyperOption.display_type_rich

    def display_type_rich(self, ctx):  # type: ignore[no-untyped-def]
        return None if getattr(self, "is_flag", False) else shown(self, ctx)

    def argument_type_rich(self, ctx):  # type: ignore[no-untyped-def]
        return None if self.metavar is not None else TyperArgument.display_type(self, ctx)

    TyperOption.display_type_rich = display_type_rich  # type: ignore[method-assign]
    TyperArgument.display_type_rich = argument_type_rich  # type: ignore[method-assign]
    for cls in (TyperCommand, TyperGroup):
        cls.format_help = _folding_first(cls.format_help)  # type: ignore[method-assign]
    TyperOption._dxplan_fixed = True  # type: ignore[attr-defined]


def _folding_first(format_help):  # type: ignore[no-untyped-def]
    """``format_help`` of a typer command or group, after :func:`_fold_help_texts`."""

    def fold_then_format(self, ctx, formatter):  # type: ignore[no-untyped-def]
        _fold_help_texts()
        return format_help(self, ctx, formatter)

    return fold_then_format


def _fold_help_texts() -> None:
    """Make typer's help renderer fold long help texts at the column edge and end quietly with exit 0
    when the reader of the help stops early (``dxplan --help | head -1``) (once; imports the renderer)."""
    from rich.text import Text as RichText

    rich_utils = help_renderer()
    if getattr(rich_utils, "_dxplan_fixed", False):
        return
    make_text = rich_utils._make_rich_text

    def folding_text(**kwargs):  # type: ignore[no-untyped-def]
        text = make_text(**kwargs)
        if isinstance(text, RichText):
            text.overflow = "fold"
        return text

    rich_utils._make_rich_text = folding_text
    for name in ("highlighter", "negative_highlighter"):  # option names too: `--install-completion` at 60 columns
        setattr(rich_utils, name, _folding(getattr(rich_utils, name)))
    rich_utils.Console = _CONSOLE[0]()  # type: ignore[misc]  # `dxplan --help | head -1`: the reader stopped early, exit 0
    rich_utils._dxplan_fixed = True  # type: ignore[attr-defined]  # dxplan's own marker, not in typer's types


def _folding(highlighter: Any) -> Any:
    """A highlighter like ``highlighter`` (typer's option highlighter) whose texts fold at the column edge instead of ending in "…"."""

    class Folding(type(highlighter)):  # type: ignore[misc]
        def __call__(self, text: Any) -> Any:
            highlighted = super().__call__(text)
            highlighted.overflow = "fold"
            return highlighted

    return Folding()


#: The rich modules ``typer.rich_utils`` imports at its top for what dxplan's help pages never do:
#: ``rich.markdown`` (help texts written in Markdown, ``rich_markup_mode="markdown"``: markdown-it and
#: pygments, about a quarter of ``dxplan --help``) and ``rich.traceback`` (typer's report of a crash).
#: Module → the one name typer takes from it.
DEFERRED = {"rich.markdown": "Markdown", "rich.traceback": "Traceback"}


def help_renderer() -> Any:
    """``typer.rich_utils``, imported (once) with the names of :data:`DEFERRED` standing in for their
    modules: each name is a :func:`deferred` class that imports the real module when it is first
    called or asked for an attribute, so a help page imports neither module, and a crash report
    (``Traceback.from_exception``) still gets rich's own. The stand-in modules are in
    ``sys.modules`` only while typer's module is imported; any other import gets the real ones.
    """
    loaded = sys.modules.get("typer.rich_utils")
    if loaded is not None:
        return loaded
    import types

    standing_in: dict[str, types.ModuleType] = {}
    for module, name in DEFERRED.items():
        if module not in sys.modules:
            stand_in = types.ModuleType(module)
            setattr(stand_in, name, deferred(module, name))
            standing_in[module] = stand_in
    sys.modules.update(standing_in)
    try:
        from typer import rich_utils
    finally:
        for module, stand_in in standing_in.items():
            if sys.modules.get(module) is stand_in:
                del sys.modules[module]
    return rich_utils


class _Deferred(type):
    """The metaclass of :func:`deferred`'s classes: calling one, or asking it for an attribute, loads the real class."""

    _module: str
    _name: str

    def real(cls) -> Any:
        from importlib import import_module

        return getattr(import_module(cls._module), cls._name)

    def __call__(cls, *args: Any, **kwargs: Any) -> Any:
        return cls.real()(*args, **kwargs)

    def __getattr__(cls, attr: str) -> Any:
        if attr.startswith("__"):
            raise AttributeError(attr)
        return getattr(cls.real(), attr)


def deferred(module: str, name: str) -> type:
    """A class standing for ``module.name`` that imports ``module`` only when it is called (an instance of
    the real class is returned) or asked for an attribute (``Traceback.from_exception``)."""
    return _Deferred(name, (), {"_module": module, "_name": name, "__module__": module})
