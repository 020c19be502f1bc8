"""Lint output formats, one module per format: ``text``, ``json``, ``github``, ``sarif``; and the rule help.

:data:`FORMATS` is their registry (``dxplan lint --format`` is built from it, see
:mod:`dxplan.output.formats`). Each writer is ``format(result, lang) -> str``: a
:class:`dxplan.lint.engine.LintResult` as the text printed (nothing is printed when it is empty).
Adding a format: a module here with its ``format`` and a line in :data:`FORMATS`.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

from dxplan.output.formats import Format, Formats

FORMATS = Formats(
    Format("text", "dxplan.lint.formatters.text_format:format"),
    Format("json", "dxplan.lint.formatters.json_format:format"),
    Format("github", "dxplan.lint.formatters.github_format:format", "annotations; default when GITHUB_ACTIONS=true"),
    Format("sarif", "dxplan.lint.formatters.sarif_format:format"),
)


def default_format(environ: Mapping[str, str] = os.environ) -> str:
    """The format without ``--format``: ``github`` in a GitHub Actions job (``GITHUB_ACTIONS=true``), else ``text``."""
    return "github" if environ.get("GITHUB_ACTIONS") == "true" else FORMATS.default


def render(fmt: str, result, lang: str = "ja") -> str:
    """Render a :class:`dxplan.lint.engine.LintResult` in format ``fmt``; ValueError for an unknown format."""
    return FORMATS.writer(fmt)(result, lang)
