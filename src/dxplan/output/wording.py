"""The words and sentences the terminal, JSON and report writers share, written once.

Every function takes ``lang`` (``ja`` or ``en``) and the numbers or results to
word; none computes a figure. The terminal (:mod:`dxplan.output.terminal`), the JSON
output (:mod:`dxplan.output.jsonout`) and the report views (:mod:`dxplan.report.views`) call
these, so a wording fix is one edit and the outputs cannot disagree. Messages
come from the gettext catalogue (:func:`dxplan.i18n.t`): English msgids,
Japanese in ``locale/ja/LC_MESSAGES/dxplan.po``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from dxplan.status.counts import FOCUS_LATEST_DATA, FOCUS_NO_DATA, Counts, FocusYear, GradeCounts, GroupCounts, SnapshotCheck, StatusTable
from dxplan.fiscal import FiscalYearText, period_years
from dxplan.i18n import N_, NP_, STATE_EN, pt, resolve, t
from dxplan.model.schema import STATE_ORDER, IndicatorActual, Plan, RatingBand, State
from dxplan.score.rates import NO_SCALE_LABEL, Rate, RateStatus, ScoreState
from dxplan.score.actions import ActionScore
from dxplan.score.methods import Method


def core_text(value: Any, lang: str) -> str:
    """A text the scoring core hands over (reasons, explanation lines), worded: a :class:`dxplan.i18n.Text`
    (or ``callable(lang)``) or a plain string."""
    return str(resolve(value, lang))


def sep(lang: str) -> str:
    """The list separator of ``lang``: ``、`` or ``, ``."""
    return t(lang, ", ")


# --------------------------------------------------------------------------- methods

@dataclass(frozen=True)
class MethodWords:
    """The words of one scoring method, each a ``(context, msgid)`` pair for :func:`dxplan.i18n.pt` (the contexts
    keep words that share their English apart): ``label``, the method in full (:func:`method_label`; ``{target}``
    is the plan's word for its target, ``{n}`` the number of fiscal years of its period); ``heading``, its
    reference rate's column (:func:`method_heading`); ``change``, the short word of a diff's rate change
    (:func:`method_change_word`)."""

    label: tuple[str, str]
    heading: tuple[str, str]
    change: tuple[str, str]


METHOD_WORDS: dict[Method, MethodWords] = {
    Method.target: MethodWords(
        NP_("method", "rate against {target}"), NP_("method column", "target"), NP_("diff method", "target")),
    Method.tasks: MethodWords(
        NP_("method", "mean of yearly task progress over {n} years"), NP_("method column", "tasks"), NP_("diff method", "task mean")),
    Method.summary: MethodWords(
        NP_("method", "summary evaluation"), NP_("method column", "summary"), NP_("diff method", "summary evaluation")),
}
"""The one table of the scoring methods' words, one entry per :class:`Method`, for every writer (terminal, report, diff)."""


def target_word(plan: Plan | None, lang: str) -> str:
    """The plan's own word for its target (``PlanLabels.target``: 目標(値), 達成目標, the neutral default 目標) in
    Japanese; in English "the target" (English output names the plan's words only beside a heading)."""
    if plan is None or lang == "en":
        return t(lang, "the target")
    return plan.labels.target


def method_label(method: Method | None, lang: str, plan: Plan | None = None) -> str:
    """The deciding method in full, in the plan's words: ``目標(値)に対する進捗率`` (the plan's target label,
    :func:`target_word`) and ``各年度タスクの3カ年平均進捗率`` (the years of the plan's period,
    :func:`dxplan.fiscal.period_years`; 3 without a plan); ``—`` for None."""
    if method is None:
        return "—"
    n = period_years(plan.period_start, plan.period_end) if plan is not None else 3
    return pt(lang, *METHOD_WORDS[method].label, target=target_word(plan, lang), n=n)


def method_heading(method: Method, lang: str) -> str:
    """A method as a short column heading for its reference rate (``目標``, ``タスク``, ``総括``)."""
    return pt(lang, *METHOD_WORDS[method].heading)


def method_change_word(method: Method | str, lang: str) -> str:
    """The short word a diff gives the method behind a rate change (``目標値``, ``タスク平均``, ``総括評価``);
    ``method`` may be its value (``"tasks"``). Raises ValueError for a name that is no method."""
    return pt(lang, *METHOD_WORDS[Method(method)].change)


# --------------------------------------------------------------------------- rates and labels


def rate_text(rate: Rate | None, lang: str = "ja") -> str:
    """A rate as shown: one decimal with a percent sign (``54.2%``), with the reason beside a rate outside
    0–100 % (``-20.0%（基準値を下回る実績）``); ``—`` when there is none."""
    return "—" if rate is None or rate.value is None else percent_with_note(rate.shown, rate.range_note, lang)


def with_decimals(x: float, decimals: int) -> str:
    """``x`` with exactly ``decimals`` decimals, half-up, and thousands separators: ``85.0``, ``6,120.0``."""
    q = Decimal(repr(x)).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    return f"{q:,.{decimals}f}"


def actual_text(actual: IndicatorActual | None, unit: str, lang: str, num: Callable[[float], str]) -> str:
    """An indicator's actual as shown: the source's text where it is written as text (「完了」, 「－」, a
    sentence), else the number (``num``-formatted) with ``unit``; （見込） after a forecast; ``—`` for none."""
    if actual is None:
        return "—"
    shown = actual.text if actual.text else f"{num(actual.value)}{unit}" if actual.value is not None else "—"
    return shown + (t(lang, " (forecast)") if actual.kind == "forecast" else "")


def percent_with_note(shown: str | None, note: Any, lang: str) -> str:
    """A percent as shown (``shown``: one decimal, e.g. ``"92.9"``) with its range note beside it when there is
    one (:func:`dxplan.score.rates.range_note`): ``120.0%（目標超過）``."""
    out = f"{shown}%"
    return out + t(lang, " ({text})", text=core_text(note, lang)) if note is not None else out


def reference_cell(rate: Rate, lang: str) -> str:
    """A reference rate in a table: ``83.3%``, 不足 / insufficient (inputs incomplete) or — (not applicable)."""
    if rate.status is RateStatus.ok:
        return percent_with_note(rate.shown, rate.range_note, lang)
    if rate.status is RateStatus.insufficient_data:
        return t(lang, "insufficient")
    return "—"


def rate_value(rate: Rate, lang: str) -> str:
    """A rate in an explanation: ``54.2%``, else why there is none (its reason)."""
    if rate.status is RateStatus.ok:
        return percent_with_note(rate.shown, rate.range_note, lang)
    return core_text(rate.reason, lang) if rate.reason else rate.status.value


def unevaluated_label(state: ScoreState, lang: str) -> str:
    """The label of an action without a rate: 未評価（データ不足）(some inputs, incomplete) or 未評価 / not evaluated."""
    if state is ScoreState.insufficient_data:
        return t(lang, "not evaluated (insufficient data)")
    return t(lang, "not evaluated")


def score_label(s: ActionScore, lang: str) -> str:
    """An action's label: the plan's word (``達成``), "no scale declared" for a rate the plan has no scale to
    label, else :func:`unevaluated_label`."""
    if s.state is not ScoreState.evaluated:
        return unevaluated_label(s.state, lang)
    return t(lang, "no scale declared") if s.label == NO_SCALE_LABEL else s.label


def tally_key(key: str | ScoreState, lang: str) -> str:
    """A key of :func:`dxplan.score.actions.tally_labels` as a word: the label itself, データ不足, 未評価 or 評価尺度なし."""
    if key is ScoreState.no_scale:
        return t(lang, "no scale declared")
    if key is ScoreState.insufficient_data:
        return t(lang, "insufficient data")
    if key is ScoreState.not_evaluated:
        return t(lang, "not evaluated")
    return str(key)


def decision_line(s: ActionScore, lang: str, plan: Plan | None = None) -> str:
    """How the label was decided: method (in ``plan``'s words, :func:`method_label`), rate (noting the 100 % cap
    the label uses) and label; "no scale declared" when the plan has no percent scale; or why there is none."""
    if s.grade is not None and s.grade_year is not None and s.label == s.grade:
        return t(lang, "graded {grade} ({fy}), the grade the plan enters per action", grade=s.grade,
                 fy=FiscalYearText(s.grade_year, plan.fiscal_year_style if plan else "reiwa"))
    if s.rate is not None and s.deciding is not None:
        method = method_label(s.deciding, lang, plan)
        if s.label == NO_SCALE_LABEL:
            return t(lang, "decided by {method}: {rate} (no scale declared, so no label)", method=method, rate=rate_text(s.rate, lang))
        if s.rate.value is not None and s.rate.value > 100:  # the cap says why the label is 達成: no range note beside it
            capped, rate = t(lang, " (capped at 100%)"), f"{s.rate.shown}%"
        else:
            capped, rate = "", rate_text(s.rate, lang)
        return t(lang, "decided by {method}: {rate}{capped} → {label}", method=method, rate=rate, capped=capped, label=s.label)
    if s.state is ScoreState.insufficient_data:
        return t(lang, "result: not evaluated (insufficient data)")
    return t(lang, "result: not evaluated (no rate)")


def scale_bands(scale: list[RatingBand], lang: str) -> str:
    """The rating scale in one line: ``達成 ≥100%、ほぼ達成 ≥90%、… 課題あり それ未満``, each band's meaning as the
    plan writes it after it; for a plan without one,
    a sentence saying that no scale is declared."""
    if not scale:
        return t(lang, "no scale declared: the plan declares no percent scale (rating_scale), so rates carry no label")
    return sep(lang).join(
        (f"{b.label} ≥{b.min:g}%" if b.min is not None else t(lang, "{label} below", label=b.label))
        + (t(lang, " ({text})", text=b.meaning) if b.meaning else "")
        for b in scale
    )


def scale_heading(lang: str) -> str:
    """The heading of the scale line (labels are decided on the value shown to one decimal)."""
    return t(lang, "scale (applied to the value shown to one decimal)")


def scale_line(scale: list[RatingBand], lang: str) -> str:
    """``評価基準（小数第1位で判定）: 達成 ≥100%、…``; for a plan without a scale the sentence that none is declared."""
    if not scale:
        return scale_bands(scale, lang)
    return f"{scale_heading(lang)}: {scale_bands(scale, lang)}"


def attention_intro(labels: list[str], lang: str, audit: bool = False) -> str:
    """The sentence introducing the report's attention index; ``labels`` are the plan's lowest bands.
    With ``audit`` the index also holds actions with lint findings."""
    if not labels:
        if audit:
            return t(lang, "Actions not evaluated or with insufficient data, or with lint warnings (the plan declares no rating scale).")
        return t(lang, "Actions not evaluated or with insufficient data (the plan declares no rating scale).")
    if audit:
        return t(lang, "Actions labelled {labels}, not evaluated or with insufficient data, or with lint warnings.", labels="・".join(labels))
    return t(lang, "Actions labelled {labels}, not evaluated or with insufficient data.", labels="・".join(labels))


# --------------------------------------------------------------------------- status


def state_label(word: str, state: State, lang: str) -> str:
    """A state heading: the plan's word, with the canonical state in English (``進捗中 (in progress)``) for ``en``."""
    return t(lang, "{word} ({state})", word=word, state=STATE_EN[state.value]) if lang == "en" else word


_BY = {"category": N_("category"), "department": N_("department"), "action": N_("action")}
_BY_TITLE = {
    "category": N_("{fy} status by category"),
    "department": N_("{fy} status by department"),
    "action": N_("{fy} status by action"),
}


def by_label(by: str, lang: str) -> str:
    """The grouping of a ``--by`` table as a column heading (区分, 担当課, アクション)."""
    return t(lang, _BY[by])


def status_title(fy: str, by: str | None, lang: str) -> str:
    """The heading of one year's status table: ``令和6年度 進捗状況（タスク行）`` or ``… 進捗状況（担当課別）``."""
    if by is None:
        return t(lang, "{fy} status (task rows)", fy=fy)
    return t(lang, _BY_TITLE[by], fy=fy)


def total_label(lang: str) -> str:
    """The total row's label."""
    return t(lang, "total")


def group_label(g: GroupCounts, lang: str) -> str:
    """A group's label: the plan's words, or （担当課なし）/ (no department) for the rows naming none."""
    return g.label if g.label is not None else t(lang, "(no department)")


def table_note(table: StatusTable, lang: str) -> str | None:
    """The note under a table that counts joint rows once per department; None for other tables."""
    return t(lang, "joint rows count for each department") if table.joint_rows else None


def without_status_line(c: Counts, lang: str) -> str | None:
    """Rows left out of the shares, in a sentence; None when there are none."""
    if not c.without:
        return None
    if c.unknown:
        return t(lang, "rows without a status: {n}, with an undeclared word: {unknown} (not in the shares' denominator)", n=c.no_status, unknown=c.unknown)
    return t(lang, "rows without a status: {n} (not in the shares' denominator)", n=c.no_status)


def not_evaluated_line(c: GradeCounts, lang: str) -> str:
    """The rows with a grade the scale declares not evaluated, each grade with its count, in a sentence
    (「評価できない 1, 対象外 2 (shares leave them out)」)."""
    parts = sep(lang).join(t(lang, "{word} {n}", word=k, n=n) for k, n in c.apart.items())
    return t(lang, "not evaluated: {grades} (not in the shares)", grades=parts)


def snapshot_check_line(check: SnapshotCheck, state_words: dict[State, str], lang: str) -> str:
    """The comparison with the plan's own summary table: what it prints when they agree, else each difference."""
    snap = check.snapshot
    if check.matches:
        printed = sep(lang).join(f"{state_words[s]} {getattr(snap.counts, s.value)}" for s in STATE_ORDER if getattr(snap.counts, s.value) is not None)
        return t(lang, "matches the source table '{label}': {printed}", label=snap.label, printed=printed)
    diffs = sep(lang).join(t(lang, "{key}: source {a} / computed {b}", key=k, a=a, b=b) for k, (a, b) in check.differences.items())
    return t(lang, "differs from the source table '{label}': {diffs}", label=snap.label, diffs=diffs)


_STATUS_WORDS = {
    "status": N_("status"), "count": N_("count"), "share": N_("share"),
    "total_with_status": N_("total (with status)"), "total": N_("total"),
    "no_status": N_("no status"), "rows": N_("rows"), "no_tasks": N_("no tasks"),
    "no_status_rows": N_("no row carries a status yet"),
    "task_rows": N_("status (task rows)"), "evaluated": N_("evaluated"),
    "period": N_("period"), "source": N_("source"), "by": N_("by"),
    "lp": N_(" ("), "rp": N_(")"),
}


def status_labels(lang: str) -> dict[str, str]:
    """Fixed words of status tables (terminal, ``status.md.j2`` and the report), by key."""
    return {k: t(lang, v) for k, v in _STATUS_WORDS.items()}


_REPORT_WORDS = {
    "report": N_("progress report"),
    "action_sheet": N_("action sheet"),
    "action_sheets": N_("action sheets"),
    "generated": N_("generated"),
    "municipality": N_("municipality"),
    "issuer": N_("issued by"),
    "sources": N_("sources"),
    "summary": N_("summary of progress"),
    "status_by_year": N_("status per fiscal year (task rows)"),
    "status_by_category": N_("status by category"),
    "status_by_department": N_("status by department"),
    "by_category": N_("actions by category"),
    "by_department": N_("actions by department"),
    "category": N_("category"),
    "department_col": N_("department"),
    "actions": N_("actions"),
    "action_list": N_("actions: rate and label"),
    "label_distribution": N_("distribution of labels"),
    "attention": N_("actions that need attention"),
    "attention_none": N_("none."),
    "reason": N_("reason"),
    "plan_problems": N_("findings in the plan file"),
    "title": N_("action name"),
    "rate": N_("rate"),
    "label": N_("label"),
    "method": N_("decided by"),
    "references": N_("reference rates"),
    "count_of_actions": N_("number of actions"),
    "share_of_actions": N_("share"),
    "overview": N_("overview"),
    "basic_policy": N_("basic policy"),
    "other_annotations": N_("other annotations"),
    "idle_departments": N_("departments of the plan that no action names"),
    "measure_name": N_("measure"),
    "project_description": N_("project description"),
    "tasks": N_("tasks"),
    "progress": N_("progress"),
    "explain": N_("how the rate was computed"),
    "deciding": N_("deciding"),
    "lint": N_("lint findings"),
    "legend": N_("legend"),
    "chart_years": N_("status shares per fiscal year"),
    "chart_categories": N_("status shares per category"),
    "no_status_chart": N_("no row carries a status, so there is no chart."),
    "no_results": N_("No task carries a status or result yet; the plan's targets and schedule are shown instead."),
    "scored_years": N_("years the task rate covers"),
    "source_col": N_("source document"),
    "toc": N_("contents"),
    "page": N_("page"),
    "statuses": N_("statuses"),
    "task_plan": N_("tasks planned"),
    "task_rows_all": N_("task rows (all years)"),
    "schedule": N_("schedule"),
    "fiscal_year": N_("fiscal year"),
    "effects": N_("effects"),
    "notes": N_("notes"),
    "appendix": N_("appendix: transcription and checks"),
    "appendix_intro": N_("For the DX office: where each figure was transcribed from, what the transcription noted, and the lint findings. Not part of the report to the council."),
    "transcription_notes": N_("transcription notes"),
    "discrepancies": N_("discrepancies in the source"),
    "source_files": N_("source files"),
    "file": N_("file"),
    "location": N_("location"),
    "no_findings": N_("no findings."),
    "history": N_("status over the evaluation dates"),
    "graded": N_("graded"),
    "not_graded": N_("not graded"),
    "grade_shares_note": N_("Shares are of the graded rows; rows not graded (and, in brackets, grades not in the scale) are counted apart."),
    "action_grades": N_("grade of the action"),
    "grade_not_evaluated_note": N_("Grades the plan declares as not evaluated are counted apart, outside the shares."),
}


def plan_label(word: str | None, msgid: str, lang: str) -> str:
    """A heading the plan may declare (``PlanLabels``): its own word in Japanese, ``english (word)`` in English,
    the catalogue's word for ``msgid`` where the plan declares none."""
    if not word:
        return t(lang, msgid)
    return word if lang != "en" else f"{t(lang, msgid)} ({word})"


def report_labels(plan: Plan, lang: str) -> dict[str, str]:
    """Headings and fixed words of the report (``L`` in the templates); field headings use the plan's own labels
    (in English followed by the plan's word: ``aim (目指すこと)``)."""
    pl = plan.labels
    fields = {
        "aim": (pl.aim, N_("aim")), "approach": (pl.approach, N_("approach")), "target": (pl.target, N_("target")),
        "background": (pl.background, N_("background")),
        "owners": (pl.owners, N_("owners")), "department": (pl.department, N_("department")), "plan_col": (pl.plan, N_("plan")),
        "result": (pl.result, N_("result")), "status_col": (pl.status, N_("status")), "outcome": (pl.outcome, N_("outcome")),
        "activities": (pl.activities, N_("activities")), "issues": (pl.issues, N_("issues")), "rate_heading": (pl.rate, N_("achievement rate")),
        "budget": (pl.budget, N_("budget")), "plan_notes": (pl.notes, N_("notes")),
    }
    optional = {
        "item": (pl.item, N_("task item")), "examples": (pl.examples, N_("examples")), "reference_cases": (pl.references, N_("reference cases")),
        "related_departments": (pl.related_departments, N_("related departments")), "priority": (pl.priority, N_("priority")),
        "division": (pl.division, N_("division")), "tags": (pl.tags, N_("tags")), "visions": (pl.visions, N_("visions")),
        "secondary_categories": (pl.secondary_categories, N_("also listed under")), "glossary": (pl.glossary, N_("glossary")),
        "organisation": (pl.organisation, N_("organisation")), "predecessors": (pl.predecessors, N_("results of the previous plan")),
        "title_variants": (None, N_("title as also written")), "yearly_targets": (pl.yearly_targets, N_("yearly targets")),
    }
    return (
        status_labels(lang)
        | {k: t(lang, v) for k, v in _REPORT_WORDS.items()}
        | {k: (f"{t(lang, en)} ({word})" if lang == "en" else word) for k, (word, en) in fields.items()}
        | {k: plan_label(word, en, lang) for k, (word, en) in optional.items()}
        | {"no": "No", "none": "—", "scale": scale_heading(lang), "sep": sep(lang)}
    )


# --------------------------------------------------------------------------- focus year


def focus_line(focus: FocusYear, fy: str, lang: str) -> str | None:
    """Which fiscal year a one-year view shows when the plan gives no evaluation date (:func:`dxplan.status.counts.focus_year`;
    ``fy``: that year as the writer shows it); None when the year comes from the evaluation date or was asked for."""
    if focus.reason == FOCUS_LATEST_DATA:
        return t(lang, "No evaluation date: {fy}, the latest fiscal year with recorded results, is taken as the current year.", fy=fy)
    if focus.reason == FOCUS_NO_DATA:
        return t(lang, "No evaluation date and no results recorded yet: {fy}, the plan's first fiscal year, is taken as the current year.", fy=fy)
    return None


EFFECT_KINDS = {"hours": N_("workload"), "money": N_("fiscal effect")}
"""The kinds of effect (:data:`dxplan.status.effects.UNITS`): 業務量 (hours), 財政効果 (千円)."""

SIGN_MEANING_HEADING = N_("sign meaning (ours)")
"""The heading of the effect tables' sign-meaning column: the meaning is our reading, not the plan's words."""

SIGN_MEANING_NOTE = N_("sign meaning: dxplan's reading of △ and the sign on each sheet; the plan does not state it")
"""The line under an effect table that marks the sign-meaning column as dxplan's interpretation."""

EFFECT_UNITS = {"hours": NP_("unit", "hours"), "money": NP_("unit", "thousand yen")}
"""The unit of each effect kind (:data:`dxplan.status.effects.UNITS`: 時間, 千円) as ``(context, msgid)`` for :func:`pt`."""


def effect_unit(kind: str, lang: str) -> str:
    """The unit of an effect kind (``hours`` or ``money``) worded in ``lang``: 時間/千円, hours/thousand yen."""
    return pt(lang, *EFFECT_UNITS[kind])
