"""Mutations of the bundled plans for fuzzing dxplan.

A :class:`Case` is a recipe: a bundled plan (``plans/<plan>``), one file in it, an operator name
from :data:`OPERATORS` and the operator's parameters. :func:`materialize` copies the plan folder
(``plan.yaml`` and the action files, or the mutated file plus ``keep`` others to keep commands
fast) into a destination and applies the operator to the copy; the bundled plan is never touched.
A recipe is plain JSON (:meth:`Case.to_json`), so a failure found by the fuzzer can be replayed
exactly (``python -m tests.fuzz.mutate CASE.json DEST``).

Operators work on the bytes or the text of one file, as staff and attackers change files:
byte flips, truncation, deleted or duplicated lines, indentation, swapped scalar types, huge
numbers (> 4300 digits), NaN/infinity, numbers at the edges (subnormal ``1e-320``, ``1e308``,
400-digit integers, ``-0.0``, ``.inf``/``.nan``) as targets, baselines, actuals, yearly targets and effects, impossible dates, unknown and duplicate keys (also beside a
merge key ``<<``), explicit tags (``!!timestamp 2025-02-30``, ``!!python/object/new:``...), anchors,
aliases and a "billion laughs" alias bomb, merge keys, byte order marks, CRLF, tabs, zero-width
characters, very long lines, deep nesting (flow mappings and category ``children``), complex keys,
an empty ``rating_scale``, hostile plan ids (``../x``) and other encodings.

:func:`cases` is the hypothesis strategy that draws a :class:`Case`.
"""

from __future__ import annotations

import json
import re
import shutil
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any
from collections.abc import Callable

from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parents[2]
PLANS = ROOT / "plans"


@dataclass(frozen=True)
class Case:
    """One mutation recipe.

    ``plan``: bundled plan folder name; ``file``: path inside it (``plan.yaml`` or
    ``actions/NN.yaml``); ``op``: a key of :data:`OPERATORS`; ``params``: the operator's
    parameters (JSON values); ``keep``: how many other action files to copy (None = all);
    ``cache``: run the commands with the parse cache on (True) or off; ``dept``: when not None,
    also ``export -d`` the bundled plan's department number ``dept`` (modulo their count) in format
    ``("xlsx", "csv", "json")[dept % 3]``.
    """

    plan: str
    file: str
    op: str
    params: dict[str, Any] = field(default_factory=dict)
    keep: int | None = None
    cache: bool = False
    dept: int | None = None

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Case:
        return cls(**{k: data[k] for k in ("plan", "file", "op", "params", "keep", "cache", "dept") if k in data})

    def label(self) -> str:
        args = ", ".join(f"{k}={_short(v)}" for k, v in sorted(self.params.items()))
        return f"{self.op}({args}) on {self.plan}/{self.file}" + ("" if self.keep is None else f" +{self.keep} actions") \
            + (" [cache]" if self.cache else " [no cache]") + ("" if self.dept is None else f" -d #{self.dept}")


def _short(v: Any) -> str:
    s = repr(v)
    return s if len(s) <= 40 else s[:37] + "..."


# --------------------------------------------------------------------------- text helpers

#: ``key: value`` with a scalar value on a block line (the value runs to the end of the line).
_BLOCK_VALUE = re.compile(r"^(?P<ind>[ ]*)(?P<dash>- )?(?P<key>[A-Za-z_][\w]*):[ ]+(?P<val>[^\s{\[&*!|>#][^\n]*?)[ ]*$", re.M)
#: ``key: value`` inside a flow mapping on one line.
_FLOW_VALUE = re.compile(r"(?<=[{,] )(?P<key>[A-Za-z_][\w]*): (?P<val>[^,{}\[\]\n]+?)(?=[,}])|(?<=\{)(?P<key2>[A-Za-z_][\w]*): (?P<val2>[^,{}\[\]\n]+?)(?=[,}])")
#: A block line that starts a key (``  key:`` or ``  - key:``).
_BLOCK_KEY = re.compile(r"^(?P<ind>[ ]*)(?P<dash>- )?(?P<key>[A-Za-z_][\w]*):(?=[ \n]|$)", re.M)

NUMERIC_KEYS = {"value", "baseline", "min", "target_value", "rate", "number", "priority", "done", "total",
                "not_started", "considering", "in_progress", "percent", "achievement"}
DATE_KEYS = {"date", "evaluation_date", "as_of", "fiscal_year", "period_start", "period_end", "deadline",
             "published", "since", "until", "year"}


def scalar_spans(text: str) -> list[tuple[int, int, str]]:
    """Every (start, end, key) of a scalar value written ``key: value``, block or flow, in order."""
    spans = []
    for m in _BLOCK_VALUE.finditer(text):
        spans.append((m.start("val"), m.end("val"), m["key"]))
    for m in _FLOW_VALUE.finditer(text):
        g = "val" if m["val"] is not None else "val2"
        spans.append((m.start(g), m.end(g), m["key"] or m["key2"]))
    spans.sort()
    return spans


