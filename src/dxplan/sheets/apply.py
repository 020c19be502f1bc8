"""Apply a sheet's field edits to the action files: ruamel.yaml round trip, verified, all or nothing.

For each action file the edits touch, the text is loaded with ruamel.yaml's round-trip loader
(comments, key order, flow/block style and quoting kept), the task fields are set (a field new to
the task goes after the last field that precedes it in :class:`~dxplan.model.schema.Task`; an emptied cell
removes the field) and the text dumped with dxplan's layout (``dxplan fmt``: indent 2, sequences
under their key, width 4096).

Indicator edits (:class:`~dxplan.sheets.indicators.IndicatorEdit`) change an entry of an
indicator's ``actuals`` or ``grades`` (or of one of its ``series``' ``actuals``) in place, remove it, or insert a new entry after its
anchor; a new entry is written in flow style (``{fiscal_year: 令和7年度, value: 46}``) like its
neighbours, with its fields in model order, and a missing ``actuals:``/``grades:`` list is added
where :class:`~dxplan.model.schema.Indicator` declares it; a list whose last entry is removed goes too.
Action grade edits (:class:`~dxplan.sheets.grades.GradeEdit`) do the same to the action's own
``grades`` list (added where :class:`~dxplan.model.schema.Action` declares it).

Before anything is written, each new text is parsed again and must (a) validate as an
:class:`~dxplan.model.schema.Action` and (b) hold exactly the old data with the edits applied — no other
field may differ. Only then are the files written, all together or none (a journal in the plan
folder, :mod:`dxplan.files.transaction`); a file whose text does not change is not touched. Any failure raises :class:`ApplyError` and leaves every file as it was.
"""

from __future__ import annotations

import io
import os
import pickle
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import LiteralScalarString

from dxplan.files.transaction import commit_files
from dxplan.i18n import N_, UserError
from dxplan.files.load import LoadedAction, LoadedPlan, read_document, validate
from dxplan.model.loaded import Document
from dxplan.model.schema import Action, GradeEntry, Indicator, IndicatorActual, IndicatorSeries, Task
from dxplan.problems import EXIT_PROBLEMS
from .grades import GradeEdit
from .check import FieldEdit
from .indicators import EntryEdit, IndicatorEdit
from .splice import splice_task_edits

_TASK_FIELDS = list(Task.model_fields)
_ENTRY_FIELDS = {"actuals": list(IndicatorActual.model_fields), "grades": list(GradeEntry.model_fields)}
_INDICATOR_FIELDS = list(Indicator.model_fields)
_SERIES_FIELDS = list(IndicatorSeries.model_fields)
_ACTION_FIELDS = list(Action.model_fields)


class ApplyError(UserError):
    """An edit could not be applied safely; the message says which file and why. Nothing was written (exit 1)."""

    exit_code = EXIT_PROBLEMS


@dataclass
class FileChange:
    """One action file: its path, its text now and the text the edits give; ``doc`` and ``action``: the new text
    as read back and validated by :func:`plan_changes` (None when the change was made otherwise)."""

    path: Path
    old: str
    new: str
    doc: Document | None = None
    action: Action | None = None


def _yaml() -> YAML:
    y = YAML(typ="rt")
    y.width = 4096
    y.indent(mapping=2, sequence=4, offset=2)
    y.preserve_quotes = True
    y.allow_duplicate_keys = False
    return y


def _set(task: dict, name: str, value: object, order_of: list[str] = _TASK_FIELDS) -> None:
    if value is None:
        if name in task:
            del task[name]
        return
    if name in task:
        task[name] = value
        return
    if not hasattr(task, "insert"):  # plain data: key order does not matter
        task[name] = value
        return
    order = order_of.index(name)
    # after the last field that precedes it in the model (a file need not keep the model's order)
    before = [i for i, k in enumerate(task) if k in order_of and order_of.index(k) < order]
    task.insert(before[-1] + 1 if before else 0, name, value)


def _entry(fields: dict, flow: bool, rt: bool) -> dict:
    if not rt:
        return dict(fields)
    m = CommentedMap(fields)
    if flow:
        m.fa.set_flow_style()
    return m


def _flow_like(ind: dict, name: str) -> bool:
    """Whether a new entry of ``ind[name]`` is written in flow style: as the list's (else the targets') first mapping, flow by default."""
    for key in (name, "targets", "actuals", "grades"):
        for x in ind.get(key) or []:
            if isinstance(x, CommentedMap):
                return x.fa.flow_style() is not False
    return True


