"""Lint rules, one per module.

Every rule module defines:

- ``ID``: the rule id shown in output (``unknown-status``);
- ``SEVERITY``: ``error`` or ``warning`` (``--strict`` makes warnings errors);
- ``MESSAGE``: the English message (a ``str.format`` string marked with ``N_``), translated
  through the message catalogue (:mod:`dxplan.i18n`);
- a docstring with a passing and a failing example;
- and either ``matches(err)`` + ``params(err, model, doc)`` (rules raised while
  loading: a pydantic error dict is offered to each load rule in turn), or
  ``check(ctx)`` yielding :class:`Finding` (rules over a loaded plan), or
  neither (rules the loader raises by id: encoding, empty-file, yaml-syntax …).

The registry below imports every module in this package; add a module and it is
a rule.

May import: the ground modules and ``dxplan.model`` (the loader, one layer up, words its parse
faults through this registry).
"""

from __future__ import annotations

import ast
import difflib
import importlib
import pkgutil
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any
from collections.abc import Iterable, Iterator

from dxplan.i18n import Text, t
from dxplan.problems import Problem

if TYPE_CHECKING:
    from pydantic_core import ErrorDetails

    from dxplan.model.loaded import Document, LoadedPlan
    from dxplan.model.index import PlanIndex


@dataclass(frozen=True)
class Rule:
    """A rule module wrapped: its id, severity, messages and entry points."""

    ID: str
    SEVERITY: str
    MESSAGE: str
    module: ModuleType = field(compare=False)

    def _word(self, lang: str, params: dict[str, Any]) -> str:
        """The message in ``lang``; a date parameter is written as that language writes dates
        (:func:`dxplan.fiscal.format_date`: 令和7年2月10日, 10 February 2025)."""
        import datetime as dt

        from dxplan.fiscal import format_date

        return t(lang, self.MESSAGE, **{k: format_date(v, lang) if isinstance(v, dt.date) else v for k, v in params.items()})

    @property
    def doc(self) -> str:
        """The rule's docstring (description plus passing and failing examples)."""
        return self.module.__doc__ or ""

    @property
    def documentation(self) -> RuleDoc:
        """The docstring taken apart: summary, why, fix, details and examples (English)."""
        return parse_doc(self.doc)

    def problem(self, path: Path, line: int, column: int, **params: Any) -> Problem:
        """A :class:`Problem` of this rule at ``path:line:column``, its message worded in ja and en.

        ``params`` fill the message's placeholders; a :class:`~dxplan.i18n.Text` or
        ``callable(lang)`` value is worded in each language.
        """
        return Problem(
            path=Path(path),
            line=line,
            column=column,
            severity=self.SEVERITY,
            rule=self.ID,
            message_ja=one_line(self._word("ja", params)),
            message_en=one_line(self._word("en", params)),
        )


_CONTROL = {c: f"\\x{c:02x}" for c in [*range(0x20), 0x7F]} | {0x0A: "\\n", 0x0D: "\\r", 0x09: "\\t", 0x85: "\\x85", 0x2028: "\\u2028", 0x2029: "\\u2029"}


def one_line(text: str) -> str:
    """``text`` on one line: control characters and line separators (which plan text may carry
    into a message through a parameter) written as escapes (``\\n``, ``\\x1b``)."""
    return text.translate(_CONTROL)


@dataclass
class Finding:
    """What a ``check`` rule yields: where (document + pydantic-style path) and message parameters."""

    doc: Document
    loc: tuple[Any, ...]
    params: dict[str, Any]
    key: bool = False


@dataclass
class PlanContext:
    """What ``check`` rules see: the loaded plan and its look-up index."""

    loaded: LoadedPlan
    index: PlanIndex

    @property
    def plan(self):  # noqa: ANN201 - Plan
        return self.loaded.plan


