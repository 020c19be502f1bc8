"""One safe reading path: tags, duplicate and merge keys, limits and positions decided once, for every command.

Real YAML files in temporary plan folders, read through the loader and the ``dxplan`` CLI.
"""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dxplan.cli import app
from dxplan.files.load import FileTooLarge, load_plan, read_bytes, read_document
from dxplan.numbers import WrittenFloat
from dxplan.yamlread import Limits, YamlFault, parse

from conftest import PLANS

runner = CliRunner()
ACTION = "id: '1'\ntitle: 例\ncategory: A-1\nowners: [総務課]\nsources: [{file: seed.txt, location: line 1}]\n"


def run(*args, env=None):
    return runner.invoke(app, [str(a) for a in args], env={"DXPLAN_LANG": "en", "GITHUB_ACTIONS": "", **(env or {})})


def problems_of(text: str, *, fast: bool) -> list[tuple[str, int, int]]:
    doc, problems = read_document(Path("actions/x.yaml"), text, fast=fast)
    return [(p.rule, p.line, p.column) for p in problems]


# --------------------------------------------------------------------------- tags


@pytest.mark.parametrize("text, line, col, word", [
    ("a: !!python/object/new:os.system [echo pwned]\n", 1, 4, "!!python/object/new:os.system"),
    ("a: 1\nb: !!bool maybe\n", 2, 4, "'maybe' is not a valid !!bool"),
    ("a: !!float abc\n", 1, 4, "'abc' is not a valid !!float"),
    ("a: !!int x\n", 1, 4, "'x' is not a valid !!int"),
    ("a:\n  b: !!timestamp 2025-02-30\n", 2, 6, "'2025-02-30' is not a valid !!timestamp"),
    ("a: !custom x\n", 1, 4, "!custom"),
    ("a: !!binary aGVsbG8=\n", 1, 4, "!!binary"),
    ("a: !!set {x}\n", 1, 4, "!!set"),
])
def test_tags_are_refused_with_a_position(text, line, col, word):
    doc, problems = read_document(Path("actions/x.yaml"), text)
    assert doc is None
    assert [(p.rule, p.line, p.column) for p in problems] == [("yaml-tag", line, col)]
    assert word in problems[0].message_en


def test_standard_tags_are_checked_not_constructed():
    data = parse("a: !!int 3\nb: !!str 3\nc: !!float 2\nd: !!timestamp 2025-02-10\ne: !!null ~\nf: ! 7\n").data
    assert data == {"a": 3, "b": "3", "c": 2.0, "d": __import__("datetime").date(2025, 2, 10), "e": None, "f": "7"}
    # a float is the reader's own float that keeps the decimals its text was written with, never a tag's class
    assert type(data["c"]) is WrittenFloat and data["c"].decimals == 0


def test_a_date_that_does_not_exist_stays_text_for_the_schema():
    assert parse("d: 2025-02-30\n").data == {"d": "2025-02-30"}


def test_remembered_plain_scalars_keep_each_style_and_fault():
    """Plain scalars are resolved once per text (for speed); quoting, tags and faults are still decided per scalar."""
    first = parse("a: 1\nb: 2024-04-01\nc: true\nd: ~\ne: 0x1F\n").data
    again = parse("a: '1'\nb: \"2024-04-01\"\nc: !!str true\nd: ~\ne: 0x1F\nf: 1\n").data
    assert first == {"a": 1, "b": __import__("datetime").date(2024, 4, 1), "c": True, "d": None, "e": 31}
    assert again == {"a": "1", "b": "2024-04-01", "c": "true", "d": None, "e": 31, "f": 1}
    assert [type(v) for v in again.values()] == [str, str, str, type(None), int, int]
    huge = "a: " + "9" * 5000 + "\n"
    for _ in range(2):  # a refused number is refused every time, not remembered
        with pytest.raises(YamlFault) as fault:
            parse("x: 1\n" + huge)
        assert (fault.value.rule, fault.value.line, fault.value.column) == ("limit", 2, 4)


