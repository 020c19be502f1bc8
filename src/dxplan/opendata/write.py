"""Writing the open-data package: ``datapackage.json``, ``data/<resource>.csv`` and ``data/<resource>.parquet``.

:func:`publish_to` writes every file into a staging folder beside the output folder
(``.<name>.dxplan-<pid>-<random>.tmp``, each file through :func:`dxplan.files.atomic.create_exclusive`),
reads the files back to check their row counts, and only then moves the folder into place with one
``rename``: an interrupted or failed run leaves no output folder, or the previous package untouched.

- the output folder does not exist, or is empty: the staging folder is renamed to it;
- it holds a previous package (a ``datapackage.json`` at its top): the old folder is renamed aside, the new
  one into place, and the old one removed;
- it holds anything else: :class:`dxplan.i18n.UserError` (exit 2), nothing written.

A staging folder a killed run left beside the output (its process no longer runs) is removed by the next run
(:func:`remove_stale_stages`).

CSV: UTF-8 (``bom``: with a byte-order mark, for Excel), RFC 4180 quoting, CRLF line ends, a header row;
an empty cell is a missing value. Parquet: pyarrow, one typed column per field (string, int64, float64,
bool, date32), imported here only.
"""

from __future__ import annotations

import contextlib
import csv
import glob
import io
import json
import os
import re
import shutil
import tempfile
from pathlib import Path
from typing import Any

from dxplan.files.atomic import alive, create_exclusive
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


def package_files(tables: Tables, *, bom: bool = False) -> dict[str, bytes]:
    """Every file of the package (relative path → bytes): ``datapackage.json`` and each resource as CSV and Parquet."""
    desc = descriptor(FORMATS)
    if bom:
        for entry in desc["resources"]:
            entry["encoding"] = "utf-8-sig"
    files = {"datapackage.json": (json.dumps(desc, ensure_ascii=False, indent=2) + "\n").encode("utf-8")}
    for r in RESOURCES:
        files[f"data/{r.name}.csv"] = csv_bytes(r, tables[r.name], bom=bom)
        files[f"data/{r.name}.parquet"] = parquet_bytes(r, tables[r.name])
    return files


def _check(stage: Path, tables: Tables, bom: bool) -> None:
    """Read the staged files back: each CSV and Parquet file holds its resource's rows. Raises OSError otherwise."""
    import pyarrow.parquet as pq

    for r in RESOURCES:
        want = len(tables[r.name])
        with open(stage / "data" / f"{r.name}.csv", encoding="utf-8-sig" if bom else "utf-8", newline="") as fh:
            got = sum(1 for _ in csv.reader(fh)) - 1
        rows = pq.ParquetFile(stage / "data" / f"{r.name}.parquet").metadata.num_rows
        if got != want or rows != want:
            raise OSError(f"{r.name}: {want} rows written, {got} (csv) and {rows} (parquet) read back")


_STAGE = re.compile(r"^\..+\.dxplan-(\d+)-[A-Za-z0-9_]+\.tmp$")


def remove_stale_stages(parent: Path, name: str) -> list[Path]:
    """Remove the staging folders of output ``name`` in ``parent`` (``.<name>.dxplan-<pid>-<random>.tmp``) whose
    process no longer runs; return them. Nothing else is touched; errors are ignored."""
    removed = []
    for entry in parent.glob(f".{glob.escape(name)}.dxplan-*.tmp"):
        m = _STAGE.match(entry.name)
        if m and entry.is_dir() and not entry.is_symlink() and not alive(int(m.group(1))):
            shutil.rmtree(entry, ignore_errors=True)
            removed.append(entry)
    return removed




def publish_to(folder: Path, tables: Tables, *, bom: bool = False) -> list[tuple[str, int]]:
    """Write the package of ``tables`` to ``folder``, all or nothing (module docstring); return each file's
    relative path and size in bytes, in the order written.

    Raises :class:`dxplan.i18n.UserError` when ``folder`` holds other files or is not a folder, OSError when
    it cannot be written, ImportError without pyarrow.
    """
    folder = Path(folder)
    if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
        raise UserError(N_("{folder} is not a folder; nothing was written"), {"folder": str(folder)})
    previous = folder.is_dir() and any(folder.iterdir())
    if previous and not (folder / "datapackage.json").is_file():
        raise UserError(N_("{folder} already holds files that are not a data package; nothing was written (name an empty or new folder)"), {"folder": str(folder)})
    files = package_files(tables, bom=bom)
    parent = folder.absolute().parent
    parent.mkdir(parents=True, exist_ok=True)
    remove_stale_stages(parent, folder.name)
    stage = Path(tempfile.mkdtemp(prefix=f".{folder.name}.dxplan-{os.getpid()}-", suffix=".tmp", dir=parent))
    old: Path | None = None
    try:
        (stage / "data").mkdir()
        for rel, data in files.items():
            create_exclusive(stage / rel, data, mode=0o644)
        _check(stage, tables, bom)
        os.chmod(stage, 0o777 & ~_umask())
        if previous:
            old = Path(tempfile.mkdtemp(prefix=f".{folder.name}.dxplan-{os.getpid()}-", suffix=".tmp", dir=parent))
            os.rename(folder, old / "old")
        os.rename(stage, folder)
    except BaseException:
        if old is not None and (old / "old").exists() and not folder.exists():
            os.rename(old / "old", folder)
        shutil.rmtree(stage, ignore_errors=True)
        raise
    finally:
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    _fsync_dir(parent)
    return [(rel, len(data)) for rel, data in files.items()]


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _fsync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
