"""``dxplan compare`` and ``dxplan crosswalk``: many plans in one table, and plans × national 重点取組事項."""

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from dxplan.compare.formats import COMPARE, CROSSWALK
from dxplan.i18n import N_, t
from dxplan.problems import EXIT_OK, EXIT_PROBLEMS
from .progress import QuietOpt, progress
from .common import (
    help_text, command, AsOfOpt, JobsOpt, LangOpt, PathsArg, PlanStream, console_when_asked, echo_output, fail, format_option,
    plan_paths, resolve_lang, run_writer, check_jobs,
)

if TYPE_CHECKING:  # imported where used: the models are not needed for --help
    from dxplan.compare.figures import PlanFigures
    from dxplan.files.load import LoadedPlan


@command()
def compare(
    paths: PathsArg = None,
    groups: Annotated[Optional[Path], typer.Option("--groups", metavar="FILE.csv", help=help_text("peer groups: a CSV with columns plan (or municipality_code) and group; default: by prefecture"))] = None,
    format: format_option(COMPARE) = COMPARE.default,
    as_of: AsOfOpt = None,
    jobs: JobsOpt = None,
    quiet: QuietOpt = False,
    lang: LangOpt = None,
) -> None:
    """Compare plans in one table, grouped by prefecture or by peer group.

    Per plan: the share of task rows done per fiscal year (as status counts it), the label split and indicators on track (as score rates them), the national 重点取組事項 its actions serve, and the last evaluation date. "No data" and "not planned" are never 0 %; actions serving no national item are unclassified.

    A PATH may also be an open-data package (a folder with the datapackage.json dxplan publish writes, or that file): its figures are computed in DuckDB from its Parquet files, without reading YAML (docs/compare.md). Packages and plan folders are not mixed in one call.
    """
    from dxplan.compare.groups import read_groups
    from dxplan.compare.table import compare as build

    lg = resolve_lang(lang)
    check_jobs(jobs, lg)
    peers = read_groups(groups) if groups is not None else None
    figures, code = _figures(plan_paths(paths), lg, as_of, jobs, quiet)
    echo_output(run_writer(COMPARE, format, build(figures, peers), lg, console_when_asked()))
    raise typer.Exit(code)


@command()
def crosswalk(
    paths: PathsArg = None,
    format: format_option(CROSSWALK) = CROSSWALK.default,
    as_of: AsOfOpt = None,
    jobs: JobsOpt = None,
    quiet: QuietOpt = False,
    lang: LangOpt = None,
) -> None:
    """Show which actions of each plan serve each national 重点取組事項.

    One row per national item (of the versions the plans declare), one column per plan; a cell lists the actions whose serves names the item. A plan whose actions serve no item is shown as unclassified.

    A PATH may also be an open-data package, as for compare.
    """
    from dxplan.compare.crosswalk import crosswalk as build

    lg = resolve_lang(lang)
    check_jobs(jobs, lg)
    figures, code = _figures(plan_paths(paths), lg, as_of, jobs, quiet)
    echo_output(run_writer(CROSSWALK, format, build(figures), lg, console_when_asked()))
    raise typer.Exit(code)


def _figures(paths: "list[Path]", lang: str, as_of: Optional[str], jobs: Optional[int], quiet: bool) -> "tuple[list[PlanFigures], int]":
    """Each plan's figures (loaded and computed by worker processes, in the plans' order) and the exit code
    (1 when a plan.yaml did not load). When the paths are open-data packages: their figures, from DuckDB."""
    from dxplan.compare.package import package_descriptor

    packages = [d for d in map(package_descriptor, paths) if d is not None]
    if packages:
        return _package_figures(packages, len(packages) == len(paths), lang, as_of, jobs), EXIT_OK
    code = EXIT_OK
    out = []
    stream = PlanStream(paths, lang, as_of)
    with progress(lang, N_("comparing plans"), total=len(stream), quiet=quiet) as step:
        for outcome in stream.map(_figures_of, jobs=jobs, cached=True):  # an unchanged plan's figures from the results cache
            step()
            code = max(code, EXIT_PROBLEMS if outcome.failed else EXIT_OK)
            if outcome.value is not None:
                out.append(outcome.value)
    return out, code


def _package_figures(packages: "list[Path]", only: bool, lang: str, as_of: Optional[str], jobs: Optional[int]) -> "list[PlanFigures]":
    """The figures of every plan of ``packages`` (their ``datapackage.json``), in the given order. Exits 2 when
    ``only`` is false (plan folders given too) or with ``--as-of`` (a package holds the plans as published), 1
    without duckdb."""
    from dxplan.compare.package import DUCKDB_REQUIREMENT, package_figures

    if not only:
        fail(t(lang, "give either open-data packages or plan folders, not both: publish the folders into a package (dxplan publish) or compare them apart"))
    if as_of is not None:
        fail(t(lang, "--as-of reads plan folders at a git commit; a package holds its plans as they were published"))
    try:
        import duckdb  # noqa: F401  (checked before anything is read)
    except ImportError:
        fail(t(lang, "comparing an open-data package reads its Parquet files with DuckDB, which is not installed: install dxplan as dxplan[opendata] (pip install '{requirement}')",
               requirement=DUCKDB_REQUIREMENT), EXIT_PROBLEMS)
    return [f for d in packages for f in package_figures(d, jobs)]


def _figures_of(lp: "LoadedPlan") -> "PlanFigures":
    """:class:`dxplan.compare.figures.PlanFigures` of one loaded plan (run in a worker)."""
    from dxplan.compare.figures import plan_figures

    assert lp.plan is not None, "map_plans calls this for a plan that loaded only"
    return plan_figures(lp.plan, [la.action for la in lp.actions], lp.index)
