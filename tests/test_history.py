"""dxplan history: status counts per evaluation date from a real git repository of plans/kama.

The repository gets four commits, each on one of 000's four evaluation dates, with the R6 task
rows' statuses set to 000's printed distribution of that date (plan.yaml's status_snapshots), so
the computed table must reproduce 000's summary table column by column.
"""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from ruamel.yaml import YAML
from typer.testing import CliRunner

from conftest import FIXTURES, GIT_ENV, PLANS, git
from dxplan.cli import app

#: 000's summary table: date → (未着手, 検討中, 進捗中, 完了) of the 151 R6 rows with a status.
SNAPSHOTS = {
    "2024-05-23": (1, 120, 21, 9),
    "2024-08-28": (0, 61, 75, 15),
    "2024-11-27": (0, 35, 91, 25),
    "2025-02-10": (0, 0, 77, 74),
}
WORDS = ("未着手", "検討中", "進捗中", "完了")


def _yaml() -> YAML:
    y = YAML(typ="rt")
    y.width = 4096
    y.indent(mapping=2, sequence=4, offset=2)
    y.preserve_quotes = True
    return y


def set_distribution(plan_dir: Path, counts: tuple[int, int, int, int], evaluation_date: str) -> None:
    """Give the R6 rows that carry a status the words of ``counts`` (in file and row order) and set evaluation_date."""
    sequence = [w for w, n in zip(WORDS, counts, strict=True) for _ in range(n)]
    for path in sorted((plan_dir / "actions").glob("*.yaml")):
        tree = _yaml().load(path.read_text(encoding="utf-8"))
        for task in tree.get("tasks", []):
            if str(task.get("fiscal_year")) in ("令和6年度", "2024", "R6") and task.get("status"):
                task["status"] = sequence.pop(0)
        out = io.StringIO()
        _yaml().dump(tree, out)
        path.write_text(out.getvalue(), encoding="utf-8")
    assert sequence == [], "the plan has fewer R6 rows with a status than 000 counts"
    plan_yaml = plan_dir / "plan.yaml"
    text = plan_yaml.read_text(encoding="utf-8")
    new = re.sub(r"(?m)^evaluation_date: .*$", f"evaluation_date: {evaluation_date}", text)
    assert new != text or f"evaluation_date: {evaluation_date}" in text
    plan_yaml.write_text(new, encoding="utf-8")


def commit_at(repo: Path, day: str, message: str) -> None:
    env = {**os.environ, **GIT_ENV, "GIT_AUTHOR_DATE": f"{day}T12:00:00+09:00", "GIT_COMMITTER_DATE": f"{day}T12:00:00+09:00"}
    subprocess.run(["git", "add", "-A"], cwd=repo, check=True, env=env)
    subprocess.run(["git", "-c", "commit.gpgsign=false", "commit", "-qm", message], cwd=repo, check=True, env=env)


@pytest.fixture(scope="module")
def kama_repo(tmp_path_factory) -> Path:
    """plans/kama in a new repository: four evaluation commits, then one commit that does not change the date."""
    repo = tmp_path_factory.mktemp("history") / "repo"
    repo.mkdir()
    git(repo, "init", "-q")
    shutil.copytree(PLANS / "kama", repo / "plans" / "kama")
    for day, counts in SNAPSHOTS.items():
        set_distribution(repo / "plans" / "kama", counts, day)
        commit_at(repo, day, f"evaluation {day}")
    notes = repo / "plans" / "kama" / "actions" / "13.yaml"
    notes.write_text(notes.read_text(encoding="utf-8").replace("支所ネットワーク拡充中", "支所ネットワーク拡充済", 1), encoding="utf-8")
    commit_at(repo, "2025-03-05", "a result text, no new evaluation date")
    return repo


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_history_json_reproduces_000s_summary_table(kama_repo):
    code, out, _ = run("history", str(kama_repo / "plans" / "kama"), "--format", "json")
    assert code == 0
    data = json.loads(out)
    points = data["points"]
    assert [p["date"] for p in points] == [*SNAPSHOTS, "2025-03-05"]
    assert [p["date_source"] for p in points] == ["evaluation_date"] * 4 + ["commit"]
    for p, (day, (ns, co, ip, dn)) in zip(points[: len(SNAPSHOTS)], SNAPSHOTS.items(), strict=True):
        assert p["fiscal_year"] == 2024
        assert p["counts"] == {"not_started": ns, "considering": co, "in_progress": ip, "done": dn}
        assert p["total"] == 151 and p["no_status"] == 1
        assert p["snapshot"]["matches"] is True, day
    assert points[0]["shares"] == {"not_started": 0.66, "considering": 79.47, "in_progress": 13.91, "done": 5.96}
    assert points[3]["shares"]["in_progress"] == 50.99
    assert points[4]["counts"] == points[3]["counts"] and points[4]["snapshot"] is None
    assert data["shallow"] is False


