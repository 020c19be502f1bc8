"""Terminal output through rich: status tables, score tables, explanations.

Only presentation: every figure comes from :mod:`dxplan.aggregate` and
:mod:`dxplan.score`. Labels are in the plan's own words (its status words, its
rating scale) with English headers when ``lang == "en"``.
"""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

from .aggregate import PlanOverview, SnapshotCheck, StatusTable, share_text
from .fiscal import format_fiscal_year
from .model import STATE_ORDER, Plan
from .planindex import PlanIndex
from .score import METHOD_LABELS, OK, ActionScore
from .i18n import STATE_EN, STATE_JA
from .i18n import tr as _t

LABEL_STYLES = {"達成": "bold green", "ほぼ達成": "green", "概ね達成": "cyan", "やや未達": "yellow", "課題あり": "bold red"}


def _state_header(index: PlanIndex, state, lang: str) -> str:
    word = index.state_word(state)
    return f"{word} ({STATE_EN[state.value]})" if lang == "en" else word


def plan_heading(console: Console, plan: Plan, lang: str) -> None:
    """Municipality, title, period and evaluation date in one line."""
    period = f"{format_fiscal_year(plan.period_start, plan.fiscal_year_style)}〜{format_fiscal_year(plan.period_end, plan.fiscal_year_style)}"
    when = f"  {_t(lang, '評価日', 'evaluated')} {plan.evaluation_date.isoformat()}" if plan.evaluation_date else ""
    stage = f"（{plan.stage_label}）" if plan.stage_label else ""
    console.print(Text.assemble((f"{plan.municipality} ", "bold"), (f"{plan.title}{stage}", "bold"), f"  {period}{when}"))


def print_status(console: Console, plan: Plan, tables: list[StatusTable], checks: dict, lang: str = "ja") -> None:
    """One rich table per fiscal year: rows per state (or per group with ``--by``), a total row, rows without status apart."""
    index = PlanIndex(plan)
    plan_heading(console, plan, lang)
    for table in tables:
        fy = format_fiscal_year(table.fiscal_year, plan.fiscal_year_style)
        if table.total.rows == 0:
            console.print(_t(lang, f"{fy}: タスクなし", f"{fy}: no tasks"))
            continue
        if table.total.with_status == 0:
            console.print(_t(
                lang,
                f"{fy}: 進捗状況の記入された行はありません（タスク {table.total.rows} 行）",
                f"{fy}: no task row has a status yet ({table.total.rows} task rows)",
            ))
            continue
        if table.by is None:
            t = Table(title=_t(lang, f"{fy} 進捗状況（タスク行）", f"{fy} status (task rows)"), title_justify="left")
            t.add_column(_t(lang, "状況", "status"))
            t.add_column(_t(lang, "数", "count"), justify="right")
            t.add_column(_t(lang, "割合", "share"), justify="right")
            t.add_column("", min_width=20)
            for state in STATE_ORDER:
                share = table.total.share(state)
                bar = "█" * round((share or 0) / 5)
                t.add_row(_state_header(index, state, lang), str(table.total.states[state]), share_text(share), Text(bar, style="blue"))
            t.add_section()
            t.add_row(_t(lang, "合計（状況あり）", "total (with status)"), str(table.total.with_status), "100%" if table.total.with_status else "—", "", style="bold")
        else:
            t = Table(title=_t(lang, f"{fy} 進捗状況（{_by_label(table.by, lang)}別）", f"{fy} status by {table.by}"), title_justify="left")
            t.add_column(_by_label(table.by, lang))
            for state in STATE_ORDER:
                t.add_column(_state_header(index, state, lang), justify="right")
            t.add_column(_t(lang, "状況なし", "no status"), justify="right")
            t.add_column(_t(lang, "計", "rows"), justify="right")
            for g in table.groups:
                t.add_row(g.label, *[f"{g.states[s]}" for s in STATE_ORDER], str(g.no_status + g.unknown), str(g.rows))
            t.add_section()
            tot = table.total
            t.add_row(_t(lang, "合計", "total"), *[f"{tot.states[s]} ({share_text(tot.share(s))})" for s in STATE_ORDER], str(tot.no_status + tot.unknown), str(tot.rows), style="bold")
        console.print(t)
        if table.total.no_status or table.total.unknown:
            console.print(_t(
                lang,
                f"  状況のない行 {table.total.no_status} 件" + (f"、未定義の状況語 {table.total.unknown} 件" if table.total.unknown else "") + "（割合の分母に含めません）",
                f"  rows without a status: {table.total.no_status}" + (f", with an undeclared word: {table.total.unknown}" if table.total.unknown else "") + " (not in the shares' denominator)",
            ))
        if table.note:
            console.print(f"  {table.note}", style="dim")
        check: SnapshotCheck | None = checks.get(table.fiscal_year)
        if check is not None:
            _print_check(console, index, check, lang)


