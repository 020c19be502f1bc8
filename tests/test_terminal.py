"""The terminal as a user meets it: usage errors in the chosen language, piped help, a missing PATH, completion."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dxplan.cli import app

from conftest import PLANS, ROOT

runner = CliRunner()
KAMA = PLANS / "kama"

#: Words of typer's and click's English messages that must not reach a Japanese user.
ENGLISH = ("Usage", "No such", "Missing", "Did you mean", "Invalid value", "Possible options", "Try ", "Error", "OPTIONS", "Got unexpected")


def run(*args: str | Path, env: dict[str, str] | None = None):
    return runner.invoke(app, [str(a) for a in args], env={"DXPLAN_LANG": "", "GITHUB_ACTIONS": "", **(env or {})})


#: (arguments, the Japanese message, the English message): bad option, missing argument, bad choice, unknown command.
USAGE_ERRORS = [
    (["lint", "--bogus", KAMA], "dxplan: オプション --bogus はありません（近いオプション: --base, --jobs）",
     "dxplan: no option --bogus (options close to it: --base, --jobs)"),
    (["import"], "dxplan: 引数 'FILE' がありません", "dxplan: argument 'FILE' is missing"),
    (["status", KAMA, "--by", "foo"], "dxplan: '--by': 'foo' は 'category', 'department', 'action', 'indicator' のいずれでもありません",
     "dxplan: '--by': 'foo' is not one of 'category', 'department', 'action', 'indicator'"),
    (["statsu"], "dxplan: コマンド 'statsu' はありません。'status' のことですか？", "dxplan: no command 'statsu'; did you mean 'status'?"),
    (["lint", KAMA, "--jobs", "many"], "dxplan: '--jobs' / '-j': 'many' は整数ではありません", "dxplan: '--jobs' / '-j': 'many' is not a whole number"),
]


@pytest.mark.parametrize(("args", "ja", "en"), USAGE_ERRORS, ids=["option", "argument", "choice", "command", "number"])
def test_usage_errors_in_japanese_by_default_and_english_at_the_root_or_the_command(args, ja, en):
    r = run(*args)
    assert r.exit_code == 2
    assert ja in r.stderr
    assert "使い方: dxplan" in r.stderr and "で使い方を表示できます。" in r.stderr
    for word in ENGLISH:
        assert word not in r.stderr, (word, r.stderr)
    root = run("--lang", "en", *args)
    command = run(*args, "--lang", "en")
    env = run(*args, env={"DXPLAN_LANG": "en"})
    for r in (root, command, env):
        assert r.exit_code == 2
        assert en in r.stderr
        assert "Usage: dxplan" in r.stderr
        assert "使い方" not in r.stderr


def test_usage_line_of_a_command_is_worded_in_japanese():
    r = run("rules", "a", "b")
    assert r.exit_code == 2
    assert r.stderr.splitlines() == ["使い方: dxplan rules [オプション] [ID]", "'dxplan rules -h' で使い方を表示できます。", "dxplan: 余分な引数があります: b"]


def test_root_lang_applies_to_the_command():
    r = run("--lang", "en", "lint", KAMA)
    assert r.exit_code == 0
    assert r.stdout.strip().endswith("51 files checked: 0 errors, 12 warnings")
    r = run("lint", KAMA)
    assert r.stdout.strip().endswith("51 ファイルを検査: エラー 0 件、警告 12 件")
    # the command's own --lang wins over the root's
    r = run("--lang", "en", "lint", KAMA, "--lang", "ja")
    assert "ファイルを検査" in r.stdout


def _subprocess_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DXPLAN_LANG", "COLUMNS")}
    env["PYTHONPATH"] = str(ROOT / "src") + os.pathsep + env.get("PYTHONPATH", "")
    return {**env, **extra}


@pytest.mark.parametrize("args", [["--help"], ["lint", "--help"]])
def test_help_read_by_a_reader_that_stops_early_exits_0(args):
    proc = subprocess.Popen([sys.executable, "-m", "dxplan", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=_subprocess_env(), cwd=ROOT)
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.readline()
    proc.stdout.close()  # as `| head -1` does: the rest of the help meets a closed pipe
    err = proc.stderr.read()
    assert proc.wait() == 0, err
    assert b"Traceback" not in err


def test_help_in_japanese_has_no_english_headings_or_type_names():
    r = subprocess.run([sys.executable, "-m", "dxplan", "lint", "--help"], capture_output=True, text=True, env=_subprocess_env(COLUMNS="200"), cwd=ROOT)
    assert r.returncode == 0
    assert "使い方: dxplan lint [オプション] [PATH]..." in r.stdout
    assert "<list[Path]>" not in r.stdout
    for word in ("Usage", "Options", "Arguments"):
        assert word not in r.stdout


@pytest.mark.parametrize("command", ["lint", "status", "score", "report", "history", "export"])
def test_missing_path_is_the_current_folder_when_it_is_a_plan(command, tmp_path, monkeypatch):
    import shutil

    shutil.copytree(KAMA, tmp_path / "kama")  # a copy: export writes its sheet into the current folder
    monkeypatch.chdir(tmp_path / "kama")
    r = run(command, "--lang", "en")
    assert "Missing" not in r.stderr and "missing" not in r.stderr
    assert "not a plan or a plans repository" not in r.stderr
    expected = {
        "lint": "51 files checked",
        "status": "嘉麻市",
        "score": "嘉麻市",
        "report": "# 嘉麻市",
        "history": "嘉麻市",
    }
    if command == "export":
        assert r.exit_code == 0, r.stderr
        assert (tmp_path / "kama" / "kama.xlsx").stat().st_size > 10_000
    elif command == "history":  # the copy is in no git repository: history says so (a usage error)
        assert r.exit_code == 2, r.stderr
        assert "is not inside a git repository" in r.stderr
    else:
        assert r.exit_code == 0, r.stderr
        assert expected[command] in r.stdout


@pytest.mark.parametrize("command", ["lint", "status", "score", "report", "history", "export", "fmt"])
def test_missing_path_outside_a_plan_is_a_clear_usage_error(command, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    r = run(command)
    assert r.exit_code == 2
    assert "dxplan: PATH の指定がなく、現在のフォルダは計画でも計画リポジトリでもありません" in r.stderr


def test_missing_path_in_a_plans_repository(tmp_path, monkeypatch):
    import shutil

    shutil.copytree(KAMA, tmp_path / "plans" / "kama")
    monkeypatch.chdir(tmp_path)
    r = run("lint", "--lang", "en")
    assert r.exit_code == 0
    assert r.stdout.strip().endswith("51 files checked: 0 errors, 12 warnings")


SCRIPT_MARK = {"bash": "complete -o default -F _dxplan_completion dxplan", "zsh": "#compdef dxplan",
               "fish": "complete --command dxplan", "powershell": "Register-ArgumentCompleter"}


@pytest.mark.parametrize("shell", sorted(SCRIPT_MARK))
def test_shell_completion_script_for_each_shell(shell):
    # typer's switch for naming the shell instead of detecting the one running the test
    env = _subprocess_env(_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION="1")
    r = subprocess.run([sys.executable, "-m", "dxplan", "--show-completion", shell], capture_output=True, text=True, env=env, cwd=ROOT)
    assert r.returncode == 0, r.stderr
    assert SCRIPT_MARK[shell] in r.stdout


@pytest.mark.parametrize(("lang", "said"), [("ja", "bash の補完を {path} に組み込みました。新しい端末から有効になります。"),
                                           ("en", "bash completion installed in {path}; it takes effect in a new terminal.")])
def test_install_completion_writes_the_script_and_says_so_in_the_chosen_language(tmp_path, lang, said):
    # typer's switch for naming the shell (``--install-completion bash``) instead of detecting the one running the test
    env = _subprocess_env(HOME=str(tmp_path), SHELL="/bin/bash", _TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION="1")
    r = subprocess.run([sys.executable, "-m", "dxplan", "--lang", lang, "--install-completion", "bash"],
                       capture_output=True, text=True, env=env, cwd=ROOT)
    assert r.returncode == 0, r.stderr
    script = tmp_path / ".bash_completions" / "dxplan.sh"
    assert r.stdout.strip() == said.format(path=script)
    assert SCRIPT_MARK["bash"] in script.read_text(encoding="utf-8")
    assert str(script) in (tmp_path / ".bashrc").read_text(encoding="utf-8")


def test_bash_completes_a_command_name():
    env = _subprocess_env(_DXPLAN_COMPLETE="complete_bash", COMP_WORDS="dxplan sta", COMP_CWORD="1")
    r = subprocess.run([sys.executable, "-m", "dxplan"], capture_output=True, text=True, env=env, cwd=ROOT)
    assert r.returncode == 0, r.stderr
    assert r.stdout.split() == ["status"]


# --------------------------------------------------------------------------- tables at 80 columns and below


def _cells_slice(line: str, start: int) -> str:
    """What ``line`` shows from terminal cell ``start`` up to the end of that column (a space or a border), wide characters taking two cells."""
    from rich.cells import cell_len

    col, out = 0, []
    for ch in line:
        if col >= start:
            if ch in " │┃":
                break
            out.append(ch)
        col += cell_len(ch)
    return "".join(out)


def _column_text(output: str, heading: str) -> str:
    """Every line's part of the column headed ``heading`` read top to bottom and joined: a name folded over
    several lines reads whole again, one cut ("…") or broken by other columns' text does not.

    The column starts at the cell where its heading starts (text columns are left-justified), and a
    line's part ends at the next space or border (plan titles hold no spaces)."""
    from rich.cells import cell_len

    lines = output.splitlines()
    rule = next(i for i, line in enumerate(lines) if "╇" in line or (line.strip() and set(line.strip()) == {"─"}))  # under the headings
    head = max(i for i in range(rule) if heading[:2] in lines[i])
    start = cell_len(lines[head][: lines[head].index(heading[:2])])
    return "".join(_cells_slice(line, start) for line in lines[rule + 1:])


