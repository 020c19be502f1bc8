"""The formats of ``dxplan export`` (``--format``), readable without importing the writers (:mod:`dxplan.output.formats`).

Each writer is ``write(plan, rows, scope, indicator_rows=(), grade_rows=(), lang="ja") -> bytes``: the
sheet's task, indicator and grade rows (:mod:`dxplan.sheets.rows`, :mod:`dxplan.sheets.indicators`,
:mod:`dxplan.sheets.grades`) for the export ``scope`` as the file's bytes, worded in ``lang`` where the
format has words of its own. ``dxplan import`` reads back the formats :mod:`dxplan.sheets.read` knows.
"""

from __future__ import annotations

from dxplan.output.formats import Format, Formats

FORMATS = Formats(
    Format("xlsx", "dxplan.sheets.xlsx:write_xlsx", to_file=True),
    Format("csv", "dxplan.sheets.flat:write_csv", "UTF-8 BOM"),
    Format("json", "dxplan.sheets.flat:write_json"),
)
