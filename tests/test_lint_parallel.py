"""Lint gives the same problems, in the same order, with the same exit code: with or without the
results cache, with one worker or several, and as the round-trip (ruamel.yaml) reading gives them."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from dxplan.files import result_cache
from dxplan.lint.engine import lint_paths, lint_plan
from dxplan.files.load import load_plan
from dxplan.files.layout import discover

from conftest import PLANS, ROOT

DXPLAN = Path(sys.executable).with_name("dxplan")


def _rows(problems) -> list[tuple]:
    return [(str(p.path), p.line, p.column, p.severity, p.rule, p.message_ja, p.message_en) for p in problems]


def _round_trip_reference(paths: list[Path]) -> list[tuple]:
    """Every plan loaded the slow, reference way (round-trip parser for every file), sorted as lint sorts."""
    problems = []
    for root, only in discover(paths):
        problems += lint_plan(load_plan(root, only, positions=True), only)
    return _rows(sorted(problems, key=lambda p: (str(p.path), p.line, p.column, p.rule)))


@pytest.fixture(scope="module")
def error_corpus(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("corpus") / "plans"
    subprocess.run(
        [sys.executable, str(ROOT / "bench" / "corpus.py"), str(out), "--plans", "9", "--seed", "4", "--error-rate", "0.08"],
        check=True, capture_output=True,
    )
    return out


def _every_way(paths: list[Path], monkeypatch, **kw) -> dict[str, list[tuple]]:
    """lint_paths without the cache (1 and 2 workers), then with a cold and a warm cache (2 and 1 workers)."""
    out = {}
    monkeypatch.setenv("DXPLAN_NO_CACHE", "1")
    result_cache.reset()
    out["no cache, 1 worker"] = lint_paths(paths, jobs=1, **kw)
    out["no cache, 2 workers"] = lint_paths(paths, jobs=2, **kw)
    monkeypatch.delenv("DXPLAN_NO_CACHE")
    result_cache.reset()
    out["cold cache, 2 workers"] = lint_paths(paths, jobs=2, **kw)
    out["warm cache, 1 worker"] = lint_paths(paths, jobs=1, **kw)
    out["warm cache, 2 workers"] = lint_paths(paths, jobs=2, **kw)
    files = {r.files for r in out.values()}
    assert len(files) == 1, files
    return {k: _rows(r.problems) for k, r in out.items()}


def test_bundled_plans_every_way(cache, monkeypatch):
    ways = _every_way([PLANS], monkeypatch)
    reference = _round_trip_reference([PLANS])
    assert reference  # the bundled plans have warnings
    for name, rows in ways.items():
        assert rows == reference, name


def test_generated_corpus_with_errors_every_way(cache, monkeypatch, error_corpus):
    ways = _every_way([error_corpus], monkeypatch)
    reference = _round_trip_reference([error_corpus])
    rules = {r[4] for r in reference if r[3] == "error"}
    assert {"unknown-status", "unknown-key", "wrong-type", "invalid-fiscal-year", "yaml-syntax"} <= rules
    for name, rows in ways.items():
        assert rows == reference, name


def test_some_files_of_a_corpus_every_way(cache, monkeypatch, error_corpus):
    """Linting named files reports only those (and plan.yaml), from the same cached plan results."""
    files = sorted(error_corpus.glob("000[12]-*/actions/0[1-4].yaml")) + [error_corpus / "0003-iizuka"]
    ways = _every_way(files, monkeypatch)
    reference = _round_trip_reference(files)
    assert reference
    for name, rows in ways.items():
        assert rows == reference, name


def _cli(args: list[str], cache_dir: Path, **env) -> tuple[int, str]:
    proc = subprocess.run(
        [str(DXPLAN), "lint", "--lang", "en", *args],
        capture_output=True, text=True, env={**os.environ, "DXPLAN_CACHE_DIR": str(cache_dir), "GITHUB_ACTIONS": "", **env},
    )
    assert proc.stderr == ""
    return proc.returncode, proc.stdout


def test_cli_output_and_exit_code_do_not_depend_on_workers_or_cache(tmp_path, error_corpus):
    runs = {
        "1 worker, no cache": _cli(["-j", "1", str(error_corpus)], tmp_path / "c1", DXPLAN_NO_CACHE="1"),
        "2 workers, cold": _cli(["-j", "2", str(error_corpus)], tmp_path / "c2"),
        "2 workers, warm": _cli(["-j", "2", str(error_corpus)], tmp_path / "c2"),
        "default workers, warm": _cli([str(error_corpus)], tmp_path / "c2"),
        "DXPLAN_JOBS=1, warm": _cli([str(error_corpus)], tmp_path / "c2", DXPLAN_JOBS="1"),
    }
    first = runs["1 worker, no cache"]
    assert first[0] == 1 and "error" in first[1]
    for name, run in runs.items():
        assert run == first, name
    clean = {name: _cli(["-j", j, str(PLANS)], tmp_path / "c3") for name, j in (("1", "1"), ("2", "2"), ("2 again", "2"))}
    assert {run for run in clean.values()} == {clean["1"]} and clean["1"][0] == 0


def _status(args: list[str], cache_dir: Path, command: str = "status", **env: str) -> tuple[int, str, str]:
    proc = subprocess.run(
        [str(DXPLAN), command, *args],
        capture_output=True, text=True,
        env={**os.environ, "DXPLAN_CACHE_DIR": str(cache_dir), "DXPLAN_LANG": "en", "GITHUB_ACTIONS": "", "COLUMNS": "120", **env},
    )
    return proc.returncode, proc.stdout, proc.stderr


@pytest.mark.parametrize("command, form", [
    ("status", ["-f", "json"]), ("status", ["--by", "department"]), ("status", ["-f", "markdown"]),
    ("score", []), ("score", ["-f", "json"]), ("score", ["--explain"]),
])
def test_status_and_score_do_not_depend_on_workers_or_cache(tmp_path, error_corpus, command, form):
    """status and score load plans in workers; stdout, stderr (load errors, in plan order) and exit code stay those of one worker."""
    args = [*form, str(error_corpus)]
    first = _status(["-j", "1", *args], tmp_path / "c1", command, DXPLAN_NO_CACHE="1")
    code, out, err = first
    assert code == 1 and "problem(s) in" in err and all(f"{k:04d}" in out for k in range(1, 10))  # every plan shown (its id or title)
    folders = re.findall(r"(\d{4}-[a-z]+)/actions/", err)
    assert len(set(folders)) >= 3 and folders == sorted(folders)  # load errors of several plans, in the plans' order
    for name, run in {
        "2 workers, cold": _status(["-j", "2", *args], tmp_path / "c2", command),
        "2 workers, warm": _status(["-j", "2", *args], tmp_path / "c2", command),
        "DXPLAN_JOBS=2, warm": _status(args, tmp_path / "c2", command, DXPLAN_JOBS="2"),
    }.items():
        assert run == first, name


def test_status_year_outside_a_plan_fails_at_that_plan_with_any_workers(tmp_path):
    runs = [_status(["-j", j, "--year", "R6", str(PLANS)], tmp_path / "c") for j in ("1", "2")]
    assert runs[0] == runs[1]
    code, out, err = runs[0]
    assert code == 2 and out == "" and "kurate" in err and "2026–2028" in err
    assert _status(["-j", "0", str(PLANS)], tmp_path / "c")[:2] == (2, "")
    assert _status(["-j", "0", str(PLANS)], tmp_path / "c", "score")[:2] == (2, "")


def test_score_action_missing_from_every_plan_with_any_workers(tmp_path):
    one = _status(["-j", "1", "--action", "001", str(PLANS / "kama")], tmp_path / "c", "score")
    assert one[0] == 0 and "デジタル技術の啓発" in one[1] and sum(line.startswith("│") for line in one[1].splitlines()) == 1  # action 1 (001 read as 1) alone
    runs = [_status(["-j", j, "--action", "nope", str(PLANS / "kama")], tmp_path / "c", "score") for j in ("1", "2")]
    assert runs[0] == runs[1] and runs[0][0] == 2 and "nope" in runs[0][2]


def test_workers_are_spawned_once_pyarrow_is_loaded(tmp_path):
    """pyarrow's allocator threads do not survive fork(): a forked worker of a process that has
    imported it can crash when it frees memory. Such a process spawns its workers (fresh
    interpreters), and the figures are those of one process."""
    code = (
        "import json, sys\n"
        "from dxplan.files import parallel\n"
        "before = parallel._context().get_start_method()\n"
        "import pyarrow  # noqa: F401\n"
        "after = parallel._context().get_start_method()\n"
        "from typer.testing import CliRunner\n"
        "from dxplan.cli import app\n"
        "r = CliRunner().invoke(app, ['status', sys.argv[1], '-j', '2', '--format', 'json'])\n"
        "print(json.dumps([before, after, r.exit_code, r.stdout]))\n"
    )
    pytest.importorskip("pyarrow")
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "DXPLAN_CACHE_DIR": str(tmp_path / "cache")}
    out = subprocess.run([sys.executable, "-c", code, str(PLANS)], capture_output=True, text=True, env=env, check=True)
    before, after, code_, stdout = json.loads(out.stdout)
    assert (before, after, code_) == ("fork", "spawn", 0)
    alone = subprocess.run([sys.executable, "-m", "dxplan", "status", str(PLANS), "-j", "1", "--format", "json"],
                           capture_output=True, text=True, env=env, check=True)
    assert json.loads(stdout) == json.loads(alone.stdout)
