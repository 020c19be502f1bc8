"""Every lint rule's docstring examples, run for real: the passing one is clean, the failing one fires at its position."""

from __future__ import annotations

import re
import textwrap

import pytest

from dxplan.lint import lint_paths
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
