"""Writing the open-data package: ``datapackage.json``, ``data/<resource>.csv`` and ``data/<resource>.parquet``.

:func:`publish_to` writes the package as the rows of each plan arrive (:class:`PackageWriter`: one plan's rows
held at a time, plus at most one Parquet row group per resource) into a staging folder beside the output folder
(:func:`dxplan.files.staged.replace_folder_by`: ``.<name>.dxplan-<pid>-<random>.tmp``, every file synced to
disk), reads the files back to check their row counts (:func:`check_package`), and only then moves the folder
into place with one ``rename``: an interrupted or failed run — a plan that does not load or a key that does
not hold, found half-way — leaves no output folder, or the previous package untouched.

- the output folder does not exist, or is empty: the staging folder is renamed to it;
- it holds a previous package (a ``datapackage.json`` at its top): the old folder is renamed aside, the new
  one into place, and the old one removed;
- it holds anything else: :class:`dxplan.i18n.UserError` (exit 2), nothing written.

A staging folder a killed run left beside the output (its process no longer runs) is removed by the next run
(:func:`dxplan.files.staged.remove_stale_stages`).

Rows are written in the order they arrive: plan by plan in the order of the plan folders, each plan's rows in
the plan's order (:mod:`dxplan.opendata.tables`), ``national_items`` last — no global sort, so the package is
written as it is computed and the same plans give the same bytes.

CSV: UTF-8 (``bom``: with a byte-order mark, for Excel), RFC 4180 quoting, CRLF line ends, a header row;
an empty cell is a missing value. Parquet: pyarrow, one typed column per field (string, int64, float64,
bool, date32), imported here only; one row group per batch of whole plans (a batch closes once its rows
reach :data:`GROUP_BYTES` in memory; a package below that is one row group per file).
"""

from __future__ import annotations

import contextlib
import csv
import json
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path
from types import TracebackType
from typing import IO, Any

from dxplan.files.staged import replace_folder_by, sync_files
from dxplan.i18n import N_, UserError

from .schema import RESOURCES, Resource, descriptor
from .tables import Rows, as_of

FORMATS = ("csv", "parquet")

PYARROW_REQUIREMENT = "pyarrow>=15,<27"
"""What writing Parquet needs (the ``opendata`` extra declares the same); a missing pyarrow is reported with it."""

GROUP_BYTES = 2 * 2**20
"""The Arrow bytes a Parquet row group gathers (whole plans) before it is written: about 10,000 task rows, so the
national corpus's 545,000 make some fifty row groups; what the writer holds stays a few MiB per resource
(measured: 4 MiB groups raised the writing process's peak by some 15 MiB, 8 MiB by 40, bench/NOTES.md)."""

COMPACT = 8
"""Plans' record batches that wait as they came before they are copied into one: many small Arrow buffers kept for a
while fragment the allocator (measured: the writing process grew past 200 MiB nationally without it)."""

_ARROW_TYPES = {"string": "string", "integer": "int64", "number": "float64", "boolean": "bool_", "date": "date32"}


