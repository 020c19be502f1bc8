"""A value of the wrong type: a list where text is expected, text where a number is, an unknown choice …

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

from . import field_path

ID = "wrong-type"
SEVERITY = "error"
MESSAGE = {
    "ja": "「{where}」の型が違います: {detail}",
    "en": "wrong type at '{where}': expected {detail}",
}

_TYPES = {
    "string_type": "文字列 / text",
    "int_type": "整数 / an integer",
    "int_parsing": "整数 / an integer",
    "int_from_float": "整数 / an integer",
    "float_type": "数値 / a number",
    "float_parsing": "数値 / a number",
    "list_type": "リスト（- 項目）/ a list",
    "dict_type": "マッピング（キー: 値）/ a mapping",
    "model_type": "マッピング（キー: 値）/ a mapping",
    "model_attributes_type": "マッピング（キー: 値）/ a mapping",
    "bool_type": "true / false",
    "bool_parsing": "true / false",
    "date_type": "日付 YYYY-MM-DD / a date YYYY-MM-DD",
    "date_parsing": "日付 YYYY-MM-DD / a date YYYY-MM-DD",
    "date_from_datetime_parsing": "日付 YYYY-MM-DD / a date YYYY-MM-DD",
    "date_from_datetime_inexact": "日付 YYYY-MM-DD / a date YYYY-MM-DD",
    "string_too_short": "空でない文字列 / non-empty text",
    "too_short": "空でないリスト / a non-empty list",
}


def matches(err: dict) -> bool:
    return err["type"] in _TYPES or err["type"] in ("enum", "literal_error")


def params(err: dict, model, doc) -> dict:
    if err["type"] in ("enum", "literal_error"):
        expected = (err.get("ctx") or {}).get("expected", "")
        detail = f"{expected} のいずれか / one of {expected}（「{err.get('input')}」）"
    else:
        detail = _TYPES[err["type"]]
    return {"where": field_path(tuple(err["loc"])), "detail": detail}
