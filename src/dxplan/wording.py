"""The words and sentences the terminal, JSON and report writers share, written once per language.

Every function takes ``lang`` (``ja`` or ``en``) and the numbers or results to
word; none computes a figure. The terminal (:mod:`dxplan.terminal`), the JSON
output (:mod:`dxplan.jsonout`) and the report views (:mod:`dxplan.report`) call
these, so a wording fix is one edit and the outputs cannot disagree.
"""

from __future__ import annotations

from .aggregate import Counts, GroupCounts, SnapshotCheck, StatusTable
from .i18n import STATE_EN
from .i18n import tr as _t
from .model import STATE_ORDER, Plan, RatingBand, State
from .score import NOT_EVALUATED_LABEL, ActionScore, Method, Rate, RateStatus, ScoreState

# --------------------------------------------------------------------------- methods

_METHODS = {
    # method: ((long label ja, en), (column heading ja, en))
    Method.target: (("目標(値)に対する進捗率", "rate against the target"), ("目標", "target")),
    Method.tasks: (("各年度タスクの3カ年平均進捗率", "mean of yearly task progress"), ("タスク", "tasks")),
    Method.summary: (("総括評価による進捗率", "summary evaluation"), ("総括", "summary")),
}


def method_label(method: Method | None, lang: str) -> str:
    """The deciding method in full (``目標(値)に対する進捗率``); ``—`` for None."""
    return "—" if method is None else _t(lang, *_METHODS[method][0])


def method_heading(method: Method, lang: str) -> str:
    """A method as a short column heading for its reference rate (``目標``, ``タスク``, ``総括``)."""
    return _t(lang, *_METHODS[method][1])


# --------------------------------------------------------------------------- rates and labels


def rate_text(rate: Rate | None) -> str:
    """A rate as shown: one decimal with a percent sign (``54.2%``); ``—`` when there is none."""
    return "—" if rate is None or rate.value is None else f"{rate.shown}%"


def reference_cell(rate: Rate, lang: str) -> str:
    """A reference rate in a table: ``83.3%``, 不足 / insufficient (inputs incomplete) or — (not applicable)."""
    if rate.status is RateStatus.ok:
        return f"{rate.shown}%"
    if rate.status is RateStatus.insufficient_data:
        return _t(lang, "不足", "insufficient")
    return "—"


def rate_value(rate: Rate, lang: str) -> str:
    """A rate in an explanation: ``54.2%``, else why there is none (its reason)."""
    if rate.status is RateStatus.ok:
        return f"{rate.shown}%"
    return _t(lang, *rate.reason) if rate.reason else rate.status.value


def unevaluated_label(state: ScoreState, lang: str) -> str:
    """The label of an action without a rate: 未評価（データ不足）(some inputs, incomplete) or 未評価 / not evaluated."""
    if state is ScoreState.insufficient_data:
        return _t(lang, f"{NOT_EVALUATED_LABEL}（データ不足）", "not evaluated (insufficient data)")
    return _t(lang, NOT_EVALUATED_LABEL, "not evaluated")


def score_label(s: ActionScore, lang: str) -> str:
    """An action's label: the plan's word (``達成``), else :func:`unevaluated_label`."""
    return s.label if s.state is ScoreState.evaluated else unevaluated_label(s.state, lang)


def tally_key(key: str | ScoreState, lang: str) -> str:
    """A key of :func:`dxplan.score.tally_labels` as a word: the label itself, データ不足 or 未評価."""
    if key is ScoreState.insufficient_data:
        return _t(lang, "データ不足", "insufficient data")
    if key is ScoreState.not_evaluated:
        return _t(lang, NOT_EVALUATED_LABEL, "not evaluated")
    return str(key)


def decision_line(s: ActionScore, lang: str) -> str:
    """How the label was decided: method, rate (noting the 100 % cap the label uses) and label; or why none."""
    if s.rate is not None and s.deciding is not None:
        capped = _t(lang, "（100%で上限）", " (capped at 100%)") if s.rate.value is not None and s.rate.value > 100 else ""
        return _t(
            lang,
            f"決定: {method_label(s.deciding, lang)} {s.rate.shown}%{capped} → {s.label}",
            f"decided by {method_label(s.deciding, lang)}: {s.rate.shown}%{capped} → {s.label}",
        )
    insufficient = s.state is ScoreState.insufficient_data
    return _t(
        lang,
        f"決定: {s.label}（{'データ不足' if insufficient else '評価の材料なし'}）",
        f"result: not evaluated ({s.state.value.replace('_', ' ')})",
    )


