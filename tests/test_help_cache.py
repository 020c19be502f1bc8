"""``dxplan --help`` kept as typer printed it and printed again without typer (``dxplan.cli.help_cache``).

Each root help command line runs as a user runs it (``python -m dxplan``: the first run prints
through typer and keeps the page, the second writes the kept page) and through typer alone
(``from dxplan.cli import app; app()``): the bytes must be the same, in every language, width and
colour setting, on a pipe and on a terminal. A new version, another width or another language is
never answered by a page kept for the old one; a reader that stops early still ends with exit 0.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from dxplan.cli.help_cache import is_root_help, page_key

ROOT = Path(__file__).resolve().parents[1]

MAIN = [sys.executable, "-X", "importtime", "-m", "dxplan"]
TYPER = [sys.executable, "-c", "import sys; sys.argv[0] = 'dxplan'; from dxplan.cli import app; app()"]

_DROPPED = ("DXPLAN_LANG", "COLUMNS", "LINES", "FORCE_COLOR", "NO_COLOR", "TERMINAL_WIDTH", "DXPLAN_NO_CACHE", "TTY_COMPATIBLE", "PY_COLORS")


def _env(cache: Path, src: Path = ROOT / "src", **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in _DROPPED}
    env["PYTHONPATH"] = str(src) + os.pathsep + env.get("PYTHONPATH", "")
    return {**env, "DXPLAN_CACHE_DIR": str(cache), **extra}


def _run(cmd: list[str], args: list[str], env: dict[str, str]) -> tuple[tuple[int, bytes, bytes], bool]:
    """((exit code, stdout, stderr without importtime's lines), whether typer was imported)."""
    proc = subprocess.run([*cmd, *args], capture_output=True, env=env, cwd=ROOT)
    lines = proc.stderr.splitlines(keepends=True)
    timed = [line for line in lines if line.startswith(b"import time:") and b"|" in line]
    typer = any(line.rsplit(b"|", 1)[1].strip().split(b".")[0] == b"typer" for line in timed)
    return (proc.returncode, proc.stdout, b"".join(line for line in lines if not line.startswith(b"import time:"))), typer


def _kept_and_replayed(args: list[str], cache: Path, **extra: str) -> bytes:
    """Typer's page for ``args``; asserts that the first run (keeping it) and the second (without typer) print those bytes."""
    typer_page, _ = _run(TYPER, args, _env(cache, DXPLAN_NO_CACHE="1", **extra))
    first, first_typer = _run(MAIN, args, _env(cache, **extra))
    second, second_typer = _run(MAIN, args, _env(cache, **extra))
    assert first_typer and not second_typer
    assert typer_page[0] == 0 and typer_page[2] == b""
    assert first == typer_page
    assert second == typer_page
    return typer_page[1]


@pytest.mark.parametrize("args", [["--help"], ["-h"], ["--lang", "en", "--help"], ["--help", "--lang=en"], ["--lang", "ja", "-h"]],
                         ids=["help", "h", "lang-en", "lang=en", "lang-ja"])
def test_each_root_help_form_is_typers_page(tmp_path, args):
    page = _kept_and_replayed(args, tmp_path / "cache", COLUMNS="100")
    english = "en" in args or "--lang=en" in args
    assert ("Commands" if english else "コマンド").encode() in page
    assert len(list((tmp_path / "cache").glob("help-*.txt"))) == 1


@pytest.mark.parametrize("env", [
    {"COLUMNS": "60"}, {"DXPLAN_LANG": "en"}, {"FORCE_COLOR": "1", "COLUMNS": "90"}, {"FORCE_COLOR": "1", "NO_COLOR": "1"},
    {"TERMINAL_WIDTH": "70"},
], ids=["narrow", "english", "colour", "no-colour", "typer-width"])
def test_the_page_follows_the_settings_typer_reads(tmp_path, env):
    page = _kept_and_replayed(["--help"], tmp_path / "cache", **env)
    assert (b"\x1b[" in page) == ("FORCE_COLOR" in env)
    width = int(env.get("COLUMNS") or env.get("TERMINAL_WIDTH") or 0)
    if width:
        assert max(len(re.sub("\x1b\\[[0-9;]*m", "", line)) for line in page.decode().splitlines()) <= width


def test_other_settings_are_not_answered_by_the_kept_page(tmp_path):
    cache = tmp_path / "cache"
    wide = _kept_and_replayed(["--help"], cache, COLUMNS="100")
    narrow = _kept_and_replayed(["--help"], cache, COLUMNS="60")  # a miss: typer's page at 60 columns, kept instead
    colour = _kept_and_replayed(["--help"], cache, COLUMNS="60", FORCE_COLOR="1")
    english = _kept_and_replayed(["--help"], cache, COLUMNS="60", DXPLAN_LANG="en")
    assert len({wide, narrow, colour, english}) == 4
    assert len(list(cache.glob("help-*.txt"))) == 2  # one page for DXPLAN_LANG=en, one for the default


def test_the_kept_page_is_what_is_printed_until_dxplan_changes(tmp_path):
    """A page is written from its file (a page changed in the file, with its digest, is printed as it is there)
    while its key holds, and typer's page again once dxplan's version (its code) changes."""
    src = tmp_path / "src"
    shutil.copytree(ROOT / "src" / "dxplan", src / "dxplan", ignore=shutil.ignore_patterns("__pycache__"))
    cache = tmp_path / "cache"
    real = _kept_and_replayed(["--help"], cache, src=src)
    (kept,) = cache.glob("help-*.txt")
    head, _, page = kept.read_bytes().partition(b"\n")
    assert page == real and re.fullmatch(rb"[0-9a-f]{32} [0-9a-f]{32}", head)
    key = head.split()[0]
    kept.write_bytes(head + b"\nTHE KEPT PAGE\n")  # a page that does not match its digest: not printed
    assert _run(MAIN, ["--help"], _env(cache, src=src)) == ((0, real, b""), True)
    other = b"THE KEPT PAGE\n"
    kept.write_bytes(key + b" " + hashlib.blake2b(other, digest_size=16).hexdigest().encode() + b"\n" + other)
    assert _run(MAIN, ["--help"], _env(cache, src=src)) == ((0, other, b""), False)
    init = src / "dxplan" / "__init__.py"
    init.write_text(init.read_text(encoding="utf-8").replace('__version__ = "', '__version__ = "9.', 1), encoding="utf-8")
    again, typer = _run(MAIN, ["--help"], _env(cache, src=src))
    assert typer and again == (0, real, b"")
    assert kept.read_bytes().partition(b"\n")[2] == real  # kept anew, under the new version's key


def _closed_pipe_run(args: list[str], env: dict[str, str]) -> tuple[int, bytes]:
    """Run with standard output a pipe whose reader has already gone (``| head -1`` after its line): exit code, stderr."""
    read, write = os.pipe()
    os.close(read)
    try:
        proc = subprocess.run([sys.executable, "-m", "dxplan", *args], stdout=write, stderr=subprocess.PIPE, env=env, cwd=ROOT)
    finally:
        os.close(write)
    return proc.returncode, proc.stderr


def test_a_reader_that_stopped_early_gets_exit_0_and_no_page_is_kept_from_it(tmp_path):
    cache = tmp_path / "cache"
    assert _closed_pipe_run(["--help"], _env(cache)) == (0, b"")
    assert not list(cache.glob("help-*.txt"))  # typer's writes did not reach a reader: nothing kept
    _kept_and_replayed(["--help"], cache)
    assert _closed_pipe_run(["--help"], _env(cache)) == (0, b"")  # the kept page meets the closed pipe


def test_a_help_line_that_fails_is_not_kept(tmp_path):
    cache = tmp_path / "cache"
    (code, _, err), _ = _run(MAIN, ["ja", "--help"], _env(cache))  # `ja` is no command
    assert code == 2 and b"ja" in err
    assert not list(cache.glob("help-*.txt"))


def _on_a_terminal(cmd: list[str], env: dict[str, str]) -> tuple[int, bytes]:
    """Run with stdout and stderr on one pseudo-terminal: exit code and what the terminal received."""
    from pty_read import run_on_terminal

    return run_on_terminal([*cmd, "--help"], env, ROOT)


def test_on_a_terminal_the_kept_page_is_typers(tmp_path):
    cache = tmp_path / "cache"
    env = _env(cache, TERM="xterm-256color", COLUMNS="90")
    plain_main = [sys.executable, "-m", "dxplan"]
    typer_page = _on_a_terminal(TYPER, {**env, "DXPLAN_NO_CACHE": "1"})
    first = _on_a_terminal(plain_main, env)
    assert list(cache.glob("help-*.txt"))
    second = _on_a_terminal(plain_main, env)
    assert typer_page[0] == 0 and b"\x1b[" in typer_page[1]  # coloured: a terminal
    assert first == typer_page and second == typer_page


def test_the_key_names_what_the_page_depends_on(monkeypatch):
    from dxplan.files import cache_place

    base = page_key(["--help"])
    assert page_key(["--help"]) == base and page_key(["-h"]) != base
    monkeypatch.setenv("COLUMNS", "77")
    assert page_key(["--help"]) != base
    monkeypatch.delenv("COLUMNS")
    monkeypatch.setattr(cache_place, "fingerprint", lambda: "another dxplan")
    assert page_key(["--help"]) != base


@pytest.mark.parametrize(("argv", "root"), [
    (["--help"], True), (["-h"], True), (["--lang", "en", "--help"], True), (["--help", "--lang=ja"], True),
    ([], False), (["--lang", "en"], False), (["status", "--help"], False), (["--help", "--version"], False),
    (["--lang", "xx", "--help"], False),
])
def test_root_help_lines(argv, root):
    assert is_root_help(argv) is root
