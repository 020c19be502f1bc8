"""The report's history parts (the history table, the movement, the comparison with the plan's summary table) on a real git repository of plans/kama.

The repository gets four commits, one on each of 000's evaluation dates, with the R6 task rows' statuses set to
000's printed distribution of that date (tests/test_history.py's builder), so the report's history table must
reproduce 000's summary table column by column, the movement must be the difference of the last two columns,
and each action's row must hold its R6 status words at the four commits, read here straight from git with
ruamel.yaml (not through dxplan's loader).
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
from pathlib import Path

import html5lib
import pytest
from ruamel.yaml import YAML
from typer.testing import CliRunner

from conftest import GIT_ENV, PLANS, git
from dxplan.cli import app
from dxplan.files.load import load_plan
from test_council import japanese_outside_plan_data
from test_history import SNAPSHOTS, commit_at, set_distribution
from test_report import assert_markdown_tables_consistent, md_table_rows

ENV = {"DXPLAN_LANG": "ja", "GITHUB_ACTIONS": "", "COLUMNS": "200"}
SVG = "{http://www.w3.org/2000/svg}"
DATES_JA = ["令和6年5月23日", "令和6年8月28日", "令和6年11月27日", "令和7年2月10日"]
DATES_EN = ["23 May 2024", "28 August 2024", "27 November 2024", "10 February 2025"]
WORDS = ("未着手", "検討中", "進捗中", "完了")
R6 = ("令和6年度", "2024", "R6")


def build(repo: Path, dates: dict[str, tuple[int, int, int, int]]) -> Path:
    """plans/kama in a new repository at ``repo``, one commit per date with that date's R6 distribution."""
    repo.mkdir(parents=True)
    git(repo, "init", "-q")
    shutil.copytree(PLANS / "kama", repo / "plans" / "kama")
    for day, counts in dates.items():
        set_distribution(repo / "plans" / "kama", counts, day)
        commit_at(repo, day, f"evaluation {day}")
    return repo


@pytest.fixture(scope="module")
def kama_repo(tmp_path_factory) -> Path:
    return build(tmp_path_factory.mktemp("report-history") / "repo", SNAPSHOTS)


def report(*args: str, lang: str = "ja") -> tuple[int, str]:
    r = CliRunner().invoke(app, ["report", *args, "--lang", lang], env={**ENV, "DXPLAN_LANG": lang})
    return r.exit_code, r.stdout


def section(md: str, heading: str) -> str:
    """The Markdown from ``### heading`` up to the next heading of level 1–3."""
    start = md.index(f"### {heading}")
    end = re.search(r"^#{1,3} ", md[start + 4:], flags=re.M)
    return md[start:start + 4 + end.start()] if end else md[start:]


def r6_words_at(repo: Path, commit: str, action: str) -> list[str | None]:
    """The R6 status words of one action file at ``commit``, read with git and ruamel.yaml."""
    text = subprocess.run(["git", "show", f"{commit}:plans/kama/actions/{action}.yaml"], cwd=repo, capture_output=True,
                          text=True, check=True, env={**os.environ, **GIT_ENV}).stdout
    tree = YAML(typ="safe").load(io.StringIO(text))
    return [t.get("status") for t in tree.get("tasks", []) if str(t.get("fiscal_year")) in R6]


def commits(repo: Path) -> list[str]:
    return git(repo, "log", "--reverse", "--format=%H", "--", "plans/kama").split()


# --------------------------------------------------------------------------- the table and the movement


def test_markdown_history_table_has_000s_counts_per_evaluation_date(kama_repo):
    code, md = report(str(kama_repo / "plans" / "kama"))
    assert code == 0
    part = section(md, "進捗状況の推移（計画の変更履歴から）")
    rows = md_table_rows(part, "| 状況 |")
    assert rows[0] == ["状況", *DATES_JA]
    body = {r[0]: r[1:] for r in rows[2:]}
    for i, word in enumerate(WORDS):
        counts = [c[i] for c in SNAPSHOTS.values()]
        assert [cell.split(" ")[0] for cell in body[word]] == [str(n) for n in counts], word
    assert body["検討中"] == ["120 (79.47%)", "61 (40.40%)", "35 (23.18%)", "0 (0.00%)"]
    assert body["完了"] == ["9 (5.96%)", "15 (9.93%)", "25 (16.56%)", "74 (49.01%)"]
    assert body["**合計（状況あり）**"] == ["**151**"] * 4
    assert body["状況なし"] == ["1"] * 4  # action 15's R6 row without a status, kept apart
    # the plan's own table (plan.yaml's status_snapshots) agrees with history at every date
    assert body["計画の集計表との照合"] == ["一致"] * 4
    assert "計画の集計表（4列）: 令和6年5月23日、令和6年8月28日、令和6年11月27日、令和7年2月10日は履歴と一致。" in part
    assert_markdown_tables_consistent(md)


