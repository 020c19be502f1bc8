"""A ``notes`` entry (of an action or of plan.yaml) that reads as the transcriber's commentary, not as source text.

``notes`` holds the source's own 備考, verbatim, and reports show it; commentary
belongs in ``transcription_notes`` (or in ``discrepancies`` where it records a
contradiction of the source). The rule judges the language of each entry
against the plan's: a plan whose municipality or title is written in Japanese
is a Japanese plan, and in a Japanese plan an entry reads as commentary when

- it has no Japanese character (kana or kanji) but has a Latin word with a
  lower-case letter ("SaaS is not defined in the glossary."), or
- it has three or more different all-lower-case Latin words (an English
  sentence with Japanese quotes in it: "The 令和6年度 cell of the 各年度目標 row
  is blank.").

Japanese source text uses Latin script for names and acronyms (LINE, RPA,
AI-OCR, LoGoフォーム, YouTube, tetoruを検討中), which neither test counts;
entries without any Latin word (「—」, 「R9」) are never flagged. Plans in other
languages are not judged. A heuristic: an English label before a Japanese
quote with fewer than three lower-case words ("Council (2023-09-14): 「…」")
is not caught.

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

from . import Finding

ID = "notes-commentary"
SEVERITY = "warning"
MESSAGE = {
    "ja": "notes には出典の備考だけを原文のまま書きます。「{text}」は転記者の注記に見えます（{why_ja}）。"
    "transcription_notes（食い違いの記録なら discrepancies）へ移してください。",
    "en": "notes hold only the source's own notes, verbatim; '{text}' reads as transcriber's commentary ({why_en}). "
    "Move it to transcription_notes (or to discrepancies if it records a discrepancy).",
}

JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
"""Hiragana, katakana and CJK ideographs (full-width punctuation alone does not make text Japanese)."""

LATIN_WORD = re.compile(r"(?<![A-Za-z])[A-Za-z]+(?:['’][A-Za-z]+)*(?![A-Za-z])")

MIN_LOWER_WORDS = 3
"""Different all-lower-case Latin words that make a Japanese plan's entry read as English prose."""

WHY = {
    "no-japanese": ("日本語の文字がありません", "it has no Japanese characters"),
    "english": ("英語の文になっています", "it is written as an English sentence"),
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
            ja, en = WHY[why]
            yield Finding(doc, ("notes", i), {"text": _excerpt(text), "why_ja": ja, "why_en": en})


def check(ctx):
    if not is_japanese_plan(ctx.plan):
        return
    if ctx.loaded.plan_doc is not None:
        yield from _findings(ctx.loaded.plan_doc, ctx.plan.notes)
    for la in ctx.loaded.actions:
        yield from _findings(la.doc, la.action.notes)
