"""``dxplan export``, ``dxplan import`` and ``dxplan history`` (registered on the main app): the DX office's loop.

Exit codes as every command: 0 done (or nothing to change); 1 problems (a sheet with errors —
nothing is changed then —, a sheet damaged or past the bounds of :mod:`dxplan.sheets.read`, a plan
with files that do not load, an edit that would not verify, another import writing the plan);
2 usage error (bad path or option, a missing file or one that is not xlsx/csv, git revision not available).
"""


import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from .progress import QuietOpt, progress
from .common import echo, LangOpt, command, console_when_asked, echo_output, fail, format_option, help_text, parse_years, plan_paths, resolve_lang, run_writer, write_result
from dxplan.i18n import N_, pt, t
from dxplan.output.formats import HISTORY
from dxplan.problems import EXIT_OK, EXIT_PROBLEMS
from dxplan.sheets.formats import FORMATS as EXPORT

if TYPE_CHECKING:
    from dxplan.files.load import LoadedPlan

PlanArg = Annotated[Optional[Path], typer.Argument(metavar="PLAN", help=help_text("a plan folder (default: the current folder when it is a plan or a plans repository)"))]


def _one_plan(path: Path, lang: str) -> "LoadedPlan":
    """The one plan folder ``path`` names, loaded; exit 1 when files do not load, 2 when it names several.

    Raises :class:`dxplan.files.layout.PlanNotFound` (exit 2) when it names none.
    """
    from dxplan.files.load import load_plan
    from dxplan.files.layout import discover

    found = discover([path])
    if len(found) != 1:
        fail(t(lang, "{path}: give one plan folder", path=str(path)))
    loaded = load_plan(found[0][0], positions=False)
    errors = [p for p in loaded.problems if p.severity == "error"]
    if loaded.plan is None or errors:
        fail(t(lang, "{root} has {n} file(s) with errors; fix them first (`dxplan lint {root}`)", root=str(loaded.root), n=len(errors)),
              EXIT_PROBLEMS)
    return loaded


@command("export")
def export_cmd(
    path: PlanArg = None,
    format: format_option(EXPORT) = EXPORT.default,
    output: Annotated[Optional[Path], typer.Option("--output", "-o", metavar="FILE", help=help_text("output file, - for standard output (xlsx default: <plan>[-<課>].xlsx; csv/json: standard output)"))] = None,
    department: Annotated[Optional[str], typer.Option("--department", "-d", metavar="NAME", help=help_text("only this department's rows (joint rows included, marked)"))] = None,
    year: Annotated[Optional[str], typer.Option("--year", "-y", metavar="FY", help=help_text("fiscal year: 2024, R6 or 令和6年度"))] = None,
    quiet: QuietOpt = False,
    lang: LangOpt = None,
) -> None:
    """Write the task rows as a sheet for departments to fill in.

    One row per task row with a hidden row key; result, status and progress are the cells to fill in, every other column is read-only. Where actions have indicators, one row per indicator and fiscal year follows (xlsx: sheets 指標 <year>): the target read-only, the actual, its kind (実績/見込), its source and the grade to fill in. Where the plan grades actions (grade_scale applies_to: action), one row per action and fiscal year follows (xlsx: sheets 評価 <year>) with the grade to fill in. `dxplan import` takes the sheet back.
    """
    from dxplan.sheets.grades import build_grade_rows
    from dxplan.sheets.indicators import build_indicator_rows
    from dxplan.sheets.names import export_name
    from dxplan.sheets.rows import Scope, build_rows, find_department, sheet_years

    lg = resolve_lang(lang)
    with progress(lg, N_("writing the sheet"), quiet=quiet):
        loaded = _one_plan(plan_paths([path] if path else None)[0], lg)
        plan = loaded.plan
        assert plan is not None, "_one_plan exits when the plan did not load"
        dept = None if department is None else find_department(loaded.index, department)
        years = parse_years(year, loaded)
        rows = build_rows(loaded, dept, years)
        indicator_rows = build_indicator_rows(loaded, dept, years if years is not None else plan.fiscal_years)
        grade_rows = build_grade_rows(loaded, dept, years if years is not None else plan.fiscal_years)
        scope = Scope(plan.id, dept.name if dept else None, sheet_years(plan, [*rows, *indicator_rows, *grade_rows], years))
        data = run_writer(EXPORT, format, plan, rows, scope, indicator_rows=indicator_rows, grade_rows=grade_rows, lang=lg)
    default_name = output is None
    if output is None and EXPORT[format].to_file:
        output = Path(export_name(plan.id, dept.name if dept else None, format))
    if output is None:
        echo_output(data)
        raise typer.Exit(EXIT_OK)
    if not write_result(output, data, lg, default_name=default_name):
        raise typer.Exit(EXIT_OK)
    echo(_written(lg, str(output), len(rows), len(indicator_rows), len(grade_rows)), err=True)
    raise typer.Exit(EXIT_OK)


def _written(lang: str, file: str, tasks: int, indicators: int, grades: int) -> str:
    """What an export wrote, naming only the kinds of row it holds (``…: 12 indicator row(s) written``)."""
    counts = ((N_("{n} task row(s)"), tasks), (N_("{n} indicator row(s)"), indicators), (N_("{n} action grade row(s)"), grades))
    parts = [t(lang, msg, n=n) for msg, n in counts if n]
    if not parts:
        return t(lang, "{file}: written with headers only (no rows in this scope)", file=file)
    rows = parts[0] if len(parts) == 1 else t(lang, "{first} and {last}", first=pt(lang, "list separator", ", ").join(parts[:-1]), last=parts[-1])
    return t(lang, "{file}: {rows} written", file=file, rows=rows)


