"""The council report: figures computed once, arranged as pages for the templates, rendered and printed.

Owns: ``figures`` and ``history_figures`` (what a report shows, computed once), ``views``, ``common``,
``pages``, ``grades``, ``history`` and ``indicators`` (the figures as plain dicts for the Jinja
templates), ``pdf`` (the HTML printed by WeasyPrint), ``formats`` (the formats of ``dxplan report`` and
``dxplan status``).

May import: every layer below it, up to ``dxplan.diff``.
"""
