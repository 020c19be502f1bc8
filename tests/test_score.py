"""Scoring: every worked example of seed 001 with its exact expected value, and the rules docs/domain.md makes exact."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import FIXTURES, PLANS

from dxplan.files.load import load_plan
from dxplan.model.schema import Action, DEFAULT_RATING_SCALE, Measurement, Target, TargetSpec, Task
from dxplan.score.rates import INSUFFICIENT, NOT_APPLICABLE, OK, RateStatus, round1, ScoreState
from dxplan.score.methods import Method, target_rate, task_rate
from dxplan.score.actions import attention_labels, band_order, label_for, score_action, tally_labels
from dxplan.output.jsonout import rate_dict
from dxplan.output.wording import core_text


def ja(text) -> str:
    """A scoring text (reason or explanation line) in Japanese."""
    return core_text(text, "ja")


def en(text) -> str:
    """A scoring text in English."""
    return core_text(text, "en")


EX = load_plan(FIXTURES / "kama001")
PLAN = EX.plan
ACTIONS = {la.action.id: la.action for la in EX.actions}


def scored(action_id):
    return score_action(ACTIONS[action_id], PLAN)


def test_fixture_loads_clean():
    assert EX.problems == []
    assert sorted(ACTIONS) == ["10x", "13", "2", "3a", "3b", "6"]


def test_001_example_1_multiple_uses_baseline_one():
    # 申請数 2倍 の目標に 1.8倍 → (1.8 − 1) / (2 − 1) = 80 %, not 1.8 / 2 = 90 %
    s = scored("3a")
    assert (s.deciding, s.rate.shown, s.label) == ("target", "80.0", "概ね達成")


def test_001_example_2_raw_rate_kept_label_capped():
    # 2.3倍 → raw 130 %, shown as 130.0, label from 100 → 達成
    s = scored("3b")
    assert s.rate.value == pytest.approx(130.0)
    assert (s.rate.shown, s.label) == ("130.0", "達成")


def test_001_action_6_increase_decides_over_task_rate():
    s = scored("6")
    assert (s.deciding, s.rate.shown, s.label) == ("target", "83.3", "概ね達成")
    tasks = s.references["tasks"]
    assert tasks.shown == "90.0"  # (75.0 + 97.5 + 97.5) / 3
    assert label_for(tasks.value, PLAN.rating_scale) == "ほぼ達成"
    assert [ja(line) for line in tasks.explain][:3] == [
        "令和6年度: (100 + 80 + 100 + 20) ÷ 4 = 75.0%",
        "令和7年度: (100 + 90 + 100 + 100) ÷ 4 = 97.5%",
        "令和8年度: (100 + 90 + 100 + 100) ÷ 4 = 97.5%",
    ]


def test_001_action_2_level_target_over_100_is_achieved():
    s = scored("2")
    assert (s.rate.shown, s.label) == ("120.0", "達成")  # 96 / 80


def test_001_generic_count_8_of_10():
    s = scored("10x")
    assert (s.rate.shown, s.label) == ("80.0", "概ね達成")


def test_001_action_13_task_rate_is_54_2_not_56_5():
    """001 prints 3カ年の平均進捗率 56.5% for action 13, but its own yearly means
    42.5, 50.0 and 70.0 give 162.5 / 3 = 54.1666… → 54.2 %. No averaging variant
    yields 56.5 (the pooled mean of the 12 cells, 650 / 12, is also 54.17), so the
    tool computes 54.2 and the plan records the discrepancy."""
    tasks = scored("13").references["tasks"]
    assert tasks.status == OK
    assert tasks.value == pytest.approx(54.1666666, abs=1e-6)
    assert tasks.shown == "54.2"
    assert ja(tasks.explain[-1]) == "年度平均の平均: (42.5 + 50.0 + 70.0) ÷ 3 = 54.2%"
    assert label_for(tasks.value, PLAN.rating_scale) == "課題あり"


def test_001_action_13_summary_evaluation_decides_for_text_target():
    s = scored("13")
    assert s.references["target"].status == NOT_APPLICABLE
    assert (s.deciding, s.rate.shown, s.label) == ("summary", "70.0", "やや未達")


@pytest.mark.parametrize(
    "value,label",
    [(100.0, "達成"), (99.96, "達成"), (99.94, "ほぼ達成"), (90.0, "ほぼ達成"), (89.96, "ほぼ達成"), (89.94, "概ね達成"),
     (80.0, "概ね達成"), (79.99, "概ね達成"), (79.94, "やや未達"), (60.0, "やや未達"), (59.9, "課題あり"), (0.0, "課題あり"), (-20.0, "課題あり")],
)
def test_labels_use_value_as_shown(value, label):
    assert label_for(value, DEFAULT_RATING_SCALE) == label


def test_round_half_up_not_bankers():
    assert str(round1(54.25)) == "54.3"
    assert str(round1(0.05)) == "0.1"


def _action(**kw) -> Action:
    base = dict(id="x", title="t", category="A-1", sources=[{"file": "f", "location": "l"}])
    return Action.model_validate(base | kw)


def test_lower_is_better_uses_baseline():
    a = _action(target=Target(text="未処理案件 0件", spec=TargetSpec(kind="lower_is_better", value=0, baseline=20), measurements=[Measurement(value=5)]))
    r = target_rate(a, PLAN)
    assert (r.status, r.shown) == (OK, "75.0")  # (20 − 5) / (20 − 0)


def test_lower_is_better_without_baseline_is_insufficient_not_zero():
    a = _action(target=Target(text="0件", spec=TargetSpec(kind="lower_is_better", value=0), measurements=[Measurement(value=5)]))
    r = target_rate(a, PLAN)
    assert (r.status, r.value) == (INSUFFICIENT, None)


@pytest.mark.parametrize("kind", ["level", "per_year"])
def test_target_equal_to_baseline_is_insufficient_and_keeps_its_explanation(kind):
    a = _action(target=Target(text="0%", spec=TargetSpec(kind=kind, value=0), measurements=[Measurement(value=5, fiscal_year=2024)]))
    r = target_rate(a, PLAN)
    assert (r.status, r.value, r.shown) == (INSUFFICIENT, None, None)
    assert en(r.reason) == "target equals baseline"
    assert [en(line) for line in r.explain][0].startswith("target: 0%")
    assert rate_dict(r)["rate"] is None  # JSON output of the rate


def test_per_year_mean_of_yearly_rates():
    a = _action(target=Target(text="30件/年", spec=TargetSpec(kind="per_year", value=30), measurements=[
        Measurement(value=30, fiscal_year=2024), Measurement(value=15, fiscal_year=2025),
        Measurement(value=20, date=dt.date(2026, 2, 1)),  # FY R7 by date: replaces nothing, a later one in R7
    ]))
    r = target_rate(a, PLAN)
    # R6 30/30 = 100, R7 latest is 20 (2026-02-01) → 66.7; mean 83.3
    assert r.shown == "83.3"


def test_task_without_percent_is_insufficient_data_never_zero():
    a = _action(tasks=[Task(fiscal_year=2024, status="完了"), Task(fiscal_year=2024, status="進捗中")])
    r = task_rate(a, PLAN)
    assert r.status == INSUFFICIENT and r.value is None
    assert "進捗中" in ja(r.reason)
    s = score_action(a, PLAN)
    assert (s.label, s.state) == ("未評価", "insufficient_data")


def test_action_with_nothing_is_not_evaluated():
    s = score_action(_action(), PLAN)
    assert (s.deciding, s.label, s.state) == (None, "未評価", "not_evaluated")


def test_kama_real_action_2_decided_by_measurement_of_000():
    kama = load_plan(PLANS / "kama")
    a = next(la.action for la in kama.actions if la.action.id == "2")
    s = score_action(a, kama.plan)
    assert (s.deciding, s.rate.shown, s.label) == ("target", "103.3", "達成")  # 82.6 / 80 on 2025-01-31
    # the task rate covers only FY R6: the evaluation date 2025-02-10 lies in R6
    assert ja(s.references["tasks"].explain[0]) == "評価対象: 令和6年度まで（評価日 2025-02-10 時点）"


def test_draft_plan_without_any_result_is_not_evaluated_not_insufficient():
    kashima = load_plan(PLANS / "kashima")
    s = score_action(kashima.actions[0].action, kashima.plan)
    assert (s.label, s.state) == ("未評価", "not_evaluated")
    assert en(s.references["tasks"].reason) == "no results recorded yet (not evaluated)"


def test_states_and_methods_are_enums_that_read_as_their_json_words():
    s = scored("13")
    assert s.deciding is Method.summary and s.state is ScoreState.evaluated
    assert list(s.references) == [Method.target, Method.tasks, Method.summary]
    assert s.references[Method.target].status is RateStatus.not_applicable
    nothing = score_action(_action(), PLAN)
    assert nothing.state is ScoreState.not_evaluated and f"{nothing.state}" == "not_evaluated"


def test_tally_counts_labels_and_unevaluated_states_apart():
    a = _action(tasks=[Task(fiscal_year=2024, status="進捗中")])  # no percent for 進捗中 → insufficient data
    scores = [scored("2"), scored("3b"), scored("13"), score_action(_action(), PLAN), score_action(a, PLAN)]
    assert tally_labels(scores) == {"達成": 2, "やや未達": 1, ScoreState.not_evaluated: 1, ScoreState.insufficient_data: 1}


def test_attention_labels_are_the_two_lowest_bands():
    assert band_order(DEFAULT_RATING_SCALE)[0] == "達成"
    assert attention_labels(DEFAULT_RATING_SCALE) == ["やや未達", "課題あり"]


def test_every_method_has_one_rule_and_one_set_of_words():
    """A method is registered once (methods.METHOD_RULES) and worded once (wording.METHOD_WORDS), for every writer."""
    from dxplan.model.schema import ScoringConfig
    from dxplan.output.wording import METHOD_WORDS, method_change_word, method_heading, method_label
    from dxplan.score.methods import METHOD_RULES, deciding_order

    assert list(METHOD_RULES) == list(Method) == list(METHOD_WORDS)
    for m in Method:
        for lang in ("ja", "en"):
            assert method_label(m, lang, PLAN) and method_heading(m, lang) and method_change_word(m.value, lang)
        assert method_change_word(m, "ja") != method_change_word(m, "en")  # the catalogue has its Japanese
    assert deciding_order(PLAN) == [Method.target, Method.summary, Method.tasks]  # 001's flowchart
    alone = PLAN.model_copy(update={"scoring": ScoringConfig(method="indicators")})
    assert deciding_order(alone) == [Method.target]
    assert [method_change_word(m, "ja") for m in Method] == ["目標値", "タスク平均", "総括評価"]
