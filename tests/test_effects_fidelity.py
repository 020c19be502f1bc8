"""飯塚市's effect cells and row 備考 as the source writes them, on the bundled plan (plans/iizuka, seed 003).

- an effect cell prints its ``raw`` text (「△24時間（一人当たり）」, 「3,395（千円）※令和2年度実績」), never the parsed number;
- a per-person figure (``per: person``, #74 and #76) is in no sum: status terminal and JSON say how many were left out;
- the 符号の意味 column is marked as dxplan's reading (heading and a note line);
- a 備考 written beside a row (``row_notes``) is printed with that row, not in the sheet's 備考 section;
- department pages of plans whose task rows name no 担当課 say so instead of counting 0 rows.
"""

from __future__ import annotations

import json
import re
import tempfile
from functools import cache
from pathlib import Path

from ruamel.yaml import YAML
from typer.testing import CliRunner

from dxplan.cli import app

from conftest import PLANS

IIZUKA = PLANS / "iizuka"


@cache
def _run(*args: str) -> str:
    result = CliRunner().invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.output


@cache
def _html() -> str:
    """飯塚市's report as HTML, written by the command to a file and read back."""
    with tempfile.TemporaryDirectory() as d:
        out = Path(d) / "iizuka.html"
        _run("report", str(IIZUKA), "--format", "html", "-o", str(out))
        return out.read_text(encoding="utf-8")


def _yaml_actions(name: str = "iizuka") -> dict[str, dict]:
    yaml = YAML(typ="safe")
    out = {}
    for path in sorted((PLANS / name / "actions").glob("*.yaml")):
        data = yaml.load(path.read_text(encoding="utf-8"))
        out[str(data["id"])] = data
    return out


def _md_sheet(action_id: str) -> str:
    """The Markdown of one action sheet of 飯塚市's report, from its anchor to the next one."""
    md = _run("report", str(IIZUKA))
    start = md.index(f'<a id="action-{action_id}"></a>')
    end = md.find('<a id="action-', start + 1)
    return md[start:] if end < 0 else md[start:end]


def _effect_rows(sheet: str) -> list[list[str]]:
    """The rows of a sheet's effect table (after its header), as lists of cells."""
    if "#### 効果目標" not in sheet:
        return []
    block = sheet[sheet.index("#### 効果目標"):]
    rows = [line for line in block.splitlines() if line.startswith("| ")]
    rows = rows[1:]  # the header
    end = next((i for i, r in enumerate(rows) if not r.startswith(("| 業務量", "| 財政効果"))), len(rows))
    return [[c.strip() for c in r.strip().strip("|").split("|")] for r in rows[:end]]


def test_effect_cells_print_the_sheets_text_with_its_qualifiers():
    assert _effect_rows(_md_sheet("74")) == [
        ["業務量削減目標値（時間）", "削減", "—", "△24時間（一人当たり）", "△24時間（一人当たり）"],
        ["財政効果目標額（千円）", "費用", "—", "△1500", "△3000"],
    ]
    assert _effect_rows(_md_sheet("76"))[0] == ["業務量削減目標値（時間）", "削減", "—", "△24時間（一人当たり）", "△48時間（一人当たり）"]
    assert _effect_rows(_md_sheet("11")) == [["財政効果目標額（千円）", "歳入", *["3,395（千円）※令和2年度実績"] * 3]]
    assert _effect_rows(_md_sheet("59"))[0] == ["業務量削減目標値（時間）", "削減", *["△2,240時間 (36時間-8時間=28時間/日 ×80日開催)"] * 3]


def test_every_numeric_effect_cell_is_printed_as_written_and_none_as_a_bare_number():
    signed = 0
    for action_id, data in _yaml_actions().items():
        cells = [e for e in data.get("effects", []) if e.get("value") is not None]
        if not cells:
            continue
        printed = [c for row in _effect_rows(_md_sheet(action_id)) for c in row[2:] if c != "—"]
        assert sorted(printed) == sorted(str(e["raw"]) for e in cells), action_id
        assert not [c for c in printed if re.fullmatch(r"-[\d,]+", c)], action_id
        signed += sum(1 for e in cells if str(e["raw"]).lstrip().startswith(("△", "▲")))
    assert signed == 48  # the △/▲ cells that used to print as -N


def test_sign_meaning_is_marked_as_dxplans_reading_in_the_report():
    actions = _yaml_actions().values()
    with_effects = sum(1 for a in actions if a.get("effects"))
    with_numbers = sum(1 for a in actions if any(e.get("value") is not None for e in a.get("effects", [])))
    assert (with_effects, with_numbers) == (49, 36)
    md = _run("report", str(IIZUKA))
    assert "| 符号の意味 |" not in md
    assert md.count("| 効果の種類 | 符号の意味（dxplanの解釈） |") == with_numbers  # a table where some cell has a number
    assert md.count("符号の意味は、各個票の △ と符号についての dxplan の解釈です（計画には書かれていません）") == with_numbers
    html = _html()
    assert html.count('<th scope="col">符号の意味（dxplanの解釈）</th>') == with_effects  # the HTML table heads every effect block
    assert html.count("符号の意味は、各個票の △ と符号についての dxplan の解釈です（計画には書かれていません）") == with_numbers
    assert '<td>△24時間（一人当たり）</td><td>△48時間（一人当たり）</td>' in html
    assert "<td>3,395（千円）※令和2年度実績</td>" in html


