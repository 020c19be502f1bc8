"""Writers for :class:`dxplan.status.history.History`: a terminal table, Markdown (``history.md.j2``) and JSON, dates as columns.

The rows follow 000's summary table: for each state the count (数) and the share (割合, percent
of the rows with a status, two decimals as 000 prints them), then the total; below, rows without a
status, the actions per rating label, and whether the plan's own summary column for that date agrees.

:func:`write_table`, :func:`write_json` and :func:`write_markdown` are the writers of ``dxplan history``
(registered as :data:`dxplan.output.formats.HISTORY`).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from rich.console import Console

from dxplan.status.counts import share_text
from dxplan.status.history import History, HistoryPoint
from dxplan.fiscal import FiscalYearText, format_date
from dxplan.i18n import t
from dxplan.model.schema import STATE_ORDER
from dxplan.model.index import PlanIndex
from .jsonout import dumps_line, json_number
from .render import render_template, tidy_markdown
from .terminal import ReadableTable


def _state_words(history: History) -> dict[str, str]:
    if history.plan is None:
        from dxplan.i18n import STATE_JA

        return dict(STATE_JA)
    index = PlanIndex(history.plan)
    return {s.value: index.state_word(s) for s in STATE_ORDER}


def _column_head(p: HistoryPoint, lang: str, style: str) -> str:
    """A column's heading: its date as the reports write dates (令和7年2月10日 in Japanese in the plan's style,
    10 February 2025 in English), then the commit and where the date comes from."""
    source = {"evaluation_date": t(lang, "evaluation date"), "commit": t(lang, "commit date"), "asked": t(lang, "as of")}[p.date_source]
    return f"{format_date(p.date, lang, style)}\n{p.short} ({source})"


def _snapshot_cell(p: HistoryPoint, words: dict[str, str], lang: str) -> str:
    if p.snapshot is None:
        return "—"
    diffs = p.snapshot_differences
    if not diffs:
        return t(lang, "matches")
    parts = [f"{words.get(k, t(lang, 'total'))} {a}→{b}" for k, (a, b) in diffs.items()]
    return t(lang, "differs: {parts}", parts=", ".join(parts))


def history_rows(history: History, lang: str) -> tuple[list[str], list[list[str]]]:
    """The table as text cells: ``(header, rows)``, the first column naming the row."""
    words = _state_words(history)
    style = history.plan.fiscal_year_style if history.plan else "reiwa"
    header = [t(lang, "item")] + [_column_head(p, lang, style) for p in history.points]
    years = [t(lang, "fiscal year")]
    if history.points:
        assert history.plan is not None, "the plan is read at the last point, where it loaded"
        years += [FiscalYearText(p.fiscal_year, history.plan.fiscal_year_style)(lang) for p in history.points]
    rows: list[list[str]] = [years]
    count, share = t(lang, "(count)"), t(lang, "(share)")
    for s in STATE_ORDER:
        rows.append([words[s.value] + count] + [str(p.counts.states[s]) for p in history.points])
        rows.append([words[s.value] + share] + [share_text(p.counts.share(s)) for p in history.points])
    rows.append([t(lang, "total") + count] + [str(p.counts.with_status) for p in history.points])
    rows.append([t(lang, "rows without a status")] + [str(p.counts.no_status + p.counts.unknown) for p in history.points])
    labels = list(dict.fromkeys(k for p in history.points for k in p.grades))
    for label in labels:
        rows.append([t(lang, "actions: {label}", label=label)] + [str(p.grades.get(label, 0)) for p in history.points])
    if any(p.snapshot for p in history.points):
        rows.append([t(lang, "the plan's own table")] + [_snapshot_cell(p, words, lang) for p in history.points])
    return header, rows


def print_history(console: Console, history: History, lang: str) -> None:
    """The history as a rich table, dates as columns, with the notes (shallow clone) below."""
    title = f"{history.plan.municipality} {history.plan.title}" if history.plan else history.root
    header, rows = history_rows(history, lang)
    # the heading on its own line: a table title would wrap at the (narrow) table's width
    console.print(t(lang, "{title}: status over time ({root})", title=title, root=history.root or "."), markup=False, highlight=False)
    table = ReadableTable(show_lines=False)
    table.add_column(header[0])
    for h in header[1:]:
        table.add_column(h, justify="right")
    for r in rows:
        table.add_row(*r)
    console.print(table)
    for note in history.notes:
        console.print(f"※ {note(lang)}")


def history_view(history: History, lang: str) -> dict[str, Any]:
    """One history as ``history.md.j2`` takes it: ``municipality`` and ``title`` (None when the plan did not
    load), ``root`` (the plan folder in its repository, ``""`` at the top), ``header`` (the column heads, each
    on one line), ``rows`` (the cells of :func:`history_rows`) and ``notes`` (sentences in ``lang``). Plain
    text: the template escapes it."""
    header, rows = history_rows(history, lang)
    return {
        "municipality": history.plan.municipality if history.plan else None,
        "title": history.plan.title if history.plan else None,
        "root": history.root,
        "header": [h.replace("\n", " ") for h in header],
        "rows": rows,
        "notes": [n(lang) for n in history.notes],
    }


def history_markdown(histories: list[History], lang: str, templates: Path | None = None) -> str:
    """``dxplan history --format markdown``: per plan a heading, a GitHub table with the dates as columns
    (column heads on one line) and its notes as a list, rendered through ``history.md.j2`` (looked up in
    ``templates`` first), ending with one newline.

    Plan text is escaped as in ``dxplan status --format markdown`` (:mod:`dxplan.output.render`). Raises
    :class:`dxplan.output.render.RenderError` naming the template file and line on a template problem.
    """
    context = {"histories": [history_view(h, lang) for h in histories], "lang": lang, "_": partial(t, lang)}
    return tidy_markdown(render_template("history.md.j2", context, templates))


def history_dict(history: History, lang: str) -> dict[str, Any]:
    """The history as JSON-ready data: one entry per column with counts and shares by canonical state.

    Shares are percents (0–100) of the rows with a status, two decimals half-up as the table prints them
    (:func:`dxplan.output.jsonout.json_number`); None when no row has a status.
    """

    def point(p: HistoryPoint) -> dict[str, Any]:
        return {
            "commit": p.commit,
            "date": p.date.isoformat(),
            "date_source": p.date_source,
            "subject": p.subject,
            "fiscal_year": p.fiscal_year,
            "counts": {s.value: p.counts.states[s] for s in STATE_ORDER},
            "shares": {s.value: json_number(p.counts.share(s)) for s in STATE_ORDER},
            "total": p.counts.with_status,
            "no_status": p.counts.no_status,
            "unknown_status": p.counts.unknown,
            "grades": p.grades,
            "snapshot": None if p.snapshot is None else {
                "label": p.snapshot.label,
                "matches": not p.snapshot_differences,
                "differences": {k: {"printed": a, "computed": b} for k, (a, b) in p.snapshot_differences.items()},
            },
            "files_with_errors": p.problems,
        }

    return {
        "plan": history.plan.id if history.plan else None,
        "root": history.root,
        "shallow": history.shallow,
        "notes": [n(lang) for n in history.notes],
        "points": [point(p) for p in history.points],
    }


def write_table(histories: list[History], lang: str, console: Callable[[], Console]) -> None:
    """``dxplan history --format table``: :func:`print_history` for each plan folder."""
    for h in histories:
        print_history(console(), h, lang)


def write_json(histories: list[History], lang: str, console: Callable | None = None) -> str:
    """``dxplan history --format json``: one plan folder's :func:`history_dict`, or a list of them; indented, Japanese kept."""
    data = [history_dict(h, lang) for h in histories]
    return dumps_line(data[0] if len(data) == 1 else data)


def write_markdown(histories: list[History], lang: str, console: Callable | None = None) -> str:
    """``dxplan history --format markdown``: :func:`history_markdown` of the plan folders."""
    return history_markdown(histories, lang)
