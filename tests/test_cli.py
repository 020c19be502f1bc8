"""The CLI through typer's runner: exit codes, formats and messages."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
import shutil

import pytest
from typer.testing import CliRunner

from dxplan.cli import app

from conftest import FIXTURES, PLANS, write_action

ROOT = PLANS.parent

runner = CliRunner()


def run(*args, env=None):
    return runner.invoke(app, [str(a) for a in args], env=env or {"DXPLAN_LANG": "ja", "GITHUB_ACTIONS": ""})


def test_help_lists_commands_in_the_chosen_language():
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k != "DXPLAN_LANG"}
    for extra, expected in (([], "終了コード: 0 成功、1 問題あり、2 使い方の誤り。"), (["--lang", "en"], "Exit codes: 0 ok, 1 problems found, 2 usage error.")):
        r = subprocess.run([sys.executable, "-m", "dxplan", "--help", *extra], capture_output=True, text=True, env={**env, "COLUMNS": "200"}, cwd=ROOT)
        assert r.returncode == 0
        for cmd in ("lint", "status", "score", "rules"):
            assert f" {cmd} " in r.stdout
        assert expected in r.stdout


def test_lint_all_plans_exit_0():
    r = run("lint", PLANS)
    assert r.exit_code == 0, r.output
    assert "エラー 0 件" in r.output


def test_lint_broken_copy_exit_1_with_positions(tmp_path):
    dest = tmp_path / "kama"
    shutil.copytree(PLANS / "kama", dest)
    p13, p14 = dest / "actions" / "13.yaml", dest / "actions" / "14.yaml"
    p13.write_text(p13.read_text(encoding="utf-8").replace("status: 進捗中", "status: 進行中", 1), encoding="utf-8")
    p14.write_text(p14.read_text(encoding="utf-8").replace("category: I-2", "categry: I-2"), encoding="utf-8")
    r = run("lint", dest, "--lang", "en")
    assert r.exit_code == 1
    lines = [ln for ln in r.output.splitlines() if "13.yaml" in ln or "14.yaml" in ln]
    assert any(": error unknown-key unknown key 'categry'" in ln and "Did you mean 'category'?" in ln for ln in lines), r.output
    assert any(": error unknown-status status word '進行中'" in ln for ln in lines), r.output
    for ln in lines:
        file_line_col = ln.split(": ")[0]
        assert file_line_col.count(":") == 2 and all(part.isdigit() for part in file_line_col.split(":")[1:])


def test_lint_json_and_github_formats(mini_plan):
    write_action(mini_plan, "01.yaml", "id: '1'\ntitle: 例\ncategory: A-1\nowners: [総務部]\nsources: [{file: s, location: l}]\n")
    r = run("lint", mini_plan, "--format", "json")
    assert r.exit_code == 1
    data = json.loads(r.output)
    assert data["summary"] == {"files": 2, "errors": 1, "warnings": 0}
    assert (data["problems"][0]["rule"], data["problems"][0]["line"], data["problems"][0]["column"]) == ("unknown-department", 4, 10)
    r = run("lint", mini_plan, env={"GITHUB_ACTIONS": "true"})
    assert r.output.startswith("::error file=") and ",line=4,col=10,title=unknown-department::" in r.output


def test_lint_sarif(mini_plan):
    write_action(mini_plan, "01.yaml", "id: '1'\ntitle: 例\ncategory: A-1\nsources: [{file: s, location: l}]\n")
    r = run("lint", mini_plan, "--format", "sarif")
    sarif = json.loads(r.output)
    assert r.exit_code == 0  # a warning only
    res = sarif["runs"][0]["results"][0]
    assert (res["ruleId"], res["level"]) == ("required-by-plan", "warning")
    assert run("lint", mini_plan, "--strict").exit_code == 1


def test_usage_errors_exit_2(tmp_path):
    assert run("lint", tmp_path / "nope").exit_code == 2
    assert run("status", PLANS / "kama", "--year", "来年度").exit_code == 2
    assert run("status", PLANS / "kama", "--year", "R12").exit_code == 2
    assert run("score", PLANS / "kama", "--action", "999").exit_code == 2
    assert run("status", PLANS / "kama", "--by", "color").exit_code == 2


def test_status_json_year_forms_agree():
    outs = [json.loads(run("status", PLANS / "kama", "--year", y, "--format", "json").output) for y in ("R6", "2024", "令和6年度")]
    assert outs[0] == outs[1] == outs[2]
    year = outs[0]["years"][0]
    assert year["fiscal_year_label"] == "令和6年度"
    assert year["total"]["counts"] == {"not_started": 0, "considering": 0, "in_progress": 77, "done": 74}
    assert year["source_table"]["matches"] is True


def test_status_table_in_terminal():
    r = run("status", PLANS / "kama", "--year", "R6")
    assert r.exit_code == 0
    assert "令和6年度 進捗状況" in r.output and "50.99%" in r.output and "状況のない行 1 件" in r.output
    assert "資料の集計表「令和7年3月末進捗見込 (令和7年2月10日 現在評価)」と一致" in r.output


def test_score_json_and_explain():
    data = json.loads(run("score", FIXTURES / "kama001", "--format", "json").output)
    by_id = {a["id"]: a for a in data["actions"]}
    assert (by_id["13"]["deciding"], by_id["13"]["shown"], by_id["13"]["label"]) == ("summary", "70.0", "やや未達")
    assert by_id["13"]["references"]["tasks"]["shown"] == "54.2"
    assert by_id["6"]["references"]["tasks"]["shown"] == "90.0"
    r = run("score", FIXTURES / "kama001", "--action", "3a", "--explain")
    assert "達成率 = (1.8 − 1) ÷ (2 − 1) × 100 = 80.0%" in r.output
    assert "→ 概ね達成" in r.output
    r = run("score", FIXTURES / "kama001", "--action", "3a", "--explain", "--lang", "en")
    assert "rate = (1.8 − 1) / (2 − 1) × 100 = 80.0%" in r.output


def test_status_on_plan_with_broken_file_warns_and_exits_1(mini_plan):
    write_action(mini_plan, "01.yaml", "id: '1'\ntitle: [broken\n")
    r = run("status", mini_plan)
    assert r.exit_code == 1
    assert "dxplan lint" in r.output


def test_status_over_all_plans_has_a_combined_view():
    data = json.loads(run("status", PLANS, "--format", "json").output)
    assert [p["plan"] for p in data["plans"]] == ["iizuka", "kama", "kashima", "kurate"]
    combined = {c["plan"]: c for c in data["combined"]}
    assert combined["kama"]["actions"]["counts"] == {"not_started": 0, "considering": 0, "in_progress": 30, "done": 20}
    assert combined["kama"]["task_rows"]["no_status"] == 1
    assert combined["kashima"]["actions"]["no_status"] == 51  # a draft: every action not evaluated
    assert combined["kurate"]["task_rows"]["rows"] == 0
    r = run("status", PLANS)
    assert "全計画の概況" in r.output and r.output.count("令和6年度 進捗状況（タスク行）") == 1
    assert "令和6年度: 進捗状況の記入された行はありません（タスク 223 行）" in r.output  # iizuka, a draft


def test_score_over_all_plans_says_not_evaluated_for_drafts():
    data = json.loads(run("score", PLANS, "--format", "json").output)
    by_plan = {p["plan"]: p for p in data}
    assert {a["label"] for a in by_plan["kurate"]["actions"]} == {"未評価"}
    assert {a["state"] for a in by_plan["kashima"]["actions"]} == {"not_evaluated"}
    kama_labels = {a["id"]: a["label"] for a in by_plan["kama"]["actions"]}
    assert kama_labels["2"] == "達成"


def test_status_years_without_any_status_print_one_line():
    r = run("status", PLANS / "kama")
    assert "令和7年度: 進捗状況の記入された行はありません（タスク 143 行）" in r.output
    assert "令和8年度: 進捗状況の記入された行はありません（タスク 142 行）" in r.output
    assert r.output.count("進捗状況（タスク行）") == 1  # only R6 has a table


def test_score_table_shows_reference_rates_and_gaps():
    r = run("score", FIXTURES / "kama001")
    row13 = next(ln for ln in r.output.splitlines() if "本庁と支所" in ln)
    assert "70.0%" in row13 and "やや未達" in row13 and "54.2%" in row13
    r = run("score", PLANS / "kama", "--action", "3", "--lang", "en")
    row3 = next(ln for ln in r.output.splitlines() if "│  3 " in ln or "│ 3 " in ln)
    assert "insufficient" in row3


def test_explain_says_when_the_label_uses_the_capped_rate():
    r = run("score", FIXTURES / "kama001", "--action", "3b", "--explain")
    assert "決定: 目標(値)に対する進捗率 130.0%（100%で上限） → 達成" in r.output
    r = run("score", FIXTURES / "kama001", "--action", "3a", "--explain")
    assert "上限" not in r.output


def test_heading_shows_the_stage_once():
    assert "アクションプラン（案）  令和5年度" in run("status", PLANS / "kashima").output  # the title already says 案
    assert "飯塚市行政経営戦略推進プラン（素案）" in run("status", PLANS / "iizuka").output


@pytest.mark.parametrize(
    "args, ja, en",
    [
        (["status", "nosuch"], "dxplan: nosuch: ファイルまたはフォルダがありません", "dxplan: nosuch: no such file or folder"),
        (["status", "plans/kama", "--year", "2030"], "dxplan: 2030: 計画 kama の期間（2024–2026）の外です", "dxplan: 2030: outside the plan period of kama (2024–2026)"),
        (["score", "plans/kama", "--action", "99"], "dxplan: kama: アクション 99 はありません", "dxplan: kama: no action 99"),
        (["lint", "plans/kama", "-j", "0"], "dxplan: --jobs: 0 はワーカー数ではありません。1 以上を指定してください", "dxplan: --jobs: 0 is not a number of workers; give 1 or more"),
    ],
)
def test_usage_errors_follow_the_language(args, ja, en):
    """Usage errors exit 2 and are worded in the chosen language (Japanese by default)."""
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k != "DXPLAN_LANG"}
    for extra, expected in (([], ja), (["--lang", "en"], en)):
        r = subprocess.run([sys.executable, "-m", "dxplan", *args, *extra], capture_output=True, text=True, env=env, cwd=ROOT)
        assert r.returncode == 2, r.stderr
        assert r.stderr.strip() == expected


def test_click_usage_error_in_japanese_by_default():
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k != "DXPLAN_LANG"}
    r = subprocess.run([sys.executable, "-m", "dxplan", "statsu"], capture_output=True, text=True, env=env, cwd=ROOT)
    assert r.returncode == 2
    assert "コマンド 'statsu' はありません。" in r.stderr
    r = subprocess.run([sys.executable, "-m", "dxplan", "statsu", "--lang", "en"], capture_output=True, text=True, env=env, cwd=ROOT)
    assert "no command 'statsu'; did you mean 'status'?" in r.stderr


def _cells(line: str) -> int:
    """Terminal cells a line takes (East Asian wide characters take two)."""
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line)


@pytest.mark.parametrize("args", [["status", "plans/kama", "--by", "category"], ["score", "plans/kama"], ["status", "plans"], ["--help"], ["status", "--help"]])
def test_output_fits_an_80_column_terminal(args):
    import subprocess
    import sys

    env = {**{k: v for k, v in os.environ.items() if k != "DXPLAN_LANG"}, "COLUMNS": "80"}
    r = subprocess.run([sys.executable, "-m", "dxplan", *args], capture_output=True, text=True, env=env, cwd=ROOT)
    assert r.returncode == 0, r.stderr
    widest = max(_cells(ln) for ln in r.stdout.splitlines())
    assert 40 < widest <= 80
    if "--help" in args:  # help texts are wrapped, never cut, and show no <bool> metavars
        assert "<bool>" not in r.stdout and "…" not in r.stdout


def _squeezed(text: str) -> str:
    """A rendered help page without spaces, line ends and box lines: a help text folded over several
    lines of its cell reads whole again, one cut with "…" does not."""
    import re

    return re.sub(r"[\s│╭╮╰╯─]", "", text)


@pytest.mark.parametrize(("lang", "args", "env_lang"), [("ja", [], None), ("en", ["--lang", "en"], None), ("en", [], "en")],
                         ids=["ja", "en-option", "en-env"])
def test_help_pages_show_the_typer_help_fixes_in_both_languages(lang, args, env_lang):
    """What cli.help_page.install changes in typer's help pages, as rendered: flags show no ``<bool>`` type, and a help
    text longer than its column folds onto the next lines instead of being cut with "…" (Japanese has no
    spaces to wrap at). Checked on ``dxplan --help`` and ``dxplan lint --help`` at 60 columns, where both show."""
    import inspect
    import subprocess

    import typer.main

    from dxplan.i18n import t
    from dxplan.lint.formatters import FORMATS

    env = {k: v for k, v in os.environ.items() if k != "DXPLAN_LANG"} | {"COLUMNS": "60", "NO_COLOR": "1"}
    if env_lang:
        env["DXPLAN_LANG"] = env_lang

    def page(*argv: str) -> str:
        r = subprocess.run([sys.executable, "-m", "dxplan", *args, *argv, "--help"], capture_output=True, text=True, env=env, cwd=ROOT)
        assert r.returncode == 0, r.stderr
        assert "<bool>" not in r.stdout  # a flag takes no value
        assert "…" not in r.stdout  # no help text cut short
        return r.stdout

    def whole(*parts: str) -> str:
        return _squeezed("".join(parts))

    main = page()
    for panel in ("Options", "Commands"):  # typer's headings, in the language asked for
        assert f"╭─ {t(lang, panel)} ─" in main
    squeezed = _squeezed(main)
    assert whole("--version", t(lang, "show the version")) in squeezed  # no type column for a flag
    assert whole("--help", "-h", t(lang, "Show this message and exit.")) in squeezed
    for name, cmd in typer.main.get_command(app).commands.items():  # each command's line whole
        assert whole(name, t(lang, inspect.cleandoc(cmd.callback.__doc__).split("\n\n", 1)[0])) in squeezed, name

    lint = page("lint")
    for panel in ("Arguments", "Options"):
        assert f"╭─ {t(lang, panel)} ─" in lint
    squeezed = _squeezed(lint)
    assert whole(FORMATS.help.split("github ", 1)[1]) in squeezed  # "(annotations; … GITHUB_ACTIONS=true) | sarif"
    assert whole("--strict", t(lang, "treat warnings as errors"), "--base", "REV", t(lang, "fail on goalpost changes since REV without a recorded reason")) in squeezed
    assert whole("--jobs", "-j", "N", t(lang, "worker processes (default: DXPLAN_JOBS or one per CPU)")) in squeezed


def test_a_reader_that_stops_early_ends_the_command_quietly():
    """``dxplan status plans/kama | head -1``: exit 0, nothing on stderr, the first line delivered."""
    import subprocess

    r = subprocess.run(
        ["bash", "-c", 'dxplan status plans/kama | head -1; echo "exit=${PIPESTATUS[0]}" >&2'],
        capture_output=True, text=True, cwd=ROOT, env={**os.environ, "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}"},
    )
    assert r.stdout.startswith("嘉麻市 第1次嘉麻市デジタル推進計画")
    assert r.stderr == "exit=0\n"


def _format_registries():
    from dxplan.compare.formats import COMPARE, CROSSWALK
    from dxplan.diff.formats import FORMATS as DIFF
    from dxplan.lint.formatters import FORMATS as LINT
    from dxplan.output.formats import HISTORY, SCORE
    from dxplan.report.formats import REPORT, STATUS
    from dxplan.sheets.formats import FORMATS as EXPORT

    return {"lint": LINT, "status": STATUS, "score": SCORE, "report": REPORT, "diff": DIFF, "export": EXPORT, "history": HISTORY,
            "compare": COMPARE, "crosswalk": CROSSWALK}


def test_every_format_option_is_its_registry():
    """Each command's ``--format`` offers its registry's names, in order, with the registry's help line and default."""
    import typer.main

    from dxplan.cli.common import help_text
    from dxplan.report.formats import STATUS, STATUS_BY_INDICATOR

    commands = typer.main.get_command(app).commands
    registries = _format_registries()
    offered = {name: p for name, cmd in commands.items() for p in cmd.params if "--format" in p.opts}
    assert offered.keys() == registries.keys()
    for name, formats in registries.items():
        option = offered[name]
        assert option.type_descriptor.choices == formats.names, name
        assert option.help == help_text(formats.help), name
        assert option.default == (None if name == "lint" else formats.default), name  # lint: GITHUB_ACTIONS decides
    assert set(STATUS_BY_INDICATOR.names) <= set(STATUS.names)  # --by indicator takes some of status's formats


def test_a_format_added_to_a_registry_is_offered_and_written_without_a_command_edit():
    """The registry is the one list: a new entry appears in ``--help`` and its writer is the one called."""
    import subprocess

    script = (
        "import sys\n"
        "from dxplan.output import formats\n"
        "formats.HISTORY = formats.Formats(*formats.HISTORY, formats.Format('plain', 'dxplan.output.history:write_markdown', 'a test'))\n"
        "from dxplan.cli import main\n"
        "main()\n"
    )
    env = {**os.environ, "COLUMNS": "200", "DXPLAN_LANG": "en", "DXPLAN_NO_CACHE": "1"}

    def dxplan(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-c", script, *args], capture_output=True, text=True, env=env, cwd=ROOT)

    page = dxplan("history", "--help")
    assert page.returncode == 0, page.stderr
    assert "<table|json|markdown|plain>" in page.stdout and "table | json | markdown | plain (a test)" in page.stdout
    plain, markdown = dxplan("history", "plans/kama", "-f", "plain"), dxplan("history", "plans/kama", "-f", "markdown")
    assert plain.returncode == markdown.returncode == 0, plain.stderr
    assert plain.stdout == markdown.stdout and plain.stdout.startswith("## ")
