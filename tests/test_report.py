"""``dxplan report`` and ``status --format markdown``: figures, escaping, self-containment, templates."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from pathlib import Path

import html5lib
import pytest
from typer.testing import CliRunner

from dxplan.cli import app
from dxplan.report.figures import report_figures
from dxplan.lint.engine import lint_plan
from dxplan.files.load import LoadedPlan, load_plan
from dxplan.output.render import RenderError, md_cell, render_template
from dxplan.report.views import render_report
from dxplan.score.actions import score_plan

from conftest import FIXTURES, PLANS, write_action

runner = CliRunner()
ENV = {"DXPLAN_LANG": "ja", "GITHUB_ACTIONS": "", "COLUMNS": "200"}  # wide enough that no sentence wraps
SVG = "{http://www.w3.org/2000/svg}"
BUNDLED = sorted(p.parent.name for p in PLANS.glob("*/plan.yaml"))


def run(*args):
    return runner.invoke(app, [str(a) for a in args], env=ENV)


def report_text(loaded: LoadedPlan, fmt: str = "md", templates: Path | None = None, lang: str = "ja", audit: bool = False) -> str:
    """The report of ``loaded`` as ``dxplan report`` computes it: scores and lint once, then figures, then templates."""
    scores = score_plan(loaded.plan, [la.action for la in loaded.actions], loaded.index)
    figures = report_figures(loaded, scores, lint_plan(loaded), generated=dt.date(2025, 3, 31))
    return render_report(figures, fmt, lang, templates, audit=audit)


def parse_html(text: str):
    """Parse with a conforming HTML5 parser in strict mode (raises on any parse error); etree without namespaces."""
    return html5lib.HTMLParser(strict=True, tree=html5lib.getTreeBuilder("etree"), namespaceHTMLElements=False).parse(text)


def text_of(el) -> str:
    return "".join(el.itertext()).strip()


def md_table_rows(md: str, header_start: str) -> list[list[str]]:
    """Cells of the GitHub table whose header row starts with ``header_start`` (escaped pipes kept in cells)."""
    lines = md.splitlines()
    start = next(i for i, ln in enumerate(lines) if ln.startswith(header_start))
    rows = []
    for ln in lines[start:]:
        if not ln.startswith("|"):
            break
        rows.append([c.strip() for c in re.split(r"(?<!\\)\|", ln)[1:-1]])
    return rows


def assert_markdown_tables_consistent(md: str) -> None:
    """Every row of every table has as many cells as its header (what GitHub needs to render a table)."""
    lines = md.splitlines()
    i = 0
    while i < len(lines):
        if lines[i].startswith("|") and i + 1 < len(lines) and re.match(r"^\|(\s*-+:?\s*\|)+$", lines[i + 1]):
            width = len(re.findall(r"(?<!\\)\|", lines[i]))
            j = i + 1
            while j < len(lines) and lines[j].startswith("|"):
                assert len(re.findall(r"(?<!\\)\|", lines[j])) == width, f"line {j + 1}: {lines[j]!r}"
                j += 1
            assert j == len(lines) or lines[j] == "", f"table not followed by a blank line at {j + 1}"
            assert i == 0 or lines[i - 1] == "", f"table not preceded by a blank line at {i + 1}"
            i = j
        else:
            i += 1


def assert_self_contained(html: str) -> None:
    """No reference to anything outside the file: only in-page #anchors, no scripts, stylesheets, images or url()."""
    refs = re.findall(r"""\b(?:src|href|xlink:href|action|data)\s*=\s*["']?([^"'\s>]*)""", html, flags=re.I)
    assert all(r.startswith("#") for r in refs), [r for r in refs if not r.startswith("#")]
    assert not re.search(r"@import|url\s*\(", html, flags=re.I)
    assert not re.search(r"<(script|link|img|iframe|object|embed)\b", html, flags=re.I)


# --------------------------------------------------------------------------- every plan


