"""Check a filled-in sheet against the plan and work out the field edits it asks for. Pure: no writes.

Each data row is matched to a task row by its hidden key (:mod:`dxplan.sheets.rows`). Problems,
each with the sheet, row, column and header where it was found:

- a row key the plan does not know (or that no longer fits: the task moved), a row without key;
- a row key given twice;
- an editable task cell its column's cell type does not accept (:data:`dxplan.sheets.rows.TASK_COLUMNS`:
  a status word the plan does not declare, with the closest word as "did you mean"; a progress
  that is not a number or lies outside 0–100, percent);
- an edited read-only column (number, title, categories, fiscal year, department, plan, target);
- a row of the export's scope (its department and fiscal years) missing from the sheet;
- a row of the plan outside the sheet's scope (copied from another department's sheet, key and all);
- a column header given twice, or an editable column of a kind of row the sheet holds missing
  (deleted or renamed): its cells would be ignored;
- a text as long as an Excel cell holds (32,767 characters) where the plan's is longer: Excel cut it;
- what :mod:`dxplan.sheets.read` found untrustworthy in a cell (a formula without its value, merged cells);
- a sheet of another plan, or without a key column;
- on an indicator row (:mod:`dxplan.sheets.indicators`): an actual that is not a number, a kind
  other than 実績/見込, a grade not in the plan's ``grade_scale`` (did-you-mean), an edited target;
- on an action grade row (:mod:`dxplan.sheets.grades`): a grade not in the plan's ``grade_scale``
  (did-you-mean);
- a cell filled in a column that does not belong to the row's kind (a task column of an
  indicator row or the other way round, in the one CSV table that holds every kind of row).

- an editable cell changed both in the sheet and in the plan since the export (a conflict of the
  three-way merge, :mod:`dxplan.sheets.base`), unless the caller says which side wins.

Each editable cell is first merged with the value it was exported with (the sheet's base): a
cell the clerk left alone asks for nothing, even where the plan changed since. A sheet without a
base gets a warning (:attr:`ImportCheck.warnings`) and every cell is compared with the plan.

A Shift_JIS (cp932) CSV cannot hold every character of a plan (鹿島市 15: 实); a cell that
equals the plan's text once that text is passed through cp932 counts as unchanged, and so does a
cell equal to the plan's text with its control characters as the CSV export shows them (␛).

Only the editable task columns (``result``, ``status``, ``progress``) turn into :class:`FieldEdit` s,
and only where their cell type finds the cell different from the YAML (an empty cell equals a
missing field); an indicator row's actual and
grade cells turn into :class:`~dxplan.sheets.indicators.IndicatorEdit` s, an action grade row's
grade cell into a :class:`~dxplan.sheets.grades.GradeEdit`. Callers apply nothing
when there is any problem (all or nothing, see :mod:`dxplan.sheets.apply`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from collections.abc import Callable, Iterable

from openpyxl.utils import get_column_letter

from .xlsx import sheet_title
from dxplan.i18n import Text
from dxplan.files.load import LoadedPlan
from dxplan.rules import done_below_100, not_started_with_progress
from .grades import GradeEdit, GradeRow, build_grade_rows, check_grade_cell, grade_columns, grades_title
from .indicators import IndicatorEdit, IndicatorRow, build_indicator_rows, check_indicator_cells, indicator_columns, indicators_title
from .flat import visible_controls
from .base import Base, Prefer, base_column, is_base_table, merge, read_base_cell, read_base_table
from .cells import same_cell
from .read import Table
from .rows import EDITABLE, Column, Scope, SheetRow, UnknownDepartment, build_rows, cell_text, columns, find_department


@dataclass(frozen=True)
class ImportProblem:
    """One problem of a sheet: ``sheet``, 1-based ``row`` (None: a row that is not there), column letter and header, message."""

    sheet: str
    row: int | None
    column: str | None
    header: str | None
    message: Text

    def text(self, lang: str) -> str:
        """``令和6年度!K12（進捗状況）: message`` — sheet, cell and header, then the message in ``lang``."""
        cell = f"{self.column or ''}{self.row or ''}"
        where = f"{self.sheet}!{cell}" if cell else self.sheet
        if self.header:
            where += f"（{self.header}）" if lang == "ja" else f" ({self.header})"
        return f"{where}: {self.message(lang)}"


@dataclass(frozen=True)
class FieldEdit:
    """One task field to set: the row it belongs to, the field (an editable column of :data:`~dxplan.sheets.rows.TASK_COLUMNS`, a ``Task`` field), old and new value (None = remove)."""

    row: SheetRow
    field: str
    before: Any
    after: Any
    sheet: str
    sheet_row: int


@dataclass
class ImportCheck:
    """What a sheet asks for: the edits, the problems, how many data rows were read and matched."""

    edits: list[FieldEdit] = field(default_factory=list)
    problems: list[ImportProblem] = field(default_factory=list)
    rows_read: int = 0
    indicator_edits: list[IndicatorEdit] = field(default_factory=list)
    grade_edits: list[GradeEdit] = field(default_factory=list)
    warnings: list[ImportProblem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def field_count(self) -> int:
        """How many fields the edits change: one per task field, :attr:`~dxplan.sheets.indicators.EntryEdit.fields` per indicator or action grade edit."""
        return len(self.edits) + sum(e.fields for e in self.indicator_edits) + sum(e.fields for e in self.grade_edits)


def _through_cp932(value: Any, shown: Any) -> Any:
    """The plan's ``shown`` value when ``value`` is what a cp932 file makes of it (``?`` for characters outside cp932), else ``value``.

    Excel on Japanese Windows writes such characters (实, –) as ``?`` in a Shift_JIS CSV; an
    unchanged cell must not read as an edit, and an editable text must not lose the character.
    """
    text, expected = cell_text(value), cell_text(shown)
    if text is None or expected is None or text == expected:
        return value
    return shown if text == expected.encode("cp932", "replace").decode("cp932") else value


def _as_exported(value: Any, shown: Any, cp932: bool) -> Any:
    """The plan's ``shown`` value when ``value`` is what the export made of it, else ``value``.

    The CSV export writes control characters as control pictures (:func:`dxplan.sheets.flat.visible_controls`);
    Excel on Japanese Windows writes characters outside cp932 (实, –, ␛) as ``?`` in a Shift_JIS CSV
    (``cp932``). An unchanged cell must not read as an edit, and an editable text must not lose the character.
    """
    if value is None or shown is None or (type(value) is type(shown) and value == shown):
        return value  # most cells: the text of one of them is None, or both texts are the same
    text, expected = cell_text(value), cell_text(shown)
    if text is None or expected is None or text == expected:
        return value
    exported = visible_controls(expected)
    if text == exported:
        return shown
    if cp932 and text in (expected.encode("cp932", "replace").decode("cp932"), exported.encode("cp932", "replace").decode("cp932")):
        return shown
    return value


#: The most characters an Excel cell holds; Excel cuts a longer text to this length when it saves.
EXCEL_CELL_CHARS = 32_767


def _cut_by_excel(value: Any, shown: Any) -> Text | None:
    """A problem when ``value`` is as long as an Excel cell holds and the plan's ``shown`` text is longer: Excel cut it."""
    if value is None or (type(value) is str and len(value) < EXCEL_CELL_CHARS):
        return None  # its text is no longer than the value
    text, expected = cell_text(value), cell_text(shown)
    if text is None or expected is None or len(text) < EXCEL_CELL_CHARS or len(expected) <= len(text):
        return None
    return Text("{n} characters, as many as an Excel cell holds, where the plan has {m}: Excel cut the text; edit it in the YAML file",
                n=len(text), m=len(expected))


