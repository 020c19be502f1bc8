"""Write the department sheet as an Excel workbook (openpyxl): one worksheet per fiscal year.

Layout: header in row 1, frozen; the row key in column A, hidden; column widths from the
text's display width (full-width characters count two) up to each column's limit, cells
wrapped and top-aligned; each editable task column restricted as its cell type says
(:attr:`dxplan.sheets.rows.CellType.rule`: the status column to the plan's words by a drop-down,
progress to a number 0–100); read-only columns locked and shaded, the sheet protected without a
password so the locks hold while editable cells stay free.

Indicator rows (:mod:`dxplan.sheets.indicators`) go on their own sheets, one per fiscal year
(``指標 令和6年度``), after the task sheets, in the same layout: targets read-only and shaded, the
kind of actual restricted to 実績/見込 and the grade to the plan's ``grade_scale`` by drop-downs.
Action grade rows (:mod:`dxplan.sheets.grades`, where the plan grades actions) follow on sheets
``評価 令和6年度``: the action's columns read-only and shaded, the grade restricted to the plan's grades.
Last comes the very hidden sheet ``dxplan_base`` with every editable cell's exported value, as
JSON pieces (:mod:`dxplan.sheets.base`, for the three-way import).

Every value passes :func:`dxplan.sheets.cells.excel_value`: control characters Excel cannot hold
are written as their visible pictures (ESC → ␛), a number too large for Excel as its text.
"""

from __future__ import annotations

import io
import unicodedata
from typing import Any
from collections.abc import Callable, Sequence

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from dxplan.fiscal import format_fiscal_year
from dxplan.i18n import t
from dxplan.model.schema import Plan
from .base import BASE_FORMAT, BASE_HEADER, base_pieces
from .read import BASE_SHEET
from .cells import excel_text, excel_value
from .grades import GradeRow, action_grade_words, grade_columns, grades_title
from .indicators import KIND_WORDS, IndicatorRow, grade_words, indicator_columns, indicators_title
from .rows import Between, Choice, Column, Scope, SheetRow, columns

READ_ONLY_FILL = PatternFill("solid", fgColor="E7E6E6")
HEADER_FILL = PatternFill("solid", fgColor="D9E1F2")
_WRAP = Alignment(wrap_text=True, vertical="top")
_BOLD = Font(bold=True)
_LOCKED = Protection(locked=True)
_UNLOCKED = Protection(locked=False)