@pytest.mark.parametrize("name", BUNDLED)
def test_every_bundled_plan_renders_in_both_formats(name):
    loaded = load_plan(PLANS / name)
    assert loaded.plan is not None, f"{name}/plan.yaml did not load"
    md = report_text(loaded, "md")
    html = report_text(loaded, "html")
    assert md.startswith(f"# {loaded.plan.municipality}")
    assert_markdown_tables_consistent(md)
    doc = parse_html(html)
    assert doc.get("lang") == "ja"
    assert_self_contained(html)
    # one sheet per loaded action, in both formats
    assert len(doc.findall(".//article[@class='sheet']")) == len(loaded.actions)
    assert md.count('<a id="action-') == len(loaded.actions)
    # every action once in the tables by category (in the plan's category order)
    rows = [r.get("data-action-id") for r in doc.findall(".//table[@class='action-table']/tbody/tr")]
    assert sorted(rows) == sorted(la.action.id for la in loaded.actions) and len(set(rows)) == len(rows)


# --------------------------------------------------------------------------- figures


@pytest.fixture(scope="module")
def kama_md() -> str:
    r = run("report", PLANS / "kama", "--format", "md")
    assert r.exit_code == 0, r.output
    return r.stdout


@pytest.fixture(scope="module")
def kama_html(tmp_path_factory) -> tuple[str, object]:
    out = tmp_path_factory.mktemp("html") / "kama.html"
    r = run("report", PLANS / "kama", "--format", "html", "-o", out)
    assert r.exit_code == 0, r.output
    assert str(out) in r.stderr
    text = out.read_text(encoding="utf-8")
    return text, parse_html(text)


def test_kama_status_figures_match_dxplan_status(kama_md, kama_html):
    r = run("status", PLANS / "kama", "--format", "json")
    fy = json.loads(r.stdout)["years"][0]
    assert fy["fiscal_year"] == 2024
    counts, shares = fy["total"]["counts"], fy["total"]["shares"]
    assert (counts["in_progress"], counts["done"]) == (77, 74)
    rows = {r[0]: r for r in md_table_rows(kama_md, "| 状況 | 令和6年5月23日")}
    header = md_table_rows(kama_md, "| 状況 | 令和6年5月23日")[0]
    # the source's dates as the plan writes them (令和), not ISO
    assert header == ["状況", "令和6年5月23日", "令和6年8月28日", "令和6年11月27日", "令和7年2月10日（見込）", "集計（本ツール）"]
    # computed column (last) = dxplan status; the source's four dates beside it
    assert rows["進捗中"][-1] == f"{counts['in_progress']} ({shares['in_progress']:.2f}%)" == "77 (50.99%)"
    assert rows["完了"][-1] == "74 (49.01%)"
    assert rows["検討中"][1:] == ["120 (79.47%)", "61 (40.40%)", "35 (23.18%)", "0 (0.00%)", "0 (0.00%)"]
    assert rows["**合計（状況あり）**"][-1] == "**151**"
    assert rows["状況なし"][-1] == "1"  # the R6 row without a status, kept apart
    assert "✅ 資料の集計表「令和7年3月末進捗見込 (令和7年2月10日 現在評価)」と一致" in kama_md

    _, doc = kama_html
    table = doc.find(".//table[@data-fiscal-year='2024']")
    cells = {text_of(tr.find("th")): [text_of(td) for td in tr.findall("td")] for tr in table.findall("tbody/tr")}
    assert cells["進捗中"][-1] == "77 (50.99%)" and cells["完了"][-1] == "74 (49.01%)"
    assert [text_of(th) for th in table.findall("thead/tr/th")][0] == "状況"
    assert all(th.get("scope") in ("col", "row") for th in table.iter("th"))


