"""The ``compare`` table: plans grouped (by peer group or prefecture) with each group's pooled figures.

Pure: takes :class:`dxplan.compare.figures.PlanFigures` and returns a :class:`Comparison`; no wording.
A group's figures are sums over its plans — task rows done and with a status per fiscal year (the
share is of the pooled rows, not a mean of shares), labels, indicators, unclassified actions — and,
per national item, the number of its plans with an action serving it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from dxplan.model.frame import national_frame

from .figures import IndicatorTally, PlanFigures, YearDone
from .groups import PeerGroups


class GroupBy(StrEnum):
    """What the groups are: the plans' ``prefecture`` or the user's ``peer`` groups (a CSV)."""

    prefecture = "prefecture"
    peer = "peer"


@dataclass
class GroupFigures:
    """One group: its ``key`` (None: plans without a prefecture, or not listed in the CSV), its plans in
    order, and the pooled figures (see the module docstring)."""

    key: str | None
    plans: list[PlanFigures] = field(default_factory=list)
    years: dict[int, YearDone] = field(default_factory=dict)
    labels: dict[str, int] = field(default_factory=dict)
    indicators: IndicatorTally = field(default_factory=IndicatorTally)
    untagged: int = 0
    actions: int = 0
    item_plans: dict[str, int] = field(default_factory=dict)
    """National item id → number of the group's plans with an action serving it."""

    def add(self, p: PlanFigures, years: list[int]) -> None:
        """Pool one plan into the group."""
        self.plans.append(p)
        for fy in years:
            self.years.setdefault(fy, YearDone(fy, in_period=False)).add(p.years.get(fy, YearDone(fy, in_period=False)))
        for k, n in p.labels.items():
            self.labels[k] = self.labels.get(k, 0) + n
        self.indicators.add(p.indicators)
        self.untagged += len(p.untagged)
        self.actions += p.actions
        for item in p.covered:
            self.item_plans[item.id] = self.item_plans.get(item.id, 0) + 1


@dataclass
class Comparison:
    """The whole table: the fiscal years (columns; every year of any plan), the groups in order, what
    they are grouped by, and the national item ids any plan's version lists or any action serves (in
    the frame's order)."""

    years: list[int]
    by: GroupBy
    groups: list[GroupFigures]
    items: list[str]


def compare(plans: list[PlanFigures], peers: PeerGroups | None = None) -> Comparison:
    """Group ``plans`` by ``peers`` (None: by prefecture) and pool each group's figures.

    Groups come in the CSV's order (or in order of first appearance), the group of unlisted plans last.
    """
    years = sorted({fy for p in plans for fy in p.years})
    groups: dict[str | None, GroupFigures] = {}
    if peers is not None:
        for name in peers.order:
            groups[name] = GroupFigures(name)
    for p in plans:
        key: str | None = peers.group_of(p.plan_id, p.municipality_code) if peers is not None else p.prefecture
        groups.setdefault(key, GroupFigures(key)).add(p, years)
    ordered = [g for k, g in groups.items() if k is not None and g.plans] + ([groups[None]] if None in groups else [])
    frame = national_frame()
    used = {i.id for p in plans for i in p.items}
    return Comparison(years, GroupBy.peer if peers is not None else GroupBy.prefecture, ordered,
                      [i for i in frame.item_ids if i in used])
