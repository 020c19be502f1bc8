"""A percent (progress, summary evaluation) outside 0–100. Percents are 0–100, never fractions.

Why: Percents are 0–100 everywhere in dxplan; 0.8 would be read as 0.8 %, not 80 %.

Fix: Write the percent as a number from 0 to 100 (80, not 0.8).

Passing::

    id: '1'
    title: 例
    category: A-1
    owners: [総務課]
    tasks:
      - {fiscal_year: 令和6年度, department: 総務課, progress: 80}
    sources: [{file: seed.txt, location: line 1}]

Failing (6:53)::

    id: '1'
    title: 例
    category: A-1
    owners: [総務課]
    tasks:
      - {fiscal_year: 令和6年度, department: 総務課, progress: 120}
    sources: [{file: seed.txt, location: line 1}]
"""

from dxplan.i18n import N_
from dxplan.model.changes import field_path

ID = "percent-range"
SEVERITY = "error"
MESSAGE = N_(
    "'{field}' is {value}, outside 0–100 (write a percent: 80, not 0.8)."
)

_PERCENT_FIELDS = {"progress", "percent"}


def matches(err: dict) -> bool:
    loc = err["loc"]
    return (
        err["type"] in ("less_than_equal", "greater_than_equal")
        and bool(loc)
        and loc[-1] in _PERCENT_FIELDS
    )


def params(err: dict, model, doc) -> dict:
    return {"field": field_path(tuple(err["loc"])), "value": err.get("input")}