def _numbers(text: str) -> list[str]:
    import re

    return sorted(re.findall(r"\d[\d.,]*%?", text))


def _kama_titles() -> list[str]:
    """The 50 action titles of 嘉麻市 as the plan writes them (from the JSON output, not from a table)."""
    import json

    return [a["title"] for a in json.loads(run("score", KAMA, "-f", "json").stdout)["actions"]]


@pytest.mark.parametrize("columns", [60, 80])
@pytest.mark.parametrize(("args", "heading"), [(["status", KAMA, "--by", "action", "--year", "R6"], "アクション"), (["score", KAMA], "アクション名")],
                         ids=["status-by-action", "score"])
def test_tables_at_narrow_widths_keep_names_and_numbers_whole(args, heading, columns):
    wide = run(*args, env={"COLUMNS": "250"})
    narrow = run(*args, env={"COLUMNS": str(columns)})
    assert narrow.exit_code == 0
    assert "…" not in narrow.stdout
    assert max(_cells_width(line) for line in narrow.stdout.splitlines()) <= columns
    text = _column_text(narrow.stdout, heading)
    titles = _kama_titles()
    assert len(titles) == 50
    missing = [title for title in titles if title not in text]
    assert not missing, missing
    # every number whole: the same numbers as in a table wide enough for everything, none split over two lines
    assert _numbers(narrow.stdout) == _numbers(wide.stdout)


