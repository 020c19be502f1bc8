"""The diff: what a change does to the plans, as typed results (``compute``) and its writers
(``view``), registered as the formats of ``dxplan diff`` (``formats``).

May import: every layer below it, up to ``dxplan.lint``.
"""
