"""Indicators, grades, scales and effects: exact rates per shape, a hand-counted A–D split,
飯塚市's effect sums against an independent sum over the raw YAML, and the lint rules."""

from __future__ import annotations

import json
import shutil
from collections import defaultdict

from ruamel.yaml import YAML
from typer.testing import CliRunner

from dxplan.output.wording import core_text
from dxplan.status.counts import grade_table, status_result
from dxplan.cli import app
from dxplan.model.changes import is_goalpost
from dxplan.fiscal import parse_fiscal_year
from dxplan.lint.engine import lint_paths
from dxplan.files.load import load_plan
from dxplan.model.schema import Action, ScoringConfig, YearlyTarget
from dxplan.score.rates import INSUFFICIENT, NOT_APPLICABLE, OK
from dxplan.score.rates import NO_SCALE_LABEL
from dxplan.score.actions import score_action
from dxplan.score.indicators import score_indicator

from conftest import FIXTURES, PLANS, write_action

KPI = load_plan(FIXTURES / "kpi")
ACTIONS = {la.action.id: la.action for la in KPI.actions}
IND = {i.id: i for a in ACTIONS.values() for i in a.indicators}


def rates(ind_id):
    s = score_indicator(IND[ind_id], KPI.plan)
    return s, {y.fiscal_year: (y.status.value, y.shown) for y in s.years}


def test_kpi_fixture_loads_and_lints_clean():
    assert KPI.problems == []
    # K6 has a target for 令和6年度, a year over by the evaluation date (令和8年3月31日), and no actual: the one warning
    assert [(p.rule, p.path.name, p.line) for p in lint_paths([FIXTURES / "kpi"]).problems] == [("indicator-actual-missing", "3.yaml", 25)]


def test_cumulative_count_rates_per_year_and_overall_interim():
    s, years = rates("K1")  # baseline 10; targets 30/50/80; actual 28, forecast 46
    assert years == {2024: ("ok", "90.0"), 2025: ("ok", "90.0"), 2026: ("insufficient_data", None)}
    # overall: (46 − 10) / (80 − 10) = 51.43 %, measured in R7 against a target due in R8 → interim
    assert s.overall.status is OK and s.overall.shown == "51.4" and s.overall.interim
    assert s.years[1].actual.kind == "forecast"


def test_per_year_count_is_the_mean_of_yearly_rates():
    s, years = rates("K2")  # 30回/年: 24 → 80 %, 33 → 110 %; R8 not measured yet (not 0 %)
    assert years == {2024: ("ok", "80.0"), 2025: ("ok", "110.0"), 2026: ("insufficient_data", None)}
    assert (s.overall.shown, s.overall.interim) == ("95.0", False)


def test_percent_level_and_lower_is_better():
    s, years = rates("K3")  # 45 % of a 60 % target due R8, baseline 0
    assert (s.overall.shown, s.overall.interim) == ("75.0", True)
    assert years[2026] == ("insufficient_data", None) and years[2024] == ("not_applicable", None)
    s, _ = rates("K4")  # (40 − 28) / (40 − 20) = 60 %
    assert (s.overall.shown, s.overall.interim) == ("60.0", True)


def test_multiple_uses_baseline_one_and_a_reached_deadline_is_not_interim():
    s, _ = rates("K5")  # (1.8 − 1) / (2 − 1) = 80 %, not 90 %; due R7, measured R7
    assert (s.overall.shown, s.overall.interim) == ("80.0", False)


def test_no_actual_yet_is_apart_from_zero():
    s, years = rates("K6")
    assert s.overall.status is NOT_APPLICABLE and s.overall.value is None
    assert years[2024] == ("insufficient_data", None)


def test_action_rate_combines_indicators_as_the_plan_declares():
    plan = KPI.plan
    a1, a3 = ACTIONS["1"], ACTIONS["3"]
    weakest = score_action(a1, plan)  # declared: weakest of 51.43 and 95.0
    assert (weakest.deciding, weakest.rate.shown, weakest.rate.interim) == ("target", "51.4", True)
    assert weakest.label == NO_SCALE_LABEL  # A–D grades, no percent bands: never Kama's 課題あり
    mean = score_action(a1, plan.model_copy(update={"scoring": ScoringConfig(method="indicators", combine="mean")}))
    assert mean.rate.shown == "73.2"  # (51.43 + 95.0) / 2 = 73.21
    undeclared = score_action(a1, plan.model_copy(update={"scoring": ScoringConfig(method="indicators")}))
    assert undeclared.rate is None and undeclared.references["target"].status is INSUFFICIENT
    deciding_plan = plan.model_copy(update={"scoring": ScoringConfig(method="indicators", combine="deciding")})
    k2 = a1.indicators[1].model_copy(update={"deciding": True})
    deciding = score_action(a1.model_copy(update={"indicators": [a1.indicators[0], k2]}), deciding_plan)
    assert deciding.rate.shown == "95.0"
    # K6 has no actual: left out, K5 alone decides
    only = score_action(a3, plan)
    assert only.rate.shown == "80.0" and any("K6" in core_text(line, "en") for line in only.rate.explain)


