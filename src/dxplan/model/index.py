"""Look-ups a plan declares: categories, departments and status words by id, name or alias.

Pure functions over a :class:`~dxplan.model.schema.Plan`; no I/O. Matching is exact
first, then on NFKC-normalised text without spaces, so that a written form the
plan lists as an alias (``暮らしのデジタル推進``) or that differs only in width
(``SNS 等`` / ``SNS等``) finds its entry.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import cached_property

from dxplan.i18n import STATE_JA
from .schema import Category, Department, Plan, State, StatusWord


def norm(text: str) -> str:
    """NFKC, without white space: the key used for lenient matching."""
    return "".join(unicodedata.normalize("NFKC", text).split())


@dataclass(frozen=True)
class CategoryRef:
    """A resolved category node, with its top-level ancestor and its depth (0 = top)."""

    node: Category
    top: Category
    depth: int


class PlanIndex:
    """Resolution tables for one plan. Build once per plan; every method is pure."""

    def __init__(self, plan: Plan) -> None:
        self.plan = plan

    # ----------------------------------------------------------------- categories
    @cached_property
    def _categories(self) -> dict[str, CategoryRef]:
        table: dict[str, CategoryRef] = {}

        def walk(nodes: list[Category], top: Category | None, depth: int) -> None:
            for node in nodes:
                ref = CategoryRef(node, top or node, depth)
                for key in (node.id, node.name, *node.aliases):
                    table.setdefault(key, ref)
                    table.setdefault(norm(key), ref)
                walk(node.children, top or node, depth + 1)

        walk(self.plan.categories, None, 0)
        return table

    def category(self, written: str) -> CategoryRef | None:
        """The category node ``written`` names (id, name or alias), or None."""
        return self._categories.get(written) or self._categories.get(norm(written))

    def category_names(self) -> list[str]:
        """Every id and name in the tree (for "did you mean")."""
        return [name for ref in self.category_nodes() for name in (ref.node.id, ref.node.name)]

    def category_nodes(self) -> list[CategoryRef]:
        """Every node of the tree in order, parents before children (leaves have no ``children``)."""
        out: list[CategoryRef] = []

        def walk(nodes: list[Category], top: Category | None, depth: int) -> None:
            for n in nodes:
                out.append(CategoryRef(n, top or n, depth))
                walk(n.children, top or n, depth + 1)

        walk(self.plan.categories, None, 0)
        return out

    # ---------------------------------------------------------------- departments
    @cached_property
    def _departments(self) -> dict[str, Department]:
        table: dict[str, Department] = {}
        for dept in self.plan.departments:
            for key in (dept.key, dept.name, *dept.aliases):
                table.setdefault(key, dept)
                table.setdefault(norm(key), dept)
        return table

    @cached_property
    def _groups(self) -> dict[str, list[str]]:
        table: dict[str, list[str]] = {}
        for group in self.plan.department_groups:
            table[group.written] = group.members
            table[norm(group.written)] = group.members
        return table

    def department(self, written: str) -> Department | None:
        """The single department ``written`` names (key, name or alias), or None."""
        return self._departments.get(written) or self._departments.get(norm(written))

    def departments(self, written: str) -> list[Department] | None:
        """All departments a written cell names, or None when any part is unknown.

        Order of resolution: a single department; a declared group (e.g.
        嘉穂・碓井・山田市民サービス課); else the cell split on the plan's
        ``department_separators``, each part resolved the same way.
        """
        written = written.strip()
        one = self.department(written)
        if one is not None:
            return [one]
        members = self._groups.get(written) or self._groups.get(norm(written))
        if members is not None:
            resolved = [self.department(m) for m in members]
            return None if any(d is None for d in resolved) else resolved  # type: ignore[return-value]
        parts = [written]
        for sep in self.plan.department_separators:
            parts = [p for chunk in parts for p in chunk.split(sep)]
        parts = [p.strip() for p in parts if p.strip()]
        if len(parts) <= 1:
            return None
        out: list[Department] = []
        for part in parts:
            sub = self.department(part)
            if sub is None:
                grp = self._groups.get(part) or self._groups.get(norm(part))
                if grp is None:
                    return None
                out.extend(d for d in (self.department(m) for m in grp) if d is not None)
            else:
                out.append(sub)
        return out

    def department_names(self) -> list[str]:
        """Every department name and alias (for "did you mean")."""
        return [n for d in self.plan.departments for n in (d.name, *d.aliases)]

    # --------------------------------------------------------------- status words
    @cached_property
    def _statuses(self) -> dict[str, StatusWord]:
        table: dict[str, StatusWord] = {}
        for sw in self.plan.statuses:
            for key in (sw.word, *sw.aliases):
                table.setdefault(key, sw)
                table.setdefault(norm(key), sw)
        return table

    def status(self, word: str) -> StatusWord | None:
        """The plan's status word entry for ``word`` (or an alias), or None."""
        return self._statuses.get(word) or self._statuses.get(norm(word))

    def state_word(self, state: State) -> str:
        """The plan's own word for a canonical state (first declared), else the state name."""
        for sw in self.plan.statuses:
            if sw.state is state:
                return sw.word
        return STATE_JA[state.value]
