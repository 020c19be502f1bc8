"""Indicator rows of the department sheet: targets, actuals and grades per action indicator and fiscal year.

Beside the task rows (:mod:`dxplan.sheets.rows`), an export holds one **indicator row** for every
indicator of every action in scope (``Action.indicators``) and every fiscal year of the export.
Its hidden row key::

    <plan id>/<action id>:<indicator id>|<fiscal year>

(an indicator id given twice in one action gets ``#<position>`` after it, 1-based). An indicator
with ``series`` (several series of values under one grade: 小学校・中学校) has, after its own row
(which holds the grade), one row per series keyed ``<indicator id>@<series position>`` (1-based),
showing ``K1（小学校）``, the series' baseline, targets and actual; a series row takes no grade. The row shows
the indicator's baseline, the fiscal year's target and the final target read-only, and the cells a
department fills in: the actual value (in the indicator's unit), its kind (実績 = ``actual``,
見込 = ``forecast``), its source, and — where the plan declares a ``grade_scale`` that applies to
indicators — the grade (a word of the scale, best first, as in ``plan.yaml``).

The row shows the entry :meth:`~dxplan.model.schema.Indicator.actual_for` and
:meth:`~dxplan.model.schema.Indicator.grade_for` pick for the year; import edits that entry, adds a new
one (after the last entry of the same or an earlier fiscal year) when the year had none, and
removes it when the value (or grade) cell is emptied. :func:`check_indicator_cells` turns a row's
cells into :class:`IndicatorEdit` s and positioned problems; it is pure.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from difflib import get_close_matches
from pathlib import Path
from typing import Any, Literal

from dxplan.fiscal import format_fiscal_year
from dxplan.i18n import N_, Text
from dxplan.files.load import LoadedPlan
from dxplan.model.schema import Department, GradeEntry, Indicator, IndicatorActual, Plan
from .rows import Column, action_number, cell_number, cell_text, columns, owner_departments, progress_cell

#: How the sheet writes an actual's kind, and the spellings import accepts for each.
KIND_WORDS = {"actual": "実績", "forecast": "見込"}
_KIND_READ: dict[str, Literal["actual", "forecast"]] = {"実績": "actual", "見込": "forecast", "見込み": "forecast", "actual": "actual", "forecast": "forecast"}

#: Columns a task row and an indicator row share (the rest belong to one kind of row only).
SHARED = ("key", "number", "title", "category_top", "category", "fiscal_year", "department", "joint")


def indicator_columns(plan: Plan) -> list[Column]:
    """The indicator sheet's columns in order: the shared ones as on the task sheet, then the indicator's.

    The grade column (評価) is there only when the plan's ``grade_scale`` applies to indicators.
    A header that a plan label already uses for a task column gets ``指標`` in front.
    """
    task_cols = columns(plan)
    shared = [c for c in task_cols if c.field in SHARED]
    taken = {c.header for c in task_cols}
    own = [
        Column("indicator_id", "指標ID", False, 8),
        Column("indicator", "指標名", False, 30),
        Column("unit", "単位", False, 8),
        Column("baseline", "基準値", False, 10),
        Column("year_target", "年度目標", False, 30),
        Column("final_target", "最終目標", False, 24),
        Column("actual", "実績値", True, 10),
        Column("actual_kind", "実績・見込", True, 10),
        Column("actual_source", "出典", True, 20),
    ]
    if grade_words(plan):
        own.append(Column("grade", "評価", True, 8))
    own = [c if c.header not in taken else Column(c.field, "指標" + c.header, c.editable, c.width) for c in own]
    return shared + own


def grade_words(plan: Plan) -> list[str]:
    """The plan's grades best first (the drop-down list) when its ``grade_scale`` applies to indicators, else []."""
    scale = plan.grade_scale
    if scale is None or scale.applies_to != "indicator":
        return []
    return [g.grade for g in scale.grades]


def indicators_title(plan: Plan, fy: int) -> str:
    """The worksheet name of a fiscal year's indicator rows (``指標 令和6年度``); Excel allows 31 characters."""
    return f"指標 {format_fiscal_year(fy, plan.fiscal_year_style)}"[:31]


def indicator_key(plan_id: str, action_id: str, indicator_id: str, fiscal_year: int) -> str:
    """The stable key of an indicator row (see the module docstring)."""
    return f"{plan_id}/{action_id}:{indicator_id}|{fiscal_year}"