def test_grade_split_per_year_equals_the_hand_count():
    actions = list(ACTIONS.values())
    # hand count of tests/fixtures/kpi: R6 K1 B, K2 C, K3 A, K4 B, K5 A, K6 —; R7 K1 C, K2 A, K3 B, K4 D, K5 A, K6 D
    r6 = grade_table(KPI.plan, actions, 2024)
    assert (r6.total.grades, r6.total.not_graded, r6.total.graded) == ({"A": 2, "B": 2, "C": 1, "D": 0}, 1, 5)
    assert f"{r6.total.share('A'):.2f}" == "40.00"  # of the 5 graded, the ungraded row apart
    r7 = grade_table(KPI.plan, actions, 2025)
    assert (r7.total.grades, r7.total.not_graded) == ({"A": 2, "B": 1, "C": 1, "D": 2}, 0)
    r8 = grade_table(KPI.plan, actions, 2026)
    assert (r8.total.graded, r8.total.not_graded) == (0, 6)
    by_dept = {g.key: g.grades for g in grade_table(KPI.plan, actions, 2025, "department").groups}
    # action 2 is owned jointly: its K3 B and K4 D count for both departments
    assert by_dept == {"市民課": {"A": 1, "B": 1, "C": 1, "D": 1}, "総務課": {"A": 1, "B": 1, "C": 0, "D": 2}}


def test_status_and_score_json_show_grades_and_indicators():
    runner = CliRunner()
    data = json.loads(runner.invoke(app, ["status", str(FIXTURES / "kpi"), "--format", "json"]).output)
    assert [(g["fiscal_year"], g["total"]["counts"], g["total"]["not_graded"]) for g in data["grades"]] == [
        (2024, {"A": 2, "B": 2, "C": 1, "D": 0}, 1), (2025, {"A": 2, "B": 1, "C": 1, "D": 2}, 0), (2026, {"A": 0, "B": 0, "C": 0, "D": 0}, 6)]
    scores = json.loads(runner.invoke(app, ["score", str(FIXTURES / "kpi"), "--format", "json", "--lang", "en"]).output)
    a1 = scores["actions"][0]
    assert (a1["shown"], a1["label"], a1["interim"]) == ("51.4", "no scale declared", True)
    assert [i["overall"]["shown"] for i in a1["indicators"]] == ["51.4", "95.0"]
    rows = json.loads(runner.invoke(app, ["status", str(FIXTURES / "kpi"), "--by", "indicator", "--year", "R7", "--format", "json"]).output)
    assert [(r["id"], r["years"][1]["shown"], r["years"][1]["grade"]) for r in rows["indicators"]] == [
        ("K1", "90.0", "C"), ("K2", "110.0", "A"), ("K3", None, "B"), ("K4", None, "D"), ("K5", "80.0", "A"), ("K6", None, "D")]


def test_iizuka_effect_totals_equal_an_independent_sum_over_the_yaml():
    yaml = YAML(typ="safe")
    expected_total: dict = defaultdict(float)
    expected_bu: dict = defaultdict(float)
    lp = load_plan(PLANS / "iizuka")
    for path in sorted((PLANS / "iizuka" / "actions").glob("*.yaml")):
        raw = yaml.load(path.read_text(encoding="utf-8"))
        bu = lp.index.department(raw["division"]).key
        for e in raw.get("effects", []):
            if e.get("value") is None or e.get("per"):  # per-person figures are in no sum
                continue
            key = (e["kind"], e.get("meaning") or "unspecified", parse_fiscal_year(e["fiscal_year"]))
            expected_total[key] += e["value"]
            expected_bu[(bu, *key)] += e["value"]
    summary = status_result(lp.plan, [la.action for la in lp.actions]).effects
    got_total = {(k, m, fy): v for (k, m), years in summary.total.values.items() for fy, v in years.items()}
    assert got_total == dict(expected_total)
    got_bu = {(bu, k, m, fy): v for bu, sums in summary.by_division.items() for (k, m), years in sums.values.items() for fy, v in years.items()}
    assert got_bu == dict(expected_bu)
    # spot figures, never netted: hours saved and extra workload are separate totals
    assert summary.total.total("hours", "saving") == 3126 and summary.total.total("hours", "extra_workload") == -2080
    assert summary.total.values[("money", "revenue")] == {2024: 12941583, 2025: 13248670, 2026: 13565750}


