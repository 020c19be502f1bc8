"""The diff: what a change does to the plans, as typed results (``compute``) and its writers (``view``).

May import: every layer below it, up to ``dxplan.lint``.
"""
