"""One plan's figures for ``dxplan compare`` and ``dxplan crosswalk``, computed once per plan (in a worker).

Every figure reuses the single-plan core, so a plan's line equals what ``dxplan status`` and
``dxplan score`` show for it:

- done share per fiscal year: :func:`dxplan.status.counts.status_result`'s total for that year (rows
  done over rows carrying a declared status word, percent 0–100);
- label split: :func:`dxplan.score.actions.tally_labels` of :func:`dxplan.score.actions.score_plan`;
- indicators: every action indicator ``score`` rates (:class:`dxplan.score.indicators.IndicatorScore`);
  *rated* when its overall rate could be computed, *on track* when that rate is at least 100 %
  (interim rates compare against the year's own target, so on track means "at or above the target
  due so far"); the rest have no data yet;
- national items: the actions' ``serves`` against the version of the national frame the plan declares
  (:mod:`dxplan.model.frame`); actions without ``serves`` are unclassified (未分類), counted apart.

"No data" (rows but no status) and "not planned" (a fiscal year outside the plan's period, or with no
task row) are kept apart from 0 %.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum

from dxplan.model.frame import national_frame
from dxplan.model.schema import Action, Plan, State
from dxplan.model.index import PlanIndex
from dxplan.score.actions import score_plan, tally_labels
from dxplan.score.rates import OK
from dxplan.status.counts import status_result


class YearState(StrEnum):
    """What one fiscal year of one plan holds: a share, rows without any status, or no rows at all."""

    share = "share"
    no_data = "no_data"
    not_planned = "not_planned"


@dataclass
class YearDone:
    """Task rows of one fiscal year: ``done`` rows, rows ``with_status`` (the denominator), all ``rows``;
    ``in_period``: the year lies in the plan's period."""

    fiscal_year: int
    done: int = 0
    with_status: int = 0
    rows: int = 0
    in_period: bool = True

    @property
    def state(self) -> YearState:
        """``not_planned`` outside the period or without rows, ``no_data`` when no row carries a status, else ``share``."""
        if not self.in_period or self.rows == 0:
            return YearState.not_planned
        return YearState.no_data if self.with_status == 0 else YearState.share

    @property
    def share(self) -> float | None:
        """Done rows in percent (0–100, unrounded) of the rows with a status; None without a share."""
        return self.done / self.with_status * 100 if self.state is YearState.share else None

    def add(self, other: YearDone) -> None:
        """Pool ``other`` (same fiscal year) into this one: counts summed, in period when either is."""
        self.done += other.done
        self.with_status += other.with_status
        self.rows += other.rows
        self.in_period = self.in_period or other.in_period


@dataclass
class IndicatorTally:
    """Action indicators: ``on_track`` (overall rate ≥ 100 %), ``rated`` (a rate computed), ``total``."""

    on_track: int = 0
    rated: int = 0
    total: int = 0

    @property
    def no_data(self) -> int:
        """Indicators without a computed rate."""
        return self.total - self.rated

    def add(self, other: IndicatorTally) -> None:
        """Sum ``other`` into this one."""
        self.on_track += other.on_track
        self.rated += other.rated
        self.total += other.total


@dataclass
class ServedItem:
    """One national item as a plan serves it: ``id``, its ``number`` and ``name`` in the plan's version
    (None when the plan declares none or the version does not list it), and the actions serving it
    (``(id, title)``, in the plan's order)."""

    id: str
    number: int | None
    name: str | None
    actions: list[tuple[str, str]] = field(default_factory=list)


class Coverage(StrEnum):
    """Whether a plan's national items can be counted: ``unclassified`` (no action tagged: 未分類, never
    "0 of 7"), ``counted`` (a declared version and tags) or ``no_version`` (tags, no declared version:
    covered items counted, not-covered unknown)."""

    unclassified = "unclassified"
    counted = "counted"
    no_version = "no_version"


@dataclass
class PlanFigures:
    """Everything ``compare`` and ``crosswalk`` show for one plan.

    ``years`` maps each fiscal year of the plan to its :class:`YearDone`; ``labels`` the label split
    (label word, or a :class:`dxplan.score.rates.ScoreState` value for the unlabelled); ``items`` the
    national items of the plan's version (all of them, served or not) plus any other known id served;
    ``untagged`` the ids of actions serving no item; ``last_evaluation`` plan.yaml's evaluation_date.
    """

    plan_id: str
    municipality: str
    prefecture: str | None
    municipality_code: str | None
    frame_version: str | None
    years: dict[int, YearDone]
    labels: dict[str, int]
    indicators: IndicatorTally
    items: list[ServedItem]
    untagged: list[str]
    actions: int
    last_evaluation: dt.date | None

    @property
    def coverage(self) -> Coverage:
        """How the national items count for this plan (:class:`Coverage`)."""
        if not any(i.actions for i in self.items):
            return Coverage.unclassified
        return Coverage.counted if self.frame_version is not None else Coverage.no_version

    @property
    def covered(self) -> list[ServedItem]:
        """The items at least one action serves."""
        return [i for i in self.items if i.actions]

    @property
    def not_covered(self) -> list[ServedItem]:
        """The items of the declared version no action serves (empty without a declared version)."""
        return [i for i in self.items if not i.actions] if self.frame_version is not None else []


def _served(plan: Plan, actions: list[Action]) -> tuple[list[ServedItem], list[str]]:
    frame = national_frame()
    version = frame.version(plan.national_frame) if plan.national_frame else None
    items: dict[str, ServedItem] = {}
    if version is not None:
        items = {i.id: ServedItem(i.id, i.number, i.name) for i in version.items}
    known = set(frame.item_ids)
    untagged = []
    for a in actions:
        if not a.serves:
            untagged.append(a.id)
        for item in dict.fromkeys(a.serves):
            if item not in known:  # unknown-national-item reports it; counted under no item
                continue
            if item not in items:
                items[item] = ServedItem(item, None, None)
            items[item].actions.append((a.id, a.title))
    order = {k: n for n, k in enumerate(frame.item_ids)}
    ranked = sorted(items.values(), key=lambda i: (i.number is None, i.number or 0, order[i.id]))
    return ranked, untagged


def plan_figures(plan: Plan, actions: list[Action], index: PlanIndex | None = None) -> PlanFigures:
    """The figures of one loaded plan (:class:`PlanFigures`), from the status and score cores."""
    index = index or PlanIndex(plan)
    status = status_result(plan, actions, None, None, index)
    years = {}
    for y in status.years:
        total = y.table.total
        years[y.fiscal_year] = YearDone(y.fiscal_year, total.states[State.done], total.with_status, total.rows)
    scores = score_plan(plan, actions, index)
    labels: dict[str, int] = dict(tally_labels(scores))  # ScoreState keys are str too (StrEnum)
    ind = IndicatorTally()
    for s in scores:
        for i in s.indicators:
            ind.total += 1
            if i.overall.status is OK and i.overall.value is not None:
                ind.rated += 1
                ind.on_track += i.overall.value >= 100
    items, untagged = _served(plan, actions)
    return PlanFigures(
        plan.id, plan.municipality, plan.prefecture, plan.municipality_code, plan.national_frame,
        years, labels, ind, items, untagged, len(actions), plan.evaluation_date,
    )
