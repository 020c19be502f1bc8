"""The spreadsheet a DX office sends to departments: one row per task row, shared by export and import.

A row holds one :class:`~dxplan.model.schema.Task` of one action, with the action's number, title and
categories beside it for reading. Its hidden **row key** ties the row back to the YAML::

    <plan id>/<action id>#<task number>|<fiscal year>|<department as written>

``task number`` is the 1-based position of the task in the action's ``tasks`` list; the fiscal year
and department repeat what the row is about, so a key that no longer fits the plan (someone
inserted a task row in the YAML after the export) is an error at import, never a silent mismatch.

Columns carry the plan's own Japanese headers (its ``labels``; 000's action sheet for the rest).
Only ``result``, ``status`` and ``progress`` (percent 0–100, explicit progress only: a status word's
declared percent is not copied into the cell) are edited by departments; every other column is
read-only and checked at import.

The header cell of the key column holds the export scope as JSON
(``{"dxplan": 3, "plan": "kama", "department": "デジタル戦略課", "years": [2024]}``), so import
knows which rows the sheet must hold, in xlsx and CSV alike.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from difflib import get_close_matches
from pathlib import Path
from typing import Any

from dxplan.fiscal import format_fiscal_year
from dxplan.files.fmt import parse_number
from dxplan.i18n import N_, Text, UserError
from dxplan.files.load import LoadedPlan
from dxplan.model.schema import Action, Department, Plan, Task
from dxplan.model.index import PlanIndex

#: Version of the sheet layout and of the JSON export (``schema_version``). 2: indicator rows
#: (targets, actuals and grades per fiscal year, :mod:`dxplan.sheets.indicators`) beside the task rows;
#: 3: action grade rows (:mod:`dxplan.sheets.grades`) where the plan grades actions. Older sheets
#: are still imported: a version-1 sheet need not hold indicator rows, a version-2 one no grade rows.
SCHEMA_VERSION = 3

#: The task fields a department fills in; every other column is read-only.
EDITABLE = ("result", "status", "progress")

#: The mark in the joint-row column (共同担当) for a row several departments share.
JOINT_MARK = "共同"


@dataclass(frozen=True)
class Column:
    """One column: the row field it shows, its header, whether departments edit it, its width in half-width characters."""

    field: str
    header: str
    editable: bool
    width: int


def columns(plan: Plan) -> list[Column]:
    """The sheet's columns in order, headed in the plan's own words (``plan.labels``).

    The first column is the row key (its header is replaced by the scope JSON when written).
    """
    lb = plan.labels
    levels = list(lb.category_levels) + ["", ""]
    cols = [
        Column("key", "行キー", False, 12),
        Column("number", "アクション番号", False, 8),
        Column("title", "アクション名称", False, 30),
        Column("category_top", levels[0] or "区分", False, 20),
        Column("category", levels[1] or "区分", False, 24),
        Column("fiscal_year", "年度", False, 12),
        Column("department", lb.department, False, 20),
        Column("joint", "共同担当", False, 8),
        Column("plan", lb.plan, False, 36),
        Column("result", lb.result, True, 50),
        Column("status", lb.status, True, 10),
        Column("progress", "進捗率(%)", True, 9),
        Column("target", lb.target, False, 36),
    ]
    return cols


@dataclass(frozen=True)
class Scope:
    """What an export holds: the plan, an optional department, the fiscal years (sheet header JSON)."""

    plan: str
    department: str | None
    years: list[int]
    version: int = SCHEMA_VERSION

    def header(self) -> str:
        """The JSON text written in the key column's header cell."""
        return json.dumps(
            {"dxplan": self.version, "plan": self.plan, "department": self.department, "years": self.years},
            ensure_ascii=False,
        )

    @classmethod
    def parse(cls, text: Any) -> Scope | None:
        """The scope a key-column header holds, or None when it is not one dxplan wrote."""
        if not isinstance(text, str) or not text.lstrip().startswith("{"):
            return None
        try:
            data = json.loads(text)
        except ValueError:
            return None
        if not isinstance(data, dict) or "dxplan" not in data or "plan" not in data:
            return None
        years = data.get("years") or []
        if not isinstance(years, list) or not all(isinstance(y, int) for y in years):
            return None
        return cls(str(data["plan"]), data.get("department"), years, int(data["dxplan"]))


@dataclass
class SheetRow:
    """One task row of one action: its key, where it lives in the YAML and the cell values by column field.

    ``values`` hold what the sheet shows: text, the action number as int, progress as int or
    float (percent 0–100), None for an empty cell. ``task_index`` is 0-based.
    """

    key: str
    action_id: str
    path: Path
    task_index: int
    fiscal_year: int
    joint: bool
    values: dict[str, Any] = field(default_factory=dict)


def row_key(plan_id: str, action_id: str, task_index: int, fiscal_year: int, department: str | None) -> str:
    """The stable key of a task row (see the module docstring); ``task_index`` is 0-based."""
    return f"{plan_id}/{action_id}#{task_index + 1}|{fiscal_year}|{department or ''}"


