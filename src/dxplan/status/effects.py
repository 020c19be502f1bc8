"""Effect targets summed (飯塚市: 業務量削減目標値 in hours, 財政効果目標額 in 千円). Pure, no display text.

Each effect cell keeps what its sign means on its sheet (``Effect.meaning``): △ is extra workload
on one sheet and a reduction on another, so sums are kept **per kind and per meaning** and never
netted: hours saved and extra hours are two totals, a cost is never subtracted from a revenue.
Cells without a number (不明, (設置運用コスト) …) are counted apart (``text_cells``), and a number
whose meaning the transcriber left open is summed under ``unspecified``. A figure given per person
(``Effect.per``, 「△24時間（一人当たり）」) is not an amount for the office and adds to no sum: it is
counted apart (``per_cells``) so that every output can say how many were left out.

Sums are per fiscal year and over the whole period, for the plan, per action and per 部
(``Action.division`` resolved through the plan's departments). Values are in the effect's unit
(時間 or 千円), as signed in the file: a reduction written △2,240 sums as −2,240 under ``reduction``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from dxplan.model.schema import Action, Plan
from dxplan.model.index import PlanIndex

KINDS = ("hours", "money")
"""Effect kinds in the order they are shown: hours (時間), money (千円)."""

MEANINGS = ("saving", "extra_workload", "cost", "revenue", "reduction", "unknown", "unspecified")
"""Sign meanings in the order they are shown; ``unspecified`` = a number with no meaning recorded."""

UNITS = {"hours": "時間", "money": "千円"}


@dataclass
class EffectSums:
    """Sums of effect values per (kind, meaning) and fiscal year, with the cells counted.

    ``values[(kind, meaning)][fy]`` is the sum (unit of the kind); ``cells`` counts the numeric
    cells summed per (kind, meaning); ``text_cells[kind]`` the cells without a number;
    ``per_cells[kind]`` the cells with a per-person figure, left out of the sums.
    """

    values: dict[tuple[str, str], dict[int, float]] = field(default_factory=dict)
    cells: dict[tuple[str, str], int] = field(default_factory=dict)
    text_cells: dict[str, int] = field(default_factory=dict)
    per_cells: dict[str, int] = field(default_factory=dict)

    def add(self, kind: str, meaning: str | None, fy: int, value: float | None, per: str | None = None) -> None:
        """Count one cell: summed under (kind, meaning) when it has a number and is not per person
        (``per`` set: counted in ``per_cells`` only), else as a text cell."""
        if value is None:
            self.text_cells[kind] = self.text_cells.get(kind, 0) + 1
            return
        if per is not None:
            self.per_cells[kind] = self.per_cells.get(kind, 0) + 1
            return
        key = (kind, meaning or "unspecified")
        years = self.values.setdefault(key, {})
        years[fy] = years.get(fy, 0.0) + value
        self.cells[key] = self.cells.get(key, 0) + 1

    def total(self, kind: str, meaning: str) -> float:
        """The sum over all fiscal years of one (kind, meaning); 0 when there is none."""
        return sum(self.values.get((kind, meaning), {}).values())

    def pairs(self) -> list[tuple[str, str]]:
        """The (kind, meaning) pairs present, in :data:`KINDS` × :data:`MEANINGS` order."""
        return [(k, m) for k in KINDS for m in MEANINGS if (k, m) in self.values]

    @property
    def empty(self) -> bool:
        """True when no cell was counted."""
        return not self.values and not self.text_cells and not self.per_cells


@dataclass
class EffectSummary:
    """The plan's effects: the total, per action (id) and per 部 (department key), all :class:`EffectSums`."""

    years: list[int]
    total: EffectSums
    by_action: dict[str, EffectSums]
    by_division: dict[str, EffectSums]
    division_names: dict[str, str]


def effect_summary(plan: Plan, actions: list[Action], index: PlanIndex | None = None) -> EffectSummary:
    """Sum every action's effects per kind, meaning and fiscal year (see the module docstring).

    An action whose ``division`` the plan does not declare is grouped under the text as written;
    one without a division under ``""``.
    """
    index = index or PlanIndex(plan)
    total = EffectSums()
    by_action: dict[str, EffectSums] = {}
    by_division: dict[str, EffectSums] = {}
    names: dict[str, str] = {}
    years: set[int] = set(plan.fiscal_years)
    for a in actions:
        if not a.effects:
            continue
        dept = index.department(a.division) if a.division else None
        dkey = dept.key if dept else (a.division or "")
        names[dkey] = dept.name if dept else (a.division or "")
        for e in a.effects:
            years.add(e.fiscal_year)
            for sums in (total, by_action.setdefault(a.id, EffectSums()), by_division.setdefault(dkey, EffectSums())):
                sums.add(e.kind, e.meaning, e.fiscal_year, e.value, e.per)
    return EffectSummary(sorted(years), total, by_action, by_division, names)
