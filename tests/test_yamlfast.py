"""The reader's fast paths give what the full paths give: the same data, the same refusals, the same findings.

Two fast paths are checked against the paths they stand in for:

- :func:`dxplan.yamlfast.build` (plain data without positions, the common texts only) against the
  full reader (:func:`dxplan.yamlread.parse` with positions, which never takes the fast path): equal
  data of equal types (a :class:`~dxplan.numbers.WrittenFloat`'s decimals too) or the same refusal
  (rule, line, column, parameters), over every bundled plan file, a list of texts at the edges
  (anchors, aliases, merge keys, tags, duplicate keys, several documents, depth, BOM, tabs, long
  lines) and the fuzzer's mutations of the bundled files (:mod:`fuzz.mutate`);
- the text checks of ``excel-characters`` and ``placeholder`` (``may_hold``: a tree is walked only
  when its text could hold what the rule looks for) against walking every tree.

And the whole of lint: every finding (file, line, column, rule, both messages) of the bundled plans
and of mutated plan folders, loaded without positions through the fast paths, equals those of the
same folders loaded with positions and every tree walked.
"""

from __future__ import annotations

import math
import shutil
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from dxplan.files.load import load_plan
from dxplan.lint.engine import lint_plan
from dxplan.rules import excel_characters, placeholder
from dxplan.yamlfast import FALLBACK, build
from dxplan.yamlread import _PLAIN_MEMO, Limits, YamlFault, _parser, _plain, parse
from fuzz.mutate import OPERATORS, cases, materialize, mutate_bytes

from conftest import PLANS

BUNDLED = sorted(PLANS.glob("*/plan.yaml")) + sorted(PLANS.glob("*/actions/*.yaml"))


def fast(text: str, limits: Limits | None = None) -> Any:
    """What the fast path alone gives for ``text``: its data, or FALLBACK."""
    limits = limits or Limits()
    return build(_parser(text).get_event, limits.depth, _plain, _PLAIN_MEMO)


def outcome(text: str, *, positions: bool, limits: Limits | None = None) -> tuple[str, Any]:
    """("data", data) or ("fault", (rule, line, column, params)) of :func:`parse`."""
    try:
        return "data", parse(text, limits or Limits(), positions=positions).data
    except YamlFault as fault:
        return "fault", (fault.rule, fault.line, fault.column, fault.params)


