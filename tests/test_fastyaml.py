"""The libyaml path reads exactly what ruamel.yaml reads: equal data (types too) and equal positions.

ruamel.yaml is the reference: its safe loader for data, its round-trip loader for the
line and column of every key, value and item. Compared on every bundled plan file, the
test fixtures, a generated corpus with injected errors, and scalars whose YAML 1.1 and 1.2
readings differ.
"""

from __future__ import annotations

import importlib.util
import io
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError

from dxplan import fastyaml
from dxplan.loaded import yaml_parser

from conftest import FIXTURES, PLANS, ROOT

_spec = importlib.util.spec_from_file_location("bench_corpus", ROOT / "bench" / "corpus.py")
corpus = importlib.util.module_from_spec(_spec)
sys.modules["bench_corpus"] = corpus
_spec.loader.exec_module(corpus)


def _reference_data(text: str):
    return yaml_parser(fast=True).load(text)


def _reference_tree(text: str):
    return yaml_parser().load(io.StringIO(text))


def _outcome(fn, text: str):
    """(type name, value) of what ``fn(text)`` returns, or ("error", class name of the exception).

    ruamel.yaml raises ``ValueError`` rather than a ``YAMLError`` for some scalars (``2025-02-30``).
    """
    try:
        value = fn(text)
    except (YAMLError, ValueError) as exc:
        return ("error", type(exc).__name__)
    return _typed(value)


def _typed(value, within=()):
    """The value with the type of every leaf, so that 1 and 1.0 and True, or a date and a string, differ.

    A list or mapping inside itself (a recursive alias) is shown as ``"<cycle>"``.
    """
    if isinstance(value, (dict, list)):
        if id(value) in within:
            return "<cycle>"
        within = (*within, id(value))
        if isinstance(value, dict):
            return {k: _typed(v, within) for k, v in value.items()}
        return [_typed(v, within) for v in value]
    return (type(value).__name__, value)


def _positions(node, path=()):
    """Every (path, line/column data) of a round-trip tree: the mapping/sequence itself, each key/value, each item."""
    out = []
    if isinstance(node, CommentedMap):
        out.append((path, node.lc.line, node.lc.col))
        for k in node:
            out.append((path + (k,), tuple(node.lc.data.get(k, ()))))  # merged keys have none
            out += _positions(node[k], path + (k,))
    elif isinstance(node, CommentedSeq):
        out.append((path, node.lc.line, node.lc.col))
        for i, v in enumerate(node):
            out.append((path + (i,), tuple(node.lc.data[i])))
            out += _positions(v, path + (i,))
    return out


def _assert_same(text: str, where: str) -> None:
    assert _outcome(fastyaml.load_data, text) == _outcome(_reference_data, text), where
    try:
        ref = _reference_tree(text)
    except (YAMLError, ValueError) as exc:
        with pytest.raises(type(exc)):
            fastyaml.positioned_tree(text)
        return
    got = fastyaml.positioned_tree(text)
    assert _positions(got) == _positions(ref), where
    assert _positions(ref) or not isinstance(ref, (dict, list)), where  # the comparison is not vacuous


def _yaml_files(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*.yaml"))


def test_bundled_plans_and_fixtures_read_the_same():
    files = _yaml_files(PLANS) + _yaml_files(FIXTURES)
    assert len(files) > 200
    for f in files:
        _assert_same(f.read_bytes().decode("utf-8-sig"), str(f))


def test_generated_corpus_with_errors_reads_the_same(tmp_path):
    manifest = corpus.generate(tmp_path, plans=4, seed=3, error_rate=0.3)
    assert any(e["rule"] == "yaml-syntax" for e in manifest["errors"])
    for f in _yaml_files(tmp_path):
        _assert_same(f.read_text(encoding="utf-8"), str(f))


def test_libyaml_reads_the_usual_plan_file_itself(monkeypatch):
    """The fast path is taken for ordinary files (ruamel.yaml's loader is not called)."""

    def refuse(*a, **kw):
        raise AssertionError("ruamel.yaml was asked")

    monkeypatch.setattr(fastyaml, "_ruamel", refuse)
    text = (PLANS / "kama" / "actions" / "01.yaml").read_text(encoding="utf-8")
    data = fastyaml.load_data(text)
    assert data["id"] == "1" and data["number"] == 1 and data["tasks"][0]["status"] == "完了"
    tree = fastyaml.positioned_tree(text)
    assert tree.lc.key("tasks") == (16, 0) and tree["tasks"].lc.item(1) == (23, 4)


SCALARS = [
    "yes", "no", "on", "off", "Yes", "y", "n", "true", "False", "TRUE", "~", "null", "Null", "", "=",
    "0", "-0", "+1", "017", "0o17", "0x1F", "0b101", "1_000", "1:30", "190:20:30",
    "1.5", "1.", ".5", "1e3", "1.0e+3", "-.inf", ".NaN", "1_0.5",
    "2025-02-10", "2025-2-1", "2025-02-30", "2025-02-10 10:20:30", "2025-02-10T10:20:30Z", "2025-02-10t1:2:3.5+09:00",
    "'017'", '"yes"', "!!str 017", "!!int '5'", "!!float 1", "!!binary aGVsbG8=", "!custom x", "&a x",
    "令和6年度", "R6", "[1, yes, 2025-02-10]", "{a: 1, b: no}", "|\n  text\n", ">-\n  folded\n  text\n",
]


@pytest.mark.parametrize("scalar", SCALARS)
def test_scalars_read_the_yaml_1_2_way(scalar):
    _assert_same(f"key: {scalar}\nother: 1\n", scalar)


@pytest.mark.parametrize(
    "text",
    [
        "a: 1\na: 2\n",  # a duplicate key
        "a: 1\nb: {c: 1, c: 2}\n",  # a duplicate key in a flow mapping
        "x: &base {a: 1}\ny:\n  <<: *base\n  b: 2\n",  # a merge key
        "%YAML 1.1\n---\na: yes\nb: 017\n",  # a directive switching to YAML 1.1
        "a: [1, 2\nb: 3\n",  # a syntax error
        "a: b: c\n",
        "a:\n\t- 1\n",  # a tab
        "a: \x07bell\n",  # a character ruamel.yaml refuses
        "- 1\n- 2\n",  # not a mapping
        "",
        "a: 1\n---\nb: 2\n",  # two documents
        "? [1, 2]\n: x\n",  # a complex key
        "a: &x [1, *x]\n",  # a recursive alias
        "a: &x [1, 2]\nb: *x\n",
    ],
)
def test_documents_libyaml_must_not_decide_alone(text):
    _assert_same(text, repr(text))


_SCALAR_CHARS = st.sampled_from(list("0123456789._:+-eExXoObBaAfFlLsStTrRuUnNyY ~=") + ["inf", "nan", "true", "null", "0x", "0o", "-0"])


@settings(max_examples=300, deadline=None)
@given(st.lists(_SCALAR_CHARS, min_size=1, max_size=6).map("".join))
def test_random_plain_scalars_read_the_same(word):
    _assert_same(f"k: {word}\n", repr(word))
