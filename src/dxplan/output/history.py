"""Writers for :class:`dxplan.status.history.History`: a terminal table, Markdown and JSON, dates as columns.

The rows follow 000's summary table: for each state the count (数) and the share (割合, percent
of the rows with a status, two decimals as 000 prints them), then the total; below, rows without a
status, the actions per rating label, and whether the plan's own summary column for that date agrees.

:func:`write_table`, :func:`write_json` and :func:`write_markdown` are the writers of ``dxplan history``
(registered as :data:`dxplan.output.formats.HISTORY`).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from rich.console import Console
from rich.table import Table

from dxplan.status.counts import share_text
from dxplan.status.history import History, HistoryPoint
from dxplan.fiscal import FiscalYearText
from dxplan.i18n import t
from dxplan.model.schema import STATE_ORDER
from dxplan.model.index import PlanIndex


def _state_words(history: History) -> dict[str, str]:
    if history.plan is None:
        from dxplan.i18n import STATE_JA

        return dict(STATE_JA)
    index = PlanIndex(history.plan)
    return {s.value: index.state_word(s) for s in STATE_ORDER}


def _column_head(p: HistoryPoint, lang: str) -> str:
    source = {"evaluation_date": t(lang, "evaluation date"), "commit": t(lang, "commit date"), "asked": t(lang, "as of")}[p.date_source]
    return f"{p.date.isoformat()}\n{p.short} ({source})"


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
    header = [t(lang, "item")] + [_column_head(p, lang) for p in history.points]
    rows: list[list[str]] = [[t(lang, "fiscal year")] + [FiscalYearText(p.fiscal_year, history.plan.fiscal_year_style)(lang) for p in history.points]]
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
    table = Table(title=t(lang, "{title}: status over time ({root})", title=title, root=history.root or "."), show_lines=False)
    table.add_column(header[0], no_wrap=True)
    for h in header[1:]:
        table.add_column(h, justify="right")
    for r in rows:
        table.add_row(*r)
    console.print(table)
    for note in history.notes:
        console.print(f"※ {note(lang)}")


def render_markdown(history: History, lang: str) -> str:
    """The history as a Markdown table (column heads on one line), notes as a list below."""
    header, rows = history_rows(history, lang)
    title = f"{history.plan.municipality} {history.plan.title}" if history.plan else history.root
    out = [f"## {t(lang, '{title}: status over time ({root})', title=title, root=history.root or '.')}", ""]
    out.append("| " + " | ".join(h.replace("\n", " ") for h in header) + " |")
    out.append("|" + "---|" + "---:|" * (len(header) - 1))
    out += ["| " + " | ".join(c.replace("|", "\\|") for c in r) + " |" for r in rows]
    if history.notes:
        out.append("")
        out += [f"- {n(lang)}" for n in history.notes]
    return "\n".join(out)


def history_dict(history: History, lang: str) -> dict[str, Any]:
    """The history as JSON-ready data: one entry per column with counts and shares by canonical state."""

    def point(p: HistoryPoint) -> dict[str, Any]:
        return {
            "commit": p.commit,
            "date": p.date.isoformat(),
            "date_source": p.date_source,
            "subject": p.subject,
            "fiscal_year": p.fiscal_year,
            "counts": {s.value: p.counts.states[s] for s in STATE_ORDER},
            "shares": {s.value: None if p.counts.share(s) is None else round(p.counts.share(s), 2) for s in STATE_ORDER},
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
    return json.dumps(data[0] if len(data) == 1 else data, ensure_ascii=False, indent=2) + "\n"


def write_markdown(histories: list[History], lang: str, console: Callable | None = None) -> str:
    """``dxplan history --format markdown``: :func:`render_markdown` for each plan folder, a blank line between."""
    return "\n\n".join(render_markdown(h, lang) for h in histories) + "\n"