def test_kama_action_rates_and_labels_match_dxplan_score(kama_md, kama_html):
    r = run("score", PLANS / "kama", "--format", "json")
    scores = {a["id"]: a for a in json.loads(r.stdout)["actions"]}
    assert (scores["2"]["shown"], scores["2"]["label"], scores["2"]["range"], scores["2"]["range_note"]) == ("103.3", "達成", "beyond_target", "目標超過")
    by_category = kama_md.split("## 区分別のアクション", 1)[1].split("\n## ", 1)[0]
    rows = {}
    for part in by_category.split("| No | アクション名")[1:]:
        rows |= {row[0]: row for row in md_table_rows("| No | アクション名" + part, "| No | アクション名")[2:]}
    assert set(rows) == set(scores)
    for aid, s in scores.items():
        row = rows[aid]
        note = f"（{s['range_note']}）" if s["range_note"] else ""
        assert row[3] == (f"{s['shown']}%{note}" if s["shown"] else "—"), aid
        assert row[4].startswith(s["label"]), aid
    assert rows["2"][3:] == ["103.3%（目標超過）", "達成", "目標(値)に対する進捗率", "103.3%（目標超過）", "100.0%", "—"]
    assert rows["13"][4] == "未評価（データ不足）"

    _, doc = kama_html
    tr = doc.find(".//tr[@data-action-id='2']")
    cells = [text_of(c) for c in tr]
    assert cells[3:6] == ["103.3%（目標超過）", "達成", "目標(値)に対する進捗率"]
    # the sheet shows the same explanation lines as `dxplan score --explain`
    sheet = doc.find(".//article[@data-action-id='2']")
    lines = [text_of(li) for li in sheet.iter("li")]
    assert "達成率 = (82.6 − 0) ÷ (80 − 0) × 100 = 103.3%" in lines
    assert "決定: 目標(値)に対する進捗率 103.3%（100%で上限） → 達成" in text_of(sheet)


def test_kama_html_counts_categories_labels_and_charts(kama_html):
    html, doc = kama_html
    assert len(doc.findall(".//table[@class='action-table']/tbody/tr")) == 50
    # label distribution: 20 達成 and 30 insufficient (as `dxplan score` sums up)
    dist = {text_of(tr.find("th")): text_of(tr.find("td")) for tr in doc.findall(".//table[@class='label-table']/tbody/tr")}
    assert dist["達成"] == "20" and dist["未評価（データ不足）"] == "30" and dist["合計"] == "50"
    # the status chart: an SVG per chart with a title and a description carrying the numbers
    chart = doc.find(f".//figure[@id='chart-years']/{SVG}svg")
    assert chart.get("role") == "img"
    assert chart.find(f"{SVG}title").text == "年度別の進捗状況の割合"
    desc = chart.find(f"{SVG}desc").text
    assert "令和6年度  集計（本ツール）: 未着手 0件 0.00%、検討中 0件 0.00%、進捗中 77件 50.99%、完了 74件 49.01%" in desc
    assert "令和6年度  令和6年5月23日（資料）: 未着手 1件 0.66%、検討中 120件 79.47%" in desc
    # the computed bar: a 50.99% wide in_progress segment, then done from x=50.993%
    bars = chart.findall(f"{SVG}g")
    assert len(bars) == 5  # four source dates + computed
    rects = {r.get("class"): r for r in bars[-1].iter(f"{SVG}rect")}
    assert rects["st-in_progress"].get("width") == "50.993%" and rects["st-done"].get("x") == "50.993%"
    assert doc.find(".//figure[@id='chart-categories-2024']") is not None
    assert doc.find(f".//figure[@id='chart-labels']/{SVG}svg/{SVG}desc").text.startswith("達成 20件")
    # A4 print stylesheet: a page per department; sheets follow one another (compact), page numbers in the margin
    assert "@page { size: A4" in html and re.search(r"\.department \{[^}]*page-break-before: always", html)
    assert not re.search(r"\.sheet \{[^}]*page-break-before", html)
    assert "counter(page)" in html and "target-counter(attr(href), page)" in html
    assert '"Noto Sans CJK JP"' in html and "Meiryo" in html