def test_history_table_and_markdown_show_dates_as_columns(kama_repo):
    code, out, _ = run("history", str(kama_repo / "plans" / "kama"), "--format", "markdown", "--lang", "en")
    assert code == 0
    lines = out.splitlines()
    head = next(line for line in lines if line.startswith("| item"))
    # dates as English reports write them, in date order
    assert [" ".join(c.split()[:3]) for c in head.strip("|").split("|")[1:]] == ["23 May 2024", "28 August 2024", "27 November 2024", "10 February 2025", "5 March 2025"]
    row = lambda name: [c.strip() for c in next(line for line in lines if line.startswith(f"| {name} ")).strip("|").split("|")[1:]]  # noqa: E731
    assert row("検討中(count)") == ["120", "61", "35", "0", "0"]
    assert row("完了(share)") == ["5.96%", "9.93%", "16.56%", "49.01%", "49.01%"]
    assert row("total(count)") == ["151"] * 5
    assert row("fiscal year") == ["FY2024"] * 5
    code, out, _ = run("history", str(kama_repo / "plans" / "kama"))
    assert code == 0
    assert "令和6年8月28日" in out and "79.47%" in out and "一致" in out  # dates as the Japanese reports write them
    assert "2024-08-28" not in out
    assert "令和6年度" in out and "(評価基準日)" in out and "YYYY" not in out  # the plan's era style; no help text as a heading


def test_history_since_until_and_at(kama_repo):
    code, out, _ = run("history", str(kama_repo / "plans" / "kama"), "-f", "json", "--since", "2024-08-01", "--until", "2024-12-31")
    assert [p["date"] for p in json.loads(out)["points"]] == ["2024-08-28", "2024-11-27"]
    # a date between two commits gives the plan of the earlier one
    # columns in date order, whatever the order of --at
    code, out, _ = run("history", str(kama_repo / "plans" / "kama"), "-f", "json", "--at", "2024-10-01", "--at", "HEAD~4")
    assert code == 0
    second, first = json.loads(out)["points"]
    assert first["date"] == "2024-10-01" and first["date_source"] == "asked"
    assert first["counts"]["considering"] == 61 and first["counts"]["in_progress"] == 75
    assert second["date"] == "2024-05-23" and second["counts"]["considering"] == 120
    code, _, err = run("history", str(kama_repo / "plans" / "kama"), "--at", "no-such-branch")
    assert code == 2 and "no-such-branch" in err


def test_shallow_clone_says_what_to_fetch(kama_repo, tmp_path):
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--depth", "2", f"file://{kama_repo}", str(clone)], check=True,
                   env={**os.environ, **GIT_ENV}, capture_output=True)
    code, out, _ = run("history", str(clone / "plans" / "kama"), "-f", "json", "--lang", "en")
    assert code == 0
    data = json.loads(out)
    assert data["shallow"] is True
    assert len(data["points"]) == 2
    assert any("git fetch --unshallow" in n for n in data["notes"])


