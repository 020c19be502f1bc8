"""The site of 嘉麻市 (with its status history from git) in a real browser: headless Chromium over the DevTools
protocol (tests/cdp.py), one browser for the module.

Every page loads with no console error and requests nothing outside the site's folder; on a 390 px wide screen no
page scrolls sideways; axe-core (npm's ``axe-core``, as tests/test_browser.py installs it) finds no violation on the
top page, an action's page, a department's page and the search page, in Japanese and in English; the search page finds
an action by its title; the filters hide the rows they should. Skipped without Debian's chromium at /usr/bin/chromium.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

import pytest
from typer.testing import CliRunner

from cdp import CHROMIUM, Browser
from dxplan.cli import app
from test_browser import axe_js  # noqa: F401  (the fixture: axe-core installed with npm)

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="the browser test needs Debian's chromium at /usr/bin/chromium (apt-get install chromium)")

AXE_PAGES = ("index.html", "action-2.html", "dept-1.html", "search.html")


@pytest.fixture(scope="module")
def sites(tmp_path_factory) -> dict[str, Path]:
    """The site of plans/kama with commits on 000's last two evaluation dates, in Japanese and English: {lang: folder}
    (without the open data: tests/test_site.py checks its files and links)."""
    from test_history import SNAPSHOTS
    from test_report_history import build

    base = tmp_path_factory.mktemp("site-browser")
    repo = build(base / "repo", dict(list(SNAPSHOTS.items())[-2:]))  # two evaluation dates: a history, a movement
    out = {}
    for lang in ("ja", "en"):
        r = CliRunner().invoke(app, ["--lang", lang, "site", str(repo / "plans" / "kama"), "-o", str(base / lang), "-q", "--no-data"], env={"DXPLAN_NO_CACHE": "1"})
        assert r.exit_code == 0, r.output
        out[lang] = base / lang
    return out


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    with Browser(tmp_path_factory.mktemp("chromium-profile")) as b:
        yield b


def test_the_log_sees_an_outside_request_and_a_missing_file(browser, tmp_path):
    """The checks below can fail: a page asking for a missing script and an outside image is caught."""
    page = tmp_path / "bad.html"
    page.write_text('<!DOCTYPE html><html lang="en"><head><title>x</title><script src="missing.js"></script></head>'
                    '<body><img alt="" src="http://127.0.0.1:9/x.png"><script>console.error("boom")</script></body></html>', encoding="utf-8")
    log = browser.open(page.as_uri())
    assert "http://127.0.0.1:9/x.png" in log.requests and (tmp_path / "missing.js").as_uri() in log.requests
    assert any("boom" in e for e in log.errors) and any("missing.js" in e for e in log.errors)


def test_every_page_loads_cleanly_inside_the_folder_and_fits_390px(sites, browser):
    site = sites["ja"]
    browser.viewport(390)
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 80  # the first page, kama's top, 50 actions, categories, departments, search
    wide, errors, outside = [], [], []
    for page in pages:
        log = browser.open(page.as_uri())
        errors += [(page.name, e) for e in log.errors]
        outside += [(page.name, u) for u in log.requests if not (u.startswith(site.as_uri() + "/") and Path(u.removeprefix("file://")).is_file())]
        width = browser.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
        if width[0] > width[1] or width[1] > 390:
            wide.append((page.name, width))
    assert errors == [] and outside == [] and wide == []


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_axe_core_finds_no_violations(lang, sites, browser, axe_js):  # noqa: F811
    browser.viewport(1280, 900)
    found = {}
    for name in AXE_PAGES:
        browser.open((sites[lang] / "kama" / name).as_uri())
        browser.evaluate(axe_js + "\n;true")
        found[name] = browser.evaluate(
            "axe.run(document, {resultTypes: ['violations']}).then(function (r) { return r.violations.map(function (v) {"
            " return {id: v.id, impact: v.impact, nodes: v.nodes.map(function (n) { return n.target.join(' '); }).slice(0, 5)}; }); })")
    assert found == {name: [] for name in AXE_PAGES}


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_search_finds_an_action_by_its_title(lang, sites, browser):
    page = sites[lang] / "kama" / "search.html"
    browser.open(page.as_uri() + "?q=" + quote("マイナンバーカードの普及促進"))
    found = browser.evaluate("Array.from(document.querySelectorAll('#search-results a')).map(function (a) { return [a.textContent, a.getAttribute('href')]; })")
    assert found == [["2. マイナンバーカードの普及促進", "action-2.html"]]
    assert browser.evaluate("document.getElementById('all-actions').hidden") is True
    # typing a part of a title narrows the list as the words are typed
    browser.evaluate("var i = document.getElementById('search-input'); i.value = 'スマホ'; i.dispatchEvent(new Event('input')); true")
    titles = browser.evaluate("Array.from(document.querySelectorAll('#search-results a')).map(function (a) { return a.textContent; })")
    assert titles == ["5. スマホ教室の継続的な開催", "8. 市民のスマホ保有率向上推進"]


def test_filters_hide_the_actions_without_the_chosen_status(sites, browser):
    browser.open((sites["ja"] / "kama" / "cat-1.html").as_uri())
    assert browser.evaluate("document.getElementById('filters').hidden") is False
    every = browser.evaluate("Array.from(document.querySelectorAll('tr[data-states]')).map(function (r) { return [r.dataset.actionId, r.dataset.states]; })")

    def choose(state: str, year: str) -> list[str]:
        return browser.evaluate(
            f"document.getElementById('filter-state').value = '{state}'; document.getElementById('filter-year').value = '{year}';"
            "document.getElementById('filter-state').dispatchEvent(new Event('change'));"
            "Array.from(document.querySelectorAll('tr[data-states]')).filter(function (r) { return !r.hidden; }).map(function (r) { return r.dataset.actionId; })")

    assert len(every) == 22
    assert choose("in_progress", "2024") == [aid for aid, states in every if "2024:in_progress" in states.split()] != []
    assert browser.evaluate("document.getElementById('filter-count').textContent") == f"22 件中 {len(choose('in_progress', '2024'))} 件のアクションを表示"
    assert choose("in_progress", "2025") == []  # R7's task rows carry no status yet
    assert browser.evaluate("document.getElementById('filter-count').textContent") == "22 件中 0 件のアクションを表示"
    assert len(choose("none", "2025")) == 22 and len(choose("", "")) == 22


def test_history_shows_what_changed_and_each_actions_timeline(sites, browser):
    """From git: the top page's movement since the previous evaluation links to the actions' pages; an action's
    page lists its status words at both evaluation dates."""
    browser.open((sites["ja"] / "kama" / "index.html").as_uri())
    heads = browser.evaluate("Array.from(document.querySelectorAll('#changes table.history-table thead th')).map(function (c) { return c.textContent.trim(); })")
    assert heads == ["状況", "令和6年11月27日", "令和7年2月10日"]
    links = browser.evaluate("Array.from(document.querySelectorAll('#changes .movement-actions a')).map(function (a) { return a.getAttribute('href'); })")
    assert links and all(h.startswith("action-") and h.endswith(".html") and (sites["ja"] / "kama" / h).is_file() for h in links)
    browser.open((sites["ja"] / "kama" / links[0]).as_uri())
    timeline = browser.evaluate("Array.from(document.querySelectorAll('#timeline ol.timeline li')).map(function (li) { return li.textContent; })")
    assert [x.split(":")[0] for x in timeline] == ["令和6年11月27日", "令和7年2月10日"]
    assert timeline[0] != timeline[1]  # the action's status moved between the two dates