@dataclass
class IndicatorRow:
    """One indicator of one action in one fiscal year: key, where it lives and the cells by column field.

    ``indicator_index`` is the 0-based position in ``Action.indicators``; ``actual_index`` and
    ``grade_index`` the positions of the shown entries in its ``actuals``/``grades`` (None: the year
    has none). ``series_index`` (0-based) marks a row of one series of the indicator (``Indicator.series``):
    then ``indicator`` is that series as an indicator (:meth:`~dxplan.model.schema.Indicator.series_indicators`)
    and the actuals are the series' own. ``values`` hold what the sheet shows (numbers as int where whole, in the unit);
    ``actual``/``grade`` are the model entries shown.
    """

    key: str
    action_id: str
    path: Path
    indicator_index: int
    indicator: Indicator
    fiscal_year: int
    joint: bool
    actual_index: int | None
    grade_index: int | None
    values: dict[str, Any] = field(default_factory=dict)
    series_index: int | None = None

    @property
    def actual(self) -> IndicatorActual | None:
        """The actual entry the row shows (None: the year has none)."""
        return self.indicator.actuals[self.actual_index] if self.actual_index is not None else None

    @property
    def grade(self) -> GradeEntry | None:
        """The grade entry the row shows (None: the year has none)."""
        return self.indicator.grades[self.grade_index] if self.grade_index is not None else None


def _index_of(items: list[Any], item: Any) -> int | None:
    return next((i for i, x in enumerate(items) if x is item), None) if item is not None else None


def _target_cell(ind: Indicator, fy: int) -> str | int | float | None:
    for t in ind.targets:
        if t.fiscal_year == fy:
            return t.text if t.text else progress_cell(t.value)
    return None


def build_indicator_rows(loaded: LoadedPlan, department: Department | None, years: list[int]) -> list[IndicatorRow]:
    """The indicator rows of ``loaded`` for ``years`` (optionally only ``department``'s), in file, indicator and year order.

    An action's indicators belong to the departments its ``owners`` name; an action with several
    is marked joint. Raises ValueError when the plan did not load.
    """
    plan = loaded.plan
    if plan is None:
        raise ValueError(f"{loaded.root}: plan.yaml did not load")
    index = loaded.index
    sep = plan.department_separators[0] if plan.department_separators else "・"
    rows = []
    for la in loaded.actions:
        action = la.action
        if not action.indicators:
            continue
        depts = [d for d in owner_departments(index, action) if d.kind != "generic"]
        if department is not None and department.key not in {d.key for d in depts}:
            continue
        joint = len({d.key for d in depts}) > 1
        ref = index.category(action.category)
        ids = [ind.id for ind in action.indicators]
        for i, whole in enumerate(action.indicators):
            whole_id = whole.id if ids.count(whole.id) == 1 else f"{whole.id}#{i + 1}"
            parts: list[tuple[int | None, Indicator, str, str]] = [(None, whole, whole_id, whole_id)]
            parts += [(s, sub, f"{whole_id}@{s + 1}", f"{whole_id}（{x.name}）")
                      for s, (sub, x) in enumerate(zip(whole.series_indicators(), whole.series, strict=True))]
            for series_index, ind, key_id, shown_id in parts:
                final = ind.target_text if ind.target_text else progress_cell(ind.target_value)
                for fy in years:
                    actual_index = _index_of(ind.actuals, ind.actual_for(fy))
                    grade_index = _index_of(ind.grades, ind.grade_for(fy))
                    actual = ind.actuals[actual_index] if actual_index is not None else None
                    grade = ind.grades[grade_index] if grade_index is not None else None
                    rows.append(IndicatorRow(
                        key=indicator_key(plan.id, action.id, key_id, fy),
                        action_id=action.id, path=la.doc.path, indicator_index=i, indicator=ind, fiscal_year=fy,
                        joint=joint, actual_index=actual_index, grade_index=grade_index, series_index=series_index,
                        values={
                            "number": action_number(action),
                            "title": action.title,
                            "category_top": ref.top.name if ref else action.category,
                            "category": ref.node.name if ref and ref.depth > 0 else None,
                            "fiscal_year": format_fiscal_year(fy, plan.fiscal_year_style),
                            "department": sep.join(action.owners) or None,
                            "joint": "共同" if joint else None,
                            "indicator_id": shown_id,
                            "indicator": ind.name,
                            "unit": ind.unit,
                            "baseline": progress_cell(ind.baseline.value) if ind.baseline else None,
                            "year_target": _target_cell(ind, fy),
                            "final_target": final,
                            "actual": _actual_cell(actual),
                            "actual_kind": KIND_WORDS[actual.kind] if actual else None,
                            "actual_source": actual.source if actual else None,
                            "grade": grade.grade if grade else None,
                        },
                    ))
    return rows


# --------------------------------------------------------------------------- import


