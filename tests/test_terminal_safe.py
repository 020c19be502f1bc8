"""Plan text never drives the terminal, and every command exits 1 when a plan does not load.

A copy of 嘉麻市's plan gets escape sequences (window title, clear screen), BEL, CR, a C1 CSI, a
bidirectional override and rich markup in its title, an action title and a task text; no command's
standard output may then hold an ESC byte (or any other of them), and the markup shows as text.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from ruamel.yaml import YAML
from typer.testing import CliRunner

from dxplan.cli import app
try:
    from dxplan.output.visible import visible
except ImportError:
    visible = None

from conftest import git

runner = CliRunner()
HOSTILE = "\x1b]0;pwned\x07\x1b[2J\rX\x9b31m\u202e[bold red]markup[/] [/]"
RAW = ("\x1b", "\x07", "\r", "\x9b", "\u202e")


def run(*args, cwd: Path | None = None):
    old = os.getcwd()
    if cwd is not None:
        os.chdir(cwd)
    try:
        return runner.invoke(app, [str(a) for a in args], env={"DXPLAN_LANG": "en", "GITHUB_ACTIONS": "", "COLUMNS": "200"})
    finally:
        os.chdir(old)


def _edit(path: Path, change) -> None:
    y = YAML(typ="rt")
    y.width = 4096
    data = y.load(path.read_text(encoding="utf-8"))
    change(data)
    with path.open("w", encoding="utf-8") as fh:
        y.dump(data, fh)


@pytest.fixture
def hostile(kama) -> Path:
    """The copy of plans/kama in a git repository: the bundled plan committed, then the hostile texts committed."""
    repo = kama.parent.parent
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "kama")

    def plan(d):
        d["title"] = d["title"] + HOSTILE

    def action(d):
        d["title"] = HOSTILE + d["title"]
        d["tasks"][0]["plan"] = HOSTILE

    _edit(kama / "plan.yaml", plan)
    _edit(kama / "actions" / "01.yaml", action)
    return kama


def test_visible_signs():
    assert visible("a\x1b[2Jb\x07\tc\nd\r\x7f\x9b\u202e") == "a␛[2Jb␇\tc\nd␍␡<U+009B><U+202E>"


@pytest.mark.parametrize("args", [
    ("lint",), ("status",), ("status", "--by", "action"), ("status", "--by", "category"), ("status", "--by", "indicator"),
    ("score",), ("score", "--explain", "-a", "1"), ("report",), ("report", "-f", "html", "-o", "-"), ("diff", "HEAD"),
])
def test_no_control_character_reaches_standard_output(hostile, args):
    result = run(*args, hostile)
    assert result.exit_code in (0, 1), result.output
    out = result.stdout
    for ch in RAW:
        assert ch not in out, f"{args}: {ch!r} in the output"
    if args[0] in ("score", "report", "diff") or args[-1] == "action":
        assert "␛" in out and "pwned" in out  # shown, as text


def test_rich_markup_in_plan_text_is_text(hostile):
    result = run("score", hostile)
    assert result.exit_code == 0, result.output
    assert "[bold red]markup[/]" in result.stdout


def test_history_shows_no_control_character(hostile):
    repo = hostile.parent.parent
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "hostile")
    result = run("history", hostile)
    assert result.exit_code == 0, result.output
    assert not any(ch in result.stdout for ch in RAW)


def test_error_messages_show_control_characters(hostile):
    result = run("report", hostile, "-a", "no\x1b[2Jsuch")
    assert result.exit_code == 2
    assert "no␛[2Jsuch" in result.stderr and "\x1b" not in result.stderr


@pytest.mark.parametrize("args", [("status", "--by", "indicator"), ("status",), ("score",), ("report",), ("lint",), ("export", "-f", "json")])
def test_every_command_exits_1_when_plan_yaml_does_not_load(mini_plan, args):
    (mini_plan / "plan.yaml").write_text("id: [broken\n", encoding="utf-8")
    result = run(*args, mini_plan)
    assert result.exit_code == 1, (args, result.output)


def test_status_by_indicator_exits_1_when_one_of_two_plans_does_not_load(mini_plan, kama):
    (mini_plan / "plan.yaml").write_text("id: [broken\n", encoding="utf-8")
    result = run("status", "--by", "indicator", kama, mini_plan)
    assert result.exit_code == 1
    assert "kama" in result.stdout or "嘉麻市" in result.stdout  # the plan that loaded is still shown
