"""Terminal output through rich: status tables, score tables, explanations.

:func:`write_status`, :func:`write_indicators` and :func:`write_scores` are the table writers of
``dxplan status``, ``status --by indicator`` and ``dxplan score`` (registered in
:mod:`dxplan.report.formats` and :mod:`dxplan.output.formats`).

Arranges results computed elsewhere — :class:`dxplan.status.counts.StatusResult`,
:class:`dxplan.score.actions.ActionScore`, :func:`dxplan.score.actions.tally_labels` — and words
them through :mod:`dxplan.output.wording`. Labels are in the plan's own words (its
status words, its rating scale) with English headers when ``lang == "en"``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any
from functools import partial

from rich.console import Console, JustifyMethod
from rich.table import Table
from rich.text import Text

from dxplan.status.counts import (
    FocusYear, GradeTable, PlanIndicators, PlanOverview, PlanScores, StatusResult, StatusTable, YearStatus, share_text,
)
from dxplan.status.effects import EffectSums, EffectSummary
from dxplan.fiscal import format_date, format_fiscal_year
from dxplan.i18n import N_, STATE_EN, STATE_JA, pt, t
from dxplan.model.schema import STATE_ORDER, Plan, State
from dxplan.score.rates import NO_SCALE_LABEL, RateStatus, fmt_num, written_decimals
from dxplan.score.actions import ActionScore, tally_labels
from dxplan.score.methods import Method
from dxplan.score.indicators import IndicatorRow, IndicatorScore
from . import wording as w
from .plain_table import plain_table

MEANING_WORDS = {
    "saving": N_("saving"),
    "extra_workload": N_("extra workload"),
    "cost": N_("cost"),
    "revenue": N_("revenue"),
    "reduction": N_("reduction"),
    "unknown": N_("unknown"),
    "unspecified": N_("meaning not recorded"),
}
"""The words for an effect's sign meaning (:data:`dxplan.status.effects.MEANINGS`)."""

KIND_WORDS = w.EFFECT_KINDS

class ReadableTable(Table):
    """A rich table that stays readable in a narrow terminal (80 columns and below).

    A table whose cells all fit on one line is laid out as rich does. Otherwise right-justified columns hold numbers: each is given the width of its longest word (a number,
    ``(54%)``), so no number is ever cut or broken; a "count (share)" cell wraps between the two.
    Every other column folds a long name onto the next lines (Japanese has no spaces to wrap at)
    rather than cut it with "…", and gives up width first. When the table does not fit with its
    number columns as wide as their headings, it drops its frame (columns one space apart, a line
    under the headings) and folds those headings at :data:`NARROW_HEADING` cells. Widths are
    terminal cells (rich's ``cell_len``), so wide characters line up.
    """

    #: Cells a number column's heading folds at when the table would not fit otherwise (two Japanese characters).
    NARROW_HEADING = 4
    #: Cells a text column keeps at least, when working out whether headings can keep their width.
    TEXT_MIN = 8

    def add_column(self, header: Any = "", *args: Any, justify: JustifyMethod = "left", **kwargs: Any) -> None:
        kwargs.setdefault("overflow", "fold")
        super().add_column(header, *args, justify=justify, **kwargs)

    def _calculate_column_widths(self, console: Console, options: Any) -> list[int]:
        # rich hands this method the width left once the frame is taken off (options.max_width), so the
        # frame's own width (self._extra_width) is not counted again here
        natural = sum(self._measure_column(console, options, c).maximum for c in self.columns)
        if natural <= options.max_width:  # every cell on one line: nothing to fold
            return super()._calculate_column_widths(console, options)
        numbers = [c for c in self.columns if c.justify == "right" and c.width is None]
        words = [max((_longest_word(cell) for cell in c.cells), default=1) for c in numbers]
        headings = [_longest_word(c.header) for c in numbers]
        overhead = sum(self._get_padding_width(c._index) for c in self.columns)
        texts = len(self.columns) - len(numbers)
        fits = sum(map(max, words, headings)) + overhead + texts * self.TEXT_MIN <= options.max_width
        if not fits:  # a narrow terminal: columns apart by one space, no frame, headings folded
            from rich import box

            self.box, self.padding, self.show_edge = box.SIMPLE_HEAD, (0, 0, 0, 0), False
        for column, word, heading in zip(numbers, words, headings, strict=True):
            column.width = max(word, heading if fits else min(heading, self.NARROW_HEADING))
        try:
            return super()._calculate_column_widths(console, options)
        finally:
            for column in numbers:
                column.width = None


