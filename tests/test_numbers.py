"""One numeric policy (docs/domain.md, "Numbers"): every number read from a plan is finite, |x| ≤ 10^15 and has
at most 6 decimals; lint positions each refusal (rule ``number-range``) and no command tracebacks on them."""

from __future__ import annotations

import json
import math
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dxplan.cli import app
from dxplan.files.load import load_plan
from dxplan.lint.engine import lint_paths
from conftest import PLANS, git

runner = CliRunner()
BIG = "9" * 400


def _kama(tmp_path: Path, target: str, baseline: str, actual: str) -> Path:
    """嘉麻市's plan with action 2's target ``target`` (line 12, column 12), a ``baseline`` (13:15) and its
    measurement ``actual`` (18:14), written as YAML plain scalars."""
    plan = tmp_path / "kama"
    shutil.copytree(PLANS / "kama", plan)
    path = plan / "actions" / "02.yaml"
    text = path.read_text(encoding="utf-8")
    assert "    value: 80\n" in text and "    - value: 82.6" in text
    text = text.replace("    value: 80\n", f"    value: {target}\n    baseline: {baseline}\n", 1)
    path.write_text(text.replace("    - value: 82.6", f"    - value: {actual}", 1), encoding="utf-8")
    return plan


def _iizuka(tmp_path: Path, value: str) -> Path:
    """飯塚市's plan with indicator I1 of action 022 given ``value`` as yearly target (18:37), baseline (19:23) and actual (21:37)."""
    plan = tmp_path / "iizuka"
    shutil.copytree(PLANS / "iizuka", plan)
    path = plan / "actions" / "022.yaml"
    lines = path.read_text(encoding="utf-8").split("\n")
    assert lines[17] == "      - {fiscal_year: 令和6年度, value: 11, text: 11（課題件数）}"
    lines[17:18] = [
        f"      - {{fiscal_year: 令和6年度, value: {value}, text: 11（課題件数）}}",
        f"    baseline: {{value: {value}}}",
        "    actuals:",
        f"      - {{fiscal_year: 令和6年度, value: {value}}}",
    ]
    path.write_text("\n".join(lines), encoding="utf-8")
    return plan


def _number_problems(plan: Path) -> list[tuple[str, int, int, str]]:
    report = lint_paths([plan], jobs=1)
    return sorted((p.path.name, p.line, p.column, p.rule) for p in report.problems if p.severity == "error")


@pytest.mark.parametrize("value", ["1e-320", "1e308", BIG])
def test_lint_positions_each_extreme_number_in_a_target_spec(tmp_path, value):
    plan = _kama(tmp_path, value, value, value)
    assert _number_problems(plan) == [
        ("02.yaml", 12, 12, "number-range"), ("02.yaml", 13, 15, "number-range"), ("02.yaml", 18, 14, "number-range"),
    ]


@pytest.mark.parametrize("value", ["1e-320", "1e308", BIG, "-1e16", "0.1234567"])
def test_lint_positions_each_extreme_number_in_an_indicator(tmp_path, value):
    plan = _iizuka(tmp_path, value)
    assert _number_problems(plan) == [
        ("022.yaml", 18, 37, "number-range"), ("022.yaml", 19, 23, "number-range"), ("022.yaml", 21, 37, "number-range"),
    ]


def test_the_message_names_the_problem_and_the_bound(tmp_path):
    plan = _kama(tmp_path, "1e-320", "1e308", BIG)
    by_line = {p.line: p for p in lint_paths([plan], jobs=1).problems if p.rule == "number-range"}
    assert "1e-320" in by_line[12].message_en and "more than 6 decimals" in by_line[12].message_en
    assert "too large" in by_line[13].message_en
    assert "(400 characters)" in by_line[18].message_en and BIG not in by_line[18].message_en
    assert "小数" in by_line[12].message_ja


def test_the_largest_and_finest_numbers_allowed_load(tmp_path):
    plan = _iizuka(tmp_path, "1000000000000000")
    assert _number_problems(plan) == []
    plan = _kama(tmp_path / "b", "0.000001", "-1000000000000000", "123456.654321")
    assert _number_problems(plan) == []


