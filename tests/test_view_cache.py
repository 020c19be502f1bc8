"""The results cache's plan views: what status, score and compare computed for a plan, the same from the cache as fresh.

A view is answered without loading an unchanged plan (no file parsed), a changed file invalidates
its plan's views only, a corrupt entry is computed again with a warning, and an entry names data,
never code (:mod:`dxplan.files.plain`).
"""

from __future__ import annotations

import os
import pickle
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from dxplan.compare.figures import plan_figures
from dxplan.files import load as load_module, plan_key, result_cache
from dxplan.files.plain import from_plain, to_plain
from dxplan.files.pool import PlanOutcome, cached_outcome
from dxplan.model.loaded import LoadedPlan
from dxplan.score.actions import score_plan
from dxplan.status.counts import PlanScores, StatusResult, grade_table, status_result

from conftest import PLANS

BUNDLED = ("kama", "kashima", "iizuka", "kurate")


def status_of(lp: LoadedPlan, by: str | None) -> StatusResult:
    """Every fiscal year of the plan, grouped ``by`` (as ``dxplan status`` computes it)."""
    assert lp.plan is not None
    return status_result(lp.plan, [la.action for la in lp.actions], None, by, lp.index)


def scores_of(lp: LoadedPlan) -> PlanScores:
    """Every action's score and the grade split per year (as ``dxplan score`` computes them)."""
    plan = lp.plan
    assert plan is not None
    actions = [la.action for la in lp.actions]
    grades = [g for fy in plan.fiscal_years if (g := grade_table(plan, actions, fy, index=lp.index)) is not None]
    return PlanScores(plan, score_plan(plan, actions, lp.index), grades)


def figures_of(lp: LoadedPlan):
    assert lp.plan is not None
    return plan_figures(lp.plan, [la.action for la in lp.actions], lp.index)


def _db(folder: Path) -> Path:
    (db,) = folder.glob("results-*.sqlite3")
    return db


@pytest.fixture
def plans(tmp_path) -> Path:
    """The four bundled plans, copied."""
    dest = tmp_path / "plans"
    for name in BUNDLED:
        shutil.copytree(PLANS / name, dest / name)
    return dest


def _parses(monkeypatch) -> list[str]:
    """The texts the loader parses from now on."""
    calls: list[str] = []
    real = load_module.parse
    monkeypatch.setattr(load_module, "parse", lambda text, *a, **kw: calls.append(text) or real(text, *a, **kw))
    return calls


@pytest.mark.parametrize("name", BUNDLED)
def test_results_from_the_cache_equal_fresh_ones_for_every_bundled_plan(cache, plans, monkeypatch, name):
    root = plans / name
    fresh = load_module.load_plan(root, positions=False)
    views = [(status_of, (None,)), (status_of, ("department",)), (scores_of, ()), (figures_of, ())]
    cold = [cached_outcome(fn, root, args, f"{fn.__name__}{args!r}") for fn, args in views]
    result_cache.reset()  # read back from the database
    calls = _parses(monkeypatch)
    warm = [cached_outcome(fn, root, args, f"{fn.__name__}{args!r}") for fn, args in views]
    assert calls == []  # nothing parsed: every result came from the cache
    for (fn, args), c, w in zip(views, cold, warm, strict=True):
        expected = fn(fresh, *args)
        assert c.value == expected and w.value == expected
        assert type(w.value) is type(expected) and w.root == root and w.loaded and w.errors == []
    # the typed parts, not look-alike dicts
    status = warm[0].value
    assert isinstance(status, StatusResult) and type(status.plan).__name__ == "Plan"
    assert status.plan == fresh.plan and status.years[0].table.total.states == fresh_states(fresh)


def fresh_states(lp: LoadedPlan):
    return status_of(lp, None).years[0].table.total.states


def test_round_trip_is_exact_for_tuples_enum_keys_decimals_and_paths():
    from decimal import Decimal

    from dxplan.model.schema import State
    from dxplan.numbers import WrittenFloat

    value = {"t": (1, "a", (None,)), "keys": {State.done: 3, ("kind", "meaning"): {2024: WrittenFloat(1.50, 2)}},
             "d": Decimal("50.99"), "p": Path("/x/plan.yaml"), "l": [True, 2.5]}
    back = from_plain(pickle.loads(pickle.dumps(to_plain(value))))
    assert back == value
    assert isinstance(back["t"], tuple) and isinstance(back["t"][2], tuple)
    assert next(iter(back["keys"])) is State.done
    assert back["keys"][("kind", "meaning")][2024].decimals == 2
    with pytest.raises(TypeError):
        to_plain({"x": object()})
    with pytest.raises(TypeError):
        to_plain(sqlite3.Row)  # a class, not data


