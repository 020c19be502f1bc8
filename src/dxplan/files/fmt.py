"""Canonical formatting of plan files (``dxplan fmt``).

One layout for every plan file, so that diffs show changes of content only:

- keys in the order of the model's fields (:class:`~dxplan.model.schema.Plan`,
  :class:`~dxplan.model.schema.Action` and every nested model); keys of free maps
  (``shares``) keep their order;
- indentation 2, sequences indented under their key (``- `` at column 2);
- quotes only where YAML needs them (and where a YAML 1.1 reader would see a
  boolean or a base-60 number: ``'yes'``, ``'1:30'``); line width 4096, so
  Japanese text is never folded;
- the flow (``{…}``/``[…]``) or block style the author chose, comments and blank
  lines are kept (ruamel.yaml round-trip). A whole-line comment between two
  keys is attached to the key above it, so when fmt moves that key the comment
  moves with it (it is never dropped);
- what the schema defines as a number is written as a number: full-width digits,
  ``％`` and digit strings in numeric fields become numbers
  (``progress: "８０％"`` → ``progress: 80``). Free text is never touched;
  fiscal years keep the form they are written in (``令和6年度``);
- a ``# yaml-language-server: $schema=…`` first line pointing to the
  repository's ``schemas/`` folder when the repository has one and the file has
  no such line.

Safety: the new text is parsed again and its data compared with the old —
the plain data (after the number normalisation above) and the validated
models' ``model_dump()`` must be equal — and formatting the new text once more
must change nothing (a second pass, as black does), before anything is written;
otherwise :class:`FmtError`. Files are written by :func:`dxplan.files.atomic.write_atomic`
(temporary file in the same folder, fsync, rename; permissions kept, a symlinked
file's target replaced), and temporary files a killed run left behind are removed.

:func:`format_paths` runs over command-line paths and returns a
:class:`FmtReport` (black's ``Report``: files changed, unchanged and failed, the
exit code and the closing summary); ``dxplan fmt`` only prints it.
"""

from __future__ import annotations

import copy
import datetime as dt
import io
import os
import re
import typing
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, BeforeValidator
from ruamel.yaml import YAML
from ruamel.yaml.scalarstring import SingleQuotedScalarString

from .atomic import remove_stale, write_atomic
from dxplan.i18n import N_, Text, UserError, t
from .load import read_bytes, read_document, read_roundtrip, validate
from dxplan.model.schema import Action, Plan
from dxplan.model.schema import split_annotated as _split
from dxplan.model.schema import union_options as _options
from .layout import discover, model_for, plan_files
from dxplan.problems import EXIT_OK, EXIT_PROBLEMS, Problem

WIDTH = 4096
MODELINE = "# yaml-language-server: $schema="
SCHEMA_FILES = {"plan": "plan.schema.json", "action": "action.schema.json"}


class FmtError(UserError):
    """A file that cannot be formatted safely: it does not load, or the new text would change its data.

    Its position is the file (``path``), so :meth:`~dxplan.i18n.UserError.message` reads ``path: why``;
    for a file that does not load, why ends with its first problem, ``(line:column rule: message)``.
    ``dxplan fmt`` reports it and goes on with the other files (exit 1 at the end).
    """

    exit_code = EXIT_PROBLEMS


@dataclass
class FmtResult:
    """The outcome for one file: its old and new text, and whether they differ."""

    path: Path
    old: str
    new: str
    numbers: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return self.old != self.new


def _yaml() -> YAML:
    y = YAML(typ="rt")
    y.width = WIDTH
    y.indent(mapping=2, sequence=4, offset=2)
    y.allow_duplicate_keys = False
    y.preserve_quotes = False
    return y


# --------------------------------------------------------------------------- types


def _numeric(ann: Any, meta: list[Any]) -> type | None:
    """``int`` or ``float`` when ``ann`` is a plain number field (not a fiscal year, which has its own forms)."""
    if any(isinstance(m, BeforeValidator) for m in meta):
        return None
    if ann is float:
        return float
    if ann is int:
        return int
    return None


_NUMBER = re.compile(r"^([+-]?)(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?%?$")


