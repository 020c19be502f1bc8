"""All files of one import written together or none: the journal of :mod:`dxplan.files.transaction`.

A many-file ``dxplan import`` is run as a subprocess and killed with SIGKILL at seeded random
moments; afterwards, and after one dxplan run that recovers, the plan's action files are all
old or all new (hashed as a set) and no temporary or journal file is left. The journal's states
are also laid out by hand, as a killed writer leaves them, and recovered.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import PLANS, ROOT
from dxplan.cli import app
from dxplan.files.transaction import JOURNAL, TransactionBusy, commit_files, recover


def run(*args: object) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, [str(a) for a in args])
    return result.exit_code, result.stdout, result.stderr


def set_hash(plan: Path) -> str:
    """One hash of every action file's path and bytes."""
    h = hashlib.sha256()
    for p in sorted((plan / "actions").glob("*.yaml")):
        h.update(p.name.encode() + b"\0" + p.read_bytes() + b"\0")
    return h.hexdigest()


def leftovers(plan: Path) -> list[str]:
    """Journal, staged and temporary files anywhere in the plan folder."""
    return sorted(str(p.relative_to(plan)) for p in plan.rglob("*") if JOURNAL in p.name or ".dxplan-" in p.name)


def many_file_sheet(plan: Path, sheet: Path) -> int:
    """A CSV export of the whole plan with the first task row of every action given a new result; returns how many rows changed."""
    code, out, err = run("export", plan, "-f", "csv")
    assert code == 0, err
    rows = list(csv.reader(io.StringIO(out.lstrip("\ufeff"), newline="")))
    seen: set[str] = set()
    for row in rows[1:]:
        action = row[0].split("#", 1)[0]
        if "#" in row[0] and action not in seen:
            seen.add(action)
            row[9] = f"{row[9]} (追記 {len(seen)})"
    with sheet.open("w", encoding="utf-8-sig", newline="") as f:
        csv.writer(f, lineterminator="\r\n").writerows(rows)
    return len(seen)


def test_import_killed_at_random_moments_leaves_all_old_or_all_new(tmp_path):
    pristine = tmp_path / "pristine"
    shutil.copytree(PLANS / "kama", pristine)
    sheet = tmp_path / "all.csv"
    changed = many_file_sheet(pristine, sheet)
    assert changed == 50
    old = set_hash(pristine)
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "DXPLAN_NO_CACHE": "1"}
    command = [sys.executable, "-m", "dxplan", "import", "--lang", "en", str(sheet)]

    reference = tmp_path / "reference"
    shutil.copytree(pristine, reference)
    start = time.monotonic()
    done = subprocess.run([*command, str(reference)], env=env, capture_output=True, text=True)
    span = time.monotonic() - start
    assert done.returncode == 0, done.stderr
    assert "changed in 50 file(s)" in done.stdout, done.stdout
    new = set_hash(reference)
    assert new != old

    rng = random.Random(21)
    outcomes = {"old": 0, "new": 0}
    interrupted = 0
    for trial in range(20):
        work = tmp_path / f"trial{trial}"
        shutil.copytree(pristine, work)
        proc = subprocess.Popen([*command, str(work)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.3 * span, 1.1 * span))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        interrupted += bool(leftovers(work))  # killed while writing: the next run finishes or undoes it
        if trial < 3:  # any command that loads the plan recovers it (shown three times; then recover() alone, cheaper)
            code, _, err = run("status", work)
            assert code == 0, err
        else:
            recover(work)
        state = set_hash(work)
        assert state in (old, new), f"trial {trial}: the action files are neither all old nor all new"
        assert leftovers(work) == [], f"trial {trial}: {leftovers(work)}"
        outcomes["old" if state == old else "new"] += 1
        shutil.rmtree(work)
    assert sum(outcomes.values()) == 20
    print(f"import killed 20 times: {outcomes}, {interrupted} while writing")


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, list[Path]]:
    root = tmp_path / "plan"
    (root / "actions").mkdir(parents=True)
    paths = [root / "actions" / f"{i:02}.yaml" for i in range(1, 5)]
    for p in paths:
        p.write_text(f"old {p.name}\n", encoding="utf-8")
    return root, paths


