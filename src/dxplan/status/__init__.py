"""Counting progress: task rows per state and fiscal year, effects summed, and the same counts over git history.

Owns: ``counts`` (000's summary table made reproducible), ``effects`` (effect targets summed),
``history`` (status counts at each commit that changed a plan), ``states`` (a plan's figures per plan state —
the blobs of its files —, computed once and cached by content). Typed results, no wording.

May import: the ground modules, ``dxplan.model``, ``dxplan.rules``, ``dxplan.files``, ``dxplan.score``.
"""
