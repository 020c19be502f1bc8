"""dxplan fmt: canonical layout, idempotence, data and comment preservation, refusal, atomic writes."""

from __future__ import annotations

import io
import os
import shutil
import stat
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML
from typer.testing import CliRunner

from dxplan.files import fmt as fmtmod
from dxplan.cli import app
from dxplan.files.fmt import FmtError, format_file, format_text, parse_number, to_plain
from dxplan.files.load import read_document, validate
from dxplan.model.schema import Action, Plan

from conftest import FIXTURES, PLANS

runner = CliRunner()
BUNDLED = sorted([*PLANS.glob("*/plan.yaml"), *PLANS.glob("*/actions/*.y*ml")])


def run(*args):
    return runner.invoke(app, [str(a) for a in args], env={"DXPLAN_LANG": "ja", "GITHUB_ACTIONS": ""})


def _model(path: Path):
    return Plan if path.name == "plan.yaml" else Action


def _loaded(path: Path, text: str):
    doc, problems = read_document(path, text=text)
    assert doc is not None, problems
    model, problems = validate(doc, _model(path))
    return doc, model, problems


def comments(text: str) -> Counter:
    """Every comment (whole-line or end-of-line) in a YAML text, without the modeline."""
    found: Counter = Counter()
    for line in text.splitlines():
        s = line.strip()
        if "yaml-language-server" in s:
            continue
        if s.startswith("#"):
            found[s] += 1
        elif " #" in line:
            found[line[line.index(" #") + 1 :].strip()] += 1
    return found


@pytest.fixture(scope="module")
def plans_copy(tmp_path_factory) -> Path:
    dest = tmp_path_factory.mktemp("fmt") / "plans"
    shutil.copytree(PLANS, dest)
    return dest


# --------------------------------------------------------------------------- every bundled file


@pytest.mark.parametrize("source", BUNDLED, ids=lambda p: f"{p.parent.parent.name if p.parent.name == 'actions' else p.parent.name}/{p.name}")
def test_bundled_file_formats_idempotently_and_keeps_data(source, plans_copy):
    path = plans_copy / source.relative_to(PLANS)
    text = path.read_text(encoding="utf-8")
    doc, model, problems = _loaded(path, text)
    assert model is not None, f"{source.name} does not load: {[(p.rule, p.line, p.column) for p in problems]}"
    result = format_file(path)
    again = format_text(result.new, path)
    assert again.new == result.new, "a second fmt changes the file"
    ndoc, nmodel, _ = _loaded(path, result.new)
    assert nmodel.model_dump() == model.model_dump()
    assert to_plain(ndoc.tree) == to_plain(doc.tree)
    assert comments(result.new) == comments(text)
    assert "\t" not in result.new


def test_fmt_cli_on_copied_plans_then_check_is_clean(tmp_path):
    dest = tmp_path / "plans"
    shutil.copytree(PLANS, dest)
    loadable = []
    for p in BUNDLED:
        doc, problems = read_document(p)
        if doc is not None and validate(doc, _model(p))[0] is not None:
            loadable.append(dest / p.relative_to(PLANS))
    r = run("fmt", *loadable)
    assert r.exit_code == 0, r.output
    before = {p: p.read_bytes() for p in loadable}
    r = run("fmt", "--check", *loadable)
    assert r.exit_code == 0, r.output
    assert "整形済み" in r.stderr
    r = run("fmt", *loadable)
    assert r.exit_code == 0 and {p: p.read_bytes() for p in loadable} == before


# --------------------------------------------------------------------------- layout


MESSY = """\
# head comment
title: 例   # eol on title
id: '1'
category: A-1
sources:
- file: seed.txt   # seed
  location: line 1
tasks:
    -   progress: "８０％"   # full width
        fiscal_year: 令和6年度
        plan: "８０％の窓口で実施"
        status: "進捗中"
    - {fiscal_year: "R7", progress: '90', department: 総務課}
owners: [総務課]
target:
  text: 申請 1,000件
  spec: {kind: count, value: "１，０００", unit: 件}
notes:
  - |
    literal block
    second line
  - 'it''s'
  - 'yes'
  - long note that would be folded by a narrow width long note that would be folded by a narrow width long note that would be folded by a narrow width
"""

