"""``fmt`` accepts every file ``lint`` accepts: a lint-clean file formats, then ``fmt --check`` passes and the data is unchanged.

The texts are written double-quoted (valid YAML for any text) inside flow mappings, where a plain
scalar may not hold ``:`` followed by a non-space: URLs, ``a:b``, times ``10:30``, ``#`` and brackets.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from dxplan.cli import app
from dxplan.files.fmt import format_paths
from dxplan.lint.engine import lint_paths
from dxplan.yamlread import parse

from conftest import FIXTURES

runner = CliRunner()
TEXTS = st.one_of(
    st.sampled_from(["https://example.jp/a?b=1#c", "a:b", "10:30", "p:3", "x: y", ":a", "?x", "-1:2", "a #b", "[x]", "{y}", "a, b", "yes", "1:20"]),
    st.text(alphabet=st.sampled_from(list(":/#?-,[]{}!&*|>'\"% @`abc あ10")), min_size=1, max_size=12),
)


def _action(plan_text: str, source: str, location: str) -> str:
    q = lambda s: json.dumps(s, ensure_ascii=False)  # noqa: E731 -- a double-quoted YAML scalar
    return (
        "id: '1'\ntitle: 窓口\ncategory: A-1\nowners: [総務課]\ntasks:\n"
        f"  - {{fiscal_year: 令和6年度, department: 総務課, plan: {q(plan_text)}, status: 未着手}}\n"
        f"sources:\n  - {{file: {q(source)}, location: {q(location)}}}\n  - file: {q(source)}\n    location: {q(location)}\n"
    )


def _data(path: Path):
    return parse(path.read_text(encoding="utf-8")).data


@settings(max_examples=40, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(TEXTS, TEXTS, TEXTS)
def test_a_lint_clean_file_formats_and_then_passes_the_check(tmp_path_factory, plan_text, source, location):
    folder = tmp_path_factory.mktemp("fmt") / "mini"
    shutil.copytree(FIXTURES / "mini", folder)
    path = folder / "actions" / "01.yaml"
    path.write_text(_action(plan_text, source, location), encoding="utf-8")
    if lint_paths([folder]).errors:
        return  # not a lint-clean file: fmt may refuse it
    before = _data(path)
    report = format_paths([folder])
    assert report.failed == 0, [(e.path, e.outcome) for e in report.entries]
    assert _data(path) == before
    assert format_paths([folder], check=True).changed == 0
    assert lint_paths([folder]).errors == 0


def test_quoted_url_and_colon_in_a_flow_mapping(mini_plan):
    path = mini_plan / "actions" / "01.yaml"
    path.write_text(_action("https://example.jp/a", "https://example.jp/x.pdf", "p:3"), encoding="utf-8")
    env = {"DXPLAN_LANG": "en", "GITHUB_ACTIONS": ""}
    assert runner.invoke(app, ["lint", str(mini_plan)], env=env).exit_code == 0
    assert runner.invoke(app, ["fmt", str(mini_plan)], env=env).exit_code == 0
    assert "plan: 'https://example.jp/a'" in path.read_text(encoding="utf-8")
    assert "\n    location: p:3\n" in path.read_text(encoding="utf-8")  # block style keeps the plain form
    assert runner.invoke(app, ["fmt", "--check", str(mini_plan)], env=env).exit_code == 0