def parse_number(text: str, kind: type) -> int | float | None:
    """The number a numeric field's text means, or None when it is not plainly a number.

    NFKC first (full-width ``８０％`` → ``80%``); then an optional sign, digits
    (thousands commas allowed), an optional fraction and an optional ``%``.
    ``kind`` ``int`` refuses a non-zero fraction. A whole number becomes an int.
    """
    s = unicodedata.normalize("NFKC", text).strip().replace(" ", "")
    m = _NUMBER.match(s)
    if not m:
        return None
    sign, digits, frac = m.group(1), m.group(2).replace(",", ""), m.group(3)
    if frac and int(frac[1:] or "0") != 0:
        if kind is int:
            return None
        return float(f"{sign}{digits}{frac}")
    return int(f"{sign}{digits}")


def _walk_value(container: Any, key: Any, ann: Any, meta: list[Any], on_number, on_model) -> None:
    ann, meta = _split(ann, meta)
    value = container[key]
    for opt in _options(ann):
        opt, ometa = _split(opt)
        num = _numeric(opt, meta + ometa)
        if num is not None and isinstance(value, str):
            on_number(container, key, value, num)
            return
        if isinstance(opt, type) and issubclass(opt, BaseModel) and isinstance(value, dict):
            _walk_model(value, opt, on_number, on_model)
            return
        origin = typing.get_origin(opt)
        if origin is list and isinstance(value, list):
            (item,) = typing.get_args(opt) or (Any,)
            for i in range(len(value)):
                _walk_value(value, i, item, [], on_number, on_model)
            return
        if origin is dict and isinstance(value, dict):
            _, item = typing.get_args(opt) or (Any, Any)
            for k in list(value.keys()):
                _walk_value(value, k, item, [], on_number, on_model)
            return


def _walk_model(node: dict, model: type[BaseModel], on_number, on_model) -> None:
    on_model(node, model)
    for key in list(node.keys()):
        info = model.model_fields.get(key)
        if info is None:
            continue
        _walk_value(node, key, info.annotation, list(info.metadata), on_number, on_model)


def normalise_numbers(data: Any, model: type[BaseModel]) -> list[str]:
    """Turn number-like strings in ``model``'s numeric fields into numbers, in place.

    ``data`` is a parsed mapping (plain dicts or ruamel's round-trip maps).
    Returns a description of each change (``'８０％' → 80``). Strings that are not
    plainly a number are left for the schema check to report.
    """
    changes: list[str] = []

    def on_number(container: Any, key: Any, value: str, kind: type) -> None:
        number = parse_number(value, kind)
        if number is not None:
            container[key] = number
            changes.append(f"{value!r} → {number}")

    if isinstance(data, dict):
        _walk_model(data, model, on_number, lambda node, m: None)
    return changes


def reorder_keys(tree: Any, model: type[BaseModel]) -> None:
    """Put every mapping's keys in the field order of its model, in place (comments travel with their key)."""

    def on_model(node: Any, m: type[BaseModel]) -> None:
        order = {name: i for i, name in enumerate(m.model_fields)}
        keys = list(node.keys())
        wanted = sorted(keys, key=lambda k: (order.get(k, len(order)), keys.index(k)))
        if wanted != keys and hasattr(node, "move_to_end"):
            for k in wanted:
                node.move_to_end(k)

    if isinstance(tree, dict):
        _walk_model(tree, model, lambda *a: None, on_model)


def to_plain(data: Any) -> Any:
    """Round-trip YAML data as plain Python: dicts, lists, str, int, float, bool, dates, None."""
    if isinstance(data, dict):
        return {to_plain(k): to_plain(v) for k, v in data.items()}
    if isinstance(data, (list, tuple)):
        return [to_plain(v) for v in data]
    if isinstance(data, bool):
        return bool(data)
    if isinstance(data, str):
        return str(data)
    if isinstance(data, int):
        return int(data)
    if isinstance(data, float):
        return float(data)
    if isinstance(data, dt.datetime):
        return dt.datetime.fromisoformat(data.isoformat())
    if isinstance(data, dt.date):
        return dt.date(data.year, data.month, data.day)
    return data


# YAML 1.1 readers (PyYAML, older editors) take these plain scalars for booleans or
# base-60 numbers; dxplan reads YAML 1.2, where they are text. Quote them so that
# every reader sees the same text.
# ruamel.yaml also writes text such as ``?0`` plainly inside ``{…}``/``[…]``, which
# its own parser then rejects: quote text starting with ``?``, ``:`` or ``-``.
_YAML11_AMBIGUOUS = re.compile(
    r"^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF"
    r"|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?"
    r"|[?:-]\S.*)$",
    re.DOTALL,
)


