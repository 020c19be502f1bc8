"""``dxplan fmt`` and ``dxplan schema``: the canonical layout of plan files, and JSON Schemas for editors.

Exit codes: 0 ok; 1 ``fmt --check`` would change files, or a file cannot be formatted safely; 2 usage.
"""


from pathlib import Path
from typing import Annotated, Optional

import typer

from .common import echo, help_text, command, LangOpt, fail, plan_paths, resolve_lang, say
from dxplan.i18n import t
from dxplan.files.atomic import write_atomic
from dxplan.problems import EXIT_OK, EXIT_USAGE


# --------------------------------------------------------------------------- fmt


@command()
def fmt(
    paths: Annotated[Optional[list[Path]], typer.Argument(metavar="PATH", help=help_text("plan folders, a folder of plans, or files (default: plans)"))] = None,
    check: Annotated[bool, typer.Option("--check", help=help_text("list files that would change, write nothing"))] = False,
    diff: Annotated[bool, typer.Option("--diff", help=help_text("show what would change as a unified diff, write nothing"))] = False,
    schema_line: Annotated[bool, typer.Option("--schema-line/--no-schema-line", help=help_text("add a yaml-language-server line pointing at the repository's schemas/"))] = True,
    lang: LangOpt = None,
) -> None:
    """Rewrite plan files in the canonical layout.

    Key order of the schema, indentation 2, quotes only where needed, no line folding; comments kept; full-width numbers in numeric fields become numbers. A file is written (atomically) only when its data loads unchanged from the new text. --diff shows what would change as a unified diff and writes nothing. Exit 0 when done (or nothing to change with --check); 1 when --check finds files to change or a file cannot be formatted safely.
    """
    from dxplan.files.fmt import format_paths

    lg = resolve_lang(lang)
    report = format_paths(plan_paths(paths), check=check, modeline=schema_line, diff=diff)
    for entry in report.entries:
        if entry.error is not None:
            say(entry.error.message(lg))  # a file that cannot be formatted: the others go on
        elif entry.diff:
            echo(entry.diff, nl=False)
        elif entry.outcome == "would_change":
            echo(str(entry.path))
        elif entry.outcome == "formatted":
            echo(t(lg, "formatted: {path}", path=str(entry.path)))
    summary = report.summary(lg)
    if summary:
        echo(summary, err=True)
    raise typer.Exit(report.return_code)


# --------------------------------------------------------------------------- schema


@command()
def schema(
    output: Annotated[Optional[Path], typer.Option("--output", "-o", metavar="FILE", help=help_text("write both schemas into this folder"))] = None,
    lang: LangOpt = None,
) -> None:
    """Write JSON Schemas for plan.yaml and action files.

    Without --output, prints both as one JSON object keyed by file name. Editors validate while typing through a first line ``# yaml-language-server: $schema=../../schemas/plan.schema.json`` (``dxplan fmt`` adds it when the repository has schemas/).
    """
    from dxplan.model.schema import json_schemas
    from dxplan.output.jsonout import dumps

    lg = resolve_lang(lang)
    schemas = json_schemas()
    if output is None:
        echo(dumps(schemas))
        raise typer.Exit(EXIT_OK)
    try:
        output.mkdir(parents=True, exist_ok=True)
        for name, data in schemas.items():
            write_atomic(output / name, dumps(data) + "\n")
    except OSError as exc:
        fail(t(lg, "{path}: cannot write ({error})", path=str(output), error=exc.strerror or str(exc)), EXIT_USAGE)
    for name in schemas:
        echo(t(lg, "wrote: {path}", path=str(output / name)))
    raise typer.Exit(EXIT_OK)
