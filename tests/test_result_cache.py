"""The results cache: same results as without it, keyed by content, version and schema, never trusted blindly."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

import dxplan
from dxplan.files import load as load_module, result_cache
from dxplan.lint.engine import lint_paths
from dxplan.files.load import load_plan

from conftest import PLANS, ROOT


def _rows(result) -> list[tuple]:
    return [(str(p.path), p.line, p.column, p.severity, p.rule, p.message_ja, p.message_en) for p in result.problems]


def _uncached(paths, monkeypatch, **kw):
    monkeypatch.setenv("DXPLAN_NO_CACHE", "1")
    result_cache.reset()
    try:
        return lint_paths(paths, **kw)
    finally:
        monkeypatch.delenv("DXPLAN_NO_CACHE")
        result_cache.reset()


def _db(folder: Path) -> Path:
    (db,) = folder.glob("results-*.sqlite3")
    return db


def test_data_round_trip_keeps_dates_and_strings_apart(cache):
    data = {"evaluation_date": dt.date(2025, 2, 10), "note": "2025-02-10", "list": [1, 2.5, None, True], "m": {"__date__": "x", "y": 1}}
    key = result_cache.text_key("text A")
    result_cache.put_data(key, data)
    result_cache.flush()
    result_cache.reset()  # read back from the database, not from memory
    got = result_cache.get_data(key)
    assert got == data and isinstance(got["note"], str) and isinstance(got["evaluation_date"], dt.date)
    assert isinstance(got["list"][1], float) and got["list"][3] is True
    assert result_cache.get_data(result_cache.text_key("text A ")) is None  # another text, another key


def test_cached_load_equals_fresh_load(cache, monkeypatch):
    first = load_plan(PLANS / "kama", positions=False)  # fills the cache
    result_cache.flush()
    with sqlite3.connect(_db(cache)) as conn:
        assert conn.execute("SELECT count(*) FROM data").fetchone()[0] == 51
    result_cache.reset()
    calls = []
    real = load_module.parse
    monkeypatch.setattr(load_module, "parse", lambda text, *a, **kw: calls.append(1) or real(text, *a, **kw))
    second = load_plan(PLANS / "kama", positions=False)  # served from it
    assert calls == []
    monkeypatch.setenv("DXPLAN_NO_CACHE", "1")
    fresh = load_plan(PLANS / "kama", positions=True)

    def dump(lp):
        return lp.plan.model_dump(), [la.action.model_dump() for la in lp.actions]

    assert dump(first) == dump(second) == dump(fresh)


def test_results_equal_without_cache_cold_and_warm(cache, monkeypatch):
    plain = _uncached([PLANS], monkeypatch)
    cold = lint_paths([PLANS])
    warm = lint_paths([PLANS])
    assert plain.problems and _rows(cold) == _rows(plain) == _rows(warm)
    assert (cold.files, cold.plans) == (warm.files, warm.plans) == (plain.files, 4)
    with sqlite3.connect(_db(cache)) as conn:
        assert conn.execute("SELECT count(*) FROM plans").fetchone()[0] == 4


def test_unchanged_plan_is_not_parsed_and_a_changed_file_is_read_again(cache, kama, monkeypatch):
    before = lint_paths([kama])
    assert before.errors == 0
    calls: list[str] = []
    real = load_module.parse
    monkeypatch.setattr(load_module, "parse", lambda text, *a, **kw: calls.append(text) or real(text, *a, **kw))
    assert _rows(lint_paths([kama])) == _rows(before)
    assert calls == []  # answered from the plan's results
    action = kama / "actions" / "03.yaml"
    action.write_text(action.read_text(encoding="utf-8").replace("status: 完了", "status: 完了済み", 1), encoding="utf-8")
    after = lint_paths([kama])
    assert calls == [action.read_text(encoding="utf-8")]  # only the changed file is parsed
    new = [p for p in after.problems if p.rule == "unknown-status"]
    assert [(p.path, p.severity) for p in new] == [(action, "error")]
    assert _rows(after) == _rows(_uncached([kama], monkeypatch))


def _tamper_plan_results(db: Path, value) -> None:
    """Replace every stored plan result by ``value`` with a valid digest (as an old version's entry would look)."""
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE plans SET value = ?", (result_cache._pack(value),))


def test_changed_version_or_schema_starts_from_an_empty_cache(cache, kama, monkeypatch, tmp_path):
    truth = lint_paths([kama])
    assert truth.warnings > 0
    result_cache.reset()
    _tamper_plan_results(_db(cache), ([], 0, None))  # rows, files checked, staleness facts
    assert lint_paths([kama]).problems == []  # the entry is what answered (the test would miss a stale cache otherwise)
    result_cache.reset()
    monkeypatch.setattr(dxplan, "__version__", "999.0")
    assert _rows(lint_paths([kama])) == _rows(truth)
    monkeypatch.undo()
    monkeypatch.setenv("DXPLAN_CACHE_DIR", str(cache))
    result_cache.reset()
    assert lint_paths([kama]).problems == []  # back on the tampered database of this version
    schemas = tmp_path / "schemas"
    shutil.copytree(ROOT / "schemas", schemas)
    (schemas / "action.schema.json").write_text((schemas / "action.schema.json").read_text(encoding="utf-8") + "\n", encoding="utf-8")
    monkeypatch.setattr(dxplan, "shipped", lambda name: schemas)
    result_cache.reset()
    assert _rows(lint_paths([kama])) == _rows(truth)
    assert len(list(cache.glob("results-*.sqlite3"))) == 3


def test_corrupt_entry_is_ignored_with_a_warning(cache, kama, capfd):
    truth = lint_paths([kama])
    result_cache.reset()
    db = _db(cache)
    with sqlite3.connect(db) as conn:
        (blob,) = conn.execute("SELECT value FROM plans").fetchone()
        conn.execute("UPDATE plans SET value = ?", (blob[:-40] + bytes(40),))  # same length, other bytes
        conn.execute("UPDATE data SET value = substr(value, 1, 30)")  # truncated entries
    capfd.readouterr()
    assert _rows(lint_paths([kama], jobs=1)) == _rows(truth)
    assert str(db) in capfd.readouterr().err  # the warning names the cache
    # the corrupt entries were replaced, not trusted later
    result_cache.reset()
    assert _rows(lint_paths([kama])) == _rows(truth)
    assert capfd.readouterr().err == ""
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT min(length(value)) FROM data").fetchone()[0] > 30


def test_unreadable_database_is_ignored_with_a_warning(cache, kama, capfd):
    truth = lint_paths([kama])
    result_cache.reset()
    db = _db(cache)
    for suffix in ("-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    size = db.stat().st_size
    with open(db, "r+b") as fh:  # truncated, and its header overwritten
        fh.truncate(size // 3)
        fh.seek(0)
        fh.write(b"not a database at all" * 5)
    capfd.readouterr()
    assert _rows(lint_paths([kama], jobs=1)) == _rows(truth)
    assert str(db) in capfd.readouterr().err
    result_cache.reset()
    assert _rows(lint_paths([kama])) == _rows(truth)  # a new database, filled again
    result_cache.reset()
    assert _rows(lint_paths([kama])) == _rows(truth)
    assert capfd.readouterr().err == ""
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM plans").fetchone()[0] == 1


def test_values_holding_more_than_plain_data_are_refused(cache, capfd):
    import pickle

    result_cache.put_data(result_cache.text_key("y"), {"a": 1})
    result_cache.flush()  # creates the database
    db = result_cache.database_path()
    result_cache.reset()
    key = result_cache.text_key("x")
    payload = pickle.dumps(Path("/etc"))  # a class outside the plain ones, with a valid digest
    with sqlite3.connect(db) as conn:
        conn.execute("INSERT INTO data VALUES (?, ?)", (key, result_cache._digest(payload) + payload))
    assert result_cache.get_data(key) is None
    assert str(db) in capfd.readouterr().err
    assert result_cache.get_data(result_cache.text_key("y")) == {"a": 1}


_WRITER = """
import sys
from pathlib import Path
from dxplan.lint.engine import lint_paths
result = lint_paths([Path(sys.argv[1])], jobs=2)
print(len(result.problems), result.files)
"""


def test_two_processes_writing_at_once_corrupt_nothing(cache, tmp_path, monkeypatch):
    corpus = tmp_path / "corpus"
    subprocess.run([sys.executable, str(ROOT / "bench" / "corpus.py"), str(corpus), "--plans", "8", "--seed", "2", "--error-rate", "0.1"], check=True, capture_output=True)
    env = {**os.environ, "DXPLAN_CACHE_DIR": str(cache)}
    procs = [subprocess.Popen([sys.executable, "-c", _WRITER, str(corpus)], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(3)]
    outs = [p.communicate(timeout=600) for p in procs]
    assert [p.returncode for p in procs] == [0, 0, 0], [o[1] for o in outs]
    assert len({o[0] for o in outs}) == 1 and all(o[1] == "" for o in outs)
    with sqlite3.connect(_db(cache)) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("SELECT count(*) FROM plans").fetchone()[0] == 8
    result_cache.reset()
    warm = lint_paths([corpus])
    assert _rows(warm) == _rows(_uncached([corpus], monkeypatch))
    assert warm.errors > 0


@pytest.mark.parametrize("variable, value", [("DXPLAN_MAX_DEPTH", "3"), ("DXPLAN_MAX_ALIAS_NODES", "1"), ("DXPLAN_MAX_ACTIONS", "10"), ("DXPLAN_MAX_FILE_BYTES", "4000")])
def test_a_warm_cache_decides_nothing_the_limits_would_refuse(cache, kama, monkeypatch, variable, value):
    """Data and plan results stored under the default limits are not used under tighter ones: the safe reader decides again."""
    anchored = kama / "actions" / "01.yaml"  # an alias in one file, so the alias limit has something to refuse
    anchored.write_text(anchored.read_text(encoding="utf-8") + "x-note: &n {a: 1}\nx-copy: *n\n", encoding="utf-8")
    lint_paths([kama])
    load_plan(kama, positions=False)  # the file data entries, as status reads them
    result_cache.flush()
    monkeypatch.setenv(variable, value)
    result_cache.reset()
    warm = lint_paths([kama])
    assert "limit-exceeded" in {p.rule for p in warm.problems}
    assert _rows(warm) == _rows(_uncached([kama], monkeypatch))
    data = load_plan(kama, positions=False)
    monkeypatch.setenv("DXPLAN_NO_CACHE", "1")
    fresh = load_plan(kama, positions=False)
    assert [la.doc.path for la in data.actions] == [la.doc.path for la in fresh.actions]
    assert [(p.path, p.line, p.column, p.rule) for p in data.problems] == [(p.path, p.line, p.column, p.rule) for p in fresh.problems]
    assert any(p.rule == "limit-exceeded" for p in data.problems)


def test_databases_of_other_versions_unused_for_a_week_are_removed(cache, kama):
    """Each version or code change starts a database of its own; the old ones go once unused for PRUNE_DAYS."""
    cache.mkdir(parents=True)
    week = result_cache.PRUNE_DAYS * 86400
    old = [cache / f"results-00000000000000aa.sqlite3{suffix}" for suffix in ("", "-wal", "-shm")]
    recent = cache / "results-00000000000000bb.sqlite3"
    other = cache / "notes.txt"
    for path in (*old, recent, other):
        path.write_bytes(b"x")
    now = __import__("time").time()
    for path in (*old, other):
        os.utime(path, (now - week - 60, now - week - 60))
    os.utime(old[1], (now - week + 3600, now - week + 3600))  # one file of the old database touched an hour inside the week
    os.utime(recent, (now - week + 3600, now - week + 3600))
    lint_paths([kama], jobs=1)
    assert all(p.exists() for p in old)  # kept: its newest file is inside the week
    os.utime(old[1], (now - week - 60, now - week - 60))
    result_cache.reset()
    lint_paths([kama], jobs=1)
    assert not any(p.exists() for p in old)
    assert recent.exists() and other.exists()
    assert (cache / f"results-{result_cache.fingerprint()}.sqlite3").exists()  # its own database, in use


@pytest.mark.parametrize("lang, expected", [
    (None, "dxplan: 結果キャッシュ {db} を読めないため使いません（削除し、次回の実行で作り直します）"),
    ("en", "dxplan: the results cache {db} cannot be read and is ignored (it is removed; the next run rebuilds it)"),
])
def test_an_unreadable_cache_is_reported_in_the_commands_language(cache, kama, lang, expected):
    env = {k: v for k, v in os.environ.items() if k != "DXPLAN_LANG"}
    args = [sys.executable, "-m", "dxplan", "lint", "-j", "2", str(kama), str(PLANS / "kurate")] + (["--lang", lang] if lang else [])
    subprocess.run(args, env=env, capture_output=True, check=False)
    [db] = cache.glob("results-*.sqlite3")
    for command in (args, [*args[:3], "status", *args[6:]]):
        for extra in cache.glob("results-*.sqlite3-*"):  # the write-ahead log of the last run would answer
            extra.unlink()
        db.write_bytes(b"not a database, " * 64)
        done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
        assert expected.format(db=db) in done.stderr.splitlines(), done.stderr


@pytest.mark.parametrize("prefix", [b"", b"\xef\xbb\xbf"], ids=["plain", "bom"])
def test_a_files_key_from_its_bytes_is_the_key_of_its_text(prefix):
    """The loader takes a file's cache key from its bytes when the caller computed it (lint, the data
    commands) and from its text otherwise (git revisions): both must find the same entry."""
    raw = prefix + (PLANS / "kama" / "actions" / "01.yaml").read_bytes()
    text = raw.decode("utf-8-sig")
    assert result_cache.bytes_key(raw, "1/2/3/4") == result_cache.text_key(text, "1/2/3/4")
    assert result_cache.bytes_key(raw, "1/2/3/4") != result_cache.text_key(text, "1/2/3/5")