def quote_ambiguous(tree: Any, flow: bool = False) -> None:
    """Single-quote plain text values that a YAML 1.1 reader would take for a boolean or a base-60 number, in place.

    Also text starting with ``?``, ``:`` or ``-`` and a non-space (``?0``), and, inside a flow
    collection (``{…}``/``[…]``, ``flow``), any text holding a ``:`` (``https://…``, ``a:b``), which
    ruamel.yaml would write unquoted there and then fail to read back. Text in block style keeps its
    plain form (``url: https://…``).
    """
    if isinstance(tree, dict):
        inner = flow or _is_flow(tree)
        for k in list(tree.keys()):
            v = tree[k]
            if _needs_quotes(v, inner):
                tree[k] = SingleQuotedScalarString(v)
            else:
                quote_ambiguous(v, inner)
    elif isinstance(tree, list):
        inner = flow or _is_flow(tree)
        for i, v in enumerate(tree):
            if _needs_quotes(v, inner):
                tree[i] = SingleQuotedScalarString(v)
            else:
                quote_ambiguous(v, inner)


def _is_flow(node: Any) -> bool:
    fa = getattr(node, "fa", None)
    return bool(fa is not None and fa.flow_style())


def _needs_quotes(value: Any, flow: bool) -> bool:
    return type(value) is str and (bool(_YAML11_AMBIGUOUS.match(value)) or (flow and ":" in value))


# --------------------------------------------------------------------------- modeline


def schema_ref(path: Path, kind: Literal["plan", "action"]) -> str | None:
    """Relative path from ``path``'s folder to the repository's schema for ``kind``, or None.

    Looks in ``schemas/`` of each parent folder, up to the repository top (a
    folder with ``.git``) or the file system root.
    """
    path = Path(path).resolve()
    for folder in path.parents:
        candidate = folder / "schemas" / SCHEMA_FILES[kind]
        if candidate.is_file():
            return Path(os.path.relpath(candidate, path.parent)).as_posix()
        if (folder / ".git").exists():
            return None
    return None


def has_modeline(text: str) -> bool:
    """True when the leading comment block already has a ``yaml-language-server`` line."""
    for line in text.splitlines():
        s = line.strip()
        if not s:
            continue
        if not s.startswith("#"):
            return False
        if "yaml-language-server:" in s:
            return True
    return False


# --------------------------------------------------------------------------- formatting


def _dump(tree: Any) -> str:
    out = io.StringIO()
    _yaml().dump(tree, out)
    return out.getvalue()


def _load_errors(path: Path, problems: list[Problem], what: Text) -> FmtError:
    first = problems[0] if problems else None
    if first is None:
        return FmtError(what.msgid, what.params, path=path)
    params = {"what": what, "line": first.line, "column": first.column, "rule": first.rule, "message": first.message}
    return FmtError(N_("{what} ({line}:{column} {rule}: {message})"), params, path=path)


def format_text(text: str, path: Path, *, modeline: bool = True) -> FmtResult:
    """The canonical text for ``text``, the content of plan file ``path``.

    ``path`` decides the model (``plan.yaml`` → Plan, ``actions/*.yaml`` →
    Action), appears in messages and locates the ``schemas/`` folder for the
    modeline (``modeline=False`` leaves the head of the file alone).

    Raises :class:`FmtError` when ``path`` is not a plan file, when ``text`` does
    not load or does not pass the schema (after number normalisation), or when
    the formatted text would not load to the same data.
    """
    path = Path(path)
    model = model_for(path)
    if model is None:
        raise FmtError(N_("not a plan file (plan.yaml or actions/*.yaml)"), path=path)
    if text.startswith("\ufeff"):
        text = text[1:]
    new, expected, numbers = _format_once(text, path, model, modeline)
    _verify(path, model, expected, new)
    # a second pass over the same text gives the same result, so it is only run on changed text
    if new != text and _format_once(new, path, model, modeline)[0] != new:
        raise FmtError(N_("formatting is not stable (a second pass changes it); not written"), path=path)
    return FmtResult(path, text, new, numbers)