def descriptor_bytes(*, bom: bool = False, formats: tuple[str, ...] = FORMATS) -> bytes:
    """``datapackage.json``: the descriptor (:func:`dxplan.opendata.schema.descriptor`) as indented JSON, its
    resources' encoding ``utf-8-sig`` when ``bom``."""
    desc = descriptor(formats)
    if bom:
        for entry in desc["resources"]:
            entry["encoding"] = "utf-8-sig"
    return (json.dumps(desc, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def arrow_schema(resource: Resource) -> Any:
    """The Arrow schema of ``resource``'s Parquet file: one nullable typed field per column, the resource's name in
    the metadata (``dxplan:resource``). Raises ImportError without pyarrow."""
    import pyarrow as pa

    fields = [pa.field(c.name, getattr(pa, _ARROW_TYPES[c.type])(), nullable=True) for c in resource.columns]
    return pa.schema(fields, metadata={"dxplan:resource": resource.name})


class PackageWriter:
    """The data files of a package (``data/<resource>.csv``, and ``.parquet`` when in ``formats``) written into the
    folder ``folder`` as rows are added (:meth:`add`), closed by :meth:`close` (or leaving a ``with`` block).

    Each CSV line is written when its row is added; Parquet rows wait in Arrow form (typed, compact) until the
    resource's waiting rows reach ``group_bytes``, then go out as one row group — at a plan boundary, since
    :meth:`add` takes whole plans. Every file name must be new in ``folder``. :attr:`rows` counts the rows written
    per resource. Raises OSError when a file cannot be written, ImportError (at the first Parquet rows) without pyarrow.
    """

    def __init__(self, folder: Path, *, bom: bool = False, formats: tuple[str, ...] = FORMATS, group_bytes: int = GROUP_BYTES):
        self.folder = Path(folder)
        self.parquet = "parquet" in formats
        self.group_bytes = group_bytes
        self.rows = {r.name: 0 for r in RESOURCES}
        (self.folder / "data").mkdir(parents=True, exist_ok=True)
        self._files: dict[str, IO[Any]] = {}
        self._csv: dict[str, Any] = {}
        self._pending: dict[str, list[Any]] = {r.name: [] for r in RESOURCES}
        self._pending_bytes = dict.fromkeys(self.rows, 0)
        self._fresh = dict.fromkeys(self.rows, 0)
        self._parquet: dict[str, Any] = {}
        self._schemas: dict[str, Any] = {}
        for r in RESOURCES:
            path = self.folder / "data" / f"{r.name}.csv"
            fh = open(path, "x", encoding="utf-8-sig" if bom else "utf-8", newline="")  # noqa: SIM115 (closed by close())
            self._files[f"{r.name}.csv"] = fh
            self._csv[r.name] = csv.writer(fh, lineterminator="\r\n")
            self._csv[r.name].writerow(r.names)

    def add(self, rows: Rows) -> None:
        """Write the rows of whole plans (resource name → tuples in column order; a resource left out adds none)."""
        for r in RESOURCES:
            got = rows.get(r.name)
            if not got:
                continue
            self._csv[r.name].writerows([as_of(v) for v in row] for row in got)
            self.rows[r.name] += len(got)
            if self.parquet:
                batch = self._batch(r, got)
                pending = self._pending[r.name]
                pending.append(batch)
                self._pending_bytes[r.name] += batch.nbytes
                if self._pending_bytes[r.name] >= self.group_bytes:
                    self._flush(r)
                else:
                    self._fresh[r.name] += 1
                    if self._fresh[r.name] == COMPACT:  # the plans' batches since the last join become one
                        pending[-COMPACT:] = self._joined(r, pending[-COMPACT:]).to_batches()
                        self._fresh[r.name] = 0

    def _schema(self, r: Resource) -> Any:
        if r.name not in self._schemas:
            self._schemas[r.name] = arrow_schema(r)
        return self._schemas[r.name]

    def _batch(self, r: Resource, rows: list[tuple[Any, ...]]) -> Any:
        """``rows`` as one Arrow record batch of ``r``'s schema (numbers as floats)."""
        import pyarrow as pa

        schema = self._schema(r)
        arrays = []
        for col, field, values in zip(r.columns, schema, zip(*rows, strict=True), strict=True):
            floats = [None if v is None else float(v) for v in values] if col.type == "number" else values
            arrays.append(pa.array(floats, type=field.type))
        return pa.RecordBatch.from_arrays(arrays, schema=schema)

    def _joined(self, r: Resource, batches: list[Any]) -> Any:
        """``batches`` as one table of contiguous columns (their buffers copied into one each)."""
        import pyarrow as pa

        return pa.Table.from_batches(batches, schema=self._schema(r)).combine_chunks()

    def _flush(self, r: Resource) -> None:
        """Write the waiting rows of ``r`` as one row group (a file with no rows at all gets one empty row group, as
        :func:`pyarrow.parquet.write_table` writes an empty table)."""
        import pyarrow.parquet as pq

        writer = self._parquet.get(r.name)
        if writer is None:
            path = self.folder / "data" / f"{r.name}.parquet"
            fh = open(path, "xb")  # noqa: SIM115 (closed by close())
            self._files[f"{r.name}.parquet"] = fh
            writer = self._parquet[r.name] = pq.ParquetWriter(fh, self._schema(r))
        # one contiguous table: a row group's bytes then do not depend on how its plans were batched
        writer.write_table(self._joined(r, self._pending[r.name]))
        self._pending[r.name] = []
        self._pending_bytes[r.name] = 0
        self._fresh[r.name] = 0

    def close(self) -> None:
        """Write the waiting Parquet rows and close every file (not yet synced to disk: :func:`sync_files`)."""
        try:
            if self.parquet:
                for r in RESOURCES:
                    if self._pending[r.name] or r.name not in self._parquet:
                        self._flush(r)
                for writer in self._parquet.values():
                    writer.close()
        finally:
            self._close_files()

    def _close_files(self) -> None:
        for fh in self._files.values():
            fh.close()
        self._files = {}

    def __enter__(self) -> PackageWriter:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        if kind is None:
            self.close()
        else:  # the files are thrown away with their folder: only closed
            for writer in self._parquet.values():
                with contextlib.suppress(Exception):
                    writer.close()
            self._close_files()


def write_package(folder: Path, parts: Iterable[Rows], *, bom: bool = False, formats: tuple[str, ...] = FORMATS,
                  group_bytes: int = GROUP_BYTES) -> tuple[list[tuple[str, int]], dict[str, int]]:
    """Write the package of ``parts`` (each the rows of whole plans, in order) into the existing, empty folder
    ``folder`` (not synced to disk: :func:`dxplan.files.staged.sync_files`). Returns each file's relative path and
    size in bytes (``datapackage.json``, then each resource's CSV and Parquet files in the descriptor's order) and
    the rows written per resource.

    Whatever iterating ``parts`` raises is raised here, the files closed. Raises OSError when a file cannot be
    written, ImportError without pyarrow (Parquet in ``formats``)."""
    folder = Path(folder)
    desc = folder / "datapackage.json"
    with open(desc, "xb") as fh:
        fh.write(descriptor_bytes(bom=bom, formats=formats))
    try:
        with PackageWriter(folder, bom=bom, formats=formats, group_bytes=group_bytes) as writer:
            for rows in parts:
                writer.add(rows)
    finally:  # a generator left half-read (a write failed) stops now: its worker processes end with it
        close = getattr(parts, "close", None)
        if close is not None:
            close()
    names = ["datapackage.json", *(f"data/{r.name}.{f}" for r in RESOURCES for f in formats)]
    return [(rel, os.stat(folder / rel).st_size) for rel in names], writer.rows


def package_files(parts: Iterable[Rows], *, bom: bool = False, formats: tuple[str, ...] = FORMATS) -> dict[str, bytes]:
    """Every file of the package of ``parts`` (relative path → bytes), as :func:`write_package` writes them:
    ``datapackage.json`` and each resource in ``formats`` (CSV, and Parquet unless left out: ``dxplan site``
    without pyarrow writes CSV alone). Written in a temporary folder and read back."""
    with tempfile.TemporaryDirectory(prefix="dxplan-package-") as tmp:
        written, _ = write_package(Path(tmp), parts, bom=bom, formats=formats)
        return {rel: (Path(tmp) / rel).read_bytes() for rel, _ in written}


def check_package(stage: Path, rows: dict[str, int], bom: bool = False, formats: tuple[str, ...] = FORMATS) -> None:
    """Read the package written in ``stage`` back: each CSV (and Parquet, when in ``formats``) file holds the number
    of rows ``rows`` gives for its resource. Raises OSError otherwise."""
    for r in RESOURCES:
        want = rows[r.name]
        with open(stage / "data" / f"{r.name}.csv", encoding="utf-8-sig" if bom else "utf-8", newline="") as fh:
            got = sum(1 for _ in csv.reader(fh)) - 1
        read = want
        if "parquet" in formats:
            import pyarrow.parquet as pq

            read = pq.ParquetFile(stage / "data" / f"{r.name}.parquet").metadata.num_rows
        if got != want or read != want:
            raise OSError(f"{r.name}: {want} rows written, {got} (csv) and {read} (parquet) read back")


def publish_to(folder: Path, parts: Iterable[Rows], *, bom: bool = False, group_bytes: int = GROUP_BYTES) -> list[tuple[str, int]]:
    """Write the package of ``parts`` (each the rows of whole plans, in order: :class:`PackageWriter`) to ``folder``,
    all or nothing (module docstring, :func:`dxplan.files.staged.replace_folder_by`); return each file's relative
    path and size in bytes, ``datapackage.json`` first, then each resource's CSV and Parquet files.

    ``parts`` is read once, while the files are written: whatever it raises (a plan that does not load, a key that
    does not hold) leaves nothing behind and is raised here. Raises :class:`dxplan.i18n.UserError` when ``folder``
    holds other files or is not a folder (before ``parts`` is read), OSError when it cannot be written,
    ImportError without pyarrow.
    """
    folder = Path(folder)
    foreign = UserError(N_("{folder} already holds files that are not a data package; nothing was written (name an empty or new folder)"), {"folder": str(folder)})
    counted: dict[str, int] = {}

    def write(stage: Path) -> list[tuple[str, int]]:
        written, rows = write_package(stage, parts, bom=bom, group_bytes=group_bytes)
        sync_files(stage, [stage / rel for rel, _ in written])
        counted.update(rows)
        return written

    return replace_folder_by(folder, write, previous=lambda f: (f / "datapackage.json").is_file(), foreign=foreign,
                             check=lambda stage: check_package(stage, counted, bom))