def _staged(root: Path, paths: list[Path], pid: int, state: str, written: int) -> None:
    """Lay out what a writer with ``pid`` killed in ``state`` leaves: a journal and ``written`` staged files."""
    pairs = [(p, p.parent / f".{p.name}.dxplan-txn-{pid}-0000.new") for p in paths]
    for target, staged in pairs[:written]:
        staged.write_text(f"new {target.name}\n", encoding="utf-8")
    journal = {"dxplan_transaction": 1, "pid": pid, "state": state,
               "files": [{"target": os.path.relpath(t, root), "staged": os.path.relpath(s, root)} for t, s in pairs]}
    (root / JOURNAL).write_text(json.dumps(journal), encoding="utf-8")


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_staging_journal_is_rolled_back(files):
    root, paths = files
    _staged(root, paths, _dead_pid(), "staging", written=2)
    assert recover(root) == "rolled back"
    assert [p.read_text(encoding="utf-8") for p in paths] == [f"old {p.name}\n" for p in paths]
    assert leftovers(root) == []


def test_commit_journal_is_rolled_forward_even_half_renamed(files):
    root, paths = files
    pid = _dead_pid()
    _staged(root, paths, pid, "commit", written=4)
    os.replace(paths[0].parent / f".{paths[0].name}.dxplan-txn-{pid}-0000.new", paths[0])  # renamed before the kill
    assert recover(root) == "rolled forward"
    assert [p.read_text(encoding="utf-8") for p in paths] == [f"new {p.name}\n" for p in paths]
    assert leftovers(root) == []


def test_a_live_writer_s_journal_is_left_alone_and_stops_a_second_writer(files):
    root, paths = files
    _staged(root, paths, os.getppid(), "staging", written=1)
    assert recover(root) == "busy"
    with pytest.raises(TransactionBusy):
        commit_files(root, [(p, "other\n") for p in paths])
    assert [p.read_text(encoding="utf-8") for p in paths] == [f"old {p.name}\n" for p in paths]


def test_commit_files_writes_every_file_keeps_modes_and_leaves_nothing(files):
    root, paths = files
    paths[1].chmod(0o640)
    commit_files(root, [(p, f"new {p.name}\n") for p in paths])
    assert [p.read_text(encoding="utf-8") for p in paths] == [f"new {p.name}\n" for p in paths]
    assert paths[1].stat().st_mode & 0o777 == 0o640
    assert leftovers(root) == []
    assert recover(root) is None


def test_a_failed_stage_writes_nothing(files):
    root, paths = files
    missing = root / "gone" / "x.yaml"  # its staged file cannot be created: the folder is not there
    with pytest.raises(FileNotFoundError):
        commit_files(root, [*((p, "new\n") for p in paths), (missing, "new x\n")])
    assert [p.read_text(encoding="utf-8") for p in paths] == [f"old {p.name}\n" for p in paths]
    assert leftovers(root) == []


CHILD = """
import sys
from pathlib import Path
from dxplan.files.transaction import commit_files
root = Path(sys.argv[1])
paths = sorted((root / "actions").glob("*.yaml"))
commit_files(root, [(p, ("new " + p.name + "\\n") * 2000) for p in paths])
"""


