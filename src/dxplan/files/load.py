"""Loading: a plan folder's files → models, with file/line/column positions.

One loader, :func:`load_plan`, reads a plan folder from a *file source*: a
folder on disk (:class:`DiskSource`) or a plan folder in a git tree at a
revision (:class:`GitSource`, read through :mod:`dxplan.files.gitio`). Both go through
the same steps: decode UTF-8, parse YAML with the one safe reader (:mod:`dxplan.yamlread`; fast, through the
results cache (:mod:`dxplan.files.result_cache`) keyed by content and limits, when
positions are not needed; positions are then computed lazily for files with
findings), validate against the model, position every problem.

The loader never raises for bad input. Every problem it meets (not UTF-8, empty
file, YAML syntax error, duplicate key, schema error) becomes a
:class:`~dxplan.problems.Problem` with the file, the 1-based line and column and
a rule id, and the file is left out of the loaded plan. Git documents carry the
working-tree path (``repo/<file>``), so messages name the file a reviewer knows.

The folder layout (``plan.yaml``, ``actions/*.yaml``) and the discovery of plan
folders from command-line paths live in :mod:`dxplan.files.layout`.
"""

from __future__ import annotations

import dataclasses
import io
import os
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from pydantic import ValidationError

from . import gitio, layout as planfiles, result_cache
from dxplan.i18n import N_, Text
from dxplan.model.loaded import Document, LoadedAction, LoadedPlan, clamp
from dxplan.yamlread import Limits, YamlFault, check_lines, parse
from .transaction import JOURNAL, recover, unfinished_commit
from .disk import DiskSource, FileTooLarge, read_bytes
from dxplan.model.schema import Action, Plan
from .layout import PLAN_FILE
from dxplan.problems import Problem
from dxplan.rules import load_rules

__all__ = ["FileTooLarge", "read_bytes", "read_roundtrip", "Limits", "Document", "LoadedAction", "LoadedPlan", "DiskSource", "GitSource", "FileSource", "load_plan", "load_file", "FileMemo", "load_plans_at", "read_document", "validate", "decode"]


#: What a ``limit-exceeded`` problem says was too big, by :class:`~dxplan.yamlread.YamlFault` ``what``.
_LIMIT_WHAT = {
    "file": (N_("the file's size in bytes"), "DXPLAN_MAX_FILE_BYTES"),
    "line": (N_("the length of this line in characters"), "DXPLAN_MAX_LINE_CHARS"),
    "depth": (N_("the nesting depth of mappings and lists"), "DXPLAN_MAX_DEPTH"),
    "aliases": (N_("the number of nodes reached through aliases"), "DXPLAN_MAX_ALIAS_NODES"),
    "digits": (N_("the number of digits in this number"), "-"),
    "actions": (N_("the number of action files in this plan"), "DXPLAN_MAX_ACTIONS"),
}


def limit_problem(path: Path, line: int, col: int, what: str, limit: int) -> Problem:
    """A positioned ``limit-exceeded`` problem: ``what`` (a key of the limits) is over ``limit``."""
    word, variable = _LIMIT_WHAT[what]
    return load_rules()["limit-exceeded"].problem(path, line, col, what=Text(word), limit=f"{limit:,}", variable=variable)


def fault_problem(path: Path, fault: YamlFault, text: str) -> Problem:
    """The positioned problem for text the reader refused (inside ``text``, 1-based)."""
    line, col = clamp(text, fault.line, fault.column)
    rules = load_rules()
    p = fault.params
    if fault.rule == "limit":
        return limit_problem(path, line, col, p["what"], p["limit"])
    if fault.rule == "yaml-tag":
        reason = (Text("'{value}' is not a valid {tag}", value=p["value"], tag=p["tag"]) if p.get("value")
                  else Text("dxplan reads plain data and the standard tags !!str, !!int, !!float, !!bool, !!null, !!timestamp"))
        return rules["yaml-tag"].problem(path, line, col, tag=p["tag"], reason=reason)
    if fault.rule == "duplicate-key":
        return rules["duplicate-key"].problem(path, line, col, key=p["key"])
    problem = rules["yaml-syntax"].problem(path, line, col, detail=p.get("detail", ""))
    hint = syntax_hint(text, line, p.get("detail", ""))
    return with_hint(problem, hint) if hint else problem