def _longest_word(cell: Any) -> int:
    """Terminal cells of the longest word of a table cell (text or rich Text); 1 for anything else.

    Words are separated by spaces, and a full-width parenthesis starts a new one, so a rate's range note
    (``103.3%（目標超過）``) may fold onto the next line while the number itself stays whole."""
    import re

    from rich.cells import cell_len

    plain = cell.plain if isinstance(cell, Text) else cell if isinstance(cell, str) else ""
    return max((cell_len(word) for word in re.split(r"\s+|(?=（)", plain) if word), default=1)


LABEL_STYLES = {"達成": "bold green", "ほぼ達成": "green", "概ね達成": "cyan", "やや未達": "yellow", "課題あり": "bold red"}


def plan_heading(console: Console, plan: Plan, lang: str) -> None:
    """Municipality, title, period and evaluation date in one line."""
    period = f"{format_fiscal_year(plan.period_start, plan.fiscal_year_style)}〜{format_fiscal_year(plan.period_end, plan.fiscal_year_style)}"
    when = "  " + t(lang, "evaluated") + f" {format_date(plan.evaluation_date, lang, plan.fiscal_year_style)}" if plan.evaluation_date else ""
    stage = f"（{plan.stage_label}）" if plan.stage_label else ""
    console.print(Text.assemble((f"{plan.municipality} ", "bold"), (f"{plan.title}{stage}", "bold"), f"  {period}{when}"))


def _states_table(table: StatusTable, words: dict[State, str], title: str, lang: str) -> Table:
    L = w.status_labels(lang)
    tb = ReadableTable(title=title, title_justify="left")
    tb.add_column(L["status"])
    tb.add_column(L["count"], justify="right")
    tb.add_column(L["share"], justify="right")
    tb.add_column("", min_width=20)
    for state in STATE_ORDER:
        share = table.total.share(state)
        bar = "█" * round((share or 0) / 5)
        tb.add_row(w.state_label(words[state], state, lang), str(table.total.states[state]), share_text(share), Text(bar, style="blue"))
    tb.add_section()
    tb.add_row(L["total_with_status"], str(table.total.with_status), "100%" if table.total.with_status else "—", "", style="bold")
    return tb


def _groups_table(table: StatusTable, words: dict[State, str], title: str, lang: str) -> Table:
    assert table.by is not None, "a table with groups is grouped by something"
    L = w.status_labels(lang)
    tb = ReadableTable(title=title, title_justify="left")
    tb.add_column(w.by_label(table.by, lang))
    for state in STATE_ORDER:
        tb.add_column(w.state_label(words[state], state, lang), justify="right")
    tb.add_column(L["no_status"], justify="right")
    tb.add_column(L["rows"], justify="right")
    for g in table.groups:
        tb.add_row(w.group_label(g, lang), *[f"{g.states[s]}" for s in STATE_ORDER], str(g.without), str(g.rows))
    tb.add_section()
    tot = table.total
    tb.add_row(L["total"], *[f"{tot.states[s]} ({share_text(tot.share(s))})" for s in STATE_ORDER], str(tot.without), str(tot.rows), style="bold")
    return tb


def _print_year(console: Console, result: StatusResult, year: YearStatus, lang: str) -> None:
    table = year.table
    fy = format_fiscal_year(table.fiscal_year, result.plan.fiscal_year_style)
    if table.total.rows == 0:
        console.print(t(lang, "{fy}: no tasks", fy=fy))
        return
    if table.total.with_status == 0:
        console.print(t(lang, "{fy}: no task row has a status yet ({rows} task rows)", fy=fy, rows=table.total.rows))
        return
    title = w.status_title(fy, table.by, lang)
    make = _states_table if table.by is None else _groups_table
    console.print(make(table, result.state_words, title, lang))
    if (line := w.without_status_line(table.total, lang)) is not None:
        console.print(f"  {line}")
    if (note := w.table_note(table, lang)) is not None:
        console.print(f"  {note}", style="dim")
    if year.check is not None:
        console.print(f"  {w.snapshot_check_line(year.check, result.state_words, lang)}", style="green" if year.check.matches else "yellow")


def print_status(console: Console, result: StatusResult, lang: str = "ja") -> None:
    """One rich table per fiscal year: rows per state (or per group with ``--by``), a total row, rows without status apart;
    then the grade counts per year (a plan with a grade scale) and the effect sums (a plan with effects)."""
    plan_heading(console, result.plan, lang)
    for year in result.years:
        _print_year(console, result, year, lang)
    for g in result.grades:
        print_grades(console, result.plan, g, lang)
    if result.effects is not None:
        print_effects(console, result.plan, result.effects, lang, by_action=any(y.table.by == "action" for y in result.years))