CANONICAL = """\
# head comment
id: '1'
title: 例   # eol on title
category: A-1
target:
  text: 申請 1,000件
  spec: {kind: count, value: 1000, unit: 件}
owners: [総務課]
tasks:
  - fiscal_year: 令和6年度
    plan: ８０％の窓口で実施
    status: 進捗中
    progress: 80          # full width
  - {fiscal_year: R7, department: 総務課, progress: 90}
notes:
  - |
    literal block
    second line
  - it's
  - 'yes'
  - long note that would be folded by a narrow width long note that would be folded by a narrow width long note that would be folded by a narrow width
sources:
  - file: seed.txt # seed
    location: line 1
"""


def test_canonical_layout_and_number_normalisation(mini_plan):
    path = mini_plan / "actions" / "01.yaml"
    path.write_text(MESSY, encoding="utf-8")
    result = format_file(path)
    assert result.new == CANONICAL
    assert "'８０％' → 80" in result.numbers and "'１，０００' → 1000" in result.numbers
    assert format_text(result.new, path).new == result.new
    assert comments(result.new) == comments(MESSY)


def test_free_text_and_fiscal_years_are_never_touched(mini_plan):
    path = mini_plan / "actions" / "01.yaml"
    text = "id: '1'\ntitle: ８０％達成\ncategory: A-1\ntasks:\n  - {fiscal_year: 令和６年度, plan: １２３}\nsources: [{file: s, location: l}]\n"
    path.write_text(text, encoding="utf-8")
    assert format_file(path).new == text


def test_parse_number():
    assert parse_number("８０％", float) == 80
    assert parse_number(" 12.50 ", float) == 12.5
    assert parse_number("１，２３４", int) == 1234
    assert parse_number("80.0", int) == 80
    assert parse_number("80.5", int) is None
    assert parse_number("約80", float) is None
    assert parse_number("△480", float) is None


def test_modeline_points_at_the_repository_schemas(tmp_path):
    (tmp_path / ".git").mkdir()
    (tmp_path / "schemas").mkdir()
    for name in ("plan.schema.json", "action.schema.json"):
        (tmp_path / "schemas" / name).write_text("{}", encoding="utf-8")
    shutil.copytree(FIXTURES / "mini", tmp_path / "plans" / "mini")
    action = tmp_path / "plans" / "mini" / "actions" / "01.yaml"
    action.write_text("id: '1'\ntitle: 例\ncategory: A-1\nsources: [{file: s, location: l}]\n", encoding="utf-8")
    r = run("fmt", tmp_path / "plans")
    assert r.exit_code == 0, r.output
    assert action.read_text(encoding="utf-8").splitlines()[0] == "# yaml-language-server: $schema=../../../schemas/action.schema.json"
    plan_lines = (tmp_path / "plans/mini/plan.yaml").read_text(encoding="utf-8").splitlines()
    assert plan_lines[0] == "# yaml-language-server: $schema=../../schemas/plan.schema.json"
    assert plan_lines[1].startswith("# The small plan")
    assert run("fmt", "--check", tmp_path / "plans").exit_code == 0
    # an existing line is kept as written
    text = "# yaml-language-server: $schema=https://example.invalid/a.json\nid: '1'\ntitle: 例\ncategory: A-1\nsources: [{file: s, location: l}]\n"
    action.write_text(text, encoding="utf-8")
    assert format_file(action).new == text


# --------------------------------------------------------------------------- check, refusal, atomic writes


def test_check_lists_files_and_writes_nothing(mini_plan):
    path = mini_plan / "actions" / "01.yaml"
    path.write_text(MESSY, encoding="utf-8")
    r = run("fmt", "--check", mini_plan)
    assert r.exit_code == 1
    assert str(path) in r.stdout
    assert path.read_text(encoding="utf-8") == MESSY


