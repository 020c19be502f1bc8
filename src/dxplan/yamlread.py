"""The one way dxplan reads YAML text: bounded, safe, and with positions.

Every command reads plan files through :func:`parse` (via :mod:`dxplan.files.load`), so
what ``lint`` accepts the other commands can use and what they would refuse lint
reports, with the same position.

How it reads: the YAML event stream of ruamel.yaml's parser (libyaml through
ruamel.yaml.clib when installed, else the pure-Python parser) is turned into plain
data — ``dict``, ``list``, ``str``, ``int``, ``float``, ``bool``, ``None``,
``datetime.date``/``datetime.datetime`` (a float is a :class:`dxplan.numbers.WrittenFloat`, keeping the
decimals its text was written with) — by an iterative loop here (no recursion,
so no depth can overflow the stack). Nothing is ever constructed by a tag:

- plain scalars are typed by the YAML 1.2 core rules (ruamel.yaml's table); a plain
  scalar that looks like a date but is not one (``2025-02-30``) stays text, for the
  schema to report;
- explicit tags other than the standard ``!!str``, ``!!int``, ``!!float``,
  ``!!bool``, ``!!null``, ``!!timestamp``, ``!!map``, ``!!seq`` (and ``!``) are
  refused; a standard tag's value is checked against that tag
  (``!!int x``, ``!!timestamp 2025-02-30`` are refused), never passed to a constructor;
- duplicate keys (also a key repeated next to a merge key ``<<``), complex keys
  (``? [a, b]``), undefined or recursive aliases and several documents in one
  file are refused;
- merge keys (``<<: *base``) are applied as YAML 1.1 defines them: keys written in
  the mapping win over merged ones, earlier merged mappings over later ones.

Limits (:class:`Limits`, from the environment by :meth:`Limits.from_env`; README
"Limits") bound the work before it can hurt: file size (checked before reading,
by :mod:`dxplan.files.load`), line length (checked before parsing), nesting depth,
nodes reached through aliases ("billion laughs"), and number of action files
per plan (:mod:`dxplan.files.load`). Each refusal is a :class:`YamlFault` with a
1-based line and column inside the text.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING, Any

from dxplan.numbers import WrittenFloat, represent_written_floats, written_decimals

if TYPE_CHECKING:
    from ruamel.yaml import events as ev
    from ruamel.yaml.error import YAMLError
    from ruamel.yaml.util import LazyEval

# ruamel.yaml is imported when a text is parsed, not with this module: a command answered from
# the results cache (``dxplan status`` on unchanged plans) reads Limits and check_lines only.

__all__ = ["Limits", "YamlFault", "Marks", "Parsed", "parse", "check_lines"]


# --------------------------------------------------------------------------- limits

_ENV = {
    "file_bytes": "DXPLAN_MAX_FILE_BYTES",
    "line_chars": "DXPLAN_MAX_LINE_CHARS",
    "depth": "DXPLAN_MAX_DEPTH",
    "alias_nodes": "DXPLAN_MAX_ALIAS_NODES",
    "actions": "DXPLAN_MAX_ACTIONS",
}


@dataclass(frozen=True)
class Limits:
    """Bounds on what one plan file (or plan folder) may hold; past one, the file is refused.

    ``file_bytes``: size of one file in bytes (default 1 MiB; the largest bundled file is 37 KB).
    ``line_chars``: characters on one line (default 10,000).
    ``depth``: nesting of mappings and sequences (default 64; a category tree of 32 levels).
    ``alias_nodes``: nodes reached through aliases, counted as if written out (default 10,000).
    ``actions``: action files in one plan folder (default 5,000).
    Each can be set with an environment variable (``DXPLAN_MAX_FILE_BYTES``,
    ``DXPLAN_MAX_LINE_CHARS``, ``DXPLAN_MAX_DEPTH``, ``DXPLAN_MAX_ALIAS_NODES``,
    ``DXPLAN_MAX_ACTIONS``; a positive integer), never from the plan itself.
    """

    file_bytes: int = 1 << 20
    line_chars: int = 10_000
    depth: int = 64
    alias_nodes: int = 10_000
    actions: int = 5_000

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Limits:
        """The defaults, overridden by the ``DXPLAN_MAX_*`` variables that hold a positive integer."""
        environ = os.environ if environ is None else environ
        values: dict[str, int] = {}
        for name, var in _ENV.items():
            raw = environ.get(var, "").strip().replace("_", "")
            if raw.isdigit() and int(raw) > 0:
                values[name] = int(raw)
        return cls(**values)

    @property
    def key(self) -> str:
        """A short text naming these limits (part of the parse cache's key)."""
        return f"{self.file_bytes}/{self.line_chars}/{self.depth}/{self.alias_nodes}"


class YamlFault(Exception):
    """Why a text was refused: ``rule`` (a lint rule id), 1-based ``line``/``column``, message ``params``.

    ``rule`` is one of ``yaml-syntax``, ``duplicate-key``, ``yaml-tag``, ``limit``.
    """

    def __init__(self, rule: str, line: int, column: int, **params: Any) -> None:
        super().__init__(f"{line}:{column}: {rule} {params}")
        self.rule = rule
        self.line = max(int(line), 1)
        self.column = max(int(column), 1)
        self.params = params


# --------------------------------------------------------------------------- positions


@dataclass
class Marks:
    """Where a mapping or sequence and its parts are: 0-based (line, column) pairs.

    ``start``: the container. ``keys``: for a mapping, key → (key line, key column,
    value line, value column). ``items``: for a sequence, the start of each item.
    """

    start: tuple[int, int]
    keys: dict[Any, tuple[int, int, int, int]] = field(default_factory=dict)
    items: list[tuple[int, int]] = field(default_factory=list)


@dataclass
class Parsed:
    """A parsed document: its ``data`` (None for an empty document) and, when asked, ``marks``.

    ``marks`` maps ``id(container)`` → :class:`Marks` for every mapping and sequence
    of ``data`` (valid as long as ``data`` is alive); None when parsed without positions.
    """

    data: Any
    marks: dict[int, Marks] | None
    start: tuple[int, int] = (0, 0)

    def position(self, loc: tuple[Any, ...], *, key: bool = False) -> tuple[int, int]:
        """1-based (line, column) of the node at ``loc`` (a pydantic-style path of keys and indexes).

        Follows ``loc`` as far as it reaches; a missing key points at the mapping
        that should hold it. ``key=True`` points at a mapping key rather than its value.
        """
        marks = self.marks or {}
        node = self.data
        line, col = self.start
        m = marks.get(id(node))
        if m is not None:
            line, col = m.start
        for i, part in enumerate(loc):
            m = marks.get(id(node))
            if m is None:
                break
            last = i == len(loc) - 1
            if isinstance(node, dict):
                try:
                    found = part in node and part in m.keys
                except TypeError:  # an unhashable part
                    found = False
                if not found:
                    break
                kl, kc, vl, vc = m.keys[part]
                if last and key:
                    return kl + 1, kc + 1
                line, col = vl, vc
                node = node[part]
            elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(m.items):
                line, col = m.items[part]
                node = node[part]
            else:
                break
        return line + 1, col + 1


# --------------------------------------------------------------------------- scalars

_TAG = "tag:yaml.org,2002:"
_STANDARD_SCALAR = {"str", "int", "float", "bool", "null", "timestamp"}


@cache
def _resolvers() -> dict[str, list[tuple[str, LazyEval]]]:
    """ruamel.yaml's YAML 1.2 implicit resolvers by first character: ``{char: [(type, regexp)]}``
    (each regexp a LazyEval that compiles its pattern when first used and then acts as it)."""
    from ruamel.yaml.resolver import implicit_resolvers

    table: dict[str, list[tuple[str, LazyEval]]] = {}
    for versions, tag, regexp, first in implicit_resolvers:
        if (1, 2) in versions:
            for ch in first:
                table.setdefault(ch, []).append((tag[len(_TAG):], regexp))
    return table


_BOOL = {"true": True, "false": False}
_MISSING = object()
_MAX_DIGITS = 4000  # Python refuses str -> int past 4,300 digits; numbers here have far fewer


def _implicit_tag(value: str) -> str:
    """The core-schema type of a plain scalar: ``str``, ``int``, ``float``, ``bool``, ``null``, ``timestamp``, ``merge``…"""
    for tag, regexp in _resolvers().get(value[:1], []):
        if regexp.match(value):
            return tag
    return "str"


def _int(value: str) -> int:
    s = value.replace("_", "")
    sign = -1 if s[:1] == "-" else 1
    s = s.lstrip("+-")
    if len(s) > _MAX_DIGITS:
        raise ValueError("too many digits")
    for prefix, base in (("0b", 2), ("0x", 16), ("0o", 8)):
        if s.startswith(prefix):
            return sign * int(s[2:], base)
    return sign * int(s)


def _float(value: str) -> float:
    s = value.replace("_", "").lower()
    sign = -1.0 if s[:1] == "-" else 1.0
    s = s.lstrip("+-")
    if s == ".inf":
        return sign * float("inf")
    if s == ".nan":
        return float("nan")
    if len(s) > _MAX_DIGITS:
        raise ValueError("too many digits")
    decimals = written_decimals(s, _MAX_DIGITS)
    number = sign * float(s)
    return number if decimals is None else WrittenFloat(number, decimals)


def _timestamp(value: str) -> dt.date | dt.datetime:
    from ruamel.yaml.util import timestamp_regexp

    m = timestamp_regexp.match(value)
    if m is None:
        raise ValueError("not a timestamp")
    g = m.groupdict()
    date = dt.date(int(g["year"]), int(g["month"]), int(g["day"]))
    if g["hour"] is None:
        return date
    frac = (g["fraction"] or "")[:6].ljust(6, "0")
    tz = None
    if g["tz_sign"]:
        delta = dt.timedelta(hours=int(g["tz_hour"]), minutes=int(g["tz_minute"] or 0))
        tz = dt.timezone(-delta if g["tz_sign"] == "-" else delta)
    elif g["tz"] == "Z":
        tz = dt.UTC
    return dt.datetime(date.year, date.month, date.day, int(g["hour"]), int(g["minute"]), int(g["second"]), int(frac), tz)


_BUILD: dict[str, Callable[[str], Any]] = {
    "null": lambda v: None,
    "bool": lambda v: _BOOL[v.lower()],
    "int": _int,
    "float": _float,
    "timestamp": _timestamp,
    "str": str,
}


def _short(tag: str) -> str:
    return "!!" + tag[len(_TAG):] if tag.startswith(_TAG) else tag


_PLAIN_MEMO: dict[str, Any] = {}
_MEMO_TEXT = 64  # texts longer than this are not remembered (titles, aims: each one different)
_MEMO_SIZE = 50_000  # entries; the memo is emptied when full, so it never grows past this


def _plain(value: str, mark: Any) -> Any:
    """The value of a plain (unquoted, untagged) scalar ``value``, typed by the core rules; remembered per text.

    A plain scalar's type depends on its text alone, so keys, status words, dates and
    numbers that every file repeats are resolved once per process (values are immutable:
    str, int, float, bool, None, date, datetime). Raises :class:`YamlFault` (``limit``) at
    ``mark`` for a number with too many digits.
    """
    kind = _implicit_tag(value)
    if kind not in _BUILD:  # merge (``<<``, handled by the mapping) or value (``=``): text
        result: Any = value
    else:
        try:
            result = _BUILD[kind](value)
        except (ValueError, OverflowError, KeyError):
            if kind in ("int", "float"):
                raise YamlFault("limit", mark.line + 1, mark.column + 1, what="digits", limit=_MAX_DIGITS) from None
            result = value  # a date that does not exist (2025-02-30): text, for the schema to report
    if len(value) <= _MEMO_TEXT:
        if len(_PLAIN_MEMO) >= _MEMO_SIZE:
            _PLAIN_MEMO.clear()
        _PLAIN_MEMO[value] = result
    return result


def _scalar(e: ev.ScalarEvent) -> Any:
    """The value of a scalar event that is quoted, a block or tagged (:func:`_build` types plain untagged
    scalars itself, through :func:`_plain`); :class:`YamlFault` for a refused tag or a value its tag does not allow."""
    value = e.value
    tag = e.tag
    if tag is None or tag == "!":  # quoted or block text, or the non-specific tag "!": text as written
        return value
    line, col = e.start_mark.line + 1, e.start_mark.column + 1
    name = tag[len(_TAG):] if tag.startswith(_TAG) else None
    if name not in _STANDARD_SCALAR:
        raise YamlFault("yaml-tag", line, col, tag=_short(tag), value="")
    if name == "str":
        return value
    kind = _implicit_tag(value)
    ok = kind == name or (name == "float" and kind == "int")
    if ok:
        try:
            return _BUILD[name](value)
        except (ValueError, OverflowError, KeyError):
            pass
    raise YamlFault("yaml-tag", line, col, tag=_short(tag), value=value[:80])


# --------------------------------------------------------------------------- documents


def check_lines(text: str, limits: Limits) -> None:
    """:class:`YamlFault` (``limit``) at the first line of ``text`` longer than ``limits.line_chars``."""
    n = limits.line_chars
    if len(text) <= n:
        return
    for number, line in enumerate(text.split("\n"), 1):
        if len(line) > n:
            raise YamlFault("limit", number, n + 1, what="line", limit=n)


@cache
def _c_parser() -> type | None:
    """libyaml's parser through ruamel.yaml.clib (fast, and iterative), or None on a pure-Python install."""
    try:
        from ruamel.yaml.cyaml import CParser
    except ImportError:  # pragma: no cover - pure-Python installs
        return None
    return CParser


def _parser(text: str):
    c_parser = _c_parser()
    if c_parser is not None:
        return c_parser(text)
    from ruamel.yaml.parser import Parser
    from ruamel.yaml.reader import Reader
    from ruamel.yaml.scanner import Scanner

    class _Loader:  # the pure-Python parser wants a loader holding reader and scanner
        reader: Reader
        scanner: Scanner
        parser: Parser
        comment_handling: Any

    loader = _Loader()
    loader.reader = Reader(text, loader)
    loader.scanner = Scanner(loader)
    loader.parser = Parser(loader)
    loader.comment_handling = None
    return loader.parser


def _syntax_fault(exc: YAMLError, text: str) -> YamlFault:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    detail = " ".join(str(p) for p in (getattr(exc, "context", None), getattr(exc, "problem", None)) if p)
    if mark is not None:
        return YamlFault("yaml-syntax", mark.line + 1, mark.column + 1, detail=detail or str(exc).split("\n")[0])
    pos = getattr(exc, "position", None)  # a ReaderError: a character YAML does not allow
    if isinstance(pos, int) and 0 <= pos <= len(text):
        line = text.count("\n", 0, pos) + 1
        col = pos - (text.rfind("\n", 0, pos) + 1) + 1
        return YamlFault("yaml-syntax", line, col, detail=str(exc).split("\n")[-1].strip() or "invalid character")
    return YamlFault("yaml-syntax", 1, 1, detail=str(exc).split("\n")[0])


class _Frame:
    __slots__ = ("value", "is_map", "anchor", "size", "marks", "key", "key_mark", "has_key", "merges", "merge_mark")

    def __init__(self, value: Any, anchor: str | None, marks: Marks | None) -> None:
        self.value = value
        self.is_map = isinstance(value, dict)
        self.anchor = anchor
        self.size = 1
        self.marks = marks
        self.key: Any = None
        self.key_mark: Any = (0, 0)  # a parser mark or a (line, column) pair: converted only when needed
        self.has_key = False
        self.merges: list[dict] | None = None
        self.merge_mark: tuple[int, int] = (0, 0)


_MERGE = object()


def _at(mark: Any) -> tuple[int, int]:
    """0-based (line, column) of a parser mark, or the pair itself when given one ((0, 0) when the parser gave none)."""
    if type(mark) is tuple:
        return mark
    return (mark.line, mark.column) if mark is not None else (0, 0)


def parse(text: str, limits: Limits | None = None, *, positions: bool = False) -> Parsed:
    """Parse one YAML document into plain data, within ``limits`` (default :meth:`Limits.from_env`).

    ``positions``: also record where every container, key and item is (:class:`Marks`); without,
    the fast path (:func:`dxplan.yamlfast.build`) reads the common texts, giving the same data.
    Returns a :class:`Parsed` (``data`` None for an empty document). Raises
    :class:`YamlFault` for anything refused (see the module docstring); never any
    other exception for bad input.
    """
    from ruamel.yaml.error import YAMLError

    represent_written_floats()
    limits = limits or Limits.from_env()
    check_lines(text, limits)
    try:
        if not positions:
            from dxplan.yamlfast import FALLBACK, build

            if (data := build(_parser(text).get_event, limits.depth, _plain, _PLAIN_MEMO)) is not FALLBACK:
                return Parsed(data, None)
        return _build(text, limits, positions)
    except YamlFault:
        raise
    except YAMLError as exc:
        raise _syntax_fault(exc, text) from None
    except (RecursionError, MemoryError):  # pragma: no cover - guarded by the depth limit
        raise YamlFault("limit", 1, 1, what="depth", limit=limits.depth) from None


def _build(text: str, limits: Limits, positions: bool) -> Parsed:
    from ruamel.yaml import events as ev

    parser = _parser(text)
    marks: dict[int, Marks] | None = {} if positions else None
    anchors: dict[str, tuple[Any, int]] = {}
    stack: list[_Frame] = []
    alias_nodes = 0
    documents = 0
    root: Any = None
    root_start = (0, 0)
    done = False

    def add(value: Any, size: int, where: Any) -> None:
        """Put a finished value (or ``_MERGE``) into the open container; ``where``: a parser mark or a (line, column) pair."""
        nonlocal root, done
        at = _at(where)
        if not stack:
            root = value
            done = True
            return
        top = stack[-1]
        top.size += size
        if isinstance(top.value, list):
            top.value.append(value)
            if top.marks is not None:
                top.marks.items.append(at)
            return
        if not top.has_key:
            top.key, top.key_mark, top.has_key = value, at, True
            return
        key = top.key
        top.has_key = False
        key_mark = _at(top.key_mark)
        if key is _MERGE:
            sources = value if isinstance(value, list) else [value]
            if not all(isinstance(s, dict) for s in sources):
                raise YamlFault("yaml-syntax", at[0] + 1, at[1] + 1, detail="a merge key (<<) takes a mapping or a list of mappings")
            if top.merges is not None:
                raise YamlFault("duplicate-key", key_mark[0] + 1, key_mark[1] + 1, key="<<")
            top.merges = sources
            top.merge_mark = key_mark
            return
        try:
            present = key in top.value
        except TypeError:
            raise YamlFault("yaml-syntax", key_mark[0] + 1, key_mark[1] + 1, detail="a key that cannot be a key") from None
        if present:
            raise YamlFault("duplicate-key", key_mark[0] + 1, key_mark[1] + 1, key=str(key)[:80])
        top.value[key] = value
        if top.marks is not None:
            top.marks.keys[key] = (*key_mark, *at)

    scalar_event, alias_event = ev.ScalarEvent, ev.AliasEvent
    open_events = (ev.MappingStartEvent, ev.SequenceStartEvent)
    close_events = (ev.MappingEndEvent, ev.SequenceEndEvent)
    get_event = parser.get_event
    memo = _PLAIN_MEMO
    while True:
        e = get_event()
        if e is None:  # pragma: no cover - the pure parser at the end
            break
        t = type(e)
        if t is scalar_event:
            if done:
                continue
            # the hot path: a plain, untagged scalar (keys, words, numbers, dates) added to a
            # mapping or a list; everything else goes through _scalar and add
            value = e.value
            if e.ctag is None and (e.implicit[0] if e.implicit else e.style is None):  # ctag: the tag before ``str()``
                if value == "<<" and stack and stack[-1].is_map and not stack[-1].has_key:
                    value = _MERGE
                else:
                    found = memo.get(value, _MISSING)
                    value = _plain(value, e.start_mark) if found is _MISSING else found
            else:
                value = _scalar(e)
            if e.anchor is not None:
                anchors[e.anchor] = (value, 1)
            if stack and value is not _MERGE:
                top = stack[-1]
                if not top.is_map:
                    top.size += 1
                    top.value.append(value)
                    if top.marks is not None:
                        top.marks.items.append(_at(e.start_mark))
                    continue
                if not top.has_key:
                    top.size += 1
                    top.key, top.key_mark, top.has_key = value, e.start_mark, True
                    continue
                if top.key is not _MERGE:
                    key = top.key
                    top.size += 1
                    top.has_key = False
                    d = top.value
                    if key in d:
                        km = _at(top.key_mark)
                        raise YamlFault("duplicate-key", km[0] + 1, km[1] + 1, key=str(key)[:80])
                    d[key] = value
                    if top.marks is not None:
                        top.marks.keys[key] = (*_at(top.key_mark), *_at(e.start_mark))
                    continue
            add(value, 1, e.start_mark)
        elif t in open_events:
            mark = _at(e.start_mark)
            is_map = t is ev.MappingStartEvent
            if e.tag is not None and e.tag not in ("!", _TAG + ("map" if is_map else "seq")):
                raise YamlFault("yaml-tag", mark[0] + 1, mark[1] + 1, tag=_short(e.tag), value="")
            if stack and stack[-1].is_map and not stack[-1].has_key:
                raise YamlFault("yaml-syntax", mark[0] + 1, mark[1] + 1, detail="a key that is a mapping or a list is not allowed")
            if len(stack) >= limits.depth:
                raise YamlFault("limit", mark[0] + 1, mark[1] + 1, what="depth", limit=limits.depth)
            value = {} if is_map else []
            m = None
            if marks is not None:
                m = marks[id(value)] = Marks(mark)
            if not stack:
                root_start = mark
            stack.append(_Frame(value, e.anchor, m))
        elif t in close_events:
            frame = stack.pop()
            if frame.merges:
                merged: dict = {}
                for source in frame.merges:
                    for k, v in source.items():
                        merged.setdefault(k, v)
                for k, v in merged.items():
                    if k not in frame.value:
                        frame.value[k] = v
                        if frame.marks is not None:
                            frame.marks.keys[k] = (*frame.merge_mark, *frame.merge_mark)
            if frame.anchor is not None:
                anchors[frame.anchor] = (frame.value, frame.size)
            add(frame.value, frame.size, frame.marks.start if frame.marks else e.start_mark)
        elif t is alias_event:
            if done:
                continue
            mark = _at(e.start_mark)
            if e.anchor not in anchors:
                raise YamlFault("yaml-syntax", mark[0] + 1, mark[1] + 1, detail=f"alias *{e.anchor} names no anchor defined before it")
            value, size = anchors[e.anchor]
            alias_nodes += size
            if alias_nodes > limits.alias_nodes:
                raise YamlFault("limit", mark[0] + 1, mark[1] + 1, what="aliases", limit=limits.alias_nodes)
            if isinstance(value, (dict, list)) and stack and stack[-1].is_map and not stack[-1].has_key:
                raise YamlFault("yaml-syntax", mark[0] + 1, mark[1] + 1, detail="a key that is a mapping or a list is not allowed")
            add(value, size, e.start_mark)
        elif t is ev.DocumentStartEvent:
            documents += 1
            if documents > 1:
                mark = _at(e.start_mark)
                raise YamlFault("yaml-syntax", mark[0] + 1, mark[1] + 1, detail="more than one document in the file")
            anchors.clear()
        elif t is ev.StreamEndEvent:
            break
    return Parsed(root, marks, root_start)