@pytest.mark.parametrize("entry", [
    ("O", "subprocess:Popen", {"args": "touch /tmp/x"}),  # outside dxplan
    ("O", "dxplan.files.atomic:write_text", {}),  # a dxplan function, not a dataclass
    ("M", "dxplan.status.counts:Counts", {}, []),  # a dataclass named as a model
    ("E", "dxplan.cli.common:fail", "x"),
    ("X", "anything"),
    ["fine", ("O",)],
])
def test_an_entry_naming_anything_but_dxplan_data_classes_is_refused(entry):
    with pytest.raises(ValueError):
        from_plain(entry)


def test_a_changed_file_invalidates_only_its_plan(cache, plans, monkeypatch):
    roots = sorted(p for p in plans.iterdir())
    before = {r.name: cached_outcome(status_of, r, (None,), "status") for r in roots}
    result_cache.flush()
    result_cache.reset()
    action = plans / "kama" / "actions" / "03.yaml"
    text = action.read_text(encoding="utf-8")
    assert "status: 完了\n" in text
    action.write_text(text.replace("status: 完了\n", "status: 未着手\n", 1), encoding="utf-8")
    calls = _parses(monkeypatch)
    after = {r.name: cached_outcome(status_of, r, (None,), "status") for r in roots}
    assert calls == [action.read_text(encoding="utf-8")]  # kama's changed file only; its other files' data from the cache
    for name in ("kashima", "iizuka", "kurate"):
        assert after[name].value == before[name].value
    done = [y.table.total.states for y in (before["kama"].value.years[0], after["kama"].value.years[0])]
    from dxplan.model.schema import State

    assert (done[0][State.done] - 1, done[0][State.not_started] + 1) == (done[1][State.done], done[1][State.not_started])
    assert after["kama"].value == status_of(load_module.load_plan(plans / "kama", positions=False), None)


def test_stat_signature_answers_without_reading_a_file(cache, plans, monkeypatch):
    monkeypatch.setattr(plan_key, "RACY_SECONDS", 0.0)  # the copied files count as old
    root = plans / "kurate"
    first = cached_outcome(figures_of, root, (), "figures")
    result_cache.flush()
    result_cache.reset()
    reads: list[Path] = []
    real = load_module.DiskSource.read
    monkeypatch.setattr(load_module.DiskSource, "read", lambda self, paths: reads.extend(paths) or real(self, paths))
    again = cached_outcome(figures_of, root, (), "figures")
    assert reads == [] and again == first
    os.utime(root / "plan.yaml")  # touched: its stat data differ, its bytes do not
    touched = cached_outcome(figures_of, root, (), "figures")
    assert touched == first and root / "plan.yaml" in reads  # read and hashed, not parsed again


def test_corrupt_entry_is_recomputed_with_a_warning(cache, plans, capfd):
    root = plans / "kama"
    truth = cached_outcome(scores_of, root, (), "scores")
    result_cache.flush()
    result_cache.reset()
    db = _db(cache)
    with sqlite3.connect(db) as conn:
        (blob,) = conn.execute("SELECT value FROM views").fetchone()
        conn.execute("UPDATE views SET value = ?", (blob[:-40] + bytes(40),))  # same length, other bytes
    capfd.readouterr()
    assert cached_outcome(scores_of, root, (), "scores") == truth
    assert str(db) in capfd.readouterr().err  # the warning names the cache
    result_cache.flush()
    result_cache.reset()
    with sqlite3.connect(db) as conn:  # replaced by the recomputed entry
        assert from_plain(result_cache._unpack(conn.execute("SELECT value FROM views").fetchone()[0])) == truth
    assert cached_outcome(scores_of, root, (), "scores") == truth
    assert capfd.readouterr().err == ""


def test_entries_holding_code_or_other_classes_are_refused_and_recomputed(cache, plans, capfd):
    root = plans / "kurate"
    truth = cached_outcome(figures_of, root, (), "figures")
    result_cache.flush()
    result_cache.reset()
    db = _db(cache)
    payload = pickle.dumps(Path("/etc"))  # a class outside the plain ones, with a valid digest
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE views SET value = ?", (result_cache._digest(payload) + payload,))
    capfd.readouterr()
    assert cached_outcome(figures_of, root, (), "figures") == truth
    assert str(db) in capfd.readouterr().err
    result_cache.flush()
    result_cache.reset()
    # plain data with a valid digest that names a class outside dxplan's data classes
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE views SET value = ?", (result_cache._pack(("O", "subprocess:Popen", {"args": ["false"]})),))
    assert cached_outcome(figures_of, root, (), "figures") == truth
    assert str(db) in capfd.readouterr().err
    result_cache.flush()
    with sqlite3.connect(db) as conn:
        assert isinstance(from_plain(result_cache._unpack(conn.execute("SELECT value FROM views").fetchone()[0])), PlanOutcome)


