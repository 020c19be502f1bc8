"""A number outside the numeric policy: not finite, larger than 10^15 in magnitude, or written with more than 6 decimals.

Why: Every figure is rounded and compared (rates to one decimal, shares, sums, spreadsheet cells); a value such as
``1e-320`` or ``1e308``, or an integer of hundreds of digits, cannot be rounded or written to a sheet, and is never
a figure a plan means (docs/domain.md, "Numbers").

Fix: Write the number as the source prints it: at most 10^15 (1,000,000,000,000,000) in magnitude and at most
6 decimals. ``-0.0`` is accepted and read as 0.

Passing::

    id: '1'
    title: 例
    category: A-1
    owners: [総務課]
    target:
      text: 交付率80%
      spec: {kind: level, value: 80}
    sources: [{file: seed.txt, location: line 1}]

Failing (7:30)::

    id: '1'
    title: 例
    category: A-1
    owners: [総務課]
    target:
      text: 交付率80%
      spec: {kind: level, value: 1e-320}
    sources: [{file: seed.txt, location: line 1}]
"""

from dxplan.i18n import N_, Text
from dxplan.model.changes import field_path

ID = "number-range"
SEVERITY = "error"
MESSAGE = N_(
    "'{where}' is {value}: {problem} (a number is finite, at most 10^15 in magnitude and has at most 6 decimals)."
)

_PROBLEMS = {
    "not_finite": N_("not a finite number"),
    "too_large": N_("too large"),
    "too_precise": N_("more than 6 decimals"),
}


def matches(err: dict) -> bool:
    return err["type"] in ("number_range", "finite_number")


def params(err: dict, model, doc) -> dict:
    ctx = err.get("ctx") or {}
    problem = ctx.get("problem", "not_finite")
    text: str | Text = str(ctx.get("value", err.get("input")))
    if int(ctx.get("digits", 0)) > 12:
        text = Text("{head}… ({digits} characters)", head=text, digits=ctx["digits"])
    return {"where": field_path(tuple(err["loc"])), "value": text, "problem": Text(_PROBLEMS.get(problem, _PROBLEMS["not_finite"]))}
