"""Peer groups for ``dxplan compare --groups FILE.csv``: which group each plan belongs to.

The CSV (UTF-8, a BOM allowed, read with the standard library's ``csv``) has a header row naming
two columns: ``group`` and one of ``plan`` (a plan id) or ``municipality_code`` (plan.yaml's
全国地方公共団体コード); other columns are ignored. Each later row puts one plan in one group
(類似団体, a population class, a region — whatever the user declares). Raises
:class:`dxplan.i18n.UserError` (exit 2) naming the file and line for a file that cannot be read, a
header without those columns, an empty group, or a plan listed twice.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from dxplan.i18n import N_, UserError

KEY_COLUMNS = ("plan", "municipality_code")
"""The header names a row's key may have: a plan id or a municipality code."""


@dataclass(frozen=True)
class PeerGroups:
    """The groups a CSV declares: ``by_plan`` (plan id → group) and ``by_code`` (municipality code →
    group), and ``order``: the groups in order of first appearance."""

    by_plan: dict[str, str]
    by_code: dict[str, str]
    order: tuple[str, ...]

    def group_of(self, plan_id: str, code: str | None) -> str | None:
        """The group of a plan, by id first, then by municipality code; None when the CSV does not list it."""
        if plan_id in self.by_plan:
            return self.by_plan[plan_id]
        return self.by_code.get(code) if code else None


def read_groups(path: Path) -> PeerGroups:
    """Read a peer-group CSV (the module docstring says its shape). Raises UserError (exit 2) for bad input."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as f:
            rows = list(csv.reader(f))
    except (OSError, UnicodeDecodeError) as exc:
        raise UserError(N_("{path}: cannot read the group file ({error})"), {"path": str(path), "error": str(exc)}) from None
    except csv.Error as exc:
        raise UserError(N_("{path}: not a CSV file ({error})"), {"path": str(path), "error": str(exc)}) from None
    header = [h.strip() for h in rows[0]] if rows else []
    keys = [k for k in KEY_COLUMNS if k in header]
    if "group" not in header or not keys:
        raise UserError(N_("the header needs a 'group' column and a 'plan' or 'municipality_code' column"), path=str(path), line=1, column=1)
    g = header.index("group")
    cols = {k: header.index(k) for k in keys}
    by_plan: dict[str, str] = {}
    by_code: dict[str, str] = {}
    order: dict[str, None] = {}
    for line, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        cells = row + [""] * (len(header) - len(row))
        group = cells[g].strip()
        if not group:
            raise UserError(N_("the row has no group"), path=str(path), line=line, column=g + 1)
        for key, col in cols.items():
            value = cells[col].strip()
            if not value:
                continue
            target = by_plan if key == "plan" else by_code
            if value in target and target[value] != group:
                raise UserError(N_("'{value}' is listed in two groups ({first}, {second})"),
                                {"value": value, "first": target[value], "second": group}, path=str(path), line=line, column=col + 1)
            target[value] = group
        order[group] = None
    return PeerGroups(by_plan, by_code, tuple(order))
