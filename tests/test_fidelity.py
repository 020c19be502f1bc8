"""The report shows every word the municipality wrote and none of ours, driven by the schema's provenance declaration.

For each bundled plan, every source string (:func:`dxplan.model.provenance.source_strings`) must appear in the
Markdown and in the HTML report, compared as text (whitespace folded, Markdown and HTML escaping undone), and no
annotation string may appear unless it is also a source string.
"""

from __future__ import annotations

import html
import json
import re
from functools import cache
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dxplan.cli import app
from dxplan.files.load import load_plan
from dxplan.model.base import provenance_of
from dxplan.model.provenance import annotation_strings, source_strings
from dxplan.model.schema import Action, Department, Plan, SourceDocument, Task

from conftest import FIXTURES, PLANS

runner = CliRunner()
ENV = {"DXPLAN_LANG": "ja", "GITHUB_ACTIONS": "", "COLUMNS": "200"}
BUNDLED = sorted(p.parent.name for p in PLANS.glob("*/plan.yaml"))
EVERY_FIELD = "every_field"
"""tests/fixtures/every_field: every source field of the schema filled (tests/test_every_field.py checks it is every one)."""
WALKED = [*BUNDLED, EVERY_FIELD]


def plan_dir(plan: str) -> Path:
    """The folder of a bundled plan, or of the every-field fixture."""
    return FIXTURES / plan if plan == EVERY_FIELD else PLANS / plan

FORMER_COMMENTARY = [
    "担当課空欄（前行の続き）",
    "実施欄・進捗状況欄とも空欄",
    "進捗状況は行の後の独立した行に記載",
    "is written once after the third item",
    "written once after the list of this year",
    "(L75)",
    "(L77)",
]
"""The commentary once kept in source fields (嘉麻市 and 鹿島市 task notes, 鞍手町 推進体制 line numbers)."""


def fold(text: str) -> str:
    """Text for comparison: runs of whitespace as one space, trimmed."""
    return re.sub(r"\s+", " ", text).strip()


def md_plain(md: str) -> str:
    """The Markdown report as text: hard breaks and ``<br>`` as spaces, backslash escapes and entities undone."""
    text = md.replace("<br>", " ").replace("\\\n", " ")
    text = re.sub(r"\\([\\`*_{}\[\]()#+\-.!|>~<])", r"\1", text)
    return fold(html.unescape(text))


def html_plain(page: str) -> str:
    """The HTML report as text: style and script dropped, tags as spaces, entities undone."""
    page = re.sub(r"<(style|script)\b.*?</\1>", " ", page, flags=re.S)
    return fold(html.unescape(re.sub(r"<[^>]+>", " ", page)))


@cache
def report(plan: str, fmt: str, tmp: Path) -> str:
    out = tmp / f"{plan}.{fmt}"
    result = runner.invoke(app, ["report", str(plan_dir(plan)), "--format", fmt, "-o", str(out), "--no-history"], env=ENV)
    assert result.exit_code == 0, result.output
    return out.read_text(encoding="utf-8")


@cache
def plan_strings(plan: str) -> tuple[list[tuple[str, str]], set[str]]:
    """``([(where, text)] of source strings, {annotation texts})`` of a bundled plan (or the every-field fixture),
    from the declaration."""
    loaded = load_plan(plan_dir(plan), positions=False)
    assert loaded.plan is not None and not [p for p in loaded.problems if p.severity == "error"]
    sources: list[tuple[str, str]] = []
    notes: set[str] = set()
    for where, model in [("plan.yaml", loaded.plan), *((la.doc.path.name, la.action) for la in loaded.actions)]:
        for path, text in source_strings(model):
            sources.append((f"{where}:{'.'.join(map(str, path))}", text))
        notes.update(text for _, text in annotation_strings(model))
    return sources, notes


