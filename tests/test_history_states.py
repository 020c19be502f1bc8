"""History by content: each commit's figures come from its plan state (the blobs of its files), computed once.

A real repository with a small plan whose figures can be counted by hand: seven commits, one of
them outside the plan folder, one that adds a file that is not a plan file, one that puts an action
file back to an earlier blob, one that puts the whole folder back to an earlier state. The history
must be the one counted by hand; its four distinct plan states computed once each; a second run
computes none (results cache); a corrupt cache entry is computed again.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
from contextlib import closing
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import FIXTURES, GIT_ENV, git
from dxplan.cli import app
from dxplan.files import gitio, result_cache, state_cache
from dxplan.status import states as states_module
from dxplan.status.history import build_history, plan_log
from dxplan.status.states import PlanStates

REL = "plans/mini"

PLAN_EXTRA = """\
statuses:
  - {word: 未着手, state: not_started, progress: 0}
  - {word: 検討中, state: considering, progress: 20}
  - {word: 進捗中, state: in_progress, progress: 50}
  - {word: 完了, state: done, progress: 100}
rating_scale:
  - {label: 達成, min: 100}
  - {label: 未達, min: null}
status_snapshots:
  - date: 2024-09-01
    label: 令和6年9月1日 進捗状況
    fiscal_year: 令和6年度
    counts: {not_started: 1, considering: 0, in_progress: 0, done: 2, total: 3}