def _cells_width(line: str) -> int:
    from rich.cells import cell_len

    return cell_len(line)


def test_rules_list_lines_up_by_terminal_cells():
    from rich.cells import cell_len

    lines = run("rules").stdout.splitlines()

    def summary_column(line: str, word: str) -> int:
        """The terminal cell where the summary after the severity ``word`` starts."""
        after = line.index(word) + len(word)
        rest = line[after:]
        return cell_len(line[:after]) + len(rest) - len(rest.lstrip(" "))

    error = next(line for line in lines if "  エラー  " in line)
    warning = next(line for line in lines if "  警告  " in line)
    assert summary_column(error, "エラー") == summary_column(warning, "警告")


def test_terminal_heading_dates_as_the_reports_write_them():
    r = run("status", KAMA, "--year", "R6")
    assert "評価日 令和7年2月10日" in r.stdout.splitlines()[0] + r.stdout.splitlines()[1]
    assert "2025-02-10" not in r.stdout
    r = run("status", KAMA, "--year", "R6", "--lang", "en")
    assert "evaluated 10 February 2025" in r.stdout


# --------------------------------------------------------------------------- progress on a terminal


def _stderr_on_a_terminal(args: list[str], **env: str) -> tuple[int, str, bytes]:
    """Run dxplan with stderr on a pseudo-terminal (stdout a file): exit code, stdout, what the terminal received."""
    import tempfile

    from pty_read import run_on_terminal

    with tempfile.TemporaryFile() as stdout:  # a file, not a pipe: a long output must not block the command while the test reads the terminal
        code, seen = run_on_terminal([sys.executable, "-m", "dxplan", *args], _subprocess_env(TERM="xterm", COLUMNS="100", **env), ROOT,
                                     stdout=stdout)
        stdout.seek(0)
        out = stdout.read().decode()
    return code, out, seen