def scale_bands(scale: list[RatingBand], lang: str) -> str:
    """The rating scale in one line: ``達成 ≥100%、ほぼ達成 ≥90%、… 課題あり それ未満``."""
    return "、".join(f"{b.label} ≥{b.min:g}%" if b.min is not None else _t(lang, f"{b.label} それ未満", f"{b.label} below") for b in scale)


def scale_heading(lang: str) -> str:
    """The heading of the scale line (labels are decided on the value shown to one decimal)."""
    return _t(lang, "評価基準（小数第1位で判定）", "scale (applied to the value shown to one decimal)")


def scale_line(scale: list[RatingBand], lang: str) -> str:
    """``評価基準（小数第1位で判定）: 達成 ≥100%、…``."""
    return f"{scale_heading(lang)}: {scale_bands(scale, lang)}"


ATTENTION_INTRO = (
    "評価が低い（{labels}）、未評価・データ不足、または検査（lint）で警告のあるアクション。",
    "actions labelled {labels}, not evaluated or with insufficient data, or with lint warnings.",
)


def attention_intro(labels: list[str], lang: str) -> str:
    """The sentence introducing the report's attention index; ``labels`` are the plan's lowest bands."""
    return _t(lang, *ATTENTION_INTRO).format(labels="・".join(labels))


# --------------------------------------------------------------------------- status


def state_label(word: str, state: State, lang: str) -> str:
    """A state heading: the plan's word, with the canonical state in English (``進捗中 (in progress)``) for ``en``."""
    return f"{word} ({STATE_EN[state.value]})" if lang == "en" else word


_BY = {"category": ("区分", "category"), "department": ("担当課", "department"), "action": ("アクション", "action")}


def by_label(by: str, lang: str) -> str:
    """The grouping of a ``--by`` table as a column heading (区分, 担当課, アクション)."""
    return _t(lang, *_BY[by])


def status_title(fy: str, by: str | None, lang: str) -> str:
    """The heading of one year's status table: ``令和6年度 進捗状況（タスク行）`` or ``… 進捗状況（担当課別）``."""
    if by is None:
        return _t(lang, f"{fy} 進捗状況（タスク行）", f"{fy} status (task rows)")
    return _t(lang, f"{fy} 進捗状況（{_BY[by][0]}別）", f"{fy} status by {_BY[by][1]}")


def total_label(lang: str) -> str:
    """The total row's label."""
    return _t(lang, "合計", "total")


def group_label(g: GroupCounts, lang: str) -> str:
    """A group's label: the plan's words, or （担当課なし）/ (no department) for the rows naming none."""
    return g.label if g.label is not None else _t(lang, "（担当課なし）", "(no department)")


def table_note(table: StatusTable, lang: str) -> str | None:
    """The note under a table that counts joint rows once per department; None for other tables."""
    return _t(lang, "共同担当の行は各課に数えます", "joint rows count for each department") if table.joint_rows else None


def without_status_line(c: Counts, lang: str) -> str | None:
    """Rows left out of the shares, in a sentence; None when there are none."""
    if not c.without:
        return None
    return _t(
        lang,
        f"状況のない行 {c.no_status} 件" + (f"、未定義の状況語 {c.unknown} 件" if c.unknown else "") + "（割合の分母に含めません）",
        f"rows without a status: {c.no_status}" + (f", with an undeclared word: {c.unknown}" if c.unknown else "") + " (not in the shares' denominator)",
    )


def snapshot_check_line(check: SnapshotCheck, state_words: dict[State, str], lang: str) -> str:
    """The comparison with the plan's own summary table: what it prints when they agree, else each difference."""
    snap = check.snapshot
    if check.matches:
        printed = "、".join(f"{state_words[s]} {getattr(snap.counts, s.value)}" for s in STATE_ORDER if getattr(snap.counts, s.value) is not None)
        return _t(lang, f"資料の集計表「{snap.label}」と一致: {printed}", f"matches the source table '{snap.label}': {printed}")
    diffs = "、".join(f"{k}: {_t(lang, '資料', 'source')} {a} / {_t(lang, '集計', 'computed')} {b}" for k, (a, b) in check.differences.items())
    return _t(lang, f"資料の集計表「{snap.label}」と差異: {diffs}", f"differs from the source table '{snap.label}': {diffs}")