def print_grades(console: Console, plan: Plan, g: GradeTable, lang: str = "ja") -> None:
    """One fiscal year's grade split: each grade of the scale (best first) with its meaning, count and share of
    the graded rows; not graded and unknown grades counted apart; groups with ``--by``."""
    fy = format_fiscal_year(g.fiscal_year, plan.fiscal_year_style)
    what = t(lang, "indicators") if g.applies_to == "indicator" else t(lang, "actions")
    table = ReadableTable(title=t(lang, "{fy} grades ({what})", fy=fy, what=what), title_justify="left")
    scale = plan.grade_scale
    meanings = {x.grade: x.meaning for x in scale.grades} if scale else {}
    if g.by is None:
        table.add_column(t(lang, "grade"))
        table.add_column(t(lang, "meaning"))
        table.add_column(t(lang, "count"), justify="right")
        table.add_column(t(lang, "share"), justify="right")
        for grade, n in g.total.grades.items():
            table.add_row(grade, meanings.get(grade) or "", str(n), share_text(g.total.share(grade)))
        table.add_section()
        table.add_row(t(lang, "graded"), "", str(g.total.graded), "100%" if g.total.graded else "—", style="bold")
        for grade, n in g.total.apart.items():
            table.add_row(grade, meanings.get(grade) or "", str(n), "—")
    else:
        table.add_column(w.by_label(g.by, lang))
        for grade in (*g.total.grades, *g.total.apart):
            table.add_column(grade, justify="right")
        table.add_column(t(lang, "not graded"), justify="right")
        table.add_column(t(lang, "rows"), justify="right")
        for c in g.groups:
            table.add_row(c.label or t(lang, "(no department)"), *[str(n) for n in (*c.grades.values(), *c.apart.values())],
                          str(c.not_graded + c.unknown), str(c.rows))
        table.add_section()
        tot = g.total
        table.add_row(t(lang, "total"), *[f"{n} ({share_text(tot.share(k))})" for k, n in tot.grades.items()],
                      *[str(n) for n in tot.apart.values()], str(tot.not_graded + tot.unknown), str(tot.rows), style="bold")
    console.print(table)
    if g.total.apart:
        console.print("  " + w.not_evaluated_line(g.total, lang))
    console.print("  " + t(lang, "not graded: {n} (not in the shares)", n=g.total.not_graded))
    if g.total.unknown:
        console.print("  " + t(lang, "grades not in the scale: {n} (not in the shares; see dxplan lint)", n=g.total.unknown), style="yellow")


def _num(x: float, decimals: int | None = None) -> str:
    if decimals is None:
        decimals = written_decimals(x)
    if decimals is not None:
        return w.with_decimals(x, decimals)
    return f"{int(x):,}" if float(x).is_integer() else f"{x:,.1f}"


def _effects_rows(table: Table, label: str, sums: EffectSums, years: list[int], lang: str) -> None:
    for kind, meaning in sums.pairs():
        per = sums.values[(kind, meaning)]
        table.add_row(label, t(lang, KIND_WORDS[kind]) + t(lang, " ({text})", text=w.effect_unit(kind, lang)), t(lang, MEANING_WORDS[meaning]),
                      *[_num(per[fy]) if fy in per else "—" for fy in years], _num(sums.total(kind, meaning)))
        label = ""


def print_effects(console: Console, plan: Plan, summary: EffectSummary, lang: str = "ja", by_action: bool = False) -> None:
    """Effect sums per kind and sign meaning (never netted), per fiscal year and in total; then per 部
    (and per action with ``by_action``). Cells without a number, and per-person figures (left out of every
    sum), are counted below the table with the actions that hold them; a line says that the sign meaning
    is dxplan's reading."""
    years = summary.years
    style = plan.fiscal_year_style

    def table(title: str, first: str) -> Table:
        tb = ReadableTable(title=title, title_justify="left")
        for col in (first, t(lang, "effect"), t(lang, w.SIGN_MEANING_HEADING)):
            tb.add_column(col)
        for fy in years:
            tb.add_column(format_fiscal_year(fy, style), justify="right")
        tb.add_column(t(lang, "total"), justify="right")
        return tb

    tb = table(t(lang, "effect targets (as signed in the sheets; meanings never netted)"), "")
    _effects_rows(tb, t(lang, "total"), summary.total, years, lang)
    console.print(tb)
    cells = summary.total.text_cells
    if cells:
        console.print("  " + t(lang, "cells without a number (not summed): hours {hours}, money {money}",
                               hours=cells.get("hours", 0), money=cells.get("money", 0)))
    per = summary.total.per_cells
    if per:
        ids = [key for key, sums in summary.by_action.items() if sums.per_cells]
        console.print("  " + t(lang, "per-person figures left out of every sum: hours {hours}, money {money} (actions {ids})",
                               hours=per.get("hours", 0), money=per.get("money", 0), ids=w.sep(lang).join(ids)))
    console.print("  " + t(lang, w.SIGN_MEANING_NOTE))
    tb = table(t(lang, "effect targets by division"), t(lang, "division"))
    for key, sums in summary.by_division.items():
        _effects_rows(tb, summary.division_names.get(key) or key or t(lang, "(no division)"), sums, years, lang)
        tb.add_section()
    console.print(tb)
    if by_action:
        tb = table(t(lang, "effect targets by action"), t(lang, "action"))
        for key, sums in summary.by_action.items():
            _effects_rows(tb, key, sums, years, lang)
        console.print(tb)


