"""The DX office's spreadsheet loop: each department's sheet exported, filled in, checked and applied.

Owns: ``rows`` (task rows shared by export and import), ``indicators`` and ``grades`` (indicator and
grade rows), ``xlsx`` and ``flat`` (writing a workbook, CSV or JSON; ``formats`` registers them), ``read`` (reading a filled-in
sheet), ``check`` (the edits a sheet asks for, checked against the plan), ``apply`` (writing them,
all or nothing), ``base`` (the values each row was exported with, carried in the sheet: a very
hidden protected xlsx sheet ``dxplan_base``, a CSV column ``dxplan:base``, a JSON ``base`` object),
``cells`` (what an Excel cell can hold and what a typed cell means: control characters as their
pictures, unstorable numbers as text, percent-formatted cells as percents).

Import is three-way (:mod:`dxplan.sheets.base`): a cell left as exported never overwrites the plan,
even where the plan changed since; a cell changed in the sheet is written when the plan still holds
the exported value; a cell changed on both sides to different values is a conflict reported by
sheet!cell with both values (nothing written) unless the import takes ``--theirs`` (the sheet) or
``--ours`` (the plan). Sheets without a base (older exports) import with a warning.

May import: every layer below it, up to ``dxplan.report``.
"""
