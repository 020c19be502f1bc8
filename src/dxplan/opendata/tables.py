"""The open-data tables built from loaded plans: long-format rows, typed, no wording, no I/O.

:func:`plan_tables` turns one loaded plan into a row list per resource of :mod:`dxplan.opendata.schema`
(each row a dict of column name → ``str``/``int``/``float``/``bool``/``datetime.date``/None); :func:`history_rows`
turns a :class:`dxplan.status.history.History` into ``status_history`` rows. Values keep their kind: source
columns hold the plan's words as written, computed columns our values, the one annotation column
(``indicator_values.source``) the transcriber's note — never mixed (docs/opendata.md).

Rows are in the plan's order (actions in file order, tasks as listed), and ``row`` numbers them from 1
within the plan, so the same plan gives the same rows.
"""

from __future__ import annotations

import datetime as dt
from operator import itemgetter
from typing import Any

from dxplan.fiscal import format_fiscal_year
from dxplan.files.load import LoadedPlan
from dxplan.model.frame import national_frame
from dxplan.model.schema import STATE_ORDER, Action, Category, Indicator, Plan
from dxplan.model.index import PlanIndex
from dxplan.score.actions import score_action
from dxplan.score.indicators import score_indicator
from dxplan.score.rates import NO_SCALE_LABEL, OK, ScoreState
from dxplan.status.history import History
from dxplan.report.history_figures import evaluation_columns

from .schema import RESOURCES

Row = dict[str, Any]
Tables = dict[str, list[Row]]
Rows = dict[str, list[tuple[Any, ...]]]
"""Rows as the package writer takes them: resource name → rows, each a tuple of values in the resource's column
order (:attr:`dxplan.opendata.schema.Resource.names`); a resource left out has no rows."""


def empty_tables() -> Tables:
    """A row list per resource, all empty."""
    return {r.name: [] for r in RESOURCES}


def _lines(items: list[str]) -> str | None:
    kept = [s for s in items if s]
    return "\n".join(kept) if kept else None


def _k(plan: Plan, local: str | None) -> str | None:
    """The package-wide key of a row of ``plan`` whose ID is ``local`` (``kama/I-1``); None stays None."""
    return None if local is None else f"{plan.id}/{local}"


def _fy(year: int) -> tuple[int, str]:
    return year, format_fiscal_year(year, "reiwa")


def plan_tables(loaded: LoadedPlan) -> Tables:
    """Every resource's rows for one loaded plan (``status_history`` left empty: :func:`history_rows`;
    ``national_items`` too, being the same for every plan: :func:`national_item_rows`).

    Raises ValueError when the plan did not load (``loaded.plan`` is None).
    """
    plan = loaded.plan
    if plan is None:
        raise ValueError("the plan did not load")
    index = loaded.index
    out = empty_tables()
    out["plans"].append({
        "全国地方公共団体コード": plan.municipality_code, "都道府県名": plan.prefecture, "地方公共団体名": plan.municipality, "ID": plan.id,
        "名称": plan.title, "stage": plan.stage, "period_start": plan.period_start, "period_end": plan.period_end,
        "evaluation_date": plan.evaluation_date, "published": plan.published, "備考": _lines(plan.notes),
        "national_frame": plan.national_frame,
    })
    levels = plan.labels.category_levels

    def walk(nodes: list[Category], parent: str | None, depth: int) -> None:
        for node in nodes:
            out["categories"].append({
                "plan_id": plan.id, "ID": node.id, "名称": node.name, "parent_id": parent, "key": _k(plan, node.id),
                "parent_key": _k(plan, parent), "level": depth + 1,
                "level_label": levels[depth] if depth < len(levels) else None, "description": node.description,
            })
            walk(node.children, node.id, depth + 1)

    walk(plan.categories, None, 0)
    for dep in plan.departments:
        out["departments"].append({"plan_id": plan.id, "ID": dep.key, "名称": dep.name, "key": _k(plan, dep.key), "parent_id": dep.parent, "kind": dep.kind, "role": dep.role})
    for ind in plan.indicators:
        _indicator(out, plan, None, ind)
    for la in loaded.actions:
        _action(out, plan, index, la.action)
    for name in ("tasks", "indicator_values", "grades", "effects"):
        for i, row in enumerate(out[name], 1):
            row["row"] = i
    return out


