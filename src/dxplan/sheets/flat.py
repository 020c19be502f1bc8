"""Write the department sheet as CSV (UTF-8 with BOM, for Excel on Japanese Windows) or JSON (open data).

CSV: one table for every fiscal year (the 年度 column tells them apart), the plan's Japanese
headers, the row key in the first column (its header holds the export scope, see
:mod:`dxplan.sheets.rows`), CRLF line ends as Excel writes them. Text cells are made safe to open (:func:`guard_cell`): a
control character (ESC, BEL, NUL …; tab, line feed and carriage return excepted) is written as
its Unicode control picture (ESC → ␛ U+241B, NUL → ␀, DEL → ␡), so no terminal or viewer
interprets it; a text beginning with ``=``, ``+``, ``-``, ``@``, tab or carriage return (or
with the apostrophe itself) gets an apostrophe before it, as OWASP recommends against formula
injection, so Excel shows it as text. Import strips exactly that apostrophe
(:func:`dxplan.sheets.read.unguard_cell`) and reads a cell equal to the plan's text with its
control pictures as that text (:mod:`dxplan.sheets.check`); a cell edited in the sheet keeps
the pictures it holds, since a picture typed by the clerk cannot be told from one we wrote. Where the export has indicator rows
(:mod:`dxplan.sheets.indicators`) they follow the task rows in the same table: the indicator-only
columns (指標ID … 評価) come after the task columns and stay empty on task rows, the task-only
columns (計画, 実施, 進捗状況 …) stay empty on indicator rows. Action grade rows
(:mod:`dxplan.sheets.grades`, where the plan's ``grade_scale`` applies to actions) come last, with
the action's target and the grade (評価) filled in. The last column, ``dxplan:base``, holds each
row's exported values as JSON (:mod:`dxplan.sheets.base`, for the three-way import).

JSON (``schema_version`` 4)::

    {"schema_version": 4, "plan": {..., "grades": ["A", "B", ...], "grades_apply_to": "action"},
     "scope": {...}, "columns": [...], "rows": [...], "indicator_columns": [...], "indicator_rows": [...],
     "grade_columns": [...], "grade_rows": [...]}

each task row holds the key, the action id, the fiscal year as a number (2024) and every
column's value under its field name; ``progress`` is a percent 0–100. Each indicator row holds
the key, the action and indicator ids, the fiscal year as a number, the year's target value as
a number (``year_target_value``, in ``unit``; ``year_target`` is the text as written), the
actual value (in ``unit``), ``actual_kind`` as ``actual``/``forecast`` and the grade. Each grade
row holds the key, the action id, the fiscal year as a number, ``joint`` and every grade column's
value (``grade``: a word of ``plan.grades``, or null). Every row has ``base``: its editable fields'
values as exported (:mod:`dxplan.sheets.base`). ``plan.grades`` lists the plan's grades best
first whatever they apply to, ``plan.grades_apply_to`` says to what (``indicator``/``action``, null
without a scale). Version 2 had no ``grade_*`` keys and listed ``plan.grades`` only for grades per
indicator; version 3 had no ``base``; version 1 had no ``indicator_*`` keys and no ``plan.grades``.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from dxplan.model.schema import Plan
from dxplan.output.jsonout import dumps
from .base import BASE_HEADER, base_json, base_of
from .grades import GradeRow, grade_columns
from .indicators import SHARED, IndicatorRow, indicator_columns
from .cells import excel_text
from .read import FORMULA_STARTS, GUARD
from .rows import SCHEMA_VERSION, Column, Scope, SheetRow, columns

def visible_controls(text: str) -> str:
    """``text`` with each control character (other than tab, LF, CR) as its Unicode control picture, as the
    xlsx writer shows them (:func:`dxplan.sheets.cells.excel_text`), and DEL as ␡: ``ESC [2J`` → ``"␛[2J"``."""
    return excel_text(text).replace("\x7f", "\u2421")


def guard_cell(value: Any) -> Any:
    """A CSV cell safe to open: text with its control characters made visible (:func:`visible_controls`)
    and, when it begins with ``=``, ``+``, ``-``, ``@``, tab, CR or an apostrophe, an apostrophe
    before it (``=1+1`` → ``'=1+1``); numbers, bools and None as they are."""
    if not isinstance(value, str):
        return value
    value = visible_controls(value)
    return GUARD + value if value.startswith((*FORMULA_STARTS, GUARD)) else value


def flat_columns(plan: Plan, tasks: bool, indicators: bool, grades: bool = False) -> list[Column]:
    """One table's columns for task, indicator and/or grade rows (CSV).

    The task columns (only the shared ones when there is no task row but other rows), then the
    indicator-only columns (指標ID … 評価), then the grade columns not already there (the action's
    target, 評価).
    """
    cols = columns(plan) if tasks or not (indicators or grades) else [c for c in columns(plan) if c.field in SHARED]
    if indicators:
        cols += [c for c in indicator_columns(plan) if c.field not in SHARED]
    if grades:
        present = {c.field for c in cols}
        cols += [c for c in grade_columns(plan) if c.field not in present]
    return cols


def write_csv(plan: Plan, rows: list[SheetRow], scope: Scope, indicator_rows: list[IndicatorRow] | tuple = (),
              grade_rows: list[GradeRow] | tuple = (), lang: str = "ja") -> bytes:
    """The CSV file as bytes: UTF-8 with a BOM, CRLF line ends, every field quoted where needed and
    guarded (:func:`guard_cell`); task rows, then indicator rows, then grade rows.

    The headers are the plan's own (Japanese) whatever ``lang``."""
    cols = flat_columns(plan, bool(rows), bool(indicator_rows), bool(grade_rows))
    buf = io.StringIO(newline="")
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow([scope.header() if c.field == "key" else guard_cell(c.header) for c in cols] + [BASE_HEADER])
    for r in [*rows, *indicator_rows, *grade_rows]:
        w.writerow(["" if v is None else guard_cell(v) for v in (r.key if c.field == "key" else r.values.get(c.field) for c in cols)] + [base_json(r)])
    return buf.getvalue().encode("utf-8-sig")


def _indicator_row(r: IndicatorRow, cols: list[Any]) -> dict[str, Any]:
    actual = r.actual
    target = next((t for t in r.indicator.targets if t.fiscal_year == r.fiscal_year), None)
    return {
        "key": r.key, "action_id": r.action_id, "indicator_id": r.indicator.id, "fiscal_year_number": r.fiscal_year, "joint": r.joint,
        **{c.field: r.values.get(c.field) for c in cols if c.field not in ("key", "joint")},
        "year_target_value": target.value if target else None,
        "actual_kind": actual.kind if actual else None,
        "base": base_of(r),
    }


def export_dict(plan: Plan, rows: list[SheetRow], scope: Scope, indicator_rows: list[IndicatorRow] | tuple = (),
                grade_rows: list[GradeRow] | tuple = ()) -> dict[str, Any]:
    """The JSON export as data (see the module docstring)."""
    cols = columns(plan)
    icols = indicator_columns(plan)
    gcols = grade_columns(plan)
    scale = plan.grade_scale
    return {
        "schema_version": SCHEMA_VERSION,
        "plan": {"id": plan.id, "municipality": plan.municipality, "title": plan.title,
                 "evaluation_date": plan.evaluation_date.isoformat() if plan.evaluation_date else None,
                 "grades": [g.grade for g in scale.grades] if scale else [],
                 "grades_apply_to": scale.applies_to if scale else None},
        "scope": {"department": scope.department, "fiscal_years": scope.years},
        "columns": [{"field": c.field, "header": c.header, "editable": c.editable} for c in cols if c.field != "key"],
        "rows": [
            {"key": r.key, "action_id": r.action_id, "fiscal_year_number": r.fiscal_year, "joint": r.joint,
             **{c.field: r.values.get(c.field) for c in cols if c.field not in ("key", "joint")}, "base": base_of(r)}
            for r in rows
        ],
        "indicator_columns": [{"field": c.field, "header": c.header, "editable": c.editable} for c in icols if c.field != "key"],
        "indicator_rows": [_indicator_row(r, icols) for r in indicator_rows],
        "grade_columns": [{"field": c.field, "header": c.header, "editable": c.editable} for c in gcols if c.field != "key"],
        "grade_rows": [
            {"key": r.key, "action_id": r.action_id, "fiscal_year_number": r.fiscal_year, "joint": r.joint,
             **{c.field: r.values.get(c.field) for c in gcols if c.field not in ("key", "joint")}, "base": base_of(r)}
            for r in grade_rows
        ],
    }


def write_json(plan: Plan, rows: list[SheetRow], scope: Scope, indicator_rows: list[IndicatorRow] | tuple = (),
               grade_rows: list[GradeRow] | tuple = (), lang: str = "ja") -> bytes:
    """The JSON export as UTF-8 bytes (indented, Japanese kept as written); field names as keys whatever ``lang``."""
    return (dumps(export_dict(plan, rows, scope, indicator_rows, grade_rows)) + "\n").encode("utf-8")
