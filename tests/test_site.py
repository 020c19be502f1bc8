"""``dxplan site``: the static public site of the bundled plans, read back as HTML (no browser; tests/test_site_browser.py
opens it in Chromium).

The site of the four bundled plans is built once (copied outside git: no history) and every page is parsed: every
link and asset stays inside the folder and resolves, each plan has one page per action file, the figures are the
report's, no annotation is shown, the search index is the actions'. Bad input writes nothing.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import html5lib
import pytest
from typer.testing import CliRunner

from conftest import FIXTURES, PLANS
from dxplan.cli import app
from dxplan.files.load import load_plan
from dxplan.model.provenance import annotation_strings
from dxplan.opendata.schema import RESOURCES
from dxplan.site.pages import search_json

BUNDLED = ("iizuka", "kama", "kashima", "kurate")
SVG = "{http://www.w3.org/2000/svg}"


def run(*args: str, lang: str = "ja") -> tuple[int, str, str]:
    r = CliRunner().invoke(app, ["--lang", lang, *map(str, args)], env={"COLUMNS": "240", "DXPLAN_NO_CACHE": "1"})
    return r.exit_code, r.stdout, r.stderr


@pytest.fixture(scope="module")
def bundled(tmp_path_factory) -> Path:
    """The site of the four bundled plans in Japanese, copied outside git."""
    base = tmp_path_factory.mktemp("site")
    shutil.copytree(PLANS, base / "plans", ignore=shutil.ignore_patterns("*.xlsx"))
    code, out, err = run("site", base / "plans", "-o", base / "out", "-q")
    assert code == 0, err
    assert out == f"{base / 'out' / 'index.html'}\n"
    return base / "out"


def parse(path: Path):
    return html5lib.parse(path.read_text(encoding="utf-8"), treebuilder="etree", namespaceHTMLElements=False)


def text_of(element) -> str:
    return "".join(element.itertext()).strip()


class Links(HTMLParser):
    """The ids of one page and every ``href`` and ``src`` in it (the standard library's parser: fast on 345 pages)."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name == "id" and value:
                self.ids.add(value)
            elif name in ("href", "src") and value is not None:
                self.links.append(value)


def test_every_link_and_asset_resolves_inside_the_folder(bundled):
    pages = sorted(bundled.rglob("*.html"))
    ids: dict[Path, set[str]] = {}
    links: list[tuple[Path, str]] = []
    for page in pages:
        found = Links()
        found.feed(page.read_text(encoding="utf-8"))
        ids[page] = found.ids
        links += [(page, link) for link in found.links]
    assert len(pages) == 1 + sum(1 + len(list((PLANS / p / "actions").glob("*.yaml"))) + 1 for p in BUNDLED) + sum(
        len(list((bundled / p).glob("cat-*.html"))) + len(list((bundled / p).glob("dept-*.html"))) for p in BUNDLED)
    outside, broken = [], []
    for page, link in links:
        parts = urlsplit(link)
        if parts.scheme or parts.netloc or link.startswith("/"):
            outside.append((page.name, link))
            continue
        target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
        if not target.is_file() or not target.is_relative_to(bundled.resolve()) or parts.fragment and target.suffix == ".html" and parts.fragment not in ids[target]:
            broken.append((str(page.relative_to(bundled)), link))
    assert outside == [] and broken == []
    assert len(links) > 5000


def test_one_page_per_action_and_the_plans_on_the_first_page(bundled):
    for name in BUNDLED:
        actions = [la.action.id for la in load_plan(PLANS / name, positions=False).actions]
        pages = sorted(p.name for p in (bundled / name).glob("action-*.html"))
        assert len(actions) == len(list((PLANS / name / "actions").glob("*.yaml"))) == len(pages)
    first = parse(bundled / "index.html")
    assert first.get("lang") == "ja"
    plans = [a.get("href") for a in first.findall(".//section[@aria-labelledby='plans-h']//a")]
    assert plans == ["iizuka/index.html", "kama/index.html", "kashima/index.html", "kurate/index.html"]
    manifest = json.loads((bundled / "site.json").read_text(encoding="utf-8"))
    assert manifest["generator"] == "dxplan site" and manifest["lang"] == "ja" and manifest["minisearch"] == "7.2.0"
    assert sorted(manifest["files"]) == sorted(p.relative_to(bundled).as_posix() for p in bundled.rglob("*") if p.is_file() and p.name != "site.json")
    # the open-data package: every resource as CSV and Parquet, linked from the first page
    data = {a.get("href") for a in first.findall(".//table[@class='data-files']//a")}
    assert data == {"opendata/datapackage.json"} | {f"opendata/data/{r.name}.{x}" for r in RESOURCES for x in ("csv", "parquet")}
    assert (bundled / "assets" / "minisearch.LICENSE.txt").read_text(encoding="utf-8").startswith("Copyright 2022 Luca Ongaro")


def test_kama_top_page_shows_the_reports_figures(bundled):
    dom = parse(bundled / "kama" / "index.html")
    assert text_of(dom.find(".//h1")) == "嘉麻市 第1次嘉麻市デジタル推進計画"
    row = [text_of(c) for c in dom.find(".//table[@class='summary-status']/tbody/tr")]
    assert row == ["令和6年度", "0 (0.00%)", "0 (0.00%)", "77 (50.99%)", "74 (49.01%)", "1", "152"]
    labels = {text_of(r[0]): text_of(r[1]) for r in dom.findall(".//table[@class='label-table']/tbody/tr")}
    assert labels["達成"] == "20" and labels["合計"] == "50"
    assert text_of(dom.find(".//section[@id='changes']/p")) == "計画の git の履歴に、比べられる以前の評価がありません。"
    categories = [a.get("href") for a in dom.findall(".//section[@id='categories']//a")]
    assert categories == ["cat-1.html", "cat-2.html", "cat-3.html"]


def test_action_page_sheet_chart_links(bundled):
    dom = parse(bundled / "kama" / "action-2.html")
    assert dom.find(".//title").text == "2. マイナンバーカードの普及促進 | 嘉麻市 第1次嘉麻市デジタル推進計画"
    h1 = dom.findall(".//h1")
    assert [text_of(h) for h in h1] == ["2. マイナンバーカードの普及促進"]
    assert text_of(dom.find(".//strong[@class='rate-value']")) == "103.3%（目標超過）"
    depts = [(a.get("href"), text_of(a)) for a in dom.findall(".//section[@id='where']//li/a")]
    assert len(depts) == 1 and depts[0][1] == "市民課"
    dept = parse(bundled / "kama" / depts[0][0])
    assert "2" in [r.get("data-action-id") for r in dept.findall(".//tr[@data-action-id]")]
    crumbs = [text_of(li) for li in dom.findall(".//nav[@class='breadcrumb']//li")]
    assert crumbs == ["嘉麻市 第1次嘉麻市デジタル推進計画", "I くらしのデジタル推進", "2. マイナンバーカードの普及促進"]
    assert dom.find(".//a[@rel='prev']").get("href") == "action-1.html" and dom.find(".//a[@rel='next']").get("href") == "action-3.html"
    # iizuka's indicators have targets per year: a chart with the figures as text beside the table
    ii = parse(bundled / "iizuka" / "action-22.html")
    svg = ii.find(f".//figure[@id='chart-action-22-1']/{SVG}svg")
    assert svg.get("role") == "img"
    assert svg.find(f"{SVG}desc").text == "令和6年度：目標 11件、実績 —、令和7年度：目標 —、実績 —、令和8年度：目標 —、実績 —"


def test_category_rows_carry_the_filter_keys_of_their_task_rows(bundled):
    dom = parse(bundled / "kama" / "cat-1.html")
    rows = {r.get("data-action-id"): r.get("data-states") for r in dom.findall(".//tr[@data-states]")}
    assert rows["2"] == "2024:done 2025:none 2026:none"
    form = dom.find(".//form[@id='filters']")
    assert form.get("hidden") is not None  # shown by the script; without it every row stays listed
    assert [o.get("value") for o in form.findall(".//select[@id='filter-state']/option")] == ["", "not_started", "considering", "in_progress", "done", "none"]
    assert [text_of(o) for o in form.findall(".//select[@id='filter-year']/option")] == ["すべて", "令和6年度", "令和7年度", "令和8年度"]


def test_no_annotation_is_shown(bundled):
    for name in BUNDLED:
        loaded = load_plan(PLANS / name, positions=False)
        text = "\n".join(p.read_text(encoding="utf-8") for p in (bundled / name).glob("*.html"))
        shown = [s for la in loaded.actions for _, s in annotation_strings(la.action) if len(s) > 12 and s in text]
        assert shown == [], (name, shown[:3])
        assert not [s for _, s in annotation_strings(loaded.plan) if len(s) > 12 and s in text]


def test_search_index_holds_every_action_and_survives_script_text(bundled):
    dom = parse(bundled / "kama" / "search.html")
    docs = json.loads(dom.find(".//script[@id='search-index']").text)
    assert len(docs) == 50
    assert docs[1] == docs[1] | {"id": "2", "title": "2. マイナンバーカードの普及促進", "url": "action-2.html"}
    assert "出張申請・交付支援" in docs[1]["text"]
    hostile = [{"title": "</script><script>alert(1)</script> {{x}} {%y%} & <!--"}]
    text = search_json(hostile)
    assert "<" not in text and "{{" not in text and "{%" not in text and json.loads(text) == hostile


def test_english_site(tmp_path):
    code, _, err = run("site", FIXTURES / "published", "-o", tmp_path / "en", "-q", "--no-history", "--no-data", lang="en")
    assert code == 0, err
    top = parse(tmp_path / "en" / "published" / "index.html")
    assert top.get("lang") == "en"
    assert [text_of(h) for h in top.findall(".//h2")][:3] == ["Progress per fiscal year", "Evaluation of the actions", "What changed since the last evaluation"]
    assert not (tmp_path / "en" / "opendata").exists() and parse(tmp_path / "en" / "index.html").find(".//section[@id='data']") is None
    desc = parse(tmp_path / "en" / "published" / "action-1.html").find(f".//figure[@id='chart-action-1-3']/{SVG}svg/{SVG}desc").text
    assert desc.endswith("FY2024: target 90％, actual 85.0％")


def test_a_plan_with_lint_errors_writes_no_site(tmp_path):
    plan = tmp_path / "published"
    shutil.copytree(FIXTURES / "published", plan)
    action = plan / "actions" / "1.yaml"
    action.write_text(action.read_text(encoding="utf-8").replace("owners: [総務課]", "owners: [総務課]\nstatus_typo: 1"), encoding="utf-8")
    code, out, err = run("site", plan, "-o", tmp_path / "out", lang="en")
    assert code == 1 and out == ""
    assert re.search(r"1\.yaml:\d+:1: error unknown-key", err)
    assert "no site was written: 1 error(s) in the plans" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["published"]  # no output, no staging folder left


def test_output_folder_rules(tmp_path):
    other = tmp_path / "other"
    other.mkdir()
    (other / "keep.txt").write_text("mine", encoding="utf-8")
    code, _, err = run("site", FIXTURES / "published", "-o", other, "-q", "--no-history", "--no-data", lang="en")
    assert code == 2 and "already holds files that are not a dxplan site" in err
    assert [p.name for p in other.iterdir()] == ["keep.txt"]
    again = tmp_path / "again"
    assert run("site", FIXTURES / "published", "-o", again, "-q", "--no-history", "--no-data")[0] == 0
    (again / "published" / "old.html").write_text("old", encoding="utf-8")
    assert run("site", FIXTURES / "published", "-o", again, "-q", "--no-history", "--no-data")[0] == 0
    assert not (again / "published" / "old.html").exists()  # the previous site replaced whole
    assert sorted(p.name for p in tmp_path.iterdir()) == ["again", "other"]
    code, _, err = run("site", FIXTURES / "published", lang="en")
    assert code == 2 and "name the output folder with -o DIR" in err


def test_without_pyarrow_the_site_has_csv_data_and_says_so(tmp_path):
    code = ("import sys; sys.modules['pyarrow'] = None; sys.argv = ['dxplan', '--lang', 'en', 'site', sys.argv[1], '-o', sys.argv[2], '-q', '--no-history']; "
            "from dxplan.cli import main; main()")
    proc = subprocess.run([sys.executable, "-c", code, str(FIXTURES / "published"), str(tmp_path / "out")],
                          capture_output=True, text=True, env={**os.environ, "DXPLAN_NO_CACHE": "1"})
    assert proc.returncode == 0, proc.stderr
    assert "the site's open data is CSV only (install dxplan as dxplan[opendata]" in proc.stderr
    files = sorted(p.name for p in (tmp_path / "out" / "opendata" / "data").iterdir())
    assert files == sorted(f"{r.name}.csv" for r in RESOURCES)
    desc = json.loads((tmp_path / "out" / "opendata" / "datapackage.json").read_text(encoding="utf-8"))
    assert all("x-alternates" not in r for r in desc["resources"])