@dataclass(frozen=True)
class EntryEdit:
    """One change to a list of per-year entries asked for by one sheet row: an indicator's
    ``actuals`` or ``grades`` (:class:`IndicatorEdit`), an action's own ``grades``
    (:class:`dxplan.sheets.grades.GradeEdit`).

    - ``index`` given, ``remove`` False: set the fields of ``changes`` on that entry (a None
      value removes the field);
    - ``index`` given, ``remove`` True: remove the entry;
    - ``index`` None: insert ``changes`` as a new entry (fields in model order) after the entry at
      ``anchor`` (-1: at the start).

    ``row`` is the sheet row; ``before`` holds the old values of the changed fields (the whole
    old entry when removing); ``sheet``/``sheet_row`` say where the cell was.
    """

    row: Any
    index: int | None
    changes: dict[str, Any]
    before: dict[str, Any]
    sheet: str
    sheet_row: int
    remove: bool = False
    anchor: int = -1

    @property
    def fields(self) -> int:
        """How many fields the edit changes (a removed or new entry counts its value or grade once, plus its source)."""
        if self.remove:
            return 1
        return len([k for k in self.changes if k != "fiscal_year"])


@dataclass(frozen=True)
class IndicatorEdit(EntryEdit):
    """An :class:`EntryEdit` of indicator ``row.indicator_index``'s list ``list_name`` (``actuals`` or ``grades``)."""

    row: IndicatorRow
    list_name: str = field(kw_only=True)


def entry_anchor(entries: list[Any], fy: int) -> int:
    """Where a new entry of fiscal year ``fy`` goes in ``entries`` (a list of entries with ``fiscal_year``):
    the 0-based position of the last entry of the same or an earlier year, -1 (at the start) when none is."""
    found = [i for i, e in enumerate(entries) if e.fiscal_year <= fy]
    return found[-1] if found else -1


def _actual_cell(actual: IndicatorActual | None) -> int | float | str | None:
    """An actual's cell: its number, or, for an actual written as text only (完了, －), the text as written."""
    if actual is None:
        return None
    return progress_cell(actual.value) if actual.value is not None else actual.text


def _number_cell(value: Any) -> tuple[int | float | None, Text | None]:
    number, problem = cell_number(value, N_("'{value}' is not a number; write the measured value as a number in the indicator's unit"))
    if number is None:
        return None, problem
    if number != number or number in (float("inf"), float("-inf")):
        return None, Text("'{value}' is not a number", value=value)
    return progress_cell(number), None


def nfkc(text: str) -> str:
    """``text`` NFKC-normalised (full-width ``Ｂ`` → ``B``) and stripped, for comparing typed words."""
    return unicodedata.normalize("NFKC", text).strip()


def did_you_mean(word: str, words: list[str]) -> Text | str:
    """`` Did you mean 'B'?`` for the word of ``words`` closest to ``word`` (NFKC- and case-folded first), else ""."""
    folded = [w for w in words if nfkc(w).casefold() == nfkc(word).casefold()]
    close = folded or get_close_matches(word, words, n=1, cutoff=0.5)
    return Text(" Did you mean '{word}'?", word=close[0]) if close else ""


def check_indicator_cells(plan: Plan, row: IndicatorRow, cells: dict[str, Any], sheet: str, sheet_row: int) -> tuple[list[IndicatorEdit], list[tuple[str, Text]]]:
    """The edits an indicator row's editable ``cells`` (field → cell value, only the columns present) ask for.

    Returns ``(edits, problems)``; a problem is ``(field, message)``. An actual cell that reads as a
    number (full-width digits and separators too) is a numeric actual (``value``); other text is a
    text actual (``text``: 「完了」, 「－」, a sentence) and replaces a number written before. Problems:
    a TRUE/FALSE actual, a kind other than 実績/見込, a kind or source without a value, a grade the plan's
    ``grade_scale`` does not have (did-you-mean; NFKC-equal spellings such as full-width ``Ｂ``
    are read as the grade). A cell equal to the plan gives no edit.
    """
    edits: list[IndicatorEdit] = []
    problems: list[tuple[str, Text]] = []
    ind = row.indicator
    if {"actual", "actual_kind", "actual_source"} & cells.keys():
        _check_actual(plan, row, ind, cells, sheet, sheet_row, edits, problems)
    if "grade" in cells and row.series_index is not None:
        if cell_text(cells["grade"]) is not None:
            problems.append(("grade", Text("a series row takes no grade: the grade of the indicator's series is on the indicator's own row")))
    elif "grade" in cells and plan.grade_scale is not None:
        _check_grade(plan, row, ind, cells["grade"], sheet, sheet_row, edits, problems)
    return edits, problems