def test_status_and_score_as_of_a_date_between_two_commits_give_the_earlier(kama_repo):
    plan = str(kama_repo / "plans" / "kama")
    code, out, _ = run("status", plan, "--as-of", "2024-10-01", "--year", "R6", "-f", "json")
    assert code == 0
    total = json.loads(out)["years"][0]["total"]
    assert (total["counts"]["considering"], total["counts"]["in_progress"], total["counts"]["done"]) == (61, 75, 15)
    code, out, _ = run("status", plan, "--rev", "HEAD~4", "--year", "R6", "-f", "json")
    assert json.loads(out)["years"][0]["total"]["counts"]["considering"] == 120
    code, out, _ = run("score", plan, "--as-of", "2024-06-01", "-f", "json", "--action", "1")
    assert code == 0 and json.loads(out)["actions"][0]["id"] == "1"
    code, _, err = run("status", plan, "--as-of", "2020-01-01")
    assert code == 2 and "2020-01-01" in err


#: A title with HTML in it, as a hostile or careless plan may carry.
HTML_TITLE = "例市<img src=x onerror=alert(1)>計画"


@pytest.fixture
def small_repo(tmp_path) -> Path:
    """tests/fixtures/mini as plans/mini of a new repository, one commit: 32 task rows of 令和6年度 with a
    status, one 完了 (a share of 3.125 %, where half-up and half-even rounding part), and :data:`HTML_TITLE`."""
    repo = tmp_path / "repo"
    plan = repo / "plans" / "mini"
    shutil.copytree(FIXTURES / "mini", plan)
    text = (plan / "plan.yaml").read_text(encoding="utf-8").replace("title: 例市DX計画", f"title: '{HTML_TITLE}'")
    (plan / "plan.yaml").write_text(text + "evaluation_date: 2025-02-10\n", encoding="utf-8")
    rows = ["  - {fiscal_year: 令和6年度, plan: 準備, status: 完了}"] + ["  - {fiscal_year: 令和6年度, plan: 実施, status: 進捗中}"] * 31
    (plan / "actions").mkdir(exist_ok=True)
    (plan / "actions" / "01.yaml").write_text(
        "id: '1'\ntitle: 例\ncategory: A-1\nowners: [総務課]\ntasks:\n" + "\n".join(rows) + "\nsources: [{file: s, location: l}]\n",
        encoding="utf-8")
    git(repo, "init", "-q")
    commit_at(repo, "2025-02-10", "evaluation")
    return repo


def test_history_json_rounds_shares_half_up_as_its_table_and_status_do(small_repo):
    plan = str(small_repo / "plans" / "mini")
    code, out, _ = run("history", plan, "--format", "json")
    assert code == 0
    point = json.loads(out)["points"][0]
    assert point["counts"]["done"] == 1 and point["total"] == 32
    assert round(1 / 32 * 100, 2) == 3.12  # Python's round is half-even: the value the JSON must not give
    assert point["shares"]["done"] == 3.13
    code, out, _ = run("status", plan, "--year", "R6", "--format", "json")
    assert code == 0
    assert json.loads(out)["years"][0]["total"]["shares"]["done"] == point["shares"]["done"]
    code, out, _ = run("history", plan, "--format", "markdown")
    assert code == 0
    assert re.search(r"^\| 完了\(割合\) \| 3\.13% \|$", out, re.M)


def test_history_markdown_escapes_plan_text_as_status_markdown_does(small_repo):
    plan = str(small_repo / "plans" / "mini")
    code, status_md, _ = run("status", plan, "--format", "markdown", "--lang", "en")
    assert code == 0
    heading = next(line for line in status_md.splitlines() if line.startswith("# "))
    escaped = heading.removeprefix("# ")  # municipality and title as status Markdown writes them
    assert escaped == "例市 例市&lt;img src=x onerror=alert(1)&gt;計画"
    code, out, _ = run("history", plan, "--format", "markdown", "--lang", "en")
    assert code == 0
    assert out.splitlines()[0] == f"## {escaped}: status over time (plans/mini)"
    assert "<img" not in out and HTML_TITLE not in out
    code, out, _ = run("history", plan, "--lang", "en")  # the terminal table shows the title as written
    assert code == 0 and "<img src=x onerror=alert(1)>" in out
