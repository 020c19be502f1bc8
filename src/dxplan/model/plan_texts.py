"""The plan's own reference texts, kept as written: its glossary (用語集), its visions (目指す姿) and the
results its previous plan reported (鞍手町 第1期 実績). Reports print them as the plan writes them."""

from __future__ import annotations

from .base import FiscalYear, Strict, Text, annotation, computed, empty_list


class GlossaryEntry(Strict):
    """A glossary term (用語集) with its definition as written."""

    term: Text
    aliases: list[Text] = empty_list()
    definition: Text
    note: str | None = annotation(description="the transcriber's note on the entry; an annotation")


class PredecessorResult(Strict):
    """One result item of a predecessor plan (e.g. 鞍手町 第1期 実績)."""

    id: Text = computed(...)
    title: Text
    category: str | None = None
    measure: str | None = None
    description: str | None = None
    status: str | None = None
    source: str | None = annotation(description="where the result was read; an annotation")
    note: str | None = annotation(description="the transcriber's note on the result; an annotation")


class PredecessorPlan(Strict):
    """A previous plan of the same municipality, with the results it reported."""

    id: Text = computed(...)
    title: Text
    period_start: FiscalYear
    period_end: FiscalYear
    results: list[PredecessorResult] = empty_list()
    source: str | None = annotation(description="where the plan's results were read; an annotation")
    note: str | None = annotation(description="the transcriber's note on the plan; an annotation")


class Vision(Strict):
    """A vision (目指す姿) of the plan, referenced by actions (鹿島市: pillar + ①–④)."""

    id: Text = computed(...)
    text: Text
    category: str | None = computed(description="the id of the category (柱) the vision belongs to")