def status_labels(lang: str) -> dict[str, str]:
    """Fixed words of status tables (terminal, ``status.md.j2`` and the report), by key."""
    keys = {
        "status": ("状況", "status"), "count": ("数", "count"), "share": ("割合", "share"),
        "total_with_status": ("合計（状況あり）", "total (with status)"), "total": ("合計", "total"),
        "no_status": ("状況なし", "no status"), "rows": ("計", "rows"), "no_tasks": ("タスクなし", "no tasks"),
        "no_status_rows": ("進捗状況の記入された行はありません", "no row carries a status yet"),
        "task_rows": ("進捗状況（タスク行）", "status (task rows)"), "evaluated": ("評価日", "evaluated"),
        "period": ("計画期間", "period"), "source": ("出典", "source"), "by": ("別", "by"),
        "lp": ("（", " ("), "rp": ("）", ")"),
    }
    return {k: _t(lang, *v) for k, v in keys.items()}


def report_labels(plan: Plan, lang: str) -> dict[str, str]:
    """Headings and fixed words of the report (``L`` in the templates); field headings use the plan's own labels."""
    pl = plan.labels

    def plan_word(word: str, en: str) -> str:
        return f"{en} ({word})" if lang == "en" else word

    words = {
        "report": ("進捗報告書", "progress report"),
        "action_sheet": ("アクションシート", "action sheet"),
        "generated": ("作成", "generated"),
        "municipality": ("自治体", "municipality"),
        "sources": ("資料", "sources"),
        "status_by_year": ("年度別の進捗状況（タスク行）", "status per fiscal year (task rows)"),
        "status_by_category": ("区分別の進捗状況", "status by category"),
        "status_by_department": ("担当課別の進捗状況", "status by department"),
        "category": ("区分", "category"),
        "department_col": ("担当課", "department"),
        "actions": ("アクション", "actions"),
        "action_list": ("アクション一覧（達成率と評価）", "actions: rate and label"),
        "label_distribution": ("評価の分布", "distribution of labels"),
        "attention": ("要確認のアクション", "actions that need attention"),
        "attention_intro": ATTENTION_INTRO,
        "attention_none": ("該当するアクションはありません。", "none."),
        "plan_problems": ("計画ファイルの指摘", "findings in the plan file"),
        "title": ("アクション名", "action"),
        "rate": ("達成率", "rate"),
        "label": ("評価", "label"),
        "method": ("決定方法", "decided by"),
        "references": ("参考値", "reference rates"),
        "count_of_actions": ("アクション数", "actions"),
        "share_of_actions": ("割合", "share"),
        "overview": ("概要", "overview"),
        "tasks": ("タスク", "tasks"),
        "progress": ("進捗率", "progress"),
        "explain": ("達成率の根拠", "how the rate was computed"),
        "deciding": ("決定", "deciding"),
        "empty": ("未記入", "not filled in"),
        "lint": ("検査の指摘", "lint findings"),
        "legend": ("凡例", "legend"),
        "figures_table": ("数値", "figures"),
        "chart_years": ("年度別の進捗状況の割合", "status shares per fiscal year"),
        "chart_categories": ("区分別の進捗状況の割合", "status shares per category"),
        "no_status_chart": ("進捗状況の記入された行がないため、グラフはありません。", "no row carries a status, so there is no chart."),
        "scored_years": ("達成率の対象年度", "years the task rate covers"),
        "source_col": ("資料", "source"),
        "toc": ("目次", "contents"),
        "back_to_top": ("目次へ", "contents"),
    }
    fields = {
        "aim": (pl.aim, "aim"), "approach": (pl.approach, "approach"), "target": (pl.target, "target"),
        "owners": (pl.owners, "owners"), "department": (pl.department, "department"), "plan_col": (pl.plan, "plan"),
        "result": (pl.result, "result"), "status_col": (pl.status, "status"), "outcome": (pl.outcome, "outcome"),
        "activities": (pl.activities, "activities"), "issues": (pl.issues, "issues"), "rate_heading": (pl.rate, "achievement rate"),
    }
    return (
        status_labels(lang)
        | {k: _t(lang, *v) for k, v in words.items()}
        | {k: plan_word(*v) for k, v in fields.items()}
        | {"no": "No", "none": "—", "scale": scale_heading(lang)}
    )