# --------------------------------------------------------------------------- one decision for every command


SAME = {
    "tab after colon": "id: '1'\ntitle:\t例\ncategory: A-1\n",
    "duplicate key": "id: '1'\ntitle: a\ntitle: b\n",
    "duplicate next to a merge key": "base: &b {x: 1}\nm:\n  <<: *b\n  y: 2\n  y: 3\n",
    "two merge keys": "base: &b {x: 1}\nm:\n  <<: *b\n  <<: *b\n",
    "complex key": "? [a, b]\n: 1\n",
    "undefined alias": "a: *nope\n",
    "two documents": "a: 1\n---\nb: 2\n",
    "huge integer": "a: " + "9" * 5000 + "\n",
    "control character": "a: b\x07c\n",
}


@pytest.mark.parametrize("name", SAME)
def test_lint_and_the_data_commands_decide_the_same(name):
    assert problems_of(SAME[name], fast=True) == problems_of(SAME[name], fast=False)


def test_merge_keys_apply_with_written_keys_winning():
    data = parse("base: &b {x: 1, y: 1}\nm:\n  <<: *b\n  y: 2\n").data
    assert data["m"] == {"y": 2, "x": 1}


def test_duplicate_key_next_to_merge_key_is_positioned_at_the_second_key():
    assert problems_of(SAME["duplicate next to a merge key"], fast=True) == [("duplicate-key", 5, 3)]


def test_lint_rejects_what_status_leaves_out_and_says_so(mini_plan):
    (mini_plan / "actions" / "01.yaml").write_text(ACTION.replace("title: 例", "title:\t例\ntitle: again"), encoding="utf-8")
    lint = run("lint", mini_plan)
    status = run("status", mini_plan)
    assert lint.exit_code == 1 and "duplicate-key" in lint.stdout
    assert status.exit_code == 1
    assert "01.yaml:3:1: error duplicate-key" in status.stderr


# --------------------------------------------------------------------------- limits


def test_alias_bomb_is_a_positioned_error_in_milliseconds():
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 10)]
    start = time.perf_counter()
    with pytest.raises(YamlFault) as exc:
        parse("\n".join(lines) + "\n")
    assert time.perf_counter() - start < 1.0
    assert (exc.value.rule, exc.value.params["what"]) == ("limit", "aliases")
    assert exc.value.line == 5  # the alias that crosses 10,000 nodes: a4 = 9**4 * 9 > 10,000
    assert exc.value.column > 1


def test_deep_nesting_stops_at_the_limit_without_recursion():
    text = "a:\n" + "  [\n" * 100_000 + "  ]\n" * 100_000
    with pytest.raises(YamlFault) as exc:
        parse(text)
    assert (exc.value.params["what"], exc.value.line, exc.value.column) == ("depth", 65, 3)


def test_long_line_is_refused_before_parsing():
    with pytest.raises(YamlFault) as exc:
        parse("a: 1\nb: " + "x" * 1_000_000 + "\n")
    assert (exc.value.params["what"], exc.value.line, exc.value.column) == ("line", 2, 10_001)


def test_limits_come_from_the_environment_only():
    limits = Limits.from_env({"DXPLAN_MAX_DEPTH": "3", "DXPLAN_MAX_LINE_CHARS": "1_000", "DXPLAN_MAX_ACTIONS": "x"})
    assert (limits.depth, limits.line_chars, limits.actions) == (3, 1000, Limits().actions)
    with pytest.raises(YamlFault):
        parse("a: {b: {c: {d: 1}}}\n", limits)


def test_file_size_is_checked_before_reading(tmp_path):
    big = tmp_path / "big.yaml"
    with open(big, "wb") as fh:  # a sparse 100 MB file: reading it would take 100 MB
        fh.truncate(100 << 20)
    got = read_bytes(big)
    assert isinstance(got, FileTooLarge) and got.size == 100 << 20