@cache
def load_rules() -> dict[str, Rule]:
    """Every rule of this package, by id."""
    rules: dict[str, Rule] = {}
    for info in pkgutil.iter_modules(__path__):
        module = importlib.import_module(f"{__name__}.{info.name}")
        if not hasattr(module, "ID"):
            continue
        rules[module.ID] = Rule(module.ID, module.SEVERITY, module.MESSAGE, module)
    return rules


#: Characters that look alike in a Japanese plan's fonts but are different code points: a grade or
#: status written with one of a group is the plan's word written with another.
LOOKALIKES: tuple[frozenset[str], ...] = (
    frozenset("○〇◯⚪"),  # WHITE CIRCLE, IDEOGRAPHIC NUMBER ZERO, LARGE CIRCLE, MEDIUM WHITE CIRCLE
    frozenset("◎⊚"),
    frozenset("△▵"),
    frozenset("×✕✖╳ｘxX"),
    frozenset("-－ー‐‑−–—―"),
    frozenset("〜～~"),
)


def _alike(a: str, b: str) -> bool:
    import unicodedata

    return unicodedata.normalize("NFKC", a) == unicodedata.normalize("NFKC", b) or any(a in g and b in g for g in LOOKALIKES)


def _code(ch: str) -> str:
    import unicodedata

    return f"U+{ord(ch):04X} {unicodedata.name(ch, '')}".strip()


def lookalike(word: str, choices: Iterable[str]) -> Text | str:
    """A hint naming the characters of ``word`` that only look like those of one of ``choices``
    (same length, every differing character a look-alike: :data:`LOOKALIKES` or equal under NFKC,
    e.g. full-width Ａ for A); ``""`` when no choice is written so."""
    word = str(word)
    for choice in dict.fromkeys(choices):
        if len(choice) != len(word) or choice == word:
            continue
        pairs = [(a, b) for a, b in zip(word, choice, strict=True) if a != b]
        if all(_alike(a, b) for a, b in pairs):
            return Text(" You wrote {written} ({written_code}); the plan's word is {expected}, written with {expected_char} ({expected_code}).",
                        written=word, written_code=", ".join(_code(a) for a, _ in pairs), expected=choice,
                        expected_char="".join(b for _, b in pairs), expected_code=", ".join(_code(b) for _, b in pairs))
    return ""


def did_you_mean(word: str, choices: Iterable[str]) -> Text | str:
    """A hint for ``word`` from ``choices``: the look-alike characters it was written with
    (:func:`lookalike`), else " did you mean …?" (difflib, cutoff 0.5); ``""`` when nothing is close."""
    alike = lookalike(word, choices)
    if alike:
        return alike
    close = difflib.get_close_matches(str(word), list(dict.fromkeys(choices)), n=1, cutoff=0.5)
    if not close:
        return ""
    return Text(" Did you mean '{word}'?", word=close[0])


def hints(word: str, choices: Iterable[str]) -> dict[str, Text | str]:
    """The message parameter ``hint`` for ``word``: a did-you-mean :class:`Text`, or empty."""
    return {"hint": did_you_mean(word, list(choices))}


def classify_schema_error(err: ErrorDetails, model: type, doc: Document) -> tuple[Rule, dict[str, Any]]:
    """The load rule that claims a pydantic error, and its message parameters."""
    rules = load_rules()
    for rule in rules.values():
        matches = getattr(rule.module, "matches", None)
        if matches is not None and matches(err):
            return rule, rule.module.params(err, model, doc)
    rule = rules["invalid-value"]
    return rule, rule.module.params(err, model, doc)


