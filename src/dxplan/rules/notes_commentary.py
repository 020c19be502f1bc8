"""A ``notes`` entry (of an action or of plan.yaml) that reads as the transcriber's commentary, not as source text.

Why: ``notes`` holds the source's own 備考, verbatim, and reports show it as the municipality's words; commentary there would be printed as if the town had written it.

Fix: Move the entry to ``transcription_notes``, or to ``discrepancies`` where it records a contradiction of the source.

In a plan whose municipality or title is Japanese, an entry reads as commentary when it has no kana or kanji but has a Latin word with a lower-case letter, or when it has three or more different all-lower-case Latin words. Names and acronyms (LINE, RPA, AI-OCR, LoGoフォーム) are not counted; plans in other languages are not judged.

Passing::

    id: '1'
    title: 例
    category: A-1
    owners: [総務課]
    notes:
      - 【総務課】電子決裁は令和5年度より導入済み (LoGoフォーム併用)
    transcription_notes:
      - The 備考 cell is the last line of the sheet.
    sources: [{file: seed.txt, location: line 1}]

Failing (7:5)::

    id: '1'
    title: 例
    category: A-1
    owners: [総務課]
    notes:
      - 【総務課】電子決裁は令和5年度より導入済み
      - The 備考 cell is the last line of the sheet.
    sources: [{file: seed.txt, location: line 1}]
"""

from __future__ import annotations

import re

from dxplan.i18n import N_, Text
from . import Finding

ID = "notes-commentary"
SEVERITY = "warning"
MESSAGE = N_(
    "notes hold only the source's own notes, verbatim; '{text}' reads as transcriber's commentary ({why}). "
    "Move it to transcription_notes (or to discrepancies if it records a discrepancy)."
)

JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
"""Hiragana, katakana and CJK ideographs (full-width punctuation alone does not make text Japanese)."""

LATIN_WORD = re.compile(r"(?<![A-Za-z])[A-Za-z]+(?:['’][A-Za-z]+)*(?![A-Za-z])")

MIN_LOWER_WORDS = 3
"""Different all-lower-case Latin words that make a Japanese plan's entry read as English prose."""

WHY = {
    "no-japanese": N_("it has no Japanese characters"),
    "english": N_("it is written as an English sentence"),
}


def is_japanese_plan(plan) -> bool:
    """True when the plan's municipality or title contains Japanese characters."""
    return bool(JAPANESE.search(plan.municipality) or JAPANESE.search(plan.title))


def commentary_reason(text: str) -> str | None:
    """Why ``text`` reads as commentary in a Japanese plan: ``"no-japanese"``, ``"english"``, or None (reads as source text)."""
    words = [w for w in LATIN_WORD.findall(text) if len(w) >= 2 and any(c.islower() for c in w)]
    if not JAPANESE.search(text):
        return "no-japanese" if words else None
    if len({w for w in words if w.islower()}) >= MIN_LOWER_WORDS:
        return "english"
    return None


def _excerpt(text: str, width: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _findings(doc, notes: list[str]):
    for i, text in enumerate(notes):
        why = commentary_reason(text)
        if why is not None:
            yield Finding(doc, ("notes", i), {"text": _excerpt(text), "why": Text(WHY[why])})


def check(ctx):
    if not is_japanese_plan(ctx.plan):
        return
    if ctx.loaded.plan_doc is not None:
        yield from _findings(ctx.loaded.plan_doc, ctx.plan.notes)
    for la in ctx.loaded.actions:
        yield from _findings(la.doc, la.action.notes)
