"""A real browser opens the HTML report: headless Chromium reads the DOM, takes a screenshot, prints A4 PDF
and runs axe-core (the accessibility checker, from npm's ``axe-core``) on every bundled plan's report.

The screenshot (artifacts/kama.png) and the PDF (artifacts/kama.pdf) are kept as
test artefacts under the repository's git-ignored ``artifacts/`` folder.
Skipped only when Debian's ``chromium`` (/usr/bin/chromium) is not installed; the axe-core test
also skips when ``npm`` is not available to install axe-core into a temporary folder.
"""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
from pathlib import Path

import html5lib
import pytest
from typer.testing import CliRunner

from dxplan.cli import app

from conftest import PLANS, ROOT

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = ROOT / "artifacts"

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="headless browser test needs Debian's chromium at /usr/bin/chromium (apt-get install chromium)")


def chromium(tmp_path: Path, *args: str, timeout: int = 180) -> subprocess.CompletedProcess:
    """Run headless Chromium offline with a throw-away profile; return the finished process."""
    profile = tmp_path / "profile"
    cmd = [
        str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
        f"--user-data-dir={profile}", *args,
    ]
    return subprocess.run(cmd, capture_output=True, timeout=timeout, check=False)


@pytest.fixture(scope="module")
def kama_html(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("browser") / "kama.html"
    r = CliRunner().invoke(app, ["report", str(PLANS / "kama"), "--format", "html", "-o", str(out)], env={"DXPLAN_LANG": "ja"})
    assert r.exit_code == 0, r.output
    return out


def test_browser_shows_actions_labels_and_charts(kama_html, tmp_path):
    proc = chromium(tmp_path, "--dump-dom", kama_html.as_uri())
    assert proc.returncode == 0, proc.stderr.decode(errors="replace")[-2000:]
    dom = html5lib.parse(proc.stdout.decode("utf-8"), treebuilder="etree", namespaceHTMLElements=False)
    rows = dom.findall(".//tr[@class='action-row']")
    assert len(rows) == 50
    row2 = next(r for r in rows if r.get("data-action-id") == "2")
    cells = ["".join(c.itertext()).strip() for c in row2]
    assert cells[1] == "マイナンバーカードの普及促進"
    assert cells[3:5] == ["103.3%（目標超過）", "達成"]  # above its target: the reason beside the rate
    assert len(dom.findall(".//article[@class='sheet']")) == 50
    # the status chart made it into the rendered page, with its numbers for screen readers
    svg = dom.find(".//figure[@id='chart-years']/{http://www.w3.org/2000/svg}svg")
    assert svg is not None and svg.get("role") == "img"
    assert "進捗中 77件 50.99%" in svg.find("{http://www.w3.org/2000/svg}desc").text


def test_browser_screenshot_and_a4_pdf(kama_html, tmp_path):
    ARTIFACTS.mkdir(exist_ok=True)
    png, pdf = ARTIFACTS / "kama.png", ARTIFACTS / "kama.pdf"
    for f in (png, pdf):
        f.unlink(missing_ok=True)
    proc = chromium(tmp_path, f"--screenshot={png}", "--window-size=1280,2000", "--hide-scrollbars", kama_html.as_uri())
    assert proc.returncode == 0, proc.stderr.decode(errors="replace")[-2000:]
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert (width, height) == (1280, 2000)
    assert len(data) > 50_000  # a blank page compresses to a few kB

    proc = chromium(tmp_path, f"--print-to-pdf={pdf}", "--no-pdf-header-footer", kama_html.as_uri())
    assert proc.returncode == 0, proc.stderr.decode(errors="replace")[-2000:]
    doc = pdf.read_bytes()
    assert doc.startswith(b"%PDF") and len(doc) > 100_000
    pages = len(re.findall(rb"/Type\s*/Page(?!s)", doc))
    # cover, contents, summary, status and category pages, a page per department (26), then the compact sheets
    assert pages > 40, pages
    boxes = {tuple(float(x) for x in m.split()) for m in re.findall(rb"/MediaBox\s*\[([^\]]*)\]", doc)}
    assert boxes and all(abs(b[2] - 595) < 2 and abs(b[3] - 842) < 2 for b in boxes), boxes  # A4 in points


# --------------------------------------------------------------------------- a phone's screen

#: A page showing the report in a 390 CSS px wide frame (a phone's width; headless Chromium's window is
#: at least 500 px wide), which measures it once loaded and writes the figures into ``<pre id="probe">``.
PHONE = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>390 px</title></head><body style="margin:0">
<iframe id="phone" title="report" style="width:390px;height:844px;border:0" srcdoc="{report}"></iframe>
<script>
document.getElementById("phone").addEventListener("load", function () {{
  var d = this.contentDocument, de = d.documentElement;
  var broken = [];
  var years = /^(令和|平成)[0-9元]+年度$|^FY ?[0-9]{{4}}$/;
  d.querySelectorAll("th, td").forEach(function (e) {{
    if (!e.classList.contains("whole") && !years.test(e.textContent.trim())) return;
    var range = d.createRange(); range.selectNodeContents(e);
    var lines = new Set(Array.from(range.getClientRects()).map(function (r) {{ return Math.round(r.top); }}));
    if (lines.size > 1) broken.push(e.textContent.trim());
  }});
  var boxes = Array.from(d.querySelectorAll(".table-scroll"));
  var out = document.createElement("pre"); out.id = "probe";
  out.textContent = JSON.stringify({{
    scrollWidth: de.scrollWidth, clientWidth: de.clientWidth,
    tables: d.querySelectorAll("table").length,
    boxed: d.querySelectorAll(".table-scroll > table").length,
    scrolling: boxes.filter(function (b) {{ return b.scrollWidth > b.clientWidth; }}).map(function (b) {{ return b.firstElementChild.className; }}),
    unfocusable: boxes.filter(function (b) {{ return b.scrollWidth > b.clientWidth && b.tabIndex < 0; }}).map(function (b) {{ return b.firstElementChild.className; }}),
    broken: broken,
    years: Array.from(d.querySelectorAll("th, td")).filter(function (e) {{ return years.test(e.textContent.trim()); }}).length,
  }});
  document.body.appendChild(out);
}});
</script></body></html>"""


def test_report_on_a_390px_phone_scrolls_wide_tables_inside_their_box(kama_html, tmp_path):
    page = tmp_path / "phone.html"
    page.write_text(PHONE.format(report=html.escape(kama_html.read_text(encoding="utf-8"), quote=True)), encoding="utf-8")
    proc = chromium(tmp_path, "--virtual-time-budget=10000", "--dump-dom", page.as_uri())
    assert proc.returncode == 0, proc.stderr.decode(errors="replace")[-2000:]
    m = re.search(r'<pre id="probe">(.*?)</pre>', proc.stdout.decode("utf-8"), flags=re.S)
    assert m, "the measuring script did not finish"
    probe = json.loads(html.unescape(m.group(1)))
    # the page itself never scrolls sideways (the frame is 390 px, less a vertical scroll bar)
    assert probe["clientWidth"] <= 390
    assert probe["scrollWidth"] <= probe["clientWidth"], probe
    # every table is in its own scrolling box, and the wide ones (the status table per year, ...) do scroll there
    assert probe["boxed"] == probe["tables"] > 100
    assert "status-table" in probe["scrolling"], probe["scrolling"]
    assert probe["unfocusable"] == []  # a box that scrolls takes the keyboard focus, to scroll it without a mouse
    # fiscal years (every cell that holds one) and the other cells marked whole stay on one line
    assert probe["years"] == 3  # the summary's rows 令和6年度, 令和7年度, 令和8年度 (one character per line before)
    assert probe["broken"] == []


# --------------------------------------------------------------------------- axe-core


@pytest.fixture(scope="session")
def axe_js(tmp_path_factory) -> str:
    """axe-core's browser bundle, installed with npm into a temporary folder (skip when npm is missing or fails)."""
    npm = shutil.which("npm")
    if npm is None:
        pytest.skip("axe-core needs npm to install it")
    folder = tmp_path_factory.mktemp("axe")
    proc = subprocess.run([npm, "install", "--no-audit", "--no-fund", "--silent", "--prefix", str(folder), "axe-core@4"], capture_output=True, timeout=300, check=False)
    bundle = folder / "node_modules" / "axe-core" / "axe.min.js"
    if proc.returncode != 0 or not bundle.is_file():
        pytest.skip(f"npm could not install axe-core: {proc.stderr.decode(errors='replace')[-500:]}")
    return bundle.read_text(encoding="utf-8")


AXE_RUNNER = """
<script>
{axe}
</script>
<script>
axe.run(document, {{resultTypes: ["violations"]}}).then(function (r) {{
  var out = document.createElement("pre");
  out.id = "axe-result";
  out.textContent = JSON.stringify(r.violations.map(function (v) {{
    return {{id: v.id, impact: v.impact, nodes: v.nodes.map(function (n) {{ return n.target.join(" "); }}).slice(0, 5)}};
  }}));
  document.body.appendChild(out);
}});
</script>
"""


def axe_violations(report: Path, axe_js: str, tmp_path: Path) -> list:
    """axe-core's violations on the HTML report ``report``, run in headless Chromium."""
    page = tmp_path / f"{report.stem}-axe.html"
    page.write_text(report.read_text(encoding="utf-8").replace("</body>", AXE_RUNNER.format(axe=axe_js) + "</body>"), encoding="utf-8")
    proc = chromium(tmp_path, "--virtual-time-budget=60000", "--dump-dom", page.as_uri(), timeout=300)
    assert proc.returncode == 0, proc.stderr.decode(errors="replace")[-2000:]
    m = re.search(r'<pre id="axe-result">(.*?)</pre>', proc.stdout.decode("utf-8"), flags=re.S)
    assert m, "axe-core did not finish"
    return json.loads(m.group(1).replace("&quot;", '"').replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&"))


@pytest.fixture(scope="module")
def kama_history_repo(tmp_path_factory) -> Path:
    """plans/kama with commits on 000's four evaluation dates (tests/test_report_history.py's builder)."""
    from test_history import SNAPSHOTS
    from test_report_history import build

    return build(tmp_path_factory.mktemp("browser-history") / "repo", SNAPSHOTS)


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_axe_core_finds_no_violations_with_history(lang, kama_history_repo, axe_js, tmp_path):
    """The report with the history table, the movement and the line chart stays accessible."""
    out = tmp_path / f"kama-history-{lang}.html"
    r = CliRunner().invoke(app, ["report", str(kama_history_repo / "plans" / "kama"), "--format", "html", "--lang", lang, "-o", str(out)], env={"DXPLAN_LANG": lang})
    assert r.exit_code == 0, r.output
    html = out.read_text(encoding="utf-8")
    assert 'id="chart-history"' in html and 'class="history-sheet"' in html
    assert axe_violations(out, axe_js, tmp_path) == []


# every plan in Japanese; English, whose pages have the same structure with other words, on 嘉麻市
@pytest.mark.parametrize(("lang", "name"), [*(("ja", p.parent.name) for p in sorted(PLANS.glob("*/plan.yaml"))), ("en", "kama")])
def test_axe_core_finds_no_violations(name, lang, axe_js, tmp_path):
    out = tmp_path / f"{name}.html"
    r = CliRunner().invoke(app, ["report", str(PLANS / name), "--format", "html", "--lang", lang, "-o", str(out)], env={"DXPLAN_LANG": lang})
    assert r.exit_code in (0, 1), r.output
    page = tmp_path / f"{name}-axe.html"
    page.write_text(out.read_text(encoding="utf-8").replace("</body>", AXE_RUNNER.format(axe=axe_js) + "</body>"), encoding="utf-8")
    proc = chromium(tmp_path, "--virtual-time-budget=60000", "--dump-dom", page.as_uri(), timeout=300)
    assert proc.returncode == 0, proc.stderr.decode(errors="replace")[-2000:]
    m = re.search(r'<pre id="axe-result">(.*?)</pre>', proc.stdout.decode("utf-8"), flags=re.S)
    assert m, "axe-core did not finish"
    violations = json.loads(m.group(1).replace("&quot;", '"').replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&"))
    assert violations == [], violations
