"""Plain data views of results (dicts for JSON, and Markdown/terminal text builders' inputs).

Everything the commands print as JSON is built here, so the JSON shape lives in
one place. Percent values are numbers in 0–100 rounded to one decimal (rates) or
two (shares), as the plans print them.
"""

from __future__ import annotations

from .aggregate import Counts, PlanOverview, SnapshotCheck, StatusTable
from .fiscal import format_fiscal_year
from .model import STATE_ORDER, Plan
from .planindex import PlanIndex
from .score import ActionScore, Rate



def counts_dict(c: Counts) -> dict:
    """``{"key", "label", "counts": {state: n}, "shares": {state: pct}, "with_status", "no_status", "unknown", "rows"}``."""
    return {
        "key": c.key,
        "label": c.label,
        "counts": {s.value: c.states[s] for s in STATE_ORDER},
        "shares": {s.value: (None if c.share(s) is None else round(c.share(s), 2)) for s in STATE_ORDER},
        "with_status": c.with_status,
        "no_status": c.no_status,
        "unknown": c.unknown,
        "rows": c.rows,
    }


def overview_dict(o: PlanOverview) -> dict:
    """JSON for one plan in the combined view: actions and task rows per state; not evaluated = ``no_status``."""
    return {
        "plan": o.plan.id,
        "municipality": o.plan.municipality,
        "fiscal_year": o.fiscal_year,
        "actions": counts_dict(o.actions),
        "task_rows": counts_dict(o.rows),
    }


def status_dict(plan: Plan, tables: list[StatusTable], checks: dict[int, SnapshotCheck | None]) -> dict:
    """JSON for ``dxplan status``: one entry per fiscal year, with the source's own table beside it."""
    index = PlanIndex(plan)
    years = []
    for t in tables:
        check = checks.get(t.fiscal_year)
        entry = {
            "fiscal_year": t.fiscal_year,
            "fiscal_year_label": format_fiscal_year(t.fiscal_year, plan.fiscal_year_style),
            "by": t.by,
            "total": counts_dict(t.total),
            "groups": [counts_dict(g) for g in t.groups] if t.by else [],
        }
        if check is not None:
            entry["source_table"] = {
                "label": check.snapshot.label,
                "date": check.snapshot.date.isoformat(),
                "counts": check.snapshot.counts.model_dump(exclude_none=True),
                "matches": check.matches,
                "differences": {k: {"source": a, "computed": b} for k, (a, b) in check.differences.items()},
            }
        years.append(entry)
    return {
        "plan": plan.id,
        "municipality": plan.municipality,
        "title": plan.title,
        "state_words": {s.value: index.state_word(s) for s in STATE_ORDER},
        "years": years,
    }


def rate_dict(r: Rate, lang: str = "ja") -> dict:
    """``{"method", "status", "rate" (raw %), "shown" (one decimal), "reason", "explain": [...]}``."""
    i = 1 if lang == "en" else 0
    return {
        "method": r.method,
        "status": r.status,
        "rate": None if r.value is None else round(r.value, 4),
        "shown": r.shown,
        "reason": r.reason[i] if r.reason else None,
        "explain": [line[i] for line in r.explain],
    }


def score_dict(s: ActionScore, lang: str = "ja") -> dict:
    """JSON for one action's score: deciding method, rate, label, state and reference rates."""
    return {
        "id": s.action_id,
        "title": s.title,
        "state": s.state,
        "deciding": s.deciding,
        "rate": None if s.rate is None else round(s.rate.value, 4),
        "shown": None if s.rate is None else s.rate.shown,
        "label": s.label,
        "references": {k: rate_dict(v, lang) for k, v in s.references.items()},
    }
