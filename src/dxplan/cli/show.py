"""``dxplan status`` and ``dxplan score``: counts per state and achievement rates, in the terminal, JSON or Markdown."""


import json
from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from dxplan.i18n import UserError, t
from dxplan.problems import EXIT_OK, EXIT_PROBLEMS
from .common import (
    help_text, AsOfOpt, JobsOpt, LangOpt, PathsArg, PlanStream, app, exit_for, fail, load_all, make_console, outside_period, parse_year,
    parse_years, resolve_lang, check_jobs,
)

if TYPE_CHECKING:  # imported where used: the models are not needed for --help
    from dxplan.status.counts import GradeTable, StatusResult
    from dxplan.files.load import LoadedPlan
    from dxplan.model.schema import Plan
    from dxplan.score.actions import ActionScore


class StatusFormat(str, Enum):
    table = "table"
    json = "json"
    markdown = "markdown"


class By(str, Enum):
    category = "category"
    department = "department"
    action = "action"
    indicator = "indicator"


@app.command(help=help_text("Count task rows per state and fiscal year.\n\nShares are of the rows that carry a status; rows without one are shown apart. With several plans, one block per plan and a combined view. Grades (a plan with a grade scale) and effect sums (a plan with effects) follow. --by indicator lists every indicator's target, actual and rate for one fiscal year (--year, default the plan's current year)."), short_help=help_text("Count task rows per state and fiscal year."))
def status(
    paths: PathsArg,
    year: Annotated[Optional[str], typer.Option("--year", "-y", metavar="FY", help=help_text("fiscal year: 2024, R6 or 令和6年度"))] = None,
    by: Annotated[Optional[By], typer.Option("--by", help="category | department | action | indicator")] = None,
    format: Annotated[StatusFormat, typer.Option("--format", "-f", help="table | json | markdown")] = StatusFormat.table,
    as_of: AsOfOpt = None,
    jobs: JobsOpt = None,
    lang: LangOpt = None,
) -> None:
    """Count task rows per state and fiscal year.

    Shares are of the rows that carry a status; rows without one are shown apart.
    With several plans, one block per plan and a combined view. Grades (a plan with a
    grade scale) and effect sums (a plan with effects) follow. ``--by indicator``
    lists every indicator's target, actual and rate for one fiscal year (--year, default
    the plan's current year).
    """
    from dxplan.output import jsonout, terminal

    lg = resolve_lang(lang)
    check_jobs(jobs, lg)
    if by is By.indicator:
        plans = [lp for lp in load_all(paths, lg, as_of) if lp.plan is not None]
        _status_by_indicator(plans, year, format, lg)
        raise typer.Exit(exit_for(plans))
    code = EXIT_OK
    results = []
    fy = parse_year(year)
    # plans loaded and counted by worker processes, one at a time each: only their (small) results come back
    for outcome in PlanStream(paths, lg, as_of).map(_status_of, year, fy, by.value if by else None, jobs=jobs):
        code = max(code, EXIT_PROBLEMS if outcome.failed else EXIT_OK)  # 1 also when a plan.yaml did not load
        if isinstance(outcome.value, UserError):  # the year is outside this plan's period
            raise outcome.value
        if outcome.value is not None:
            results.append(outcome.value)
    if format is StatusFormat.json:
        data = [jsonout.status_dict(r, lg) for r in results]
        if len(data) > 1:
            combined = [jsonout.overview_dict(r.overview, lg) for r in results]
            typer.echo(json.dumps({"plans": data, "combined": combined}, ensure_ascii=False, indent=2))
        else:
            typer.echo(json.dumps(data[0] if data else {}, ensure_ascii=False, indent=2))
    elif format is StatusFormat.markdown:
        from dxplan.report.views import status_markdown

        typer.echo(status_markdown(results, lg))
    else:
        console = make_console()
        for r in results:
            terminal.print_status(console, r, lg)
            console.print()
        if len(results) > 1:
            terminal.print_overview(console, [r.overview for r in results], lg)
    raise typer.Exit(code)


def _status_of(lp: "LoadedPlan", year: Optional[str], fy: Optional[int], by: Optional[str]) -> "StatusResult | UserError":
    """What ``status`` shows for one loaded plan (run in a worker): its :class:`dxplan.status.counts.StatusResult`
    for fiscal year ``fy`` (None: every year) grouped ``by``, or the usage error to raise when ``fy`` is outside
    its period (:func:`dxplan.cli.common.outside_period`)."""
    from dxplan.status.counts import status_result

    outside = outside_period(year, fy, lp)
    if outside is not None:
        return outside
    return status_result(lp.plan, [la.action for la in lp.actions], [fy] if fy is not None else None, by, lp.index)


