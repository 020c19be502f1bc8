"""The ``--format`` registries of ``dxplan compare`` and ``dxplan crosswalk`` (see :mod:`dxplan.output.formats`).

Writer: ``write(result, lang, console) -> str | None``: ``result`` a :class:`dxplan.compare.table.Comparison`
or :class:`dxplan.compare.crosswalk.Crosswalk`; the table writers print on ``console()`` and return None.
"""

from dxplan.output.formats import Format, Formats

COMPARE = Formats(
    Format("table", "dxplan.compare.writers:write_compare_table"),
    Format("json", "dxplan.compare.writers:write_compare_json"),
    Format("csv", "dxplan.compare.writers:write_compare_csv"),
    Format("markdown", "dxplan.compare.writers:write_compare_markdown"),
    Format("html", "dxplan.compare.writers:write_compare_html"),
)

CROSSWALK = Formats(
    Format("table", "dxplan.compare.writers:write_crosswalk_table"),
    Format("json", "dxplan.compare.writers:write_crosswalk_json"),
    Format("markdown", "dxplan.compare.writers:write_crosswalk_markdown"),
)