def pick(items: list, at: float):
    """The item at fraction ``at`` (0 ≤ at < 1) of ``items``, or None if empty."""
    if not items:
        return None
    return items[min(int(at * len(items)), len(items) - 1)]


def pick_span(text: str, at: float, keys: set[str] | None = None) -> tuple[int, int, str] | None:
    """A scalar value span chosen by ``at``; among ``keys`` when the file has such values."""
    spans = scalar_spans(text)
    if keys:
        preferred = [s for s in spans if s[2] in keys]
        spans = preferred or spans
    return pick(spans, at)


def replace_value(text: str, at: float, new: str, keys: set[str] | None = None) -> str:
    """Replace one scalar value (chosen by ``at``) with ``new``; append ``x: new`` if there is none."""
    span = pick_span(text, at, keys)
    if span is None:
        return text + f"\nx: {new}\n"
    s, e, _ = span
    return text[:s] + new + text[e:]


def key_lines(text: str) -> list[re.Match]:
    return list(_BLOCK_KEY.finditer(text))


def line_starts(text: str) -> list[int]:
    starts = [0]
    for m in re.finditer("\n", text):
        if m.end() < len(text):
            starts.append(m.end())
    return starts


def insert_sibling(text: str, at: float, new_lines: list[str]) -> str:
    """Insert ``new_lines`` as sibling keys of the block key line chosen by ``at`` (before it)."""
    keys = key_lines(text)
    m = pick(keys, at)
    if m is None:
        return text + "\n" + "\n".join(new_lines) + "\n"
    indent = m["ind"] + ("  " if m["dash"] else "")
    pos = m.start() if not m["dash"] else m.start("key")
    block = "".join(f"{indent}{ln}\n" for ln in new_lines)
    if m["dash"]:
        # inside "- key: v": put the new keys on the lines after this one
        eol = text.find("\n", m.end())
        eol = len(text) if eol < 0 else eol + 1
        return text[:eol] + block + text[eol:]
    return text[:pos] + block + text[pos:]


def top_key_value(text: str, key: str, new_block: str) -> str:
    """Replace top-level ``key:`` (and its indented block) with ``new_block``, or append it."""
    m = re.search(rf"^{re.escape(key)}:.*(?:\n(?:[ #].*|)$)*", text, re.M)
    if m is None:
        return text.rstrip("\n") + "\n" + new_block.rstrip("\n") + "\n"
    end = m.end()
    body = text[m.start():end]
    # keep trailing blank/comment lines that belong after the block
    return text[:m.start()] + new_block.rstrip("\n") + ("\n" if not body.endswith("\n") else "\n") + text[end:].lstrip("\n")


# --------------------------------------------------------------------------- operators
# Each takes (data: bytes, params) and returns the new bytes.

Operator = Callable[[bytes, dict], bytes]
OPERATORS: dict[str, Operator] = {}
PARAMS: dict[str, st.SearchStrategy] = {}
ONLY_PLAN_YAML: set[str] = set()


def operator(name: str, params: st.SearchStrategy, *, plan_yaml_only: bool = False):
    def deco(fn: Callable[[bytes, dict], bytes]) -> Callable[[bytes, dict], bytes]:
        OPERATORS[name] = fn
        PARAMS[name] = params
        if plan_yaml_only:
            ONLY_PLAN_YAML.add(name)
        return fn
    return deco


def text_op(fn: Callable[[str, dict], str]) -> Operator:
    def wrapper(data: bytes, p: dict) -> bytes:
        return fn(data.decode("utf-8", errors="surrogateescape"), p).encode("utf-8", errors="surrogateescape")
    wrapper.__name__ = fn.__name__
    wrapper.__doc__ = fn.__doc__
    return wrapper


_at = st.floats(0, 1, exclude_max=True, allow_nan=False)


@operator("byte_flip", st.fixed_dictionaries({"at": st.lists(_at, min_size=1, max_size=8), "xor": st.integers(1, 255)}))
def byte_flip(data: bytes, p: dict) -> bytes:
    """XOR the bytes at the given fractions of the file with ``xor``."""
    b = bytearray(data)
    if b:
        for a in p["at"]:
            b[min(int(a * len(b)), len(b) - 1)] ^= p["xor"]
    return bytes(b)


@operator("truncate", st.fixed_dictionaries({"at": _at}))
def truncate(data: bytes, p: dict) -> bytes:
    """Cut the file at fraction ``at`` (possibly inside a UTF-8 sequence)."""
    return data[: int(p["at"] * len(data))]


@operator("delete_lines", st.fixed_dictionaries({"at": _at, "count": st.integers(1, 6)}))
@text_op
def delete_lines(text: str, p: dict) -> str:
    lines = text.splitlines(keepends=True)
    i = int(p["at"] * len(lines))
    return "".join(lines[:i] + lines[i + p["count"]:])