def _check_actual(plan: Plan, row: IndicatorRow, ind: Indicator, cells: dict[str, Any], sheet: str, sheet_row: int,
                  edits: list[IndicatorEdit], problems: list[tuple[str, Text]]) -> None:
    entry = row.actual
    # an actual written as text only (完了, －) comes back unchanged as its text; a cell that reads as a
    # number is a numeric actual, any other text a text actual
    text_only = entry is not None and entry.value is None
    value: int | float | None
    text: str | None = None
    if "actual" in cells and not (text_only and entry is not None and cell_text(cells["actual"]) == entry.text):
        value, error = _number_cell(cells["actual"])
        text_only = False
        written = cell_text(cells["actual"]) if isinstance(cells["actual"], str) else None
        if error is not None and written is not None:
            value, error, text, text_only = None, None, written.strip(), True
    else:
        value, error = (progress_cell(entry.value) if entry is not None and entry.value is not None else None), None
    if error is not None:
        problems.append(("actual", error))
        return
    kind = entry.kind if entry else None
    if "actual_kind" in cells:
        written = cell_text(cells["actual_kind"])
        kind = None
        if written is not None:
            kind = _KIND_READ.get(nfkc(written))
            if kind is None:
                hint = did_you_mean(written, list(KIND_WORDS.values()))
                problems.append(("actual_kind", Text("'{word}' is not a kind of actual: write 実績 (actual) or 見込 (forecast).{hint}", word=written, hint=hint)))
                return
    source = cell_text(cells["actual_source"]) if "actual_source" in cells else (entry.source if entry else None)
    if value is None and not text_only:
        if entry is not None:
            edits.append(IndicatorEdit(row, row.actual_index, {}, entry.model_dump(exclude_defaults=True), sheet, sheet_row, remove=True, list_name="actuals"))
        elif kind is not None or source is not None:
            problems.append(("actual", Text("a kind or source is given but no actual value; write the value or empty the row's cells")))
        return
    kind = kind or "actual"
    if entry is None:
        assert value is not None or text is not None, "a new actual comes from a number or a text cell"
        new: dict[str, Any] = {"fiscal_year": format_fiscal_year(row.fiscal_year, plan.fiscal_year_style)}
        new.update({"value": value} if value is not None else {"text": text})
        if kind != "actual":
            new["kind"] = kind
        if source is not None:
            new["source"] = source
        edits.append(IndicatorEdit(row, None, new, {}, sheet, sheet_row, anchor=entry_anchor(ind.actuals, row.fiscal_year), list_name="actuals"))
        return
    changes: dict[str, Any] = {}
    if text is not None and (text != entry.text or entry.value is not None):
        changes["text"] = text
        if entry.value is not None:
            changes["value"] = None  # the text replaces the number the actual was written as
    if value is not None and (entry.value is None or float(value) != float(entry.value)):
        changes["value"] = value
        if entry.value is None:
            changes["text"] = None  # the number replaces the text the actual was written as
    if kind != entry.kind:
        changes["kind"] = kind
    if (source or None) != (entry.source or None):
        changes["source"] = source
    if changes:
        before = {k: getattr(entry, k) for k in changes}
        edits.append(IndicatorEdit(row, row.actual_index, changes, before, sheet, sheet_row, list_name="actuals"))


def _check_grade(plan: Plan, row: IndicatorRow, ind: Indicator, cell: Any, sheet: str, sheet_row: int,
                 edits: list[IndicatorEdit], problems: list[tuple[str, Text]]) -> None:
    scale = plan.grade_scale
    assert scale is not None, "the caller checks that the plan has a grade scale"
    entry = row.grade
    written = cell_text(cell)
    if written is None:
        if entry is not None:
            edits.append(IndicatorEdit(row, row.grade_index, {}, entry.model_dump(exclude_defaults=True), sheet, sheet_row, remove=True, list_name="grades"))
        return
    grade = scale.lookup(written) or scale.lookup(nfkc(written))
    if grade is None:
        problems.append(("grade", Text("grade '{word}' is not one of the plan's grades ({words}).{hint}",
                                       word=written.strip(), words="、".join(g.grade for g in scale.grades),
                                       hint=did_you_mean(written, scale.words))))
        return
    if entry is not None:
        if entry.grade == grade.grade or scale.lookup(entry.grade) is grade:
            return
        edits.append(IndicatorEdit(row, row.grade_index, {"grade": grade.grade}, {"grade": entry.grade}, sheet, sheet_row, list_name="grades"))
        return
    new = {"fiscal_year": format_fiscal_year(row.fiscal_year, plan.fiscal_year_style), "grade": grade.grade}
    edits.append(IndicatorEdit(row, None, new, {}, sheet, sheet_row, anchor=entry_anchor(ind.grades, row.fiscal_year), list_name="grades"))
