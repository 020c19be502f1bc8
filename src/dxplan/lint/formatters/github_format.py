"""GitHub Actions workflow commands: ``::error file=…,line=…,col=…,title=rule::message``."""

from __future__ import annotations

from .text_format import _rel


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_prop(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def format(result, lang: str = "ja") -> str:
    lines = []
    for p in result.problems:
        level = "error" if p.severity == "error" else "warning"
        lines.append(
            f"::{level} file={_escape_prop(_rel(p.path))},line={p.line},col={p.column},"
            f"title={_escape_prop(p.rule)}::{_escape_data(p.message(lang))}"
        )
    return "\n".join(lines)
