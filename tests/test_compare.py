"""``dxplan compare`` and ``dxplan crosswalk``, the shipped national frame and the lint of ``serves``.

The bundled plans' figures are checked against the same plans' ``status``/``score`` JSON computed in
the test; the three-plan fixture (tests/fixtures/compare) against counts written by hand from its files.
"""

from __future__ import annotations

import json
import shutil

import pytest

from typer.testing import CliRunner

from dxplan.cli import app
from dxplan.lint.engine import lint_paths
from dxplan.model.frame import national_frame

from conftest import FIXTURES, PLANS, write_action

runner = CliRunner()
FIX = FIXTURES / "compare"
THREE = [FIX / "alpha", FIX / "beta", FIX / "gamma"]
BUNDLED = ["iizuka", "kama", "kashima", "kurate"]


def run(*args):
    return runner.invoke(app, [str(a) for a in args], env={"DXPLAN_LANG": "ja", "GITHUB_ACTIONS": ""})


def as_json(*args):
    result = run(*args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


# --------------------------------------------------------------------------- the national frame


def test_frame_lists_each_version_items_as_the_note_gives_them():
    frame = national_frame()
    assert frame.publisher == "総務省"
    assert frame.index_url == "https://www.soumu.go.jp/denshijiti/index_00001.html"
    assert frame.version_keys == ["1.0", "2.0", "2.2", "2.3", "3.0"]
    v23 = frame.version("2.3")
    assert v23 is not None and (v23.date, v23.section) == ("2024-02-05", "3.1")
    assert [i.name for i in v23.items] == [
        "自治体フロントヤード改革の推進", "自治体の情報システムの標準化・共通化", "公金収納における eLTAX の活用",
        "マイナンバーカードの普及促進・利用の推進", "セキュリティ対策の徹底", "自治体の AI・RPA の利用推進", "テレワークの推進",
    ]
    assert [len(v.items) for v in frame.versions] == [6, 6, 6, 7, 7]
    assert frame.versions_of("eltax") == ["2.3", "3.0"]
    assert frame.versions_of("online-procedures") == ["1.0", "2.0"]
    assert frame.versions_of("bpr") == []  # BPR is not a 重点取組事項 in any version seen
    assert all(v.annotation for v in frame.versions)  # every version says how sure its transcription is


# --------------------------------------------------------------------------- lint of serves


def test_serves_lint_reports_unknown_and_other_version_items_at_their_positions(mini_plan):
    plan_yaml = mini_plan / "plan.yaml"
    plan_yaml.write_text(plan_yaml.read_text(encoding="utf-8") + "national_frame: '2.0'\n", encoding="utf-8")
    path = write_action(mini_plan, "01.yaml", (
        "id: '1'\n"
        "title: 例\n"
        "category: A-1\n"
        "owners: [総務課]\n"
        "serves: [online-procedures, eltax, frontyad]\n"
        "sources: [{file: seed.txt, location: line 1}]\n"
    ))
    found = [(p.rule, p.path.name, p.line, p.column) for p in lint_paths([mini_plan]).problems
             if p.rule in {"unknown-national-item", "national-item-version"}]
    # online-procedures (col 10) is an item of 第2.0版: clean; eltax (col 29) is 第2.3版's; frontyad (col 36) no id
    assert sorted(found) == [("national-item-version", path.name, 5, 29), ("unknown-national-item", path.name, 5, 36)]
    problems = {p.rule: p for p in lint_paths([mini_plan]).problems}
    assert "Did you mean 'frontyard'?" in problems["unknown-national-item"].message_en
    assert "is not in version 第2.0版 that plan.yaml declares (it is in 第2.3版, 第3.0版)" in problems["national-item-version"].message_en


def test_unknown_national_frame_version_is_reported_in_plan_yaml(mini_plan):
    plan_yaml = mini_plan / "plan.yaml"
    plan_yaml.write_text(plan_yaml.read_text(encoding="utf-8") + "national_frame: '2.4'\n", encoding="utf-8")
    line = len(plan_yaml.read_text(encoding="utf-8").splitlines())
    hits = [p for p in lint_paths([mini_plan]).problems if p.rule == "unknown-national-frame"]
    assert [(h.path.name, h.line, h.column) for h in hits] == [("plan.yaml", line, 17)]
    assert "Did you mean '2.3'?" in hits[0].message_en
    assert "Use one of 1.0, 2.0, 2.2, 2.3, 3.0." in hits[0].message_en


def test_bundled_plans_are_untagged_where_their_sources_cite_no_national_item():
    # None of the four plans' texts ties an action to a 重点取組事項 (docs: the transcription rule)
    for name in BUNDLED:
        for path in (PLANS / name / "actions").glob("*.yaml"):
            assert "serves:" not in path.read_text(encoding="utf-8"), path


# --------------------------------------------------------------------------- compare on the bundled plans


def _labels_from_score(actions: list[dict]) -> dict[str, int]:
    """The label split as score's JSON gives it: evaluated actions under their label, the others under 未評価
    or データ不足 (insufficient data), as status and score word them."""
    out: dict[str, int] = {}
    for a in actions:
        key = "データ不足" if a["state"] == "insufficient_data" else a["label"]
        out[key] = out.get(key, 0) + 1
    return out


def test_compare_figures_equal_each_plans_own_status_and_score():
    data = as_json("compare", *(PLANS / n for n in BUNDLED), "-f", "json")
    plans = {p["plan"]: p for g in data["groups"] for p in g["plans"]}
    assert sorted(plans) == BUNDLED
    for name in BUNDLED:
        status = as_json("status", PLANS / name, "-f", "json")
        score = as_json("score", PLANS / name, "-f", "json")
        mine = plans[name]
        for year in status["years"]:
            total = year["total"]
            got = mine["years"][str(year["fiscal_year"])]
            assert (got["done"], got["with_status"], got["rows"]) == (total["counts"]["done"], total["with_status"], total["rows"]), name
            assert got["share"] == total["shares"]["done"], name
        assert mine["labels"] == _labels_from_score(score["actions"]), name
        indicators = [i for a in score["actions"] for i in a.get("indicators", [])]
        rated = [i for i in indicators if i["overall"]["status"] == "ok"]
        assert mine["indicators"] == {
            "on_track": sum(i["overall"]["rate"] >= 100 for i in rated), "rated": len(rated),
            "no_data": len(indicators) - len(rated), "total": len(indicators),
        }, name
        assert mine["national_items"]["coverage"] == "unclassified"
        assert len(mine["unclassified_actions"]) == len(score["actions"])
    assert plans["kama"]["last_evaluation"] == "2025-02-10"
    assert plans["kama"]["years"]["2024"]["share"] == 49.01  # 74 of 151 rows, as status shows
    assert plans["kurate"]["years"]["2026"]["state"] == "not_planned"  # no task rows at all
    assert plans["kashima"]["years"]["2023"]["state"] == "no_data"  # rows, none with a status
    assert [g["group"] for g in data["groups"]] == ["福岡県", "佐賀県"]


def test_compare_terminal_shows_unclassified_never_zero_percent():
    out = run("compare", PLANS, "--lang", "en")
    assert out.exit_code == 0, out.output
    assert "unclassified (50 action(s))" in out.stdout
    assert "0/7" not in out.stdout and "0.0%" not in out.stdout
    assert "49.0% (74/151)" in out.stdout


# --------------------------------------------------------------------------- the three-plan fixture


def test_grouped_table_equals_the_hand_count():
    data = as_json("compare", *THREE, "--groups", FIX / "groups.csv", "-f", "json")
    assert data["grouped_by"] == "peer" and data["fiscal_years"] == [2024, 2025]
    groups = {g["group"]: g for g in data["groups"]}
    assert list(groups) == ["小規模", "都市"]  # the CSV's order
    small, city = groups["小規模"], groups["都市"]
    assert [p["plan"] for p in small["plans"]] == ["alpha", "gamma"]
    assert [p["plan"] for p in city["plans"]] == ["beta"]  # listed by municipality code 402222
    # FY2024: alpha 完了 2 of 4 rows with a status (1:完了 進捗中, 2:完了, 3:未着手), gamma 1 of 1 → 3 of 5
    assert small["years"]["2024"] == {"state": "share", "done": 3, "with_status": 5, "rows": 5, "share": 60.0}
    # FY2025: alpha's one row has no status, gamma 完了 1 of 1
    assert small["years"]["2025"] == {"state": "share", "done": 1, "with_status": 1, "rows": 2, "share": 100.0}
    # beta: 完了 2, 進捗中 1 in FY2024; its period ends in FY2024
    assert city["years"]["2024"] == {"state": "share", "done": 2, "with_status": 3, "rows": 3, "share": 66.67}
    assert city["years"]["2025"]["state"] == "not_planned" and city["years"]["2025"]["share"] is None
    alpha = small["plans"][0]
    assert alpha["years"]["2025"] == {"state": "no_data", "done": 0, "with_status": 0, "rows": 1, "share": None}
    # alpha's K1: 12 of 10 → on track; K2: no actual → no data
    assert small["indicators"] == {"on_track": 1, "rated": 1, "no_data": 1, "total": 2}
    # national items: alpha serves frontyard (1, 2) and eltax (2); beta online-procedures (1); gamma nothing
    assert small["national_items"] == {"frontyard": 1, "eltax": 1}
    assert city["national_items"] == {"online-procedures": 1}
    assert (small["unclassified_actions"], small["actions"]) == (2, 4)  # alpha 3, gamma 1
    assert (city["unclassified_actions"], city["actions"]) == (1, 2)  # beta 2
    assert alpha["national_items"]["not_covered"] == ["standardization", "my-number-card", "security", "ai-rpa", "telework"]
    gamma = small["plans"][1]
    assert gamma["national_items"] == {"coverage": "unclassified", "covered": [], "not_covered": []}
    assert gamma["unclassified_actions"] == ["1"]


def test_compare_by_prefecture_and_plans_missing_from_the_group_file(tmp_path):
    by_pref = as_json("compare", *THREE, "-f", "json")
    assert [(g["group"], [p["plan"] for p in g["plans"]]) for g in by_pref["groups"]] == [("福岡県", ["alpha", "beta"]), ("佐賀県", ["gamma"])]
    partial = tmp_path / "g.csv"
    partial.write_text("\ufeffplan,group\nalpha,A群\n", encoding="utf-8")  # a BOM, as Excel writes it
    data = as_json("compare", *THREE, "--groups", partial, "-f", "json")
    assert [(g["group"], [p["plan"] for p in g["plans"]]) for g in data["groups"]] == [("A群", ["alpha"]), (None, ["beta", "gamma"])]


def test_bad_group_file_is_a_usage_error_with_its_position(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("plan,peer\nalpha,A\n", encoding="utf-8")
    out = run("compare", *THREE, "--groups", bad, "--lang", "en")
    assert out.exit_code == 2
    assert f"{bad}:1:1: the header needs a 'group' column" in out.output
    twice = tmp_path / "twice.csv"
    twice.write_text("plan,group\nalpha,A\nalpha,B\n", encoding="utf-8")
    out = run("compare", *THREE, "--groups", twice, "--lang", "en")
    assert out.exit_code == 2 and f"{twice}:3:1: 'alpha' is listed in two groups (A, B)" in out.output


def test_compare_csv_and_markdown_keep_no_data_apart_from_zero():
    out = run("compare", *THREE, "--groups", FIX / "groups.csv", "-f", "csv")
    assert out.exit_code == 0, out.output
    lines = out.stdout.splitlines()
    assert lines[0].startswith("group,plan,municipality,prefecture,national_frame,2024_state,2024_done,2024_with_status,2024_share,2025_state")
    assert lines[1].startswith("小規模,alpha,甲町,福岡県,2.3,share,2,4,50.0,no_data,0,0,,")
    assert lines[3].startswith("都市,beta,乙市,福岡県,2.0,share,2,3,66.67,not_planned,0,0,,")
    md = run("compare", *THREE, "--groups", FIX / "groups.csv", "-f", "markdown")
    assert "| 甲町 | 50.0% (2/4) | データなし |" in md.stdout
    assert "| 乙市 | 66.7% (2/3) | 計画なし |" in md.stdout
    assert "| 丙村 | 評価尺度なし 1 | — | 未分類（1 アクション） | 評価日なし |" in md.stdout


# --------------------------------------------------------------------------- crosswalk


def test_crosswalk_cells_list_the_actions_serving_each_item():
    data = as_json("crosswalk", *THREE, "-f", "json")
    assert (data["versions"], data["items_of"]) == (["2.0", "2.3"], "第2.3版")
    ids = [i["id"] for i in data["items"]]
    # 第2.3版's order first (the newest declared), then the items of other versions
    assert ids == ["frontyard", "standardization", "eltax", "my-number-card", "security", "ai-rpa", "telework", "online-procedures"]
    cells = {p["plan"]: p["cells"] for p in data["plans"]}
    assert cells["alpha"]["frontyard"] == [{"id": "1", "title": "書かない窓口"}, {"id": "2", "title": "納付書のQRコード"}]
    assert cells["alpha"]["eltax"] == [{"id": "2", "title": "納付書のQRコード"}]
    assert cells["alpha"]["standardization"] == []  # in its version, no action serves it
    assert cells["alpha"]["online-procedures"] is None  # not an item of 第2.3版
    assert cells["beta"]["online-procedures"] == [{"id": "1", "title": "電子申請の拡充"}]
    assert cells["beta"]["frontyard"] is None and cells["beta"]["eltax"] is None
    gamma = next(p for p in data["plans"] if p["plan"] == "gamma")
    assert gamma["coverage"] == "unclassified" and gamma["unclassified_actions"] == ["1"]
    md = run("crosswalk", *THREE, "-f", "markdown")
    assert "| 自治体フロントヤード改革の推進 (`frontyard`) | 1 書かない窓口<br>2 納付書のQRコード | — | 未分類 |" in md.stdout


def test_crosswalk_of_the_bundled_plans_shows_every_plan_unclassified():
    out = run("crosswalk", PLANS, "--lang", "en")
    assert out.exit_code == 0, out.output
    data = as_json("crosswalk", PLANS, "-f", "json")
    assert (len(data["items"]), data["items_of"]) == (7, "第3.0版")  # no version declared: the newest version's items
    assert {p["coverage"] for p in data["plans"]} == {"unclassified"}
    assert "unclassified" in out.stdout


def test_a_plan_that_did_not_load_leaves_compare_with_exit_1(tmp_path):
    broken = tmp_path / "broken"
    shutil.copytree(FIX / "gamma", broken)
    (broken / "plan.yaml").write_text("id: broken\n", encoding="utf-8")
    out = run("compare", FIX / "alpha", broken, "-f", "json")
    assert out.exit_code == 1
    assert [p["plan"] for g in json.loads(out.stdout)["groups"] for p in g["plans"]] == ["alpha"]


def test_compare_html_draws_a_bar_per_share_and_escapes_plan_text(tmp_path):
    hostile = tmp_path / "hostile"
    shutil.copytree(FIX / "gamma", hostile)
    plan = hostile / "plan.yaml"
    plan.write_text(plan.read_text(encoding="utf-8").replace("municipality: 丙村", "municipality: <script>x</script>村"), encoding="utf-8")
    out = run("compare", FIX / "alpha", hostile, "-f", "html")
    assert out.exit_code == 0, out.output
    page = out.stdout
    assert "<script>" not in page and "&lt;script&gt;x&lt;/script&gt;村" in page
    assert '<td class="num">50.0% (2/4)<svg' in page and 'width="50.0" height="8"' in page  # alpha FY2024: 2 of 4
    assert '<td class="none">データなし</td>' in page  # alpha FY2025: no bar, never a 0 % bar
    assert 'width="0.0"' not in page


def test_tags_without_a_declared_version_count_covered_items_only(tmp_path):
    plan = tmp_path / "gamma"
    shutil.copytree(FIX / "gamma", plan)
    action = plan / "actions" / "1.yaml"
    action.write_text(action.read_text(encoding="utf-8").replace("category: A\n", "category: A\nserves: [frontyard]\n"), encoding="utf-8")
    data = as_json("compare", plan, "-f", "json")
    mine = data["groups"][0]["plans"][0]
    assert mine["national_items"] == {"coverage": "no_version", "covered": [{"id": "frontyard", "name": None, "actions": ["1"]}], "not_covered": []}
    assert "1（版の宣言なし）" in run("compare", plan).stdout
    cells = as_json("crosswalk", plan, "-f", "json")["plans"][0]["cells"]
    assert cells == {"frontyard": [{"id": "1", "title": "ホームページの改修"}]}  # only the items its actions serve


@pytest.mark.parametrize(("lang", "written"), [("ja", "令和7年2月10日"), ("en", "10 February 2025")])
def test_the_last_evaluation_date_reads_in_the_language_s_date_style(lang, written):
    r = run("compare", PLANS / "kama", "--format", "markdown", "--lang", lang)
    assert r.exit_code == 0
    assert written in r.stdout and "2025-02-10" not in r.stdout
