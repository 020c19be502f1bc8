"""The spreadsheet a DX office sends to departments: one row per task row, shared by export and import.

A row holds one :class:`~dxplan.model.schema.Task` of one action, with the action's number, title and
categories beside it for reading. Its hidden **row key** ties the row back to the YAML::

    <plan id>/<action id>#<task number>|<fiscal year>|<department as written>

``task number`` is the 1-based position of the task in the action's ``tasks`` list; the fiscal year
and department repeat what the row is about, so a key that no longer fits the plan (someone
inserted a task row in the YAML after the export) is an error at import, never a silent mismatch.

The columns are declared once, in :data:`TASK_COLUMNS`: header (the plan's own Japanese words, its
``labels``; 000's action sheet for the rest), width, what the cell shows and, for the columns
departments edit, the :class:`CellType` that reads a typed cell back, compares it with the plan
and restricts it in xlsx. The writers (:mod:`~dxplan.sheets.xlsx`, :mod:`~dxplan.sheets.flat`),
the checker (:mod:`~dxplan.sheets.check`) and the applier (:mod:`~dxplan.sheets.apply`) all
iterate that table. Departments edit ``result``, ``status`` and ``progress`` (percent 0–100,
explicit progress only: a status word's declared percent is not copied into the cell); every
other column is read-only and checked at import.

The header cell of the key column holds the export scope as JSON
(``{"dxplan": 4, "plan": "kama", "department": "デジタル戦略課", "years": [2024]}``), so import
knows which rows the sheet must hold, in xlsx and CSV alike.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from difflib import get_close_matches
from pathlib import Path
from typing import Any, Protocol

from dxplan.fiscal import format_fiscal_year
from dxplan.files.fmt import parse_number
from dxplan.i18n import N_, Text, UserError, t
from dxplan.files.load import LoadedPlan
from dxplan.model.schema import Action, Department, Plan, PlanLabels, Task
from dxplan.model.index import PlanIndex
from .cells import excel_text


class HasFiscalYear(Protocol):
    """A sheet row of any kind: task, indicator or grade row."""

    @property
    def fiscal_year(self) -> int: ...

#: Version of the sheet layout and of the JSON export (``schema_version``). 2: indicator rows
#: (targets, actuals and grades per fiscal year, :mod:`dxplan.sheets.indicators`) beside the task rows;
#: 3: action grade rows (:mod:`dxplan.sheets.grades`) where the plan grades actions. Older sheets
#: are still imported: a version-1 sheet need not hold indicator rows, a version-2 one no grade rows;
#: 4: every row carries the values it was exported with (:mod:`dxplan.sheets.base`); older sheets
#: import without a check for conflicts.
SCHEMA_VERSION = 4

#: The mark in the joint-row column (共同担当) for a row several departments share.
JOINT_MARK = "共同"


@dataclass(frozen=True)
class Choice:
    """An xlsx drop-down: the cell takes one of ``words`` or stays empty; ``title`` and ``error`` word the refusal."""

    words: list[str]
    title: str
    error: str


@dataclass(frozen=True)
class Between:
    """An xlsx number rule: a decimal from ``low`` to ``high`` (formula text) or empty; ``title`` and ``error`` word the refusal."""

    low: str
    high: str
    title: str
    error: str


def _no_rule(plan: Plan, lang: str) -> Choice | Between | None:
    return None


def _same_text(before: Any, after: Any) -> bool:
    if isinstance(before, str) and isinstance(after, str) and excel_text(before) == after:
        return True  # the export wrote the plan's control characters as their pictures
    return (after or None) == (before or None)


@dataclass(frozen=True)
class CellType:
    """How the cells of an editable column are read back, compared and restricted.

    - ``read(cell, plan, index)`` → ``(value, problem)``: the value the YAML field gets (None
      removes the field) from a cell as read from xlsx or CSV (text, number, bool or None), or a
      problem (then the cell asks for no edit);
    - ``same(shown, value)``: whether ``value`` equals what the export showed (then no edit);
    - ``rule(plan, lang)``: the xlsx data validation (:class:`Choice`, :class:`Between`) or None;
      its error message is worded in ``lang``.
    """

    read: Callable[[Any, Plan, PlanIndex], tuple[Any, Text | None]]
    same: Callable[[Any, Any], bool] = _same_text
    rule: Callable[[Plan, str], Choice | Between | None] = _no_rule


@dataclass(frozen=True)
class Column:
    """One column as the writers and the checker see it: the row field it shows, its header, whether
    departments edit it, its width in half-width characters and, for an editable task column, its
    :class:`CellType` (None for indicator and grade columns, which their own modules check)."""

    field: str
    header: str
    editable: bool
    width: int
    cell: CellType | None = None


@dataclass(frozen=True)
class TaskCell:
    """What a task row's cells are made of: the plan, the action, the task, the action's top and
    leaf category names, and whether several departments share the row."""

    plan: Plan
    action: Action
    task: Task
    category_top: str
    category: str | None
    joint: bool


@dataclass(frozen=True)
class TaskColumn:
    """One task-row column of :data:`TASK_COLUMNS`.

    ``field`` names the cell in :attr:`SheetRow.values` and the JSON export; for an editable column
    (``cell`` given) it is also the :class:`~dxplan.model.schema.Task` field an import writes.
    ``header`` is the header text, or a function of the plan's labels; ``width`` the widest the
    xlsx column grows (half-width characters); ``show`` what the cell shows (None: the task's field
    of the same name, as it is).
    """

    field: str
    header: str | Callable[[PlanLabels], str]
    width: int
    show: Callable[[TaskCell], Any] | None = None
    cell: CellType | None = None

    def column(self, plan: Plan) -> Column:
        """The column as written for ``plan``, headed in its labels."""
        header = self.header if isinstance(self.header, str) else self.header(plan.labels)
        return Column(self.field, header, self.cell is not None, self.width, self.cell)

    def value(self, c: TaskCell) -> Any:
        """The cell's value for the task row ``c``."""
        return self.show(c) if self.show is not None else getattr(c.task, self.field)


