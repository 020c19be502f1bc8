"""A fiscal year that is not 2024, R6 or 令和6年度 (e.g. 令和6年 without 度 is accepted, 2024/4 is not).

Why: A fiscal year dxplan cannot read cannot be counted in any year's status table.

Fix: Write the fiscal year as 2024, R6 or 令和6年度.

Passing::

    id: '1'
    title: 例
    category: A-1
    owners: [総務課]
    tasks:
      - {fiscal_year: R6, department: 総務課}
    sources: [{file: seed.txt, location: line 1}]

Failing (6:19)::

    id: '1'
    title: 例
    category: A-1
    owners: [総務課]
    tasks:
      - {fiscal_year: 来年度, department: 総務課}
    sources: [{file: seed.txt, location: line 1}]
"""

from dxplan.i18n import N_
from dxplan.model.changes import field_path

ID = "invalid-fiscal-year"
SEVERITY = "error"
MESSAGE = N_(
    "'{field}': cannot read '{value}' as a fiscal year; write 2024, R6 or 令和6年度."
)


def matches(err: dict) -> bool:
    return err["type"] == "value_error" and "fiscal year" in str(err.get("msg", ""))


def params(err: dict, model, doc) -> dict:
    return {"field": field_path(tuple(err["loc"])), "value": err.get("input")}
