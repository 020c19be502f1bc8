"""A rate outside 0–100 % carries its reason in every writer, for an action's target rate as for an indicator's
(嘉麻市 action 2: 82.6 % against a target of 80 % is 103.3 %, 目標超過); JSON carries the reason as a key."""

from __future__ import annotations

import json
import shutil

from typer.testing import CliRunner

from dxplan.cli import app
from conftest import PLANS

runner = CliRunner()
JA = {"DXPLAN_LANG": "ja", "GITHUB_ACTIONS": ""}


def _run(*args: str, lang: str = "ja") -> str:
    r = runner.invoke(app, [*args, "--lang", lang], env={**JA, "DXPLAN_LANG": lang, "COLUMNS": "200"})  # wide: one line a row
    assert r.exit_code == 0, r.output
    return r.output


def test_score_table_and_explanation_give_the_reason_of_the_action_target_rate():
    table = _run("score", str(PLANS / "kama"))
    row = next(line for line in table.splitlines() if line.startswith("│  2 │"))
    assert "103.3%（目標超過）" in row
    en = _run("score", str(PLANS / "kama"), "--action", "2", "--explain", lang="en")
    assert "103.3% (beyond the target)" in en


def test_score_json_carries_the_reason_as_a_key_and_worded():
    data = json.loads(_run("score", str(PLANS / "kama"), "--format", "json"))
    a2 = next(a for a in data["actions"] if a["id"] == "2")
    assert (a2["range"], a2["range_note"]) == ("beyond_target", "目標超過")
    assert (a2["references"]["target"]["range"], a2["references"]["target"]["range_note"]) == ("beyond_target", "目標超過")
    assert a2["references"]["tasks"]["range"] is None
    en = json.loads(_run("score", str(PLANS / "kama"), "--format", "json", lang="en"))
    assert next(a for a in en["actions"] if a["id"] == "2")["range_note"] == "beyond the target"
    # inside 0–100 % there is no reason
    a6 = next(a for a in data["actions"] if a["id"] == "6")
    assert a6["range"] is None and a6["range_note"] is None


def test_report_markdown_and_html_give_the_reason_beside_the_rate(tmp_path):
    md = _run("report", str(PLANS / "kama"))
    assert "#### 目標達成率: 103.3%（目標超過） 達成" in md
    assert "- ▶ 目標(値)に対する進捗率: 103.3%（目標超過）" in md
    out = tmp_path / "k.html"
    _run("report", str(PLANS / "kama"), "--format", "html", "-o", str(out))
    html = out.read_text(encoding="utf-8")
    assert html.count("103.3%（目標超過）") >= 5


def test_a_rate_below_zero_says_the_actual_is_below_the_baseline(tmp_path):
    plan = tmp_path / "kama"
    shutil.copytree(PLANS / "kama", plan)
    path = plan / "actions" / "02.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("    value: 80\n", "    value: 90\n    baseline: 85\n", 1), encoding="utf-8")
    data = json.loads(_run("score", str(plan), "--format", "json"))
    a2 = next(a for a in data["actions"] if a["id"] == "2")
    # (82.6 − 85) / (90 − 85) = −48.0 %
    assert (a2["shown"], a2["range"], a2["range_note"]) == ("-48.0", "below_baseline", "実績が基準値を下回る")


def test_diff_gives_the_reason_beside_a_rate_change(tmp_path):
    import os

    from conftest import git

    repo = tmp_path / "repo"
    shutil.copytree(PLANS / "kama", repo / "plans" / "kama")
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "base")
    path = repo / "plans" / "kama" / "actions" / "02.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("    - value: 82.6", "    - value: 84.0", 1), encoding="utf-8")
    git(repo, "commit", "-qam", "new measurement")
    cwd = os.getcwd()
    os.chdir(repo)
    try:
        text = _run("diff", "HEAD~1", "HEAD", "plans/kama")
        data = json.loads(_run("diff", "HEAD~1", "HEAD", "plans/kama", "--format", "json"))
    finally:
        os.chdir(cwd)
    assert "103.3%（目標超過） 達成" in text and "105.0%（目標超過） 達成" in text
    scores = [a["score"] for p in data["plans"] for a in p["actions"] if a.get("score")]
    assert {"before": scores[0]["before"]["range"], "after": scores[0]["after"]["range"]} == {"before": "beyond_target", "after": "beyond_target"}