def test_big_file_in_a_plan_is_a_positioned_error(mini_plan):
    (mini_plan / "actions" / "01.yaml").write_text(ACTION + "notes: [" + "'x', " * 300 + "'y']\n", encoding="utf-8")
    r = run("lint", mini_plan, env={"DXPLAN_MAX_FILE_BYTES": "1000"})
    assert r.exit_code == 1
    assert "actions/01.yaml:1:1: error limit-exceeded the file's size in bytes is over dxplan's limit of 1,000 (DXPLAN_MAX_FILE_BYTES)" in r.stdout


def test_too_many_action_files(tmp_path):
    plan = tmp_path / "kurate"
    shutil.copytree(PLANS / "kurate", plan)
    loaded = _with_env({"DXPLAN_MAX_ACTIONS": "3"}, lambda: load_plan(plan))
    assert len(loaded.actions) == 3
    over = [p for p in loaded.problems if p.rule == "limit-exceeded"]
    assert [(p.path.name, p.line, p.column) for p in over] == [(sorted(os.listdir(plan / "actions"))[3], 1, 1)]


def _with_env(env, fn):
    mp = pytest.MonkeyPatch()
    for k, v in env.items():
        mp.setenv(k, v)
    try:
        return fn()
    finally:
        mp.undo()


# --------------------------------------------------------------------------- numbers and positions


@pytest.mark.parametrize("value", [".nan", ".inf", "-.inf", "1e400"])
def test_nan_and_infinity_are_refused_where_a_number_is_expected(mini_plan, value):
    text = ACTION + f"tasks: [{{fiscal_year: R6, progress: {value}}}]\n"
    (mini_plan / "actions" / "01.yaml").write_text(text, encoding="utf-8")
    r = run("lint", mini_plan)
    assert r.exit_code == 1
    assert "actions/01.yaml:6:" in r.stdout and "finite number" in r.stdout
    assert run("score", mini_plan).exit_code == 1


def test_positions_never_point_past_the_end():
    doc, _ = read_document(Path("x.yaml"), "a: 1\nb: [1, 2]\n")
    assert doc.position(("b", 1)) == (2, 8)
    assert doc.position(("b", 99)) == (2, 4)
    assert doc.position((["unhashable"], 3)) == (1, 1)
    doc2, _ = read_document(Path("x.yaml"), "a:\n")
    assert doc2.position(("a",)) == (1, 3)


# --------------------------------------------------------------------------- files that are not files


def test_folder_and_fifo_named_like_action_files_are_reported_not_skipped(mini_plan):
    (mini_plan / "actions" / "dir.yaml").mkdir()
    os.mkfifo(mini_plan / "actions" / "fifo.yaml")
    r = run("lint", mini_plan)
    assert r.exit_code == 1
    assert "actions/dir.yaml:1:1: error io-error" in r.stdout
    assert "actions/fifo.yaml:1:1: error io-error" in r.stdout


def test_symlink_loop_is_an_io_error(mini_plan):
    loop = mini_plan / "actions" / "loop.yaml"
    loop.symlink_to(loop)
    r = run("lint", mini_plan)
    assert r.exit_code == 1 and "actions/loop.yaml:1:1: error io-error" in r.stdout


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any folder")
def test_unreadable_actions_folder_is_an_error_not_a_traceback(mini_plan):
    (mini_plan / "actions").chmod(0)
    try:
        r = run("lint", mini_plan)
    finally:
        (mini_plan / "actions").chmod(0o755)
    assert r.exit_code == 1 and "plan.yaml:1:1: error io-error" in r.stdout


# --------------------------------------------------------------------------- exit codes


@pytest.mark.parametrize("command", ["status", "score"])
def test_status_and_score_exit_1_when_plan_yaml_does_not_load(tmp_path, command):
    plan = tmp_path / "kurate"
    shutil.copytree(PLANS / "kurate", plan)
    (plan / "plan.yaml").write_text("id: [unclosed\n", encoding="utf-8")
    r = run(command, plan)
    assert r.exit_code == 1, r.output
    assert "plan.yaml:1:14: error yaml-syntax" in r.stderr  # the end of the text: just past its last line