def test_commit_files_killed_at_random_moments_of_its_own_span(tmp_path):
    """The write phase alone, long enough (200 files) that the kills land inside it: all old or all new after recover."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}

    def fresh(root: Path) -> None:
        (root / "actions").mkdir(parents=True)
        for i in range(200):
            (root / "actions" / f"{i:03}.yaml").write_text(f"old {i:03}.yaml\n", encoding="utf-8")

    reference = tmp_path / "reference"
    fresh(reference)
    old = set_hash(reference)
    start = time.monotonic()
    subprocess.run([sys.executable, "-c", CHILD, str(reference)], env=env, check=True)
    span = time.monotonic() - start
    new = set_hash(reference)
    assert new != old and leftovers(reference) == []
    rng = random.Random(2121)
    outcomes = {"old": 0, "new": 0, "recovered": 0}
    for trial in range(20):
        work = tmp_path / f"trial{trial}"
        fresh(work)
        proc = subprocess.Popen([sys.executable, "-c", CHILD, str(work)], env=env)
        time.sleep(rng.uniform(0.5 * span, 1.0 * span))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        outcomes["recovered"] += recover(work) is not None
        state = set_hash(work)
        assert state in (old, new), f"trial {trial}: neither all old nor all new"
        assert leftovers(work) == [], f"trial {trial}: {leftovers(work)}"
        outcomes["old" if state == old else "new"] += 1
        shutil.rmtree(work)
    print(f"commit_files killed 20 times: {outcomes}")


def test_a_committed_journal_in_a_folder_that_cannot_be_written_is_read_as_the_import_left_it(tmp_path, monkeypatch):
    """A read-only folder (here: every rename refused with EROFS, as a read-only mount does, since
    the tests run as root) keeps the journal; a load reads the staged files instead of the half-renamed
    targets and says so; the next run that may write finishes the import."""
    import errno

    from dxplan.files.load import load_plan

    plan = tmp_path / "kurate"
    shutil.copytree(PLANS / "kurate", plan)
    paths = sorted((plan / "actions").glob("*.yaml"))[:3]
    pid = _dead_pid()
    pairs = [(p, p.parent / f".{p.name}.dxplan-txn-{pid}-0000.new") for p in paths]
    new_titles = {}
    for target, staged in pairs:
        text = target.read_text(encoding="utf-8")
        title = next(line for line in text.splitlines() if line.startswith("title: "))[7:]
        new_titles[target.stem] = f"{title}（改）"
        staged.write_text(text.replace(f"title: {title}\n", f"title: {title}（改）\n"), encoding="utf-8")
    journal = {"dxplan_transaction": 1, "pid": pid, "state": "commit",
               "files": [{"target": os.path.relpath(t, plan), "staged": os.path.relpath(s, plan)} for t, s in pairs]}
    (plan / JOURNAL).write_text(json.dumps(journal), encoding="utf-8")
    os.replace(pairs[0][1], pairs[0][0])  # the first rename happened before the kill
    before = set_hash(plan)

    real_replace = os.replace

    def read_only(src, dst, *a, **kw):
        if Path(dst).parent in {plan, plan / "actions"}:
            raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(dst))
        return real_replace(src, dst, *a, **kw)

    monkeypatch.setattr(os, "replace", read_only)
    assert recover(plan) == "unfinished"
    loaded = load_plan(plan)
    titles = {a.action.id: a.action.title for a in loaded.actions}
    assert {k: titles[k] for k in new_titles} == new_titles  # all three new, not one new and two old
    [warning] = [p for p in loaded.problems if p.rule == "unfinished-import"]
    assert (warning.path.name, warning.line, warning.severity) == (JOURNAL, 1, "warning")
    assert "2 file(s)" in warning.message("en")  # two staged files still stand for their targets
    from dxplan.lint.engine import lint_paths

    linted = lint_paths([plan], jobs=1)  # lint, whose results are cached, reads it the same way
    assert [(p.path.name, p.rule) for p in linted.problems if p.rule == "unfinished-import"] == [(JOURNAL, "unfinished-import")]
    assert set_hash(plan) == before and (plan / JOURNAL).exists()  # nothing on disk changed

    monkeypatch.setattr(os, "replace", real_replace)  # write permission back: the next load finishes it
    loaded = load_plan(plan)
    assert {a.action.id: a.action.title for a in loaded.actions if a.action.id in new_titles} == new_titles
    assert not [p for p in loaded.problems if p.rule == "unfinished-import"]
    assert leftovers(plan) == []
