"""The writers of ``dxplan compare`` and ``dxplan crosswalk``: terminal (rich), JSON, CSV, Markdown and (compare) HTML.

They only arrange :class:`dxplan.compare.table.Comparison` and :class:`dxplan.compare.crosswalk.Crosswalk`;
words come from the catalogue (``lang``), the plans' own words (labels, item names) verbatim. A share
is one decimal (``49.0%``) with its rows (``74/151``); "no data" (rows without any status) and "not
planned" (no task row that year) are words, never 0 %; a plan whose actions serve no national item
is "unclassified" (未分類), never "0 of 7".
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from typing import Any

from rich.console import Console
from rich.text import Text

from dxplan.fiscal import format_date, format_fiscal_year
from dxplan.i18n import t
from dxplan.output.jsonout import dumps_line, json_number
from dxplan.output.render import render_template
from dxplan.output.terminal import ReadableTable
from dxplan.output.wording import tally_key
from dxplan.score.rates import ScoreState, round1

from .crosswalk import Crosswalk
from .figures import Coverage, PlanFigures, YearDone, YearState
from .table import Comparison, GroupBy, GroupFigures


def _fy(fy: int) -> str:
    return format_fiscal_year(fy, "r")


def year_cell(y: YearDone | None, lang: str) -> str:
    """One fiscal year as a cell: ``49.0% (74/151)``, "no data" or "not planned"."""
    if y is None or y.state is YearState.not_planned:
        return t(lang, "not planned")
    if y.state is YearState.no_data:
        return t(lang, "no data")
    return f"{round1(y.share or 0.0)}% ({y.done}/{y.with_status})"


def labels_cell(labels: dict[str, int], lang: str) -> str:
    """The label split: ``達成 20, データ不足 30`` (the plan's words; the unlabelled worded)."""
    return ", ".join(f"{_label(k, lang)} {n}" for k, n in labels.items()) or "—"


def _label(key: str, lang: str) -> str:
    return tally_key(ScoreState(key) if key in ScoreState.__members__ else key, lang)


def indicators_cell(p: PlanFigures | GroupFigures, lang: str) -> str:
    """Indicators on track of those rated, and those without data: ``2/5 (10 no data)``; "—" without indicators."""
    i = p.indicators
    if i.total == 0:
        return "—"
    return t(lang, "{on}/{rated} ({none} no data)", on=i.on_track, rated=i.rated, none=i.no_data)


def coverage_cell(p: PlanFigures, lang: str) -> str:
    """The national items a plan covers: ``3/7``, ``2 (version not declared)`` or 未分類 with the untagged actions."""
    if p.coverage is Coverage.unclassified:
        return t(lang, "unclassified ({n} action(s))", n=len(p.untagged))
    n = len(p.covered)
    text = f"{n}/{n + len(p.not_covered)}" if p.coverage is Coverage.counted else t(lang, "{n} (version not declared)", n=n)
    return text + ("" if not p.untagged else " " + t(lang, "+ {n} unclassified", n=len(p.untagged)))


def _group_name(g: GroupFigures, by: GroupBy, lang: str) -> str:
    if g.key is not None:
        return g.key
    return t(lang, "no prefecture") if by is GroupBy.prefecture else t(lang, "not in the group file")


def _eval_date(p: PlanFigures, lang: str) -> str:
    """The last evaluation date as people read it (令和7年2月10日 / 10 February 2025); JSON and CSV keep ISO."""
    return format_date(p.last_evaluation, lang) if p.last_evaluation else t(lang, "no evaluation date")


# --------------------------------------------------------------------------- terminal


def _bold(text: str) -> Text:
    return Text(text, style="bold")


def write_compare_table(c: Comparison, lang: str, console: Callable[[], Console]) -> None:
    """``dxplan compare --format table``: the done shares per fiscal year, then labels, indicators, national items and evaluation date."""
    out = console()
    years = ReadableTable(title=t(lang, "Task rows done, per fiscal year"), title_justify="left")
    years.add_column(t(lang, "plan"))
    for fy in c.years:
        years.add_column(_fy(fy), justify="right")
    for g in c.groups:
        years.add_row(_bold(_group_name(g, c.by, lang)), *(_bold(year_cell(g.years.get(fy), lang)) for fy in c.years))
        for p in g.plans:
            years.add_row(f"  {p.municipality}", *(year_cell(p.years.get(fy), lang) for fy in c.years))
        years.add_section()
    out.print(years)
    out.print()
    rest = ReadableTable(title=t(lang, "Evaluation, indicators and national items"), title_justify="left")
    for head in (t(lang, "plan"), t(lang, "labels"), t(lang, "indicators on track"), t(lang, "national items"), t(lang, "last evaluation")):
        rest.add_column(head)
    for g in c.groups:
        rest.add_row(_bold(_group_name(g, c.by, lang)), labels_cell(g.labels, lang), indicators_cell(g, lang),
                     t(lang, "unclassified ({n} action(s))", n=g.untagged) if g.untagged == g.actions else
                     ", ".join(f"{k} {n}" for k, n in g.item_plans.items()), "")
        for p in g.plans:
            rest.add_row(f"  {p.municipality}", labels_cell(p.labels, lang), indicators_cell(p, lang), coverage_cell(p, lang), _eval_date(p, lang))
        rest.add_section()
    out.print(rest)
    out.print(_note(lang), style="dim")


def _note(lang: str) -> str:
    return t(lang, "Shares are of the task rows that carry a status; \"no data\": rows without any status; \"not planned\": no task row in that year. Unclassified actions serve no national item the plan's text cites.")


def write_crosswalk_table(x: Crosswalk, lang: str, console: Callable[[], Console]) -> None:
    """``dxplan crosswalk --format table``: one row per national item, one column per plan (narrow terminals fold)."""
    out = console()
    tb = ReadableTable(title=t(lang, "National 重点取組事項 × plans"), title_justify="left")
    tb.add_column(t(lang, "national item"))
    for r in x.rows:
        tb.add_column(r.plan.municipality)
    for n, col in enumerate(x.columns):
        tb.add_row(Text.assemble(col.name, "\n", (col.id, "dim")), *(_cell(r.plan, r.cells[n], lang) for r in x.rows))
    tb.add_section()
    tb.add_row(t(lang, "unclassified actions"), *(str(len(r.plan.untagged)) for r in x.rows))
    out.print(tb)
    out.print(_lead_note(x, lang), style="dim")


def _lead_note(x: Crosswalk, lang: str) -> str:
    if x.versions:
        return t(lang, "Items in the order of {version}, the newest version the plans declare; — : not an item of the plan's version.", version=x.lead)
    return t(lang, "No plan declares a version of the national plan: the items of {version}, the newest version dxplan ships, are shown.", version=x.lead)


def _cell(p: PlanFigures, cell: list[tuple[str, str]] | None, lang: str) -> str:
    if p.coverage is Coverage.unclassified:
        return t(lang, "unclassified")
    if cell is None:
        return "—"
    return ", ".join(a for a, _ in cell) if cell else t(lang, "none")


# --------------------------------------------------------------------------- JSON


def _year_dict(y: YearDone | None) -> dict[str, Any]:
    if y is None:
        return {"state": YearState.not_planned.value, "done": 0, "with_status": 0, "rows": 0, "share": None}
    return {"state": y.state.value, "done": y.done, "with_status": y.with_status, "rows": y.rows, "share": json_number(y.share)}


def plan_dict(p: PlanFigures, years: list[int], lang: str) -> dict[str, Any]:
    """JSON for one plan's figures: done per fiscal year (state, counts, share percent 0–100, two decimals),
    labels, indicators, national items (covered, not covered, coverage state), unclassified actions, last evaluation."""
    return {
        "plan": p.plan_id,
        "municipality": p.municipality,
        "prefecture": p.prefecture,
        "municipality_code": p.municipality_code,
        "national_frame": p.frame_version,
        "years": {str(fy): _year_dict(p.years.get(fy)) for fy in years},
        "labels": {_label(k, lang): n for k, n in p.labels.items()},
        "indicators": {"on_track": p.indicators.on_track, "rated": p.indicators.rated, "no_data": p.indicators.no_data, "total": p.indicators.total},
        "national_items": {
            "coverage": p.coverage.value,
            "covered": [{"id": i.id, "name": i.name, "actions": [a for a, _ in i.actions]} for i in p.covered],
            "not_covered": [i.id for i in p.not_covered],
        },
        "unclassified_actions": p.untagged,
        "actions": p.actions,
        "last_evaluation": p.last_evaluation.isoformat() if p.last_evaluation else None,
    }


def compare_dict(c: Comparison, lang: str = "ja") -> dict[str, Any]:
    """JSON for the whole comparison: years, grouping, items, and per group its pooled figures and its plans."""
    return {
        "fiscal_years": c.years,
        "grouped_by": c.by.value,
        "national_items": c.items,
        "groups": [
            {
                "group": g.key,
                "plans": [plan_dict(p, c.years, lang) for p in g.plans],
                "years": {str(fy): _year_dict(g.years.get(fy)) for fy in c.years},
                "labels": {_label(k, lang): n for k, n in g.labels.items()},
                "indicators": {"on_track": g.indicators.on_track, "rated": g.indicators.rated, "no_data": g.indicators.no_data, "total": g.indicators.total},
                "national_items": g.item_plans,
                "unclassified_actions": g.untagged,
                "actions": g.actions,
            }
            for g in c.groups
        ],
    }


def write_compare_json(c: Comparison, lang: str, console: Callable[[], Console] | None = None) -> str:
    """``dxplan compare --format json``: :func:`compare_dict`."""
    return dumps_line(compare_dict(c, lang))


def crosswalk_dict(x: Crosswalk) -> dict[str, Any]:
    """JSON for the matrix: columns (item id and name), and per plan its cells by item id (a list of
    ``{id, title}``, or null where its version does not list the item) and its unclassified actions."""
    return {
        "versions": x.versions,
        "items_of": x.lead,
        "items": [{"id": c.id, "name": c.name} for c in x.columns],
        "plans": [
            {
                "plan": r.plan.plan_id,
                "municipality": r.plan.municipality,
                "national_frame": r.plan.frame_version,
                "coverage": r.plan.coverage.value,
                "cells": {c.id: None if cell is None else [{"id": a, "title": title} for a, title in cell] for c, cell in zip(x.columns, r.cells, strict=True)},
                "unclassified_actions": r.plan.untagged,
            }
            for r in x.rows
        ],
    }


def write_crosswalk_json(x: Crosswalk, lang: str, console: Callable[[], Console] | None = None) -> str:
    """``dxplan crosswalk --format json``: :func:`crosswalk_dict`."""
    return dumps_line(crosswalk_dict(x))


# --------------------------------------------------------------------------- CSV and Markdown


def write_compare_csv(c: Comparison, lang: str, console: Callable[[], Console] | None = None) -> str:
    """``dxplan compare --format csv``: one row per plan (UTF-8, the keys of the JSON as headers); per fiscal
    year its state, done rows, rows with a status and share (empty unless the state is ``share``)."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    head = ["group", "plan", "municipality", "prefecture", "national_frame"]
    for fy in c.years:
        head += [f"{fy}_state", f"{fy}_done", f"{fy}_with_status", f"{fy}_share"]
    head += ["labels", "indicators_on_track", "indicators_rated", "indicators_total", "coverage", "items_covered", "items_not_covered",
             "unclassified_actions", "actions", "last_evaluation"]
    w.writerow(head)
    for g in c.groups:
        for p in g.plans:
            row: list[Any] = [g.key or "", p.plan_id, p.municipality, p.prefecture or "", p.frame_version or ""]
            for fy in c.years:
                y = _year_dict(p.years.get(fy))
                row += [y["state"], y["done"], y["with_status"], "" if y["share"] is None else y["share"]]
            row += ["; ".join(f"{_label(k, lang)}={n}" for k, n in p.labels.items()), p.indicators.on_track, p.indicators.rated,
                    p.indicators.total, p.coverage.value, " ".join(i.id for i in p.covered), " ".join(i.id for i in p.not_covered),
                    len(p.untagged), p.actions, p.last_evaluation.isoformat() if p.last_evaluation else ""]
            w.writerow(row)
    return buf.getvalue()


def _md(cells: list[str]) -> str:
    return "| " + " | ".join(c.replace("|", "\\|").replace("\n", " ") for c in cells) + " |"


def write_compare_markdown(c: Comparison, lang: str, console: Callable[[], Console] | None = None) -> str:
    """``dxplan compare --format markdown``: the two tables of the terminal view, group rows in bold."""
    lines = [f"## {t(lang, 'Task rows done, per fiscal year')}", "", _md([t(lang, "plan"), *(_fy(fy) for fy in c.years)]),
             _md(["---"] * (len(c.years) + 1))]
    for g in c.groups:
        lines.append(_md([f"**{_group_name(g, c.by, lang)}**", *(f"**{year_cell(g.years.get(fy), lang)}**" for fy in c.years)]))
        lines += [_md([p.municipality, *(year_cell(p.years.get(fy), lang) for fy in c.years)]) for p in g.plans]
    lines += ["", f"## {t(lang, 'Evaluation, indicators and national items')}", "",
              _md([t(lang, "plan"), t(lang, "labels"), t(lang, "indicators on track"), t(lang, "national items"), t(lang, "last evaluation")]),
              _md(["---"] * 5)]
    for g in c.groups:
        lines.append(_md([f"**{_group_name(g, c.by, lang)}**", labels_cell(g.labels, lang), indicators_cell(g, lang), "", ""]))
        lines += [_md([p.municipality, labels_cell(p.labels, lang), indicators_cell(p, lang), coverage_cell(p, lang), _eval_date(p, lang)]) for p in g.plans]
    return "\n".join(lines) + "\n"


def write_crosswalk_markdown(x: Crosswalk, lang: str, console: Callable[[], Console] | None = None) -> str:
    """``dxplan crosswalk --format markdown``: items as rows, plans as columns, each cell the action ids (with titles)."""
    lines = [f"## {t(lang, 'National 重点取組事項 × plans')}", "", _md([t(lang, "national item"), *(r.plan.municipality for r in x.rows)]),
             _md(["---"] * (len(x.rows) + 1))]
    for n, col in enumerate(x.columns):
        cells = []
        for r in x.rows:
            cell = r.cells[n]
            cells.append(_cell(r.plan, cell, lang) if not cell else "<br>".join(f"{a} {title}" for a, title in cell))
        lines.append(_md([f"{col.name} (`{col.id}`)", *cells]))
    lines.append(_md([t(lang, "unclassified actions"), *(str(len(r.plan.untagged)) for r in x.rows)]))
    lines += ["", _lead_note(x, lang)]
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------- HTML


def compare_view(c: Comparison, lang: str) -> dict[str, Any]:
    """What ``compare.html.j2`` receives: headings, the fiscal years, and the rows of both tables (group rows
    flagged); a year cell carries its text and its share (percent 0–100, one decimal) or None (no bar)."""
    def cells(years: dict[int, YearDone]) -> list[dict[str, Any]]:
        return [{"text": year_cell(years.get(fy), lang),
                 "share": None if (y := years.get(fy)) is None or y.share is None else float(round1(y.share))} for fy in c.years]

    done_rows: list[dict[str, Any]] = []
    rest_rows: list[dict[str, Any]] = []
    for g in c.groups:
        done_rows.append({"group": True, "name": _group_name(g, c.by, lang), "cells": cells(g.years)})
        rest_rows.append({"group": True, "cells": [_group_name(g, c.by, lang), labels_cell(g.labels, lang), indicators_cell(g, lang), "", ""]})
        for p in g.plans:
            done_rows.append({"group": False, "name": p.municipality, "cells": cells(p.years)})
            rest_rows.append({"group": False, "cells": [p.municipality, labels_cell(p.labels, lang), indicators_cell(p, lang),
                                                        coverage_cell(p, lang), _eval_date(p, lang)]})
    return {
        "lang": lang,
        "L": {"title": t(lang, "Plans compared"), "done": t(lang, "Task rows done, per fiscal year"),
              "rest": t(lang, "Evaluation, indicators and national items"), "plan": t(lang, "plan"), "note": _note(lang)},
        "years": [_fy(fy) for fy in c.years],
        "done_rows": done_rows,
        "rest_heads": [t(lang, "plan"), t(lang, "labels"), t(lang, "indicators on track"), t(lang, "national items"), t(lang, "last evaluation")],
        "rest_rows": rest_rows,
    }


def write_compare_html(c: Comparison, lang: str, console: Callable[[], Console] | None = None) -> str:
    """``dxplan compare --format html``: one self-contained page (``compare.html.j2``) with a bar per share."""
    return render_template("compare.html.j2", compare_view(c, lang))
