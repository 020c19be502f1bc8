"""A municipality_code that is not a 全国地方公共団体コード: not six digits, or a wrong check digit.

Why: Open data (``dxplan publish``) identifies each municipality by its 全国地方公共団体コード; a code with a
wrong check digit names another municipality or none, and every joined data set would go wrong with it.

Fix: Copy the six-digit code from 総務省's 全国地方公共団体コード list, in quotes (a code starting with 0 written
as a number loses its zero); or leave the field out until you have it.

Passing: a plan.yaml with ``municipality_code: '131016'`` (千代田区: 1×6 + 3×5 + 1×4 + 0×3 + 1×2 = 27,
27 mod 11 = 5, 11 − 5 = 6).

Failing: a plan.yaml with ``municipality_code: '131017'``: the error points at the value and names the
code with the right check digit.
"""

from dxplan.i18n import N_, Text
from dxplan.model.changes import field_path

ID = "municipality-code"
SEVERITY = "error"
MESSAGE = N_(
    "'{field}': {code} is not a 全国地方公共団体コード ({why}); copy the six digits from 総務省's list, quoted."
)

WRONG_DIGIT = N_("the check digit of {first} is {digit}, so the code would be {expected}")
NOT_SIX = N_("a code is six digits")


def matches(err: dict) -> bool:
    return err["type"] == "municipality_code"


def params(err: dict, model, doc) -> dict:
    ctx = err.get("ctx") or {}
    code = str(ctx.get("code", err.get("input")))
    expected = ctx.get("expected")
    why = Text(WRONG_DIGIT, first=code[:5], digit=expected[5], expected=expected) if expected else Text(NOT_SIX)
    return {"field": field_path(tuple(err["loc"])), "code": code, "why": why}