def _dx(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "dxplan", *args], capture_output=True, text=True, env=env)


@pytest.mark.parametrize("args", [
    ("status",), ("status", "-f", "json"), ("status", "--by", "department", "--lang", "en"),
    ("score",), ("score", "--explain"), ("score", "-f", "json"), ("compare", "-f", "json"),
])
def test_warm_output_equals_cold_and_uncached_output(cache, plans, args):
    env = {**os.environ, "DXPLAN_CACHE_DIR": str(cache)}
    plain = _dx(*args, str(plans), env={**env, "DXPLAN_NO_CACHE": "1"})
    cold = _dx(*args, str(plans), env=env)
    warm = _dx(*args, str(plans), env=env)
    assert plain.returncode == 0 and plain.stdout.count("\n") > 20
    assert (cold.returncode, cold.stdout, cold.stderr) == (warm.returncode, warm.stdout, warm.stderr) == (0, plain.stdout, plain.stderr)
    with sqlite3.connect(_db(cache)) as conn:
        assert conn.execute("SELECT count(*) FROM views").fetchone()[0] == 4  # one view per plan, answered warm


def test_an_import_killed_while_writing_is_finished_before_the_cache_is_asked(cache, plans):
    import json

    from dxplan.files.transaction import JOURNAL

    root = plans / "kama"
    before = cached_outcome(status_of, root, (None,), "status")
    result_cache.flush()
    target = root / "actions" / "03.yaml"
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    staged = target.parent / f".{target.name}.dxplan-txn-{dead.pid}-0000.new"
    staged.write_text(target.read_text(encoding="utf-8").replace("status: 完了\n", "status: 未着手\n", 1), encoding="utf-8")
    journal = {"dxplan_transaction": 1, "pid": dead.pid, "state": "commit",
               "files": [{"target": os.path.relpath(target, root), "staged": os.path.relpath(staged, root)}]}
    (root / JOURNAL).write_text(json.dumps(journal), encoding="utf-8")
    after = cached_outcome(status_of, root, (None,), "status")  # rolled forward first: the new text is what is counted
    assert not staged.exists() and not (root / JOURNAL).exists() and "status: 未着手\n" in target.read_text(encoding="utf-8")
    assert after.value != before.value
    assert after.value == status_of(load_module.load_plan(root, positions=False), None)


def test_other_arguments_replace_a_plan_s_entry_and_are_never_answered_by_it(cache, plans, monkeypatch):
    root = plans / "kurate"
    fresh = load_module.load_plan(root, positions=False)
    by_none = cached_outcome(status_of, root, (None,), "status")
    by_department = cached_outcome(status_of, root, ("department",), "status")
    assert by_none.value == status_of(fresh, None) and by_department.value == status_of(fresh, "department")
    assert by_none.value != by_department.value
    result_cache.flush()
    with sqlite3.connect(_db(cache)) as conn:
        assert conn.execute("SELECT count(*) FROM views").fetchone()[0] == 1  # one entry per plan and view
    result_cache.reset()
    calls = _parses(monkeypatch)
    assert cached_outcome(status_of, root, ("department",), "status").value == by_department.value
    assert calls == []  # the last arguments' entry answers
    assert cached_outcome(status_of, root, (None,), "status").value == by_none.value
    assert calls == []  # computed again from the file data (nothing parsed), not taken from the other entry


def test_status_json_joined_from_each_plan_s_text_is_write_status_s_document():
    from dxplan.output.jsonout import status_document, status_entry, write_status

    results = [status_of(load_module.load_plan(PLANS / name, positions=False), None) for name in BUNDLED]
    for some in (results, results[:1], results[1:3], []):
        assert status_document([status_entry(r, "en") for r in some]) == write_status(some, "en")
    assert status_document([status_entry(r, "ja") for r in results]).count('\n    {\n      "plan": ') == 8  # each plan, then its combined line


def test_score_json_joined_from_each_plan_s_text_is_one_json_document():
    import json

    from dxplan.output.jsonout import dumps_line, score_document, score_entry

    scores = [scores_of(load_module.load_plan(PLANS / name, positions=False)) for name in BUNDLED]
    entries = [score_entry(p, "ja") for p in scores]
    parsed = [json.loads(e) for e in entries]
    assert "".join(score_document(entries)) == dumps_line(parsed)
    assert "".join(score_document(entries[:1])) == dumps_line(parsed[0])
    assert "".join(score_document([])) == "[]\n"
    assert [p["plan"] for p in parsed] == list(BUNDLED)