@pytest.mark.parametrize(("args", "label"), [(["lint", "plans"], "計画フォルダを検査中"), (["score", "plans"], "達成率を評価中"),
                                             (["status", "plans"], "計画を集計中")], ids=["lint", "score", "status"])
def test_progress_on_a_terminal_stderr_and_not_when_piped_or_quiet(args, label):
    code, out, seen = _stderr_on_a_terminal([*args, "--jobs", "1"], DXPLAN_NO_CACHE="1")
    assert code == 0
    assert label.encode() in seen  # the display, erased when the work ends
    assert b"4/4" in seen  # four plan folders, counted
    assert label not in out  # the output itself is untouched
    piped = subprocess.run([sys.executable, "-m", "dxplan", *args, "--jobs", "1"], capture_output=True, text=True,
                           env=_subprocess_env(TERM="xterm", COLUMNS="100", DXPLAN_NO_CACHE="1"), cwd=ROOT)
    assert piped.returncode == 0
    assert label not in piped.stderr and "\x1b[" not in piped.stderr
    assert piped.stdout == out
    code, _, seen = _stderr_on_a_terminal([*args, "--jobs", "1", "--quiet"], DXPLAN_NO_CACHE="1")
    assert code == 0 and label.encode() not in seen


def test_report_progress_on_a_terminal():
    code, out, seen = _stderr_on_a_terminal(["report", "plans/kama", "--no-history"])
    assert code == 0 and out.startswith("#")
    assert "kama の報告書（MD）を作成中".encode() in seen


# --------------------------------------------------------------------------- lint: every problem of a file in one run


def test_lint_reports_a_schema_error_and_the_other_problems_of_the_file_in_one_run(mini_plan):
    from conftest import write_action

    write_action(mini_plan, "01.yaml", "id: '1'\ntitle: 例\ncategory: A-1\nowners: [総務課]\ncolour: red\n"
                 "tasks:\n  - {fiscal_year: 令和6年度, department: 広報課, status: 済み}\nsources: [{file: s, location: l}]\n")
    write_action(mini_plan, "02.yaml", "id: '2'\ntitle: 例2\ncategory: A-1\nowners: [総務課]\nsources: [{file: s, location: l}]\n")
    r = run("lint", mini_plan, "--format", "json", env={"DXPLAN_NO_CACHE": "1"})
    assert r.exit_code == 1
    import json

    data = json.loads(r.stdout)
    found = [(Path(p["path"]).name, p["line"], p["column"], p["rule"]) for p in data["problems"]]
    assert found == [("01.yaml", 5, 1, "unknown-key"), ("01.yaml", 7, 38, "unknown-department"), ("01.yaml", 7, 51, "unknown-status")]
    # plan.yaml and both action files were checked, the one that did not load included
    assert data["summary"] == {"files": 3, "errors": 3, "warnings": 0}
    # the file with a schema error stays out of the counts
    r = run("status", mini_plan, "--lang", "en", env={"DXPLAN_NO_CACHE": "1"})
    assert r.exit_code == 1
    assert "files with errors are left out" in r.stderr
    assert "unknown-department" not in r.stderr  # status reports the file's load errors, not lint's rules
