"""A plan period by month: the JSON Schema does not ask for period_start/period_end beside ``period``; lint checks
that both ways agree (rule ``period-mismatch``, positioned); every date field takes the era form (令和7年1月31日)."""

from __future__ import annotations

import datetime as dt
import json
import shutil

import jsonschema
import pytest

from dxplan.files.load import load_plan
from dxplan.lint.engine import lint_paths
from conftest import FIXTURES, PLANS, ROOT, write_action

PLAN_SCHEMA = json.loads((ROOT / "schemas" / "plan.schema.json").read_text(encoding="utf-8"))
ACTION_SCHEMA = json.loads((ROOT / "schemas" / "action.schema.json").read_text(encoding="utf-8"))
BASE = {"id": "x", "municipality": "例市", "title": "計画", "sources": [{"file": "seed.txt"}]}


def _errors(schema: dict, data: dict) -> list[str]:
    return [e.message for e in jsonschema.Draft202012Validator(schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER).iter_errors(data)]


def test_the_plan_schema_takes_period_alone_or_the_fiscal_years():
    assert _errors(PLAN_SCHEMA, {**BASE, "period": {"start": "2023年1月", "end": "2025年3月"}}) == []
    assert _errors(PLAN_SCHEMA, {**BASE, "period_start": "R6", "period_end": "R8"}) == []
    assert _errors(PLAN_SCHEMA, {**BASE, "period_start": "R6"}) != []  # neither the pair nor period
    assert _errors(PLAN_SCHEMA, BASE) != []


def test_every_date_field_of_the_schema_takes_the_era_form():
    assert _errors(PLAN_SCHEMA, {**BASE, "period_start": "R6", "period_end": "R8", "evaluation_date": "令和7年2月10日",
                                 "sources": [{"file": "seed.txt", "date": "令和6年3月1日"}]}) == []
    measurement = {"value": 82.6, "date": "令和7年1月31日"}
    action = {"id": "1", "title": "t", "category": "A-1", "sources": [{"file": "s.txt", "location": "line 1"}],
              "target": {"text": "80%", "measurements": [measurement]}}
    assert _errors(ACTION_SCHEMA, action) == []
    assert _errors(ACTION_SCHEMA, {**action, "target": {"text": "80%", "measurements": [{**measurement, "date": "R7.1.31です"}]}}) != []


def _mini_with_period(tmp_path, extra: str):
    plan = tmp_path / "mini"
    shutil.copytree(FIXTURES / "mini", plan)
    path = plan / "plan.yaml"
    text = path.read_text(encoding="utf-8")
    assert "period_start: 令和6年度\nperiod_end: 令和8年度\n" in text
    path.write_text(text.replace("period_start: 令和6年度\nperiod_end: 令和8年度\n", extra), encoding="utf-8")
    return plan


def test_period_and_fiscal_years_that_agree_lint_clean(tmp_path):
    plan = _mini_with_period(tmp_path, "period: {start: 2023年1月, end: 2025年3月}\nperiod_start: 令和4年度\nperiod_end: 令和6年度\n")
    assert [p.rule for p in lint_paths([plan], jobs=1).problems] == []
    plan = _mini_with_period(tmp_path / "b", "period: {start: 2023年1月, end: 2025年3月}\n")
    loaded = load_plan(plan)
    assert loaded.plan is not None and (loaded.plan.period_start, loaded.plan.period_end) == (2022, 2024)
    assert [p.rule for p in lint_paths([plan], jobs=1).problems] == []


def test_period_and_fiscal_years_that_disagree_are_positioned(tmp_path):
    # lines 5-7 of the mini plan: period, period_start (value at column 15), period_end
    plan = _mini_with_period(tmp_path, "period: {start: 2023年1月, end: 2025年3月}\nperiod_start: 令和5年度\nperiod_end: 令和6年度\n")
    problems = [p for p in lint_paths([plan], jobs=1).problems if p.rule == "period-mismatch"]
    assert [(p.path.name, p.line, p.column, p.severity) for p in problems] == [("plan.yaml", 6, 15, "error")]
    assert "令和4年度" in problems[0].message_en and "令和5年度" in problems[0].message_en


def test_era_dates_load_in_actions(tmp_path):
    plan = tmp_path / "mini"
    shutil.copytree(FIXTURES / "mini", plan)
    write_action(plan, "01.yaml", (
        "id: '1'\ntitle: 例\ncategory: A-1\nowners: [総務課]\n"
        "target:\n  text: 交付率80%\n  spec: {kind: level, value: 80}\n"
        "  measurements:\n    - {value: 82.6, date: 令和7年1月31日}\n"
        "indicators:\n  - id: K1\n    name: 件数\n    baseline: {value: 1, date: 令和5年3月31日}\n"
        "    actuals:\n      - {fiscal_year: 令和6年度, value: 2, date: 令和7年3月31日}\n"
        "    grades:\n      - {fiscal_year: 令和6年度, grade: A, date: 令和7年5月1日}\n"
        "sources: [{file: seed.txt, location: line 1}]\n"
    ))
    assert [p.rule for p in lint_paths([plan], jobs=1).problems if p.severity == "error"] == []
    action = load_plan(plan).actions[0].action
    assert action.target is not None and action.target.measurements[0].date == dt.date(2025, 1, 31)
    ind = action.indicators[0]
    assert ind.baseline is not None and ind.baseline.date == dt.date(2023, 3, 31)
    assert ind.actuals[0].date == dt.date(2025, 3, 31) and ind.grades[0].date == dt.date(2025, 5, 1)


@pytest.mark.parametrize("name", ["kama", "kashima", "iizuka", "kurate"])
def test_bundled_plans_validate_against_the_regenerated_schema(name):
    from dxplan.yamlread import parse

    data = parse((PLANS / name / "plan.yaml").read_text(encoding="utf-8")).data
    # the reader gives dates as date objects; the schema sees them as the text YAML holds
    data = json.loads(json.dumps(data, default=str))
    assert _errors(PLAN_SCHEMA, data) == []