def display_width(text: str) -> int:
    """Width of ``text`` in half-width columns: wide and full-width characters (漢字, かな) count two."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def _width(col: Column, rows: list[Any]) -> float:
    longest = max([display_width(col.header)] + [max(map(display_width, str(excel_value(r.values.get(col.field)) or "").split("\n"))) for r in rows])
    return min(max(longest, 6), col.width) + 2


def _set(cell: Any, value: Any) -> None:
    value = excel_value(value)
    cell.value = value
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"  # text that looks like a formula stays text


def sheet_title(plan: Plan, fy: int) -> str:
    """The worksheet name for a fiscal year (令和6年度); Excel allows 31 characters."""
    return format_fiscal_year(fy, plan.fiscal_year_style)[:31]


def _write_sheet(ws: Any, cols: list[Column], rows: list[Any], scope: Scope) -> int:
    """Widths, locks, freeze, then the header and rows of one write-only worksheet (each row written once, no
    grid of cells held); returns the last row the validations cover."""
    for c, col in enumerate(cols, start=1):
        ws.column_dimensions[get_column_letter(c)].width = _width(col, rows)
    ws.column_dimensions["A"].hidden = True
    ws.freeze_panes = "B2"
    last = max(len(rows) + 1, 2)
    ws.protection.sheet = True
    ws.protection.formatColumns = False
    ws.protection.formatRows = False
    ws.protection.autoFilter = False
    ws.auto_filter.ref = f"A1:{get_column_letter(len(cols))}{last}"
    header = []
    for col in cols:
        cell = WriteOnlyCell(ws)
        _set(cell, scope.header() if col.field == "key" else col.header)
        cell.font = _BOLD
        cell.fill = HEADER_FILL
        cell.alignment = _WRAP
        cell.protection = _LOCKED
        header.append(cell)
    ws.append(header)
    for row in rows:
        cells = []
        for col in cols:
            cell = WriteOnlyCell(ws)
            _set(cell, row.key if col.field == "key" else row.values.get(col.field))
            cell.alignment = _WRAP
            if col.editable:
                cell.protection = _UNLOCKED
            else:
                cell.protection = _LOCKED
                cell.fill = READ_ONLY_FILL
            cells.append(cell)
        ws.append(cells)
    return last


def _letter(cols: list[Column], name: str) -> str:
    return get_column_letter([c.field for c in cols].index(name) + 1)


def _validate(ws: Any, rule: Choice | Between, column: str, last: int) -> None:
    """``rule`` as a data validation on ``column`` rows 2..``last`` (blank allowed): a drop-down of
    :attr:`Choice.words`, or a decimal :class:`Between` its bounds."""
    if isinstance(rule, Choice):
        dv = DataValidation(type="list", formula1='"' + ",".join(map(excel_text, rule.words)) + '"', allow_blank=True, showDropDown=False)
    else:
        dv = DataValidation(type="decimal", operator="between", formula1=rule.low, formula2=rule.high, allow_blank=True)
    dv.error, dv.errorTitle = excel_text(rule.error), excel_text(rule.title)
    dv.showErrorMessage = True
    dv.add(f"{column}2:{column}{last}")
    ws.data_validations.append(dv)


def _year_sheets(wb: Any, cols: list[Column], rows: Sequence[SheetRow | IndicatorRow | GradeRow], title: Callable[[int], str], scope: Scope,
                 rules: list[tuple[str, Choice | Between | None]]) -> None:
    """A sheet per fiscal year of ``scope.years``, titled ``title(fy)``, holding the ``rows`` of that year, with a
    data validation per ``(column field, rule)`` of ``rules`` (None: none for that column)."""
    for fy in scope.years:
        ws = wb.create_sheet(title(fy))
        last = _write_sheet(ws, cols, [r for r in rows if r.fiscal_year == fy], scope)
        for field_name, rule in rules:
            if rule is not None:
                _validate(ws, rule, _letter(cols, field_name), last)


def _base_sheet(wb: Any, rows: list[Any]) -> None:
    """The very hidden, protected sheet of exported values (:mod:`dxplan.sheets.base`)."""
    ws = wb.create_sheet(BASE_SHEET)
    ws.sheet_state = "veryHidden"
    ws.protection.sheet = True
    ws.append([BASE_HEADER, BASE_FORMAT])
    for n, piece in enumerate(base_pieces(rows), start=1):
        cell = WriteOnlyCell(ws)
        _set(cell, piece)  # a piece may start with "=": text all the same
        ws.append([n, cell])


def write_xlsx(plan: Plan, rows: list[SheetRow], scope: Scope, indicator_rows: list[IndicatorRow] | tuple = (),
               grade_rows: list[GradeRow] | tuple = (), lang: str = "ja") -> bytes:
    """The workbook as bytes: a sheet per fiscal year of ``scope.years`` with that year's task ``rows``,
    then (where there are ``indicator_rows``) a sheet per fiscal year with its indicator rows (``指標 令和6年度``),
    then (where there are ``grade_rows``) a sheet per fiscal year with its action grade rows (``評価 令和6年度``).

    Task sheets are left out when the export has indicator or grade rows but no task row at all.
    The drop-downs' error messages are worded in ``lang``; headers stay the plan's own (Japanese).
    """
    wb = Workbook(write_only=True)  # rows streamed to the file: no grid of cells in memory
    if rows or not (indicator_rows or grade_rows):
        cols = columns(plan)
        rules = [(c.field, c.cell.rule(plan, lang)) for c in cols if c.cell is not None]
        _year_sheets(wb, cols, rows, lambda fy: sheet_title(plan, fy), scope, rules)
    if indicator_rows:
        grades = grade_words(plan)
        rules = [("actual_kind", Choice(list(KIND_WORDS.values()), "実績・見込", t(lang, "Choose 実績 (actual) or 見込 (forecast)")))]
        if grades:
            rules.append(("grade", Choice(grades, "評価", t(lang, "Choose one of the plan's grades: {words}", words="、".join(grades)))))
        _year_sheets(wb, indicator_columns(plan), indicator_rows, lambda fy: indicators_title(plan, fy), scope, rules)
    if grade_rows:
        grades = action_grade_words(plan)
        rules = [("grade", Choice(grades, "評価", t(lang, "Choose one of the plan's grades: {words}", words="、".join(grades))))]
        _year_sheets(wb, grade_columns(plan), grade_rows, lambda fy: grades_title(plan, fy), scope, rules)
    _base_sheet(wb, [*rows, *indicator_rows, *grade_rows])
    wb.properties.title = excel_text(f"{plan.municipality} {plan.title}")
    wb.properties.subject = excel_text(scope.header())
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
