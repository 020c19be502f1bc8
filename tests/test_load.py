"""Bad input: each problem is reported with its file, line, column and rule — never a traceback."""

from __future__ import annotations

import os

import pytest

from dxplan.lint.engine import lint_paths

from conftest import write_action

GOOD = """\
id: '1'
title: 例
category: A-1
owners: [総務課]
sources: [{file: seed.txt, location: line 1}]
"""


def problems(plan):
    return [(p.path.name, p.line, p.column, p.severity, p.rule) for p in lint_paths([plan]).problems]


def test_clean_file_has_no_problems(mini_plan):
    write_action(mini_plan, "01.yaml", GOOD)
    assert problems(mini_plan) == []


def test_shift_jis_file_reports_first_bad_byte(mini_plan):
    text = GOOD.replace("title: 例", "title: 窓口の手続き")
    write_action(mini_plan, "01.yaml", text.encode("shift_jis"))
    result = lint_paths([mini_plan])
    (p,) = result.problems
    assert (p.line, p.column, p.rule) == (2, 8, "encoding")
    assert "UTF-8" in p.message_ja and "Shift_JIS" in p.message_en


def test_empty_and_comment_only_files(mini_plan):
    write_action(mini_plan, "01.yaml", "")
    write_action(mini_plan, "02.yaml", "# 作成中\n\n")
    assert problems(mini_plan) == [("01.yaml", 1, 1, "error", "empty-file"), ("02.yaml", 1, 1, "error", "empty-file")]


def test_duplicate_key_names_the_key(mini_plan):
    write_action(mini_plan, "01.yaml", GOOD + "owners: [企画課]\n")
    result = lint_paths([mini_plan])
    (p,) = result.problems
    assert (p.line, p.column, p.rule) == (6, 1, "duplicate-key")
    assert "owners" in p.message_en


def test_unknown_key_suggests_the_field(mini_plan):
    write_action(mini_plan, "01.yaml", GOOD + "tasks:\n  - {fiscal_year: R6, departmnet: 総務課}\n")
    result = lint_paths([mini_plan])
    (p,) = result.problems
    assert (p.line, p.column, p.rule) == (7, 23, "unknown-key")
    assert "Did you mean 'department'?" in p.message_en
    assert "もしかして「department」" in p.message_ja


def test_wrong_type_and_missing_field(mini_plan):
    write_action(mini_plan, "01.yaml", "id: '1'\ntitle: [例]\ncategory: A-1\nowners: [総務課]\n")
    assert problems(mini_plan) == [
        ("01.yaml", 1, 1, "error", "missing-field"),
        ("01.yaml", 2, 8, "error", "wrong-type"),
    ]


def test_percent_outside_range_as_fraction_hint(mini_plan):
    write_action(mini_plan, "01.yaml", GOOD + "summary_evaluation: {percent: 120, reason: 理由}\n")
    result = lint_paths([mini_plan])
    (p,) = result.problems
    assert (p.line, p.column, p.rule) == (6, 31, "percent-range")
    assert "0–100" in p.message_en


def test_unknown_status_category_department_and_fy(mini_plan):
    write_action(
        mini_plan,
        "01.yaml",
        "id: '1'\ntitle: 例\ncategory: 窓口サービス\nowners: [総務課]\ntasks:\n"
        "  - {fiscal_year: 令和6年度, department: 総務課, status: 完了済}\n"
        "  - {fiscal_year: 令和9年度, department: 財政課}\n"
        "secondary_categories: [B-2]\n"
        "sources: [{file: seed.txt, location: line 1}]\n",
    )
    got = problems(mini_plan)
    assert ("01.yaml", 6, 51, "error", "unknown-status") in got
    assert ("01.yaml", 7, 19, "error", "fiscal-year-range") in got
    assert ("01.yaml", 7, 38, "error", "unknown-department") in got
    assert ("01.yaml", 8, 24, "error", "unknown-category") in got
    # the alias 窓口サービス of A-1 is accepted: no problem on line 3
    assert not [g for g in got if g[1] == 3]


def test_duplicate_action_id_across_files(mini_plan):
    write_action(mini_plan, "01.yaml", GOOD)
    write_action(mini_plan, "02.yaml", GOOD)
    result = lint_paths([mini_plan])
    (p,) = result.problems
    assert (p.path.name, p.line, p.column, p.rule) == ("02.yaml", 1, 5, "duplicate-id")
    assert "01.yaml" in p.message_en


def test_plan_period_reversed_is_invalid_value(mini_plan):
    plan = mini_plan / "plan.yaml"
    plan.write_text(plan.read_text(encoding="utf-8").replace("period_start: 令和6年度", "period_start: 令和9年度"), encoding="utf-8")
    result = lint_paths([mini_plan])
    assert [(p.rule, p.path.name) for p in result.problems] == [("invalid-value", "plan.yaml")]


@pytest.mark.skipif(os.geteuid() == 0, reason="root can read files without permission")
def test_unreadable_file(mini_plan):  # pragma: no cover - CI runs as root
    path = write_action(mini_plan, "01.yaml", GOOD)
    path.chmod(0)
    assert problems(mini_plan)[0][4] == "io-error"


def test_strict_turns_warnings_into_errors(mini_plan):
    write_action(mini_plan, "01.yaml", GOOD.replace("owners: [総務課]\n", ""))
    assert [(p.severity, p.rule) for p in lint_paths([mini_plan]).problems] == [("warning", "required-by-plan")]
    assert [(p.severity, p.rule) for p in lint_paths([mini_plan], strict=True).problems] == [("error", "required-by-plan")]


def test_optional_fields_absent_validate_and_plan_can_require_them(mini_plan):
    # an action with only the required fields (as kurate's, which state no target, owners or tasks)
    bare = "id: '1'\ntitle: 例\ncategory: A-1\nsources: [{file: seed.txt, location: line 1}]\n"
    plan = mini_plan / "plan.yaml"
    plan.write_text(plan.read_text(encoding="utf-8").replace("require: [owners]", "require: []"), encoding="utf-8")
    write_action(mini_plan, "01.yaml", bare)
    assert problems(mini_plan) == []
    # the plan switches requirements on: dotted paths reach into nested fields
    plan.write_text(plan.read_text(encoding="utf-8").replace("require: []", "require: [target.spec, tasks, yearly_targets]"), encoding="utf-8")
    got = [p.message_en for p in lint_paths([mini_plan]).problems]
    assert got == [
        "this plan requires 'target.spec' in every action (plan.yaml lint.require).",
        "this plan requires 'tasks' in every action (plan.yaml lint.require).",
        "this plan requires 'yearly_targets' in every action (plan.yaml lint.require).",
    ]


def test_plan_can_disable_a_rule(mini_plan):
    write_action(mini_plan, "01.yaml", GOOD.replace("owners: [総務課]\n", "owners: [総務課]\ntasks: [{fiscal_year: R6, department: 企画課}]\n"))
    assert [p[4] for p in problems(mini_plan)] == ["department-not-owner"]
    plan = mini_plan / "plan.yaml"
    plan.write_text(plan.read_text(encoding="utf-8").replace("require: [owners]", "require: [owners]\n  disable: [department-not-owner]"), encoding="utf-8")
    assert problems(mini_plan) == []