def _format_once(text: str, path: Path, model: type[BaseModel], modeline: bool) -> tuple[str, Any, list[str]]:
    """(new text, the old text's plain data after number normalisation, the number changes)."""
    tree, problems = read_roundtrip(path, text)
    if tree is None:
        raise _load_errors(path, problems, Text("does not load, not formatted"))
    expected = to_plain(tree)
    numbers = normalise_numbers(expected, model)
    normalise_numbers(tree, model)
    reorder_keys(tree, model)
    quote_ambiguous(tree)
    new = _dump(tree)
    lost = lost_comments(text, new)
    if lost and restore_comments(tree, text, lost):
        new = _dump(tree)
        lost = lost_comments(text, new)
    if lost:
        line, comment = lost[0]
        raise FmtError(N_("line {line}: the comment '{comment}' would be lost; not formatted"), {"line": line, "comment": comment}, path=path)
    if modeline and not has_modeline(new):
        ref = schema_ref(path, "plan" if model is Plan else "action")
        if ref is not None:
            new = f"{MODELINE}{ref}\n{new}"
    return new, expected, numbers


def _full_line_comments(text: str) -> list[tuple[int, str]]:
    return [(i, ln.strip()) for i, ln in enumerate(text.splitlines(), 1) if ln.strip().startswith("#")]


def lost_comments(old: str, new: str) -> list[tuple[int, str]]:
    """Whole-line comments of ``old`` missing from ``new``: [(1-based line in ``old``, comment)]. Counts repeats."""
    from collections import Counter

    have = Counter(c for _, c in _full_line_comments(new))
    lost = []
    for line, c in _full_line_comments(old):
        if have[c] > 0:
            have[c] -= 1
        else:
            lost.append((line, c))
    return lost


def _seq_items(tree: Any):
    """(sequence, index) of every item of every round-trip sequence in ``tree`` (iteratively)."""
    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            stack.extend(node.values())
        elif isinstance(node, list):
            for i, item in enumerate(node):
                yield node, i
                stack.append(item)


def restore_comments(tree: Any, text: str, lost: list[tuple[int, str]]) -> bool:
    """Re-attach whole-line comments ruamel.yaml dropped while loading, in place; True when any was.

    ruamel.yaml loses a whole-line comment that stands before a ``{…}`` item of a block
    list when the item before it is a ``{…}`` too. Each such comment (and the lost comments
    right above it) is put back before the list item on the next content line.
    """
    lines = text.splitlines()
    items: dict[int, tuple[Any, int]] = {}  # line of a list item -> (its list, its index)
    for seq, i in _seq_items(tree):
        lc = getattr(seq, "lc", None)
        if lc is not None and hasattr(seq, "yaml_set_comment_before_after_key"):
            try:
                items.setdefault(lc.item(i)[0], (seq, i))
            except (KeyError, IndexError, TypeError):
                continue
    groups: dict[int, list[str]] = {}
    for line, comment in lost:
        nxt = line  # 0-based index of the line after the comment
        while nxt < len(lines) and (not lines[nxt].strip() or lines[nxt].strip().startswith("#")):
            nxt += 1
        if nxt < len(lines) and lines[nxt].lstrip().startswith("- ") and nxt in items:
            groups.setdefault(nxt, []).append(comment)
    for nxt, found in groups.items():
        seq, i = items[nxt]
        indent = len(lines[nxt]) - len(lines[nxt].lstrip())
        seq.yaml_set_comment_before_after_key(i, before="\n".join(c.lstrip("#").lstrip(" ") for c in found), indent=indent)
    return bool(groups)


def _verify(path: Path, model: type[Plan] | type[Action], expected: Any, new: str) -> None:
    """Check that ``new`` loads to ``expected`` (plain data) and to the same validated model."""
    ndoc, problems = read_document(path, text=new)
    if ndoc is None:
        raise _load_errors(path, problems, Text("the formatted text would not load; not written"))
    if to_plain(ndoc.tree) != expected:
        raise FmtError(N_("formatting would change the data; not written"), path=path)
    try:
        before = model.model_validate(copy.deepcopy(expected)).model_dump()
    except Exception:  # noqa: BLE001 - any validation failure means: do not format
        _, vproblems = validate(ndoc, model)
        raise _load_errors(path, vproblems, Text("does not pass the schema; run dxplan lint first")) from None
    after, vproblems = validate(ndoc, model)
    if after is None or after.model_dump() != before:
        raise FmtError(N_("formatting would change the data; not written"), path=path)


def format_file(path: Path, *, modeline: bool = True) -> FmtResult:
    """Read and format one plan file (nothing is written). Raises :class:`FmtError` (also for unreadable files)."""
    path = Path(path)
    raw = read_bytes(path)  # the loader's read: size checked before reading
    if not isinstance(raw, bytes):
        _, problems = read_document(path)
        raise _load_errors(path, problems, Text("does not load, not formatted"))
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise FmtError(N_("not UTF-8"), path=path) from None
    return format_text(text, path, modeline=modeline)


