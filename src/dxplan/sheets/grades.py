"""Action grade rows of the department sheet: one grade per action and fiscal year.

Where the plan's ``grade_scale`` applies to actions (``applies_to: action``; the grades live on
``Action.grades``), an export holds one **grade row** for every action in scope and every fiscal
year of the export, beside the task rows (:mod:`dxplan.sheets.rows`) and the indicator rows
(:mod:`dxplan.sheets.indicators`). Its hidden row key::

    <plan id>/<action id>|<fiscal year>

The row shows the action's number, title, categories, fiscal year, departments and target
read-only, and the one cell a department fills in: the grade (a word of the scale, best first,
as in ``plan.yaml``; xlsx restricts it to those words by a drop-down).

The row shows the entry :meth:`~dxplan.model.schema.Action.grade_for` picks for the year; import edits
that entry, adds a new one (after the last entry of the same or an earlier fiscal year) when the
year had none, and removes it when the cell is emptied. :func:`check_grade_cell` turns a row's
cell into a :class:`GradeEdit` or a positioned problem; it is pure.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dxplan.fiscal import format_fiscal_year
from dxplan.i18n import Text
from dxplan.files.load import LoadedPlan
from dxplan.model.schema import Action, Department, GradeEntry, Plan
from .indicators import SHARED, EntryEdit, did_you_mean, entry_anchor, nfkc
from .rows import Column, action_number, cell_text, columns, owner_departments


def action_grade_words(plan: Plan) -> list[str]:
    """The plan's grades best first (the drop-down list) when its ``grade_scale`` applies to actions, else []."""
    scale = plan.grade_scale
    if scale is None or scale.applies_to != "action":
        return []
    return [g.grade for g in scale.grades]


def grade_columns(plan: Plan) -> list[Column]:
    """The grade sheet's columns in order: the shared ones as on the task sheet, the action's target, then the grade (評価).

    A grade header that a plan label already uses for a task column becomes ``アクション評価``.
    """
    task_cols = columns(plan)
    taken = {c.header for c in task_cols}
    keep = [c for c in task_cols if c.field in SHARED or c.field == "target"]
    return keep + [Column("grade", "評価" if "評価" not in taken else "アクション評価", True, 8)]


def grades_title(plan: Plan, fy: int) -> str:
    """The worksheet name of a fiscal year's grade rows (``評価 令和6年度``); Excel allows 31 characters."""
    return f"評価 {format_fiscal_year(fy, plan.fiscal_year_style)}"[:31]


def grade_key(plan_id: str, action_id: str, fiscal_year: int) -> str:
    """The stable key of a grade row (see the module docstring)."""
    return f"{plan_id}/{action_id}|{fiscal_year}"


@dataclass
class GradeRow:
    """One action in one fiscal year: key, where it lives, the shown grade entry and the cells by column field.

    ``grade_index`` is the 0-based position of the shown entry in ``Action.grades`` (None: the year
    has none); ``values`` hold what the sheet shows.
    """

    key: str
    action_id: str
    path: Path
    action: Action
    fiscal_year: int
    joint: bool
    grade_index: int | None
    values: dict[str, Any] = field(default_factory=dict)

    @property
    def grade(self) -> GradeEntry | None:
        """The grade entry the row shows (None: the year has none)."""
        return self.action.grades[self.grade_index] if self.grade_index is not None else None


def build_grade_rows(loaded: LoadedPlan, department: Department | None, years: list[int]) -> list[GradeRow]:
    """The grade rows of ``loaded`` for ``years`` (optionally only ``department``'s), in file and year order.

    Empty unless the plan's ``grade_scale`` applies to actions. An action belongs to the
    departments its ``owners`` name; an action with several is marked joint. Raises ValueError
    when the plan did not load.
    """
    plan = loaded.plan
    if plan is None:
        raise ValueError(f"{loaded.root}: plan.yaml did not load")
    if not action_grade_words(plan):
        return []
    index = loaded.index
    sep = plan.department_separators[0] if plan.department_separators else "・"
    rows = []
    for la in loaded.actions:
        action = la.action
        depts = [d for d in owner_departments(index, action) if d.kind != "generic"]
        if department is not None and department.key not in {d.key for d in depts}:
            continue
        joint = len({d.key for d in depts}) > 1
        ref = index.category(action.category)
        for fy in years:
            shown = action.grade_for(fy)
            grade_index = next((i for i, g in enumerate(action.grades) if g is shown), None) if shown else None
            rows.append(GradeRow(
                key=grade_key(plan.id, action.id, fy), action_id=action.id, path=la.doc.path, action=action,
                fiscal_year=fy, joint=joint, grade_index=grade_index,
                values={
                    "number": action_number(action),
                    "title": action.title,
                    "category_top": ref.top.name if ref else action.category,
                    "category": ref.node.name if ref and ref.depth > 0 else None,
                    "fiscal_year": format_fiscal_year(fy, plan.fiscal_year_style),
                    "department": sep.join(action.owners) or None,
                    "joint": "共同" if joint else None,
                    "target": action.target.text if action.target else None,
                    "grade": shown.grade if shown else None,
                },
            ))
    return rows


# --------------------------------------------------------------------------- import


@dataclass(frozen=True)
class GradeEdit(EntryEdit):
    """An :class:`~dxplan.sheets.indicators.EntryEdit` of an action's own ``grades`` list (one field: the grade)."""

    row: GradeRow


def check_grade_cell(plan: Plan, row: GradeRow, cell: Any, sheet: str, sheet_row: int) -> tuple[GradeEdit | None, Text | None]:
    """The edit a grade row's grade cell asks for: ``(edit, problem)``, both None when the cell equals the plan.

    The problem: a grade the plan's ``grade_scale`` does not have (with did-you-mean; NFKC-equal
    spellings such as full-width ``Ｂ`` and aliases are read as the grade). An emptied cell
    removes the year's entry.
    """
    scale = plan.grade_scale
    entry = row.grade
    written = cell_text(cell)
    if written is None:
        if entry is None:
            return None, None
        return GradeEdit(row, row.grade_index, {}, entry.model_dump(exclude_defaults=True), sheet, sheet_row, remove=True), None
    assert scale is not None, "grade rows exist only where the plan's grade scale applies to actions"
    grade = scale.lookup(written) or scale.lookup(nfkc(written))
    if grade is None:
        return None, Text("grade '{word}' is not one of the plan's grades ({words}).{hint}",
                          word=written.strip(), words="、".join(g.grade for g in scale.grades), hint=did_you_mean(written, scale.words))
    if entry is not None:
        if entry.grade == grade.grade or scale.lookup(entry.grade) is grade:
            return None, None
        return GradeEdit(row, row.grade_index, {"grade": grade.grade}, {"grade": entry.grade}, sheet, sheet_row), None
    new = {"fiscal_year": format_fiscal_year(row.fiscal_year, plan.fiscal_year_style), "grade": grade.grade}
    return GradeEdit(row, None, new, {}, sheet, sheet_row, anchor=entry_anchor(row.action.grades, row.fiscal_year)), None
