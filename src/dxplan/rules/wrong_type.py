"""A value of the wrong type: a list where text is expected, text where a number is, an unknown choice …

Why: A value of the wrong type cannot be counted or scored (text where a number is expected has no rate).

Fix: Write the value in the expected form given in the message.

Passing::

    id: '1'
    title: 例
    category: A-1
    owners: [総務課]
    sources: [{file: seed.txt, location: line 1}]

Failing (4:9)::

    id: '1'
    title: 例
    category: A-1
    owners: 総務課
    sources: [{file: seed.txt, location: line 1}]
"""

from dxplan.i18n import N_, Text
from dxplan.model.changes import field_path

ID = "wrong-type"
SEVERITY = "error"
MESSAGE = N_(
    "wrong type at '{where}': expected {detail}"
)

_TYPES = {
    "string_type": N_("text"),
    "int_type": N_("an integer"),
    "int_parsing": N_("an integer"),
    "int_from_float": N_("an integer"),
    "float_type": N_("a number"),
    "float_parsing": N_("a number"),
    "list_type": N_("a list"),
    "dict_type": N_("a mapping (key: value)"),
    "model_type": N_("a mapping (key: value)"),
    "model_attributes_type": N_("a mapping (key: value)"),
    "bool_type": N_("true / false"),
    "bool_parsing": N_("true / false"),
    "date_type": N_("a date YYYY-MM-DD"),
    "date_parsing": N_("a date YYYY-MM-DD"),
    "date_from_datetime_parsing": N_("a date YYYY-MM-DD"),
    "date_from_datetime_inexact": N_("a date YYYY-MM-DD"),
    "string_too_short": N_("non-empty text"),
    "too_short": N_("a non-empty list"),
}


def matches(err: dict) -> bool:
    return err["type"] in _TYPES or err["type"] in ("enum", "literal_error")


def params(err: dict, model, doc) -> dict:
    if err["type"] in ("enum", "literal_error"):
        expected = (err.get("ctx") or {}).get("expected", "")
        detail = Text("one of {expected} ('{value}')", expected=expected, value=err.get("input"))
    else:
        detail = Text(_TYPES[err["type"]])
    return {"where": field_path(tuple(err["loc"])), "detail": detail}
