"""The PDF a council reads: every table inside the A4 page, read back from the PDF's text layer (pypdf),
and the font check (no Japanese font: exit 1 naming fonts-noto-cjk; ``--font NAME`` prints in NAME).

The plan is tests/fixtures/kpi with a 5-year period (令和6年度–令和10年度) and its four grades (A–D)
given the long meanings a plan writes, the case whose per-year grade table ran off the page.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader
from typer.testing import CliRunner

from dxplan.cli import app

from conftest import FIXTURES, ROOT

runner = CliRunner()

MEANINGS = {
    "目標より進んでいる": "目標値を上回って達成しており、計画以上の成果が出ている",
    "目標どおり": "目標値どおりに達成し、計画どおりの成果が出ている",
    "目標より遅れている": "目標値に届かず、取組の見直しが必要である",
    "評価できない": "実績値が得られないため評価できない状態である",
}
YEARS = ["令和6年度", "令和7年度", "令和8年度", "令和9年度", "令和10年度"]
RIGHT_MARGIN_PT = 12 / 25.4 * 72  # report.css: @page margin 12 mm left and right


@pytest.fixture(scope="module")
def five_years(tmp_path_factory) -> Path:
    dest = tmp_path_factory.mktemp("pdf") / "kpi5"
    shutil.copytree(FIXTURES / "kpi", dest)
    plan = dest / "plan.yaml"
    text = plan.read_text(encoding="utf-8").replace("period_end: 令和8年度", "period_end: 令和10年度")
    for short, long in MEANINGS.items():
        text = text.replace(f"meaning: {short}}}", f"meaning: {long}}}")
    plan.write_text(text, encoding="utf-8")
    return dest


@pytest.fixture(scope="module")
def five_years_pdf(five_years, tmp_path_factory) -> Path:
    """The PDF report of the five-year plan (Japanese)."""
    out = tmp_path_factory.mktemp("out") / "kpi5.pdf"
    r = runner.invoke(app, ["report", str(five_years), "--format", "pdf", "-o", str(out)], env={"DXPLAN_LANG": "ja"})
    assert r.exit_code == 0, r.output
    return out


@pytest.fixture(scope="module")
def pdf_items(five_years_pdf) -> list[tuple[int, float, float, str]]:
    """(page, x, y, text) of every piece of text the PDF draws, x and y in points from the page's lower left.

    The charts' SVG text is drawn in the SVG's own coordinates (x up to its 720 units, each run of
    digits and letters a piece of its own): those pieces get x = None, their text still counted.
    """
    out = five_years_pdf
    items: list[tuple[int, float, float, str]] = []
    for n, page in enumerate(PdfReader(out).pages, 1):
        def visit(text, cm, tm, font_dict, font_size, n=n):
            if text.strip():
                on_page = cm[0] == pytest.approx(0.75)  # WeasyPrint draws HTML at 0.75 pt per CSS px
                x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4] if on_page else None
                items.append((n, x, tm[4] * cm[1] + tm[5] * cm[3] + cm[5], text.strip()))
        page.extract_text(visitor_text=visit)
        assert float(page.mediabox.width) == pytest.approx(595.28, abs=0.1)  # A4 portrait
    return items


def grade_table(items):
    """The pieces of text of the per-year grade table: from its column heading 年度 down to the note under it."""
    # the heading row: 年度 then A (one piece of text per cell in the tagged PDF, where each cell is its own
    # marked content; one piece for the row in an untagged one)
    start = next(i for i, it in enumerate(items) if it[3].startswith("年度") and ("A" in it[3] or (i + 1 < len(items) and items[i + 1][3].startswith("A"))))
    end = next(i for i, it in enumerate(items) if i > start and it[3].startswith("割合は評価済みの行"))
    return items[start:end]


def test_every_piece_of_text_starts_inside_the_page(pdf_items):
    placed = [it for it in pdf_items if it[1] is not None]
    assert len(placed) > 100
    outside = [it for it in placed if not 0 <= it[1] < 595.28 - RIGHT_MARGIN_PT]
    assert outside == []


def test_the_grade_table_has_every_heading_and_cell_whole(pdf_items):
    table = grade_table(pdf_items)
    assert len({it[0] for it in table}) == 1  # on one page
    words = " ".join(it[3] for it in table).split()
    for heading in ("年度", "A", "B", "C", "D", "評価済み", "未評価"):
        assert heading in words, heading
    for year in YEARS:  # each year label whole, in the first column
        assert year in words, year
        assert min(it[1] for it in table if year in it[3] and it[1] is not None) < 60
    # R6: A 2 (40.00%), B 2 (40.00%), C 1 (20.00%), D 0 (0.00%), 5 graded, 1 not; R7 ends with D 2 (33.33%), 6, 0
    r6 = words[words.index("令和6年度"):words.index("令和7年度")]
    assert r6 == ["令和6年度", "2", "(40.00%)", "2", "(40.00%)", "1", "(20.00%)", "0", "(0.00%)", "5", "1"]
    r7 = words[words.index("令和7年度"):words.index("令和8年度")]
    assert r7 == ["令和7年度", "2", "(33.33%)", "1", "(16.67%)", "1", "(16.67%)", "2", "(33.33%)", "6", "0"]
    assert words[words.index("令和10年度"):] == ["令和10年度", "0", "0", "0", "0", "0", "6"]
    # the meanings wrap under their letters but every character of them is there
    text = "".join(it[3] for it in table)
    for long in MEANINGS.values():
        assert long in text.replace("\n", "").replace(" ", ""), long


def test_the_year_heading_of_each_indicator_table_is_whole(pdf_items):
    # the action sheets' indicator tables have one column per fiscal year
    words = [w for it in pdf_items if it[1] is not None for w in it[3].split()]
    assert words.count("令和10年度") >= 7  # the grade table and the KPI tables of the sheets
    assert "令和" not in words and "年度" in words  # "令和" alone would be a year broken inside


def struct_roles(node, roles: list[str]) -> list[str]:
    """The structure types (``/S``) of a tagged PDF's structure tree under ``node``, depth first."""
    node = node.get_object()
    if isinstance(node, list):
        for kid in node:
            struct_roles(kid, roles)
    elif hasattr(node, "get") and node.get("/S") is not None:
        roles.append(str(node["/S"]))
        if "/K" in node:
            struct_roles(node["/K"], roles)
    return roles


