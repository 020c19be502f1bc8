"""Lint rules, one per module.

Every rule module defines:

- ``ID``: the rule id shown in output (``unknown-status``);
- ``SEVERITY``: ``error`` or ``warning`` (``--strict`` makes warnings errors);
- ``MESSAGE``: ``{"ja": ..., "en": ...}`` format strings;
- a docstring with a passing and a failing example;
- and either ``matches(err)`` + ``params(err, model, doc)`` (rules raised while
  loading: a pydantic error dict is offered to each load rule in turn), or
  ``check(ctx)`` yielding :class:`Finding` (rules over a loaded plan), or
  neither (rules the loader raises by id: encoding, empty-file, yaml-syntax …).

The registry below imports every module in this package; add a module and it is
a rule.
"""

from __future__ import annotations

import difflib
import importlib
import pkgutil
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any, Iterable, Iterator

from ..problems import Problem

if TYPE_CHECKING:
    from ..loaded import Document, LoadedPlan
    from ..planindex import PlanIndex


@dataclass(frozen=True)
class Rule:
    """A rule module wrapped: its id, severity, messages and entry points."""

    ID: str
    SEVERITY: str
    MESSAGE: dict[str, str]
    module: ModuleType = field(compare=False)

    @property
    def doc(self) -> str:
        """The rule's docstring (description plus passing and failing examples)."""
        return self.module.__doc__ or ""

    def problem(self, path: Path, line: int, column: int, **params: Any) -> Problem:
        """A :class:`Problem` of this rule at ``path:line:column`` with its messages filled."""
        return Problem(
            path=Path(path),
            line=line,
            column=column,
            severity=self.SEVERITY,
            rule=self.ID,
            message_ja=self.MESSAGE["ja"].format(**params),
            message_en=self.MESSAGE["en"].format(**params),
        )


@dataclass
class Finding:
    """What a ``check`` rule yields: where (document + pydantic-style path) and message parameters."""

    doc: "Document"
    loc: tuple[Any, ...]
    params: dict[str, Any]
    key: bool = False


@dataclass
class PlanContext:
    """What ``check`` rules see: the loaded plan and its look-up index."""

    loaded: "LoadedPlan"
    index: "PlanIndex"

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


def did_you_mean(word: str, choices: Iterable[str], lang: str = "ja") -> str:
    """A " did you mean …?" suffix for ``word`` from ``choices`` (empty when nothing is close)."""
    close = difflib.get_close_matches(str(word), list(dict.fromkeys(choices)), n=1, cutoff=0.5)
    if not close:
        return ""
    return f" もしかして「{close[0]}」？" if lang == "ja" else f" Did you mean '{close[0]}'?"


def hints(word: str, choices: Iterable[str], after_ja: str = "") -> dict[str, str]:
    """Message parameters ``hint_ja``/``hint_en`` for ``word``: "did you mean" in both languages, or empty.

    ``after_ja`` is appended to a non-empty Japanese hint (for messages that go on after it).
    """
    choices = list(choices)
    ja = did_you_mean(word, choices, "ja").strip()
    return {"hint_ja": ja + after_ja if ja else "", "hint_en": did_you_mean(word, choices, "en")}


def classify_schema_error(err: dict[str, Any], model: type, doc: "Document") -> tuple[Rule, dict[str, Any]]:
    """The load rule that claims a pydantic error, and its message parameters."""
    rules = load_rules()
    for rule in rules.values():
        matches = getattr(rule.module, "matches", None)
        if matches is not None and matches(err):
            return rule, rule.module.params(err, model, doc)
    rule = rules["invalid-value"]
    return rule, rule.module.params(err, model, doc)


def run_checks(loaded: "LoadedPlan", only: set[Path] | None = None) -> list[Problem]:
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


def field_path(loc: tuple[Any, ...]) -> str:
    """``tasks[3].status`` from ``("tasks", 3, "status")``."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(file)"


def iter_tasks(ctx: PlanContext) -> Iterator[tuple["Document", int, Any, Any]]:
    """(document, index, task, action) for every task row of the plan."""
    for la in ctx.loaded.actions:
        for i, task in enumerate(la.action.tasks):
            yield la.doc, i, task, la.action
