"""Rule documentation as people read it (``dxplan rules``) and as SARIF carries it.

The text comes from each rule module's docstring (:func:`dxplan.rules.parse_doc`), the same
docstrings whose examples ``tests/test_rules.py`` executes; prose paragraphs are translated
through the message catalogue, examples are shown as written.
"""

from __future__ import annotations

from dxplan.i18n import t
from dxplan.rules import Rule


def severity_word(severity: str, lang: str) -> str:
    """``error``/``warning`` in ``lang`` (エラー / 警告)."""
    return t(lang, "error") if severity == "error" else t(lang, "warning")


def summary(rule: Rule, lang: str) -> str:
    """The rule's one-paragraph summary in ``lang``."""
    return t(lang, rule.documentation.summary)


def rule_help(rule: Rule, lang: str) -> str:
    """The whole documentation of one rule as plain text (Markdown-compatible) in ``lang``.

    Sections: heading (id, severity), summary, why, how to fix, other details, then each example
    with its expected position.
    """
    doc = rule.documentation
    out = [f"{rule.ID} ({severity_word(rule.SEVERITY, lang)})", "", t(lang, doc.summary), ""]
    if doc.why:
        out += [t(lang, "Why: {text}", text=t(lang, doc.why)), ""]
    if doc.fix:
        out += [t(lang, "How to fix: {text}", text=t(lang, doc.fix)), ""]
    for para in doc.details:
        out += [t(lang, para), ""]
    for ex in doc.examples:
        if ex.kind == "Passing":
            head = t(lang, "Passing example:")
        elif ex.position:
            head = t(lang, "Failing example (reported at {line}:{column}):", line=ex.position[0], column=ex.position[1])
        else:
            head = t(lang, "Failing example:")
        out += [head, "", *("    " + ln if ln else "" for ln in ex.text.rstrip("\n").split("\n")), ""]
    return "\n".join(out).rstrip() + "\n"


def rules_index(rules: dict[str, Rule], lang: str) -> str:
    """One line per rule: ``id  severity  summary``, in id order, the columns lined up in a terminal."""
    from rich.cells import cell_len  # padded by terminal cells: エラー takes six, not three

    def pad(text: str, width: int) -> str:
        return text + " " * (width - cell_len(text))

    width = max(cell_len(r) for r in rules)
    sev = max(cell_len(severity_word(s, lang)) for s in ("error", "warning"))
    lines = []
    for rid in sorted(rules):
        rule = rules[rid]
        lines.append(f"{pad(rid, width)}  {pad(severity_word(rule.SEVERITY, lang), sev)}  {summary(rule, lang)}")
    return "\n".join(lines) + "\n"