def _level(depth: int) -> Callable[[PlanLabels], str]:
    def header(lb: PlanLabels) -> str:
        levels = list(lb.category_levels) + ["", ""]
        return levels[depth] or "区分"
    return header


def _read_text(value: Any, plan: Plan, index: PlanIndex) -> tuple[Any, Text | None]:
    return cell_text(value), None


def _read_status(value: Any, plan: Plan, index: PlanIndex) -> tuple[Any, Text | None]:
    after = cell_text(value)
    after = after.strip() if after else None
    if after is not None and index.status(after) is None:
        words = [w for sw in plan.statuses for w in (sw.word, *sw.aliases)]
        close = get_close_matches(after, words, n=1, cutoff=0.0)
        hint = Text(" Did you mean '{word}'?", word=close[0]) if close else ""
        return None, Text("status '{word}' is not one of the plan's words ({words}).{hint}",
                          word=after, words="、".join(sw.word for sw in plan.statuses), hint=hint)
    return after, None


def _status_rule(plan: Plan, lang: str) -> Choice | None:
    words = status_words(plan)
    if not words:
        return None
    return Choice(words, plan.labels.status, t(lang, "Choose one of the plan's status words: {words}", words="、".join(words)))


def _read_percent(value: Any, plan: Plan, index: PlanIndex) -> tuple[Any, Text | None]:
    number, problem = cell_number(value, N_("'{value}' is not a number; write a percent from 0 to 100"))
    if number is None:
        return None, problem
    if not 0 <= number <= 100:
        return None, Text("{value} is outside 0–100 (progress is a percent)", value=progress_cell(number))
    return progress_cell(number), None


def _same_number(before: Any, after: Any) -> bool:
    return after == before or (after is not None and before is not None and float(after) == float(before))


def _percent_rule(plan: Plan, lang: str) -> Between:
    return Between("0", "100", "進捗率", t(lang, "Enter a number (percent) from 0 to 100"))


#: Free text; an empty cell removes the field.
TEXT = CellType(_read_text)
#: One of the plan's status words or their aliases (did-you-mean otherwise); a drop-down in xlsx.
STATUS = CellType(_read_status, rule=_status_rule)
#: A percent 0–100 (full-width digits and separators read); a number rule in xlsx.
PERCENT = CellType(_read_percent, _same_number, _percent_rule)

#: The task sheet's columns in order. The first is the row key (its header is replaced by the
#: scope JSON when written, its cells hold :attr:`SheetRow.key`). A column with a ``cell`` type is
#: edited by departments; every other one is read-only and checked at import.
TASK_COLUMNS: tuple[TaskColumn, ...] = (
    TaskColumn("key", "行キー", 12),
    TaskColumn("number", "アクション番号", 8, lambda c: _number(c.action)),
    TaskColumn("title", "アクション名称", 30, lambda c: c.action.title),
    TaskColumn("category_top", _level(0), 20, lambda c: c.category_top),
    TaskColumn("category", _level(1), 24, lambda c: c.category),
    TaskColumn("fiscal_year", "年度", 12, lambda c: format_fiscal_year(c.task.fiscal_year, c.plan.fiscal_year_style)),
    TaskColumn("department", lambda lb: lb.department, 20),
    TaskColumn("joint", "共同担当", 8, lambda c: JOINT_MARK if c.joint else None),
    TaskColumn("plan", lambda lb: lb.plan, 36),
    TaskColumn("result", lambda lb: lb.result, 50, cell=TEXT),
    TaskColumn("status", lambda lb: lb.status, 10, cell=STATUS),
    TaskColumn("progress", "進捗率(%)", 9, lambda c: progress_cell(c.task.progress), PERCENT),
    TaskColumn("target", lambda lb: lb.target, 36, lambda c: c.action.target.text if c.action.target else None),
)

#: The task fields a department fills in (the editable columns of :data:`TASK_COLUMNS`).
EDITABLE = tuple(c.field for c in TASK_COLUMNS if c.cell is not None)


def columns(plan: Plan) -> list[Column]:
    """The task sheet's columns in order (:data:`TASK_COLUMNS`), headed in the plan's own words (``plan.labels``).

    The first column is the row key (its header is replaced by the scope JSON when written).
    """
    return [c.column(plan) for c in TASK_COLUMNS]


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
            cell = TaskCell(plan, action, task, top, leaf, joint)
            rows.append(
                SheetRow(
                    key=row_key(plan.id, action.id, i, task.fiscal_year, task.department),
                    action_id=action.id,
                    path=la.doc.path,
                    task_index=i,
                    fiscal_year=task.fiscal_year,
                    joint=joint,
                    values={c.field: c.value(cell) for c in TASK_COLUMNS if c.field != "key"},
                )
            )
    return rows


def status_words(plan: Plan) -> list[str]:
    """The plan's status words in declaration order (the drop-down list; aliases are accepted at import)."""
    return [sw.word for sw in plan.statuses]


def sheet_years(plan: Plan, rows: Sequence[HasFiscalYear], years: list[int] | None) -> list[int]:
    """The fiscal years an export has a sheet for: ``years`` when given, else every plan year with rows."""
    if years is not None:
        return years
    present = {r.fiscal_year for r in rows}
    return [fy for fy in plan.fiscal_years if fy in present] or plan.fiscal_years[:1]