def test_attention_index_lists_low_labels_insufficient_and_lint_warnings(tmp_path):
    loaded = load_plan(FIXTURES / "kama001")
    md = report_text(loaded, "md")
    section = md.split("### 要確認のアクション", 1)[1].split("\n## ", 1)[0]
    assert "- **評価が「やや未達」**（1）\n  - [13 本庁と支所のオンライン化拡充](#action-13) 70.0%" in section
    assert "[2 " not in section  # 120.0% 達成 needs no attention
    assert "1. " not in section  # one numbering only (the list was <ol> around numbered actions)
    # the sheet carries the task-rate arithmetic as reference, the summary evaluation deciding
    sheet = md.split('<a id="action-13"></a>', 1)[1]
    assert "  - 年度平均の平均: (42.5 + 50.0 + 70.0) ÷ 3 = 54.2%" in sheet
    assert "- ▶ 総括評価による進捗率: 70.0%" in sheet
    assert "#### 目標達成率: 70.0% やや未達" in sheet
    # lint warnings: kama action 38 has no baseline for its lower-is-better target
    kama = report_text(load_plan(PLANS / "kama"), "md")
    assert "baseline-missing" not in kama and "38.yaml" not in kama
    audit = report_text(load_plan(PLANS / "kama"), "md", audit=True)
    entry = audit.split("## 付録: 転記と検査の記録", 1)[1].split("#### 38. ", 1)[1].split("\n#### ", 1)[0]
    assert "- 検査の指摘: warning baseline-missing (38.yaml:" in entry


def test_action_sheet_fields_follow_001_layout(kama_md):
    sheet = kama_md.split('<a id="action-13"></a>', 1)[1].split('<a id="action-14"></a>', 1)[0]
    heads = re.findall(r"^#### (.+)$", sheet, flags=re.M)
    # 成果, 取り組んだこと, 課題 are empty in the plan: left out, not 未記入; the years without results share one table
    assert heads == ["目標達成率: 未評価（データ不足）", "タスク（令和6年度）", "タスク（令和7年度、令和8年度）", "備考", "達成率の根拠"]
    assert "【嘉穂市民サービス課】支所業務には関連する多数の本庁所管課があり" in sheet
    assert "| 目指すこと | 本庁舎と支所のオンライン化をさらに拡充し、必要な手続きや問い合わせができる環境を整えます。 |" in sheet
    assert "担い手: デジタル戦略課、市民サービス課、その他関係課" in sheet
    assert "未記入" not in sheet
    assert "| 担当課 | 計画 | 実施 (年度末見込) | 進捗状況 |" in sheet  # the plan's own labels
    assert "| 嘉穂・碓井・山田市民サービス課 | 本庁と支所等をつなぐシステムの調査・研究 | 〃 | 進捗中 |" in sheet


# --------------------------------------------------------------------------- escaping


@pytest.fixture
def hostile_plan(tmp_path: Path) -> Path:
    dest = tmp_path / "kama"
    shutil.copytree(PLANS / "kama", dest)
    path = dest / "actions" / "02.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("title: マイナンバーカードの普及促進", 'title: "<script>alert(1)</script>"', 1)
    text = re.sub(r"^aim: .*$", lambda m: 'aim: "左 | 右\\n二行目 <b>太字</b> & 記号"', text, count=1, flags=re.M)
    assert "<script>" in text and "左 | 右" in text
    path.write_text(text, encoding="utf-8")
    return dest


def test_script_in_title_is_escaped_in_html(hostile_plan, tmp_path):
    out = tmp_path / "x.html"
    r = run("report", hostile_plan, "--format", "html", "-o", out)
    assert r.exit_code == 0, r.output
    html = out.read_text(encoding="utf-8")
    assert "<script" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "左 | 右<br>二行目 &lt;b&gt;太字&lt;/b&gt; &amp; 記号" in html
    doc = parse_html(html)
    assert doc.find(".//script") is None and doc.find(".//b") is None
    assert text_of(doc.find(".//article[@data-action-id='2']/h3")) == "2. <script>alert(1)</script>"


