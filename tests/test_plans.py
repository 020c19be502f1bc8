"""The bundled plans: each lints without errors, and its counts match the figures of the source's own lists.

How each figure was counted from the seed is said beside it.
"""

from __future__ import annotations

from collections import Counter

import pytest

from dxplan.lint.engine import lint_paths
from dxplan.files.load import load_plan
from dxplan.model.index import PlanIndex

from conftest import PLANS

PLAN_DIRS = sorted(p.parent.name for p in PLANS.glob("*/plan.yaml"))


def _loaded(name):
    lp = load_plan(PLANS / name)
    assert lp.problems == [], lp.problems[:3]
    return lp, PlanIndex(lp.plan), [la.action for la in lp.actions]


def test_all_four_plans_are_bundled():
    assert PLAN_DIRS == ["iizuka", "kama", "kashima", "kurate"]


@pytest.mark.parametrize("name", PLAN_DIRS)
def test_plan_lints_without_errors(name):
    result = lint_paths([PLANS / name])
    assert [p for p in result.problems if p.severity == "error"] == []


@pytest.mark.parametrize("name", ["iizuka", "kashima", "kurate"])
def test_other_plans_lint_without_warnings(name):
    # notes-commentary included: their transcriber notes live in transcription_notes, not in notes
    result = lint_paths([PLANS / name])
    assert [(p.path.name, p.rule) for p in result.problems] == []


def test_kama_known_warnings_are_the_sources_own_gaps():
    """The warnings left on plans/kama are facts of the source, each recorded in the file's discrepancies."""
    result = lint_paths([PLANS / "kama"])
    got = Counter((p.path.name, p.rule) for p in result.problems)
    assert got == Counter({
        ("16.yaml", "required-by-plan"): 2, ("20.yaml", "required-by-plan"): 2,  # no overview page in 000
        ("10.yaml", "department-not-owner"): 1, ("15.yaml", "department-not-owner"): 1, ("17.yaml", "department-not-owner"): 1,
        ("21.yaml", "department-not-owner"): 1, ("24.yaml", "department-not-owner"): 1, ("25.yaml", "department-not-owner"): 1,
        ("28.yaml", "department-not-owner"): 1,
        ("38.yaml", "baseline-missing"): 1,  # 0件 target, no baseline in 000
    })


def test_kama_counts_match_001_action_list():
    # 001's structure slides list 8 中区分 with actions 1–8, 9–19, 20–22, 23–26, 27–30, 31–35, 36–46, 47–50
    lp, ix, actions = _loaded("kama")
    assert len(actions) == 50
    leaf = Counter(ix.category(a.category).node.id for a in actions)
    assert leaf == {"I-1": 8, "I-2": 11, "I-3": 3, "II-1": 4, "II-2": 4, "III-1": 5, "III-2": 11, "III-3": 4}
    assert Counter(ix.category(a.category).top.id for a in actions) == {"I": 22, "II": 8, "III": 20}
    # task rows per FY: tab rows under each 担当課/令和N年度 header of 000 (R6 152, R7 143, R8 142)
    assert Counter(t.fiscal_year for a in actions for t in a.tasks) == {2024: 152, 2025: 143, 2026: 142}
    assert sorted(int(a.id) for a in actions) == list(range(1, 51))


def test_kashima_counts_match_overview_tables():
    # 002 P3–P5 overview: 51 numbered rows (市民 1–26, 業務 27–44, 人財 45–51) plus 15 再掲 rows
    lp, ix, actions = _loaded("kashima")
    assert len(actions) == 51
    distinct = Counter(ix.category(a.category).top.id for a in actions)
    assert distinct == {"P1": 26, "P2": 18, "P3": 7}
    with_relisting = Counter()
    for a in actions:
        for top in {ix.category(c).top.id for c in [a.category, *a.secondary_categories]}:
            with_relisting[top] += 1
    assert with_relisting == {"P1": 26, "P2": 32, "P3": 8}  # the overview's per-pillar totals with 再掲
    assert sum(len(a.secondary_categories) for a in actions) == 16  # 15 再掲 rows + No.48's second 区分
    owners = Counter(ix.department(o).key for a in actions for o in a.owners)
    assert owners.most_common(3) == [("DX推進室", 10), ("企画財政課", 6), ("総務課", 6)]
    assert len(owners) == 21
    assert Counter(t.fiscal_year for a in actions for t in a.tasks) == {2023: 140, 2024: 120}
    assert all(t.status is None for a in actions for t in a.tasks)  # a draft: no status anywhere


