"""``file:line:column: severity rule-id message``, one line per problem, then a summary line."""

from __future__ import annotations

import os

from dxplan.i18n import t


def _rel(path) -> str:
    from dxplan.rules import one_line  # a file name may hold a newline: keep one problem per line

    try:
        return one_line(os.path.relpath(path))
    except ValueError:
        return one_line(str(path))


def format(result, lang: str = "ja") -> str:
    lines = [f"{_rel(p.path)}:{p.line}:{p.column}: {p.severity} {p.rule} {p.message(lang)}" for p in result.problems]
    lines.append(t(lang, "{files} files checked: {errors} errors, {warnings} warnings", files=result.files, errors=result.errors, warnings=result.warnings))
    return "\n".join(lines)