def print_indicators(console: Console, plan: Plan, fiscal_year: int, rows: list[IndicatorRow], lang: str = "ja",
                     focus: FocusYear | None = None) -> None:
    """``status --by indicator``: every indicator's target, actual and rate in one fiscal year, its overall rate
    (interim marked) and grade; "no actual yet" apart from 0 %. A target given only as text (上昇) is shown as
    written. ``focus``: why this year (a line says so when the plan has no evaluation date)."""
    plan_heading(console, plan, lang)
    fy = format_fiscal_year(fiscal_year, plan.fiscal_year_style)
    if focus is not None and (line := w.focus_line(focus, fy, lang)) is not None:
        console.print("  " + line, style="yellow")
    tb = ReadableTable(title=t(lang, "{fy} indicators", fy=fy), title_justify="left")
    columns: tuple[tuple[str, JustifyMethod], ...] = (
        (t(lang, "action"), "left"), (t(lang, "indicator"), "left"), (t(lang, "target"), "right"),
        (t(lang, "actual"), "right"), (t(lang, "rate"), "right"), (t(lang, "overall"), "right"), (t(lang, "grade"), "left"))
    for col, just in columns:
        tb.add_column(col, justify=just)
    for r in rows:
        unit = r.score.indicator.unit or ""
        y = r.year
        ind = r.score.indicator
        target = "—" if y is None or y.target is None else f"{_num(y.target)}{unit}"
        if target == "—" and ind.target_text and ind.target_value is None:
            target = ind.target_text
        actual = w.actual_text(None if y is None else y.actual, unit, lang, partial(_num, decimals=ind.decimals))
        if y is None or y.status is RateStatus.not_applicable:
            rate = "—"
        elif y.status is RateStatus.insufficient_data:
            rate = t(lang, "no actual yet")
        else:
            rate = w.percent_with_note(y.shown, y.range_note, lang)
        tb.add_row(r.action_id or t(lang, "plan"), f"{r.score.id} {r.score.indicator.name}", target, actual, rate,
                   indicator_overall(r.score, lang), r.grade or "")
    console.print(tb)


def indicator_overall(s: IndicatorScore, lang: str) -> str:
    """An indicator's overall rate as shown: ``80.0%`` (``80.0%（途中）`` when interim), else why there is none."""
    o = s.overall
    if o.status is RateStatus.ok:
        return w.percent_with_note(o.shown, o.range_note, lang) + (t(lang, " (interim)") if o.interim else "")
    return w.core_text(o.reason, lang) if o.reason else "—"


def print_scores(console: Console, plan: Plan, scores: list[ActionScore], lang: str = "ja") -> None:
    """A table of every action: deciding method, rate, label, and the reference rates; then the labels tallied."""
    plan_heading(console, plan, lang)
    tb = ReadableTable(title_justify="left")
    tb.add_column("No", justify="right")
    tb.add_column(pt(lang, "column", "action"))
    tb.add_column(t(lang, "rate"), justify="right")
    tb.add_column(t(lang, "label"))
    tb.add_column(t(lang, "decided by"))
    for m in Method:
        tb.add_column(w.method_heading(m, lang), justify="right")
    for s in scores:
        tb.add_row(
            s.action_id,
            s.title,
            w.rate_text(s.rate, lang) + (t(lang, " (interim)") if s.rate is not None and s.rate.interim else ""),
            Text(w.score_label(s, lang), style=LABEL_STYLES.get(s.label, "dim")),
            w.method_label(s.deciding, lang, plan),
            *[w.reference_cell(r, lang) for r in s.references.values()],
        )
    console.print(tb)
    console.print("  " + "、".join(
        f"{w.tally_key(k, lang)} {v}" for k, v in tally_labels(scores).items()
    ))


