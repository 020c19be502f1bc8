"""Write the department sheet as an Excel workbook (openpyxl): one worksheet per fiscal year.

Layout: header in row 1, frozen; the row key in column A, hidden; column widths from the
text's display width (full-width characters count two) up to each column's limit, cells
wrapped and top-aligned; the status column restricted to the plan's words by a drop-down
(data validation), progress to a number 0–100; read-only columns locked and shaded, the
sheet protected without a password so the locks hold while editable cells stay free.
"""

from __future__ import annotations

import io
import unicodedata
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from .fiscal import format_fiscal_year
from .model import Plan
from .sheets import Column, Scope, SheetRow, columns, status_words

READ_ONLY_FILL = PatternFill("solid", fgColor="E7E6E6")
HEADER_FILL = PatternFill("solid", fgColor="D9E1F2")
_WRAP = Alignment(wrap_text=True, vertical="top")


def display_width(text: str) -> int:
    """Width of ``text`` in half-width columns: wide and full-width characters (漢字, かな) count two."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def _width(col: Column, rows: list[SheetRow]) -> float:
    longest = max([display_width(col.header)] + [max(map(display_width, str(r.values.get(col.field) or "").split("\n"))) for r in rows])
    return min(max(longest, 6), col.width) + 2


def _set(cell: Any, value: Any) -> None:
    cell.value = value
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"  # text that looks like a formula stays text


def sheet_title(plan: Plan, fy: int) -> str:
    """The worksheet name for a fiscal year (令和6年度); Excel allows 31 characters."""
    return format_fiscal_year(fy, plan.fiscal_year_style)[:31]


def write_xlsx(plan: Plan, rows: list[SheetRow], scope: Scope) -> bytes:
    """The workbook as bytes: a sheet per fiscal year of ``scope.years`` holding that year's ``rows``."""
    wb = Workbook()
    wb.remove(wb.active)
    cols = columns(plan)
    words = status_words(plan)
    for fy in scope.years:
        ws = wb.create_sheet(sheet_title(plan, fy))
        year_rows = [r for r in rows if r.fiscal_year == fy]
        for c, col in enumerate(cols, start=1):
            cell = ws.cell(row=1, column=c)
            _set(cell, scope.header() if col.field == "key" else col.header)
            cell.font = Font(bold=True)
            cell.fill = HEADER_FILL
            cell.alignment = _WRAP
            cell.protection = Protection(locked=True)
            ws.column_dimensions[get_column_letter(c)].width = _width(col, year_rows)
        for r, row in enumerate(year_rows, start=2):
            for c, col in enumerate(cols, start=1):
                cell = ws.cell(row=r, column=c)
                _set(cell, row.key if col.field == "key" else row.values.get(col.field))
                cell.alignment = _WRAP
                cell.protection = Protection(locked=not col.editable)
                if not col.editable:
                    cell.fill = READ_ONLY_FILL
        ws.column_dimensions["A"].hidden = True
        ws.freeze_panes = "B2"
        last = max(len(year_rows) + 1, 2)
        fields = [c.field for c in cols]
        status_col = get_column_letter(fields.index("status") + 1)
        progress_col = get_column_letter(fields.index("progress") + 1)
        if words:
            dv = DataValidation(type="list", formula1='"' + ",".join(words) + '"', allow_blank=True, showDropDown=False)
            dv.error, dv.errorTitle = "計画の進捗状況の語から選んでください: " + "、".join(words), "進捗状況"
            dv.showErrorMessage = True
            dv.add(f"{status_col}2:{status_col}{last}")
            ws.add_data_validation(dv)
        pv = DataValidation(type="decimal", operator="between", formula1="0", formula2="100", allow_blank=True)
        pv.error, pv.errorTitle = "0 から 100 までの数値 (%) を入力してください", "進捗率"
        pv.showErrorMessage = True
        pv.add(f"{progress_col}2:{progress_col}{last}")
        ws.add_data_validation(pv)
        ws.protection.sheet = True
        ws.protection.formatColumns = False
        ws.protection.formatRows = False
        ws.protection.autoFilter = False
        ws.auto_filter.ref = f"A1:{get_column_letter(len(cols))}{last}"
    wb.properties.title = f"{plan.municipality} {plan.title}"
    wb.properties.subject = scope.header()
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
