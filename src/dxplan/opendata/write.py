"""Writing the open-data package: ``datapackage.json``, ``data/<resource>.csv`` and ``data/<resource>.parquet``.

:func:`publish_to` writes every file into a staging folder beside the output folder
(:func:`dxplan.files.staged.replace_folder`: ``.<name>.dxplan-<pid>-<random>.tmp``, every file synced to
disk), reads the files back to check their row counts
(:func:`check_package`), and only then moves the folder into place with one ``rename``: an interrupted or
failed run leaves no output folder, or the previous package untouched.

- the output folder does not exist, or is empty: the staging folder is renamed to it;
- it holds a previous package (a ``datapackage.json`` at its top): the old folder is renamed aside, the new
  one into place, and the old one removed;
- it holds anything else: :class:`dxplan.i18n.UserError` (exit 2), nothing written.

A staging folder a killed run left beside the output (its process no longer runs) is removed by the next run
(:func:`dxplan.files.staged.remove_stale_stages`).

CSV: UTF-8 (``bom``: with a byte-order mark, for Excel), RFC 4180 quoting, CRLF line ends, a header row;
an empty cell is a missing value. Parquet: pyarrow, one typed column per field (string, int64, float64,
bool, date32), imported here only.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

from dxplan.files.staged import replace_folder
from dxplan.i18n import N_, UserError

from .schema import RESOURCES, Resource, descriptor
from .tables import Tables, as_of

FORMATS = ("csv", "parquet")

PYARROW_REQUIREMENT = "pyarrow>=15,<27"
"""What writing Parquet needs (the ``opendata`` extra declares the same); a missing pyarrow is reported with it."""


def csv_bytes(resource: Resource, rows: list[dict[str, Any]], *, bom: bool = False) -> bytes:
    """The CSV file of ``resource``: header and one line per row, UTF-8 (with a BOM when ``bom``)."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(resource.names)
    for row in rows:
        writer.writerow([as_of(row.get(name)) for name in resource.names])
    return buf.getvalue().encode("utf-8-sig" if bom else "utf-8")


_ARROW_TYPES = {"string": "string", "integer": "int64", "number": "float64", "boolean": "bool_", "date": "date32"}


def parquet_bytes(resource: Resource, rows: list[dict[str, Any]]) -> bytes:
    """The Parquet file of ``resource`` (pyarrow, typed columns). Raises ImportError without pyarrow."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    fields = [pa.field(c.name, getattr(pa, _ARROW_TYPES[c.type])(), nullable=True) for c in resource.columns]
    columns = {c.name: [_arrow_value(c.type, row.get(c.name)) for row in rows] for c in resource.columns}
    table = pa.table(columns, schema=pa.schema(fields, metadata={"dxplan:resource": resource.name}))
    sink = io.BytesIO()
    pq.write_table(table, sink)
    return sink.getvalue()


def _arrow_value(type_: str, value: Any) -> Any:
    if value is None:
        return None
    if type_ == "number":
        return float(value)
    return value


def package_files(tables: Tables, *, bom: bool = False, formats: tuple[str, ...] = FORMATS) -> dict[str, bytes]:
    """Every file of the package (relative path → bytes): ``datapackage.json`` and each resource in ``formats``
    (CSV, and Parquet unless left out: ``dxplan site`` without pyarrow writes CSV alone)."""
    desc = descriptor(formats)
    if bom:
        for entry in desc["resources"]:
            entry["encoding"] = "utf-8-sig"
    files = {"datapackage.json": (json.dumps(desc, ensure_ascii=False, indent=2) + "\n").encode("utf-8")}
    for r in RESOURCES:
        files[f"data/{r.name}.csv"] = csv_bytes(r, tables[r.name], bom=bom)
        if "parquet" in formats:
            files[f"data/{r.name}.parquet"] = parquet_bytes(r, tables[r.name])
    return files


def check_package(stage: Path, tables: Tables, bom: bool = False, formats: tuple[str, ...] = FORMATS) -> None:
    """Read the package written in ``stage`` back: each CSV (and Parquet, when in ``formats``) file holds its
    resource's rows. Raises OSError otherwise."""
    for r in RESOURCES:
        want = len(tables[r.name])
        with open(stage / "data" / f"{r.name}.csv", encoding="utf-8-sig" if bom else "utf-8", newline="") as fh:
            got = sum(1 for _ in csv.reader(fh)) - 1
        rows = want
        if "parquet" in formats:
            import pyarrow.parquet as pq

            rows = pq.ParquetFile(stage / "data" / f"{r.name}.parquet").metadata.num_rows
        if got != want or rows != want:
            raise OSError(f"{r.name}: {want} rows written, {got} (csv) and {rows} (parquet) read back")


def publish_to(folder: Path, tables: Tables, *, bom: bool = False) -> list[tuple[str, int]]:
    """Write the package of ``tables`` to ``folder``, all or nothing (module docstring,
    :func:`dxplan.files.staged.replace_folder`); return each file's relative path and size in bytes, in the order written.

    Raises :class:`dxplan.i18n.UserError` when ``folder`` holds other files or is not a folder, OSError when
    it cannot be written, ImportError without pyarrow.
    """
    folder = Path(folder)
    foreign = UserError(N_("{folder} already holds files that are not a data package; nothing was written (name an empty or new folder)"), {"folder": str(folder)})
    return replace_folder(folder, package_files(tables, bom=bom), previous=lambda f: (f / "datapackage.json").is_file(), foreign=foreign,
                          check=lambda stage: check_package(stage, tables, bom))