def test_kurate_items_glossary_and_first_plan():
    # 004 §4: ①–④ items under three 基本方針 (3 + 4 + 2); §6: 47 glossary terms; §5: 9 results of 第1期
    lp, ix, actions = _loaded("kurate")
    assert Counter(a.category for a in actions) == {"1": 3, "2": 4, "3": 2}
    assert len(lp.plan.glossary) == 47
    assert lp.plan.glossary[0].term == "アクセシビリティ" and lp.plan.glossary[-1].term == "Society 5.0"
    (first,) = lp.plan.predecessors
    assert (first.period_start, first.period_end, len(first.results)) == (2023, 2025, 9)
    assert all(a.target is None and a.owners == [] and a.tasks == [] for a in actions)  # none stated in 004
    r7 = next(r for r in first.results if r.id == "R7")
    assert r7.measure == "デジタルデバйд対策"  # Cyrillic й and д kept verbatim (004 L268)


def test_iizuka_counts_match_priority_list_and_sheets():
    # 003: 91 取組項目個票 (lines starting 概要<TAB>取組項目名); the priority list has rows 1–84, sheets 85–91 follow
    lp, ix, actions = _loaded("iizuka")
    assert sorted(int(a.id) for a in actions) == list(range(1, 92))
    assert Counter(ix.category(a.category).top.id for a in actions) == {"D": 57, "P": 11, "F": 13, "A": 10}
    # the list's 部局名 column (01総務部 …) for 1–84; derived from the lead department for 85–91
    assert all(a.division and ix.department(a.division) for a in actions)  # every action names a declared 部
    by_bu = Counter(ix.department(a.division).key for a in actions)
    assert [by_bu[b] for b in ("総務部", "行政経営部", "市民協働部", "市民環境部", "経済部", "福祉部", "都市建設部", "議会事務局", "教育部", "企業局")] == [16, 29, 9, 4, 10, 5, 10, 1, 4, 3]
    assert [k.id for k in lp.plan.indicators] == ["K1", "K2", "K3", "K4", "K5"]
    assert [k.baseline.value for k in lp.plan.indicators] == [6.8, 7.3, 4.2, 7.0, 47.89]
    assert all(t.status is None and t.result is None for a in actions for t in a.tasks)  # 実績 all empty


def test_iizuka_sign_conventions_are_recorded_per_sheet():
    lp, ix, actions = _loaded("iizuka")
    by_id = {a.id: a for a in actions}
    # #6: △ in preparation years = extra workload; the positive R8 figure = hours saved
    six = [(e.fiscal_year, e.raw, e.value, e.meaning) for e in by_id["6"].effects if e.kind == "hours"]
    assert six == [(2024, "△480", -480, "extra_workload"), (2025, "△480", -480, "extra_workload"), (2026, "1,920", 1920, "saving")]
    # #59: △2,240 = 「36時間-8時間=28時間/日 ×80日」, hours saved — the same sign, the opposite meaning
    fifty_nine = [e for e in by_id["59"].effects if e.kind == "hours" and e.value is not None]
    assert fifty_nine and all(e.value < 0 and e.meaning == "reduction" for e in fifty_nine)
    # #62 is the only sheet with ▲
    assert {e.raw for e in by_id["62"].effects if e.raw.startswith("▲")} == {"▲100"}
    # money in thousand yen; cells that are not numbers keep their text and no value
    assert all(e.unit == "千円" for a in actions for e in a.effects if e.kind == "money" and e.value is not None)
    assert [(e.raw, e.value, e.meaning) for e in by_id["6"].effects if e.kind == "money"] == [
        ("—", None, None), ("—", None, None), ("(設置運用コスト)", None, "cost")]