@command("import")
def import_cmd(
    file: Annotated[Path, typer.Argument(metavar="FILE", help=help_text("the filled-in sheet (xlsx or csv)"))],
    path: PlanArg = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", "-n", help=help_text("show what would change, write nothing"))] = False,
    theirs: Annotated[bool, typer.Option("--theirs", help=help_text("where a cell changed both in the sheet and in the plan since the export, take the sheet's value"))] = False,
    ours: Annotated[bool, typer.Option("--ours", help=help_text("where a cell changed both in the sheet and in the plan since the export, keep the plan's value"))] = False,
    lang: LangOpt = None,
) -> None:
    """Take a filled-in sheet back into the YAML files.

    Three-way: a cell left as exported never overwrites the plan, even where the plan changed since; a cell changed both in the sheet and in the plan is a conflict (exit 1) unless --theirs or --ours says which wins. All or nothing: any problem (unknown or duplicated row key, a status word or grade the plan does not have, a percent outside 0–100, an edited read-only column or target, a missing row, a conflict) changes no file.
    """
    from dxplan.sheets.apply import describe, plan_changes, write_changes
    from dxplan.sheets.check import check_sheet
    from dxplan.sheets.read import each_table

    lg = resolve_lang(lang)
    if theirs and ours:
        fail(t(lg, "--theirs and --ours exclude each other; give one"))
    loaded = _one_plan(plan_paths([path] if path else None)[0], lg)
    check = check_sheet(loaded, each_table(file), "theirs" if theirs else "ours" if ours else None)
    for w in check.warnings:
        echo(t(lg, "{file}: warning: {message}", file=str(file), message=w.text(lg)), err=True)
    if not check.ok:
        for p in check.problems:
            echo(f"{file}: {p.text(lg)}", err=True)
        fail(t(lg, "{n} problem(s) in the sheet; nothing was changed", n=len(check.problems)), EXIT_PROBLEMS)
    changes = plan_changes(check.edits, check.indicator_edits, check.grade_edits)
    if not changes:
        echo(t(lg, "{file}: {n} row(s) read; the sheet matches the plan, nothing to change", file=str(file), n=check.rows_read))
        raise typer.Exit(EXIT_OK)
    lines = describe(loaded, changes, lg)
    if dry_run:
        echo(t(lg, "dxplan import --dry-run: {file} → {root}: {fields} field(s) in {files} file(s) would change",
                     file=str(file), root=str(loaded.root), fields=check.field_count, files=len(changes)))
    else:
        try:
            write_changes(changes, loaded.root)
        except OSError as exc:
            fail(str(exc), EXIT_PROBLEMS)
        echo(t(lg, "dxplan import: {file} → {root}: {fields} field(s) changed in {files} file(s)",
                     file=str(file), root=str(loaded.root), fields=check.field_count, files=len(changes)))
    for line in lines:
        echo(line)
    raise typer.Exit(EXIT_OK)


def _day(value: str | None, lang: str) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        fail(t(lang, "{value}: not a date (YYYY-MM-DD)", value=value))


@command("history")
def history_cmd(
    paths: Annotated[Optional[list[Path]], typer.Argument(metavar="PATH", help=help_text("plan folders in a git repository (default: the current folder when it is a plan or a plans repository)"))] = None,
    since: Annotated[Optional[str], typer.Option("--since", metavar="DATE", help=help_text("from this date (YYYY-MM-DD)"))] = None,
    until: Annotated[Optional[str], typer.Option("--until", metavar="DATE", help=help_text("up to this date (YYYY-MM-DD)"))] = None,
    at: Annotated[Optional[list[str]], typer.Option("--at", metavar="REV|DATE", help=help_text("at this revision or date (repeatable)"))] = None,
    year: Annotated[Optional[str], typer.Option("--year", "-y", metavar="FY", help=help_text("fiscal year to count (default: that of each evaluation date)"))] = None,
    format: format_option(HISTORY) = HISTORY.default,
    quiet: QuietOpt = False,
    lang: LangOpt = None,
) -> None:
    """Status counts over time, from git history (dates as columns).

    One column per commit that changed the plan (or per --at revision or date); the date is the plan's evaluation_date where that commit changed it, else the commit date.
    """
    from dxplan.files import gitio
    from dxplan.fiscal import parse_fiscal_year
    from dxplan.status.history import build_history
    from dxplan.files.layout import discover

    lg = resolve_lang(lang)
    found = discover(plan_paths(paths))
    fy = None if year is None else parse_fiscal_year(year)
    histories = []
    with progress(lg, N_("reading the git history"), total=len(found), quiet=quiet) as step:
        for root, _ in found:
            repo = gitio.repo_root(root)
            rel = root.resolve().relative_to(repo).as_posix()
            histories.append(build_history(repo, "" if rel == "." else rel, since=_day(since, lg), until=_day(until, lg), at=at, year=fy))
            step()
    echo_output(run_writer(HISTORY, format, histories, lg, console_when_asked()))
    raise typer.Exit(EXIT_OK)