@operator("duplicate_lines", st.fixed_dictionaries({"at": _at, "count": st.integers(1, 6)}))
@text_op
def duplicate_lines(text: str, p: dict) -> str:
    lines = text.splitlines(keepends=True)
    i = int(p["at"] * len(lines))
    chunk = lines[i:i + p["count"]]
    if chunk and not chunk[-1].endswith("\n"):
        chunk[-1] += "\n"
    return "".join(lines[:i] + chunk + chunk + lines[i + p["count"]:])


@operator("indent", st.fixed_dictionaries({"at": _at, "count": st.integers(1, 4),
                                           "delta": st.sampled_from([-8, -4, -2, -1, 1, 2, 3, 4, 8])}))
@text_op
def indent(text: str, p: dict) -> str:
    """Indent (or dedent) ``count`` lines from fraction ``at`` by ``delta`` spaces."""
    lines = text.splitlines(keepends=True)
    i = int(p["at"] * len(lines))
    for j in range(i, min(i + p["count"], len(lines))):
        if p["delta"] > 0:
            lines[j] = " " * p["delta"] + lines[j]
        else:
            n = len(lines[j]) - len(lines[j].lstrip(" "))
            lines[j] = lines[j][min(n, -p["delta"]):]
    return "".join(lines)


SWAPS = ["[]", "{}", "[a, b]", "{a: 1}", "1", "-1", "0", "1.5", "-0.0", "true", "false", "null", "~", "''",
         '"x"', "2025-01-01", "令和6年度", "R6", "yes", "0o17", "0x1F", "1_000", "12:30:00", "- x", "'1'"]


@operator("swap_type", st.fixed_dictionaries({"at": _at, "value": st.sampled_from(SWAPS)}))
@text_op
def swap_type(text: str, p: dict) -> str:
    """Replace one scalar with a value of another type (list, mapping, number, bool, null, date)."""
    return replace_value(text, p["at"], p["value"])


@operator("huge_number", st.fixed_dictionaries({
    "at": _at, "digits": st.sampled_from([20, 400, 4300, 4301, 5000, 100_000]),
    "form": st.sampled_from(["int", "neg", "float", "exp", "hex", "underscore"])}))
@text_op
def huge_number(text: str, p: dict) -> str:
    """Replace a (preferably numeric) value with a number of ``digits`` digits."""
    d = "9" * p["digits"]
    new = {"int": d, "neg": "-" + d, "float": d + ".5", "exp": "1e" + d, "hex": "0x" + "f" * p["digits"],
           "underscore": "1_" + d}[p["form"]]
    return replace_value(text, p["at"], new, NUMERIC_KEYS)


@operator("nan_inf", st.fixed_dictionaries({"at": _at, "value": st.sampled_from(
    [".nan", ".NaN", ".NAN", ".inf", "-.inf", "+.inf", ".Inf", "nan", "inf", "1e400", "-1e400", "1e-400", "!!float nan"])}))
@text_op
def nan_inf(text: str, p: dict) -> str:
    return replace_value(text, p["at"], p["value"], NUMERIC_KEYS)


#: Numbers at the edges of what a float or a Decimal holds, spelled as YAML writes them: subnormals,
#: the largest doubles, infinities and NaN in YAML's spelling, 400-digit integers, negative zero.
EXTREME_NUMBERS = ["1e-320", "5e-324", "-5e-324", "2.2250738585072014e-308", "1e308", "1.7976931348623157e308",
                   "-1.7976931348623157e308", "1e309", ".inf", "-.inf", ".nan", "1" + "0" * 400, "-1" + "0" * 400,
                   "-0.0", "-0", "0.0000000000000000000001", "123456789012345678901234567890.5", "-1e308"]
#: Where an extreme number goes: an existing numeric value, or one place of an indicator (baseline,
#: yearly target, final target, actual), a yearly target's value or an effect's value, injected.
NUMBER_PLACES = ["existing", "baseline", "target", "target_value", "actual", "all", "yearly_target", "effect"]


@operator("extreme_number", st.fixed_dictionaries({"at": _at, "value": st.sampled_from(EXTREME_NUMBERS),
                                                   "where": st.sampled_from(NUMBER_PLACES)}))
@text_op
def extreme_number(text: str, p: dict) -> str:
    """An extreme number as an existing value, or in an injected indicator, yearly target or effect."""
    x, where = p["value"], p["where"]
    if where == "existing" or re.search(r"^id:", text, re.M) is None or re.search(r"^categories:", text, re.M):
        return replace_value(text, p["at"], x, NUMERIC_KEYS)
    if where == "yearly_target":
        return top_key_value(text, "yearly_targets", f"yearly_targets:\n  - {{fiscal_year: 令和6年度, text: t, value: {x}}}")
    if where == "effect":
        return top_key_value(text, "effects", "effects:\n  - {fiscal_year: 令和6年度, kind: hours, raw: '1', "
                             f"value: {x}, unit: 時間, meaning: saving}}")
    v = {k: (x if where in (k, "all") else d) for k, d in
         (("baseline", "10"), ("target", "100"), ("target_value", "200"), ("actual", "50"))}
    block = ("indicators:\n  - id: I1\n    name: fuzz\n    unit: 件\n    measure: count\n"
             f"    baseline: {{value: {v['baseline']}}}\n    targets:\n      - {{fiscal_year: 令和6年度, value: {v['target']}}}\n"
             f"    target_value: {v['target_value']}\n    deadline: 令和8年度\n"
             f"    actuals:\n      - {{fiscal_year: 令和6年度, value: {v['actual']}}}")
    return top_key_value(text, "indicators", block)


