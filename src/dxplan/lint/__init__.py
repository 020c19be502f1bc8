"""Linting: load plan folders, run the rules, sort the problems; and the lint output formats.

Owns: ``engine`` (lint_paths, the goalpost guard, the cache of results), ``staleness`` (the findings from git
history and today's date, worked out on every run), ``formatters`` (one module per
``--format``: text, json, github, sarif, and their registry; rule help).

May import: every layer below it, up to ``dxplan.output``.
"""
