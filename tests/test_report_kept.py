"""``dxplan report`` of an unchanged plan written from the results cache without loading the plan
(dxplan.report.kept): the same bytes; a changed file, other options, another commit, a plan with load
problems, ``--as-of`` or ``--templates`` is loaded and written afresh.

Where a test must show that the plan is *not* loaded, the command's loader (``load_all`` as
``dxplan.cli.report`` calls it) is replaced by one that fails the test when called.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

import dxplan.cli.report as report_cli
from dxplan.cli import app
from dxplan.report import kept

from conftest import PLANS, git

runner = CliRunner()


class Loaded(Exception):
    """The plan was loaded."""


def never_load(*args, **kwargs):
    raise Loaded("the plan was loaded")


@pytest.fixture
def kurate(tmp_path) -> Path:
    dest = tmp_path / "plans" / "kurate"
    shutil.copytree(PLANS / "kurate", dest)
    return dest


def report(*args: str, lang: str = "ja"):
    return runner.invoke(app, ["report", *args], env={"DXPLAN_LANG": lang})


def test_an_unchanged_plan_is_written_again_without_loading_it(kurate, cache, tmp_path, monkeypatch):
    first = report(str(kurate), "--format", "html", "-o", str(tmp_path / "a.html"))
    assert first.exit_code == 0, first.output
    monkeypatch.setattr(report_cli, "load_all", never_load)
    again = report(str(kurate), "--format", "html", "-o", str(tmp_path / "b.html"))
    assert again.exit_code == 0, again.output
    assert (tmp_path / "b.html").read_bytes() == (tmp_path / "a.html").read_bytes()
    assert f"{tmp_path / 'b.html'}" in again.stderr  # "dxplan: wrote …", as when written afresh
    # the folder of plans, written into a folder: the plan's kept report under its own name
    out = tmp_path / "out"
    out.mkdir()
    assert report(str(kurate.parent), "--format", "html", "-o", str(out)).exit_code == 0
    assert [p.name for p in out.iterdir()] == ["kurate-report.html"]
    assert (out / "kurate-report.html").read_bytes() == (tmp_path / "a.html").read_bytes()
    # Markdown to standard output: another option, so loaded once, then kept in its place
    monkeypatch.undo()
    md = report(str(kurate))
    assert md.exit_code == 0 and md.stdout.startswith("# 鞍手町"), md.stdout[:80]
    monkeypatch.setattr(report_cli, "load_all", never_load)
    assert report(str(kurate)).stdout == md.stdout


def test_a_changed_file_or_other_options_load_the_plan(kurate, cache, tmp_path, monkeypatch):
    assert report(str(kurate), "--format", "html", "-o", str(tmp_path / "a.html")).exit_code == 0
    monkeypatch.setattr(report_cli, "load_all", never_load)
    assert isinstance(report(str(kurate), "--format", "html", "-o", str(tmp_path / "b.html"), "--audit").exception, Loaded)
    assert isinstance(report(str(kurate), "--format", "html", "-o", str(tmp_path / "b.html"), lang="en").exception, Loaded)
    action = sorted((kurate / "actions").glob("*.yaml"))[0]
    action.write_text(action.read_text(encoding="utf-8").replace("title: ", "title: 改訂版テスト", 1), encoding="utf-8")
    assert isinstance(report(str(kurate), "--format", "html", "-o", str(tmp_path / "b.html")).exception, Loaded)
    monkeypatch.undo()
    r = report(str(kurate), "--format", "html", "-o", str(tmp_path / "b.html"))
    assert r.exit_code == 0, r.output
    assert "改訂版テスト" in (tmp_path / "b.html").read_text(encoding="utf-8")


def test_a_plan_with_load_problems_is_never_kept(kurate, cache, tmp_path, monkeypatch):
    (kurate / "actions" / "zz-broken.yaml").write_text("id: [\n", encoding="utf-8")
    first = report(str(kurate), "--format", "html", "-o", str(tmp_path / "a.html"))
    assert first.exit_code == 1 and "zz-broken.yaml" in first.stderr
    monkeypatch.setattr(report_cli, "load_all", never_load)
    assert isinstance(report(str(kurate), "--format", "html", "-o", str(tmp_path / "b.html")).exception, Loaded)


def test_another_commit_loads_the_plan_for_its_history(tmp_path, cache, monkeypatch):
    repo = tmp_path / "repo"
    shutil.copytree(PLANS / "kurate", repo / "plans" / "kurate")
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "plan")
    plan = repo / "plans" / "kurate"
    assert report(str(plan), "--format", "html", "-o", str(tmp_path / "a.html")).exit_code == 0
    monkeypatch.setattr(report_cli, "load_all", never_load)
    assert report(str(plan), "--format", "html", "-o", str(tmp_path / "b.html")).exit_code == 0
    # --as-of reads the plan from git: never answered from the cache
    assert isinstance(report(str(plan), "--format", "html", "-o", str(tmp_path / "b.html"), "--as-of", "HEAD").exception, Loaded)
    (repo / "README.md").write_text("x\n", encoding="utf-8")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "other")
    assert isinstance(report(str(plan), "--format", "html", "-o", str(tmp_path / "c.html")).exception, Loaded)
    # without the history section the commit is not part of the key
    monkeypatch.undo()
    assert report(str(plan), "--format", "html", "-o", str(tmp_path / "d.html"), "--no-history").exit_code == 0
    git(repo, "commit", "-q", "--allow-empty", "-m", "another")
    monkeypatch.setattr(report_cli, "load_all", never_load)
    assert report(str(plan), "--format", "html", "-o", str(tmp_path / "e.html"), "--no-history").exit_code == 0


def test_a_templates_folder_is_never_answered_from_the_cache(kurate, cache, tmp_path, monkeypatch):
    assert report(str(kurate), "--format", "html", "-o", str(tmp_path / "a.html")).exit_code == 0
    monkeypatch.setattr(report_cli, "load_all", never_load)
    folder = tmp_path / "tpl"
    folder.mkdir()
    assert isinstance(report(str(kurate), "--format", "html", "-o", str(tmp_path / "b.html"), "--templates", str(folder)).exception, Loaded)


def test_report_args_follow_the_day_the_setting_and_the_templates(tmp_path, monkeypatch):
    options = ("html", "ja", None, None, None, False, None)
    day = kept.report_args(tmp_path, options, dt.date(2026, 12, 6), history=False)
    assert kept.report_args(tmp_path, options, dt.date(2026, 12, 6), history=False) == day
    assert kept.report_args(tmp_path, options, dt.date(2026, 12, 7), history=False) != day
    monkeypatch.setenv("DXPLAN_TODAY", "2027-04-01")
    assert kept.report_args(tmp_path, options, dt.date(2026, 12, 6), history=False) != day
    monkeypatch.delenv("DXPLAN_TODAY")
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "report.html.j2").write_text("a", encoding="utf-8")
    monkeypatch.setattr("dxplan.shipped", lambda name: templates)
    signature = kept.templates_signature()
    assert signature.startswith("report.html.j2:1:")
    (templates / "report.html.j2").write_text("ab", encoding="utf-8")
    assert kept.templates_signature() != signature
