"""``file:line:column: severity rule-id message``, one line per problem, then a summary line."""

from __future__ import annotations

import os


def _rel(path) -> str:
    try:
        return os.path.relpath(path)
    except ValueError:
        return str(path)


def format(result, lang: str = "ja") -> str:
    lines = [f"{_rel(p.path)}:{p.line}:{p.column}: {p.severity} {p.rule} {p.message(lang)}" for p in result.problems]
    if lang == "en":
        lines.append(f"{result.files} files checked: {result.errors} errors, {result.warnings} warnings")
    else:
        lines.append(f"{result.files} ファイルを検査: エラー {result.errors} 件、警告 {result.warnings} 件")
    return "\n".join(lines)