def _status_by_indicator(plans, year: str | None, format: StatusFormat, lang: str) -> None:
    from dxplan.output import jsonout, terminal
    from dxplan.status.counts import FOCUS_ASKED, FocusYear, focus_year
    from dxplan.score.indicators import indicator_progress

    if format is StatusFormat.markdown:
        fail(t(lang, "--by indicator: use --format table or json"))
    data = []
    console = make_console()
    for lp in plans:
        years = parse_years(year, lp)
        actions = [la.action for la in lp.actions]
        focus = FocusYear(years[0], FOCUS_ASKED) if years else focus_year(lp.plan, actions)
        rows = indicator_progress(lp.plan, actions, focus.fiscal_year)
        if format is StatusFormat.json:
            data.append(jsonout.indicator_rows_dict(lp.plan, focus.fiscal_year, rows, lang) | {"year_chosen_by": focus.reason})
        else:
            terminal.print_indicators(console, lp.plan, focus.fiscal_year, rows, lang, focus)
            console.print()
    if format is StatusFormat.json:
        typer.echo(json.dumps(data[0] if len(data) == 1 else data, ensure_ascii=False, indent=2))


class ScoreFormat(str, Enum):
    text = "text"
    json = "json"


@app.command(help=help_text("Apply the plan's evaluation rules to every action.\n\nShows each action's deciding rate (target, summary evaluation or task average), its label from the plan's scale, and the reference rates."), short_help=help_text("Apply the plan's evaluation rules to every action."))
def score(
    paths: PathsArg,
    action: Annotated[Optional[str], typer.Option("--action", "-a", metavar="ID", help=help_text("action id"))] = None,
    explain: Annotated[bool, typer.Option("--explain", "-e", help=help_text("show inputs, formula and label"))] = False,
    format: Annotated[ScoreFormat, typer.Option("--format", "-f", help="text | json")] = ScoreFormat.text,
    as_of: AsOfOpt = None,
    jobs: JobsOpt = None,
    lang: LangOpt = None,
) -> None:
    """Apply the plan's evaluation rules to every action.

    Shows each action's deciding rate (target, summary evaluation or task average), its label from the plan's scale, and the reference rates.
    """
    from dxplan.output import jsonout, terminal

    lg = resolve_lang(lang)
    check_jobs(jobs, lg)
    code = EXIT_OK
    plans = 0  # plans whose plan.yaml loaded
    missing: str | None = None  # the plan lacking --action, when it is the only plan
    out = []
    console = make_console()
    # plans loaded and scored by worker processes; printed here, in the plans' order, as they come
    for outcome in PlanStream(paths, lg, as_of).map(_scores_of, action, jobs=jobs):
        code = max(code, EXIT_PROBLEMS if outcome.failed else EXIT_OK)  # 1 also when a plan.yaml did not load
        if outcome.value is None:
            continue
        plans += 1
        plan, scores, grades = outcome.value.plan, outcome.value.scores, outcome.value.grades
        if outcome.value.missing:
            missing = plan.id
            continue
        if format is ScoreFormat.json:
            entry = {"plan": plan.id, "municipality": plan.municipality, "actions": [jsonout.score_dict(s, lg) for s in scores]}
            if plan.grade_scale is not None:  # the grade split per year, as `status` gives it
                entry["grades"] = [jsonout.grade_table_dict(g, plan, lg) for g in grades]
            out.append(entry)
        elif explain:
            terminal.plan_heading(console, plan, lg)
            for s in scores:
                terminal.print_explain(console, plan, s, lg)
                console.print()
        else:
            terminal.print_scores(console, plan, scores, lg)
            for g in grades:
                terminal.print_grades(console, plan, g, lg)
            console.print()
    if plans == 1 and missing is not None:  # nothing was printed for it: the same usage error as before streaming
        fail(t(lg, "{plan}: no action {id}", plan=missing, id=action))
    if format is ScoreFormat.json:
        typer.echo(json.dumps(out[0] if len(out) == 1 else out, ensure_ascii=False, indent=2))
    raise typer.Exit(code)


@dataclass
class PlanScores:
    """What ``score`` prints for one plan: its scores (of ``--action`` only, when given), the grade
    split per fiscal year (a plan with a grade scale; else none), and whether ``--action`` is missing from it."""

    plan: "Plan"
    scores: "list[ActionScore]"
    grades: "list[GradeTable]"
    missing: bool = False


def _scores_of(lp: "LoadedPlan", action: Optional[str]) -> PlanScores:
    """:class:`PlanScores` of one loaded plan (run in a worker); ``action``: one action id, or None for all."""
    from dxplan.status.counts import grade_table
    from dxplan.score.actions import score_plan

    actions = [la.action for la in lp.actions]
    if action is not None:
        found = lp.find_action(action)
        if found is None:
            return PlanScores(lp.plan, [], [], missing=True)
        actions = [found.action]
    grades = [grade_table(lp.plan, actions, fy, index=lp.index) for fy in lp.plan.fiscal_years] if lp.plan.grade_scale else []
    return PlanScores(lp.plan, score_plan(lp.plan, actions, lp.index), grades)
