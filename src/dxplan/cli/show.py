"""``dxplan status`` and ``dxplan score``: counts per state and achievement rates, in the terminal, JSON or Markdown."""


import itertools
from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING, Annotated, Any, Optional

import typer

from dxplan.i18n import N_, UserError, t
from dxplan.output.formats import SCORE
from dxplan.problems import EXIT_OK, EXIT_PROBLEMS
from dxplan.report.formats import STATUS, STATUS_BY_INDICATOR
from .progress import QuietOpt, progress, shown
from .common import (
    help_text, command, AsOfOpt, JobsOpt, LangOpt, PathsArg, PlanStream, console_when_asked, echo_output, exit_for,
    fail, format_option, load_all, outside_period, parse_year, plan_paths, parse_years, resolve_lang, run_writer, check_jobs,
)
from .rendered import console_settings, print_captured, render_captured

if TYPE_CHECKING:  # imported where used: the models are not needed for --help
    from collections.abc import Callable, Iterable, Iterator

    from dxplan.status.counts import PlanIndicators, PlanOverview, PlanScores, StatusResult
    from dxplan.files.load import LoadedPlan
    from .rendered import ConsoleSettings


class By(str, Enum):
    category = "category"
    department = "department"
    action = "action"
    indicator = "indicator"


@command()
def status(
    paths: PathsArg = None,
    year: Annotated[Optional[str], typer.Option("--year", "-y", metavar="FY", help=help_text("fiscal year: 2024, R6 or 令和6年度"))] = None,
    by: Annotated[Optional[By], typer.Option("--by", help="category | department | action | indicator")] = None,
    format: format_option(STATUS) = STATUS.default,
    as_of: AsOfOpt = None,
    jobs: JobsOpt = None,
    quiet: QuietOpt = False,
    lang: LangOpt = None,
) -> None:
    """Count task rows per state and fiscal year.

    Shares are of the rows that carry a status; rows without one are shown apart. With several plans, one block per plan and a combined view. Grades (a plan with a grade scale) and effect sums (a plan with effects) follow. --by indicator lists every indicator's target, actual and rate for one fiscal year (--year, default the plan's current year).
    """
    lg = resolve_lang(lang)
    check_jobs(jobs, lg)
    paths = plan_paths(paths)
    if by is By.indicator:
        every = load_all(paths, lg, as_of)
        plans = [lp for lp in every if lp.plan is not None]
        if format not in STATUS_BY_INDICATOR:
            fail(t(lg, "--by indicator: use --format table or json"))
        echo_output(run_writer(STATUS_BY_INDICATOR, format, _indicators_of(plans, year, lg), lg, console_when_asked()))
        raise typer.Exit(exit_for(every))  # 1 also when a plan.yaml did not load
    failed: list[bool] = []  # one entry per plan whose plan.yaml did not load: exit 1
    fy = parse_year(year)
    # plans loaded and counted by worker processes, one at a time each: only their (small) results come back,
    # and an unchanged plan's from the results cache without loading it
    stream = PlanStream(paths, lg, as_of)
    args = (year, fy, by.value if by else None)
    if format == "table":  # each plan rendered by a worker (and kept rendered in the cache), printed here
        console = console_when_asked()
        settings = console_settings(console())
        hold = shown(quiet) or fy is not None  # progress on the terminal, or a later plan may end the command with exit 2
        texts: list[str] = []
        overviews: list[PlanOverview] = []
        for shown_plan in _each_plan(stream, failed, lg, quiet, jobs, _status_table_of, *args, lg, settings):
            overviews.append(shown_plan.overview)
            if hold:
                texts.append(shown_plan.text)
            else:
                print_captured(console(), shown_plan.text)
        for text in texts:
            print_captured(console(), text)
        if len(overviews) > 1:
            from dxplan.output.terminal import print_overview

            print_overview(console(), overviews, lg)
        raise typer.Exit(EXIT_PROBLEMS if failed else EXIT_OK)
    if format == "json":  # each plan's JSON text made by a worker (and kept in the cache), joined here
        from dxplan.output.jsonout import status_document

        entries = list(_each_plan(stream, failed, lg, quiet, jobs, _status_json_of, *args, lg))
        echo_output(status_document(entries))
        raise typer.Exit(EXIT_PROBLEMS if failed else EXIT_OK)
    results = list(_each_plan(stream, failed, lg, quiet, jobs, _status_of, *args))
    echo_output(run_writer(STATUS, format, results, lg, console_when_asked()))
    raise typer.Exit(EXIT_PROBLEMS if failed else EXIT_OK)