def read_document(
    path: Path, text: str | None = None, *, fast: bool = False, limits: Limits | None = None, key: bytes | None = None,
) -> tuple[Document | None, list[Problem]]:
    """Read and parse one YAML file through the one safe reader (:func:`dxplan.yamlread.parse`). Returns (document or None, problems).

    ``text`` may be given to parse content that is not on disk (e.g. a file at a
    git revision); ``path`` is then only used in messages. ``fast=True`` records no
    positions (they are computed when first asked for) and serves the data from
    the results cache (keyed by the text and the limits, holding only data this reader
    accepted); the accept/refuse decision is the same either way. ``limits``:
    default :meth:`~dxplan.yamlread.Limits.from_env`. ``key``: the text's cache key when the caller has it
    (:func:`dxplan.files.result_cache.bytes_key` of the file's bytes), else computed from the text. The
    document's ``tree`` is plain data (dicts, lists, scalars). Never raises for bad input.
    """
    limits = limits or Limits.from_env()
    if text is None:
        data = read_bytes(path, limits)
        if not isinstance(data, bytes):
            return None, [_unread_problem(path, data, limits)]
        text, problems = decode(path, data)
        if text is None:
            return None, problems
    if len(text) > limits.file_bytes:  # text given directly (git, a formatter): the same bound
        return None, [limit_problem(path, 1, 1, "file", limits.file_bytes)]
    parsed = None
    try:
        if fast:
            check_lines(text, limits)
            key = key if key is not None else result_cache.text_key(text, limits.key)
            tree = result_cache.get_data(key)
            if not isinstance(tree, dict):  # only data the safe reader accepted under these limits is ever stored
                parsed = parse(text, limits)
                tree = parsed.data
                if isinstance(tree, dict):
                    result_cache.put_data(key, tree)
        else:
            parsed = parse(text, limits, positions=True)
            tree = parsed.data
    except YamlFault as fault:
        return None, [fault_problem(path, fault, text)]
    if tree is None:
        return None, [load_rules()["empty-file"].problem(path, 1, 1)]
    doc = Document(path, text, tree, parsed)
    if not isinstance(tree, dict):
        line, col = doc.position(())
        return None, [load_rules()["wrong-type"].problem(path, line, col, where="(file)", detail="a mapping (key: value)")]
    return doc, []


def read_roundtrip(path: Path, text: str) -> tuple[Any, list[Problem]]:
    """The ruamel.yaml round-trip tree of ``text`` (comments and layout kept, for writers such as fmt), or None and problems.

    The text is first read by the one safe reader (:func:`read_document`), so a file
    any command refuses is refused here too, with the same problem; only then is
    it parsed again by ruamel.yaml's round-trip loader. A text that round-trip
    loader alone cannot read becomes a positioned ``yaml-syntax`` problem.
    """
    from ruamel.yaml import YAML  # the round-trip loader: only for the commands that rewrite files
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    doc, problems = read_document(path, text)
    if doc is None:
        return None, problems
    y = YAML(typ="rt")
    y.allow_duplicate_keys = False
    try:
        return y.load(io.StringIO(text)), []
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = clamp(text, mark.line + 1, mark.column + 1) if mark else (1, 1)
        detail = " ".join(str(p) for p in (exc.context, exc.problem) if p)
        return None, [load_rules()["yaml-syntax"].problem(path, line, col, detail=detail)]
    except (YAMLError, RecursionError, ValueError, TypeError, KeyError) as exc:
        return None, [load_rules()["yaml-syntax"].problem(path, 1, 1, detail=f"{type(exc).__name__}: {exc}"[:200])]


def decode(path: Path, raw: bytes) -> tuple[str | None, list[Problem]]:
    """The text of a file's bytes (UTF-8, a leading BOM dropped), or None and an ``encoding`` problem.

    The problem points at the line and column (1-based, in bytes of that line) of
    the first byte that is not UTF-8.
    """
    try:
        return raw.decode("utf-8-sig"), []
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        col = exc.start - (before.rfind(b"\n") + 1) + 1
        return None, [load_rules()["encoding"].problem(path, line, col, byte=f"0x{raw[exc.start]:02x}")]


def _io_problem(path: Path, exc: OSError) -> Problem:
    return load_rules()["io-error"].problem(path, 1, 1, reason=exc.strerror or str(exc))


