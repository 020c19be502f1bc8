"""JSON for ``dxplan status`` and ``dxplan score``: plain dicts built from the results, in one place.

Shares are numbers in 0–100 rounded half-up to two decimals, as the tables and
the plans print them (:func:`dxplan.aggregate.round_share`). Rates carry the raw
value rounded to four decimals (``rate``) beside the text shown, one decimal
half-up (``shown``). Labels and sentences follow ``lang`` through
:mod:`dxplan.wording`.
"""

from __future__ import annotations

from .aggregate import Counts, PlanOverview, StatusResult, YearStatus, round_share
from .fiscal import format_fiscal_year
from .i18n import tr as _t
from .model import STATE_ORDER
from .score import ActionScore, Rate
from .wording import group_label, total_label


def counts_dict(c: Counts, key: str, label: str) -> dict:
    """``{"key", "label", "counts": {state: n}, "shares": {state: pct}, "with_status", "no_status", "unknown", "rows"}``.

    ``shares`` are percents (0–100) rounded half-up to two decimals, None when no row has a status.
    """
    shares = {s.value: round_share(c.share(s)) for s in STATE_ORDER}
    return {
        "key": key,
        "label": label,
        "counts": {s.value: c.states[s] for s in STATE_ORDER},
        "shares": {k: None if v is None else float(v) for k, v in shares.items()},
        "with_status": c.with_status,
        "no_status": c.no_status,
        "unknown": c.unknown,
        "rows": c.rows,
    }


def overview_dict(o: PlanOverview, lang: str = "ja") -> dict:
    """JSON for one plan in the combined view: actions and task rows per state; not evaluated = ``no_status``."""
    return {
        "plan": o.plan.id,
        "municipality": o.plan.municipality,
        "fiscal_year": o.fiscal_year,
        "actions": counts_dict(o.actions, o.plan.id, o.plan.municipality),
        "task_rows": counts_dict(o.rows, "total", total_label(lang)),
    }


def _year_dict(y: YearStatus, style: str, lang: str) -> dict:
    t, check = y.table, y.check
    entry = {
        "fiscal_year": t.fiscal_year,
        "fiscal_year_label": format_fiscal_year(t.fiscal_year, style),
        "by": t.by,
        "total": counts_dict(t.total, "total", total_label(lang)),
        "groups": [counts_dict(g, g.key, group_label(g, lang)) for g in t.groups] if t.by else [],
    }
    if check is not None:
        entry["source_table"] = {
            "label": check.snapshot.label,
            "date": check.snapshot.date.isoformat(),
            "counts": check.snapshot.counts.model_dump(exclude_none=True),
            "matches": check.matches,
            "differences": {k: {"source": a, "computed": b} for k, (a, b) in check.differences.items()},
        }
    return entry


def status_dict(result: StatusResult, lang: str = "ja") -> dict:
    """JSON for ``dxplan status``: one entry per fiscal year, with the source's own table beside it."""
    plan = result.plan
    return {
        "plan": plan.id,
        "municipality": plan.municipality,
        "title": plan.title,
        "state_words": {s.value: result.state_words[s] for s in STATE_ORDER},
        "years": [_year_dict(y, plan.fiscal_year_style, lang) for y in result.years],
    }


def rate_dict(r: Rate, lang: str = "ja") -> dict:
    """``{"method", "status", "rate" (raw %, four decimals), "shown" (one decimal, text), "reason", "explain": [...]}``."""
    return {
        "method": r.method.value,
        "status": r.status.value,
        "rate": None if r.value is None else round(r.value, 4),
        "shown": r.shown,
        "reason": _t(lang, *r.reason) if r.reason else None,
        "explain": [_t(lang, *line) for line in r.explain],
    }


def score_dict(s: ActionScore, lang: str = "ja") -> dict:
    """JSON for one action's score: deciding method, rate (raw, four decimals), shown, label, state and reference rates."""
    return {
        "id": s.action_id,
        "title": s.title,
        "state": s.state.value,
        "deciding": None if s.deciding is None else s.deciding.value,
        "rate": None if s.rate is None else round(s.rate.value, 4),
        "shown": None if s.rate is None else s.rate.shown,
        "label": s.label,
        "references": {k.value: rate_dict(v, lang) for k, v in s.references.items()},
    }
