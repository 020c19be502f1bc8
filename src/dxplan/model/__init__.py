"""The plan schema (pydantic), the single source of truth for plan.yaml and action files, and what a loaded plan is.

Owns: ``schema`` (Plan, Action and their parts), ``base`` (the strict base model, fiscal-year,
percent, date and period types, provenance declarations), ``indicators`` (indicators, grades,
scoring settings), ``plan_texts`` (glossary, visions, the previous plan's results), ``index``
(look-ups a plan declares: categories, departments, status words), ``loaded`` (a parsed file with
positions, a loaded action and plan), ``changes`` (field-by-field comparison of two models,
goalposts flagged), ``provenance`` (a plan's source and annotation strings, walked by declaration).

May import: the ground modules (``dxplan.i18n``, ``dxplan.problems``, ``dxplan.fiscal``,
``dxplan.yamlread``). Nothing here reads files.
"""