def test_diff_shows_the_change_as_a_unified_diff_and_writes_nothing(mini_plan):
    path = mini_plan / "actions" / "01.yaml"
    text = "id: '1'\ncategory: A-1\ntitle: 例\nsources: [{file: s, location: l}]\n"
    path.write_text(text, encoding="utf-8")
    r = run("fmt", "--diff", path)
    assert r.exit_code == 0, r.output
    assert path.read_text(encoding="utf-8") == text  # nothing written
    name = path.as_posix()  # absolute: no a/ b/ prefixes
    lines = r.stdout.splitlines()
    assert lines[:3] == [f"--- {name}", f"+++ {name}", "@@ -1,4 +1,4 @@"]
    # the schema's key order: title moves before category
    assert lines[3:] == [" id: '1'", "+title: 例", " category: A-1", "-title: 例", " sources: [{file: s, location: l}]"]
    # applying the diff gives what fmt writes
    formatted = format_file(path).new
    assert _apply(text, r.stdout) == formatted
    # with --check too: the same diff, exit 1
    r2 = run("fmt", "--diff", "--check", path)
    assert r2.exit_code == 1 and r2.stdout == r.stdout
    # a formatted file: no diff
    path.write_text(formatted, encoding="utf-8")
    assert run("fmt", "--diff", path).stdout == ""


def _apply(old: str, diff: str) -> str:
    """The text a unified diff of one file turns ``old`` into (enough of patch(1) for the test: hunks applied in order)."""
    import re

    src = old.splitlines(keepends=True)
    out: list[str] = []
    pos = 0
    lines = diff.splitlines(keepends=True)[2:]
    for line in lines:
        m = re.match(r"@@ -(\d+)(?:,(\d+))? \+\d+(?:,\d+)? @@", line)
        if m:
            start = int(m.group(1)) - (0 if m.group(2) == "0" else 1)
            out += src[pos:start]
            pos = start
        elif line.startswith("-"):
            assert src[pos] == line[1:]
            pos += 1
        elif line.startswith("+"):
            out.append(line[1:])
        elif line.startswith(" "):
            out.append(src[pos])
            pos += 1
    return "".join(out + src[pos:])


def test_refuses_to_write_when_the_data_would_change(mini_plan, monkeypatch):
    path = mini_plan / "actions" / "01.yaml"
    path.write_text(MESSY, encoding="utf-8")
    real_dump = fmtmod._dump
    monkeypatch.setattr(fmtmod, "_dump", lambda tree: real_dump(tree).replace("申請 1,000件", "申請 100件"))
    with pytest.raises(FmtError) as exc:
        format_file(path)
    assert "would change the data" in exc.value.message("en")
    r = run("fmt", mini_plan)
    assert r.exit_code == 1
    assert "01.yaml" in r.stderr and "データが変わる" in r.stderr
    assert path.read_text(encoding="utf-8") == MESSY


def test_refuses_files_that_do_not_load_or_validate(mini_plan):
    bad_yaml = mini_plan / "actions" / "01.yaml"
    bad_yaml.write_text("id: [\n", encoding="utf-8")
    bad_schema = mini_plan / "actions" / "02.yaml"
    bad_schema.write_text("id: '2'\ntitle: 例\ncategory: A-1\ntasks: [{fiscal_year: R6, progress: 120}]\nsources: [{file: s, location: l}]\n", encoding="utf-8")
    r = runner.invoke(app, ["fmt", str(mini_plan), "--lang", "en"])
    assert r.exit_code == 1
    assert "01.yaml: does not load" in r.stderr and "02.yaml: does not pass the schema" in r.stderr
    assert "Traceback" not in r.output
    assert bad_yaml.read_text(encoding="utf-8") == "id: [\n"