@dataclass
class RenderedPlan:
    """One plan as a worker rendered it for the terminal writers: ``text`` as the console prints it; for
    ``status`` the plan's line in the combined view (``overview``), for ``score`` its id and whether
    ``--action`` names none of its actions (``missing``: nothing rendered)."""

    text: str
    overview: "PlanOverview | None" = None
    plan_id: str = ""
    missing: bool = False


def _status_table_of(
    lp: "LoadedPlan", year: Optional[str], fy: Optional[int], by: Optional[str], lang: str, settings: "ConsoleSettings",
) -> "RenderedPlan | UserError":
    """``status --format table`` of one loaded plan (run in a worker): its tables rendered as a console with
    ``settings`` prints them (:func:`dxplan.cli.rendered.render_captured`) and its line in the combined view;
    or the usage error of :func:`_status_of`."""
    from dxplan.output.terminal import write_status

    result = _status_of(lp, year, fy, by)
    if isinstance(result, UserError):
        return result
    text = render_captured(settings, lambda console: write_status([result], lang, lambda: console))
    return RenderedPlan(text, result.overview)


def _status_json_of(lp: "LoadedPlan", year: Optional[str], fy: Optional[int], by: Optional[str], lang: str) -> "tuple[str, dict] | UserError":
    """``status --format json`` of one loaded plan (run in a worker): its :func:`dxplan.output.jsonout.status_entry`,
    or the usage error of :func:`_status_of`."""
    from dxplan.output.jsonout import status_entry

    result = _status_of(lp, year, fy, by)
    return result if isinstance(result, UserError) else status_entry(result, lang)


def _status_of(lp: "LoadedPlan", year: Optional[str], fy: Optional[int], by: Optional[str]) -> "StatusResult | UserError":
    """What ``status`` shows for one loaded plan (run in a worker): its :class:`dxplan.status.counts.StatusResult`
    for fiscal year ``fy`` (None: every year) grouped ``by``, or the usage error to raise when ``fy`` is outside
    its period (:func:`dxplan.cli.common.outside_period`)."""
    from dxplan.status.counts import status_result

    assert lp.plan is not None, "map_plans calls this for a plan that loaded only"
    outside = outside_period(year, fy, lp)
    if outside is not None:
        return outside
    return status_result(lp.plan, [la.action for la in lp.actions], [fy] if fy is not None else None, by, lp.index)


def _each_plan(stream: PlanStream, failed: list[bool], lang: str, quiet: bool, jobs: Optional[int],
               fn: "Callable[..., Any]", *args: Any) -> "Iterator[Any]":
    """What ``fn`` gives for each plan of ``stream`` (computed by workers, or from the results cache), in order,
    with progress on stderr. A plan whose plan.yaml did not load gives nothing and is added to ``failed``; a
    fiscal year outside a plan's period (the :class:`UserError` a worker returns) ends the command (exit 2)."""
    with progress(lang, N_("counting plans"), total=len(stream), quiet=quiet) as step:
        for outcome in stream.map(fn, *args, jobs=jobs, cached=True):
            step()
            if outcome.failed:
                failed.append(True)
            if isinstance(outcome.value, UserError):
                raise outcome.value
            if outcome.value is not None:
                yield outcome.value


def _indicators_of(plans: "list[LoadedPlan]", year: Optional[str], lang: str) -> "Iterator[PlanIndicators]":
    """What ``status --by indicator`` shows, plan by plan as the writer asks for them: the fiscal year
    ``--year`` names (exit 2 when outside a plan's period), else the plan's focus year."""
    from dxplan.score.indicators import indicator_progress
    from dxplan.status.counts import FOCUS_ASKED, FocusYear, PlanIndicators, focus_year

    for lp in plans:
        plan = lp.plan
        assert plan is not None, "status --by indicator keeps the plans that loaded"
        years = parse_years(year, lp)
        actions = [la.action for la in lp.actions]
        focus = FocusYear(years[0], FOCUS_ASKED) if years else focus_year(plan, actions)
        yield PlanIndicators(plan, focus, indicator_progress(plan, actions, focus.fiscal_year))