def test_movement_since_the_previous_date_is_the_difference_of_the_last_two_columns(kama_repo):
    code, md = report(str(kama_repo / "plans" / "kama"))
    part = section(md, "進捗状況の推移（計画の変更履歴から）")
    # 2024-11-27 (0, 35, 91, 25) → 2025-02-10 (0, 0, 77, 74): 検討中 −35, 進捗中 −14, 完了 +49; 未着手 did not move
    assert "**令和6年11月27日からの変化（令和7年2月10日時点）: 検討中 −35、進捗中 −14、完了 +49**" in part
    # which actions changed state, from their R6 words read straight from git at the last two commits
    before, after = commits(kama_repo)[-2:]

    def state(words: list[str | None]) -> str | None:
        kinds = {w for w in words if w}
        if not kinds:
            return None
        if len(kinds) == 1:
            return kinds.pop()
        return "検討中" if kinds <= {"検討中", "未着手"} else "進捗中"

    expected = []
    for path in sorted((kama_repo / "plans" / "kama" / "actions").glob("*.yaml"), key=lambda p: int(p.stem)):
        was, now = state(r6_words_at(kama_repo, before, path.stem)), state(r6_words_at(kama_repo, after, path.stem))
        if was != now:
            expected.append((str(int(path.stem)), was, now))
    listed = re.findall(r"^- \[(\d+) [^\]]*\]\(#action-\d+\): (\S+) → (\S+)$", part, flags=re.M)
    assert listed == expected
    assert len(listed) == 25 and ("1", "検討中", "進捗中") in listed and ("25", "進捗中", "完了") in listed
    assert "令和6年11月27日から状況が変わったアクション（25件）:" in part


def test_one_actions_status_over_dates_row_equals_its_statuses_at_those_commits(kama_repo):
    code, md = report(str(kama_repo / "plans" / "kama"))
    sheet = md.split('<a id="action-1"></a>', 1)[1].split('<a id="action-2"></a>', 1)[0]
    rows = md_table_rows(sheet.split("#### 評価日ごとの進捗状況（令和6年度）", 1)[1], "| 令和6年5月23日")
    assert rows[0] == DATES_JA
    words = [r6_words_at(kama_repo, c, "01") for c in commits(kama_repo)]
    assert rows[2] == ["、".join(w) for w in words]
    assert rows[2] == ["未着手、検討中", "検討中、検討中", "検討中、検討中", "進捗中、進捗中"]


def test_english_history_uses_western_dates_and_no_japanese_of_its_own(kama_repo):
    code, md = report(str(kama_repo / "plans" / "kama"), lang="en")
    assert code == 0
    part = section(md, "Status over time (from the plan's history)")
    assert md_table_rows(part, "| status |")[0] == ["status", *DATES_EN]
    assert ("**Movement since 27 November 2024 (to 10 February 2025): 検討中 (considering) −35, 進捗中 (in progress) −14, "
            "完了 (done) +49**") in part
    # outside the plan's own words (state words, action titles) the section is English
    rest = part
    for w in (*WORDS, *re.findall(r"\[\d+ ([^\]]*)\]", part)):
        rest = rest.replace(w, "")
    assert not re.findall(r"[\u3040-\u30ff\u4e00-\u9fff\u3000-\u303f\uff00-\uffef]+", rest)


def test_english_html_with_history_has_no_japanese_outside_plan_data(kama_repo, tmp_path):
    out = tmp_path / "en.html"
    r = CliRunner().invoke(app, ["report", str(kama_repo / "plans" / "kama"), "-f", "html", "--lang", "en", "-o", str(out)], env=ENV)
    assert r.exit_code == 0, r.output
    html = out.read_text(encoding="utf-8")
    assert 'id="chart-history"' in html and "Movement since 27 November 2024" in html
    found = japanese_outside_plan_data(html, load_plan(kama_repo / "plans" / "kama"))
    assert not found, found[:20]


# --------------------------------------------------------------------------- HTML: table and line chart


