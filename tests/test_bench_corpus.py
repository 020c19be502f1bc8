"""bench/corpus.py: the scale corpus is deterministic, has no duplicate files, lints like the
bundled plans when clean, and makes `dxplan lint` report exactly the errors its manifest lists."""

from __future__ import annotations

import collections
import importlib.util
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("bench_corpus", ROOT / "bench" / "corpus.py")
corpus = importlib.util.module_from_spec(_spec)
sys.modules["bench_corpus"] = corpus  # dataclasses look their module up while the class is made
_spec.loader.exec_module(corpus)

DXPLAN = Path(sys.executable).with_name("dxplan")
if not DXPLAN.exists():  # pragma: no cover - a venv always has the console script
    DXPLAN = Path(shutil.which("dxplan") or "dxplan")


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*.yaml"))}


def _lint_json(folder: Path) -> tuple[int, list[dict]]:
    """Run the real `dxplan lint -f json .` inside ``folder``; (exit code, problems)."""
    proc = subprocess.run([str(DXPLAN), "lint", "-f", "json", "--lang", "en", "."], cwd=folder, capture_output=True, text=True)
    assert proc.returncode in (0, 1), proc.stderr
    return proc.returncode, json.loads(proc.stdout)["problems"]


def test_same_seed_same_bytes_other_seed_other_bytes(tmp_path):
    a = _files_of(tmp_path / "a", plans=5, seed=7)
    b = _files_of(tmp_path / "b", plans=5, seed=7)
    c = _files_of(tmp_path / "c", plans=5, seed=8)
    assert a == b
    assert (tmp_path / "a" / "manifest.json").read_bytes() == (tmp_path / "b" / "manifest.json").read_bytes()
    assert a.keys() == c.keys()
    # the seed changes the wording of every copy, so every action file differs
    actions = [k for k in a if "/actions/" in k]
    assert all(a[k] != c[k] for k in actions)


def _files_of(out: Path, **kw) -> dict[str, bytes]:
    corpus.generate(out, **kw)
    return _files(out)


def test_no_two_files_byte_equal_and_counts_follow_the_bundled_plans(tmp_path):
    files = _files_of(tmp_path, plans=9, seed=0)
    per_plan = {p: 1 + len(list((ROOT / "plans" / p / "actions").glob("*.yaml"))) for p in corpus.BUNDLED}
    # 9 plans cycle kama, kashima, iizuka, kurate: three kama copies, two of each other
    assert len(files) == 3 * per_plan["kama"] + 2 * (per_plan["kashima"] + per_plan["iizuka"] + per_plan["kurate"])
    assert len(set(files.values())) == len(files)
    ids = sorted(f.split("/")[0] for f in files if f.endswith("/plan.yaml"))
    assert ids[0] == "0001-kama" and ids[-1] == "0009-kama"
    assert b"\nid: kashima-0006\n" in files["0006-kashima/plan.yaml"]
    manifest = json.loads((tmp_path / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["files"] == len(files) and manifest["errors"] == []


def test_clean_corpus_lints_with_the_bundled_plans_warnings(tmp_path):
    corpus.generate(tmp_path / "corpus", plans=3, seed=1)
    rc, problems = _lint_json(tmp_path / "corpus")
    assert rc == 0
    assert [p for p in problems if p["severity"] == "error"] == []
    # the same warnings, at the same lines, as the three bundled plans the copies came from
    bundled_rc, bundled = _lint_json(ROOT / "plans")
    assert bundled_rc == 0
    copy_of = {"kama": "0001-kama", "kashima": "0002-kashima", "iizuka": "0003-iizuka"}
    expected = sorted(
        (copy_of[p["path"].split("/")[0]] + p["path"][p["path"].index("/"):], p["rule"], p["line"], p["column"])
        for p in bundled
        if p["path"].split("/")[0] in copy_of
    )
    got = sorted((p["path"], p["rule"], p["line"], p["column"]) for p in problems)
    assert got and got == expected


def test_injected_errors_are_exactly_what_lint_reports(tmp_path):
    out = tmp_path / "corpus"
    manifest = corpus.generate(out, plans=4, seed=5, error_rate=0.2)
    injected = manifest["errors"]
    assert len(injected) == round(0.2 * manifest["action_files"])
    assert {e["rule"] for e in injected} == set(corpus.ERROR_KINDS)
    assert len({e["file"] for e in injected}) == len(injected)  # one error per file

    rc, problems = _lint_json(out)
    assert rc == 1
    errors = [p for p in problems if p["severity"] == "error"]
    assert collections.Counter((p["path"], p["rule"]) for p in errors) == collections.Counter(
        (e["file"], e["rule"]) for e in injected
    )
    # the edited line is the reported line, except for a syntax error, found where the
    # parser gives up (the line after the unclosed bracket)
    by_file = {p["path"]: p for p in errors}
    for e in injected:
        reported = by_file[e["file"]]["line"]
        assert reported == (e["line"] + 1 if e["rule"] == "yaml-syntax" else e["line"]), e


@pytest.mark.parametrize("kw", [{"plans": -1, "seed": 0}, {"plans": 1, "seed": 0, "error_rate": 1.5}])
def test_bad_options_are_refused(tmp_path, kw):
    with pytest.raises(ValueError):
        corpus.generate(tmp_path, **kw)