@command()
def score(
    paths: PathsArg = None,
    action: Annotated[Optional[str], typer.Option("--action", "-a", metavar="ID", help=help_text("action id"))] = None,
    explain: Annotated[bool, typer.Option("--explain", "-e", help=help_text("show inputs, formula and label"))] = False,
    format: format_option(SCORE) = SCORE.default,
    as_of: AsOfOpt = None,
    jobs: JobsOpt = None,
    quiet: QuietOpt = False,
    lang: LangOpt = None,
) -> None:
    """Apply the plan's evaluation rules to every action.

    Shows each action's deciding rate (target, summary evaluation or task average), its label from the plan's scale, and the reference rates.
    """
    lg = resolve_lang(lang)
    check_jobs(jobs, lg)
    paths = plan_paths(paths)
    code = EXIT_OK
    loaded = 0  # plans whose plan.yaml loaded
    missing: str | None = None  # the plan lacking --action, left out of the output
    stream = PlanStream(paths, lg, as_of)
    text = format == "text"
    console = console_when_asked()
    # each plan rendered (text) or written as JSON by a worker (and kept so in the results cache), printed here
    fn, args = (_score_text_of, (action, explain, lg, console_settings(console()))) if text else (_score_json_of, (action, lg))

    def plans(step: "Callable[[], None]" = lambda: None) -> "Iterator[Any]":
        """Each plan's scores (rendered, for text), loaded and scored by worker processes or taken from the results
        cache, as the writer takes them (in the plans' order); ``step()`` after each plan."""
        nonlocal code, loaded, missing
        for outcome in stream.map(fn, *args, jobs=jobs, cached=True):
            step()
            code = max(code, EXIT_PROBLEMS if outcome.failed else EXIT_OK)  # 1 also when a plan.yaml did not load
            if outcome.value is None:
                continue
            loaded += 1
            if outcome.value.missing:
                missing = outcome.value.plan_id
                continue
            yield outcome.value

    scored: Iterable[Any] = plans()
    if shown(quiet):  # scored first, with progress on the terminal, then printed: the two do not mix
        with progress(lg, N_("scoring plans"), total=len(stream)) as step:
            scored = list(plans(step))
    if text:
        for rendered in scored:
            print_captured(console(), rendered.text)
        pieces: Iterator[str] = iter(())
    else:  # the JSON of SCORE's writer, from each plan's text: printed as the plans come, none held
        from dxplan.output.jsonout import score_document

        pieces = score_document(rendered.text for rendered in scored)
        first = next(pieces)  # two plans seen, or all: a usage error below prints nothing
        pieces = itertools.chain([first], pieces)
    if loaded == 1 and missing is not None:  # nothing was written for the only plan: a usage error
        fail(t(lg, "{plan}: no action {id}", plan=missing, id=action))
    for piece in pieces:
        echo_output(piece)
    raise typer.Exit(code)


def _score_json_of(lp: "LoadedPlan", action: Optional[str], lang: str) -> RenderedPlan:
    """``score --format json`` of one loaded plan (run in a worker): :func:`_scores_of` as its JSON text
    (:func:`dxplan.output.jsonout.score_entry`)."""
    from dxplan.output.jsonout import score_entry

    scores = _scores_of(lp, action)
    return RenderedPlan("" if scores.missing else score_entry(scores, lang), plan_id=scores.plan.id, missing=scores.missing)


def _score_text_of(lp: "LoadedPlan", action: Optional[str], explain: bool, lang: str, settings: "ConsoleSettings") -> RenderedPlan:
    """``score --format text`` of one loaded plan (run in a worker): :func:`_scores_of` rendered as a console with
    ``settings`` prints it (:func:`dxplan.cli.rendered.render_captured`)."""
    from dxplan.output.terminal import write_scores

    scores = _scores_of(lp, action)
    if scores.missing:
        return RenderedPlan("", plan_id=scores.plan.id, missing=True)
    text = render_captured(settings, lambda console: write_scores([scores], lang, lambda: console, explain=explain))
    return RenderedPlan(text, plan_id=scores.plan.id)


def _scores_of(lp: "LoadedPlan", action: Optional[str]) -> "PlanScores":
    """:class:`dxplan.status.counts.PlanScores` of one loaded plan (run in a worker); ``action``: one action id, or None for all."""
    from dxplan.status.counts import PlanScores, grade_table
    from dxplan.score.actions import score_plan

    plan = lp.plan
    assert plan is not None, "map_plans calls this for a plan that loaded only"
    actions = [la.action for la in lp.actions]
    if action is not None:
        found = lp.find_action(action)
        if found is None:
            return PlanScores(plan, [], [], missing=True)
        actions = [found.action]
    # grade_table gives None only for a plan without a grade scale
    grades = [g for fy in plan.fiscal_years if (g := grade_table(plan, actions, fy, index=lp.index)) is not None] if plan.grade_scale else []
    return PlanScores(plan, score_plan(plan, actions, lp.index), grades)