def test_write_is_atomic_and_keeps_permissions(mini_plan):
    path = mini_plan / "actions" / "01.yaml"
    path.write_text(MESSY, encoding="utf-8")
    os.chmod(path, 0o640)
    r = run("fmt", path)
    assert r.exit_code == 0, r.output
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert path.read_text(encoding="utf-8") == CANONICAL
    assert sorted(p.name for p in path.parent.iterdir() if p.name != ".gitkeep") == ["01.yaml"], "no temporary file left behind"


def test_not_a_plan_path_is_a_usage_error(tmp_path):
    r = run("fmt", tmp_path / "nothing")
    assert r.exit_code == 2


# --------------------------------------------------------------------------- generated files


_text = st.one_of(
    st.text(
        alphabet=st.one_of(
            st.characters(min_codepoint=0x3040, max_codepoint=0x30FF),  # kana
            st.characters(min_codepoint=0x4E00, max_codepoint=0x4E80),  # kanji
            st.characters(min_codepoint=0xFF01, max_codepoint=0xFF5E),  # full-width forms
            st.sampled_from(list(" :#-'\"[]{},&*!|>%@`?〜・、。（）\n\t")),
            st.characters(min_codepoint=0x20, max_codepoint=0x7E),
        ),
        min_size=1,
        max_size=40,
    ),
    st.sampled_from(["yes", "no", "on", "1:30", "null", "~", "0123", "1e3", "2024-04-01", "- x", "# x", "'q'", "a: b", "?0", ":x", "-1a", "[x]", "{y}", "*a", "&b", "!t", "%p", "@q", "`r"]),
).filter(lambda s: s.strip() != "")
_fy = st.sampled_from(["令和6年度", "R7", 2026, "2024", "令和８年度"])
_pct = st.one_of(st.integers(0, 100), st.sampled_from(["８０％", "50%", "１００", "12.5"]))
_task = st.fixed_dictionaries(
    {"fiscal_year": _fy},
    optional={"department": _text, "plan": _text, "result": _text, "status": st.sampled_from(["完了", "進捗中", "検討中"]), "progress": _pct, "note": _text},
)
_action = st.fixed_dictionaries(
    {
        "id": st.one_of(st.from_regex(r"\A[0-9]{1,3}\Z"), _text),
        "title": _text,
        "category": _text,
        "sources": st.lists(st.fixed_dictionaries({"file": _text, "location": _text}), min_size=1, max_size=2),
    },
    optional={
        "aim": _text,
        "owners": st.lists(_text, max_size=3),
        "tasks": st.lists(_task, max_size=4),
        "notes": st.lists(_text, max_size=3),
        "target": st.fixed_dictionaries({"text": _text}, optional={"spec": st.fixed_dictionaries({"kind": st.sampled_from(["count", "increase"]), "value": st.one_of(st.integers(1, 10**6), st.floats(0.5, 1e6, allow_nan=False))})}),
        "number": st.integers(1, 999),
    },
)


def _dump_messy(data: dict, order_seed: int, flow: bool, indent: int, width: int) -> str:
    """Dump with a shuffled key order, another indentation, flow style or not, a narrow width."""
    import random

    rnd = random.Random(order_seed)

    def shuffle(x):
        if isinstance(x, dict):
            items = list(x.items())
            rnd.shuffle(items)
            return {k: shuffle(v) for k, v in items}
        if isinstance(x, list):
            return [shuffle(v) for v in x]
        return x

    y = YAML(typ="safe", pure=True)
    y.default_flow_style = flow
    y.indent = indent
    y.width = width
    y.allow_unicode = True
    out = io.StringIO()
    y.dump(shuffle(data), out)
    return out.getvalue()


