"""The ``--format`` registries: each writer family's formats, readable without importing a writer.

A :class:`Formats` registry lists one family's formats in the order ``--help`` shows them, the first
being the default. Each :class:`Format` names its writer as ``"module:function"``, imported only when
that format is written: the command line builds its ``--format`` choice and help line from the
registry when it starts, and ``dxplan --help`` still imports no writer, template or model (this
module imports nothing heavier than ``dataclasses``). The writers of one family share one signature,
stated beside its registry.

The registries live with their writers (with the highest layer's, where the writers span two
layers, so that no registry names a module above its own layer):

- ``dxplan lint``: :data:`dxplan.lint.formatters.FORMATS`
- ``dxplan diff``: :data:`dxplan.diff.formats.FORMATS`
- ``dxplan status``, ``status --by indicator``, ``dxplan report``: :mod:`dxplan.report.formats`
- ``dxplan score``, ``dxplan history``: :data:`SCORE` and :data:`HISTORY` below
- ``dxplan export``: :data:`dxplan.sheets.formats.FORMATS`
- ``dxplan compare``, ``dxplan crosswalk``: :data:`dxplan.compare.formats.COMPARE` and ``CROSSWALK``

Adding a format: its writer (a function with the family's signature), a :class:`Format` line in
the registry, and a template where the writer renders one (new words go through the catalogue, as
everywhere). The command line takes it from there.

A writer that cannot write its format raises a :class:`dxplan.i18n.UserError` (exit 1), which the
command line words like every other. Families that can print rich
tables pass their writers ``console``: a function without arguments giving the console to print on
(made when first asked for, so a writer of plain text never imports rich). Such a writer returns the
text to print exactly as it is, or None when it printed on the console.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Format:
    """One ``--format`` choice: its name, its writer, and what ``--help`` says of it."""

    name: str
    writer: str
    """``"module:function"``, imported when the format is written."""
    note: str = ""
    """Shown in ``--help`` after the name, in parentheses (``csv (UTF-8 BOM)``)."""
    to_file: bool = False
    """Written without ``-o`` to a file named after the plan, the format's name as its extension
    (``kama-report.pdf``); else to standard output."""

    @property
    def label(self) -> str:
        """The name with its note, as ``--help`` lists it."""
        return f"{self.name} ({self.note})" if self.note else self.name


class Formats:
    """A writer family's formats in ``--help`` order, the first being the default.

    ``help``: the help line of ``--format`` as a catalogue message, where the names and notes joined by
    `` | `` (the default help line) would not read well in every language.
    """

    def __init__(self, *formats: Format, help: str | None = None) -> None:
        self._formats = {f.name: f for f in formats}
        self.help = help if help is not None else " | ".join(f.label for f in formats)

    @property
    def names(self) -> tuple[str, ...]:
        """The format names, in order."""
        return tuple(self._formats)

    @property
    def default(self) -> str:
        """The first format's name."""
        return next(iter(self._formats))

    def __iter__(self) -> Iterator[Format]:
        return iter(self._formats.values())

    def __contains__(self, name: object) -> bool:
        return name in self._formats

    def __getitem__(self, name: str) -> Format:
        """The format called ``name``; ValueError for a name the family does not have."""
        try:
            return self._formats[name]
        except KeyError:
            raise ValueError(f"unknown format {name!r} (one of {', '.join(self._formats)})") from None

    def writer(self, name: str) -> Callable[..., Any]:
        """The writer of format ``name``, imported now; ValueError for a name the family does not have."""
        module, _, function = self[name].writer.partition(":")
        return getattr(importlib.import_module(module), function)


#: ``dxplan score --format``. Writer: ``write(plans, lang, console, *, explain) -> str | None``:
#: ``plans`` an iterable of :class:`dxplan.status.counts.PlanScores`, one per plan in order (consumed
#: while writing, so a terminal writer prints each plan as it comes); ``explain``: ``--explain``.
SCORE = Formats(
    Format("text", "dxplan.output.terminal:write_scores"),
    Format("json", "dxplan.output.jsonout:write_scores"),
)

#: ``dxplan history --format``. Writer: ``write(histories, lang, console) -> str | None``: a list of
#: :class:`dxplan.status.history.History`, one per plan folder.
HISTORY = Formats(
    Format("table", "dxplan.output.history:write_table"),
    Format("json", "dxplan.output.history:write_json"),
    Format("markdown", "dxplan.output.history:write_markdown"),
)