def test_row_bikou_is_printed_with_its_row():
    s38 = _md_sheet("38")
    assert "- 業務量削減目標値（時間）の備考: 不備に対応する業務時間" in s38
    assert "#### 備考" not in s38
    s74 = _md_sheet("74")
    # the 各年度目標 row of #74 is the indicator's targets (25名, 50名): its 備考 follows that table
    assert s74.index("| 目標 | — | 25名 | 50名 |") < s74.index("各年度目標の備考: 職員数を50名とした場合") < s74.index("#### 効果目標")
    assert "#### 備考" not in s74
    s79 = _md_sheet("79")
    assert "| 各年度目標 | 令和8年度: 15,000万円以上の工事で導入<br>各年度目標の備考: 受注者の協力が必要となる。 |" in s79
    s59 = _md_sheet("59")
    assert "- 業務量削減目標値（時間）の備考: (普通開催人員) 6人6時間/日 従事 (ミッドナイト開催人員) 2人4時間/日 従事" in s59
    assert "- 財政効果目標額（千円）の備考: 各年度売上目標3%増" in s59
    md = _run("report", str(IIZUKA))
    assert md.count("の備考: ") == 12
    html = _html()
    assert '<ul class="row-notes"><li>業務量削減目標値（時間）の備考: 不備に対応する業務時間</li></ul>' in html
    assert '<p class="row-note">各年度目標の備考: 職員数を50名とした場合</p>' in html


def _hand_reduction_sum() -> tuple[float, int]:
    """The hours marked 削減 (meaning reduction) summed straight from the YAML, per-person cells left out."""
    total, left_out = 0.0, 0
    for data in _yaml_actions().values():
        for e in data.get("effects", []):
            if e["kind"] == "hours" and e.get("meaning") == "reduction" and e.get("value") is not None:
                if e.get("per") == "person":
                    left_out += 1
                else:
                    total += e["value"]
    return total, left_out


def test_per_person_figures_are_left_out_of_the_status_totals():
    total, left_out = _hand_reduction_sum()
    # -11,063 with #74's △24, △24 and #76's △24, △48 counted as office hours; -10,943 without them
    assert (total, left_out) == (-10943, 4)
    data = json.loads(_run("status", str(IIZUKA), "--format", "json"))
    reduction = data["effects"]["total"]["hours"]["reduction"]
    assert (reduction["total"], reduction["cells"]) == (total, 12)
    assert data["effects"]["total"]["per_person_cells"] == {"hours": left_out}
    by_action = {a["id"]: a for a in data["effects"]["by_action"]}
    assert by_action["74"]["per_person_cells"] == {"hours": 2} and "hours" not in by_action["74"]
    assert by_action["76"]["money"]["cost"]["total"] == -300
    text = _run("status", str(IIZUKA))
    assert "-10,943" in text and "-11,063" not in text
    assert "一人当たりの数値（どの合計にも含めない）: 時間 4、金額 0（アクション 74、76）" in text
    assert "符号の意味（dxplanの解釈）" in text
    assert "符号の意味は、各個票の △ と符号についての dxplan の解釈です（計画には書かれていません）" in text


def test_department_pages_say_when_task_rows_name_no_department():
    for name, rows, zero in (("iizuka", 556, 0), ("kashima", 260, 1)):
        actions = _yaml_actions(name)
        assert sum(len(a.get("tasks", [])) for a in actions.values()) == rows
        assert not any(t.get("department") for a in actions.values() for t in a.get("tasks", []))
        md = _run("report", str(PLANS / name))
        # a real 0 only where the department's actions have no task row at all (鹿島市 #24 ラムサール条約推進室)
        assert md.count("タスク 0 行") == zero
        assert "タスク行に担当課の記載なし（これらのアクション全体で " in md
    assert "tasks" not in _yaml_actions("kashima")["24"]
    md = _run("report", str(IIZUKA))
    # #87 (議会事務局) has 4 task rows, none naming a department
    assert len(_yaml_actions()["87"]["tasks"]) == 4
    assert "| 87 | [会議録作成支援システムの活用](#action-87) | 担当課の記載なし（アクション全体で 4 行） |" in md
    # 嘉麻市's rows name their 担当課: its pages still count them
    kama = _run("report", str(PLANS / "kama"))
    assert "担当課の記載なし" not in kama and "タスク行に担当課の記載なし" not in kama