@settings(max_examples=int(os.environ.get("DXPLAN_HYPOTHESIS_EXAMPLES", "150")), deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(data=_action, seed=st.integers(0, 1000), flow=st.sampled_from([None, True, False]), indent=st.sampled_from([2, 4]), width=st.sampled_from([20, 80, 4096]))
def test_generated_files_format_idempotently_and_keep_data(tmp_path, data, seed, flow, indent, width):
    text = _dump_messy(data, seed, flow, indent, width)
    path = tmp_path / "actions" / "01.yaml"
    doc, problems = read_document(path, text=text)
    assume(doc is not None)  # the generator's own emitter writes some texts it cannot read back (e.g. ?0 in flow style)
    expected = to_plain(doc.tree)
    fmtmod.normalise_numbers(expected, Action)
    try:
        before = Action.model_validate(expected).model_dump()
    except Exception:  # noqa: BLE001 - generated data the schema rejects: fmt must refuse it
        with pytest.raises(FmtError):
            format_text(text, path, modeline=False)
        return
    result = format_text(text, path, modeline=False)
    assert format_text(result.new, path, modeline=False).new == result.new
    ndoc, model, _ = _loaded(path, result.new)
    assert model.model_dump() == before
    assert to_plain(ndoc.tree) == expected
    # the canonical key order
    keys = list(ndoc.tree.keys())
    order = list(Action.model_fields)
    assert keys == sorted(keys, key=order.index)


# --------------------------------------------------------------------------- FmtReport and the second pass


def test_format_paths_reports_counts_and_exit_code(mini_plan):
    from dxplan.files.fmt import format_paths

    messy = mini_plan / "actions" / "01.yaml"
    messy.write_text(MESSY, encoding="utf-8")
    (mini_plan / "actions" / "02.yaml").write_text(CANONICAL.replace("'1'", "'2'"), encoding="utf-8")
    broken = mini_plan / "actions" / "03.yaml"
    broken.write_text("id: [\n", encoding="utf-8")
    report = format_paths([mini_plan], check=True)
    # the fixture's plan.yaml writes a one-key flow map that fmt writes as [file: seed.txt]
    assert (report.changed, report.unchanged, report.failed, report.total) == (2, 1, 1, 4)
    assert [(e.path.name, e.outcome) for e in report.entries] == [("plan.yaml", "would_change"), ("01.yaml", "would_change"), ("02.yaml", "unchanged"), ("03.yaml", "failed")]
    assert report.return_code == 1
    assert report.summary("ja") == "4 ファイル中 2 ファイルが整形されます（dxplan fmt で整形）\ndxplan: 1 ファイルは整形していません。dxplan lint で確認してから再実行してください"
    assert report.summary("en") == "2 of 4 file(s) would be reformatted — run dxplan fmt\ndxplan: 1 file(s) not formatted; fix them (dxplan lint) and run again"
    assert messy.read_text(encoding="utf-8") == MESSY, "--check writes nothing"
    report = format_paths([mini_plan])
    assert [e.outcome for e in report.entries] == ["formatted", "formatted", "unchanged", "failed"]
    assert report.return_code == 1 and report.summary("en") == "dxplan: 1 file(s) not formatted; fix them (dxplan lint) and run again"
    assert messy.read_text(encoding="utf-8") == CANONICAL
    broken.unlink()
    report = format_paths([mini_plan], check=True)
    assert (report.changed, report.unchanged, report.failed, report.return_code) == (0, 3, 0, 0)
    assert report.summary("ja") == "3 ファイルはすべて整形済みです"
    assert format_paths([mini_plan]).summary("en") == ""


def test_unstable_formatting_is_not_written(mini_plan, monkeypatch):
    path = mini_plan / "actions" / "01.yaml"
    path.write_text(MESSY, encoding="utf-8")
    real_dump = fmtmod._dump
    passes = iter(range(100))
    # each pass adds a different trailing comment: the data stays the same, the text does not settle
    monkeypatch.setattr(fmtmod, "_dump", lambda tree: real_dump(tree) + f"# pass {next(passes)}\n")
    with pytest.raises(FmtError) as exc:
        format_file(path)
    assert "not stable" in exc.value.message("en")
    r = runner.invoke(app, ["fmt", str(mini_plan), "--lang", "en"])
    assert r.exit_code == 1
    assert "01.yaml: formatting is not stable" in r.stderr
    assert path.read_text(encoding="utf-8") == MESSY
