"""Scoring by the plan's own evaluation rules: achievement rates and labels (001, made exact in docs/).

Owns: ``rates`` (methods, rate states, the Rate record and its arithmetic), ``indicators`` (a rate per
indicator and fiscal year, and an action's rate from several), ``actions`` (an action's rate, label and
the plan's score). Pure: no I/O, no wording.

May import: the ground modules, ``dxplan.model``, ``dxplan.rules``, ``dxplan.files``.
"""
