"""``dxplan status PATH…`` answered from the results cache before typer is imported (``dxplan.cli.quick``).

Each command line runs as a user runs it (``python -m dxplan``, which tries the quick answer) and
through typer alone (``from dxplan.cli import app; app()``, the full command), and the two must
print the same stdout and stderr with the same exit code — also the same as a run with the cache
off, which loads every file. ``-X importtime`` shows whether the quick answer was taken (typer not
imported). After an edit of a plan file the answer is the new one, never the cached one.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from dxplan.cli.quick import OUTCOME_CLASS, RENDERED_CLASS, STATUS_TABLE_VIEW, status_form, status_table_args

from conftest import PLANS

ROOT = Path(__file__).resolve().parents[1]
KAMA, KASHIMA = str(PLANS / "kama"), str(PLANS / "kashima")

MAIN = [sys.executable, "-X", "importtime", "-m", "dxplan"]
TYPER = [sys.executable, "-c", "import sys; sys.argv[0] = 'dxplan'; from dxplan.cli import app; app()"]

#: What the tests' environment may carry that changes the output; each test sets what it wants.
_DROPPED = ("DXPLAN_LANG", "COLUMNS", "LINES", "FORCE_COLOR", "NO_COLOR", "TERMINAL_WIDTH", "DXPLAN_NO_CACHE", "TTY_COMPATIBLE", "PY_COLORS")


def _env(cache: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in _DROPPED}
    env["PYTHONPATH"] = str(ROOT / "src") + os.pathsep + env.get("PYTHONPATH", "")
    return {**env, "DXPLAN_CACHE_DIR": str(cache), **extra}


def _run(cmd: list[str], args: list[str], env: dict[str, str]) -> tuple[tuple[int, str, str], bool]:
    """((exit code, stdout, stderr without importtime's lines), whether typer was imported)."""
    proc = subprocess.run([*cmd, *args], capture_output=True, text=True, env=env, cwd=ROOT)
    lines = proc.stderr.splitlines(keepends=True)
    timed = [line for line in lines if line.startswith("import time:")]
    typer = any(line.rsplit("|", 1)[1].strip().split(".")[0] == "typer" for line in timed if "|" in line)
    return (proc.returncode, proc.stdout, "".join(line for line in lines if not line.startswith("import time:"))), typer


def _both_ways(args: list[str], cache: Path, **extra: str) -> tuple[int, str, str]:
    """The output of ``args`` with the cache off (every file loaded), then with it cold, then warm: the warm run is
    answered without typer, and all of them, and typer's own warm run, are the same. Returns that output."""
    computed, _ = _run(TYPER, args, _env(cache, DXPLAN_NO_CACHE="1", **extra))
    cold, _ = _run(MAIN, args, _env(cache, **extra))
    warm, typer = _run(MAIN, args, _env(cache, **extra))
    typer_warm, _ = _run(TYPER, args, _env(cache, **extra))
    assert not typer, "the warm run was to be answered before typer"
    assert cold == computed
    assert warm == computed
    assert typer_warm == computed
    return warm


@pytest.mark.parametrize(("args", "heading"), [
    (["status", KAMA], "進捗状況"),
    (["--lang", "en", "status", KAMA], "status (task rows)"),
    (["status", KAMA, "--lang", "en"], "status (task rows)"),
    (["status", "--lang=en", KAMA], "status (task rows)"),
    (["--lang=en", "status", KAMA, "--lang", "ja"], "進捗状況"),  # the command's --lang wins
    (["status", KAMA, KASHIMA], "鹿島市"),  # two plans and the combined view
    (["status", "plans"], "飯塚市"),  # a folder of plans
], ids=["plain", "root-lang", "command-lang", "lang=", "both-langs", "two-plans", "folder"])
def test_each_simple_form_prints_what_typer_prints(tmp_path, args, heading):
    code, out, err = _both_ways(args, tmp_path / "cache")
    assert code == 0 and err == ""
    assert heading in out


@pytest.mark.parametrize("env", [
    {"COLUMNS": "60"}, {"DXPLAN_LANG": "en"}, {"FORCE_COLOR": "1", "COLUMNS": "100"}, {"FORCE_COLOR": "1", "NO_COLOR": "1"},
], ids=["narrow", "english", "colour", "no-colour"])
def test_the_terminal_and_language_settings_are_those_of_typers_run(tmp_path, env):
    code, out, _ = _both_ways(["status", KAMA], tmp_path / "cache", **env)
    assert code == 0
    assert ("\x1b[" in out) == ("FORCE_COLOR" in env)  # styles (bold, italic) also under NO_COLOR, which drops colours only
    if "COLUMNS" in env:
        assert max(len(line) for line in out.splitlines() if "\x1b" not in line) <= int(env["COLUMNS"])


def test_another_width_is_not_answered_by_the_entry_of_the_first(tmp_path):
    cache = tmp_path / "cache"
    wide = _both_ways(["status", KAMA], cache, COLUMNS="120")
    narrow = _both_ways(["status", KAMA], cache, COLUMNS="70")
    assert wide != narrow


def _state_counts(out: str) -> list[str]:
    return [line for line in out.splitlines() if "検討中" in line or "進捗中" in line][:2]


def test_an_edited_plan_is_answered_anew(tmp_path):
    plan = tmp_path / "kama"
    shutil.copytree(KAMA, plan)
    cache = tmp_path / "cache"
    before = _both_ways(["status", str(plan)], cache)
    action = next(p for p in sorted((plan / "actions").glob("*.yaml")) if "status: 進捗中" in p.read_text(encoding="utf-8"))
    st = action.stat()
    action.write_bytes(action.read_bytes().replace("status: 進捗中".encode(), "status: 検討中".encode(), 1))  # the same size
    os.utime(action, ns=(st.st_atime_ns, st.st_mtime_ns))  # and the same modification time
    after = _both_ways(["status", str(plan)], cache)
    assert after != before
    assert _state_counts(after[1]) != _state_counts(before[1])


@pytest.mark.parametrize("args", [
    ["status", KAMA, "--year", "R6"], ["status", KAMA, "-f", "json"], ["status", "--lang", "xx", KAMA], ["status", str(ROOT / "nowhere")],
    ["status", KAMA, "-q"], ["status"],
], ids=["year", "json", "bad-lang", "no-such-path", "quiet", "no-path"])
def test_other_forms_go_to_typer_with_the_same_output(tmp_path, args):
    cache = tmp_path / "cache"
    _run(MAIN, args, _env(cache))  # fills the cache where the command does
    main, typer = _run(MAIN, args, _env(cache))
    assert typer
    assert main == _run(TYPER, args, _env(cache))[0]


def test_a_plan_with_load_errors_goes_to_typer_which_reports_them(tmp_path):
    plan = tmp_path / "kama"
    shutil.copytree(KAMA, plan)
    (plan / "actions" / "99.yaml").write_text("id: [unclosed\n", encoding="utf-8")
    cache = tmp_path / "cache"
    _run(MAIN, ["status", str(plan)], _env(cache))
    main, typer = _run(MAIN, ["status", str(plan)], _env(cache))
    assert typer and main[0] == 1 and "99.yaml" in main[2]
    assert main == _run(TYPER, ["status", str(plan)], _env(cache))[0]


def test_a_corrupt_entry_is_reported_once_as_typer_reports_it(tmp_path):
    cache = tmp_path / "cache"
    _run(MAIN, ["status", KAMA], _env(cache))
    (db,) = cache.glob("results-*.sqlite3")
    with sqlite3.connect(db) as conn:
        (value,) = conn.execute("SELECT value FROM views WHERE view = ?", (STATUS_TABLE_VIEW,)).fetchone()
        conn.execute("UPDATE views SET value = ? WHERE view = ?", (value[:-1] + bytes([value[-1] ^ 1]), STATUS_TABLE_VIEW))
    other = tmp_path / "other"
    shutil.copytree(cache, other)
    main, typer = _run(MAIN, ["status", KAMA], _env(cache))
    assert typer  # the quick answer gave up, changing nothing
    code, out, err = _run(TYPER, ["status", KAMA], _env(other))[0]
    assert main == (code, out, err.replace(str(other), str(cache)))  # the warning names the database
    assert main[0] == 0 and main[2].count("dxplan: ") == 1 and "results cache" not in main[1]


def test_the_view_and_classes_named_are_those_status_stores():
    from dxplan.cli.show import RenderedPlan, _status_table_of
    from dxplan.files.pool import PlanOutcome

    assert f"{_status_table_of.__module__}.{_status_table_of.__qualname__}" == STATUS_TABLE_VIEW
    assert f"{PlanOutcome.__module__}:{PlanOutcome.__qualname__}" == OUTCOME_CLASS
    assert f"{RenderedPlan.__module__}:{RenderedPlan.__qualname__}" == RENDERED_CLASS
    assert status_table_args("en", (80, None, False, False)) == (None, None, None, "en", (80, None, False, False))


@pytest.mark.parametrize(("argv", "form"), [
    (["status", "a"], (["a"], None)),
    (["status", "a", "b"], (["a", "b"], None)),
    (["--lang", "en", "status", "a"], (["a"], "en")),
    (["--lang=ja", "status", "a", "--lang", "en", "b"], (["a", "b"], "en")),
    (["status", "--lang=en", "a"], (["a"], "en")),
    (["status"], None),  # the current folder: typer's run decides
    (["status", "a", "--lang", "xx"], None),
    (["status", "a", "--lang"], None),
    (["status", "a", "--lang", "en", "--lang", "ja"], None),  # the last one wins in click: left to it
    (["--lang", "en", "--lang", "ja", "status", "a"], None),
    (["status", "-"], None), (["status", ""], None), (["status", "--", "a"], None),
    (["status", "a", "-q"], None), (["status", "a", "--help"], None), (["score", "a"], None),
    (["--version", "status", "a"], None), (["Status", "a"], None),
])
def test_the_simple_forms(argv, form):
    assert status_form(argv) == form


def test_the_lookup_by_stat_misses_after_a_same_size_edit(tmp_path, cache, monkeypatch):
    """The stat path itself (the subprocess tests above meet files too new for it): a file rewritten with the same
    size and modification time is not answered from the entry stored by stat."""
    from dxplan.cli.quick import _rendered
    from dxplan.files import plan_key
    from dxplan.files.pool import map_plans
    from dxplan.files.views import Found, Missed, find_view
    from dxplan.cli.show import _status_table_of

    monkeypatch.setattr(plan_key, "RACY_SECONDS", 0.0)  # every file written before the lookup counts as old
    plan = tmp_path / "kama"
    shutil.copytree(KAMA, plan)
    args = status_table_args("ja", (120, None, False, False))
    (outcome,) = map_plans(_status_table_of, [plan], args, jobs=1, view=STATUS_TABLE_VIEW)
    reads: list[Path] = []
    from dxplan.files import disk

    real = disk.read_bytes
    monkeypatch.setattr(disk, "read_bytes", lambda path, *a, **kw: reads.append(path) or real(path, *a, **kw))
    found = find_view(plan, STATUS_TABLE_VIEW, args, _rendered)
    assert isinstance(found, Found) and found.value[0] == outcome.value.text
    assert reads == []  # answered by stat: no file read
    action = next(p for p in sorted((plan / "actions").glob("*.yaml")) if "status: 進捗中" in p.read_text(encoding="utf-8"))
    st = action.stat()
    action.write_bytes(action.read_bytes().replace("status: 進捗中".encode(), "status: 検討中".encode(), 1))
    os.utime(action, ns=(st.st_atime_ns, st.st_mtime_ns))
    missed = find_view(plan, STATUS_TABLE_VIEW, args, _rendered)
    assert isinstance(missed, Missed) and missed.key is not None
    assert len(reads) == 51  # read and hashed: the content differs, nothing stored for it


def test_a_reader_that_stopped_early_gets_exit_0(tmp_path):
    cache = tmp_path / "cache"
    _both_ways(["status", KAMA], cache)
    read, write = os.pipe()
    os.close(read)  # `| head -1` gone before the tables are written
    try:
        proc = subprocess.run([sys.executable, "-m", "dxplan", "status", KAMA], stdout=write, stderr=subprocess.PIPE, env=_env(cache), cwd=ROOT)
    finally:
        os.close(write)
    assert (proc.returncode, proc.stderr) == (0, b"")


def _stdout_on_a_terminal(cmd: list[str], args: list[str], env: dict[str, str]) -> tuple[int, bytes]:
    """Run with stdout on a pseudo-terminal (stderr a file, read by :func:`_typer_in`): exit code and what the terminal received."""
    from pty_read import run_on_terminal

    with open(env["DXPLAN_CACHE_DIR"] + ".stderr", "wb") as err:
        return run_on_terminal([*cmd, *args], env, ROOT, stderr=err)


def test_on_a_terminal_the_quick_answer_is_typers(tmp_path):
    cache = tmp_path / "cache"
    env = _env(cache, TERM="xterm-256color", COLUMNS="90")
    computed = _stdout_on_a_terminal(TYPER, ["status", KAMA], {**env, "DXPLAN_NO_CACHE": "1"})
    cold = _stdout_on_a_terminal(MAIN, ["status", KAMA], env)
    assert _typer_in(cache)
    warm = _stdout_on_a_terminal(MAIN, ["status", KAMA], env)
    assert not _typer_in(cache)  # answered before typer
    assert computed[0] == 0 and b"\x1b[" in computed[1]  # coloured: a terminal
    assert cold == computed and warm == computed


def _typer_in(cache: Path) -> bool:
    """Whether the last :func:`_stdout_on_a_terminal` run with ``cache`` imported typer (its ``-X importtime`` lines)."""
    lines = Path(f"{cache}.stderr").read_text(encoding="utf-8").splitlines()
    return any(line.rsplit("|", 1)[1].strip().split(".")[0] == "typer" for line in lines if line.startswith("import time:") and "|" in line)
