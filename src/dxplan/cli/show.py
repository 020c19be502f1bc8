"""``dxplan status`` and ``dxplan score``: counts per state and achievement rates, in the terminal, JSON or Markdown."""

from __future__ import annotations

import json
from enum import Enum
from typing import Annotated, Optional

import typer

from .common import AsOfOpt, LangOpt, PathsArg, app, exit_for, fail, load_all, make_console, parse_years, resolve_lang


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
    plans = [lp for lp in load_all(paths, lg, as_of) if lp.plan is not None]
    results = [
        status_result(lp.plan, [la.action for la in lp.actions], parse_years(year, lp), by.value if by else None, lp.index)
        for lp in plans
    ]
    if format is StatusFormat.json:
        data = [jsonout.status_dict(r, lg) for r in results]
        if len(data) > 1:
            combined = [jsonout.overview_dict(r.overview, lg) for r in results]
            typer.echo(json.dumps({"plans": data, "combined": combined}, ensure_ascii=False, indent=2))
        else:
            typer.echo(json.dumps(data[0] if data else {}, ensure_ascii=False, indent=2))
    elif format is StatusFormat.markdown:
        from ..report import status_markdown

        typer.echo(status_markdown(results, lg))
    else:
        console = make_console()
        for r in results:
            terminal.print_status(console, r, lg)
            console.print()
        if len(results) > 1:
            terminal.print_overview(console, [r.overview for r in results], lg)
    raise typer.Exit(exit_for(plans))


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
    plans = [lp for lp in load_all(paths, lg, as_of) if lp.plan is not None]
    out = []
    console = make_console()
    for lp in plans:
        actions = [la.action for la in lp.actions]
        if action is not None:
            found = lp.find_action(action)
            if found is None:
                if len(plans) == 1:
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
    raise typer.Exit(exit_for(plans))
