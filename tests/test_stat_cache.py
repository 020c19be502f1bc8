"""The stat shortcut of ``dxplan lint``: an unchanged plan is answered from its files' stat data without reading them.

Files written by a test are seconds old at most, so the racy margin decides what is stored:
``lint.RACY_SECONDS`` is set to 0 (every file written before the run counts as old) or to an
hour (every file counts as just written). Reads are recorded at ``dxplan.files.disk.read_bytes``,
through which the loader reads every file (``dxplan.files.load`` imports it); parses at ``dxplan.files.load.parse``.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from dxplan.lint import engine as lint_module
from dxplan.files import disk as disk_module, load as load_module, layout as planfiles, result_cache
from dxplan.lint.engine import lint_paths

from conftest import PLANS

from test_result_cache import _db, _rows, _uncached

RACY_REAL = lint_module.RACY_SECONDS  # the window a spawned worker uses (it does not see a monkeypatch)

OLD, NEW = "status: 完了".encode(), "status: 終了".encode()  # the same number of bytes; 終了 is not one of kama's status words
assert len(OLD) == len(NEW)


@pytest.fixture
def old_files(monkeypatch):
    """Every file written before a run counts as old (not racy)."""
    monkeypatch.setattr(lint_module, "RACY_SECONDS", 0.0)


@pytest.fixture
def new_files(monkeypatch):
    """Every file modified within the last hour counts as just written (racy)."""
    monkeypatch.setattr(lint_module, "RACY_SECONDS", 3600.0)


@pytest.fixture
def reads(monkeypatch) -> list[Path]:
    """The paths the loader reads (``dxplan.files.disk.read_bytes``, also as ``dxplan.files.load`` names it) in this process, in order."""
    seen: list[Path] = []
    real = disk_module.read_bytes

    def recorded(path, *a, **kw):  # type: ignore[no-untyped-def]
        seen.append(Path(path))
        return real(path, *a, **kw)

    monkeypatch.setattr(disk_module, "read_bytes", recorded)
    monkeypatch.setattr(load_module, "read_bytes", recorded)
    return seen


@pytest.fixture
def parses(monkeypatch) -> list[str]:
    """The texts the safe reader parses in this process."""
    seen: list[str] = []
    real = load_module.parse
    monkeypatch.setattr(load_module, "parse", lambda text, *a, **kw: seen.append(text) or real(text, *a, **kw))
    return seen


def _stats(cache: Path) -> dict[str, bytes | None]:
    """The stored stat signature of every plan, by plan folder."""
    result_cache.flush()
    with sqlite3.connect(_db(cache)) as conn:
        return dict(conn.execute("SELECT root, stat FROM plans"))


def _files(root: Path) -> list[Path]:
    return [root / "plan.yaml", *sorted((root / "actions").glob("*.yaml"))]


def test_warm_run_reads_no_file_when_the_stat_data_are_unchanged(cache, kama, old_files, reads, parses):
    cold = lint_paths([kama])
    assert len(reads) == 51 and len(parses) == 51  # plan.yaml and 50 actions, each read and parsed once
    (signature,) = _stats(cache).values()
    assert signature is not None and len(signature) == 16
    reads.clear(), parses.clear()
    result_cache.reset()  # from the database, not this process's memory
    warm = lint_paths([kama])
    assert reads == [] and parses == []
    assert _rows(warm) == _rows(cold) and (warm.files, warm.plans) == (51, 1)
    assert warm.warnings == 12 and warm.errors == 0


def test_just_written_files_get_no_stat_entry_until_they_age(cache, kama, new_files, reads, parses, monkeypatch):
    truth = lint_paths([kama])
    assert _stats(cache) == {str(kama.absolute()): None}
    reads.clear(), parses.clear()
    result_cache.reset()
    assert _rows(lint_paths([kama])) == _rows(truth)
    assert reads == _files(kama) and parses == []  # read and hashed again (answered by content, not parsed)
    assert _stats(cache) == {str(kama.absolute()): None}
    monkeypatch.setattr(lint_module, "RACY_SECONDS", 0.0)  # the files are old now
    reads.clear()
    assert _rows(lint_paths([kama])) == _rows(truth)
    assert reads == _files(kama) and parses == []  # this run stores the signature...
    assert _stats(cache)[str(kama.absolute())] is not None
    reads.clear()
    result_cache.reset()
    assert _rows(lint_paths([kama])) == _rows(truth)
    assert reads == [] and parses == []  # ...and the next one is answered by it


def test_one_racy_file_keeps_the_plan_off_the_stat_path(cache, kama, old_files, reads):
    future = kama / "actions" / "17.yaml"  # modified "in the future" (a clock ahead): racy however old the margin
    st = future.stat()
    os.utime(future, ns=(st.st_atime_ns, st.st_mtime_ns + 86_400 * 10**9))
    lint_paths([kama])
    assert _stats(cache) == {str(kama.absolute()): None}
    reads.clear()
    lint_paths([kama])
    assert len(reads) == 51


def test_touched_files_are_read_once_then_answered_by_their_new_stat(cache, kama, old_files, reads, parses):
    truth = lint_paths([kama])
    before = _stats(cache)[str(kama.absolute())]
    touched = kama / "actions" / "05.yaml"
    st = touched.stat()
    os.utime(touched, ns=(st.st_atime_ns, st.st_mtime_ns - 10**9))  # same bytes, another modification time
    reads.clear(), parses.clear()
    assert _rows(lint_paths([kama])) == _rows(truth)
    assert len(reads) == 51 and parses == []  # stat differs: read and hashed; content unchanged: not parsed
    after = _stats(cache)[str(kama.absolute())]
    assert after is not None and after != before
    reads.clear()
    result_cache.reset()
    assert _rows(lint_paths([kama])) == _rows(truth) and reads == []


def test_same_size_change_with_the_mtime_restored_is_seen_through_ctime(cache, kama, old_files, reads, parses, monkeypatch):
    before = lint_paths([kama])
    assert "unknown-status" not in {p.rule for p in before.problems}
    action = kama / "actions" / "03.yaml"
    st = action.stat()
    raw = action.read_bytes()
    action.write_bytes(raw.replace(OLD, NEW, 1))
    os.utime(action, ns=(st.st_atime_ns, st.st_mtime_ns))  # what touch -d / cp -p / rsync -t do
    now = action.stat()
    assert (now.st_size, now.st_mtime_ns, now.st_ino, now.st_dev) == (st.st_size, st.st_mtime_ns, st.st_ino, st.st_dev)
    assert now.st_ctime_ns != st.st_ctime_ns  # only the status-change time tells
    reads.clear(), parses.clear()
    result_cache.reset()
    after = lint_paths([kama])
    assert parses == [action.read_text(encoding="utf-8")]  # the changed file, and only it, is parsed again
    assert [(p.path, p.line, p.severity) for p in after.problems if p.rule == "unknown-status"] == [(action, 30, "error")]
    assert _rows(after) == _rows(_uncached([kama], monkeypatch))


def test_an_action_file_added_or_removed_changes_the_result(cache, kama, old_files, reads, monkeypatch):
    before = lint_paths([kama])
    added = kama / "actions" / "51.yaml"
    shutil.copy(kama / "actions" / "03.yaml", added)  # a second action with id 03's id
    after_add = lint_paths([kama])
    assert after_add.files == 52
    dup = [(p.path.name, p.rule) for p in after_add.problems if p.rule == "duplicate-id"]
    assert dup and {name for name, _ in dup} <= {"03.yaml", "51.yaml"}
    assert _rows(after_add) == _rows(_uncached([kama], monkeypatch))
    added.unlink()
    result_cache.reset()
    assert _rows(lint_paths([kama])) == _rows(before)
    removed = kama / "actions" / "38.yaml"
    assert [(p.line, p.column, p.rule) for p in before.problems if p.path == removed] == [(12, 5, "baseline-missing")]
    removed.unlink()
    result_cache.reset()
    reads.clear()
    after_remove = lint_paths([kama])
    assert after_remove.files == 50 and len(reads) == 50
    assert [p for p in after_remove.problems if p.path == removed] == [] and len(after_remove.problems) == len(before.problems) - 1
    assert _rows(after_remove) == _rows(_uncached([kama], monkeypatch))


@pytest.mark.parametrize("jobs", [1, 2])
def test_results_equal_with_and_without_the_cache(cache, tmp_path, old_files, monkeypatch, jobs):
    plans = tmp_path / "plans"
    shutil.copytree(PLANS, plans)
    # workers see ``old_files``'s setting only when forked; a process that has loaded pyarrow (another
    # test in this worker) spawns them, with the real racy window: let the copies age past it
    time.sleep(RACY_REAL + 0.1 if jobs > 1 else 0)
    plain = _uncached([plans], monkeypatch)
    cold = lint_paths([plans], jobs=jobs)
    stats = _stats(cache)
    assert len(stats) == 4 and all(s is not None for s in stats.values())
    result_cache.reset()
    warm = lint_paths([plans], jobs=jobs)
    other = lint_paths([plans], jobs=3 - jobs)
    assert plain.problems and _rows(plain) == _rows(cold) == _rows(warm) == _rows(other)
    assert (plain.files, plain.plans) == (warm.files, warm.plans) == (other.files, 4)


def test_corrupt_entry_found_by_the_stat_path_is_ignored_with_a_warning(cache, kama, old_files, reads, capfd):
    truth = lint_paths([kama])
    result_cache.reset()
    db = _db(cache)
    with sqlite3.connect(db) as conn:
        (blob, signature) = conn.execute("SELECT value, stat FROM plans").fetchone()
        assert signature is not None
        conn.execute("UPDATE plans SET value = ?", (blob[:-40] + bytes(40),))  # same length, other bytes, stat kept
    capfd.readouterr()
    reads.clear()
    assert _rows(lint_paths([kama], jobs=1)) == _rows(truth)
    assert len(reads) == 51  # not trusted: the files were read again
    assert str(db) in capfd.readouterr().err  # the warning names the cache
    result_cache.reset()
    reads.clear()
    assert _rows(lint_paths([kama])) == _rows(truth) and reads == []  # replaced by a sound entry, stat included
    assert capfd.readouterr().err == ""


def test_other_limits_do_not_take_the_stat_path(cache, kama, old_files, monkeypatch, reads):
    anchored = kama / "actions" / "01.yaml"
    anchored.write_text(anchored.read_text(encoding="utf-8") + "x-note: &n {a: 1}\nx-copy: *n\n", encoding="utf-8")
    lint_paths([kama])
    assert _stats(cache)[str(kama.absolute())] is not None
    monkeypatch.setenv("DXPLAN_MAX_ALIAS_NODES", "1")
    result_cache.reset()
    reads.clear()
    tight = lint_paths([kama])
    assert len(reads) >= 51
    assert [(p.path, p.rule) for p in tight.problems if p.rule == "limit-exceeded"] == [(anchored, "limit-exceeded")]
    assert _rows(tight) == _rows(_uncached([kama], monkeypatch))


def test_a_file_over_the_size_limit_gives_no_stat_entry(cache, kama, old_files, monkeypatch, reads):
    monkeypatch.setenv("DXPLAN_MAX_FILE_BYTES", str((kama / "actions" / "01.yaml").stat().st_size - 1))
    first = lint_paths([kama])
    assert "limit-exceeded" in {p.rule for p in first.problems}
    assert _stats(cache) == {}  # a file not read as bytes: no content key, no stat key
    reads.clear()
    assert _rows(lint_paths([kama])) == _rows(first) and len(reads) >= 51


def test_a_file_name_that_is_not_utf8_is_linted_and_then_answered_by_stat(cache, kama, old_files, reads):
    odd = Path(os.fsdecode(bytes(kama / "actions") + b"/\xff.yaml"))
    try:
        odd.write_text("id: x\n", encoding="utf-8")
    except OSError:
        pytest.skip("this filesystem refuses names that are not UTF-8")
    first = lint_paths([kama])
    assert [(p.path, p.line, p.severity, p.rule) for p in first.problems if p.path == odd] == [(odd, 1, "error", "missing-field")]
    reads.clear()
    result_cache.reset()
    assert _rows(lint_paths([kama])) == _rows(first) and reads == []


def test_the_layout_is_part_of_the_database_name(cache, monkeypatch):
    """A database of the layout before the stat column (FORMAT 2) is another file: never opened with the new layout."""
    from dxplan.files import cache_place

    current = result_cache.database_path()
    monkeypatch.setattr(cache_place, "FORMAT", "2")
    older = result_cache.database_path()
    assert older.parent == current.parent and older.name != current.name


_CLI = """
import sys
from dxplan.lint import engine as lint
lint.RACY_SECONDS = 0.0  # the files this test wrote count as old
from dxplan.cli import app
app(sys.argv[1:], prog_name="dxplan")
"""


def test_real_dxplan_lint_processes_answer_by_stat_and_see_a_same_size_change(cache, tmp_path):
    plans = tmp_path / "plans"
    shutil.copytree(PLANS, plans)
    env = {**os.environ, "DXPLAN_CACHE_DIR": str(cache), "DXPLAN_JOBS": "2"}
    env.pop("DXPLAN_NO_CACHE", None)

    def run(*extra: str, **more: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-c", _CLI, "lint", "--lang", "en", *extra, str(plans)], env={**env, **more}, capture_output=True, text=True, timeout=300)

    plain = run(DXPLAN_NO_CACHE="1")
    cold, warm = run(), run()
    assert cold.returncode == warm.returncode == plain.returncode == 0
    assert cold.stdout == warm.stdout == plain.stdout and "warning" in plain.stdout
    stats = _stats(cache)
    assert len(stats) == 4 and all(s is not None for s in stats.values())
    action = plans / "kama" / "actions" / "03.yaml"
    st = action.stat()
    action.write_bytes(action.read_bytes().replace(OLD, NEW, 1))
    os.utime(action, ns=(st.st_atime_ns, st.st_mtime_ns))
    changed = run()
    assert changed.returncode == 1
    # the path as dxplan shows it (relative to the working folder when that is shorter)
    assert "plans/kama/actions/03.yaml:30:" in changed.stdout and "unknown-status" in changed.stdout
    assert changed.stdout == run(DXPLAN_NO_CACHE="1").stdout
    others = {root: s for root, s in _stats(cache).items() if not root.endswith("kama")}
    assert others == {root: s for root, s in stats.items() if not root.endswith("kama")}  # the other plans' entries untouched


def test_yaml_names_are_judged_like_is_yaml(tmp_path):
    names = ["a.yaml", "b.yml", ".yaml", ".yml", "..yaml", "c..yaml", "d.YAML", "e.yaml.bak", "f.yaml~", "yaml", "g.json", "h.yml"]
    assert [n for n in names if planfiles._yaml_name(n)] == [n for n in names if planfiles.is_yaml(n)] == ["a.yaml", "b.yml", "..yaml", "c..yaml", "h.yml"]
    actions = tmp_path / "p" / "actions"
    actions.mkdir(parents=True)
    for n in names:
        (actions / n).write_text("x", encoding="utf-8")
    (actions / "0.yaml").mkdir()
    assert [p.name for p in planfiles.action_files(tmp_path / "p", strict=True)] == ["..yaml", "0.yaml", "a.yaml", "b.yml", "c..yaml", "h.yml"]
    assert [p.name for p in planfiles.action_files(tmp_path / "p")] == ["..yaml", "a.yaml", "b.yml", "c..yaml", "h.yml"]
    assert all(p.parent == actions for p in planfiles.action_files(tmp_path / "p"))
