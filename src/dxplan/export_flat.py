"""Write the department sheet as CSV (UTF-8 with BOM, for Excel on Japanese Windows) or JSON (open data).

CSV: one table for every fiscal year (the 年度 column tells them apart), the plan's Japanese
headers, the row key in the first column (its header holds the export scope, see
:mod:`dxplan.sheets`), CRLF line ends as Excel writes them.

JSON: ``{"schema_version": 1, "plan": {...}, "scope": {...}, "columns": [...], "rows": [...]}``;
each row holds the key, the action id, the fiscal year as a number (2024) and every column's
value under its field name; ``progress`` is a percent 0–100.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from .model import Plan
from .sheets import SCHEMA_VERSION, Scope, SheetRow, columns


def write_csv(plan: Plan, rows: list[SheetRow], scope: Scope) -> bytes:
    """The CSV file as bytes: UTF-8 with a BOM, CRLF line ends, every field quoted where needed."""
    cols = columns(plan)
    buf = io.StringIO(newline="")
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow([scope.header() if c.field == "key" else c.header for c in cols])
    for r in rows:
        w.writerow(["" if v is None else v for v in (r.key if c.field == "key" else r.values.get(c.field) for c in cols)])
    return buf.getvalue().encode("utf-8-sig")


def export_dict(plan: Plan, rows: list[SheetRow], scope: Scope) -> dict[str, Any]:
    """The JSON export as data (see the module docstring)."""
    cols = columns(plan)
    return {
        "schema_version": SCHEMA_VERSION,
        "plan": {"id": plan.id, "municipality": plan.municipality, "title": plan.title,
                 "evaluation_date": plan.evaluation_date.isoformat() if plan.evaluation_date else None},
        "scope": {"department": scope.department, "fiscal_years": scope.years},
        "columns": [{"field": c.field, "header": c.header, "editable": c.editable} for c in cols if c.field != "key"],
        "rows": [
            {"key": r.key, "action_id": r.action_id, "fiscal_year_number": r.fiscal_year, "joint": r.joint,
             **{c.field: r.values.get(c.field) for c in cols if c.field not in ("key", "joint")}}
            for r in rows
        ],
    }


def write_json(plan: Plan, rows: list[SheetRow], scope: Scope) -> bytes:
    """The JSON export as UTF-8 bytes (indented, Japanese kept as written)."""
    return (json.dumps(export_dict(plan, rows, scope), ensure_ascii=False, indent=2) + "\n").encode("utf-8")