"""


def _plan_text(evaluation_date: str) -> str:
    text = (FIXTURES / "mini" / "plan.yaml").read_text(encoding="utf-8")
    start = text.index("statuses:")
    end = text.index("visions:")
    return text[:start] + PLAN_EXTRA + text[end:] + f"evaluation_date: {evaluation_date}\n"


def _action(number: str, *words: str) -> str:
    rows = "\n".join(f"  - {{fiscal_year: 令和6年度, plan: 作業{i}, status: {w}}}" for i, w in enumerate(words, 1))
    return f"id: '{number}'\ntitle: 施策{number}\ncategory: A-1\nowners: [総務課]\ntasks:\n{rows}\nsources: [{{file: s, location: l}}]\n"


def _commit(repo: Path, day: str, message: str) -> str:
    env = {**os.environ, **GIT_ENV, "GIT_AUTHOR_DATE": f"{day}T12:00:00+09:00", "GIT_COMMITTER_DATE": f"{day}T12:00:00+09:00"}
    subprocess.run(["git", "add", "-A"], cwd=repo, check=True, env=env)
    subprocess.run(["git", "-c", "commit.gpgsign=false", "commit", "-qm", message], cwd=repo, check=True, env=env)
    return git(repo, "rev-parse", "HEAD").strip()


def _write(plan: Path, name: str, text: str) -> None:
    path = plan / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


@pytest.fixture(scope="module")
def repo(tmp_path_factory) -> dict[str, object]:
    """The repository and its commits by name (c1 … c7)."""
    root = tmp_path_factory.mktemp("states") / "repo"
    plan = root / REL
    plan.mkdir(parents=True)
    git(root, "init", "-q")
    c: dict[str, object] = {"root": root}
    _write(plan, "plan.yaml", _plan_text("2024-06-01"))
    _write(plan, "actions/01.yaml", _action("1", "検討中", "未着手"))
    _write(plan, "actions/02.yaml", _action("2", "未着手"))
    c["c1"] = _commit(root, "2024-06-01", "evaluation 1")
    _write(plan, "plan.yaml", _plan_text("2024-09-01"))
    _write(plan, "actions/01.yaml", _action("1", "完了", "完了"))
    c["c2"] = _commit(root, "2024-09-01", "evaluation 2")
    (root / "README.md").write_text("outside the plan\n", encoding="utf-8")
    c["c3"] = _commit(root, "2024-09-15", "outside the plan folder")
    _write(plan, "notes.txt", "not a plan file\n")
    c["c4"] = _commit(root, "2024-10-01", "a file in the folder that is no plan file")
    _write(plan, "plan.yaml", _plan_text("2024-12-01"))
    _write(plan, "actions/02.yaml", _action("2", "進捗中"))
    _write(plan, "actions/03.yaml", "id: '3'\ntitle: 施策3\ncategory: A-1\nowners: [総務課]\ntasks: 多い\nsources: [{file: s, location: l}]\n")  # tasks is no list
    c["c5"] = _commit(root, "2024-12-01", "evaluation 3, a broken action")
    git(root, "checkout", str(c["c1"]), "--", f"{REL}/actions/01.yaml")
    c["c6"] = _commit(root, "2025-01-10", "action 1 back to its first blob")
    shutil.rmtree(plan)
    git(root, "checkout", str(c["c2"]), "--", REL)
    c["c7"] = _commit(root, "2025-02-01", "the whole plan back to evaluation 2")
    return c


#: By hand, in date order (a sort that keeps commit order within a day): (commit, date, date_source,
#: (未着手, 検討中, 進捗中, 完了) of the 令和6年度 rows, grades (達成, 未達), files with errors, action states).
#: Rates (task rate, progress per word 0/20/50/100): 01 (検討中, 未着手) 10 %, (完了, 完了) 100 %; 02 未着手 0 %, 進捗中 50 %.
EXPECTED = [
    ("c1", "2024-06-01", "evaluation_date", (2, 1, 0, 0), (0, 2), 0, {"1": "considering", "2": "not_started"}),
    ("c2", "2024-09-01", "evaluation_date", (1, 0, 0, 2), (1, 1), 0, {"1": "done", "2": "not_started"}),
    ("c7", "2024-09-01", "evaluation_date", (1, 0, 0, 2), (1, 1), 0, {"1": "done", "2": "not_started"}),
    ("c4", "2024-10-01", "commit", (1, 0, 0, 2), (1, 1), 0, {"1": "done", "2": "not_started"}),
    ("c5", "2024-12-01", "evaluation_date", (0, 0, 1, 2), (1, 1), 1, {"1": "done", "2": "in_progress"}),
    ("c6", "2025-01-10", "commit", (1, 1, 1, 0), (0, 2), 1, {"1": "considering", "2": "in_progress"}),
]


def _history_json(root: Path) -> dict:
    result = CliRunner().invoke(app, ["history", str(root / REL), "--format", "json"])
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def test_history_is_the_one_counted_by_hand(repo, cache):
    data = _history_json(repo["root"])
    points = data["points"]
    assert [p["commit"] for p in points] == [repo[name] for name, *_ in EXPECTED]
    for p, (name, day, source, counts, grades, errors, _) in zip(points, EXPECTED, strict=True):
        assert (p["date"], p["date_source"], p["fiscal_year"]) == (day, source, 2024), name
        assert tuple(p["counts"].values()) == counts, name
        assert p["grades"] == {"達成": grades[0], "未達": grades[1], "未評価": 0}, name
        assert p["files_with_errors"] == errors, name
    # the plan's own column of 2024-09-01 is beside the two columns of that date, read from their plan.yaml
    assert [p["snapshot"] is not None for p in points] == [False, True, True, False, False, False]
    assert points[1]["snapshot"]["matches"] is True and points[2]["snapshot"]["matches"] is True
    assert data["plan"] == "mini"


def test_each_distinct_plan_state_is_computed_once_then_taken_from_the_cache(repo, cache):
    root = repo["root"]
    first = build_history(root, REL)
    # six columns, four plan states: c2, c4 and c7 hold the same blobs (c4 adds notes.txt, no plan file)
    assert (first.stats.distinct, first.stats.computed, first.stats.cached) == (4, 4, 0)
    actions = {p.commit: {aid: a.state.value if a.state else None for aid, a in p.actions.items()} for p in first.points}
    assert [actions[repo[name]] for name, *_ in EXPECTED] == [e[-1] for e in EXPECTED]
    result_cache.flush()
    result_cache.reset()
    second = build_history(root, REL)
    assert (second.stats.distinct, second.stats.computed, second.stats.cached) == (4, 0, 4)
    assert second.points == first.points and second.plan == first.plan


def test_a_corrupt_cache_entry_is_computed_again(repo, cache, capfd):
    root = repo["root"]
    before = _history_json(root)
    result_cache.flush()
    result_cache.reset()
    with PlanStates(root, REL) as states:
        key = states._cache_key(states.key(gitio.ls_tree(str(repo["c5"]), REL, root)))
    path = result_cache.database_path()
    assert path is not None
    with closing(sqlite3.connect(path)) as db, db:
        (value,) = db.execute("SELECT value FROM data WHERE key = ?", (key,)).fetchone()
        db.execute("UPDATE data SET value = ? WHERE key = ?", (value[:-3] + b"xyz", key))
    capfd.readouterr()
    again = build_history(root, REL)
    assert (again.stats.computed, again.stats.cached) == (1, 3)
    assert "corrupt" in capfd.readouterr().err
    result_cache.flush()
    result_cache.reset()
    assert _history_json(root) == before
    with closing(sqlite3.connect(path)) as db:
        (value,) = db.execute("SELECT value FROM data WHERE key = ?", (key,)).fetchone()
    assert state_cache.get(key) is not None and value[-3:] != b"xyz"


def test_states_computed_in_workers_give_the_same_history(repo, cache, monkeypatch):
    root = repo["root"]
    monkeypatch.setenv("DXPLAN_NO_CACHE", "1")
    result_cache.reset()
    serial = build_history(root, REL)
    monkeypatch.setattr(states_module, "PARALLEL_FROM", 1)
    monkeypatch.setenv("DXPLAN_JOBS", "2")
    parallel = build_history(root, REL)
    assert parallel.stats.computed == 4
    assert parallel.points == serial.points


def test_tree_listings_equal_ls_tree_at_every_commit(repo):
    root = repo["root"]
    log = plan_log(root, REL)
    assert [c for c, *_ in log] == [repo[n] for n in ("c1", "c2", "c4", "c5", "c6", "c7")]
    listings = list(gitio.tree_listings([tree for _, tree, _, _ in log], REL, root))
    assert listings == [gitio.ls_tree(c, REL, root) for c, *_ in log]
    assert f"{REL}/actions/03.yaml" in listings[3] and f"{REL}/actions/03.yaml" not in listings[5]
    whole = list(gitio.tree_listings([tree for _, tree, _, _ in log], "", root))
    assert whole == [gitio.ls_tree(c, "", root) for c, *_ in log]


def test_blob_reader_reads_skips_and_misses(repo):
    root = repo["root"]
    listing = gitio.ls_tree(str(repo["c1"]), REL, root)
    oid = listing[f"{REL}/actions/02.yaml"]
    with gitio.BlobReader(root) as reader:
        assert reader.read(oid) == _action("2", "未着手").encode("utf-8")
        assert reader.read(oid, max_bytes=10) == len(_action("2", "未着手").encode("utf-8"))  # too large: its size
        assert reader.read("0" * 40) is None
        assert reader.read(oid) == _action("2", "未着手").encode("utf-8")  # the stream is still in step
    with pytest.raises(gitio.GitError):
        gitio.BlobReader(root).read("HEAD")


def test_a_plan_at_the_repository_top_through_a_merge(tmp_path, cache):
    """Each column is its commit's own tree, a merge's too: side changes action 1, main action 2, the merge has both."""
    root = tmp_path / "top"
    root.mkdir()
    git(root, "init", "-q")
    _write(root, "plan.yaml", _plan_text("2024-06-01"))
    _write(root, "actions/01.yaml", _action("1", "未着手"))
    _write(root, "actions/02.yaml", _action("2", "未着手"))
    base = _commit(root, "2024-06-01", "base")
    git(root, "checkout", "-q", "-b", "side")
    _write(root, "actions/01.yaml", _action("1", "完了"))
    side = _commit(root, "2024-07-01", "side")
    git(root, "checkout", "-q", "main")
    _write(root, "actions/02.yaml", _action("2", "進捗中"))
    main = _commit(root, "2024-08-01", "main")
    env = {**os.environ, **GIT_ENV, "GIT_AUTHOR_DATE": "2024-09-01T12:00:00+09:00", "GIT_COMMITTER_DATE": "2024-09-01T12:00:00+09:00"}
    subprocess.run(["git", "merge", "-q", "--no-edit", "side"], cwd=root, check=True, env=env, capture_output=True)
    merge = git(root, "rev-parse", "HEAD").strip()
    history = build_history(root, "")
    by_commit = {p.commit: (p.date.isoformat(), tuple(p.counts.states.values())) for p in history.points}
    assert by_commit == {  # (未着手, 検討中, 進捗中, 完了)
        base: ("2024-06-01", (2, 0, 0, 0)),
        side: ("2024-07-01", (1, 0, 0, 1)),
        main: ("2024-08-01", (1, 0, 1, 0)),
        merge: ("2024-09-01", (0, 0, 1, 1)),
    }
    assert history.stats.computed == 4


@pytest.mark.parametrize("max_bytes", [None, "300"])
def test_each_column_is_what_loading_that_commit_gives(repo, cache, monkeypatch, max_bytes):
    """The figures from plan states equal those of the whole plan loaded at each commit (``load_at``), also when a
    file is over the size limit (plan.yaml is, at 300 bytes: no column; the action files are not)."""
    from dxplan.status.history import actions_at, count_grades, count_states, load_at, plan_commits
    from dxplan.status.counts import current_year

    if max_bytes:
        monkeypatch.setenv("DXPLAN_MAX_FILE_BYTES", max_bytes)
    root = repo["root"]
    points = {p.commit: p for p in build_history(root, REL).points}
    for commit, _, _ in plan_commits(root, REL):
        loaded = load_at(root, commit, REL)
        if loaded.plan is None:
            assert commit not in points
            continue
        plan, point = loaded.plan, points[commit]
        fy = current_year(plan)
        assert (point.fiscal_year, point.counts, point.grades, point.actions) == (
            fy, count_states(plan, loaded, fy), count_grades(plan, loaded), actions_at(plan, loaded, fy))
        assert point.problems == sum(1 for p in loaded.problems if p.severity == "error")
    assert bool(points) is (max_bytes is None)
