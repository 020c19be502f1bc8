"""Terminal output through rich: status tables, score tables, explanations.

Arranges results computed elsewhere — :class:`dxplan.aggregate.StatusResult`,
:class:`dxplan.score.ActionScore`, :func:`dxplan.score.tally_labels` — and words
them through :mod:`dxplan.wording`. Labels are in the plan's own words (its
status words, its rating scale) with English headers when ``lang == "en"``.
"""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

from .aggregate import PlanOverview, StatusResult, StatusTable, YearStatus, share_text
from .fiscal import format_fiscal_year
from .i18n import STATE_EN, STATE_JA
from .i18n import tr as _t
from .model import STATE_ORDER, Plan, State
from .score import ActionScore, Method, RateStatus, tally_labels
from . import wording as w

LABEL_STYLES = {"達成": "bold green", "ほぼ達成": "green", "概ね達成": "cyan", "やや未達": "yellow", "課題あり": "bold red"}


def plan_heading(console: Console, plan: Plan, lang: str) -> None:
    """Municipality, title, period and evaluation date in one line."""
    period = f"{format_fiscal_year(plan.period_start, plan.fiscal_year_style)}〜{format_fiscal_year(plan.period_end, plan.fiscal_year_style)}"
    when = f"  {_t(lang, '評価日', 'evaluated')} {plan.evaluation_date.isoformat()}" if plan.evaluation_date else ""
    stage = f"（{plan.stage_label}）" if plan.stage_label else ""
    console.print(Text.assemble((f"{plan.municipality} ", "bold"), (f"{plan.title}{stage}", "bold"), f"  {period}{when}"))


def _states_table(table: StatusTable, words: dict[State, str], title: str, lang: str) -> Table:
    L = w.status_labels(lang)
    t = Table(title=title, title_justify="left")
    t.add_column(L["status"])
    t.add_column(L["count"], justify="right")
    t.add_column(L["share"], justify="right")
    t.add_column("", min_width=20)
    for state in STATE_ORDER:
        share = table.total.share(state)
        bar = "█" * round((share or 0) / 5)
        t.add_row(w.state_label(words[state], state, lang), str(table.total.states[state]), share_text(share), Text(bar, style="blue"))
    t.add_section()
    t.add_row(L["total_with_status"], str(table.total.with_status), "100%" if table.total.with_status else "—", "", style="bold")
    return t


def _groups_table(table: StatusTable, words: dict[State, str], title: str, lang: str) -> Table:
    L = w.status_labels(lang)
    t = Table(title=title, title_justify="left")
    t.add_column(w.by_label(table.by, lang))
    for state in STATE_ORDER:
        t.add_column(w.state_label(words[state], state, lang), justify="right")
    t.add_column(L["no_status"], justify="right")
    t.add_column(L["rows"], justify="right")
    for g in table.groups:
        t.add_row(w.group_label(g, lang), *[f"{g.states[s]}" for s in STATE_ORDER], str(g.without), str(g.rows))
    t.add_section()
    tot = table.total
    t.add_row(L["total"], *[f"{tot.states[s]} ({share_text(tot.share(s))})" for s in STATE_ORDER], str(tot.without), str(tot.rows), style="bold")
    return t


def _print_year(console: Console, result: StatusResult, year: YearStatus, lang: str) -> None:
    table = year.table
    fy = format_fiscal_year(table.fiscal_year, result.plan.fiscal_year_style)
    if table.total.rows == 0:
        console.print(_t(lang, f"{fy}: タスクなし", f"{fy}: no tasks"))
        return
    if table.total.with_status == 0:
        console.print(_t(
            lang,
            f"{fy}: 進捗状況の記入された行はありません（タスク {table.total.rows} 行）",
            f"{fy}: no task row has a status yet ({table.total.rows} task rows)",
        ))
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
    """One rich table per fiscal year: rows per state (or per group with ``--by``), a total row, rows without status apart."""
    plan_heading(console, result.plan, lang)
    for year in result.years:
        _print_year(console, result, year, lang)


def print_scores(console: Console, plan: Plan, scores: list[ActionScore], lang: str = "ja") -> None:
    """A table of every action: deciding method, rate, label, and the reference rates; then the labels tallied."""
    plan_heading(console, plan, lang)
    t = Table(title_justify="left")
    t.add_column("No", justify="right")
    t.add_column(_t(lang, "アクション名", "action"), max_width=34)
    t.add_column(_t(lang, "達成率", "rate"), justify="right")
    t.add_column(_t(lang, "評価", "label"))
    t.add_column(_t(lang, "決定方法", "decided by"))
    for m in Method:
        t.add_column(w.method_heading(m, lang), justify="right")
    for s in scores:
        t.add_row(
            s.action_id,
            s.title,
            w.rate_text(s.rate),
            Text(w.score_label(s, lang), style=LABEL_STYLES.get(s.label, "dim")),
            w.method_label(s.deciding, lang),
            *[w.reference_cell(r, lang) for r in s.references.values()],
        )
    console.print(t)
    console.print("  " + "、".join(f"{w.tally_key(k, lang)} {v}" for k, v in tally_labels(scores).items()))


def print_explain(console: Console, plan: Plan, s: ActionScore, lang: str = "ja") -> None:
    """Inputs, formula with numbers, rate and label of one action, for checking by hand."""
    console.print(Text(f"{s.action_id} {s.title}", style="bold"))
    for method, rate in s.references.items():
        mark = "▶ " if method == s.deciding else "  "
        console.print(f"{mark}{w.method_label(method, lang)}: ", end="")
        value = w.rate_value(rate, lang)
        console.print(value if rate.status is RateStatus.ok else Text(value, style="dim"))
        for line in rate.explain:
            console.print(f"      {_t(lang, *line)}")
    console.print(f"  {w.decision_line(s, lang)}", style="bold")
    console.print(f"  {w.scale_line(plan.rating_scale, lang)}", style="dim")


def print_overview(console: Console, overviews: list[PlanOverview], lang: str = "ja") -> None:
    """The combined view across plans: actions and task rows per state, per plan; not evaluated apart."""
    t = Table(title=_t(lang, "全計画の概況", "all plans"), title_justify="left")
    t.add_column(_t(lang, "計画", "plan"))
    t.add_column(_t(lang, "年度", "FY"))
    t.add_column("")
    for s in STATE_ORDER:
        t.add_column(STATE_EN[s.value] if lang == "en" else STATE_JA[s.value], justify="right")
    t.add_column(_t(lang, "未評価", "not evaluated"), justify="right")
    t.add_column(_t(lang, "計", "total"), justify="right")
    for o in overviews:
        fy = format_fiscal_year(o.fiscal_year, o.plan.fiscal_year_style)
        for kind, c in ((_t(lang, "アクション", "actions"), o.actions), (_t(lang, "タスク行", "task rows"), o.rows)):
            t.add_row(o.plan.municipality, fy, kind, *[str(c.states[s]) for s in STATE_ORDER], str(c.without), str(c.rows))
        t.add_section()
    console.print(t)
