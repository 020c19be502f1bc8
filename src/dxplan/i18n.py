"""Language helpers shared by every output (terminal, reports, diffs): one place for the ja/en choice.

Messages are in Japanese, the language of the plans, with English on request
(``--lang en`` or ``DXPLAN_LANG=en``; see :func:`dxplan.problems.default_lang`).
"""

from __future__ import annotations


def tr(lang: str, ja: str, en: str) -> str:
    """``en`` when ``lang == "en"``, else ``ja``."""
    return en if lang == "en" else ja


#: Canonical states in English.
STATE_EN = {"not_started": "not started", "considering": "considering", "in_progress": "in progress", "done": "done"}

#: DOMAIN.md's Japanese words for the canonical states, used where a plan declares none.
STATE_JA = {"not_started": "未着手", "considering": "検討中", "in_progress": "進捗中", "done": "完了"}