def _by_label(by: str, lang: str) -> str:
    return {"category": ("区分", "category"), "department": ("担当課", "department"), "action": ("アクション", "action")}[by][1 if lang == "en" else 0]


def _print_check(console: Console, index: PlanIndex, check: SnapshotCheck, lang: str) -> None:
    snap = check.snapshot
    printed = "、".join(f"{index.state_word(s)} {getattr(snap.counts, s.value)}" for s in STATE_ORDER if getattr(snap.counts, s.value) is not None)
    if check.matches:
        console.print(_t(lang, f"  資料の集計表「{snap.label}」と一致: {printed}", f"  matches the source table '{snap.label}': {printed}"), style="green")
    else:
        diffs = "、".join(f"{k}: {_t(lang, '資料', 'source')} {a} / {_t(lang, '集計', 'computed')} {b}" for k, (a, b) in check.differences.items())
        console.print(_t(lang, f"  資料の集計表「{snap.label}」と差異: {diffs}", f"  differs from the source table '{snap.label}': {diffs}"), style="yellow")


def _reference_cell(rate, lang: str) -> str:
    """A reference rate in the score table: ``83.3%``, 不足 (insufficient data) or — (not applicable)."""
    if rate.status == OK:
        return f"{rate.shown}%"
    if rate.status == "insufficient_data":
        return _t(lang, "不足", "insufficient")
    return "—"


def print_scores(console: Console, plan: Plan, scores: list[ActionScore], lang: str = "ja") -> None:
    """A table of every action: deciding method, rate, label, and the reference rates."""
    plan_heading(console, plan, lang)
    t = Table(title_justify="left")
    t.add_column("No", justify="right")
    t.add_column(_t(lang, "アクション名", "action"), max_width=34)
    t.add_column(_t(lang, "達成率", "rate"), justify="right")
    t.add_column(_t(lang, "評価", "label"))
    t.add_column(_t(lang, "決定方法", "decided by"))
    for m in ("target", "tasks", "summary"):
        t.add_column(_t(lang, {"target": "目標", "tasks": "タスク", "summary": "総括"}[m], m), justify="right")
    for s in scores:
        refs = [_reference_cell(r, lang) for r in s.references.values()]
        label = s.label if s.state != "insufficient_data" else _t(lang, "未評価（データ不足）", "not evaluated (insufficient data)")
        t.add_row(
            s.action_id,
            s.title,
            f"{s.rate.shown}%" if s.rate else "—",
            Text(label, style=LABEL_STYLES.get(s.label, "dim")),
            METHOD_LABELS[s.deciding][1 if lang == "en" else 0] if s.deciding else "—",
            *refs,
        )
    console.print(t)
    counts: dict[str, int] = {}
    for s in scores:
        key = s.label if s.state != "insufficient_data" else _t(lang, "データ不足", "insufficient data")
        counts[key] = counts.get(key, 0) + 1
    console.print("  " + "、".join(f"{k} {v}" for k, v in counts.items()))


def print_explain(console: Console, plan: Plan, s: ActionScore, lang: str = "ja") -> None:
    """Inputs, formula with numbers, rate and label of one action, for checking by hand."""
    i = 1 if lang == "en" else 0
    console.print(Text(f"{s.action_id} {s.title}", style="bold"))
    for method, rate in s.references.items():
        mark = "▶ " if method == s.deciding else "  "
        console.print(f"{mark}{METHOD_LABELS[method][i]}: ", end="")
        if rate.status == OK:
            console.print(f"{rate.shown}%")
        else:
            console.print(Text((rate.reason[i] if rate.reason else rate.status), style="dim"))
        for line in rate.explain:
            console.print(f"      {line[i]}")
    if s.rate is not None:
        capped = _t(lang, "（100%で上限）", " (capped at 100%)") if s.rate.value > 100 else ""
        console.print(_t(lang, f"  決定: {METHOD_LABELS[s.deciding][0]} {s.rate.shown}%{capped} → {s.label}", f"  decided by {METHOD_LABELS[s.deciding][1]}: {s.rate.shown}%{capped} → {s.label}"), style="bold")
    else:
        console.print(_t(lang, f"  決定: {s.label}（{ 'データ不足' if s.state == 'insufficient_data' else '評価の材料なし'}）", f"  result: not evaluated ({s.state.replace('_', ' ')})"), style="bold")
    bands = "、".join(f"{b.label} ≥{b.min:g}%" if b.min is not None else f"{b.label} それ未満" for b in plan.rating_scale)
    console.print(_t(lang, f"  評価基準（小数第1位で判定）: {bands}", f"  scale (applied to the value shown to one decimal): {bands}"), style="dim")


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
            t.add_row(o.plan.municipality, fy, kind, *[str(c.states[s]) for s in STATE_ORDER], str(c.no_status + c.unknown), str(c.rows))
        t.add_section()
    console.print(t)
