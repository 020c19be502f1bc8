"""``dxplan status`` and ``dxplan score``: counts per state and achievement rates, in the terminal, JSON or Markdown."""

from __future__ import annotations

import json
from enum import Enum
from typing import Annotated, Optional

import typer

from ..problems import EXIT_OK
from .common import AsOfOpt, LangOpt, PathsArg, PlanStream, app, exit_for, fail, make_console, parse_years, resolve_lang


class StatusFormat(str, Enum):
    table = "table"
    json = "json"
    markdown = "markdown"


class By(str, Enum):
    category = "category"
    department = "department"
    action = "action"


@app.command()
def status(
    paths: PathsArg,
    year: Annotated[Optional[str], typer.Option("--year", "-y", help="年度: 2024, R6, 令和6年度 / fiscal year")] = None,
    by: Annotated[Optional[By], typer.Option("--by", help="category | department | action")] = None,
    format: Annotated[StatusFormat, typer.Option("--format", "-f", help="table | json | markdown")] = StatusFormat.table,
    as_of: AsOfOpt = None,
    lang: LangOpt = None,
) -> None:
    """進捗状況を年度ごとに集計する / Count task rows per state and fiscal year.

    Shares are of the rows that carry a status; rows without one are shown apart.
    With several plans, one block per plan and a combined view.
    """
    from .. import jsonout, terminal
    from ..aggregate import status_result

    lg = resolve_lang(lang)
    by_value = by.value if by else None
    code = EXIT_OK
    results = []  # kept whole only for json and markdown; the table keeps each plan's overview line
    console = make_console() if format is StatusFormat.table else None
    for lp in PlanStream(paths, lg, as_of):  # one plan in memory at a time
        if lp.plan is None:
            continue
        code = max(code, exit_for([lp]))
        r = status_result(lp.plan, [la.action for la in lp.actions], parse_years(year, lp), by_value, lp.index)
        if console is not None:
            terminal.print_status(console, r, lg)
            console.print()
            results.append(r.overview)
        elif format is StatusFormat.json:
            results.append((jsonout.status_dict(r, lg), jsonout.overview_dict(r.overview, lg)))
        else:
            results.append(r)
    if format is StatusFormat.json:
        if len(results) > 1:
            typer.echo(json.dumps({"plans": [d for d, _ in results], "combined": [o for _, o in results]}, ensure_ascii=False, indent=2))
        else:
            typer.echo(json.dumps(results[0][0] if results else {}, ensure_ascii=False, indent=2))
    elif format is StatusFormat.markdown:
        from ..report import status_markdown

        typer.echo(status_markdown(results, lg))
    elif len(results) > 1:
        terminal.print_overview(console, results, lg)
    raise typer.Exit(code)


class ScoreFormat(str, Enum):
    text = "text"
    json = "json"


@app.command()
def score(
    paths: PathsArg,
    action: Annotated[Optional[str], typer.Option("--action", "-a", help="アクション番号 / action id")] = None,
    explain: Annotated[bool, typer.Option("--explain", "-e", help="計算の根拠を表示 / show inputs, formula and label")] = False,
    format: Annotated[ScoreFormat, typer.Option("--format", "-f", help="text | json")] = ScoreFormat.text,
    as_of: AsOfOpt = None,
    lang: LangOpt = None,
) -> None:
    """達成率と評価を算定する / Apply the plan's evaluation rules to every action.

    Shows each action's deciding rate (target, summary evaluation or task
    average), its label from the plan's scale, and the reference rates.
    """
    from .. import jsonout, terminal
    from ..score import score_plan

    lg = resolve_lang(lang)
    stream = PlanStream(paths, lg, as_of)
    code = EXIT_OK
    out = []
    console = make_console()
    for lp in stream:  # one plan in memory at a time
        if lp.plan is None:
            continue
        code = max(code, exit_for([lp]))
        actions = [la.action for la in lp.actions]
        if action is not None:
            found = lp.find_action(action)
            if found is None:
                if len(stream) == 1:
                    fail(f"{lp.plan.id}: no action {action}")
                continue
            actions = [found.action]
        scores = score_plan(lp.plan, actions, lp.index)
        if format is ScoreFormat.json:
            out.append({"plan": lp.plan.id, "municipality": lp.plan.municipality, "actions": [jsonout.score_dict(s, lg) for s in scores]})
        elif explain:
            terminal.plan_heading(console, lp.plan, lg)
            for s in scores:
                terminal.print_explain(console, lp.plan, s, lg)
                console.print()
        else:
            terminal.print_scores(console, lp.plan, scores, lg)
            console.print()
    if format is ScoreFormat.json:
        typer.echo(json.dumps(out[0] if len(out) == 1 else out, ensure_ascii=False, indent=2))
    raise typer.Exit(code)