def _unread_problem(path: Path, why: OSError | FileTooLarge, limits: Limits) -> Problem:
    if isinstance(why, FileTooLarge):
        return limit_problem(path, 1, 1, "file", limits.file_bytes)
    return _io_problem(path, why)


def validate(doc: Document, model: type[Plan] | type[Action]) -> tuple[Any, list[Problem]]:
    """Validate a parsed document against ``model``; schema errors become positioned problems."""
    try:
        return model.model_validate(doc.tree), []
    except ValidationError as exc:
        return None, _schema_problems(doc, model, exc)


def without_schema_errors(doc: Document, model: type[Action], rounds: int = 5) -> Action | None:
    """``doc`` validated as ``model`` after leaving out each value a schema error is about (an unknown key,
    a value of the wrong type), for lint's rules to check the rest of the file in the same run; None when
    an error is a missing field, or cannot be left out, or ``rounds`` tries do not give a valid model.
    The document itself is not changed (a copy is).
    """
    import copy

    tree = copy.deepcopy(doc.tree)
    for _ in range(rounds):
        try:
            return model.model_validate(tree)
        except ValidationError as exc:
            for err in exc.errors(include_url=False):
                if err["type"] == "missing" or not _leave_out(tree, tuple(err["loc"])):
                    return None
    return None


def _leave_out(tree: Any, loc: tuple[Any, ...]) -> bool:
    """Remove from ``tree`` the mapping entry deepest along ``loc`` (a pydantic error location); False when
    there is none (an error about a list item itself, or the whole document)."""
    node, last = tree, None
    for step in loc:
        if isinstance(node, dict) and step in node:
            last = (node, step)
            node = node[step]
        elif isinstance(node, list) and isinstance(step, int) and 0 <= step < len(node):
            node = node[step]
        else:  # a union branch's name, or past the data: the entry found so far is the one at fault
            break
    if last is None:
        return False
    parent, key = last
    del parent[key]
    return True


def _schema_problems(doc: Document, model: type, exc: ValidationError) -> list[Problem]:
    from dxplan.rules import classify_schema_error

    problems = []
    seen = set()
    for err in exc.errors(include_url=False):
        loc = tuple(err["loc"])
        rule, params = classify_schema_error(err, model, doc)
        line, col = doc.position(loc, key=rule.ID == "unknown-key")
        sig = (rule.ID, line, col)
        if sig in seen:  # union branches repeat the same complaint
            continue
        seen.add(sig)
        problem = rule.problem(doc.path, line, col, **params)
        hint = schema_hint(doc, err, rule.ID)
        problems.append(with_hint(problem, hint) if hint else problem)
    return problems


# --------------------------------------------------------------------------- hints for newcomers' YAML

_NUMBER_TYPES = ("int_type", "int_parsing", "float_type", "float_parsing", "decimal_type", "decimal_parsing")


def with_hint(problem: Problem, hint: Text) -> Problem:
    """``problem`` with ``hint`` (worded in each language) after its message."""
    return dataclasses.replace(problem, message_ja=f"{problem.message_ja} {hint('ja')}", message_en=f"{problem.message_en} {hint('en')}")


