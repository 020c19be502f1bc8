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
def test_missing_path_is_the_current_folder_when_it_is_a_plan(command, monkeypatch):
    monkeypatch.chdir(KAMA)
    r = run(command, "--lang", "en")
    assert "Missing" not in r.stderr and "missing" not in r.stderr
    assert "not a plan or a plans repository" not in r.stderr
    if command == "lint":
        assert r.exit_code == 0 and "51 files checked" in r.stdout
    if command == "score":
        assert r.exit_code == 0 and "嘉麻市" in r.stdout


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


def test_bash_completes_a_command_name():
    env = _subprocess_env(_DXPLAN_COMPLETE="complete_bash", COMP_WORDS="dxplan sta", COMP_CWORD="1")
    r = subprocess.run([sys.executable, "-m", "dxplan"], capture_output=True, text=True, env=env, cwd=ROOT)
    assert r.returncode == 0, r.stderr
    assert r.stdout.split() == ["status"]
