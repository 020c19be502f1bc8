"""Plan text shown on a terminal as what it is: control and escape characters made visible, never interpreted.

Plan files are text a person typed or a sheet carried in; a field may still hold an escape sequence
(``ESC ] 0 ; title BEL`` sets a terminal's window title, ``ESC [ 2 J`` clears the screen), a carriage
return that overwrites the start of a line, or a bidirectional override that reorders what a reader
sees. :func:`visible` writes each such character as a visible sign instead:

- C0 controls (except tab and line feed) as their Unicode control pictures (``ESC`` → ``␛``,
  ``BEL`` → ``␇``, ``CR`` → ``␍``), ``DEL`` as ``␡``;
- C1 controls (U+0080–U+009F; ``U+009B`` starts a sequence on some terminals) and the bidirectional
  embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069) as ``<U+XXXX>``.

Every terminal writer passes through it: the rich console of the table commands renders each text
segment through :func:`visible_segments` (:func:`dxplan.cli.common.make_console`), the text a command
prints whole goes through :func:`visible` (``echo_output``), and the report templates apply it to every
value they print (:func:`dxplan.output.render.finalize`), so Markdown or HTML on a terminal is safe too.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.segment import Segment

_SIGNS: dict[int, str] = {c: chr(0x2400 + c) for c in range(0x20) if c not in (0x09, 0x0A)}
_SIGNS[0x7F] = "\u2421"
_SIGNS.update({c: f"<U+{c:04X}>" for c in (*range(0x80, 0xA0), *range(0x202A, 0x202F), *range(0x2066, 0x206A))})


def visible(text: str) -> str:
    """``text`` with every control, escape and bidirectional-override character written as a visible sign (see the module docstring); tab and line feed kept."""
    return text.translate(_SIGNS)


def visible_segments(segments: Iterable[Segment]) -> list[Segment]:
    """rich segments with the text of each made :func:`visible`; the console's own control segments (cursor moves) kept as they are."""
    from rich.segment import Segment

    return [seg if seg.control else Segment(visible(seg.text), seg.style, seg.control) for seg in segments]
