"""The DX office's spreadsheet loop: each department's sheet exported, filled in, checked and applied.

Owns: ``rows`` (task rows shared by export and import), ``indicators`` and ``grades`` (indicator and
grade rows), ``xlsx`` and ``flat`` (writing a workbook, CSV or JSON; ``formats`` registers them), ``read`` (reading a filled-in
sheet), ``check`` (the edits a sheet asks for, checked against the plan), ``apply`` (writing them,
all or nothing).

May import: every layer below it, up to ``dxplan.report``.
"""
