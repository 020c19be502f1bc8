"""Outputs land where the user asked and never replace what is not a regular file.

``-o`` onto a FIFO or a character device writes into it; onto a symlink the user named, the
link's target is replaced and the link stays a link; a symlink sitting at a default output name
(``<plan>-report.html`` without ``-o``) is refused; ``-o -`` is standard output.
"""

from __future__ import annotations

import os
import pty
import socket
import subprocess
import sys
import stat
import threading
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dxplan.cli import app
from dxplan.files.atomic import write_atomic
from dxplan.i18n import UserError

from conftest import PLANS

runner = CliRunner()
KURATE = PLANS / "kurate"


def run(*args, cwd: Path | None = None):
    old = os.getcwd()
    if cwd is not None:
        os.chdir(cwd)
    try:
        return runner.invoke(app, [str(a) for a in args], env={"DXPLAN_LANG": "en", "GITHUB_ACTIONS": ""})
    finally:
        os.chdir(old)


def test_o_onto_a_fifo_writes_into_it_and_leaves_a_fifo(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got: list[bytes] = []

    def reader() -> None:
        with open(fifo, "rb") as fh:
            got.append(fh.read())

    thread = threading.Thread(target=reader)
    thread.start()
    result = run("report", KURATE, "-f", "html", "-o", fifo)
    thread.join(timeout=60)
    assert result.exit_code == 0, result.output
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert got and got[0].startswith(b"<!DOCTYPE html>")
    plain = tmp_path / "plain.html"
    assert run("report", KURATE, "-f", "html", "-o", plain).exit_code == 0
    assert got[0] == plain.read_bytes()


def test_o_onto_a_symlink_replaces_its_target_and_keeps_the_link(tmp_path):
    target = tmp_path / "elsewhere" / "real.md"
    target.parent.mkdir()
    target.write_text("old\n")
    link = tmp_path / "link.md"
    link.symlink_to(target)
    result = run("report", KURATE, "-o", link)
    assert result.exit_code == 0, result.output
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert target.read_text(encoding="utf-8").startswith("# ")
    assert [p.name for p in target.parent.iterdir()] == ["real.md"]  # no temporary file left beside it


@pytest.mark.parametrize("args, name", [(("report", KURATE, "-f", "html"), "kurate-report.html"),
                                        (("export", KURATE, "-f", "xlsx"), "kurate.xlsx")])
def test_a_symlink_at_a_default_output_name_is_refused(tmp_path, args, name):
    victim = tmp_path / "outside" / "victim.txt"
    victim.parent.mkdir()
    victim.write_text("keep me\n")
    work = tmp_path / "work"
    work.mkdir()
    (work / name).symlink_to(victim)
    result = run(*args, cwd=work)
    assert result.exit_code == 2
    assert "symbolic link" in result.output and name in result.output
    assert victim.read_text() == "keep me\n"
    assert (work / name).is_symlink()


@pytest.mark.parametrize("args", [("report", KURATE), ("report", KURATE, "-f", "html"), ("export", KURATE, "-f", "json"),
                                  ("export", KURATE, "-f", "csv")])
def test_o_dash_is_standard_output_equal_to_the_file(tmp_path, args):
    out = tmp_path / "out"
    written = run(*args, "-o", out)
    assert written.exit_code == 0, written.output
    to_stdout = run(*args, "-o", "-", cwd=tmp_path)
    assert to_stdout.exit_code == 0
    assert to_stdout.stdout_bytes == out.read_bytes()
    assert len(to_stdout.stdout_bytes) > 200
    assert not (tmp_path / "-").exists()


def test_o_dash_writes_a_binary_format_into_a_pipe(tmp_path):
    out = tmp_path / "k.xlsx"
    assert run("export", KURATE, "-f", "xlsx", "-o", out).exit_code == 0
    piped = runner.invoke(app, ["export", str(KURATE), "-f", "xlsx", "-o", "-"], env={"DXPLAN_LANG": "en"})
    assert piped.exit_code == 0
    assert piped.stdout_bytes[:2] == b"PK"
    # the same workbook (its bytes differ when the two runs' timestamps in docProps fall in different seconds)
    import io

    from openpyxl import load_workbook

    def cells(source) -> dict[str, list[tuple]]:
        wb = load_workbook(source)
        return {ws.title: list(ws.iter_rows(values_only=True)) for ws in wb.worksheets}

    written, streamed = cells(out), cells(io.BytesIO(piped.stdout_bytes))
    assert streamed == written and set(written) == {"令和8年度", "dxplan_base"}


def test_a_socket_is_refused_and_stays_a_socket(tmp_path):
    path = tmp_path / "s"
    sock = socket.socket(socket.AF_UNIX)
    try:
        sock.bind(str(path))
        result = run("export", KURATE, "-f", "json", "-o", path)
        assert result.exit_code == 2
        assert "not a regular file" in result.output
        assert stat.S_ISSOCK(os.lstat(path).st_mode)
    finally:
        sock.close()


def test_a_device_node_is_written_into_never_replaced(tmp_path):
    node = tmp_path / "null"
    try:
        os.mknod(node, 0o666 | stat.S_IFCHR, os.makedev(1, 3))  # the null device
    except (PermissionError, OSError) as exc:
        pytest.skip(f"cannot create a device node here: {exc}")
    result = run("report", KURATE, "-f", "html", "-o", node)
    assert result.exit_code == 0, result.output
    st = os.lstat(node)
    assert stat.S_ISCHR(st.st_mode) and st.st_rdev == os.makedev(1, 3)
    assert [p.name for p in tmp_path.iterdir()] == ["null"]


def test_write_atomic_never_replaces_a_folder(tmp_path):
    folder = tmp_path / "d"
    folder.mkdir()
    with pytest.raises(UserError):
        write_atomic(folder, "x")
    assert folder.is_dir()


def test_o_dash_refuses_a_binary_format_on_a_terminal(tmp_path):
    leader, follower = pty.openpty()
    try:
        done = subprocess.run([sys.executable, "-m", "dxplan", "export", str(KURATE), "-f", "xlsx", "-o", "-"], cwd=tmp_path,
                              stdout=follower, stderr=subprocess.PIPE, env={**os.environ, "DXPLAN_LANG": "en"}, timeout=120)
    finally:
        os.close(follower)
        os.close(leader)
    assert done.returncode == 2
    assert b"a binary format (pdf, xlsx) is not written to a terminal" in done.stderr
    assert list(tmp_path.iterdir()) == []
