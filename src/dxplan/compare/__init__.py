"""Across plans: one table of many plans' progress (``compare``) and the plans × national items matrix (``crosswalk``).

Owns: ``figures`` (one plan's figures: done share per fiscal year, label split, indicators on
track, national items served, last evaluation date — the numbers ``status`` and ``score`` give,
reused, not recomputed), ``groups`` (peer groups read from a CSV; the prefecture otherwise),
``table`` (plans grouped and summed: typed results, no wording), ``crosswalk`` (the matrix),
``writers`` (terminal, JSON, CSV, Markdown and an HTML page with bars; they only arrange), ``formats`` (the ``--format``
registries) and ``package`` (the same figures from an open-data package ``dxplan publish`` wrote, computed by the
DuckDB queries of ``sql/``; docs/compare.md shows them).

May import: the ground modules, ``dxplan.model``, ``dxplan.rules``, ``dxplan.files``, ``dxplan.score``,
``dxplan.status``, ``dxplan.output``.
"""
