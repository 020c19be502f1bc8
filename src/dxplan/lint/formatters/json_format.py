"""A JSON object: ``{"problems": [{path, line, column, severity, rule, message}], "summary": {...}}``."""

from __future__ import annotations

from dxplan.output.jsonout import dumps

from .text_format import _rel


def format(result, lang: str = "ja") -> str:
    data = {
        "problems": [
            {
                "path": _rel(p.path),
                "line": p.line,
                "column": p.column,
                "severity": p.severity,
                "rule": p.rule,
                "message": p.message(lang),
            }
            for p in result.problems
        ],
        "summary": {"files": result.files, "errors": result.errors, "warnings": result.warnings},
    }
    return dumps(data)