def print_explain(console: Console, plan: Plan, s: ActionScore, lang: str = "ja") -> None:
    """Inputs, formula with numbers, rate and label of one action, for checking by hand."""
    console.print(Text(f"{s.action_id} {s.title}", style="bold"))
    for method, rate in s.references.items():
        mark = "▶ " if method == s.deciding else "  "
        console.print(f"{mark}{w.method_label(method, lang, plan)}: ", end="")
        value = w.rate_value(rate, lang)
        console.print(value if rate.status is RateStatus.ok else Text(value, style="dim"))
        for line in rate.explain:
            console.print(f"      {w.core_text(line, lang)}")
    for ind in s.indicators:
        console.print(f"    {ind.id} {ind.indicator.name}: {indicator_overall(ind, lang)}")
        for y in ind.years:
            if y.status is RateStatus.insufficient_data:
                fy = format_fiscal_year(y.fiscal_year, plan.fiscal_year_style)
                console.print("      " + t(lang, "{fy}: target {target}, no actual yet (not 0 %)", fy=fy, target="—" if y.target is None else fmt_num(y.target)), style="dim")
    if s.rate is not None and s.rate.interim:
        console.print("  " + t(lang, "interim: measured before the target's deadline"), style="yellow")
    if s.label == NO_SCALE_LABEL:
        assert s.rate is not None, "only a deciding rate is labelled"
        console.print("  " + t(lang, "rate {rate}%: no scale declared, so no label", rate=s.rate.shown), style="bold")
    else:
        console.print(f"  {w.decision_line(s, lang, plan)}", style="bold")
    if plan.rating_scale:
        console.print(f"  {w.scale_line(plan.rating_scale, lang)}", style="dim")
    else:
        console.print("  " + t(lang, "the plan declares no percent scale (rating_scale)"), style="dim")


def print_overview(console: Console, overviews: list[PlanOverview], lang: str = "ja") -> None:
    """The combined view across plans: actions and task rows per state, per plan; not evaluated apart."""
    tb = ReadableTable(title=t(lang, "all plans"), title_justify="left")
    tb.add_column(t(lang, "plan"))
    tb.add_column(t(lang, "FY"))
    tb.add_column("")
    for s in STATE_ORDER:
        tb.add_column(STATE_EN[s.value] if lang == "en" else STATE_JA[s.value], justify="right")
    tb.add_column(t(lang, "not evaluated"), justify="right")
    tb.add_column(pt(lang, "column", "total"), justify="right")
    for o in overviews:
        fy = format_fiscal_year(o.fiscal_year, o.plan.fiscal_year_style)
        for kind, c in ((t(lang, "actions"), o.actions), (t(lang, "task rows"), o.rows)):
            tb.add_row(o.plan.municipality, fy, kind, *[str(c.states[s]) for s in STATE_ORDER], str(c.without), str(c.rows))
        tb.add_section()
    plain = plain_table(tb, console)  # two rows per plan: laid out by arithmetic where rich would print it plainly
    if plain is None:
        console.print(tb)
    else:
        console.out(plain, end="", highlight=False)
    for o in overviews:
        fy = format_fiscal_year(o.fiscal_year, o.plan.fiscal_year_style)
        if (line := w.focus_line(FocusYear(o.fiscal_year, o.focus), fy, lang)) is not None:
            console.print(f"  {o.plan.municipality}: {line}", style="dim")


def write_status(results: list[StatusResult], lang: str, console: Callable[[], Console]) -> None:
    """``dxplan status --format table``: each plan's tables, then the combined view when there are several plans."""
    for r in results:
        print_status(console(), r, lang)
        console().print()
    if len(results) > 1:
        print_overview(console(), [r.overview for r in results], lang)


def write_indicators(plans: Iterable[PlanIndicators], lang: str, console: Callable[[], Console]) -> None:
    """``dxplan status --by indicator --format table``: each plan's indicator table, printed as the plan comes."""
    for p in plans:
        print_indicators(console(), p.plan, p.focus.fiscal_year, p.rows, lang, p.focus)
        console().print()


def write_scores(plans: Iterable[PlanScores], lang: str, console: Callable[[], Console], *, explain: bool = False) -> None:
    """``dxplan score --format text``: each plan's score table and grade split, or with ``explain`` each action's
    inputs, formula and label; printed as the plan comes."""
    for p in plans:
        if explain:
            plan_heading(console(), p.plan, lang)
            for s in p.scores:
                print_explain(console(), p.plan, s, lang)
                console().print()
            continue
        print_scores(console(), p.plan, p.scores, lang)
        for g in p.grades:
            print_grades(console(), p.plan, g, lang)
        console().print()