#: Plan texts a terminal or a spreadsheet would interpret, spelled with YAML escapes so the file
#: stays valid: NUL, BEL, ESC sequences (clear screen, window title), form feed, DEL, NEL, an
#: override mark, and texts that start a formula in a spreadsheet (CSV injection).
CONTROL_TEXTS = ['"a\\x00b"', '"\\e[2J\\e]0;pwned\\a"', '"x\\fy"', '"\\x1b[31mred"', '"a\\x7fb"', '"a\\x85b"',
                 '"\\u202eevil"', '"\\x07bell"', '"=HYPERLINK(\\"http://e.invalid\\")"', "'+1+cmd|'' /C calc''!A0'",
                 "'-2+3'", "'@SUM(1)'", '"\\tTAB"', '"\\r=1+1"', '"=1+1"']
TEXT_KEYS = {"title", "text", "plan", "result", "name", "item", "note", "background", "approach", "aim",
             "municipality", "department"}


@operator("control_text", st.fixed_dictionaries({"at": _at, "value": st.sampled_from(CONTROL_TEXTS)}))
@text_op
def control_text(text: str, p: dict) -> str:
    """A plan text (title, plan, result, ...) replaced with control characters or a formula, YAML-escaped."""
    return replace_value(text, p["at"], p["value"], TEXT_KEYS)


BAD_DATES = ["2025-02-30", "2025-13-01", "0000-01-01", "0001-01-01", "9999-12-31", "2025-2-30", "2025-02-29",
             "令和99年2月30日", "令和0年度", "令和元年度", "R99", "R-1", "H31", "2025-02-30T25:61:00", "-2025-01-01",
             "2025-02-30 10:00:00+99:00", "19999", "1e3"]


@operator("bad_date", st.fixed_dictionaries({"at": _at, "value": st.sampled_from(BAD_DATES)}))
@text_op
def bad_date(text: str, p: dict) -> str:
    return replace_value(text, p["at"], p["value"], DATE_KEYS)


TAGS = ["!!timestamp 2025-02-30", "!!timestamp 0000-00-00", "!!bool maybe", "!!float abc", "!!int x", "!!int 0x_",
        "!!python/object/new:os.system [echo pwned]", "!!python/name:os.system", "!!python/object/apply:os.getcwd []",
        '!!binary "@@@"', "!!set {a, b}", "!!omap [a: 1]", "!custom value", "!!null x", "!!str", "!!float .nan",
        "!<tag:yaml.org,2002:int> 1e3", "!!map [1]", "!!seq {a: 1}", "!!timestamp 2025-01-01", "!!merge x", "!!value x"]


@operator("explicit_tag", st.fixed_dictionaries({"at": _at, "value": st.sampled_from(TAGS)}))
@text_op
def explicit_tag(text: str, p: dict) -> str:
    """Replace one value with an explicitly tagged one."""
    return replace_value(text, p["at"], p["value"])


@operator("unknown_key", st.fixed_dictionaries({"at": _at, "name": st.sampled_from(
    ["zz_unknown", "Id", "id_", "タイトル", "titel", "x" * 300, "'quoted key'", "null", "1", "true"])}))
@text_op
def unknown_key(text: str, p: dict) -> str:
    return insert_sibling(text, p["at"], [f"{p['name']}: 1"])


@operator("duplicate_key", st.fixed_dictionaries({"at": _at, "kind": st.sampled_from(
    ["same", "other_value", "merge_before", "merge_after", "flow", "top"])}))
@text_op
def duplicate_key(text: str, p: dict) -> str:
    """Write a key twice in one mapping (also beside a merge key ``<<``)."""
    kind = p["kind"]
    if kind == "flow":
        spans = [m for m in _FLOW_VALUE.finditer(text)]
        m = pick(spans, p["at"])
        if m is not None:
            g = "key" if m["key"] else "key2"
            k = m[g]
            pos = m.start(g)
            return text[:pos] + f"{k}: dup, " + text[pos:]
        kind = "same"
    if kind == "top":
        m = re.search(r"^id:.*$", text, re.M)
        if m:
            return text + f"\n{m.group(0)}\n"
        kind = "same"
    keys = [m for m in _BLOCK_VALUE.finditer(text)]
    m = pick(keys, p["at"])
    if m is None:
        return text + "\nid: a\nid: b\n"
    line = f"{m['key']}: {m['val']}"
    other = f"{m['key']}: duplicated"
    new = {"same": [line], "other_value": [other],
           "merge_before": ["<<: {" + other + "}"], "merge_after": ["<<: {" + other + "}", other]}[kind]
    indent_ = m["ind"] + ("  " if m["dash"] else "")
    eol = text.find("\n", m.end())
    eol = len(text) if eol < 0 else eol + 1
    return text[:eol] + "".join(f"{indent_}{ln}\n" for ln in new) + text[eol:]


