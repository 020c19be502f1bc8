"""A long rich table written without rich's layout engine, character for character as rich writes it, where it can be.

rich measures and renders every cell of a table through its segment machinery: for the combined
view of ``dxplan status`` over every municipality (two rows per plan, 3,500 rows) that is most of
the command's time. A table whose text rich would print plainly — no colour, every cell one line of
printable text, the whole table as wide as its widest cells and no wider than the console, rich's
default frame — is laid out by simple arithmetic instead: each column as wide as its widest cell
(terminal cells, rich's own :func:`rich.cells.cell_len`) plus one space either side, cells
justified as their column says, the frame's characters from the table's own :class:`rich.box.Box`.
:func:`plain_table` gives that text, or None for any table it cannot promise to write as rich
does (the caller then prints it with rich). ``tests/test_view_cache.py`` checks the two agree.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.cells import cell_len

if TYPE_CHECKING:
    from rich.console import Console
    from rich.table import Table

__all__ = ["plain_table"]


def _plain_cell(cell: object) -> str | None:
    """A cell's text when it is one printable line (no control, format or line-separator character), else None."""
    return cell if isinstance(cell, str) and cell.isprintable() else None


def plain_table(table: Table, console: Console) -> str | None:
    """The text ``console.print(table)`` writes, computed without rich's layout; None when it cannot be (see the module docstring).

    Written for a table with a title justified left, a header, rich's default padding (one cell
    either side), edges shown, no footer, no lines between rows but the sections' (``add_section``),
    and plain string cells; anything else gives None.
    """
    if console.color_system is not None or console.legacy_windows or not console.encoding.lower().startswith("utf"):
        return None
    if (table.box is None or not table.show_header or table.show_footer or not table.show_edge or table.show_lines
            or table.expand or table.width is not None or table.leading or table.padding != (0, 1, 0, 1) or table.caption
            or not table.pad_edge or table.collapse_padding or table.title_justify != "left" or table.min_width):
        return None
    columns = table.columns
    heads = [_plain_cell(c.header) for c in columns]
    cells = [[_plain_cell(v) for v in c._cells] for c in columns]
    title = _plain_cell(table.title) if table.title else ""
    if title is None or any(h is None for h in heads) or any(v is None for col in cells for v in col):
        return None
    if any(c.width is not None or c.min_width is not None or c.max_width is not None or c.ratio or c.justify not in ("left", "default", "right")
           for c in columns):
        return None
    widths = [max([cell_len(h or ""), *(cell_len(v or "") for v in col)]) + 2 for h, col in zip(heads, cells, strict=True)]
    total = sum(widths) + len(widths) + 1
    if total > console.width or cell_len(title) > total or min(widths, default=0) < 3:  # an empty column: rich measures it otherwise
        return None
    box = table.box
    out = []
    if title:
        out.append(title + " " * (total - cell_len(title)))

    def line(values: list[str], left: str, middle: str, right: str) -> str:
        parts = []
        for value, width, column in zip(values, widths, columns, strict=True):
            if column.justify == "right":  # rich strips a right-justified line's trailing whitespace before padding it
                value = value.rstrip()
                parts.append(" " + " " * (width - 2 - cell_len(value)) + value + " ")
            else:
                parts.append(" " + value + " " * (width - 2 - cell_len(value)) + " ")
        return left + middle.join(parts) + right

    out.append(box.get_top(widths))
    out.append(line([h or "" for h in heads], box.head_left, box.head_vertical, box.head_right))
    out.append(box.get_row(widths, "head", edge=True))
    rows = table.rows
    for i, row in enumerate(rows):
        out.append(line([col[i] or "" for col in cells], box.mid_left, box.mid_vertical, box.mid_right))
        if row.end_section and i < len(rows) - 1:
            out.append(box.get_row(widths, "row", edge=True))
    out.append(box.get_bottom(widths))
    return "\n".join(out) + "\n"
