"""Every lint rule's docstring examples, run for real: the passing one is clean, the failing one fires at its position."""

from __future__ import annotations

import re
import textwrap

import pytest

from dxplan.lint.engine import lint_paths
from dxplan.i18n import t
from dxplan.rules import load_rules

from conftest import write_action

EXAMPLE = re.compile(r"(Passing|Failing)(?: \((\d+):(\d+)\))?::\n\n((?:    .*\n|\n)+)")


def _examples(rule):
    found = {}
    for m in EXAMPLE.finditer(rule.doc + "\n"):
        kind, line, col, body = m.groups()
        found[kind] = (textwrap.dedent(body).strip() + "\n", (int(line), int(col)) if line else None)
    return found


RULES = load_rules()
_PLACEHOLDER = re.compile(r"\{(\w+)\}")
WITH_EXAMPLES = sorted(r for r in RULES if "Failing" in _examples(RULES[r]))


def test_every_rule_documents_id_severity_and_examples():
    assert len(RULES) >= 20
    for rule in RULES.values():
        assert rule.SEVERITY in ("error", "warning"), rule.ID
        # one English message id, translated into Japanese with the same placeholders
        ja = t("ja", rule.MESSAGE)
        assert ja != rule.MESSAGE, f"{rule.ID}: no Japanese translation in the catalogue"
        assert sorted(_PLACEHOLDER.findall(ja)) == sorted(_PLACEHOLDER.findall(rule.MESSAGE)), rule.ID
        assert "Passing" in rule.doc and "Failing" in rule.doc, f"{rule.ID}: docstring needs a passing and a failing example"


def test_most_rules_have_executable_examples():
    # rules that need bytes, two files or git history describe their examples in prose and are tested elsewhere
    assert {"encoding", "io-error", "duplicate-id", "invalid-value"}.isdisjoint(WITH_EXAMPLES)
    assert len(WITH_EXAMPLES) >= 16


@pytest.mark.parametrize("rule_id", WITH_EXAMPLES)
def test_passing_example_is_clean(rule_id, mini_plan):
    text, _ = _examples(RULES[rule_id])["Passing"]
    write_action(mini_plan, "01.yaml", text)
    result = lint_paths([mini_plan])
    assert [(p.rule, p.line, p.column) for p in result.problems] == []


@pytest.mark.parametrize("rule_id", WITH_EXAMPLES)
def test_failing_example_fires_at_its_position(rule_id, mini_plan):
    text, pos = _examples(RULES[rule_id])["Failing"]
    path = write_action(mini_plan, "01.yaml", text)
    result = lint_paths([mini_plan])
    hits = [p for p in result.problems if p.rule == rule_id]
    assert hits, f"{rule_id} did not fire; got {[(p.rule, p.message_en) for p in result.problems]}"
    assert hits[0].path.name == path.name
    assert (hits[0].line, hits[0].column) == pos
    assert hits[0].severity == RULES[rule_id].SEVERITY


def test_every_rule_documents_why_and_fix_translated():
    """`dxplan rules` prints ruff-style docs: each prose paragraph has a Japanese translation."""
    for rule in RULES.values():
        doc = rule.documentation
        assert doc.why and doc.fix, rule.ID
        for para in doc.paragraphs():
            assert t("ja", para) != para, f"{rule.ID}: untranslated paragraph {para!r}"


def test_rules_command_lists_and_explains(tmp_path):
    from typer.testing import CliRunner

    from dxplan.cli import app

    runner = CliRunner()
    listing = runner.invoke(app, ["rules", "--lang", "en"])
    assert listing.exit_code == 0
    ids = [ln.split()[0] for ln in listing.output.splitlines()]
    assert ids == sorted(RULES)
    en = runner.invoke(app, ["rules", "unknown-status", "--lang", "en"])
    assert en.exit_code == 0
    assert en.output.startswith("unknown-status (error)\n")
    assert "Why: A status word the plan does not declare maps to no canonical state" in en.output
    assert "Failing example (reported at 6:51):" in en.output
    assert "      - {fiscal_year: 令和6年度, department: 総務課, status: 進行中}" in en.output
    ja = runner.invoke(app, ["rules", "unknown-status", "--lang", "ja"])
    assert "理由: 計画が定義していない進捗状況は標準の状態に対応せず" in ja.output
    assert "誤りの例（6:51 で報告）:" in ja.output
    bad = runner.invoke(app, ["rules", "unknown-statu", "--lang", "en"])
    assert bad.exit_code == 2
    assert "no lint rule 'unknown-statu'. Did you mean 'unknown-status'?" in bad.output
