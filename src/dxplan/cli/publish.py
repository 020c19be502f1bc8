"""``dxplan publish``: the plans as an open-data package (Frictionless Data Package, CSV and Parquet).

Exit codes: 0 published (or ``--schema`` printed); 1 a plan has lint errors or did not load (nothing written);
2 usage (no ``-o``, an output folder holding other files).
"""


import json
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from dxplan.i18n import N_, t
from dxplan.problems import EXIT_OK, EXIT_PROBLEMS
from .progress import QuietOpt, progress
from .common import help_text, command, LangOpt, PathsArg, fail, plan_paths, resolve_lang, say

if TYPE_CHECKING:
    from dxplan.opendata.tables import Rows


@command()
def publish(
    paths: PathsArg = None,
    output: Annotated[Optional[Path], typer.Option("--output", "-o", metavar="DIR", help=help_text("the folder to write the package into (new, empty, or a previous package)"))] = None,
    bom: Annotated[bool, typer.Option("--bom", help=help_text("write the CSV files with a byte-order mark, for Excel"))] = False,
    schema: Annotated[bool, typer.Option("--schema", help=help_text("print the package's descriptor (the schemas, no data) and exit"))] = False,
    history: Annotated[bool, typer.Option("--history/--no-history", help=help_text("count the task rows per state at each commit that changed a plan (git)"))] = True,
    quiet: QuietOpt = False,
    lang: LangOpt = None,
) -> None:
    """Publish plans as open data: a Frictionless Data Package of long-format tables.

    Writes datapackage.json (a Table Schema per resource: titles and descriptions in Japanese and English, types, units, keys) and data/<resource>.csv and data/<resource>.parquet for plans, categories, departments, actions, tasks, indicators, indicator_values, grades, effects, status_history, serves (the national 重点取組事項 each action serves) and national_items. A plan with lint errors is not published (exit 1, the problems listed as lint lists them); nothing is left in DIR on failure. --schema prints the descriptor without data. docs/opendata.md describes every field.
    """
    lg = resolve_lang(lang)
    if schema:
        from dxplan.opendata.schema import descriptor
        from dxplan.opendata.write import FORMATS

        typer.echo(json.dumps(descriptor(FORMATS), ensure_ascii=False, indent=2))
        raise typer.Exit(EXIT_OK)
    if output is None:
        fail(t(lg, "publish: name the output folder with -o DIR"))
    from dxplan.opendata.write import PYARROW_REQUIREMENT

    no_pyarrow = N_("publish writes Parquet with pyarrow, which is not installed: install dxplan as dxplan[opendata] (pip install '{requirement}')")
    # found, not imported, before anything is read or written: the worker processes fork from a process without
    # pyarrow's threads (dxplan.files.parallel), and this one imports it at the first Parquet rows
    if not has_pyarrow():
        fail(t(lg, no_pyarrow, requirement=PYARROW_REQUIREMENT), EXIT_PROBLEMS)
    from dxplan.opendata.write import publish_to

    roots = linted_roots(paths, lg, quiet, N_("nothing was published: {n} error(s) in the plans; fix them (dxplan lint) and publish again"))
    try:
        written = publish_to(output, package_parts(roots, lg, history), bom=bom)
    except ImportError:
        fail(t(lg, no_pyarrow, requirement=PYARROW_REQUIREMENT), EXIT_PROBLEMS)
    except OSError as exc:
        fail(t(lg, "{target}: cannot write ({error})", target=output, error=exc.strerror or exc), EXIT_PROBLEMS)
    for rel, size in written:
        typer.echo(f"{output / rel}\t{size}")
    raise typer.Exit(EXIT_OK)


def linted_roots(paths: list[Path] | None, lang: str, quiet: bool, refused: str) -> list[Path]:
    """The plan folders of ``paths`` (the missing-PATH rule of :func:`plan_paths`), once lint finds no error in them.

    With errors: the problems on stderr as lint prints them, then ``refused`` (a msgid taking ``{n}``, the
    number of errors), and exit 1 before anything is written. ``publish`` and ``site`` publish only plans that lint."""
    from dxplan.files.layout import discover
    from dxplan.lint.engine import lint_paths
    from dxplan.lint.formatters import render as render_problems

    paths = plan_paths(paths)
    roots = [root for root, _ in discover(paths)]
    with progress(lang, N_("checking plan folders"), total=len(roots), quiet=quiet) as step:
        result = lint_paths(paths, on_plan=step)
    if result.errors:
        typer.echo(render_problems("text", result, lang), err=True)
        say(t(lang, refused, n=result.errors))
        raise typer.Exit(EXIT_PROBLEMS)
    return roots


def has_pyarrow() -> bool:
    """Whether pyarrow can be imported, found without importing it (its threads make a process that has imported it
    unfit to fork worker processes from: :mod:`dxplan.files.parallel`)."""
    from importlib.util import find_spec

    try:
        return find_spec("pyarrow") is not None
    except (ImportError, ValueError):
        return False


def package_parts(roots: list[Path], lang: str, history: bool) -> "Iterator[Rows]":
    """The open-data rows of the plan folders ``roots`` (which lint found without errors), one plan at a time in the
    order of ``roots``, then the ``national_items`` rows; each plan loaded and turned into rows by a worker process
    (:func:`dxplan.opendata.parts.plan_part`), with its status history from git when ``history``. Notes on stderr
    (no municipality code, not in git).

    Exits 1 when a plan does not load, and — after the last plan, so that every broken key is listed — when a key of
    the package does not hold (each plan's keys, and the plan IDs across plans): the caller writes as it reads, into
    a staging folder, so nothing is published then. ``dxplan site`` writes the same package."""
    from dxplan.files.pool import map_plans
    from dxplan.opendata.parts import plan_part
    from dxplan.opendata.tables import as_tuples, integrity, national_item_rows

    broken: list[tuple[str, str, str]] = []
    seen: set[str] = set()
    for outcome in map_plans(plan_part, roots, (history,)):
        part = outcome.value
        if part is None:  # lint reported it; a plan that does not load never gets here
            raise typer.Exit(EXIT_PROBLEMS)
        if not part.has_code:
            say(t(lang, "{plan}: plan.yaml declares no municipality_code; the 全国地方公共団体コード column is left empty", plan=part.plan_id))
        if part.in_git is False:
            say(t(lang, "{plan}: not in a git repository; status_history has no rows for it", plan=part.plan_id))
        if part.plan_id in seen:
            broken.append(("plans", "primary-key", part.plan_id))
        seen.add(part.plan_id)
        broken += part.broken
        yield part.rows
    national = {"national_items": national_item_rows()}
    broken += integrity(national)
    yield as_tuples(national)
    if broken:  # a key lint does not check: nothing is written rather than an invalid package
        for resource, kind, values in broken[:20]:
            say(t(lang, "{resource}: {kind} ({values}) does not hold", resource=resource, kind=kind, values=values))
        fail(t(lang, "nothing was published: {n} key(s) of the package do not hold", n=len(broken)), EXIT_PROBLEMS)
