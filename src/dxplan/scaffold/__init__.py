"""Starting a plans repository (``init``) and its next action (``new``), with the starter files they write.

May import: every layer below it, up to ``dxplan.sheets``.
"""