@operator("anchor_alias", st.fixed_dictionaries({"at": _at, "at2": _at, "kind": st.sampled_from(
    ["simple", "undefined", "recursive", "bomb", "bomb_flow", "alias_key"]), "levels": st.sampled_from([3, 6, 9])}))
@text_op
def anchor_alias(text: str, p: dict) -> str:
    """Anchors and aliases: a reused value, an undefined alias, a recursive one, a billion-laughs bomb."""
    kind = p["kind"]
    if kind in ("bomb", "bomb_flow"):
        n = p["levels"]
        if kind == "bomb":
            lines = ["notes:", "  - &l0 lol"]
            for i in range(1, n + 1):
                lines.append(f"  - &l{i} [" + ", ".join([f"*l{i - 1}"] * 9) + "]")
            block = "\n".join(lines) + "\n"
        else:
            parts = ["&l0 lol"]
            for i in range(1, n + 1):
                parts.append(f"&l{i} [" + ", ".join([f"*l{i - 1}"] * 9) + "]")
            block = "notes: [" + ", ".join(parts) + "]\n"
        return top_key_value(text, "notes", block)
    spans = scalar_spans(text)
    a, b = pick(spans, p["at"]), pick(spans, p["at2"])
    if a is None or b is None:
        return text + "\nx: &a [*a]\n"
    if kind == "simple":
        if b[0] < a[0]:
            a, b = b, a
        if a == b:
            return text[:a[0]] + "&a " + text[a[0]:]
        return text[:a[0]] + "&a " + text[a[0]:b[0]] + "*a" + text[b[1]:]
    if kind == "undefined":
        return text[:a[0]] + "*nope" + text[a[1]:]
    if kind == "recursive":
        return text[:a[0]] + "&r [*r, x]" + text[a[1]:]
    # alias_key: an alias used as a mapping key
    return insert_sibling(text.replace(text[a[0]:a[1]], "&k " + text[a[0]:a[1]], 1), p["at2"], ["*k : 1"])


@operator("merge_key", st.fixed_dictionaries({"at": _at, "kind": st.sampled_from(
    ["inline", "alias", "list", "scalar", "null", "nested"])}))
@text_op
def merge_key(text: str, p: dict) -> str:
    kind = p["kind"]
    if kind == "alias":
        m = re.search(r"^(?P<ind>[ ]*)- (?P<rest>\{.*\}|[A-Za-z_]\w*:.*)$", text, re.M)
        if m and m["rest"].startswith("{"):
            text = text[:m.start("rest")] + "&m " + text[m.start("rest"):]
            new = ["<<: *m"]
        else:
            text = text.rstrip("\n") + "\nzz_anchor: &m {id: merged}\n"
            new = ["<<: *m"]
    else:
        new = [{"inline": "<<: {id: merged, title: merged}", "list": "<<: [{id: a}, {title: b}]",
                "scalar": "<<: 1", "null": "<<:", "nested": "<<: {<<: {id: deep}}"}[kind]]
    return insert_sibling(text, p["at"], new)


@operator("bom", st.fixed_dictionaries({"kind": st.sampled_from(["utf8", "utf8x2", "utf16", "utf16le_nobom", "mid"]),
                                        "at": _at}))
def bom(data: bytes, p: dict) -> bytes:
    """A byte order mark: UTF-8 (once or twice), the whole file in UTF-16, or a BOM mid-file."""
    kind = p["kind"]
    text = data.decode("utf-8", errors="replace")
    if kind == "utf8":
        return b"\xef\xbb\xbf" + data
    if kind == "utf8x2":
        return b"\xef\xbb\xbf\xef\xbb\xbf" + data
    if kind == "utf16":
        return text.encode("utf-16")
    if kind == "utf16le_nobom":
        return text.encode("utf-16-le")
    starts = line_starts(text)
    i = pick(starts, p["at"]) or 0
    return (text[:i] + "\ufeff" + text[i:]).encode("utf-8")


@operator("encoding", st.fixed_dictionaries({"kind": st.sampled_from(["cp932", "euc_jp", "latin1_byte", "lone_surrogate", "nul"]),
                                             "at": _at}))