def _same(a: Any, b: Any) -> bool:
    """Whether a read-only cell still shows the plan's value (a control character the export wrote as
    its picture counts as unchanged, :func:`dxplan.sheets.cells.same_cell`)."""
    if type(a) is type(b) and a == b:
        return True
    return (cell_text(a) or "").strip() == (cell_text(b) or "").strip() or same_cell(a, b)


def _shows_the_plan(cells: list[Any], mapping: dict[int, Column], values: dict[str, Any]) -> bool:
    """Whether every mapped cell of a row holds exactly (same type, equal) the value the plan's row shows in that column
    (``values``), an empty cell where the row has none."""
    for i, col in mapping.items():
        value = cells[i] if i < len(cells) else None
        shown = values.get(col.field)
        if value is not shown and (type(value) is not type(shown) or value != shown):
            return False
    return True


def _key_column(header: list[Any]) -> tuple[int | None, Scope | None]:
    for i, h in enumerate(header):
        scope = Scope.parse(h)
        if scope is not None:
            return i, scope
    for i, h in enumerate(header):
        if cell_text(h) == "行キー":
            return i, None
    return None, None


class _Checker:
    def __init__(self, loaded: LoadedPlan, prefer: Prefer = None) -> None:
        if loaded.plan is None:
            raise ValueError(f"{loaded.root}: plan.yaml did not load")
        self.loaded = loaded
        self.plan = loaded.plan
        self.index = loaded.index
        task_cols, ind_cols, grade_cols = columns(self.plan), indicator_columns(self.plan), grade_columns(self.plan)
        self.task_cols, self.ind_cols, self.grade_cols = task_cols, ind_cols, grade_cols
        self.cols = {c.header: c for c in task_cols + ind_cols + grade_cols}
        self.task_fields = {c.field for c in task_cols}
        self.indicator_fields = {c.field for c in ind_cols}
        self.grade_fields = {c.field for c in grade_cols}
        self.task_rows = build_rows(loaded)
        self.all_rows = {r.key: r for r in self.task_rows}
        self.ind_rows = {r.key: r for r in build_indicator_rows(loaded, None, self.plan.fiscal_years)}
        self.grade_rows = {r.key: r for r in build_grade_rows(loaded, None, self.plan.fiscal_years)}
        self.by_task = {(r.action_id, r.task_index): r for r in self.all_rows.values()}
        self.result = ImportCheck()
        self.seen: dict[str, tuple[str, int]] = {}
        self.expected: dict[str, SheetRow | IndicatorRow | GradeRow] = {}
        self.in_scope: set[str] | None = None
        self.scope_keys: dict[tuple[Any, ...], set[str]] = {}
        self.scope_department: str | None = None
        self.kinds: set[str] = set()
        self.prefer = prefer
        self.base: Base | None = None
        self.without_base = 0

    def problem(self, table: Table, row: int | None, col: int | None, header: str | None, message: Text) -> None:
        letter = get_column_letter(col + 1) if col is not None else None
        self.result.problems.append(ImportProblem(table.name, row, letter, header, message))

    def table(self, table: Table) -> None:
        """Check every row of ``table`` (its rows gone through once: they may be read as they come), then report what
        the reader found untrustworthy in its cells (:attr:`Table.problems`, complete once its rows are read)."""
        self._rows_of(table)
        for _ in table.rows:  # rows not checked (a sheet without key column): read all the same, for their problems
            pass
        for number, col_index, message in table.problems:
            raw = table.header[col_index] if col_index < len(table.header) and number > 1 else None
            header = "行キー" if Scope.parse(raw) is not None else cell_text(raw)
            self.problem(table, number, col_index, header, message)

    def _rows_of(self, table: Table) -> None:
        key_col, scope = _key_column(table.header)
        if key_col is None:
            self.problem(table, 1, None, None, Text("no row-key column: only sheets written by `dxplan export` can be imported"))
            return
        self.in_scope = self._scope(table, scope) if scope is not None else None
        self.scope_department = scope.department if scope is not None else None
        mapping: dict[int, Column] = {}
        first: dict[str, int] = {}
        for i, h in enumerate(table.header):
            col = self.cols.get(cell_text(h) or "")
            if col is None or i == key_col:
                continue
            if col.header in first:
                self.problem(table, 1, i, col.header, Text("column given twice (first in column {column}); delete one of them",
                                                         column=get_column_letter(first[col.header] + 1)))
                continue
            first[col.header] = i
            if col.field not in {c.field for c in mapping.values()}:
                mapping[i] = col
        self.kinds = set()
        base_col = base_column(table.header)
        rows = table.rows
        if base_col is not None:
            rows = list(rows)  # gone through twice: the bases first
            self.base = self.base or Base({})
            for _, cells in rows:
                key = cell_text(cells[key_col] if key_col < len(cells) else None)
                if key is not None:
                    read_base_cell(key.strip(), cells[base_col] if base_col < len(cells) else None, self.base)
        for number, cells in rows:
            self.row(table, number, cells, key_col, mapping)
        self._required(table, set(first))

    def _required(self, table: Table, headers: set[str]) -> None:
        """A problem for each editable column of a kind of row the table holds that is not in its header (deleted or renamed)."""
        wanted = {"task": self.task_cols, "indicator": self.ind_cols, "grade": self.grade_cols}
        for kind in sorted(self.kinds):
            for col in wanted[kind]:
                if col.editable and col.header not in headers:
                    self.problem(table, 1, None, col.header,
                                 Text("column missing (deleted or renamed): the sheet's rows need it; export the sheet again or restore the header"))
                    headers = headers | {col.header}

    def _scope(self, table: Table, scope: Scope) -> set[str] | None:
        """Record the rows ``scope`` (the sheet's department and years) must hold; returns their keys (None: the scope is not this plan's)."""
        if scope.plan != self.plan.id:
            self.problem(table, 1, 0, None, Text("this sheet was exported from plan '{other}', not '{plan}'", other=scope.plan, plan=self.plan.id))
            return None
        dept = None
        if scope.department:
            try:
                dept = find_department(self.index, scope.department)
            except UnknownDepartment:
                self.problem(table, 1, 0, None, Text("the sheet's department '{name}' is not in the plan", name=scope.department))
                return None
        # every sheet of one export carries the same scope: its rows are built once
        memo = (dept.key if dept else None, tuple(scope.years), scope.version)
        if memo not in self.scope_keys:
            rows: list[SheetRow | IndicatorRow | GradeRow]
            if dept is None:  # every department's rows: those built already, of the scope's years
                years = set(scope.years)
                rows = [r for r in self.task_rows if r.fiscal_year in years]
            else:
                rows = list(build_rows(self.loaded, dept, scope.years))
            if scope.version >= 2:
                rows += build_indicator_rows(self.loaded, dept, scope.years)
            if scope.version >= 3:
                rows += build_grade_rows(self.loaded, dept, scope.years)
            for r in rows:
                self.expected.setdefault(r.key, r)
            self.scope_keys[memo] = {r.key for r in rows}
        return self.scope_keys[memo]

    def row(self, table: Table, number: int, cells: list[Any], key_col: int, mapping: dict[int, Column]) -> None:
        self.result.rows_read += 1
        key = cell_text(cells[key_col] if key_col < len(cells) else None)
        if key is None:
            self.problem(table, number, key_col, "行キー", Text("row without a row key: rows cannot be added in the sheet; add task rows in the YAML"))
            return
        key = key.strip()
        row: SheetRow | IndicatorRow | GradeRow | None = self.all_rows.get(key) or self.ind_rows.get(key) or self.grade_rows.get(key)
        if row is None:
            self.problem(table, number, key_col, "行キー", self._unknown_key(key))
            return
        if key in self.seen:
            first_sheet, first_row = self.seen[key]
            self.problem(table, number, key_col, "行キー", Text("row key given twice (first at {sheet} row {row})", sheet=first_sheet, row=first_row))
            return
        self.seen[key] = (table.name, number)
        if self.in_scope is not None and key not in self.in_scope:
            self.problem(table, number, key_col, "行キー", Text(
                "row key '{key}' is not a row of this sheet (department '{department}', its fiscal years): "
                "a row copied from another sheet cannot be imported; import it with its own sheet",
                key=key, department=self.scope_department or ""))
            return
        row_base = self.base.of(key) if self.base is not None else None
        if self.base is not None and row_base is None:
            self.without_base += 1
        is_task, is_grade = isinstance(row, SheetRow), isinstance(row, GradeRow)
        self.kinds.add("task" if is_task else "grade" if is_grade else "indicator")
        own_fields = self.task_fields if is_task else self.grade_fields if is_grade else self.indicator_fields
        own_cells: dict[str, Any] = {}
        where: dict[str, tuple[int, Column]] = {}
        first_edit = len(self.result.edits)  # this row's edits are the ones appended from here
        if isinstance(row, SheetRow) and table.encoding != "cp932" and _shows_the_plan(cells, mapping, row.values):
            # every cell as the plan has it now: no read-only cell edited, no cut text, no conflict (the sheet's value
            # is the plan's), whatever the base says; only the editable cells' types have a say, as below
            for i, col in mapping.items():
                if col.editable and col.field in own_fields:
                    self.editable(table, number, i, col, row, cells[i] if i < len(cells) else None)
            self.status_progress(table, number, row, mapping, first_edit)
            return
        for i, col in mapping.items():
            value = cells[i] if i < len(cells) else None
            shown = row.values.get(col.field)
            cp932 = table.encoding == "cp932"
            value = _as_exported(value, shown, cp932)
            if row_base is not None and col.field in row_base:
                if cp932:  # the base went through cp932 too: the plan's text it stands for is the plan's
                    row_base = {**row_base, col.field: _through_cp932(row_base[col.field], shown)}
                value = _as_exported(value, row_base[col.field], cp932)
            cut = _cut_by_excel(value, shown)
            if cut is not None:
                self.problem(table, number, i, col.header, cut)
                continue
            if col.editable and col.field in own_fields and row_base is not None and col.field in row_base:
                value = self.merged(table, number, i, col, shown, value, row_base[col.field])
            if col.field not in own_fields:
                if cell_text(value) is not None:
                    self.problem(table, number, i, col.header,
                                 Text("a task row has no value in this column; leave it empty") if is_task
                                 else Text("an action grade row has no value in this column; leave it empty") if is_grade
                                 else Text("an indicator row has no value in this column; leave it empty"))
            elif col.editable and isinstance(row, SheetRow):
                self.editable(table, number, i, col, row, value)
            elif col.editable:
                own_cells[col.field] = value
                where[col.field] = (i, col)
            elif not _same(value, row.values.get(col.field)):
                self.problem(
                    table, number, i, col.header,
                    Text("read-only column edited: the plan has '{expected}', the sheet '{found}'",
                         expected=cell_text(row.values.get(col.field)) or "", found=cell_text(value) or ""),
                )
        if isinstance(row, SheetRow):
            self.status_progress(table, number, row, mapping, first_edit)
        if isinstance(row, GradeRow):
            if "grade" in where:
                i, col = where["grade"]
                edit, message = check_grade_cell(self.plan, row, own_cells["grade"], table.name, number)
                if message is not None:
                    self.problem(table, number, i, col.header, message)
                if edit is not None:
                    self.result.grade_edits.append(edit)
        elif isinstance(row, IndicatorRow):
            edits, problems = check_indicator_cells(self.plan, row, own_cells, table.name, number)
            for name, message in problems:
                i, col = where.get(name) or next(iter(where.values()))
                self.problem(table, number, i, col.header, message)
            self.result.indicator_edits += edits

    def status_progress(self, table: Table, number: int, row: SheetRow, mapping: dict[int, Column], first_edit: int) -> None:
        """A warning at the progress cell when the row's status and progress, as the import leaves them,
        contradict each other the way lint's rules ``done-below-100`` and ``not-started-with-progress`` say
        (checked only where the sheet changes one of them). ``first_edit``: where the row's edits start in the
        result's edits (a row is read once, and its edits are appended together)."""
        edits = {e.field: e.after for e in self.result.edits[first_edit:] if e.row is row}
        if not {"status", "progress"} & edits.keys():
            return
        status = edits["status"] if "status" in edits else row.values.get("status")
        progress = edits["progress"] if "progress" in edits else row.values.get("progress")
        sw = self.index.status(status) if status else None
        if sw is None or progress is None:
            return
        col = next((i for i, c in mapping.items() if c.field == "progress"), None)
        header = mapping[col].header if col is not None else None
        for rule in (done_below_100, not_started_with_progress):
            if rule.contradicts(sw.state, float(progress)):
                letter = get_column_letter(col + 1) if col is not None else None
                self.result.warnings.append(ImportProblem(table.name, number, letter, header,
                                                          Text(rule.MESSAGE, word=status, progress=f"{float(progress):g}")))

    def merged(self, table: Table, number: int, i: int, col: Column, shown: Any, value: Any, base: Any) -> Any:
        """The value an editable cell asks for once merged with its base (:func:`dxplan.sheets.base.merge`);
        a conflict is a problem at the cell naming the sheet's and the plan's values."""
        merged, conflict = merge(value, base, shown, self.prefer)
        if conflict:
            self.problem(table, number, i, col.header, Text(
                "changed both in the sheet and in the plan since the export: the sheet has '{sheet}', the plan now has '{plan}' "
                "(exported: '{base}'); import with --theirs to take the sheet's value or --ours to keep the plan's",
                sheet=cell_text(value) or "", plan=cell_text(shown) or "", base=cell_text(base) or ""))
        return merged

    def _unknown_key(self, key: str) -> Text:
        head = key.split("|", 1)[0]
        if ":" in head and "#" not in head.split(":", 1)[0]:
            return Text("unknown row key '{key}': no such indicator and fiscal year in the plan's actions", key=key)
        if "#" not in head and key.count("|") == 1:
            return Text("unknown row key '{key}': no such action and fiscal year among the plan's graded actions", key=key)
        action_id, _, n = head.rpartition("#")
        action_id = action_id.split("/", 1)[-1]
        now = self.by_task.get((action_id, int(n) - 1)) if n.isdigit() else None
        if now is not None:
            return Text("unknown row key '{key}': the plan changed since the export (that task row is now '{now}'); export the sheet again",
                        key=key, now=now.key)
        return Text("unknown row key '{key}': no such task row in the plan", key=key)

    def editable(self, table: Table, number: int, i: int, col: Column, row: SheetRow, value: Any) -> None:
        """An editable task cell read by its column's cell type: a problem, nothing (equal to the plan) or a :class:`FieldEdit`."""
        before = row.values.get(col.field)
        cell = col.cell
        assert cell is not None, "an editable column has a cell type"
        after, error = cell.read(value, self.plan, self.index)
        if error is not None:
            self.problem(table, number, i, col.header, error)
            return
        if not cell.same(before, after):
            self.result.edits.append(FieldEdit(row, col.field, before, after, table.name, number))

    def missing(self, sheet_of: Callable[[int, str], str]) -> None:
        for key, row in self.expected.items():
            if key in self.seen:
                continue
            v = row.values
            if isinstance(row, GradeRow):
                self.result.problems.append(ImportProblem(
                    sheet_of(row.fiscal_year, "grade"), None, None, None,
                    Text("row missing from the sheet: grade of action {action} ({year}, '{title}'), key {key}",
                         action=row.action_id, year=v["fiscal_year"], title=v["title"], key=key),
                ))
            elif isinstance(row, IndicatorRow):
                self.result.problems.append(ImportProblem(
                    sheet_of(row.fiscal_year, "indicator"), None, None, None,
                    Text("row missing from the sheet: action {action} indicator {indicator} ({year}, '{name}'), key {key}",
                         action=row.action_id, indicator=v["indicator_id"], year=v["fiscal_year"], name=v["indicator"], key=key),
                ))
            else:
                self.result.problems.append(ImportProblem(
                    sheet_of(row.fiscal_year, "task"), None, None, None,
                    Text("row missing from the sheet: action {action} task {n} ({year}, {department}, '{plan}'), key {key}",
                         action=row.action_id, n=row.task_index + 1, year=v["fiscal_year"], department=v.get("department") or "",
                         plan=v.get("plan") or "", key=key),
                ))


