"""Every position lint reports is inside the file it names, and the cost of positions grows with findings, not with their square.

Lines are counted as an editor and git count them (split at ``"\\n"``); the YAML reader also
breaks lines at ``\\r``, NEL, U+2028 and U+2029, so its positions are mapped, not copied.
"""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dxplan.files import result_cache
from dxplan.lint.engine import lint_paths
from dxplan.model import loaded
from dxplan.model.loaded import TextLines

from conftest import FIXTURES

ACTION = """id: '1'
title: 窓口のオンライン化
category: A-1
owners: [総務課]
target:
  text: 申請 100 件
tasks:
  - {fiscal_year: 令和6年度, department: 総務課, plan: 受付, status: 未着手}
  - fiscal_year: 令和7年度
    department: 総務課
    plan: "受付: 拡大"
    status: 進捗中
sources:
  - {file: seed.txt, location: L1}
"""

#: What a mutation inserts: line breaks of every kind, quotes, flow and block punctuation, control characters.
PIECES = ["\n", "\r", "\r\n", "\x85", "\u2028", "\u2029", "\x0c", "\t", " ", ":", "- ", "{", "}", "[", "]", ",", "'", '"', "#",
          "&a ", "*a", "!!int ", "? ", "|", ">", "\x00", "\x1b", "\ufeff", "x", "未知", "\n  ", "\n    - "]


def editor_lines(text: str) -> list[str]:
    lines = text.split("\n")
    return lines[:-1] if text.endswith("\n") and len(lines) > 1 else lines


def check_inside(folder: Path) -> int:
    result = lint_paths([folder])
    for p in result.problems:
        text = Path(p.path).read_bytes().decode("utf-8", errors="replace")
        lines = editor_lines(text)
        assert 1 <= p.line <= len(lines), f"{p.rule} {p.line}:{p.column}, {len(lines)} lines"
        assert 1 <= p.column <= len(lines[p.line - 1]) + 1, f"{p.rule} {p.line}:{p.column}, line {lines[p.line - 1]!r}"
    return len(result.problems)


@settings(max_examples=120, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(st.lists(st.tuples(st.floats(0, 1), st.sampled_from(PIECES), st.booleans()), min_size=1, max_size=6))
def test_every_position_is_inside_its_file(tmp_path_factory, edits):
    folder = tmp_path_factory.mktemp("pos") / "mini"
    folder.mkdir()
    (folder / "plan.yaml").write_bytes((FIXTURES / "mini" / "plan.yaml").read_bytes())
    (folder / "actions").mkdir()
    text = ACTION
    for at, piece, replace in edits:
        i = int(at * len(text))
        text = text[:i] + piece + text[i + (1 if replace else 0):]
    (folder / "actions" / "01.yaml").write_bytes(text.encode("utf-8", errors="surrogatepass"))
    check_inside(folder)


def test_text_lines_map_yaml_positions_to_editor_lines():
    text = "a: 1\rb: \u2028c\nd: 2\n"
    lines = TextLines(text)
    assert lines.count == 2
    assert lines.from_yaml(2, 1) == (1, 6)  # the YAML reader's line 2 starts after the \r, inside editor line 1
    assert lines.from_yaml(4, 1) == (2, 1)
    assert lines.from_yaml(9, 9) == (2, 5)  # past the end: the last line, one past its end
    assert lines.from_yaml(0, 0) == (1, 1)
    assert TextLines("").inside(3, 3) == (1, 1)
    assert TextLines("id: [unclosed\n").from_yaml(2, 1) == (1, 14)  # the end of the text: just past its last line


def _many_findings(folder: Path, n: int) -> None:
    folder.mkdir()
    (folder / "plan.yaml").write_bytes((FIXTURES / "mini" / "plan.yaml").read_bytes())
    (folder / "actions").mkdir()
    rows = "".join(f"  - {{fiscal_year: 令和6年度, department: 総務課, plan: '{i}', status: 未知}}\n" for i in range(n))
    (folder / "actions" / "01.yaml").write_text(
        "id: '1'\ntitle: 多い\ncategory: A-1\nowners: [総務課]\ntasks:\n" + rows + "sources:\n  - {file: seed.txt, location: L1}\n", encoding="utf-8")


def test_positions_scan_each_file_once_whatever_the_number_of_findings(tmp_path, monkeypatch):
    """The text of a file is split into lines once, not once per finding (which made 10,400 findings quadratic)."""
    built: list[int] = []
    original = loaded.TextLines.__init__

    def counting(self, text):
        built.append(len(text))
        original(self, text)

    monkeypatch.setattr(loaded.TextLines, "__init__", counting)
    monkeypatch.setenv("DXPLAN_NO_CACHE", "1")  # positions are computed, not read back from an earlier run
    result_cache.reset()
    counts = {}
    for n in (50, 800):
        built.clear()
        _many_findings(tmp_path / f"n{n}", n)
        found = check_inside(tmp_path / f"n{n}")
        assert found >= n
        counts[n] = len(built)
    assert counts[50] == counts[800] == 1, counts
