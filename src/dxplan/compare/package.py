"""``dxplan compare`` from an open-data package (``dxplan publish``): the plans' figures computed in DuckDB SQL over its Parquet files.

The queries are the files of ``sql/`` beside this module, one per figure (docs/compare.md shows and runs
them): ``views.sql`` makes a view per resource the others read, run in the package's folder;
``plans.sql`` (who each plan is, its national plan version, last evaluation date, actions),
``years.sql`` (task rows done, with a status and all, per fiscal year of the period), ``labels.sql``
(the label split), ``indicators.sql`` (action indicators on track, rated, all), ``items.sql`` (national
items of the plan's version and those served, with the serving actions) and ``unclassified.sql``
(actions serving no item). Each query's rows become the fields of
:class:`dxplan.compare.figures.PlanFigures` as they are, so a package gives the figures the plan folders
give (the package carries score's outcomes and the national items: schema 1.1.0 or later).

DuckDB is imported only here, when a package is read (the ``opendata`` extra: :data:`DUCKDB_REQUIREMENT`).
Raises :class:`PackageError` (exit 1, as a plan that does not load) for a package that cannot be read,
naming the file.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from pathlib import Path
from typing import Any

from dxplan.i18n import N_, UserError
from dxplan.problems import EXIT_PROBLEMS

from .figures import IndicatorTally, PlanFigures, ServedItem, YearDone

DESCRIPTOR = "datapackage.json"
"""The file that makes a folder an open-data package."""

DUCKDB_REQUIREMENT = "duckdb>=1.0,<3"
"""What reading a package needs (the ``opendata`` extra declares the same); a missing duckdb is reported with it."""

MIN_SCHEMA = (1, 1)
"""The oldest package schema (major, minor) holding every figure: 1.1.0 added score's outcomes and the national items."""

SQL = Path(__file__).with_name("sql")
"""The folder of the queries."""

QUERIES = ("plans", "years", "labels", "indicators", "items", "unclassified")
"""The named queries, ``sql/<name>.sql``, in the order they run."""

RESOURCES = ("plans", "actions", "tasks", "indicators", "serves", "national_items")
"""The resources the queries read (``views.sql`` makes a view of each ``data/<name>.parquet``)."""

_VIEW = re.compile(r"CREATE VIEW (\w+)")


class PackageError(UserError):
    """An open-data package that cannot be read: a missing or damaged file, or an older schema (exit 1)."""

    exit_code = EXIT_PROBLEMS


def package_descriptor(path: Path) -> Path | None:
    """The ``datapackage.json`` of ``path`` when it is a package: a folder holding one, or the file itself; else None."""
    if path.name == DESCRIPTOR and path.is_file():
        return path
    found = path / DESCRIPTOR
    return found if path.is_dir() and found.is_file() else None


def query(name: str) -> str:
    """The text of ``sql/<name>.sql`` (``views`` or one of :data:`QUERIES`)."""
    return (SQL / f"{name}.sql").read_text(encoding="utf-8")


def _check_descriptor(descriptor: Path) -> None:
    try:
        data = json.loads(descriptor.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise PackageError(N_("{path}: cannot read the package's descriptor ({error})"), {"path": str(descriptor), "error": str(exc)}) from None
    version = data.get("x-schema-version") if isinstance(data, dict) else None
    parts = str(version).split(".")
    if not (len(parts) >= 2 and parts[0].isdigit() and parts[1].isdigit()) or (int(parts[0]), int(parts[1])) < MIN_SCHEMA:
        raise PackageError(N_("{path}: the package has schema version {version}; compare needs {needed} or later: publish the plans again with this dxplan"),
                           {"path": str(descriptor), "version": str(version), "needed": ".".join(map(str, MIN_SCHEMA)) + ".0"})


def connect(descriptor: Path, threads: int | None = None) -> Any:
    """A DuckDB connection with the views of ``views.sql`` over the package of ``descriptor``, each file checked.

    ``threads``: DuckDB's worker threads (None: its default, one per CPU). Raises :class:`PackageError`
    naming the descriptor (unreadable, schema older than :data:`MIN_SCHEMA`) or the Parquet file (missing,
    not Parquet, damaged); ImportError without duckdb.
    """
    import duckdb

    _check_descriptor(descriptor)
    folder = descriptor.parent.resolve()
    for name in RESOURCES:
        if not (folder / "data" / f"{name}.parquet").is_file():
            raise PackageError(N_("{path}: no such file; the package is incomplete: publish the plans again"),
                               {"path": str(folder / "data" / f"{name}.parquet")})
    con = duckdb.connect()
    if threads is not None:
        con.execute(f"SET threads = {int(threads)}")
    con.execute("SET file_search_path = ?", [str(folder)])
    for statement in con.extract_statements(query("views")):  # one view at a time: an error names its file
        found = _VIEW.search(statement.query)
        assert found is not None and found[1] in RESOURCES, "views.sql makes one view per resource read"
        try:
            con.execute(statement)
            con.execute(f"SELECT count(*) FROM {found[1]}").fetchall()
        except duckdb.Error as exc:
            con.close()
            raise PackageError(N_("{path}: cannot read the Parquet file ({error})"),
                               {"path": str(folder / "data" / f"{found[1]}.parquet"), "error": str(exc).splitlines()[0]}) from None
    return con


def package_figures(descriptor: Path, threads: int | None = None) -> list[PlanFigures]:
    """Every plan's :class:`~dxplan.compare.figures.PlanFigures` from the package of ``descriptor``, in the package's order.

    The numbers are the queries' (:data:`QUERIES`); this only puts each row where
    :class:`~dxplan.compare.figures.PlanFigures` keeps it. Raises :class:`PackageError` (see :func:`connect`,
    and a query that fails on a damaged file); ImportError without duckdb.
    """
    import duckdb

    con = connect(descriptor, threads)
    try:
        rows = {name: con.execute(query(name)).fetchall() for name in QUERIES}
    except duckdb.Error as exc:
        raise PackageError(N_("{path}: cannot read the package ({error})"),
                           {"path": str(descriptor), "error": str(exc).splitlines()[0]}) from None
    finally:
        con.close()
    years: dict[str, dict[int, YearDone]] = defaultdict(dict)
    for plan, fy, done, with_status, n, _state, _share in rows["years"]:
        years[plan][fy] = YearDone(fy, done, with_status, n)
    labels: dict[str, dict[str, int]] = defaultdict(dict)
    for plan, label, n in rows["labels"]:
        labels[plan][label] = n
    indicators = {plan: IndicatorTally(on_track, rated, total) for plan, total, rated, on_track in rows["indicators"]}
    items: dict[str, list[ServedItem]] = defaultdict(list)
    for plan, item, number, name, actions, titles in rows["items"]:
        items[plan].append(ServedItem(item, number, name, list(zip(actions, titles, strict=True))))
    untagged = {plan: list(actions) for plan, actions in rows["unclassified"]}
    return [
        PlanFigures(plan, municipality, prefecture, code, frame, years[plan], labels[plan], indicators.get(plan, IndicatorTally()),
                    items[plan], untagged.get(plan, []), n_actions, last)
        for plan, municipality, prefecture, code, frame, last, n_actions in rows["plans"]
    ]