def test_pipes_and_newlines_are_escaped_in_markdown_cells(hostile_plan):
    md = report_text(load_plan(hostile_plan), "md")
    assert "| 目指すこと | 左 \\| 右<br>二行目 &lt;b&gt;太字&lt;/b&gt; & 記号 |" in md
    assert "[&lt;script&gt;alert(1)&lt;/script&gt;](#action-2)" in md
    assert "<script>" not in md
    assert_markdown_tables_consistent(md)
    assert md_cell("a|b\r\nc\n\nd") == "a\\|b<br>c<br>d"


# --------------------------------------------------------------------------- CLI


def test_html_without_output_writes_a_named_default_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    r = run("report", PLANS / "kama", "--format", "html")
    assert r.exit_code == 0, r.output
    assert (tmp_path / "kama-report.html").is_file()
    assert "kama-report.html に書き出しました" in r.stderr
    assert r.stdout == ""


def test_action_option_renders_one_sheet(tmp_path):
    r = run("report", PLANS / "kama", "--action", "02")
    assert r.exit_code == 0, r.output
    assert r.stdout.count('<a id="action-') == 1 and '<a id="action-2">' in r.stdout
    assert "## アクション一覧" not in r.stdout
    assert r.stdout.startswith("# 嘉麻市 第1次嘉麻市デジタル推進計画 アクションシート")
    out = tmp_path / "a.html"
    r = run("report", PLANS / "kama", "--action", "2", "--format", "html", "-o", out)
    doc = parse_html(out.read_text(encoding="utf-8"))
    assert [a.get("data-action-id") for a in doc.findall(".//article")] == ["2"]


def test_year_option_limits_status_and_tasks():
    r = run("report", PLANS / "kama", "--year", "R7")
    assert r.exit_code == 0, r.output
    assert "### 令和7年度" in r.stdout and "### 令和6年度" not in r.stdout
    assert "タスク（令和7年度）" in r.stdout and "タスク（令和6年度）" not in r.stdout


@pytest.mark.parametrize(
    "args, message",
    [
        (["--action", "999"], "アクション 999 はありません"),
        (["--year", "R12"], "の期間（2024–2026）の外です"),  # worded in the default language (Japanese), not English
        (["--year", "来年"], "年度ではありません"),
        (["--templates", "/nonexistent/dir"], "テンプレートのフォルダがありません"),
    ],
)
def test_usage_errors_exit_2(args, message):
    r = run("report", PLANS / "kama", *args)
    assert r.exit_code == 2
    assert message in r.stderr
    assert "Traceback" not in r.output


def test_english_messages_and_headings():
    r = runner.invoke(app, ["report", str(PLANS / "kama"), "--lang", "en", "--action", "999"], env=ENV)
    assert r.exit_code == 2 and "kama: no action 999" in r.stderr
    r = runner.invoke(app, ["report", str(PLANS / "kama"), "--lang", "en"], env=ENV)
    assert r.exit_code == 0
    assert "## status per fiscal year (task rows)" in r.stdout
    assert "#### aim (目指すこと)" not in r.stdout  # overview is a table
    assert "| aim (目指すこと) |" in r.stdout


# --------------------------------------------------------------------------- templates


def test_templates_dir_overrides_by_name(tmp_path):
    (tmp_path / "_sheet.md.j2").write_text("SHEET {{ s.id }} {{ s.label }}\n", encoding="utf-8")
    r = run("report", PLANS / "kama", "--action", "2", "--templates", tmp_path)
    assert r.exit_code == 0, r.output
    assert "SHEET 2 達成" in r.stdout
    assert "# 嘉麻市" in r.stdout  # report.md.j2 still comes from the default set


