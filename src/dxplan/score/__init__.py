"""Scoring by the plan's own evaluation rules: achievement rates and labels (001, made exact in docs/domain.md).

Owns: ``rates`` (rate states, the Rate record and its arithmetic), ``methods`` (the ways to an action's
rate — target, tasks, summary — each with its computation and place in the decision, in one table),
``indicators`` (a rate per indicator and fiscal year, and an action's rate from several), ``actions``
(which method decides, the label, and the plan's score). Pure: no I/O, no wording.

May import: the ground modules, ``dxplan.model``, ``dxplan.rules``, ``dxplan.files``.
"""
