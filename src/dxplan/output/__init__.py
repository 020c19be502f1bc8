"""Writers shared by every command: the words, the terminal tables, JSON and the Jinja renderer.

Owns: ``wording`` (the words and sentences writers share, and the one share rounding),
``terminal`` (rich tables for status and score), ``jsonout`` (JSON for status and score, and the
number and dump helpers every JSON writer uses), ``render`` (the Jinja environment and its escaping
filters, for every Markdown and HTML output), ``history`` (the writers of status history),
``formats`` (the ``--format`` registries: each writer family's format names and writers, read by the
command line without importing a writer). Writers only arrange results computed below.

May import: every layer below it (ground, ``model``, ``rules``, ``files``, ``score``, ``status``).
"""
