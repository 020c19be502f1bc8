"""The public site (``dxplan site``): a static, self-contained set of HTML pages per plan, with search and the open data.

Owns: ``pages`` (the page models of one plan — its top page, one page per action, per category and per
department, the search page and its index — arranged from the report's figures and views, never recomputed),
``charts`` (the geometry of the indicator charts: target against actual per fiscal year, inline SVG),
``write`` (the pages rendered through ``templates/site/``, the assets of ``static/`` — the vendored
MiniSearch and dxplan's own script — and the open-data package gathered into one folder, placed all or nothing).

Every word the municipality wrote is shown as written, dxplan's computed values are marked as in the report,
annotations are never shown (the report's views already leave them out without ``--audit``, which the site
never asks for). Pages make no request outside the site's folder and work from ``file://``.

May import: every layer below it, up to ``dxplan.opendata`` (the package written into the site's ``opendata/``).
"""