def _action(out: Tables, plan: Plan, index: PlanIndex, action: Action) -> None:
    ref = index.category(action.category)
    score = score_action(action, plan, index)
    evaluated = score.state is ScoreState.evaluated
    out["actions"].append({
        "全国地方公共団体コード": plan.municipality_code, "plan_id": plan.id, "ID": action.id, "number": action.number, "名称": action.title,
        "key": _k(plan, action.id), "category_id": ref.node.id if ref is not None else None,
        "category_key": _k(plan, ref.node.id if ref is not None else None), "division": action.division, "owners": _lines(action.owners),
        "aim": action.aim, "approach": action.approach, "target_text": action.target.text if action.target else None,
        "budget": action.budget, "備考": _lines(action.notes),
        "score_state": score.state.value, "score_label": score.label if evaluated and score.label != NO_SCALE_LABEL else None,
        "score_rate": score.rate.value if score.rate is not None else None,
    })
    for item in dict.fromkeys(action.serves):
        out["serves"].append({"plan_id": plan.id, "action_id": action.id, "item": item})
    for task in action.tasks:
        sw = index.status(task.status) if task.status else None
        deps = index.departments(task.department) if task.department else None
        dep = deps[0].key if deps is not None and len(deps) == 1 else None
        year, label = _fy(task.fiscal_year)
        out["tasks"].append({
            "plan_id": plan.id, "action_id": action.id, "fiscal_year": year, "fiscal_year_label": label,
            "department": task.department, "department_id": dep, "department_key": _k(plan, dep),
            "item": task.item, "plan": task.plan, "result": task.result, "result_kind": task.result_kind, "status": task.status,
            "state": sw.state.value if sw is not None else None, "progress": task.progress, "timing": task.timing, "備考": task.note,
        })
    for ind in action.all_indicators:  # as score reads them: numeric yearly_targets too
        _indicator(out, plan, action.id, ind)
    for g in action.grades:
        _grade(out, plan, action.id, None, g)
    for e in action.effects:
        year, label = _fy(e.fiscal_year)
        out["effects"].append({
            "plan_id": plan.id, "action_id": action.id, "fiscal_year": year, "fiscal_year_label": label, "kind": e.kind,
            "text": e.raw, "value": e.value, "unit": e.unit, "meaning": e.meaning, "per": e.per,
        })


def _indicator(out: Tables, plan: Plan, action_id: str | None, ind: Indicator, series_of: str | None = None) -> None:
    key = f"{action_id or ''}:{ind.id}"
    base = ind.baseline
    overall = score_indicator(ind, plan).overall
    out["indicators"].append({
        "plan_id": plan.id, "ID": key, "key": _k(plan, key), "indicator_id": ind.id, "action_id": action_id,
        "action_key": _k(plan, action_id), "series_of": _k(plan, series_of), "名称": ind.name,
        "kind": ind.kind, "unit": ind.unit, "measure": ind.measure, "accumulation": ind.accumulation, "direction": ind.direction,
        "baseline_value": base.value if base else None, "baseline_fiscal_year": base.fiscal_year if base else None,
        "target_text": ind.target_text, "target_value": ind.target_value, "deadline": ind.deadline, "note": ind.note,
        "rate": overall.value if overall.status is OK else None,
    })
    for t in ind.targets:
        year, label = _fy(t.fiscal_year)
        out["indicator_values"].append({
            "plan_id": plan.id, "indicator": key, "fiscal_year": year, "fiscal_year_label": label, "value_kind": "target",
            "value": t.value, "text": t.text, "comparator": t.comparator, "date": None, "note": t.note, "source": None,
        })
    for a in ind.actuals:
        year, label = _fy(a.fiscal_year)
        out["indicator_values"].append({
            "plan_id": plan.id, "indicator": key, "fiscal_year": year, "fiscal_year_label": label, "value_kind": a.kind,
            "value": a.value, "text": a.text, "comparator": None, "date": a.date, "note": a.note, "source": a.source,
        })
    for g in ind.grades:
        _grade(out, plan, action_id, key, g)
    for series in ind.series_indicators():
        _indicator(out, plan, action_id, series, series_of=key)


def _grade(out: Tables, plan: Plan, action_id: str | None, indicator: str | None, g: Any) -> None:
    scale = plan.grade_scale
    found = scale.lookup(g.grade) if scale is not None else None
    year, label = _fy(g.fiscal_year)
    out["grades"].append({
        "plan_id": plan.id, "action_id": action_id, "action_key": _k(plan, action_id), "indicator_key": _k(plan, indicator), "fiscal_year": year, "fiscal_year_label": label,
        "grade": g.grade, "meaning": found.meaning if found else None, "not_evaluated": found.not_evaluated if found else None,
        "reason": g.reason, "note": g.note,
    })