def _edit_indicators(tree: dict, edits: list[IndicatorEdit], path: Path, rt: bool) -> None:
    """Apply ``edits`` to ``tree`` (round-trip data when ``rt``, else plain data); raises ApplyError."""
    inds = tree.get("indicators") if isinstance(tree, dict) else None
    by_list: dict[tuple[int, int | None, str], list[IndicatorEdit]] = {}
    for e in edits:
        by_list.setdefault((e.row.indicator_index, e.row.series_index, e.list_name), []).append(e)
    for (i, s, name), group in by_list.items():
        if not isinstance(inds, list) or i >= len(inds) or not isinstance(inds[i], dict):
            raise ApplyError(N_("{file}: indicator {n} is not there any more; export the sheet again"), {"file": str(path), "n": i + 1})
        gone = ApplyError(N_("{file}: an entry of indicator {n} is not there any more; export the sheet again"), {"file": str(path), "n": i + 1})
        owner, order = inds[i], _INDICATOR_FIELDS
        if s is not None:  # a series of the indicator (Indicator.series)
            series = owner.get("series")
            if not isinstance(series, list) or s >= len(series) or not isinstance(series[s], dict):
                raise gone
            owner, order = series[s], _SERIES_FIELDS
        _edit_list(owner, name, group, order, rt, gone)


def _edit_list(owner: dict, name: str, group: Sequence[EntryEdit], order_of: list[str], rt: bool, gone: ApplyError) -> None:
    """Apply ``group`` (edits of one list) to ``owner[name]``, adding the list (in ``order_of``) when missing; raises ``gone`` when an entry is not there."""
    if name not in owner:
        _set(owner, name, CommentedSeq() if rt else [], order_of)
    entries = owner[name]
    if not isinstance(entries, list):
        raise gone
    flow = _flow_like(owner, name)
    # positions of the file as read: work from the last one down so earlier positions stay valid
    for e in sorted(group, key=lambda e: (e.index if e.index is not None else e.anchor + 0.5, e.row.fiscal_year), reverse=True):
        if e.index is None:
            entries.insert(e.anchor + 1, _entry(e.changes, flow, rt))
        elif e.index >= len(entries) or not isinstance(entries[e.index], dict):
            raise gone
        elif e.remove:
            del entries[e.index]
        else:
            for k, v in e.changes.items():
                _set(entries[e.index], k, v, _ENTRY_FIELDS[name])
    if not entries and any(e.remove for e in group):
        del owner[name]  # the sheet emptied the list's last entry: no empty list left behind


def _edit_action_grades(tree: dict, edits: list[GradeEdit], path: Path, rt: bool) -> None:
    """Apply action grade ``edits`` to ``tree``'s ``grades`` (round-trip data when ``rt``, else plain data); raises ApplyError."""
    if not isinstance(tree, dict):
        raise ApplyError(N_("{file}: the action is not a mapping any more; export the sheet again"), {"file": str(path)})
    gone = ApplyError(N_("{file}: an entry of the action's grades is not there any more; export the sheet again"), {"file": str(path)})
    _edit_list(tree, "grades", edits, _ACTION_FIELDS, rt, gone)


def _edit_tree(tree: dict, edits: list[FieldEdit], path: Path) -> None:
    tasks = tree.get("tasks") if isinstance(tree, dict) else None
    for e in edits:
        i = e.row.task_index
        if not isinstance(tasks, list) or i >= len(tasks) or not isinstance(tasks[i], dict):
            raise ApplyError(N_("{file}: task row {n} is not there any more; export the sheet again"), {"file": str(path), "n": i + 1})
        value = LiteralScalarString(e.after) if isinstance(e.after, str) and "\n" in e.after else e.after
        _set(tasks[i], e.field, value)


def plan_changes(edits: list[FieldEdit], indicator_edits: list[IndicatorEdit] | tuple = (),
                 grade_edits: list[GradeEdit] | tuple = ()) -> list[FileChange]:
    """The new text of every action file ``edits``, ``indicator_edits`` and ``grade_edits`` touch, verified (see the module docstring).

    Raises :class:`ApplyError` when a file changed since the sheet was checked, or when the new
    text would not validate or would change anything but the edited fields.
    """
    by_file: dict[Path, list[FieldEdit]] = {}
    for e in edits:
        by_file.setdefault(e.row.path, []).append(e)
    ind_by_file: dict[Path, list[IndicatorEdit]] = {}
    for ie in indicator_edits:
        ind_by_file.setdefault(ie.row.path, []).append(ie)
        by_file.setdefault(ie.row.path, [])
    grade_by_file: dict[Path, list[GradeEdit]] = {}
    for ge in grade_edits:
        grade_by_file.setdefault(ge.row.path, []).append(ge)
        by_file.setdefault(ge.row.path, [])
    changes = []
    for path, file_edits in by_file.items():
        old = path.read_text(encoding="utf-8")
        inds, grades = ind_by_file.get(path, []), grade_by_file.get(path, [])
        splice = not inds and not grades
        # read once: the data the new text must hold, and (for a splice) where each edited value is
        doc, problems = read_document(path, text=old, fast=not splice)
        if doc is None or problems:
            # the plan was loaded before the check: a file that no longer reads changed since
            raise ApplyError(N_("{file} changed while importing; nothing was written, run the import again"), {"file": str(path)})
        expected = _expected(path, doc, file_edits, inds, grades)
        change = None
        if splice and (spliced := splice_task_edits(path, old, file_edits, doc)) is not None:
            try:
                change = FileChange(path, old, spliced, *_verify(path, spliced, expected))
            except ApplyError:
                change = None  # the round trip below decides
        if change is None:
            new = _round_trip(path, old, file_edits, inds, grades)
            change = FileChange(path, old, new, *_verify(path, new, expected))
        if change.new != old:
            changes.append(change)
    return changes


