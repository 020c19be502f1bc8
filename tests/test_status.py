"""Status counts of plans/kama reproduce 000's summary table from the per-task data."""

from __future__ import annotations

import pytest

from dxplan.status.counts import (
    compare_snapshot,
    round_share,
    share_text,
    snapshot_counts,
    status_result,
    status_table,
    tables_by_year,
)
from dxplan.fiscal import FiscalYearError, format_fiscal_year, parse_fiscal_year
from dxplan.files.load import load_plan
from dxplan.model.schema import State, StatusCounts, StatusSnapshot

from conftest import PLANS

KAMA = load_plan(PLANS / "kama")
ACTIONS = [la.action for la in KAMA.actions]


def test_kama_r6_reproduces_the_forecast_column_of_000():
    t = status_table(KAMA.plan, ACTIONS, 2024)
    assert {s.value: n for s, n in t.total.states.items()} == {"not_started": 0, "considering": 0, "in_progress": 77, "done": 74}
    assert (t.total.with_status, t.total.no_status, t.total.rows) == (151, 1, 152)
    assert share_text(t.total.share(State.in_progress)) == "50.99%"
    assert share_text(t.total.share(State.done)) == "49.01%"
    check = compare_snapshot(KAMA.plan, t)
    assert check.snapshot.label.startswith("令和7年3月末進捗見込")
    assert check.matches and check.differences == {}


def test_rows_without_status_are_counted_apart_not_dropped():
    r7 = status_table(KAMA.plan, ACTIONS, 2025)
    assert (r7.total.with_status, r7.total.no_status, r7.total.rows) == (0, 143, 143)
    assert r7.total.share(State.done) is None


def test_kama_r6_by_category_matches_seed_counts():
    t = status_table(KAMA.plan, ACTIONS, 2024, by="category")
    groups = {g.key: (g.states[State.in_progress], g.states[State.done], g.no_status) for g in t.groups}
    # I-1 (actions 1–8): grep of 000 lines 50–493 gives 進捗中 8, 完了 11; 15-1 (I-2) has no status
    assert groups["I-1"] == (8, 11, 0)
    assert groups["I-2"] == (14, 24, 1)
    assert sum(g.rows for g in t.groups) == 152


def test_by_department_counts_joint_rows_for_each_department():
    t = status_table(KAMA.plan, ACTIONS, 2024, by="department")
    by = {g.key: g.rows for g in t.groups}
    assert by["デジタル戦略課"] > by["人事秘書課"] > 0
    assert sum(by.values()) > t.total.rows  # joint rows counted for each named department


def test_snapshot_differences_are_reported(tmp_path):
    plan = KAMA.plan.model_copy(deep=True)
    t = status_table(plan, ACTIONS[:-1], 2024)  # drop action 50's rows
    check = compare_snapshot(plan, t)
    assert not check.matches
    assert check.differences["total"][0] == 151 and check.differences["total"][1] < 151


@pytest.mark.parametrize("text,fy", [("2024", 2024), (2024, 2024), ("R6", 2024), ("r6", 2024), ("令和6年度", 2024), ("令和元年度", 2019), ("H30", 2018), ("令和６年度", 2024), ("2024年度", 2024)])
def test_fiscal_year_forms(text, fy):
    assert parse_fiscal_year(text) == fy


@pytest.mark.parametrize("text", ["来年度", "R", "2024/4", "", True, 12])
def test_bad_fiscal_years(text):
    with pytest.raises(FiscalYearError):
        parse_fiscal_year(text)


def test_fiscal_year_styles():
    assert [format_fiscal_year(2024, s) for s in ("reiwa", "r", "western")] == ["令和6年度", "R6", "2024年度"]
    assert format_fiscal_year(2019) == "令和元年度"


def test_tables_by_year_default_is_every_year():
    assert [t.fiscal_year for t in tables_by_year(KAMA.plan, ACTIONS)] == [2024, 2025, 2026]


def test_shares_round_half_up_in_one_place():
    assert str(round_share(1 / 160 * 100)) == "0.63"  # round() gives 0.62
    assert share_text(1 / 160 * 100) == "0.63%"
    assert share_text(6.25, 1) == "6.3%" and share_text(None) == "—"


def test_status_result_holds_tables_checks_and_overview_once():
    r = status_result(KAMA.plan, ACTIONS, index=KAMA.index)
    assert [y.fiscal_year for y in r.years] == [2024, 2025, 2026]
    r6 = r.years[0]
    assert r6.check is not None and r6.check.matches
    assert [s.date.isoformat() for s in r6.snapshots] == ["2024-05-23", "2024-08-28", "2024-11-27", "2025-02-10"]
    first = r6.source_counts[0]
    assert (first.states[State.not_started], first.states[State.considering], first.with_status) == (1, 120, 151)
    assert r.state_words[State.in_progress] == "進捗中"
    assert (r.overview.fiscal_year, r.overview.actions.states[State.done], r.overview.rows.no_status) == (2024, 20, 1)


def test_department_groups_carry_keys_not_display_words():
    t = status_table(KAMA.plan, ACTIONS, 2024, by="department")
    assert t.joint_rows and all(g.label for g in t.groups)
    assert not status_table(KAMA.plan, ACTIONS, 2024, by="category").joint_rows


def test_snapshot_counts_treat_unprinted_states_as_zero():
    snap = StatusSnapshot(date="2024-05-23", label="x", fiscal_year=2024, counts=StatusCounts(done=3, total=3))
    c = snapshot_counts(snap)
    assert (c.states[State.done], c.states[State.not_started], c.with_status, c.rows) == (3, 0, 3, 3)
