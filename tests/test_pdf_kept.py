"""A plan's PDF kept in the results cache: the same print HTML is answered with the same bytes without a
second layout; a changed plan, font set or entry prints again (dxplan.report.pdf, ``keep_as``).

Each test prints 鞍手町's report (the smallest bundled plan) for real with WeasyPrint at most twice. Where
a test must show that WeasyPrint is *not* reached, the function that loads WeasyPrint's ``HTML`` class
is replaced by one that fails the test when called.
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from pypdf import PdfReader
from typer.testing import CliRunner

from dxplan.cli import app
from dxplan.files import result_cache
from dxplan.files.views import Missed
from dxplan.report import kept as kept_reports, pdf as pdf_module

from conftest import PLANS

runner = CliRunner()


class Reached(Exception):
    """WeasyPrint was asked to print."""


def never_print():
    raise Reached("WeasyPrint was reached")


@pytest.fixture(autouse=True)
def no_kept_reports(monkeypatch):
    """The whole report is kept too (dxplan.report.kept), which would answer before the print is reached:
    left out here, so that what answers is the print's own keeping."""
    monkeypatch.setattr(kept_reports, "find", lambda root, args: Missed())


@pytest.fixture
def kurate(tmp_path) -> Path:
    dest = tmp_path / "plans" / "kurate"
    shutil.copytree(PLANS / "kurate", dest)
    return dest


def report(plan: Path, out: Path, *extra: str):
    return runner.invoke(app, ["report", str(plan), "--format", "pdf", "-o", str(out), "--no-history", *extra], env={"DXPLAN_LANG": "ja"})


def text_of(path: Path) -> str:
    return "".join(page.extract_text() or "" for page in PdfReader(path).pages)


def test_the_same_report_again_is_the_kept_print(kurate, cache, tmp_path, monkeypatch):
    first = report(kurate, tmp_path / "a.pdf")
    assert first.exit_code == 0, first.output
    monkeypatch.setattr(pdf_module, "_weasyprint_html", never_print)
    second = report(kurate, tmp_path / "b.pdf")
    assert second.exit_code == 0, second.output
    data = (tmp_path / "b.pdf").read_bytes()
    assert data == (tmp_path / "a.pdf").read_bytes()
    assert data.startswith(b"%PDF-1.7") and len(PdfReader(tmp_path / "b.pdf").pages) > 3


def test_a_changed_plan_prints_again_with_the_change(kurate, cache, tmp_path):
    assert report(kurate, tmp_path / "a.pdf").exit_code == 0
    action = sorted((kurate / "actions").glob("*.yaml"))[0]
    text = action.read_text(encoding="utf-8")
    title = next(line for line in text.splitlines() if line.startswith("title: "))
    action.write_text(text.replace(title, title + "（改訂版テスト）", 1), encoding="utf-8")
    r = report(kurate, tmp_path / "b.pdf")
    assert r.exit_code == 0, r.output
    assert "改訂版テスト" in text_of(tmp_path / "b.pdf")
    assert "改訂版テスト" not in text_of(tmp_path / "a.pdf")


def test_another_font_set_or_no_cache_prints_again(kurate, cache, tmp_path, monkeypatch):
    assert report(kurate, tmp_path / "a.pdf").exit_code == 0
    monkeypatch.setattr(pdf_module, "_weasyprint_html", never_print)
    fonts = pdf_module.installed_fonts()
    monkeypatch.setattr(pdf_module, "installed_fonts", lambda: [*fonts, ("/usr/share/fonts/new/NewGothic.otf", 0, 1234, 1)])
    r = report(kurate, tmp_path / "b.pdf")
    assert isinstance(r.exception, Reached)
    monkeypatch.setattr(pdf_module, "installed_fonts", lambda: fonts)
    assert report(kurate, tmp_path / "c.pdf").exit_code == 0  # the font set as it was: the kept print
    monkeypatch.setenv("DXPLAN_NO_CACHE", "1")
    result_cache.reset()
    assert isinstance(report(kurate, tmp_path / "d.pdf").exception, Reached)


def test_a_corrupt_kept_print_is_printed_again(kurate, cache, tmp_path):
    assert report(kurate, tmp_path / "a.pdf").exit_code == 0
    result_cache.reset()
    (db,) = cache.glob("results-*.sqlite3")
    with sqlite3.connect(db) as conn:
        (blob,) = conn.execute("SELECT value FROM views WHERE view = ?", (pdf_module.PDF_VIEW,)).fetchone()
        conn.execute("UPDATE views SET value = ? WHERE view = ?", (blob[:-100] + b"x" * 100, pdf_module.PDF_VIEW))
    r = report(kurate, tmp_path / "b.pdf")
    assert r.exit_code == 0, r.output
    assert "corrupt" in r.output or "壊れ" in r.output
    assert (tmp_path / "b.pdf").read_bytes() == (tmp_path / "a.pdf").read_bytes()


def test_print_key_follows_every_input(monkeypatch):
    html = "<html><head><title>t</title></head><body>嘉麻市</body></html>"
    key = pdf_module.print_key(html)
    assert key is not None and len(key) == 16
    assert pdf_module.print_key(html) == key
    assert pdf_module.print_key(html.replace("嘉麻市", "鹿島市")) != key
    monkeypatch.setattr(pdf_module, "PDF_VARIANT", "pdf/a-3b")
    assert pdf_module.print_key(html) != key
    monkeypatch.undo()
    monkeypatch.setattr(pdf_module, "_library_versions", lambda: "weasyprint 99.0; pydyf 0.13.0; pango 1; harfbuzz 1")
    assert pdf_module.print_key(html) != key
    monkeypatch.setattr(pdf_module, "_library_versions", lambda: None)
    assert pdf_module.print_key(html) is None


def test_installed_fonts_name_the_japanese_font_files():
    faces = pdf_module.installed_fonts()
    families = pdf_module.japanese_fonts() or []
    if not families:
        pytest.skip("no Japanese font installed")
    assert any(path.endswith((".ttc", ".otf", ".ttf")) and size > 0 for path, _, size, _ in faces)
    assert faces == sorted(set(faces))
