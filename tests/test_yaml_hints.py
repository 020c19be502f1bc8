"""The YAML habits that trip newcomers get their fix in the message (ja and en), on real files:
an unquoted comma in a flow mapping value, an unquoted ': ' in a value, a look-alike character
(〇 U+3007 for the plan's ○ U+25CB), full-width digits where a number is expected."""

from __future__ import annotations

import shutil

import pytest

from dxplan.lint.engine import lint_paths

from conftest import FIXTURES, write_action

HEAD = "id: '1'\ntitle: 例\ncategory: A-1\nowners: [総務課]\n"
SOURCES = "sources: [{file: seed.txt, location: line 1}]\n"


def findings(plan, rule):
    return [(p.line, p.column, p.message_ja, p.message_en) for p in lint_paths([plan]).problems if p.rule == rule]


def test_unquoted_comma_in_a_flow_mapping_value(mini_plan):
    write_action(mini_plan, "01.yaml", HEAD + "target: {text: 2,000件以上}\n" + SOURCES)
    assert findings(mini_plan, "unknown-key") == [(5, 18,
        "未知のキー「000件以上」（target 内）。スキーマにないキーは使えません。 {…} の中のカンマは項目の区切りになります。カンマを含む値は引用符で囲んでください（text: '2,000件以上'）。",
        "unknown key '000件以上' in target. Keys outside the schema are not allowed. A comma inside {…} separates entries: quote a value that holds one (text: '2,000件以上').")]
    # the wrong-type error the same comma causes (text: 2, a number where text is expected) carries the same hint
    assert findings(mini_plan, "wrong-type") == [(5, 16,
        "「target.text」の型が違います: 文字列 {…} の中のカンマは項目の区切りになります。カンマを含む値は引用符で囲んでください（text: '2,000件以上'）。",
        "wrong type at 'target.text': expected text A comma inside {…} separates entries: quote a value that holds one (text: '2,000件以上').")]
    # quoted as the hint says, the file is clean
    write_action(mini_plan, "01.yaml", HEAD + "target: {text: '2,000件以上'}\n" + SOURCES)
    assert lint_paths([mini_plan]).errors == 0


def test_unquoted_comma_hint_on_a_nested_flow_mapping(mini_plan):
    write_action(mini_plan, "01.yaml", HEAD + "indicators:\n  - id: K1\n    name: 件数\n    targets:\n"
                 "      - {fiscal_year: 令和6年度, text: 1,200件}\n" + SOURCES)
    [(line, col, ja, en)] = findings(mini_plan, "wrong-type")
    assert (line, col) == (9, 36)
    assert en.endswith("quote a value that holds one (text: '1,200件').")
    assert [(p[0], p[1]) for p in findings(mini_plan, "unknown-key")] == [(9, 38)]


def test_unquoted_colon_in_a_value(mini_plan):
    write_action(mini_plan, "01.yaml", "id: '1'\ntitle: 目標: 100件\ncategory: A-1\nowners: [総務課]\n" + SOURCES)
    [(line, col, ja, en)] = findings(mini_plan, "yaml-syntax")
    assert (line, col) == (2, 10)
    assert ja.endswith(" 「: 」を含む値は引用符で囲んでください: title: '目標: 100件'。")
    assert en.endswith(". A value that holds ': ' must be quoted: title: '目標: 100件'.")
    write_action(mini_plan, "01.yaml", "id: '1'\ntitle: '目標: 100件'\ncategory: A-1\nowners: [総務課]\n" + SOURCES)
    assert lint_paths([mini_plan]).errors == 0


@pytest.fixture
def circles(tmp_path):
    """tests/fixtures/mini with a ◎○△ grade scale given per action."""
    dest = tmp_path / "circles"
    shutil.copytree(FIXTURES / "mini", dest)
    plan = dest / "plan.yaml"
    text = plan.read_text(encoding="utf-8")
    plan.write_text(text[: text.index("grade_scale:")] + "grade_scale:\n  applies_to: action\n  grades:\n"
                    "    - {grade: ◎, meaning: 目標を上回った}\n    - {grade: ○, meaning: 目標どおり}\n    - {grade: △, meaning: 遅れている}\n", encoding="utf-8")
    return dest


def test_look_alike_character_names_both_code_points(circles):
    write_action(circles, "01.yaml", HEAD + "grades: [{fiscal_year: 令和6年度, grade: 〇}]\n" + SOURCES)
    assert findings(circles, "unknown-grade") == [(5, 38,
        "評価「〇」は計画の評価尺度にありません（宣言済み: ◎、○、△）。 書かれているのは 〇（U+3007 IDEOGRAPHIC NUMBER ZERO）です。計画の語は ○ で、○（U+25CB WHITE CIRCLE）で書きます。",
        "grade '〇' is not in the plan's grade scale (declared: ◎, ○, △). You wrote 〇 (U+3007 IDEOGRAPHIC NUMBER ZERO); the plan's word is ○, written with ○ (U+25CB WHITE CIRCLE).")]
    write_action(circles, "01.yaml", HEAD + "grades: [{fiscal_year: 令和6年度, grade: ○}]\n" + SOURCES)
    assert findings(circles, "unknown-grade") == []


def test_full_width_digits_where_a_number_is_expected(mini_plan):
    write_action(mini_plan, "01.yaml", HEAD + "tasks:\n  - {fiscal_year: 令和6年度, status: 進捗中, progress: ５０}\n" + SOURCES)
    assert findings(mini_plan, "wrong-type") == [(6, 49,
        "「tasks[0].progress」の型が違います: 数値 — ５０ は全角数字です。数値は半角数字で書いてください: 50。",
        "wrong type at 'tasks[0].progress': expected a number — ５０ is written with full-width digits; write the number with ASCII digits: 50.")]