def test_html_history_table_and_accessible_line_chart(kama_repo, tmp_path):
    out = tmp_path / "kama.html"
    r = CliRunner().invoke(app, ["report", str(kama_repo / "plans" / "kama"), "-f", "html", "-o", str(out)], env=ENV)
    assert r.exit_code == 0, r.output
    doc = html5lib.HTMLParser(strict=True, tree=html5lib.getTreeBuilder("etree"), namespaceHTMLElements=False).parse(out.read_text(encoding="utf-8"))
    hist = doc.find(".//section[@id='history']")
    table = hist.find(".//table[@class='history-table']")
    heads = ["".join(th.itertext()).strip() for th in table.find("thead").iter("th")]
    assert heads == ["状況", *DATES_JA]
    cells = {tr.get("data-state"): ["".join(td.itertext()) for td in tr.findall("td")] for tr in table.iter("tr") if tr.get("data-state")}
    assert cells["in_progress"] == ["21 (13.91%)", "75 (49.67%)", "91 (60.26%)", "77 (50.99%)"]
    assert cells["not_started"] == ["1 (0.66%)", "0 (0.00%)", "0 (0.00%)", "0 (0.00%)"]
    svg = hist.find(f".//figure[@id='chart-history']/{SVG}svg")
    assert svg.get("role") == "img" and svg.get("aria-labelledby") == "chart-history-title chart-history-desc"
    assert svg.find(f"{SVG}title").text == "進捗状況別の割合の推移（令和6年5月23日～令和7年2月10日）"
    desc = svg.find(f"{SVG}desc").text
    assert "令和6年5月23日: 未着手 0.66%、検討中 79.47%、進捗中 13.91%、完了 5.96%" in desc
    lines = svg.findall(f".//{SVG}polyline")
    assert len(lines) == 4 and all(len(pl.get("points").split()) == 4 for pl in lines)
    # 0 % is drawn at y 214 and 100 % at y 14: 完了's last point (49.01 %) at 214 − 0.4901 × 200 = 115.98
    done = hist.find(f".//{SVG}g[@class='line st-line-done']/{SVG}polyline")
    assert done.get("points").split()[-1] == "690.0,116.0"
    sheet = doc.find(".//article[@data-action-id='1']")
    row = sheet.find(".//table[@class='history-sheet']")
    assert ["".join(td.itertext()) for td in row.iter("td")] == ["未着手、検討中", "検討中、検討中", "検討中、検討中", "進捗中、進捗中"]


# --------------------------------------------------------------------------- where there is no history


def test_no_git_one_evaluation_date_or_no_history_option_leaves_the_section_out(kama_repo, tmp_path):
    plain = tmp_path / "plain" / "kama"
    shutil.copytree(PLANS / "kama", plain)
    one = build(tmp_path / "one", {"2024-05-23": SNAPSHOTS["2024-05-23"]})
    for folder in (plain, one / "plans" / "kama"):
        for fmt in ("md", "html"):
            out = tmp_path / f"r.{fmt}"
            r = CliRunner().invoke(app, ["report", str(folder), "-f", fmt, "-o", str(out)], env=ENV)
            assert r.exit_code == 0, r.output
            text = out.read_text(encoding="utf-8")
            assert "進捗状況の推移" not in text and "評価日ごとの進捗状況" not in text and 'id="history"' not in text
    code, md = report(str(kama_repo / "plans" / "kama"), "--no-history")
    assert code == 0 and "進捗状況の推移" not in md and "評価日ごとの進捗状況" not in md


def test_commits_under_one_evaluation_date_give_one_column_with_the_last_figures(kama_repo, tmp_path):
    repo = tmp_path / "repo"
    shutil.copytree(kama_repo, repo)
    # a later commit under the same evaluation date: the plan's own 8/28 column is mistyped (60 for 61)
    plan_yaml = repo / "plans" / "kama" / "plan.yaml"
    text = plan_yaml.read_text(encoding="utf-8")
    new = text.replace("counts: {not_started: 0, considering: 61,", "counts: {not_started: 0, considering: 60,", 1)
    assert new != text
    plan_yaml.write_text(new, encoding="utf-8")
    commit_at(repo, "2025-03-05", "a typo in the plan's own table")
    code, md = report(str(repo / "plans" / "kama"))
    part = section(md, "進捗状況の推移（計画の変更履歴から）")
    rows = md_table_rows(part, "| 状況 |")
    assert rows[0] == ["状況", *DATES_JA]
    check = next(r for r in rows if r[0] == "計画の集計表との照合")
    assert check[1:] == ["一致", "不一致: 検討中 計画の表 60・履歴 61", "一致", "一致"]
    assert "令和6年5月23日、令和6年11月27日、令和7年2月10日は履歴と一致／令和6年8月28日は履歴と不一致。" in part


def test_as_of_reads_the_history_up_to_that_date(kama_repo):
    code, md = report(str(kama_repo / "plans" / "kama"), "--as-of", "2024-09-01")
    assert code == 0
    part = section(md, "進捗状況の推移（計画の変更履歴から）")
    assert md_table_rows(part, "| 状況 |")[0] == ["状況", *DATES_JA[:2]]
    assert "**令和6年5月23日からの変化（令和6年8月28日時点）: 未着手 −1、検討中 −59、進捗中 +54、完了 +6**" in part


def test_shallow_clone_gives_a_one_line_note_not_a_failure(kama_repo, tmp_path):
    env = {**os.environ, **GIT_ENV}
    for depth, columns in ((2, DATES_JA[2:]), (1, None)):
        clone = tmp_path / f"clone{depth}"
        subprocess.run(["git", "clone", "-q", "--depth", str(depth), f"file://{kama_repo}", str(clone)], check=True, env=env, capture_output=True)
        code, md = report(str(clone / "plans" / "kama"))
        assert code == 0
        notes = [ln for ln in md.splitlines() if "浅いクローン" in ln]
        assert len(notes) == 1 and "git fetch --unshallow" in notes[0]
        if columns is None:
            assert "進捗状況の推移" not in md
        else:
            assert md_table_rows(section(md, "進捗状況の推移（計画の変更履歴から）"), "| 状況 |")[0] == ["状況", *columns]