def test_the_pdf_is_tagged_with_title_language_and_bookmarks(five_years_pdf):
    reader = PdfReader(five_years_pdf)
    catalog = reader.trailer["/Root"]
    # tagged: a structure tree for screen readers, marked content
    assert catalog["/MarkInfo"]["/Marked"].value is True
    tree = catalog["/StructTreeRoot"].get_object()
    roles = struct_roles(tree["/K"], [])
    for role in ("/Document", "/H1", "/H2", "/Table", "/TH", "/TD", "/P", "/L", "/LI"):
        assert role in roles, role
    # the language of <html lang="ja">, and the <title> in the docinfo and the XMP, shown as the window title
    assert catalog["/Lang"] == "ja"
    title = "例市 例市DX推進計画（KPI評価の例） 進捗報告書"
    assert reader.metadata.title == title
    assert reader.xmp_metadata.dc_title == {"x-default": title}
    assert catalog["/ViewerPreferences"]["/DisplayDocTitle"].value is True
    # the outline: the report's h1, its parts (h2) beneath it
    outline = reader.outline
    assert outline[0].title == "例市DX推進計画（KPI評価の例）進捗報告書"
    parts = [o.title for o in outline[1] if not isinstance(o, list)]
    assert parts == ["進捗の概要", "年度別の進捗状況（タスク行）", "区分別のアクション", "担当課別のアクション", "アクションシート"]


def run_cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "dxplan", *args], capture_output=True, text=True, cwd=ROOT,
                          env={**os.environ, "PYTHONPATH": str(ROOT / "src"), **(env or {})})


@pytest.fixture
def no_fonts(tmp_path) -> dict[str, str]:
    """An environment in which fontconfig knows no font at all (an empty configuration)."""
    conf = tmp_path / "fonts.conf"
    conf.write_text('<?xml version="1.0"?>\n<fontconfig></fontconfig>\n', encoding="utf-8")
    return {"FONTCONFIG_FILE": str(conf), "DXPLAN_LANG": "ja"}


def test_without_a_japanese_font_pdf_exits_1_naming_the_package(no_fonts, tmp_path):
    out = tmp_path / "r.pdf"
    ja = run_cli("report", "plans/kurate", "--format", "pdf", "-o", str(out), env=no_fonts)
    assert ja.returncode == 1
    assert ja.stderr == ("dxplan: PDF の出力には日本語のフォントが必要ですが、インストールされていません: fonts-noto-cjk をインストールする"
                         "（Debian/Ubuntu: apt-get install fonts-noto-cjk）か、インストール済みのフォントを --font で指定してください\n")
    en = run_cli("report", "plans/kurate", "--format", "pdf", "-o", str(out), "--lang", "en", env=no_fonts)
    assert en.returncode == 1
    assert en.stderr == ("dxplan: PDF output needs a font for Japanese text and none is installed: install fonts-noto-cjk "
                         "(Debian/Ubuntu: apt-get install fonts-noto-cjk) or name an installed one with --font\n")
    assert not out.exists()
    # HTML needs no font
    assert run_cli("report", "plans/kurate", "--format", "html", "-o", str(tmp_path / "r.html"), env=no_fonts).returncode == 0


def test_font_option_prints_in_that_family_or_names_the_ones_installed(tmp_path):
    out = tmp_path / "serif.pdf"
    r = runner.invoke(app, ["report", "plans/kurate", "--format", "pdf", "-o", str(out), "--font", "Noto Serif CJK JP"])
    assert r.exit_code == 0, r.output
    fonts = {str(f["/BaseFont"]).split("+", 1)[-1] for page in PdfReader(out).pages
             for f in page["/Resources"]["/Font"].get_object().values() for f in [f.get_object()]}
    assert "Noto-Serif-CJK-JP" in fonts and not any("Sans" in f for f in fonts)
    bad = run_cli("report", "plans/kurate", "--format", "pdf", "-o", str(tmp_path / "x.pdf"), "--font", "No Such Mincho", "--lang", "en")
    assert bad.returncode == 1
    assert bad.stderr.startswith("dxplan: --font No Such Mincho: no installed font of that name covers Japanese text (installed that do: ")
    assert "Noto Sans CJK JP" in bad.stderr and bad.stderr.endswith("; or install fonts-noto-cjk)\n")
    md = run_cli("report", "plans/kurate", "--font", "Noto Sans CJK JP", "--lang", "en")
    assert (md.returncode, md.stderr) == (2, "dxplan: --font is for --format pdf\n")


def test_printing_leaves_the_garbage_collector_as_it_found_it():
    import gc

    from dxplan.report.pdf import html_to_pdf

    page = '<!DOCTYPE html><html lang="ja"><head><title>例</title></head><body><p>例市</p></body></html>'
    assert gc.isenabled()
    assert html_to_pdf(page).startswith(b"%PDF-1.7")
    assert gc.isenabled()
    gc.disable()
    try:
        assert html_to_pdf(page).startswith(b"%PDF-1.7")
        assert not gc.isenabled()
    finally:
        gc.enable()