def test_iizuka_status_json_has_effect_totals_per_year_and_meaning():
    data = json.loads(CliRunner().invoke(app, ["status", str(PLANS / "iizuka"), "--format", "json"]).output)
    hours = data["effects"]["total"]["hours"]
    # #74 (R7 △24, R8 △24) and #76 (R7 △24, R8 △48) are per person (一人当たり): left out of the sums
    assert hours["reduction"] == {"by_year": {"2024": -2884, "2025": -4592, "2026": -3467}, "total": -10943, "cells": 12}
    assert data["effects"]["total"]["text_cells"] == {"hours": 24, "money": 90}
    assert data["effects"]["total"]["per_person_cells"] == {"hours": 4}
    assert {d["key"] for d in data["effects"]["by_division"]} >= {"総務部", "経済部", "議会事務局"}


def test_moved_yearly_targets_keep_their_text_and_old_shape_still_reads():
    kashima = {la.action.id: la.action for la in load_plan(PLANS / "kashima").actions}
    (sat,) = kashima["9"].indicators
    assert [(t.fiscal_year, t.value, t.comparator, t.text) for t in sat.targets] == [
        (2023, 50, ">=", "スマホ教室の受講者のうち、内容に満足している人の割合：50%以上"),
        (2024, 70, ">=", "スマホ教室の受講者のうち、内容に満足している人の割合：70%以上")]
    old = Action(id="x", title="x", category="A", sources=[{"file": "f", "location": "l"}], yearly_targets=[
        YearlyTarget(fiscal_year=2024, text="研修実施（1回／年）", spec={"kind": "per_year", "value": 1, "unit": "回／年", "metric": "研修実施"}),
        YearlyTarget(fiscal_year=2025, text="研修実施（1回／年）", spec={"kind": "per_year", "value": 1, "unit": "回／年", "metric": "研修実施"})])
    (ind,) = old.all_indicators
    assert (ind.accumulation, [t.value for t in ind.targets]) == ("per_year", [1, 1])


def test_a_plan_without_a_scale_is_warned_and_not_labelled_with_kamas_bands(tmp_path):
    plan_dir = tmp_path / "kpi"
    shutil.copytree(FIXTURES / "kpi", plan_dir)
    text = (plan_dir / "plan.yaml").read_text(encoding="utf-8")
    start = text.index("grade_scale:")
    (plan_dir / "plan.yaml").write_text(text[:start] + text[text.index("scoring:"):], encoding="utf-8")
    rules = sorted({p.rule for p in lint_paths([plan_dir]).problems})
    assert rules == ["indicator-actual-missing", "no-rating-scale", "unknown-grade"]  # grades entered with no scale to hold them (K6's missing actual as before)
    lp = load_plan(plan_dir)
    assert score_action(lp.actions[0].action, lp.plan).label == NO_SCALE_LABEL


def test_unknown_grade_suggests_the_close_one(mini_plan):
    write_action(mini_plan, "01.yaml", "id: '1'\ntitle: 例\ncategory: A-1\nowners: [総務課]\nindicators:\n  - id: K1\n    name: 件数\n"
                 "    grades:\n      - {fiscal_year: 令和6年度, grade: B+}\nsources: [{file: s, location: l}]\n")
    (p,) = lint_paths([mini_plan]).problems
    assert p.rule == "unknown-grade" and p.severity == "error" and "Did you mean 'B'?" in p.message_en


def test_indicator_target_changes_are_goalposts_actuals_are_not():
    assert is_goalpost("action", ("indicators", 0, "targets", 1, "value"))
    assert is_goalpost("action", ("indicators", 0, "target_value"))
    assert not is_goalpost("action", ("indicators", 0, "actuals", 0, "value"))
    assert not is_goalpost("action", ("indicators", 0, "grades", 0, "grade"))
    assert is_goalpost("plan", ("grade_scale", "grades", 0))
