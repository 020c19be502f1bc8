"""Open data: a plan's actions, tasks, indicators, grades, effects and status history as a Frictionless Data Package.

Owns: ``schema`` (the package's resources and fields, versioned: :data:`schema.SCHEMA_VERSION`; the
descriptor ``dxplan publish --schema`` prints), ``tables`` (the long-format rows built from loaded plans:
pure, typed, no wording), ``parts`` (one plan's rows as plain tuples, built in a worker process), ``write`` (CSV,
Parquet and ``datapackage.json`` written plan by plan into a staging folder beside the output and moved into
place in one step). pyarrow is imported only where Parquet is written.
docs/opendata.md documents every field.

May import: the ground modules, ``dxplan.model``, ``dxplan.rules``, ``dxplan.files``, ``dxplan.score``, ``dxplan.status``,
``dxplan.output``, ``dxplan.lint``, ``dxplan.diff``, ``dxplan.report`` (its evaluation columns of the status history).
"""