def test_template_syntax_error_names_file_and_line(tmp_path):
    (tmp_path / "report.md.j2").write_text("line one\n{% if %}\n", encoding="utf-8")
    r = run("report", PLANS / "kama", "--templates", tmp_path)
    assert r.exit_code == 1
    assert f"{tmp_path / 'report.md.j2'}:2" in r.stderr
    assert "Traceback" not in r.output


def test_undefined_variable_names_file_and_line(tmp_path):
    (tmp_path / "_sheet.html.j2").write_text("<p>\n{{ s.title }}\n{{ s.no_such_field }}</p>\n", encoding="utf-8")
    r = run("report", PLANS / "kama", "--format", "html", "-o", tmp_path / "o.html", "--templates", tmp_path)
    assert r.exit_code == 1
    assert "_sheet.html.j2:3" in r.stderr and "no_such_field" in r.stderr
    assert "Traceback" not in r.output


def test_missing_template_is_a_render_error(tmp_path):
    (tmp_path / "report.md.j2").write_text("{% include 'nothere.j2' %}\n", encoding="utf-8")
    with pytest.raises(RenderError, match="nothere.j2"):
        report_text(load_plan(PLANS / "kama"), "md", templates=tmp_path)
    with pytest.raises(RenderError, match="missing.j2"):
        render_template("missing.j2", {})


# --------------------------------------------------------------------------- status --format markdown


def test_status_markdown_table():
    r = run("status", PLANS / "kama", "--format", "markdown", "--year", "R6")
    assert r.exit_code == 0, r.output
    md = r.stdout
    assert md.startswith("# 嘉麻市 第1次嘉麻市デジタル推進計画\n")
    rows = md_table_rows(md, "| 状況 | 数 | 割合 |")
    assert rows[2:] == [
        ["未着手", "0", "0.00%"], ["検討中", "0", "0.00%"], ["進捗中", "77", "50.99%"], ["完了", "74", "49.01%"],
        ["**合計（状況あり）**", "**151**", "**100%**"],
    ]
    assert "状況のない行 1 件（割合の分母に含めません）" in md
    assert "✅ 資料の集計表「令和7年3月末進捗見込 (令和7年2月10日 現在評価)」と一致: 未着手 0、検討中 0、進捗中 77、完了 74" in md
    assert_markdown_tables_consistent(md)


def test_status_markdown_by_department_and_all_plans():
    r = run("status", PLANS, "--format", "markdown", "--by", "department")
    assert r.exit_code in (0, 1), r.output
    assert_markdown_tables_consistent(r.stdout)
    for name in BUNDLED:
        plan = load_plan(PLANS / name).plan
        assert f"# {plan.municipality} {plan.title}" in r.stdout
    kama = r.stdout.split("# 嘉麻市", 1)[1]
    assert "| デジタル戦略課 | 0 | 0 | 41 | 36 | 1 | 78 |" in kama


# --------------------------------------------------------------------------- one figure, one rounding, one wording


@pytest.fixture
def one_in_160(mini_plan: Path) -> Path:
    """The mini plan with one action of 160 task rows in 令和6年度: 1 完了, 159 進捗中 (done = 0.625 %)."""
    rows = "".join(f"  - {{fiscal_year: 令和6年度, department: 総務課, plan: 手順{n}, status: {'完了' if n == 0 else '進捗中'}}}\n" for n in range(160))
    write_action(mini_plan, "01.yaml", f"id: '1'\ntitle: 例\ncategory: A-1\nowners: [総務課]\nsources: [{{file: s, location: l}}]\ntasks:\n{rows}")
    return mini_plan