def encoding(data: bytes, p: dict) -> bytes:
    """The file saved in another encoding (Shift_JIS, EUC-JP), or an invalid byte / NUL inserted."""
    text = data.decode("utf-8", errors="replace")
    kind = p["kind"]
    if kind in ("cp932", "euc_jp"):
        return text.encode(kind, errors="replace")
    i = int(p["at"] * len(data))
    ins = {"latin1_byte": b"\xe9", "lone_surrogate": b"\xed\xa0\x80", "nul": b"\x00"}[kind]
    return data[:i] + ins + data[i:]


@operator("newlines", st.fixed_dictionaries({"kind": st.sampled_from(["crlf", "cr", "mixed", "nel", "ls", "none_at_end"]),
                                             "at": _at}))
def newlines(data: bytes, p: dict) -> bytes:
    """CRLF line ends, old Mac CR, a mix, NEL/LINE SEPARATOR, or no newline at the end."""
    kind = p["kind"]
    if kind == "crlf":
        return data.replace(b"\n", b"\r\n")
    if kind == "cr":
        return data.replace(b"\n", b"\r")
    if kind == "none_at_end":
        return data.rstrip(b"\n")
    lines = data.split(b"\n")
    i = min(int(p["at"] * len(lines)), max(len(lines) - 2, 0))
    sep = {"mixed": b"\r\n", "nel": "\u0085".encode(), "ls": "\u2028".encode()}[kind]
    return b"\n".join(lines[:i]) + (b"\n" if i else b"") + sep.join(lines[i:i + 2]) + (b"\n" if lines[i + 2:] else b"") + b"\n".join(lines[i + 2:])


