"""Problems found in plan files, with their position, severity and rule id.

A problem carries its message in Japanese (the language of the plans) and in
English; formatters pick one (``--lang``; default from ``DXPLAN_LANG``, else ja).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

#: Exit codes shared by every command (documented in README and ``--help``).
EXIT_OK = 0
EXIT_PROBLEMS = 1
EXIT_USAGE = 2


@dataclass(frozen=True, order=True)
class Problem:
    """One problem: ``path:line:column: severity rule message``. Lines and columns are 1-based."""

    path: Path
    line: int
    column: int
    severity: str
    rule: str
    message_ja: str
    message_en: str

    def message(self, lang: str = "ja") -> str:
        """The message in ``lang`` (``ja`` or ``en``)."""
        return self.message_en if lang == "en" else self.message_ja

    def with_severity(self, severity: str) -> Problem:
        """A copy with another severity (``--strict`` turns warnings into errors)."""
        return Problem(self.path, self.line, self.column, severity, self.rule, self.message_ja, self.message_en)


def default_lang() -> str:
    """``en`` when DXPLAN_LANG (or LANG) asks for English, else ``ja``."""
    value = os.environ.get("DXPLAN_LANG", "").lower()
    if value in ("ja", "en"):
        return value
    return "ja"