def run_checks(loaded: LoadedPlan, only: set[Path] | None = None) -> list[Problem]:
    """Run every ``check`` rule over a loaded plan (skipping those the plan disables).

    ``only``: report findings in these files (and plan.yaml) only.
    """
    if loaded.plan is None:
        return []
    ctx = PlanContext(loaded, loaded.index)
    disabled = set(loaded.plan.lint.disable)
    out: list[Problem] = []
    for rule in load_rules().values():
        check = getattr(rule.module, "check", None)
        if check is None or rule.ID in disabled:
            continue
        for f in check(ctx):
            if only is not None and f.doc is not loaded.plan_doc and f.doc.path.resolve() not in only:
                continue
            line, col = f.doc.position(f.loc, key=f.key)
            out.append(rule.problem(f.doc.path, line, col, **f.params))
    return out


def iter_tasks(ctx: PlanContext) -> Iterator[tuple[Document, int, Any, Any]]:
    """(document, index, task, action) for every task row of the plan."""
    for la in ctx.loaded.actions:
        for i, task in enumerate(la.action.tasks):
            yield la.doc, i, task, la.action


# --------------------------------------------------------------------------- rule documentation

#: An executable example in a rule docstring: ``Passing::`` or ``Failing (line:col)::`` and an
#: indented YAML block. ``tests/test_rules.py`` runs these; ``dxplan rules`` prints them.
EXAMPLE = re.compile(r"(Passing|Failing)(?: \((\d+):(\d+)\))?::\n\n((?:    .*\n|\n)+)")


@dataclass(frozen=True)
class Example:
    """One docstring example: ``kind`` Passing/Failing, the YAML ``text``, the expected (line, column)."""

    kind: str
    text: str
    position: tuple[int, int] | None


@dataclass(frozen=True)
class RuleDoc:
    """A rule's documentation in ruff's shape, from its docstring (English; worded through the catalogue).

    ``summary`` (first paragraph), ``why`` ("Why: …"), ``fix`` ("Fix: …"), ``details`` (other prose
    paragraphs, including prose examples of rules that need bytes, two files or git history) and
    ``examples`` (the executable YAML blocks).
    """

    summary: str
    why: str
    fix: str
    details: tuple[str, ...]
    examples: tuple[Example, ...]

    def paragraphs(self) -> list[str]:
        """Every prose paragraph (the message ids the catalogue translates)."""
        return [p for p in (self.summary, self.why, self.fix, *self.details) if p]


def parse_doc(doc: str) -> RuleDoc:
    """Take a rule docstring apart (see :class:`RuleDoc`); paragraphs are joined onto one line."""
    import textwrap

    doc = textwrap.dedent(doc).strip() + "\n"
    examples = tuple(
        Example(kind, textwrap.dedent(body).strip() + "\n", (int(line), int(col)) if line else None)
        for kind, line, col, body in EXAMPLE.findall(doc)
    )
    prose = EXAMPLE.sub("", doc)
    summary, why, fix, details = "", "", "", []
    for para in re.split(r"\n\s*\n", prose):
        text = " ".join(para.split())
        if not text:
            continue
        if not summary:
            summary = text
        elif text.startswith("Why: "):
            why = text.removeprefix("Why: ")
        elif text.startswith("Fix: "):
            fix = text.removeprefix("Fix: ")
        else:
            details.append(text)
    return RuleDoc(summary, why, fix, tuple(details), examples)


def extract_messages(fileobj, keywords, comment_tags, options):
    """Babel extractor for rule modules: the Python messages plus every docstring paragraph.

    Declared in ``babel.cfg`` (``[extractors] dxplan_rules = dxplan.rules:extract_messages``).
    """
    from babel.messages.extract import extract_python

    source = fileobj.read()
    fileobj.seek(0)
    yield from extract_python(fileobj, keywords, comment_tags, options)
    text = source.decode("utf-8") if isinstance(source, bytes) else source
    tree = ast.parse(text)
    is_rule = any(isinstance(n, ast.Assign) and any(getattr(x, "id", None) == "ID" for x in n.targets) for n in tree.body)
    doc = ast.get_docstring(tree, clean=False)
    if is_rule and doc:
        for para in parse_doc(doc).paragraphs():
            yield 1, "_", para, []
