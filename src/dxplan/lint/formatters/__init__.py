"""Lint output formats, one module per format: ``text``, ``json``, ``github``, ``sarif``.

Each module defines ``format(result, lang) -> str``.
"""

from __future__ import annotations

import importlib

FORMATS = ("text", "json", "github", "sarif")


def render(fmt: str, result, lang: str = "ja") -> str:
    """Render a :class:`dxplan.lint.engine.LintResult` in format ``fmt``."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}")
    return importlib.import_module(f"{__name__}.{fmt}_format").format(result, lang)
