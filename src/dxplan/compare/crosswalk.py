"""The ``crosswalk`` matrix: plans (rows) × national 重点取組事項 (columns), each cell the actions behind it.

Pure: from :class:`dxplan.compare.figures.PlanFigures`. Columns are the items of the versions the
plans declare plus any item an action serves, in the newest declared version's order (then the others), each with its name in the newest
of those versions that lists it; when no plan declares a version or serves an item, the columns are
the newest version's items, so that the matrix still shows every plan as unclassified. A cell is ``None`` where the plan's version does not list the item
(not asked of that plan), an empty list where it lists it and no action serves it.
"""

from __future__ import annotations

from dataclasses import dataclass

from dxplan.model.frame import national_frame

from .figures import PlanFigures


@dataclass
class Column:
    """One national item: its id and its name in the newest declared version that lists it (else the newest listing it)."""

    id: str
    name: str


@dataclass
class Row:
    """One plan: its figures and one cell per column (``(action id, title)`` list, or None: not in its version)."""

    plan: PlanFigures
    cells: list[list[tuple[str, str]] | None]


@dataclass
class Crosswalk:
    """The matrix: columns, rows, the declared versions (keys) in the frame's order, and the name of the
    version whose order (and names) the columns follow (``lead``: the newest declared, else the newest)."""

    columns: list[Column]
    rows: list[Row]
    versions: list[str]
    lead: str


def crosswalk(plans: list[PlanFigures]) -> Crosswalk:
    """Build the matrix of ``plans`` (see the module docstring)."""
    frame = national_frame()
    declared = [v for v in frame.version_keys if any(p.frame_version == v for p in plans)]
    used = {i.id for p in plans for i in p.items} or {i.id for i in frame.versions[-1].items}
    lead = frame.version(declared[-1]) if declared else frame.versions[-1]
    assert lead is not None
    order = [i.id for i in lead.items] + [i for i in frame.item_ids if i not in {x.id for x in lead.items}]
    columns = []
    for item in order:
        if item not in used:
            continue
        listing = frame.versions_of(item)
        pick = next((v for v in reversed(declared) if v in listing), listing[-1])
        version = frame.version(pick)
        assert version is not None
        found = version.item(item)
        assert found is not None
        columns.append(Column(item, found.name))
    rows = []
    for p in plans:
        served = {i.id: i for i in p.items}
        cells: list[list[tuple[str, str]] | None] = []
        for c in columns:
            s = served.get(c.id)
            cells.append(None if s is None else list(s.actions))
        rows.append(Row(p, cells))
    return Crosswalk(columns, rows, declared, lead.name)