def _expected(path: Path, doc: Document, edits: list[FieldEdit], inds: list[IndicatorEdit], grades: list[GradeEdit]) -> Any:
    """The plain data the file ``doc`` holds with the edits applied: what the new text must read back as (see :func:`_verify`)."""
    expected = pickle.loads(pickle.dumps(doc.tree))  # a copy: the reader's tree (the results cache may share it) stays as it is
    for e in edits:
        tasks = expected.get("tasks") if isinstance(expected, dict) else None
        i = e.row.task_index
        if not isinstance(tasks, list) or i >= len(tasks) or not isinstance(tasks[i], dict):
            raise ApplyError(N_("{file}: task row {n} is not there any more; export the sheet again"), {"file": str(path), "n": i + 1})
        if e.after is None:
            tasks[i].pop(e.field, None)
        else:
            tasks[i][e.field] = e.after
    if inds:
        _edit_indicators(expected, inds, path, rt=False)
    if grades:
        _edit_action_grades(expected, grades, path, rt=False)
    return expected


def _round_trip(path: Path, old: str, edits: list[FieldEdit], inds: list[IndicatorEdit], grades: list[GradeEdit]) -> str:
    """``old`` loaded with ruamel.yaml's round-trip loader, edited and dumped in dxplan's layout."""
    tree = _yaml().load(old)
    _edit_tree(tree, edits, path)
    if inds:
        _edit_indicators(tree, inds, path, rt=True)
    if grades:
        _edit_action_grades(tree, grades, path, rt=True)
    out = io.StringIO()
    _yaml().dump(tree, out)
    return out.getvalue()


def _verify(path: Path, new: str, expected: object) -> tuple[Document, Action]:
    """``new`` read back and validated as an action; raises :class:`ApplyError` unless it reads as YAML, validates and holds exactly ``expected``."""
    doc, problems = read_document(path, text=new, fast=True)
    if doc is None or problems:
        raise ApplyError(N_("{file}: the edited text does not read back as YAML; nothing was written"), {"file": str(path)})
    action, problems = validate(doc, Action)
    if problems or action is None:
        reason = problems[0].message if problems else ""
        raise ApplyError(N_("{file}: the edited file would not validate ({reason}); nothing was written"), {"file": str(path), "reason": reason})
    if doc.tree != expected:  # the reader's plain data on both sides (a written float equals its value)
        raise ApplyError(N_("{file}: the edited file would change more than the sheet's fields; nothing was written"), {"file": str(path)})
    return doc, action


def write_changes(changes: list[FileChange], root: Path | None = None) -> None:
    """Write every change, all files together or none (:func:`dxplan.files.transaction.commit_files`,
    journaled in ``root``, the plan folder; default: the folder holding every changed file); a file
    changed on disk since it was read stops the whole write first.

    Raises :class:`ApplyError` (nothing written) when a file's text is no longer what was read,
    :class:`~dxplan.files.transaction.TransactionBusy` when another import is writing the plan.
    """
    for c in changes:
        if c.path.read_text(encoding="utf-8") != c.old:
            raise ApplyError(N_("{file} changed while importing; nothing was written, run the import again"), {"file": str(c.path)})
    if not changes:
        return
    folder = root if root is not None else Path(os.path.commonpath([c.path.parent for c in changes]))
    commit_files(folder, [(c.path, c.new) for c in changes])
    for c in changes:
        if c.path.read_text(encoding="utf-8") != c.new:  # pragma: no cover - a disk or a concurrent writer
            raise ApplyError(N_("{file}: the written text differs from the intended one"), {"file": str(c.path)})


def describe(loaded: LoadedPlan, changes: list[FileChange], lang: str) -> list[str]:
    """The changes in the words of ``dxplan diff`` (its plain-text lines, without its header line).

    The plan as loaded is compared with the same plan whose changed action files hold the new texts.
    """
    from dxplan.diff.compute import DiffResult, diff_plan
    from dxplan.diff.view import to_text
    from dxplan.files.gitio import Side

    by_path = {c.path: c for c in changes}
    after = LoadedPlan(root=loaded.root, plan=loaded.plan, plan_doc=loaded.plan_doc, problems=list(loaded.problems))
    for la in loaded.actions:
        change = by_path.get(la.doc.path)
        if change is None:
            after.actions.append(la)
            continue
        doc, action = change.doc, change.action
        if doc is None or action is None:  # a change not made by plan_changes: read and validated here
            doc, _ = read_document(la.doc.path, text=change.new, fast=True)
            assert doc is not None, "plan_changes made sure every new text reads back"
            action, _ = validate(doc, Action)
        after.actions.append(LoadedAction(action, doc))
    result = DiffResult(Side("HEAD"), Side("sheet"), [diff_plan(loaded, after)])
    return to_text(result, lang).splitlines()[1:]