def check_sheet(loaded: LoadedPlan, tables: Iterable[Table], prefer: Prefer = None) -> ImportCheck:
    """Match every data row of ``tables`` to the plan's task, indicator and grade rows and collect edits and problems.

    ``tables``: a list (in any order), or tables that come as they are read, each gone through before the next
    (:func:`dxplan.sheets.read.stream_tables`), the sheets of exported values (:func:`~dxplan.sheets.base.is_base_table`)
    before the others. Raises ValueError when the plan did not load. The edits are in sheet order; task edits'
    fields are among :data:`dxplan.sheets.rows.EDITABLE`, indicator edits are in ``indicator_edits``,
    action grade edits in ``grade_edits``.
    """
    checker = _Checker(loaded, prefer)
    if isinstance(tables, list):
        tables = sorted(tables, key=lambda t: not is_base_table(t))  # the bases first, as a stream gives them
    names: list[str] = []
    for table in tables:
        if is_base_table(table):
            checker.base = checker.base or Base({})
            read_base_table(table, checker.base)
        else:
            names.append(table.name)
            checker.table(table)
    warn = checker.result.warnings
    if names and checker.base is None:
        warn.append(ImportProblem(names[0], None, None, None, Text(
            "the sheet carries no exported values (written by an older dxplan): every cell that differs from the plan is imported, "
            "and changes made to the plan since the export cannot be checked for conflicts")))
    elif checker.without_base:
        warn.append(ImportProblem(names[0], None, None, None, Text(
            "{n} row(s) carry no readable exported values: they are imported without a check for conflicts",
            n=checker.without_base)))
    if not names:
        checker.result.problems.append(ImportProblem("", None, None, None, Text("the file holds no sheet")))
    fallback = names[0] if names else ""

    def title_of(fy: int, kind: str) -> str:
        title = {"task": sheet_title, "indicator": indicators_title, "grade": grades_title}[kind](checker.plan, fy)
        return title if title in names else fallback

    checker.missing(title_of)
    assert all(e.field in EDITABLE for e in checker.result.edits)
    return checker.result