# --------------------------------------------------------------------------- many files


@dataclass
class FmtEntry:
    """What happened to one file: ``outcome`` is ``unchanged``, ``formatted`` (written), ``would_change`` (``--check``) or ``failed`` (``error`` says why)."""

    path: Path
    outcome: Literal["unchanged", "formatted", "would_change", "failed"]
    error: FmtError | None = None
    #: With ``diff``: what formatting changes, as a unified diff (:func:`unified_diff`), else "".
    diff: str = ""


@dataclass
class FmtReport:
    """The outcome of :func:`format_paths` (black's ``Report``): one entry per plan file, in order.

    ``check``: nothing was written, files that would change were listed.
    """

    check: bool = False
    entries: list[FmtEntry] = field(default_factory=list)

    def _count(self, *outcomes: str) -> int:
        return sum(e.outcome in outcomes for e in self.entries)

    @property
    def changed(self) -> int:
        """Files formatted, or (``check``) that would be."""
        return self._count("formatted", "would_change")

    @property
    def unchanged(self) -> int:
        """Files already in the canonical layout."""
        return self._count("unchanged")

    @property
    def failed(self) -> int:
        """Files that could not be formatted safely, read or written."""
        return self._count("failed")

    @property
    def total(self) -> int:
        return len(self.entries)

    @property
    def return_code(self) -> int:
        """1 (:data:`~dxplan.problems.EXIT_PROBLEMS`) when a file failed or ``check`` found files to change, else 0."""
        return EXIT_PROBLEMS if self.failed or (self.check and self.changed) else EXIT_OK

    def summary(self, lang: str = "ja") -> str:
        """The closing lines (for stderr), ``""`` when there is nothing to say.

        With ``check``: how many of the files would be reformatted (or that all
        are formatted); then, when files failed, how many and what to do.
        """
        lines = []
        if self.check:
            n, total = self.changed, self.total
            if n:
                lines.append(t(lang, "{n} of {total} file(s) would be reformatted — run dxplan fmt", n=n, total=total))
            else:
                lines.append(t(lang, "all {total} file(s) are formatted", total=total))
        if self.failed:
            lines.append(
                "dxplan: "
                + t(lang, "{failed} file(s) not formatted; fix them (dxplan lint) and run again", failed=self.failed)
            )
        return "\n".join(lines)


def format_paths(paths: list[Path], *, check: bool = False, modeline: bool = True, diff: bool = False) -> FmtReport:
    """Format every plan file under ``paths`` (plan folders, folders of plans or files in a plan).

    Writes each changed file atomically unless ``check`` or ``diff``; with ``diff`` each entry that
    would change holds its unified diff (:attr:`FmtEntry.diff`). A file that cannot be formatted
    safely or written is a ``failed`` entry; the others go on. Raises
    :class:`dxplan.files.layout.PlanNotFound` for a path that names no plan.
    """
    report = FmtReport(check)
    write = not (check or diff)
    for root, only in discover(paths):
        if write:
            for folder in (root, root / "actions"):
                remove_stale(folder)
        for path in plan_files(root, only):
            report.entries.append(_format_one(path, write, modeline, diff))
    return report


def unified_diff(res: FmtResult) -> str:
    """What formatting changes in one file, as ``git diff`` shows it (``--- a/path``, ``+++ b/path`` for a
    relative path, the path itself twice for an absolute one), "" when nothing."""
    import difflib

    name = res.path.as_posix()
    old, new = (name, name) if res.path.is_absolute() else (f"a/{name}", f"b/{name}")
    lines = difflib.unified_diff(res.old.splitlines(keepends=True), res.new.splitlines(keepends=True), old, new)
    return "".join(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in lines)


def _format_one(path: Path, write: bool, modeline: bool, diff: bool) -> FmtEntry:
    try:
        res = format_file(path, modeline=modeline)
    except FmtError as exc:
        return FmtEntry(path, "failed", exc)
    if not res.changed:
        return FmtEntry(path, "unchanged")
    if not write:
        return FmtEntry(path, "would_change", diff=unified_diff(res) if diff else "")
    try:
        write_atomic(path, res.new)
    except OSError as exc:
        reason = exc.strerror or exc
        return FmtEntry(path, "failed", FmtError(N_("cannot write ({reason})"), {"reason": reason}, path=path))
    return FmtEntry(path, "formatted")
