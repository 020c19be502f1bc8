"""``dxplan site``: the plans as a static public site (logic in :mod:`dxplan.site`).

Exit codes: 0 written; 1 a plan has lint errors or did not load, a template error, or the site could not be written
(nothing written); 2 usage (no ``-o``, an output folder holding other files).
"""


import datetime as dt
from pathlib import Path
from typing import Annotated, Optional

import typer

from dxplan.i18n import N_, t
from dxplan.problems import EXIT_OK, EXIT_PROBLEMS
from .progress import QuietOpt, progress
from .common import help_text, command, LangOpt, PathsArg, fail, resolve_lang, say


@command()
def site(
    paths: PathsArg = None,
    output: Annotated[Optional[Path], typer.Option("--output", "-o", metavar="DIR", help=help_text("the folder to write the site into (new, empty, or a previous site)"))] = None,
    data: Annotated[bool, typer.Option("--data/--no-data", help=help_text("include the open-data package in opendata/ (default)"))] = True,
    history: Annotated[bool, typer.Option("--history/--no-history", help=help_text("show the status over time from the plan's git history, where it has some (default)"))] = True,
    templates: Annotated[Optional[Path], typer.Option("--templates", metavar="DIR", help=help_text("folder whose templates override the defaults by name"))] = None,
    quiet: QuietOpt = False,
    lang: LangOpt = None,
) -> None:
    """Write the plans as a static public site: a top page per plan, a page per action, category and department, search and the open data.

    Self-contained: no server and no request outside the folder; it works from file:// and on GitHub Pages. Each plan's top page shows its progress per fiscal year, the labels of its actions and what changed since the last evaluation (git history); each action's page its targets, indicators with a chart, tasks and their status per year, its history and departments; category and department pages filter their actions by status and year; the search page finds actions by their words (MiniSearch). opendata/ holds the open-data package (as dxplan publish; CSV only when pyarrow is not installed). Japanese by default, English with --lang en. A plan with lint errors is not published (exit 1, the problems listed); nothing is left in DIR on failure.
    """
    lg = resolve_lang(lang)
    if output is None:
        fail(t(lg, "site: name the output folder with -o DIR"))
    if templates is not None and not templates.is_dir():
        fail(t(lg, "{templates}: no such template folder", templates=templates))
    from dxplan.files.load import load_plan
    from dxplan.report.figures import report_figures
    from dxplan.report.history_figures import report_history
    from dxplan.score.actions import score_plan
    from dxplan.site.write import SitePlan, site_files, write_site

    from .publish import linted_roots

    roots = linted_roots(paths, lg, quiet, N_("no site was written: {n} error(s) in the plans; fix them (dxplan lint) and run dxplan site again"))
    today = dt.date.today()
    plans = []
    for root in roots:
        lp = load_plan(root, positions=False)
        if lp.plan is None:  # lint reported it; a plan that does not load never gets here
            raise typer.Exit(EXIT_PROBLEMS)
        with progress(lg, N_("writing the site of {plan}"), quiet=quiet, plan=lp.plan.id):
            scores = score_plan(lp.plan, [la.action for la in lp.actions], lp.index)
            figures = report_figures(lp, scores, [], generated=today)  # lint found no error; the site shows no finding
            plans.append(SitePlan(figures, report_history(lp.root) if history else None))
    files = site_files(plans, lg, generated=today, data=_data(roots, lg, history) if data else None, templates=templates)
    try:
        written = write_site(output, files)
    except OSError as exc:
        fail(t(lg, "{target}: cannot write ({error})", target=output, error=exc.strerror or exc), EXIT_PROBLEMS)
    total = sum(size for _, size in written)
    say(t(lg, "wrote {n} files ({size} bytes) into {folder}", n=len(written), size=f"{total:,}", folder=output))
    typer.echo(str(output / "index.html"))
    raise typer.Exit(EXIT_OK)


def _data(roots: list[Path], lang: str, history: bool) -> dict[str, bytes]:
    """The open-data package's files (``dxplan publish``'s): CSV and Parquet, or CSV alone (with a note) without pyarrow."""
    from dxplan.opendata.write import FORMATS, PYARROW_REQUIREMENT, package_files
    from .publish import has_pyarrow, package_parts

    if has_pyarrow():  # found, not imported: see dxplan publish
        try:
            return package_files(package_parts(roots, lang, history), formats=FORMATS)
        except ImportError:
            pass
    say(t(lang, "pyarrow is not installed: the site's open data is CSV only (install dxplan as dxplan[opendata], pip install '{requirement}', for Parquet too)",
          requirement=PYARROW_REQUIREMENT))
    return package_files(package_parts(roots, lang, history), formats=("csv",))