def test_one_row_of_160_shows_the_same_share_everywhere(one_in_160):
    # 1 / 160 = 0.625 %: half-up gives 0.63 (the plans' rule); Python's round() would give 0.62
    r = run("status", one_in_160, "--year", "R6")
    assert r.exit_code == 0, r.output
    done = next(ln for ln in r.stdout.splitlines() if ln.startswith("│ 完了"))
    assert [c.strip() for c in done.split("│")[1:4]] == ["完了", "1", "0.63%"]
    fy = json.loads(run("status", one_in_160, "--year", "R6", "--format", "json").stdout)["years"][0]
    assert fy["total"]["shares"]["done"] == 0.63 and fy["total"]["shares"]["in_progress"] == 99.38
    md = run("status", one_in_160, "--year", "R6", "--format", "markdown").stdout
    assert ["完了", "1", "0.63%"] in md_table_rows(md, "| 状況 | 数 | 割合 |")
    report = run("report", one_in_160).stdout
    rows = {row[0]: row for row in md_table_rows(report, "| 状況 | 集計（本ツール）")}
    assert rows["完了"] == ["完了", "1 (0.63%)"]


def test_joint_rows_note_and_department_labels_follow_the_language(tmp_path):
    en = run("status", PLANS / "kama", "--year", "R6", "--by", "department", "--lang", "en").stdout
    assert "  joint rows count for each department" in en and "共同担当" not in en
    ja = run("status", PLANS / "kama", "--year", "R6", "--by", "department").stdout
    assert "  共同担当の行は各課に数えます\n" in ja and "joint rows" not in ja
    md = run("status", PLANS / "kama", "--year", "R6", "--by", "department", "--format", "markdown", "--lang", "en").stdout
    assert "joint rows count for each department" in md and "共同担当" not in md
    data = json.loads(run("status", PLANS / "iizuka", "--year", "R6", "--by", "department", "--format", "json", "--lang", "en").stdout)
    year = data["years"][0]
    assert year["total"]["label"] == "total"
    assert [g["label"] for g in year["groups"] if g["key"] == "(none)"] == ["(no department)"]


def test_terminal_and_report_word_the_decision_and_scale_alike():
    for lang in ("ja", "en"):
        r = runner.invoke(app, ["score", str(FIXTURES / "kama001"), "--action", "3b", "--explain", "--lang", lang], env=ENV)
        decision = next(ln.strip() for ln in r.stdout.splitlines() if "→ 達成" in ln)
        scale = next(ln.strip() for ln in r.stdout.splitlines() if "≥100%" in ln)
        md = report_text(load_plan(FIXTURES / "kama001"), "md", lang=lang)
        sheet = md.split('<a id="action-3b"></a>', 1)[1].split("<a id=", 1)[0]
        assert f"**{decision}**" in sheet
        assert scale.replace("課題あり", "") in md.replace("課題あり", "")
    assert decision == "decided by rate against the target: 130.0% (capped at 100%) → 達成"
    assert scale.endswith("課題あり below")  # was それ未満 in English terminal output


def test_report_date_is_the_one_passed_in_and_unknown_actions_are_refused():
    loaded = load_plan(FIXTURES / "kama001")
    scores = score_plan(loaded.plan, [la.action for la in loaded.actions], loaded.index)
    figures = report_figures(loaded, scores, [], generated=dt.date(2001, 2, 3))
    assert "dxplan · 作成 平成13年2月3日" in render_report(figures, "html")
    assert "dxplan · generated 3 February 2001" in render_report(figures, "html", "en")
    assert [a.id for a in report_figures(loaded, scores, [], generated=dt.date(2001, 2, 3), action_id="02").sheets] == ["2"]
    with pytest.raises(ValueError, match="no action 99"):
        report_figures(loaded, scores, [], generated=dt.date(2001, 2, 3), action_id="99")


def test_english_labels_of_unevaluated_actions_agree_in_terminal_and_report():
    r = runner.invoke(app, ["score", str(PLANS / "kama"), "--action", "3", "--lang", "en"], env=ENV | {"COLUMNS": "200"})
    assert "│ not evaluated (insufficient data) │" in r.stdout
    md = report_text(load_plan(PLANS / "kama"), "md", lang="en")
    row3 = next(row for row in md_table_rows(md, "| No | action")[2:] if row[0] == "3")
    assert row3[4] == "not evaluated (insufficient data)"
    assert "| not evaluated (insufficient data) | 30 | 60.0% |" in md