def test_negative_zero_is_read_as_zero(tmp_path):
    plan = _kama(tmp_path, "-0.0", "-0.0", "-0.0")
    assert _number_problems(plan) == []
    action = next(la.action for la in load_plan(plan).actions if la.action.id == "2")
    assert action.target is not None and action.target.spec is not None
    for x in (action.target.spec.value, action.target.spec.baseline, action.target.measurements[0].value):
        assert x == 0 and math.copysign(1.0, x) == 1.0


def _commands(plan: Path, out: Path) -> list[list[str]]:
    return [
        ["lint", str(plan)],
        ["status", str(plan)],
        ["status", str(plan), "--by", "indicator"],
        ["score", str(plan)],
        ["report", str(plan), "-o", str(out / "r.md")],
        ["report", str(plan), "--format", "html", "-o", str(out / "r.html")],
        ["export", str(plan), "-f", "xlsx", "-o", str(out / "s.xlsx")],
        ["export", str(plan), "-f", "csv", "-o", str(out / "s.csv")],
        ["export", str(plan), "-f", "json", "-o", str(out / "s.json")],
    ]


def _run(args: list[str]):
    r = runner.invoke(app, [*args, "--lang", "en"], env={"DXPLAN_LANG": "en", "GITHUB_ACTIONS": ""})
    assert r.exception is None or isinstance(r.exception, SystemExit), f"{args}: {r.exception!r}"
    return r


@pytest.mark.parametrize("value", ["1e-320", "1e308", BIG])
def test_no_command_tracebacks_on_extreme_numbers(tmp_path, value):
    for plan in (_kama(tmp_path / "k", value, value, value), _iizuka(tmp_path / "i", value)):
        out = tmp_path / "out"
        out.mkdir(exist_ok=True)
        for args in _commands(plan, out):
            r = _run(args)
            # the plan loads; one action file does not: reported, counted as a problem (exit 1)
            assert r.exit_code == 1, f"{args}: {r.exit_code} {r.output}"


def test_no_command_tracebacks_when_plan_yaml_holds_an_extreme_number(tmp_path):
    plan = tmp_path / "kama"
    shutil.copytree(PLANS / "kama", plan)
    path = plan / "plan.yaml"
    text = path.read_text(encoding="utf-8")
    assert "  - {label: 達成, min: 100}\n" in text
    path.write_text(text.replace("  - {label: 達成, min: 100}\n", "  - {label: 達成, min: 1e-320}\n", 1), encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    for args in _commands(plan, out):
        r = _run(args)
        assert r.exit_code == 1, f"{args}: {r.exit_code} {r.output}"


def test_negative_zero_runs_every_command_clean(tmp_path):
    plan = _kama(tmp_path, "-0.0", "-0.0", "-0.0")
    out = tmp_path / "out"
    out.mkdir()
    for args in _commands(plan, out):
        assert _run(args).exit_code == 0, args
    text = (out / "s.json").read_text(encoding="utf-8")
    json.loads(text)
    assert "-0.0" not in text and ": -0," not in text


@pytest.mark.parametrize("value", ["1e-320", "1e308", BIG, "-0.0"])
def test_diff_over_extreme_numbers_does_not_traceback(tmp_path, value):
    repo = tmp_path / "repo"
    repo.mkdir()
    shutil.copytree(PLANS / "kama", repo / "plans" / "kama")
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "base")
    _kama(tmp_path / "new", value, value, value)
    shutil.copy(tmp_path / "new" / "kama" / "actions" / "02.yaml", repo / "plans" / "kama" / "actions" / "02.yaml")
    git(repo, "commit", "-qam", "extreme")
    import os

    cwd = os.getcwd()
    os.chdir(repo)
    try:
        r = _run(["diff", "HEAD~1", "HEAD", "plans/kama"])
    finally:
        os.chdir(cwd)
    # a new side that does not load is left out of the comparison and reported: exit 1; -0.0 loads as 0
    assert r.exit_code == (0 if value == "-0.0" else 1), r.output


