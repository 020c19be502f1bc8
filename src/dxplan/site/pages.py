"""The pages of one plan's site, as plain dicts for the templates in ``templates/site/``.

Built from the report's figures (:class:`dxplan.report.figures.ReportFigures`) and its view
(:func:`dxplan.report.views.report_view`, the same dicts the council report renders), so every figure is the
report's and every source word is shown as the report shows it; this module only arranges them into pages and
adds what a site needs: where each page is, the links between them, the filter keys of the action rows and the
search index. Annotations are never shown (the report's view leaves them out without ``audit``).

Page files, inside the plan's folder (``<plan id>/``, made safe): ``index.html`` (the top page),
``<anchor>.html`` per action (the report's anchor: ``action-2.html``), ``cat-<n>.html`` per top-level category,
``dept-<n>.html`` per department and ``search.html``. All pages of a plan are in one folder, so a link from
one to another is the file's name.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup

from dxplan.i18n import t
from dxplan.model.schema import STATE_ORDER
from dxplan.output import wording as w
from dxplan.report.common import fy_label
from dxplan.report.figures import ReportFigures
from dxplan.report.history_figures import ReportHistory
from dxplan.report.views import plan_header_view, report_view
from dxplan.status.counts import status_table

from .charts import indicator_chart

NO_STATUS = "none"
"""The filter key of task rows without a status word."""


@dataclass
class Page:
    """One page of the site: ``path`` (relative to the site's folder, ``/``-separated), ``template`` (in
    ``templates/site/``) and ``context`` (the template's variables, besides those every page gets)."""

    path: str
    template: str
    context: dict[str, Any] = field(default_factory=dict)


def site_labels(lang: str) -> dict[str, str]:
    """The site's own fixed words (``S`` in the templates), through the catalogue."""
    return {
        "skip": t(lang, "Skip to the content"),
        "site": t(lang, "DX plan progress"),
        "plans": t(lang, "Plans"),
        "top": t(lang, "Overview"),
        "categories": t(lang, "Categories"),
        "departments": t(lang, "Departments"),
        "search": t(lang, "Search"),
        "data": t(lang, "Open data"),
        "nav": t(lang, "Site navigation"),
        "breadcrumb": t(lang, "You are here"),
        "progress": t(lang, "Progress per fiscal year"),
        "evaluated": t(lang, "Evaluation date"),
        "labels": t(lang, "Evaluation of the actions"),
        "changes": t(lang, "What changed since the last evaluation"),
        "no_changes": t(lang, "The plan's git history holds no earlier evaluation to compare with."),
        "actions": t(lang, "Actions"),
        "filter": t(lang, "Filter the actions"),
        "filter_state": t(lang, "Status of a task row"),
        "filter_year": t(lang, "Fiscal year"),
        "any": t(lang, "any"),
        "no_status": t(lang, "no status"),
        "filter_apply": t(lang, "Filter"),
        "filter_count": t(lang, "{shown} of {total} actions shown"),
        "filter_note": t(lang, "An action is shown when one of its task rows of the chosen year carries the chosen status."),
        "search_label": t(lang, "Words to search for"),
        "search_button": t(lang, "Search"),
        "search_results": t(lang, "Results"),
        "search_count": t(lang, "{n} actions found"),
        "search_all": t(lang, "All actions"),
        "search_nojs": t(lang, "Search needs JavaScript; every action is listed below."),
        "indicator_charts": t(lang, "Indicators: target and actual"),
        "timeline": t(lang, "History"),
        "no_timeline": t(lang, "The plan's git history holds no status of this action at earlier evaluation dates."),
        "department_of": t(lang, "Departments"),
        "category_of": t(lang, "Category"),
        "previous": t(lang, "Previous action"),
        "next": t(lang, "Next action"),
        "data_intro": t(lang, "The plans as open data (a Frictionless Data Package; docs/opendata.md of dxplan describes every field):"),
        "computed_note": t(lang, "Rates, labels and counts are computed by dxplan from the plan's figures by its evaluation rules; every other text is the municipality's, as written."),
    }


def safe_name(text: str, used: set[str] | None = None) -> str:
    """``text`` as one folder name (a plan id): anything but ASCII letters, digits, ``-`` and ``_`` as ``_``,
    never empty and never starting with ``.``; with ``used``, one not in it (``-2``, ``-3`` … added), recorded there."""
    name = re.sub(r"[^A-Za-z0-9_-]+", "_", text).strip("_") or "plan"
    if used is None:
        return name
    found, n = name, 2
    while found in used or found in ("assets", "opendata"):
        found, n = f"{name}-{n}", n + 1
    used.add(found)
    return found


def _action_states(f: ReportFigures) -> dict[str, list[str]]:
    """Per action id, the filter keys ``<fiscal year>:<state>`` of its task rows (``<fy>:none`` for rows
    without a status), from the status core's table by action."""
    keys: dict[str, list[str]] = {a.id: [] for a in f.actions}
    for fy in f.plan.fiscal_years:
        table = status_table(f.plan, f.actions, fy, "action", f.index)
        for g in table.groups:
            if g.key not in keys:
                continue
            keys[g.key] += [f"{fy}:{s.value}" for s in STATE_ORDER if g.states[s]]
            if g.without:
                keys[g.key].append(f"{fy}:{NO_STATUS}")
    return keys


def _filters(f: ReportFigures, view: dict, lang: str) -> dict:
    """The filter form's choices: the plan's status words (canonical states) and its fiscal years."""
    return {
        "states": [{"value": st["key"], "label": st["label"]} for st in view["states"]] + [{"value": NO_STATUS, "label": t(lang, "no status")}],
        "years": [{"value": str(fy), "label": fy_label(f.plan, fy, lang)} for fy in f.plan.fiscal_years],
    }


def _search_docs(f: ReportFigures, view: dict, owners: dict[str, list[dict]], lang: str) -> list[dict]:
    """One search document per action: its number and title, and the texts of its sheet (overview, tasks, category,
    departments) as the sheet shows them."""
    docs = []
    for s in view["sheets"]:
        parts = [s["category"], s["owners"] or ""]
        parts += [o["text"] or " ".join(o["entries"]) for o in s["overview"]]
        parts += [x for g in s["task_groups"] for r in g["rows"] for x in (r["department"], r["item"], r["plan"], r["result"], r["status"]) if x]
        parts += [d["name"] for d in owners.get(s["id"], [])]
        docs.append({
            "id": s["id"],
            "title": f"{s['id']}. {s['title']}",
            "text": "\n".join(p for p in parts if p),
            "url": f"{s['anchor']}.html",
            "meta": f"{s['category']}" + (f" · {s['label']}" if s["evaluated"] else ""),
        })
    return docs


def search_json(docs: list[dict]) -> str:
    """``docs`` as JSON safe inside ``<script type="application/json">``: ``<``, ``>``, ``&`` and a ``{`` that
    would start template syntax written as ``\\u`` escapes (JSON reads them back as the same characters)."""
    text = json.dumps(docs, ensure_ascii=False, separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return re.sub(r"\{(?=[{%#])", "\\\\u007b", text)


def plan_pages(f: ReportFigures, history: ReportHistory | None, lang: str, folder: str | None = None) -> list[Page]:
    """Every page of one plan's site (module docstring), from its report figures and its git history (or None),
    in the folder ``folder`` of the site (default: :func:`safe_name` of the plan's id).

    Nothing is rendered here. Raises ValueError when the figures are one action's sheet (``f.full`` False).
    """
    if not f.full:
        raise ValueError("a site needs the whole plan's figures")
    view = report_view(f, lang, history=history)
    folder = folder or safe_name(f.plan.id)
    states = _action_states(f)
    filters = _filters(f, view, lang)
    sheets = {s["id"]: s for s in view["sheets"]}
    anchors = {s["id"]: s["anchor"] for s in view["sheets"]}

    categories = []
    category_of: dict[str, dict] = {}
    for c in view["categories"]:
        page = {"name": f"{c['id']} {c['name']}".strip(), "href": f"{c['anchor']}.html", "count": len(c["actions"])}
        categories.append(page)
        for a in c["actions"]:
            category_of[a["id"]] = page
    departments = []
    owners: dict[str, list[dict]] = {}
    for d in view["departments"]:
        page = {"name": d["name"], "href": f"{d['anchor']}.html", "count": len(d["actions"])}
        departments.append(page)
        for a in d["actions"]:
            owners.setdefault(a["id"], []).append(page)
    common = {"plan_folder": folder, "categories_nav": categories, "departments_nav": departments}

    pages = [Page(f"{folder}/index.html", "plan.html.j2", view | common | {"page": "top"})]
    for c in view["categories"]:
        rows = [a | {"states": " ".join(states.get(a["id"], []))} for a in c["actions"]]
        pages.append(Page(f"{folder}/{c['anchor']}.html", "group.html.j2", view | common | {
            "page": "categories", "kind": "category", "group": c | {"actions": rows, "title": f"{c['id']} {c['name']}".strip()}, "filters": filters,
        }))
    for d in view["departments"]:
        rows = [a | {"states": " ".join(states.get(a["id"], []))} for a in d["actions"]]
        pages.append(Page(f"{folder}/{d['anchor']}.html", "group.html.j2", view | common | {
            "page": "departments", "kind": "department", "group": d | {"actions": rows, "title": d["name"]}, "filters": filters,
        }))
    order = [a.id for a in f.actions]
    scores = {a.id: f.scores[a.id] for a in f.actions}
    for i, aid in enumerate(order):
        s = sheets[aid]
        charts = [c for n, ind in enumerate(scores[aid].indicators, 1)
                  if (c := indicator_chart(f.plan, ind, f"chart-{s['anchor']}-{n}", lang)) is not None]
        pages.append(Page(f"{folder}/{s['anchor']}.html", "action.html.j2", view | common | {
            "page": "action", "s": s, "indicator_charts": charts,
            "category_page": category_of.get(aid),
            "department_pages": owners.get(aid, []),
            "previous": {"href": f"{anchors[order[i - 1]]}.html", "title": f"{order[i - 1]}. {sheets[order[i - 1]]['title']}"} if i > 0 else None,
            "next": {"href": f"{anchors[order[i + 1]]}.html", "title": f"{order[i + 1]}. {sheets[order[i + 1]]['title']}"} if i + 1 < len(order) else None,
        }))
    docs = _search_docs(f, view, owners, lang)
    pages.append(Page(f"{folder}/search.html", "search.html.j2", view | common | {"page": "search", "docs": docs, "index_json": Markup(search_json(docs))}))
    return pages


def plan_entry(f: ReportFigures, lang: str, folder: str) -> dict:
    """A plan on the site's first page, its pages in ``folder``: ``{"href", "municipality", "title", "stage", "period",
    "actions", "evaluation_date", "summary"}``."""
    h = plan_header_view(f.plan, lang)
    return {"href": f"{folder}/index.html", "municipality": h["municipality"], "title": h["title"], "stage": h["stage"],
            "period": h["period"], "actions": len(f.actions), "evaluation_date": h["evaluation_date"],
            "summary": w.sep(lang).join(x for x in (h["period"], t(lang, "{n} actions", n=len(f.actions))) if x)}