def same(a: Any, b: Any) -> bool:
    """Equal values of equal types all the way down (keys in the same order; NaN equals NaN; decimals kept)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(map(type, a)) == list(map(type, b)) and list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, float) and math.isnan(a):
        return math.isnan(b)
    return bool(a == b) and getattr(a, "decimals", None) == getattr(b, "decimals", None)


def assert_agree(text: str, limits: Limits | None = None) -> str:
    """The fast path and the full reader agree on ``text``; returns the kind of outcome."""
    kind, got = outcome(text, positions=False, limits=limits)
    want_kind, want = outcome(text, positions=True, limits=limits)
    assert kind == want_kind, (text[:200], got, want)
    if kind == "data":
        assert same(got, want), text[:200]
        for rule in (excel_characters, placeholder):  # a text the rule skips has nothing the walk would find
            if not rule.may_hold(text):
                assert list(rule._walk(got, ())) == [], (rule.ID, text[:200])
    else:
        assert got == want
    return kind


@pytest.mark.parametrize("path", BUNDLED, ids=[str(p.relative_to(PLANS)) for p in BUNDLED])
def test_every_bundled_file_is_read_by_the_fast_path(path: Path):
    text = path.read_bytes().decode("utf-8-sig")
    data = fast(text)
    assert data is not FALLBACK
    assert same(data, parse(text, positions=True).data)


#: (text, taken by the fast path?) — the fast path gives up on anchors, aliases, tags, merge keys,
#: repeated or complex keys, several documents and depth; each text either way agrees with the full reader.
EDGES: list[tuple[str, bool]] = [
    ("a: 1\nb: [x, 2.50, 2025-02-10, 2025-02-30, null, true, '1', 0x1F]\n", True),
    ("a: &x 1\nb: *x\n", False),
    ("a: &x {k: 1}\nb: *x\n", False),
    ("base: &b {k: 1}\nc:\n  <<: *b\n  j: 2\n", False),
    ("'<<': 1\n", False),
    ("a: 1\na: 2\n", False),
    ("a: {k: 1}\na: 2\n", False),
    ("1: a\n1.0: b\n", False),
    ("true: a\n1: b\n", False),
    (".nan: a\n.nan: b\n", False),  # one remembered NaN: the same key twice
    ("a: !!str 1\n", False),
    ("a: !!int x\n", False),
    ("a: !!python/object/new:os.system [echo]\n", False),
    ("a: ! 12\n", False),
    ("a: !!map {k: 1}\n", False),
    ("? [a, b]\n: 1\n", False),
    ("? {a: 1}\n: 1\n", False),
    ("a: 1\n---\nb: 2\n", False),
    ("--- a\n", True),
    ("just text\n", True),
    ("", True),
    ("---\n", True),
    ("# only a comment\n", True),
    ("a: [1, [2, [3]]]\n", True),
    ("\ufeffa: 1\n", True),
    ("a: 1\n\tb: 2\n", False),
    ("a:\tb\n", True),
    ("a: \"tab\\there\\a\"\n", True),
    ("a: \"\\uFF08要記入）\"\n", True),
    ("a: |\n  （要記\n  入）\n", True),
    ("a: 1" + "0" * 5000 + "\n", False),
    ("a: x\n  b: y\n", False),
    ("a: [1, 2\n", False),
    ("a: 'unterminated\n", False),
    ("a: \x07\n", False),
    ("a: 85.0\nb: 3.10\nc: 1e3\nd: -0.0\ne: .inf\n", True),
    ("~: 1\nnull: 2\n", False),
    ("a: 2025-02-10T09:30:00+09:00\n", True),
]


@pytest.mark.parametrize("text, fast_path", EDGES, ids=[repr(t[:30]) for t, _ in EDGES])
def test_edge_texts_agree_with_the_full_reader(text: str, fast_path: bool):
    assert (fast(text) is not FALLBACK) == fast_path
    assert_agree(text)


def test_depth_limit_falls_back_and_agrees():
    limits = Limits(depth=4)
    deep, shallow = "a: [[[[1]]]]\n", "a: [[1]]\n"
    assert fast(deep, limits) is FALLBACK and assert_agree(deep, limits) == "fault"
    assert fast(shallow, limits) is not FALLBACK and assert_agree(shallow, limits) == "data"


def test_long_lines_are_refused_before_either_path():
    text = "a: " + "x" * 200 + "\n"
    assert outcome(text, positions=False, limits=Limits(line_chars=100)) == ("fault", ("limit", 1, 101, {"what": "line", "limit": 100}))
    assert_agree(text, Limits(line_chars=100))


@settings(max_examples=400, derandomize=True, database=None, deadline=None, phases=[Phase.generate],
          suppress_health_check=list(HealthCheck), print_blob=False)
@given(case=cases(), at=st.integers(0, 10**6))
def test_mutated_texts_agree_with_the_full_reader(case, at):
    """Every fuzz operator (byte flips, tabs, BOMs, anchors, tags, duplicate and merge keys, long lines…)
    applied to a bundled file; the text as the loader decodes it (files that are not UTF-8 are refused first)."""
    data = mutate_bytes(case, (PLANS / case.plan / case.file).read_bytes())
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return
    assert_agree(text)


def test_the_mutations_reach_both_paths():
    """The operators above give texts the fast path reads and texts it leaves to the full reader."""
    source = (PLANS / "kama/plan.yaml").read_bytes()
    taken = {}
    for name in ("anchor_alias", "merge_key", "explicit_tag", "duplicate_key", "indent", "control_text"):
        texts = [OPERATORS[name](source, p).decode("utf-8", "replace") for p in _params(name)]
        taken[name] = [fast(t) is not FALLBACK for t in texts]
    assert not any(taken["anchor_alias"] + taken["merge_key"] + taken["explicit_tag"] + taken["duplicate_key"])
    assert any(taken["control_text"])


def _params(name: str) -> list[dict]:
    """A few parameter sets of operator ``name``, drawn the same way every run."""
    from fuzz.mutate import PARAMS

    found: list[dict] = []

    @settings(max_examples=5, derandomize=True, database=None, phases=[Phase.generate], suppress_health_check=list(HealthCheck))
    @given(p=PARAMS[name])
    def draw(p: dict) -> None:
        found.append(p)

    draw()
    return found


# --------------------------------------------------------------------------- lint findings


def findings(root: Path, *, full: bool, monkeypatch: pytest.MonkeyPatch) -> list[tuple]:
    """Every lint problem of plan folder ``root``: through the fast paths, or (``full``) read with
    positions (the full reader) and every tree walked by the rules."""
    with monkeypatch.context() as m:
        m.setenv("DXPLAN_NO_CACHE", "1")
        if full:
            m.setattr(excel_characters, "may_hold", lambda text: True)
            m.setattr(placeholder, "may_hold", lambda text: True)
        loaded = load_plan(root, positions=full)
        return [(str(p.path), p.line, p.column, p.severity, p.rule, p.message_ja, p.message_en) for p in lint_plan(loaded)]


@pytest.mark.parametrize("plan", sorted(p.name for p in PLANS.iterdir() if (p / "plan.yaml").is_file()))
def test_bundled_plans_findings_equal(plan: str, monkeypatch):
    got = findings(PLANS / plan, full=False, monkeypatch=monkeypatch)
    assert got == findings(PLANS / plan, full=True, monkeypatch=monkeypatch)


def test_findings_of_escapes_and_placeholders_equal(tmp_path, monkeypatch):
    """Files whose values hold a control character or the placeholder only through escapes are still walked."""
    root = tmp_path / "p"
    shutil.copytree(PLANS / "kama", root)
    action = sorted((root / "actions").glob("*.yaml"))[0]
    text = action.read_text(encoding="utf-8")
    title = next(line for line in text.splitlines() if line.startswith("title: "))
    action.write_text(text.replace(title, 'title: "\\uFF08要記入\\uFF09 and \\e"', 1), encoding="utf-8")
    assert "（要記入）" not in action.read_text(encoding="utf-8")
    got = findings(root, full=False, monkeypatch=monkeypatch)
    assert got == findings(root, full=True, monkeypatch=monkeypatch)
    assert [(f[1], f[2], f[4]) for f in got if f[0] == str(action) and f[4] in ("placeholder", "excel-characters")] == [
        (4, 8, "excel-characters"), (4, 8, "placeholder")]


@settings(max_examples=100, derandomize=True, database=None, deadline=None, phases=[Phase.generate],
          suppress_health_check=list(HealthCheck), print_blob=False)
@given(case=cases(keep=st.just(3)))
def test_mutated_plan_findings_equal(case, tmp_path_factory):
    root = materialize(case, tmp_path_factory.mktemp("case") / "plan")
    mp = pytest.MonkeyPatch()
    try:
        assert findings(root, full=False, monkeypatch=mp) == findings(root, full=True, monkeypatch=mp), case.label()
    finally:
        mp.undo()