# --------------------------------------------------------------------------- precision as the source wrote it


def _iizuka_written(tmp_path: Path, extra: str = "") -> Path:
    """飯塚市's indicator I1 of action 022 with a yearly target written ``85.0``, a baseline ``3.10`` and an actual
    ``1200`` (an integer: printed with the plan's thousands separator, 1,200)."""
    plan = tmp_path / "iizuka"
    shutil.copytree(PLANS / "iizuka", plan)
    path = plan / "actions" / "022.yaml"
    lines = path.read_text(encoding="utf-8").split("\n")
    lines[17:18] = [
        "      - {fiscal_year: 令和6年度, value: 85.0, text: 11（課題件数）}",
        "    baseline: {value: 3.10}",
        "    actuals:",
        "      - {fiscal_year: 令和6年度, value: 1200}",
        *([extra] if extra else []),
    ]
    path.write_text("\n".join(lines), encoding="utf-8")
    return plan


def test_report_and_status_print_numbers_as_the_source_wrote_them(tmp_path):
    plan = _iizuka_written(tmp_path)
    ja = {"DXPLAN_LANG": "ja", "GITHUB_ACTIONS": ""}
    md = runner.invoke(app, ["report", str(plan), "--sections", "sheets"], env=ja).output
    assert "基準値: 3.10件　" in md
    assert "| 目標 | 85.0件 11（課題件数） | — | — |" in md
    assert "| 実績 | 1,200件 | — | — |" in md
    html_out = tmp_path / "r.html"
    assert runner.invoke(app, ["report", str(plan), "--format", "html", "--sections", "sheets", "-o", str(html_out)], env=ja).exit_code == 0
    html = html_out.read_text(encoding="utf-8")
    assert "3.10件" in html and "85.0件" in html and "1,200件" in html and "3.1件" not in html
    r = runner.invoke(app, ["status", str(plan), "--by", "indicator", "--year", "R6"], env={"DXPLAN_LANG": "ja", "GITHUB_ACTIONS": ""})
    row = next(line for line in r.output.splitlines() if "課題件数" in line)
    assert "85.0件" in row and "1,200件" in row


def test_the_declared_decimals_override_the_written_precision(tmp_path):
    plan = _iizuka_written(tmp_path, "    decimals: 2")
    r = runner.invoke(app, ["status", str(plan), "--by", "indicator", "--year", "R6"], env={"DXPLAN_LANG": "ja", "GITHUB_ACTIONS": ""})
    row = next(line for line in r.output.splitlines() if "課題件数" in line)
    assert "1,200.00件" in row and "85.0件" in row


def test_explanations_keep_the_written_precision(tmp_path):
    plan = tmp_path / "kama"
    shutil.copytree(PLANS / "kama", plan)
    path = plan / "actions" / "02.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("    value: 80\n", "    value: 80.0\n", 1).replace("    - value: 82.6", "    - value: 82.60", 1), encoding="utf-8")
    out = runner.invoke(app, ["score", str(plan), "--action", "2", "--explain", "--lang", "en"], env={"DXPLAN_LANG": "en", "GITHUB_ACTIONS": ""}).output
    assert "(82.60 − 0) / (80.0 − 0)" in out, out


def test_numbers_the_reader_built_dump_back_with_ruamel():
    import io

    from ruamel.yaml import YAML

    from dxplan.yamlread import parse

    data = parse("a: 79.47\nb: [85.0, 3.10]\n").data
    assert [getattr(x, "decimals", None) for x in (data["a"], *data["b"])] == [2, 1, 2]
    for typ, pure in (("safe", True), ("safe", False), ("rt", False)):
        out = io.StringIO()
        YAML(typ=typ, pure=pure).dump(data, out)
        assert YAML(typ="safe").load(out.getvalue()) == {"a": 79.47, "b": [85.0, 3.1]}