class UnknownDepartment(UserError, ValueError):
    """A department name (``--department``, a sheet's scope) that is none of the plan's (usage error, exit 2);
    the message suggests the closest name, if any."""


def find_department(index: PlanIndex, name: str) -> Department:
    """The department ``name`` (name, id or alias) means. Raises :class:`UnknownDepartment`."""
    dept = index.department(name)
    if dept is None:
        close = get_close_matches(name, index.department_names(), n=1, cutoff=0.5)
        hint = Text(" Did you mean '{word}'?", word=close[0]) if close else ""
        raise UnknownDepartment(N_("no department '{name}' in {plan}.{hint}"), {"name": name, "plan": index.plan.id, "hint": hint})
    return dept


def owner_departments(index: PlanIndex, action: Action) -> list[Department]:
    """The departments the action's ``owners`` name (unknown names left out; ``generic`` ones kept)."""
    found: list[Department] = []
    for owner in action.owners:
        found += index.departments(owner) or []
    return found


def _row_departments(index: PlanIndex, action: Action, task: Task) -> list[Department]:
    written = task.department
    if written:
        return index.departments(written) or []
    return owner_departments(index, action)


def cell_text(value: Any) -> str | None:
    """A cell as text: None for empty; whole floats without ``.0``; CR/CRLF line ends as LF."""
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    s = str(value).replace("\r\n", "\n").replace("\r", "\n")
    return s if s.strip() else None


def action_number(action: Action) -> int | str:
    """The action number a sheet shows: ``number``, else a numeric id as int, else the id."""
    return _number(action)


def _number(action: Action) -> int | str:
    if action.number is not None:
        return action.number
    return int(action.id) if action.id.isdigit() else action.id


def progress_cell(value: float | None) -> int | float | None:
    """A percent as the sheet shows it: 50 rather than 50.0."""
    if value is None:
        return None
    return int(value) if float(value).is_integer() else value


def cell_number(value: Any, hint: str) -> tuple[int | float | None, Text | None]:
    """A number typed into a sheet cell: ``(number, problem)``; ``(None, None)`` for an empty cell.

    A number cell is taken as it is; text is read with :func:`dxplan.files.fmt.parse_number` (full-width
    digits, thousands separators). ``hint`` is the msgid (marked with ``N_``, a ``{value}`` placeholder)
    of the problem for text that is not a number, saying what the column expects; TRUE/FALSE cells are
    "not a number". Range and NaN checks are the caller's (a percent, a measured value).
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, None
    if isinstance(value, bool):
        return None, Text("'{value}' is not a number", value=value)
    if isinstance(value, (int, float)):
        return value, None
    number = parse_number(str(value), float)
    if number is None:
        return None, Text(hint, value=value)
    return number, None


def build_rows(loaded: LoadedPlan, department: Department | None = None, years: list[int] | None = None) -> list[SheetRow]:
    """Every task row of ``loaded`` (optionally only ``department``'s and only ``years``), in file and task order.

    A row belongs to a department when its ``department`` cell (or, when empty, the action's
    owners) names it alone or together with others; the latter rows are marked joint.
    Raises ValueError when the plan did not load.
    """
    plan = loaded.plan
    if plan is None:
        raise ValueError(f"{loaded.root}: plan.yaml did not load")
    index = loaded.index
    rows = []
    for la in loaded.actions:
        action = la.action
        ref = index.category(action.category)
        top = ref.top.name if ref else action.category
        leaf = ref.node.name if ref and ref.depth > 0 else None
        for i, task in enumerate(action.tasks):
            if years is not None and task.fiscal_year not in years:
                continue
            depts = [d for d in _row_departments(index, action, task) if d.kind != "generic"]
            if department is not None and department.key not in {d.key for d in depts}:
                continue
            joint = len({d.key for d in depts}) > 1
            rows.append(
                SheetRow(
                    key=row_key(plan.id, action.id, i, task.fiscal_year, task.department),
                    action_id=action.id,
                    path=la.doc.path,
                    task_index=i,
                    fiscal_year=task.fiscal_year,
                    joint=joint,
                    values={
                        "number": _number(action),
                        "title": action.title,
                        "category_top": top,
                        "category": leaf,
                        "fiscal_year": format_fiscal_year(task.fiscal_year, plan.fiscal_year_style),
                        "department": task.department,
                        "joint": JOINT_MARK if joint else None,
                        "plan": task.plan,
                        "result": task.result,
                        "status": task.status,
                        "progress": progress_cell(task.progress),
                        "target": action.target.text if action.target else None,
                    },
                )
            )
    return rows


def status_words(plan: Plan) -> list[str]:
    """The plan's status words in declaration order (the drop-down list; aliases are accepted at import)."""
    return [sw.word for sw in plan.statuses]


def sheet_years(plan: Plan, rows: list[SheetRow], years: list[int] | None) -> list[int]:
    """The fiscal years an export has a sheet for: ``years`` when given, else every plan year with rows."""
    if years is not None:
        return years
    present = {r.fiscal_year for r in rows}
    return [fy for fy in plan.fiscal_years if fy in present] or plan.fiscal_years[:1]