@operator("tabs", st.fixed_dictionaries({"at": _at, "kind": st.sampled_from(["leading", "after_colon", "all_leading", "in_flow", "after_dash"])}))
@text_op
def tabs(text: str, p: dict) -> str:
    """Tabs where YAML forbids or tolerates them: indentation, after a colon, inside flow, after '- '."""
    kind = p["kind"]
    if kind == "all_leading":
        return re.sub(r"^( {2})+", lambda m: "\t" * (len(m.group(0)) // 2), text, flags=re.M)
    if kind == "after_colon":
        spans = [m for m in _BLOCK_VALUE.finditer(text)]
        m = pick(spans, p["at"])
        if m is None:
            return text
        s = m.end("key") + 1  # just after the colon: "key:<TAB>value"
        return text[:s] + "\t" + text[m.start("val"):]
    if kind == "in_flow":
        return text.replace(", ", ",\t", 3)
    if kind == "after_dash":
        return re.sub(r"^(\s*)- ", lambda m: m.group(1) + "-\t", text, count=2, flags=re.M)
    lines = [m for m in re.finditer(r"^( +)(?=\S)", text, re.M)]
    m = pick(lines, p["at"])
    if m is None:
        return "\t" + text
    return text[:m.start()] + "\t" + text[m.start() + min(2, len(m.group(1))):]


ZW = ["\u200b", "\ufeff", "\u200d", "\u2028", "\u2029", "\u00a0", "\u3000", "\u202e", "\u0085", "\x7f", "\x1b", "\x0c"]


@operator("zero_width", st.fixed_dictionaries({"at": _at, "char": st.sampled_from(ZW),
                                               "where": st.sampled_from(["key", "value", "indent", "after_colon"])}))
@text_op
def zero_width(text: str, p: dict) -> str:
    """Insert an invisible or odd character into a key, a value, the indentation or after a colon."""
    ch, where = p["char"], p["where"]
    if where == "value":
        span = pick_span(text, p["at"])
        if span:
            return text[:span[0]] + ch + text[span[0]:]
    m = pick(key_lines(text), p["at"])
    if m is None:
        return ch + text
    pos = {"key": m.start("key") + 1, "indent": m.start(), "after_colon": m.end()}.get(where, m.start("key"))
    return text[:pos] + ch + text[pos:]


@operator("long_line", st.fixed_dictionaries({"at": _at, "size": st.sampled_from([10_000, 200_000, 1_000_000]),
                                              "kind": st.sampled_from(["plain", "quoted", "japanese", "comment", "flow_list", "key"])}))
@text_op
def long_line(text: str, p: dict) -> str:
    """A very long line: a scalar, a comment, a flow list or a key of ``size`` characters."""
    n, kind = p["size"], p["kind"]
    if kind == "comment":
        starts = line_starts(text)
        i = pick(starts, p["at"]) or 0
        return text[:i] + "# " + "x" * n + "\n" + text[i:]
    if kind == "key":
        return insert_sibling(text, p["at"], ["k" * n + ": 1"])
    new = {"plain": "x" * n, "quoted": '"' + "y" * n + '"', "japanese": "あ" * (n // 3),
           "flow_list": "[" + ", ".join(["1"] * (n // 3)) + "]"}[kind]
    return replace_value(text, p["at"], new)


@operator("deep_nesting", st.fixed_dictionaries({"at": _at, "depth": st.sampled_from([50, 300, 1000, 5000, 20_000]),
                                                 "kind": st.sampled_from(["flow_map", "flow_seq", "block_map", "block_seq"])}))
@text_op
def deep_nesting(text: str, p: dict) -> str:
    """A value nested ``depth`` levels deep (flow mappings or sequences, or block; block ≤ 1000)."""
    d, kind = p["depth"], p["kind"]
    if kind == "flow_map":
        new = "{a: " * d + "1" + "}" * d
    elif kind == "flow_seq":
        new = "[" * d + "1" + "]" * d
    else:
        d = min(d, 1000)
        m = pick(key_lines(text), p["at"])
        base = "" if m is None else m["ind"] + ("  " if m["dash"] else "")
        lines = []
        for i in range(d):
            lines.append(base + "  " * (i + 1) + ("a:" if kind == "block_map" else "- "))
        block = "\n".join(lines) + " 1\n"
        if m is None:
            return text + "\nzz:\n" + block
        eol = text.find("\n", m.end())
        if eol < 0:
            eol = len(text)
        return text[:m.start()] + base + m["key"] + ":\n" + block + text[eol + 1:]
    return replace_value(text, p["at"], new)


@operator("deep_categories", st.fixed_dictionaries({"depth": st.sampled_from([50, 300, 1000, 5000, 20_000]),
                                                    "style": st.sampled_from(["flow", "block"])}), plan_yaml_only=True)
@text_op
def deep_categories(text: str, p: dict) -> str:
    """A category whose ``children`` nest ``depth`` levels (block style capped at 400)."""
    d = p["depth"]
    m = re.search(r"^categories:[^\n]*\n", text, re.M)
    if m is None:
        return text
    nxt = re.search(r"^(?P<ind>[ ]*)- ", text[m.end():], re.M)
    ind = nxt["ind"] if nxt else "  "
    if p["style"] == "flow":
        item = "{id: Z0, name: z0" + "".join(f", children: [{{id: Z{i}, name: z{i}" for i in range(1, d)) + "]}" * (d - 1) + "}"
        item = ind + "- " + item + "\n"
    else:
        d = min(d, 400)
        rows = []
        for i in range(d):
            pad = ind + "    " * i
            rows.append(f"{pad}- id: Z{i}\n{pad}  name: z{i}\n" + (f"{pad}  children:\n" if i < d - 1 else ""))
        item = "".join(rows)
    return text[:m.end()] + item + text[m.end():]


@operator("complex_key", st.fixed_dictionaries({"at": _at, "kind": st.sampled_from(["seq_key", "map_key", "flow_seq_key", "null_key", "int_key"])}))
@text_op
def complex_key(text: str, p: dict) -> str:
    """A key that is not a string: ``? [a, b]``, ``? {a: 1}``, ``[a, b]: 1``, ``null: 1``, ``1: x``."""
    new = {"seq_key": ["? [a, b]", ": v"], "map_key": ["? {a: 1}", ": v"], "flow_seq_key": ["[a, b]: 1"],
           "null_key": ["~: 1"], "int_key": ["1: x"]}[p["kind"]]
    return insert_sibling(text, p["at"], new)


@operator("rating_scale", st.fixed_dictionaries({"kind": st.sampled_from(
    ["empty", "null", "one_open", "nan_min", "unsorted", "duplicate", "no_open_band", "huge_min", "string_min"])}),
    plan_yaml_only=True)
@text_op
def rating_scale(text: str, p: dict) -> str:
    """``rating_scale`` empty, null, unsorted, with NaN or duplicate bounds, or without an open band."""
    blocks = {
        "empty": "rating_scale: []", "null": "rating_scale:", "one_open": "rating_scale:\n  - {label: x, min: null}",
        "nan_min": "rating_scale:\n  - {label: a, min: .nan}\n  - {label: b, min: null}",
        "unsorted": "rating_scale:\n  - {label: a, min: 50}\n  - {label: b, min: 90}\n  - {label: c, min: null}",
        "duplicate": "rating_scale:\n  - {label: a, min: 90}\n  - {label: a, min: 90}\n  - {label: c, min: null}",
        "no_open_band": "rating_scale:\n  - {label: a, min: 100}",
        "huge_min": "rating_scale:\n  - {label: a, min: 1e308}\n  - {label: b, min: -1e308}",
        "string_min": "rating_scale:\n  - {label: a, min: '90'}\n  - {label: b, min: null}",
    }
    return top_key_value(text, "rating_scale", blocks[p["kind"]])


HOSTILE_IDS = ["../x", "../../../../tmp/dxfuzz-escape", "/tmp/dxfuzz-abs", "a/b", ".", "..", "''", "-rf", "--help",
               '"x\\0y"', "<script>alert(1)</script>", '"a\\nb"', "CON", "x" * 300, "'[link](http://e.invalid)'", "'{{ 7*7 }}'"]


@operator("hostile_id", st.fixed_dictionaries({"value": st.sampled_from(HOSTILE_IDS)}))
@text_op
def hostile_id(text: str, p: dict) -> str:
    """The top-level ``id`` (plan id or action id) replaced with a path, option or markup."""
    if re.search(r"^id:", text, re.M):
        return re.sub(r"^id:.*$", lambda _m: f"id: {p['value']}", text, count=1, flags=re.M)
    return f"id: {p['value']}\n" + text


@operator("document", st.fixed_dictionaries({"kind": st.sampled_from(
    ["empty", "whitespace", "comment_only", "null", "doc_start", "multi_doc", "scalar", "list", "directive", "binary"])}))
def document(data: bytes, p: dict) -> bytes:
    """The whole document replaced: empty, only comments, null, a scalar, a list, two documents."""
    kind = p["kind"]
    return {
        "empty": b"", "whitespace": b"  \n\n \n", "comment_only": b"# nothing\n", "null": b"~\n", "doc_start": b"---\n",
        "multi_doc": data + b"\n---\nid: second\n", "scalar": b"just text\n", "list": b"- a\n- b\n",
        "directive": b"%YAML 1.1\n%TAG ! tag:evil,2025:\n---\n" + data, "binary": bytes(range(256)) * 4,
    }[kind]


# --------------------------------------------------------------------------- cases


def plan_files(plan: str) -> list[str]:
    """``plan.yaml`` and every ``actions/*.yaml`` of a bundled plan, relative, sorted."""
    root = PLANS / plan
    return ["plan.yaml"] + sorted(str(p.relative_to(root)) for p in (root / "actions").glob("*.yaml"))


def bundled_plans() -> list[str]:
    return sorted(p.name for p in PLANS.iterdir() if (p / "plan.yaml").is_file())


@st.composite
def cases(draw, plans: list[str] | None = None, keep: st.SearchStrategy | None = None,
          exclude: frozenset[str] = frozenset()) -> Case:
    """Hypothesis strategy for a :class:`Case`: plan, file, operator (not in ``exclude``), parameters,
    folder size, cache, department to export."""
    plan = draw(st.sampled_from(plans or bundled_plans()))
    op = draw(st.sampled_from(sorted(set(OPERATORS) - exclude)))
    files = plan_files(plan)
    file = "plan.yaml" if op in ONLY_PLAN_YAML else draw(st.sampled_from(files))
    params = draw(PARAMS[op])
    k = draw(keep if keep is not None else st.sampled_from([0, 3, 8, None]))
    cache = draw(st.booleans())
    dept = draw(st.one_of(st.none(), st.integers(0, 999)))
    return Case(plan, file, op, params, k, cache, dept)


def mutate_bytes(case: Case, data: bytes) -> bytes:
    """Apply ``case.op`` with ``case.params`` to ``data``."""
    return OPERATORS[case.op](data, dict(case.params))


def copy_plan(plan: str, dest: Path, *, file: str = "plan.yaml", keep: int | None = None,
              source: Path | None = None) -> Path:
    """Copy ``plans/<plan>`` (or ``source``) to ``dest`` (which must not exist); return ``dest``.

    The copy holds ``plan.yaml``, ``file`` and the other action files: all of them when ``keep``
    is None, else the first ``keep`` in name order.
    """
    src = source or PLANS / plan
    others = [f for f in plan_files_at(src) if f not in ("plan.yaml", file)]
    chosen = ["plan.yaml", file] + (others if keep is None else others[:keep])
    (dest / "actions").mkdir(parents=True)
    for rel in dict.fromkeys(chosen):
        if (src / rel).is_file():
            shutil.copyfile(src / rel, dest / rel)
    return dest


def materialize(case: Case, dest: Path, *, source: Path | None = None, overlay: dict[str, bytes] | None = None) -> Path:
    """Write the mutated plan folder of ``case`` at ``dest`` (which must not exist); return ``dest``.

    :func:`copy_plan` with ``case.keep``, then ``case.op`` applied to ``case.file`` — or, when
    ``overlay`` (path → bytes) is given, those files written verbatim instead (a stored reproducer).
    """
    copy_plan(case.plan, dest, file=case.file, keep=case.keep, source=source)
    if overlay:
        for rel, data in overlay.items():
            (dest / rel).parent.mkdir(parents=True, exist_ok=True)
            (dest / rel).write_bytes(data)
    else:
        target = dest / case.file
        target.write_bytes(mutate_bytes(case, target.read_bytes() if target.exists() else b""))
    return dest


def plan_files_at(root: Path) -> list[str]:
    return ["plan.yaml"] + sorted(str(p.relative_to(root)) for p in (root / "actions").glob("*.yaml"))


def main(argv: list[str]) -> int:
    """``python -m tests.fuzz.mutate CASE.json DEST``: write the mutated folder of a recipe."""
    if len(argv) != 2:
        print(main.__doc__, file=sys.stderr)
        return 2
    data = json.loads(Path(argv[0]).read_text(encoding="utf-8"))
    case = Case.from_json(data.get("case", data))
    print(materialize(case, Path(argv[1])))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