@pytest.fixture(scope="module")
def tmp(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("fidelity")


def test_declaration_covers_what_the_writers_need():
    assert provenance_of(Task, "note") == "source"
    assert provenance_of(Task, "item") == "source"
    assert provenance_of(Task, "transcription_note") == "annotation"
    assert provenance_of(Task, "result_kind") == "computed"  # a Literal: the schema's vocabulary
    assert provenance_of(Department, "role") == "source"
    assert provenance_of(Department, "note") == "annotation"
    assert provenance_of(SourceDocument, "title") == "source"
    assert provenance_of(SourceDocument, "file") == "annotation"
    assert provenance_of(Plan, "labels") == "label"
    assert provenance_of(Action, "sources") == "annotation"
    assert provenance_of(Action, "visions") == "computed"


def test_plan_string_counts():
    counts = {p: len(plan_strings(p)[0]) for p in BUNDLED}
    assert counts == {"iizuka": 2480, "kama": 1815, "kashima": 964, "kurate": 182}


@pytest.mark.parametrize("plan", WALKED)
@pytest.mark.parametrize("fmt", ["md", "html"])
def test_every_source_string_is_shown(plan, fmt, tmp):
    text = report(plan, fmt, tmp)
    shown = md_plain(text) if fmt == "md" else html_plain(text)
    sources, _ = plan_strings(plan)
    missing = [f"{where}: {s[:80]}" for where, s in sources if fold(s) not in shown]
    assert missing == []


@pytest.mark.parametrize("plan", WALKED)
@pytest.mark.parametrize("fmt", ["md", "html"])
def test_no_annotation_is_shown(plan, fmt, tmp):
    text = report(plan, fmt, tmp)
    shown = md_plain(text) if fmt == "md" else html_plain(text)
    sources, notes = plan_strings(plan)
    source_texts = {fold(s) for _, s in sources}
    leaked = [n[:80] for n in notes if len(fold(n)) > 3 and fold(n) not in source_texts and fold(n) in shown]
    assert leaked == []
    assert [c for c in FORMER_COMMENTARY if c in shown] == []


def test_former_commentary_rows_are_annotations():
    """The 17 commentary rows are kept, as the tasks' transcription notes."""
    found = []
    for plan in ("kama", "kashima"):
        loaded = load_plan(PLANS / plan, positions=False)
        for la in loaded.actions:
            for task in la.action.tasks:
                if task.transcription_note and any(c in task.transcription_note for c in FORMER_COMMENTARY):
                    found.append((plan, la.action.id))
                    assert task.note is None or not any(c in task.note for c in FORMER_COMMENTARY)
    assert len(found) == 17
    assert sum(1 for p, _ in found if p == "kama") == 11


def test_iizuka_item_and_note_printed_with_the_plan_labels(tmp):
    md = md_plain(report("iizuka", "md", tmp))
    assert "項目: ミッドナイトオートレースの拡充" in md
    assert "備考: 令和5年度ミッドナイト80日開催予定（参考）" in md
    assert "| 備考: " not in md


def test_kurate_parts_where_a_reader_expects_them(tmp):
    md = report("kurate", "md", tmp)
    assert "## 推進体制" in md and "## 用語集" in md
    assert md.index("## 推進体制") < md.index("## アクションシート") < md.index("## 用語集")
    page = report("kurate", "html", tmp)
    assert '<h2 id="glossary-h">用語集</h2>' in page
    assert "<strong>CDO（最高デジタル責任者）</strong>: 町長をCDO（最高デジタル責任者）…に位置付け" in page


@pytest.mark.parametrize("plan", ["kashima", "kurate"])
def test_status_json_claims_no_state_words_for_a_plan_without_them(plan):
    result = runner.invoke(app, ["status", str(PLANS / plan), "--format", "json"], env=ENV)
    assert result.exit_code == 0, result.output
    for word in ("未着手", "検討中", "進捗中", "完了"):
        assert word not in result.output
    data = json.loads(result.output)
    plans = data["plans"] if isinstance(data, dict) and "plans" in data else data
    first = plans[0] if isinstance(plans, list) else plans
    assert first["state_words_declared"] is False


def test_status_json_keeps_kama_state_words():
    result = runner.invoke(app, ["status", str(PLANS / "kama"), "--format", "json"], env=ENV)
    data = json.loads(result.output)
    plans = data["plans"] if isinstance(data, dict) and "plans" in data else data
    first = plans[0] if isinstance(plans, list) else plans
    assert first["state_words_declared"] is True
    assert first["state_words"]["done"] == "完了"


@pytest.mark.parametrize("plan, expected", [
    ("kama", "tasks[1].transcription_note: 実施欄・進捗状況欄とも空欄"),
    ("kurate", "departments[1].note: source line L75"),
    ("kurate", "glossary[1].note: Term cell written 「アクセシビリティ (ウェブアクセシビリティ)」"),
])
def test_audit_lists_every_other_annotation_by_its_path(plan, expected):
    result = runner.invoke(app, ["report", str(PLANS / plan), "--audit", "--no-history"], env=ENV)
    assert result.exit_code == 0, result.output
    assert expected in md_plain(result.output)
