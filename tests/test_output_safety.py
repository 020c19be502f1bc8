"""Output that cannot be abused: hostile plan text in every text field never becomes HTML,
script, a Markdown link or image, or Jinja syntax in a report or PR comment; no path from plan data
leaves the output folder.

Every string of every plan and action file of a copy of 嘉麻市's plan that the schema lets be free
text (2,000+ fields) is prefixed with a payload; the Markdown outputs (report, status, history, the
``diff --format markdown`` PR comment) and the HTML report are checked as text, and — where
Debian's chromium is installed — opened in headless Chromium (Markdown rendered with raw HTML
allowed, as the worst case of a Markdown viewer) to check that no payload ran.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
from pathlib import Path

import html5lib
import pytest
from pydantic import ValidationError
from ruamel.yaml import YAML
from typer.testing import CliRunner

from dxplan.cli import app
from dxplan.model.schema import Action, Plan
from dxplan.output.render import md_safe
from dxplan.yamlread import parse

from conftest import PLANS, git

runner = CliRunner()
CHROMIUM = Path("/usr/bin/chromium")
PAYLOAD = (
    '<script>document.body.dataset.pwned="script"</script>'
    "<img src=x onerror=\"document.body.dataset.pwned='img'\">"
    "[click](http://evil.example/link) ![t](http://evil.example/pixel.png) \\[x](http://evil.example/esc) "
    "{{ 7*7 }}{% raw %}{# c #} <http://evil.example/auto> | x"
)


def run(*args, cwd: Path | None = None):
    old = os.getcwd()
    if cwd is not None:
        os.chdir(cwd)
    try:
        return runner.invoke(app, [str(a) for a in args], env={"DXPLAN_LANG": "en", "GITHUB_ACTIONS": "", "COLUMNS": "200"})
    finally:
        os.chdir(old)


def _leaves(node, path=()):
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _leaves(v, path + (k,))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _leaves(v, path + (i,))
    elif isinstance(node, str):
        yield path


def _set(node, path, value):
    for p in path[:-1]:
        node = node[p]
    old, node[path[-1]] = node[path[-1]], value
    return old


def hostile_copy(src: Path, dest: Path) -> int:
    """Copy plan ``src`` to ``dest`` with :data:`PAYLOAD` in front of every string the schema accepts it in (ids kept). Returns how many."""
    shutil.copytree(src, dest)
    y = YAML(typ="safe", pure=True)
    y.default_flow_style, y.allow_unicode, y.width = False, True, 1 << 20
    n = 0
    for f in [dest / "plan.yaml", *sorted((dest / "actions").glob("*.yaml"))]:
        model = Plan if f.name == "plan.yaml" else Action
        data = parse(f.read_text(encoding="utf-8")).data
        for path in list(_leaves(data)):
            if path[-1] == "id":
                continue
            old = _set(data, path, f"{PAYLOAD} {path[-1]}")
            try:
                model.model_validate(data)
                n += 1
            except ValidationError:
                _set(data, path, old)
        out = io.StringIO()
        y.dump(data, out)
        f.write_text(out.getvalue(), encoding="utf-8")
    return n


@pytest.fixture(scope="module")
def outputs(tmp_path_factory) -> dict[str, str]:
    """The Markdown and HTML outputs of a hostile plan, by name."""
    repo = tmp_path_factory.mktemp("hostile")
    shutil.copytree(PLANS / "kama", repo / "kama")
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "clean")
    shutil.rmtree(repo / "kama")
    assert hostile_copy(PLANS / "kama", repo / "kama") > 2000
    out = {}
    r = run("report", "kama", "--format", "md", cwd=repo)
    assert r.exit_code == 0, r.output
    out["report.md"] = r.stdout
    r = run("status", "kama", "--format", "markdown", cwd=repo)
    out["status.md"] = r.stdout
    r = run("diff", "HEAD", "kama", "--format", "markdown", cwd=repo)
    assert r.exit_code == 0, r.output
    out["diff.md"] = r.stdout
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "hostile")
    r = run("history", "kama", "--format", "markdown", cwd=repo)
    assert r.exit_code == 0, r.output
    out["history.md"] = r.stdout
    r = run("report", "kama", "--format", "html", "-o", repo / "report.html", cwd=repo)
    assert r.exit_code == 0, r.output
    out["report.html"] = (repo / "report.html").read_text(encoding="utf-8")
    return out


MARKDOWN = ["report.md", "status.md", "diff.md", "history.md"]


@pytest.mark.parametrize("name", MARKDOWN)
def test_markdown_outputs_carry_the_payload_only_as_text(outputs, name):
    text = outputs[name]
    assert "document.body.dataset.pwned" in text  # the hostile text is there …
    assert not re.search(r"<(script|img)\b", text, re.I)  # … but never as HTML
    assert not re.search(r"<http://evil", text)
    assert not re.search(r"(?<!\\)\]\(http://evil", text)  # no unescaped link or image
    assert "{{" not in text and "{%" not in text and "{#" not in text


def test_html_report_escapes_the_payload(outputs):
    html = outputs["report.html"]
    assert "document.body.dataset.pwned" in html
    assert not re.search(r"<(img|script)[^>]*(evil|pwned)", html)
    assert "{{ 7*7 }}" not in html and "{% raw" not in html


def test_md_safe_is_idempotent_and_neutral_on_plain_text():
    for s in [PAYLOAD, "普通の文章 (括弧) と 80%", "a\\\\[b](c)", "<br>"]:
        assert md_safe(md_safe(s)) == md_safe(s)
    assert md_safe("普通の文章 (括弧) と 80%") == "普通の文章 (括弧) と 80%"


@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium")
@pytest.mark.parametrize("name", [*MARKDOWN, "report.html"])
def test_no_payload_runs_in_chromium(outputs, name, tmp_path):
    from markdown_it import MarkdownIt

    text = outputs[name]
    page = text if name.endswith(".html") else (
        "<!doctype html><html><head><meta charset='utf-8'></head><body>"
        + MarkdownIt("commonmark", {"html": True}).enable("table").render(text) + "</body></html>")
    f = tmp_path / (name + ".html")
    f.write_text(page, encoding="utf-8")
    proc = subprocess.run(
        [str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
         f"--user-data-dir={tmp_path / 'profile'}", "--virtual-time-budget=3000", "--dump-dom", f.as_uri()],
        capture_output=True, timeout=180, check=False)
    assert proc.returncode == 0, proc.stderr.decode(errors="replace")[-2000:]
    dom = html5lib.parse(proc.stdout.decode("utf-8"), treebuilder="etree", namespaceHTMLElements=False)
    body = dom.find(".//body")
    assert body is not None and "data-pwned" not in body.attrib, body.attrib
    assert "pwned" in "".join(body.itertext())  # the payload is on the page, as text
    for el in dom.iter():
        for attr in ("href", "src"):
            assert "evil.example" not in el.get(attr, ""), (el.tag, el.attrib)
        assert not (el.tag == "script" and "pwned" in (el.text or ""))


# --------------------------------------------------------------------------- paths from plan data


def test_plan_id_cannot_make_report_write_outside_the_current_folder(tmp_path):
    work = tmp_path / "work"
    work.mkdir()
    shutil.copytree(PLANS / "kurate", work / "kurate")
    text = (work / "kurate" / "plan.yaml").read_text(encoding="utf-8")
    (work / "kurate" / "plan.yaml").write_text(re.sub(r"(?m)^id: .*$", "id: ../x", text), encoding="utf-8")
    r = run("report", "kurate", "--format", "html", cwd=work)
    assert r.exit_code == 0, r.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["work"]
    assert sorted(p.name for p in work.iterdir()) == ["___x-report.html", "kurate"]
    lint = run("lint", "kurate", cwd=work)
    assert lint.exit_code == 1
    assert "kurate/plan.yaml:" in lint.stdout and "error unsafe-id the id '../x' cannot be part of a file name" in lint.stdout