def _quoted(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def schema_hint(doc: Document, err: Any, rule_id: str) -> Text | None:
    """The fix for a schema error that a YAML habit caused, or None.

    - an unknown key with no value inside a flow mapping, after a key whose value is a number: the
      value had an unquoted comma (``{text: 2,000件以上}`` reads as ``text: 2`` and a key
      ``000件以上``) — quote it; the same hint on the ``wrong-type`` error of the number before it
      (``text: 2`` where text is expected);
    - a string of full-width digits (``１００``) where a number is expected — write ASCII digits.
    """
    loc = tuple(err["loc"])
    if rule_id in ("unknown-key", "wrong-type") and loc:
        comma = _comma_hint(doc, loc, rule_id)
        if comma is not None:
            return comma
    value = err.get("input")
    if err.get("type") in _NUMBER_TYPES and isinstance(value, str):
        ascii_value = unicodedata.normalize("NFKC", value).strip()
        if ascii_value != value.strip() and re.fullmatch(r"[-+]?\d+(\.\d+)?", ascii_value.replace(",", "")):
            return Text("— {value} is written with full-width digits; write the number with ASCII digits: {number}.", value=value, number=ascii_value.replace(",", ""))
    return None


def _comma_hint(doc: Document, loc: tuple, rule_id: str) -> Text | None:
    """The unquoted-comma hint of :func:`schema_hint` for the error at ``loc``: ``unknown-key`` at the key
    holding no value (``000件以上``), ``wrong-type`` at the number before it (``text: 2``); None otherwise."""
    parent: Any = doc.tree
    for part in loc[:-1]:
        parent = parent[part] if isinstance(parent, (dict, list)) and _has(parent, part) else None
    if not isinstance(parent, dict) or loc[-1] not in parent:
        return None
    keys = list(parent)
    i = keys.index(loc[-1])
    if rule_id == "unknown-key":
        if parent[loc[-1]] is not None or i == 0:
            return None
        before, after = keys[i - 1], loc[-1]
    else:
        if i + 1 >= len(keys) or parent[keys[i + 1]] is not None:
            return None
        before, after = loc[-1], keys[i + 1]
    number = parent[before]
    if isinstance(number, bool) or not isinstance(number, (int, float)):
        return None
    line = doc.text.splitlines()[doc.position((*loc[:-1], after), key=True)[0] - 1] if doc.text else ""
    if "{" not in line:
        return None
    return Text("A comma inside {{…}} separates entries: quote a value that holds one ({key}: {quoted}).", key=before, quoted=_quoted(f"{number},{after}"))


def _has(container: Any, part: Any) -> bool:
    if isinstance(container, list):
        return isinstance(part, int) and 0 <= part < len(container)
    try:
        return part in container
    except TypeError:
        return False


def syntax_hint(text: str, line: int, detail: str) -> Text | None:
    """The fix for a YAML syntax error a newcomer makes, or None: a value holding ``: `` unquoted
    (``title: 目標: 100件``, "mapping values are not allowed here") — quote the value."""
    if "mapping values are not allowed" not in detail:
        return None
    lines = text.splitlines()
    source = lines[line - 1] if 0 < line <= len(lines) else ""
    m = re.match(r"^(\s*(?:-\s+)?)([^:#'\"\s][^:]*?):\s+(.*\S)\s*$", source)
    if not m:
        return None
    return Text("A value that holds ': ' must be quoted: {key}: {quoted}.", key=m.group(2), quoted=_quoted(m.group(3)))


def _read_valid(
    path: Path, model: type[Plan] | type[Action], fast: bool, text: str, limits: Limits, key: bytes | None = None,
) -> tuple[Document | None, Any, list[Problem]]:
    doc, problems = read_document(path, text, fast=fast, limits=limits, key=key)
    if doc is None:  # not YAML: read_document already positioned the problem
        return None, None, problems
    obj, more = validate(doc, model)
    return doc, obj, problems + more


def _load_file(
    path: Path, model: type[Plan] | type[Action], fast: bool, data: bytes | OSError | FileTooLarge, limits: Limits, key: bytes | None = None,
) -> tuple[Document | None, Any, list[Problem]]:
    if not isinstance(data, bytes):
        return None, None, [_unread_problem(path, data, limits)]
    text, problems = decode(path, data)
    if text is None:
        return None, None, problems
    return _read_valid(path, model, fast, text, limits, key)


# --------------------------------------------------------------------------- file sources


class FileSource(Protocol):
    """Where a plan folder's files come from. ``root`` is the folder's path as messages show it."""

    @property
    def root(self) -> Path: ...

    def action_paths(self) -> list[Path]:
        """The action files of the folder (paths under ``root``), sorted by name."""
        ...

    def read(self, paths: list[Path]) -> dict[Path, bytes | OSError | FileTooLarge]:
        """The bytes of each path, or the OSError (or :class:`FileTooLarge`) saying why it cannot be read."""
        ...


@dataclass
class GitSource:
    """Plan folder ``rel`` (repository-relative posix, ``""`` for the top) of ``repo`` as it is at ``commit``.

    ``tree``: the ``git ls-tree`` listing (name → blob id, see
    :func:`dxplan.files.gitio.ls_tree`) covering at least that folder; listed when
    omitted. Files are read by blob id in one ``git cat-file`` call, or through ``reader`` (a long-lived
    :class:`dxplan.files.gitio.BlobReader` of ``repo``) when given. Paths are
    ``repo/<name>``, the working-tree path of each file. Raises
    :class:`dxplan.files.gitio.GitError` only when git itself fails.
    """

    repo: Path
    commit: str
    rel: str
    tree: dict[str, str] | None = None
    reader: gitio.BlobReader | None = None

    def __post_init__(self) -> None:
        self.rel = self.rel.strip("/")
        if self.tree is None:
            self.tree = gitio.ls_tree(self.commit, self.rel, self.repo)

    @property
    def root(self) -> Path:
        return self.repo / self.rel if self.rel else self.repo

    def action_paths(self) -> list[Path]:
        """The action files listed in ``tree`` for this folder (see :func:`dxplan.files.layout.action_names`)."""
        return [self.repo / name for name in planfiles.action_names(list(self.tree or {}), self.rel)]

    def read(self, paths: list[Path]) -> dict[Path, bytes | OSError | FileTooLarge]:
        """Each file's bytes at ``commit``; ``FileNotFoundError`` for a path not in the tree,
        :class:`FileTooLarge` for a blob over the size limit (its size is asked of git first; it is never read)."""
        tree = self.tree or {}
        limit = Limits.from_env().file_bytes
        names = {p: p.relative_to(self.repo).as_posix() for p in paths}
        if self.reader is not None:
            found = self.reader.read_many([tree[n] for n in names.values() if n in tree], limit)
            return {p: self._read_one(found.get(tree[n]) if n in tree else None) for p, n in names.items()}
        ids = [tree[n] for n in names.values() if n in tree]
        sizes = gitio.blob_sizes(ids, self.repo)
        blobs = gitio.read_blobs([i for i in ids if sizes.get(i, 0) <= limit], self.repo)
        out: dict[Path, bytes | OSError | FileTooLarge] = {}
        for p, name in names.items():
            oid = tree.get(name)
            if oid is not None and sizes.get(oid, 0) > limit:
                out[p] = FileTooLarge(sizes[oid])
                continue
            data = blobs.get(oid) if oid is not None else None
            out[p] = data if data is not None else FileNotFoundError(f"not in {self.commit[:12]}")
        return out

    def _read_one(self, data: bytes | int | None) -> bytes | OSError | FileTooLarge:
        if isinstance(data, int):
            return FileTooLarge(data)
        return data if data is not None else FileNotFoundError(f"not in {self.commit[:12]}")

    def content_ids(self, paths: list[Path]) -> dict[Path, str]:
        """The blob id of each path that is in ``tree`` (what :func:`load_plan`'s ``memo`` keys files by)."""
        tree = self.tree or {}
        names = {p: p.relative_to(self.repo).as_posix() for p in paths}
        return {p: tree[n] for p, n in names.items() if n in tree}


# --------------------------------------------------------------------------- the loader


def load_file(source: FileSource, path: Path, model: type[Plan] | type[Action]) -> tuple[Document | None, Any, list[Problem]]:
    """One file of ``source`` read, parsed (without positions) and validated as :func:`load_plan` does:
    (document or None, the model or None, the file's problems). Never raises for bad input."""
    limits = Limits.from_env()
    return _load_file(path, model, True, source.read([path])[path], limits)


FileMemo = dict[tuple[Path, str], tuple[Document | None, Any, list[Problem]]]
"""What :func:`load_plan` read from each file, by (path, content id): the document, the validated model
(None when it did not validate) and the file's problems. Owned by the caller, who decides what to keep."""


def load_plan(root: Path | FileSource, only: set[Path] | None = None, *, positions: bool = True, memo: FileMemo | None = None) -> LoadedPlan:
    """Load a plan folder: ``root`` is a folder on disk or a :class:`FileSource` (e.g. :class:`GitSource`).

    ``only``: action files (resolved paths) to report problems for; all are
    loaded for plan-wide checks. ``positions=False`` parses good files without
    line/column information (several times faster, and served from the parse
    cache); files with problems are still reported with positions. Lint needs
    positions for every finding, so it loads with ``positions=True``.
    ``memo``: for a source that names its files' contents (``content_ids``, as :class:`GitSource`
    does with blob ids), a file whose (path, content id) is in ``memo`` is neither read nor parsed
    nor validated again, and every file read is added to it; the models in it are shared by the
    plans loaded with it, so they must not be changed.
    Never raises for bad input (see the module docstring).
    """
    limits = Limits.from_env()
    overlay: dict[str, Path] = {}
    if isinstance(root, (str, Path)) and recover(Path(root)) == "unfinished":  # an import killed while writing
        overlay = unfinished_commit(Path(root))  # cannot be finished here: read its staged files instead
    source = DiskSource(Path(root), limits, overlay=overlay) if isinstance(root, (str, Path)) else root
    fast = not positions
    plan_path = source.root / PLAN_FILE
    action_paths = source.action_paths()
    over: list[Problem] = []
    if len(action_paths) > limits.actions:
        over = [limit_problem(action_paths[limits.actions], 1, 1, "actions", limits.actions)]
        action_paths = action_paths[: limits.actions]
    paths = [plan_path, *action_paths]
    content_ids = getattr(source, "content_ids", None)
    ids: dict[Path, str] = content_ids(paths) if memo is not None and content_ids is not None else {}
    data = source.read([p for p in paths if p not in ids or (p, ids[p]) not in (memo or {})])
    keys: dict[Path, bytes] = getattr(source, "keys", {})  # the files' cache keys, when the source computed them

    def load_file(path: Path, model: type[Plan] | type[Action]) -> tuple[Document | None, Any, list[Problem]]:
        key = (path, ids[path]) if path in ids else None
        if memo is not None and key is not None and key in memo:
            return memo[key]
        result = _load_file(path, model, fast, data[path], limits, keys.get(path))
        if memo is not None and key is not None:
            memo[key] = result
        return result

    doc, plan, problems = load_file(plan_path, Plan)
    problems = list(problems)
    listing_error = getattr(source, "listing_error", None)
    if listing_error is not None:
        reason = f"{planfiles.ACTIONS_DIR}/: {listing_error.strerror or listing_error}"
        problems.append(load_rules()["io-error"].problem(plan_path, 1, 1, reason=reason))
    if overlay:
        problems.append(load_rules()["unfinished-import"].problem(source.root / JOURNAL, 1, 1, count=len(overlay)))
    loaded = LoadedPlan(root=source.root, plan=plan, plan_doc=doc if plan else None, problems=problems + over)
    for path in action_paths:
        adoc, action, aproblems = load_file(path, Action)
        if action is not None:
            assert adoc is not None, "a validated action was read from a document"
            loaded.actions.append(LoadedAction(action, adoc))
        elif adoc is not None and (repaired := without_schema_errors(adoc, Action)) is not None:
            loaded.repaired.append(LoadedAction(repaired, adoc))
        if only is None or Path(os.path.realpath(path)) in only:
            loaded.problems += aproblems
    return loaded


def load_plans_at(repo: Path, commit: str | None, scope: str = "") -> dict[str, LoadedPlan]:
    """Every plan ``scope`` names in ``repo`` at ``commit`` (None: the working tree), by repository-relative plan folder.

    ``scope`` is repository-relative: a plan folder, a folder of plans or a file
    in a plan (``""`` for the whole repository; see
    :func:`dxplan.files.layout.plan_roots_in`). Loaded without positions (computed on
    demand). Raises :class:`dxplan.files.gitio.GitError` when git fails.
    """
    if commit is None:
        return {root: load_plan(repo / root if root else repo, positions=False) for root in planfiles.worktree_plan_roots(repo, scope)}
    tree, roots = plan_roots_at(repo, commit, scope)
    return {root: load_plan(GitSource(repo, commit, root, tree), positions=False) for root in roots}


def plan_roots_at(repo: Path, commit: str, scope: str = "") -> tuple[dict[str, str], list[str]]:
    """The ``git ls-tree`` listing (name → blob id) under ``scope`` at ``commit`` and the plan folders it holds
    (repository-relative; ``scope`` as in :func:`load_plans_at`, a file in a plan included). Reads no file.
    Raises :class:`dxplan.files.gitio.GitError` when git fails."""
    tree = gitio.ls_tree(commit, scope, repo)
    roots = planfiles.plan_roots_in(list(tree), scope)
    if scope and not roots:
        # the scope may be a file in a plan folder (plan.yaml or actions/x.yaml): look two levels up
        up = Path(scope).parent.parent.as_posix()
        tree = gitio.ls_tree(commit, "" if up == "." else up, repo)
        roots = planfiles.plan_roots_in(list(tree), scope)
    return tree, roots