def history_rows(plan_id: str, history: History) -> list[Row]:
    """``status_history`` rows: per evaluation date (the last commit of each run of commits with the same
    ``evaluation_date``, as a report's history columns: :func:`dxplan.report.history_figures.evaluation_columns`),
    one row per canonical state and for ``no_status`` and ``unknown``, with the task rows counted in that
    column's fiscal year. Commits of a plan that records no evaluation date give no rows."""
    rows: list[Row] = []
    for p in evaluation_columns(history.points):
        year, label = _fy(p.fiscal_year)
        counts: list[tuple[str, int]] = [(s.value, p.counts.states[s]) for s in STATE_ORDER]
        counts += [("no_status", p.counts.no_status), ("unknown", p.counts.unknown)]
        for state, n in counts:
            rows.append({"plan_id": plan_id, "date": p.date, "commit": p.commit,
                         "fiscal_year": year, "fiscal_year_label": label, "state": state, "rows": n})
    return rows


def national_item_rows() -> list[Row]:
    """``national_items`` rows: every item of every version of the national frame dxplan ships
    (:func:`dxplan.model.frame.national_frame`), versions oldest first, items in each version's order;
    ``position`` is the item's place in :attr:`~dxplan.model.frame.NationalFrame.item_ids` (from 1).
    Raises :class:`dxplan.model.frame.FrameError` when the shipped frame cannot be read."""
    frame = national_frame()
    position = {item: n for n, item in enumerate(frame.item_ids, 1)}
    return [{"version": v.version, "ID": i.id, "number": i.number, "名称": i.name, "position": position[i.id]}
            for v in frame.versions for i in v.items]


def as_tuples(tables: Tables) -> Rows:
    """``tables`` as :data:`Rows`: each row a tuple in its resource's column order (a column a row lacks is None);
    resources without rows left out."""
    out: Rows = {}
    for r in RESOURCES:
        rows = tables.get(r.name)
        if rows:
            names = r.names  # three or more: itemgetter gives tuples
            try:
                out[r.name] = list(map(itemgetter(*names), rows))
            except KeyError:  # a row without some column
                out[r.name] = [tuple(row.get(n) for n in names) for row in rows]
    return out


def as_of(value: Any) -> str:
    """A cell as the CSV writes it: '' for None, ISO dates, ``true``/``false``, integers without a decimal point."""
    if value.__class__ is str:  # most cells
        return value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _values(rows: list[Row], names: tuple[str, ...]) -> list[tuple[Any, ...]]:
    """Each row's values of the columns ``names``, as tuples (a column a row lacks is None)."""
    try:
        if len(names) == 1:
            return [(row[names[0]],) for row in rows]
        return list(map(itemgetter(*names), rows))
    except KeyError:
        return [tuple(row.get(k) for k in names) for row in rows]


def integrity(tables: Tables) -> list[tuple[str, str, str]]:
    """What would make the package invalid, as ``(resource, kind, values)``: a primary key given twice
    (``primary-key``) or a foreign key that finds no row (``foreign-key``; a reference with every part empty is
    no reference). Empty for a package whose keys hold; ``dxplan publish`` writes nothing otherwise. A resource
    missing from ``tables`` has no rows.

    Every key of the package but ``plans.ID`` lies within one plan: each key and reference holds its plan's ID
    (``plan_id``, or ``<plan ID>/`` at the start of a ``key``, a plan ID holding no ``/``: lint's ``unsafe-id``). So
    ``dxplan publish`` checks the tables of one plan at a time, and the plan IDs across plans."""
    out: list[tuple[str, str, str]] = []
    by_name = {r.name: r for r in RESOURCES}
    for r in RESOURCES:
        rows = tables.get(r.name, [])
        seen: set[tuple[Any, ...]] = set()
        for key in _values(rows, r.primary_key):
            if key in seen:
                out.append((r.name, "primary-key", ", ".join(map(as_of, key))))
            seen.add(key)
        for own, other, theirs in r.foreign_keys:
            known = set(_values(tables.get(by_name[other or r.name].name, []), theirs))
            empty = (None,) * len(own)
            for values in _values(rows, own):
                if values != empty and values not in known:
                    out.append((r.name, "foreign-key", ", ".join(map(as_of, values))))
    return out
