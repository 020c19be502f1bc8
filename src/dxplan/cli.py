"""The ``dxplan`` command: a thin typer layer over load → rules/score/aggregate → views/render.

Exit codes (every command): 0 success / clean; 1 problems found (lint errors,
files that did not load, ``fmt --check`` would change files, a template error);
2 usage error (bad option, a path that is not a plan, an unknown fiscal year or
action id, git revision not available).
"""

from __future__ import annotations

import json
import os
import shutil
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console

from . import __version__
from .aggregate import compare_snapshot, overview, tables_by_year
from .fiscal import FiscalYearError, parse_fiscal_year
from .formatters import render as render_problems
from .lint import lint_paths
from .load import LoadedPlan, PlanNotFound, discover, load_plan
from .problems import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, default_lang
from .score import score_plan
from . import terminal, views

app = typer.Typer(
    name="dxplan",
    help="自治体DX計画（YAML）の検査・進捗集計・達成率評価・差分・報告書。\n\n"
    "Municipal DX plans kept as YAML: lint, status counts, scoring, review diffs and reports.\n\n"
    "Exit codes: 0 ok, 1 problems found, 2 usage error.",
    no_args_is_help=True,
    rich_markup_mode="rich",
    context_settings={"help_option_names": ["-h", "--help"]},
)


class Lang(str, Enum):
    ja = "ja"
    en = "en"


LangOpt = Annotated[Optional[Lang], typer.Option("--lang", help="メッセージの言語 / message language (default: DXPLAN_LANG or ja)")]
PathsArg = Annotated[list[Path], typer.Argument(help="計画フォルダ、計画フォルダを含むフォルダ (plans)、または計画内のファイル / plan folders, a folder of plans, or files in a plan")]


def _lang(lang: Lang | None) -> str:
    return lang.value if lang else default_lang()


def _console() -> Console:
    width = shutil.get_terminal_size((120, 24)).columns
    return Console(highlight=False, soft_wrap=True, width=max(width, 100))


def _fail(message: str, code: int = EXIT_USAGE) -> None:
    typer.echo(f"dxplan: {message}", err=True)
    raise typer.Exit(code)


AsOfOpt = Annotated[Optional[str], typer.Option("--as-of", "--rev", help="この日付 (YYYY-MM-DD) 以前の最後のコミットまたは版の時点 / the plans as of the last commit on or before DATE, or at REV")]


def _load_all(paths: list[Path], lang: str, as_of: str | None = None) -> list[LoadedPlan]:
    """Load the plans named by ``paths`` (as of a date or revision from git); report files that did not load on stderr."""
    if as_of is not None:
        from .cli_office import plans_as_of

        return plans_as_of(paths, as_of, lang)
    try:
        found = discover(paths)
    except PlanNotFound as exc:
        _fail(str(exc))
    plans = []
    for root, _ in found:
        loaded = load_plan(root, positions=False)
        errors = [p for p in loaded.problems if p.severity == "error"]
        if errors:
            msg = (
                f"{len(errors)} problem(s) in {root}; files with errors are left out — run `dxplan lint {root}`"
                if lang == "en"
                else f"{root} に {len(errors)} 件のエラーがあり、該当ファイルを除いて集計します。`dxplan lint {root}` で確認してください"
            )
            typer.echo(f"dxplan: {msg}", err=True)
        plans.append(loaded)
    return plans


def _exit_for(plans: list[LoadedPlan]) -> int:
    return EXIT_PROBLEMS if any(p.severity == "error" for lp in plans for p in lp.problems) or any(lp.plan is None for lp in plans) else EXIT_OK


def _years(value: str | None, loaded: LoadedPlan) -> list[int] | None:
    if value is None:
        return None
    try:
        fy = parse_fiscal_year(value)
    except FiscalYearError as exc:
        _fail(str(exc))
    plan = loaded.plan
    if not plan.period_start <= fy <= plan.period_end:
        _fail(f"{value}: outside the plan period of {plan.id} ({plan.period_start}–{plan.period_end})")
    return [fy]


@app.callback(invoke_without_command=True)
def _root(version: Annotated[bool, typer.Option("--version", help="版を表示 / show the version")] = False) -> None:
    if version:
        typer.echo(f"dxplan {__version__}")
        raise typer.Exit(0)


class LintFormat(str, Enum):
    text = "text"
    json = "json"
    github = "github"
    sarif = "sarif"


@app.command()
def lint(
    paths: PathsArg,
    format: Annotated[Optional[LintFormat], typer.Option("--format", "-f", help="text | json | github (annotations; default when GITHUB_ACTIONS=true) | sarif")] = None,
    strict: Annotated[bool, typer.Option("--strict", help="警告もエラーとして扱う / treat warnings as errors")] = False,
    base: Annotated[Optional[str], typer.Option("--base", help="この版から目標・基準値・期限・評価基準が理由なく変わっていないか検査 / fail on goalpost changes since REV without a recorded reason")] = None,
    changed_since: Annotated[Optional[str], typer.Option("--changed-since", help="REV 以降に変更されたファイルだけ検査 / lint only files changed since REV")] = None,
    lang: LangOpt = None,
) -> None:
    """計画ファイルを検査する / Validate plan files: file:line:column: severity rule-id message.

    Exit 0 when there are no errors (warnings alone exit 0 unless --strict), 1 when
    there are errors, 2 on a usage error.
    """
    lg = _lang(lang)
    fmt = format.value if format else ("github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text")
    only = None
    if changed_since is not None:
        from .gitio import GitError, changed_files

        try:
            only = changed_files(changed_since, paths)
        except GitError as exc:
            _fail(exc.message(lg))
    try:
        result = lint_paths(paths, strict=strict, only_files=only)
    except PlanNotFound as exc:
        _fail(str(exc))
    if base is not None:
        from .gitio import GitError
        from .review import goalpost_problems

        try:
            extra = goalpost_problems(base, result.plans)
        except GitError as exc:
            _fail(exc.message(lg))
        if strict:
            extra = [p.with_severity("error") for p in extra]
        result.problems = sorted(result.problems + extra, key=lambda p: (str(p.path), p.line, p.column, p.rule))
    out = render_problems(fmt, result, lg)
    if out:
        typer.echo(out)
    raise typer.Exit(EXIT_PROBLEMS if result.errors else EXIT_OK)


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
    lg = _lang(lang)
    plans = [lp for lp in _load_all(paths, lg, as_of) if lp.plan is not None]
    results = []
    for lp in plans:
        actions = [la.action for la in lp.actions]
        tables = tables_by_year(lp.plan, actions, _years(year, lp), by.value if by else None)
        checks = {t.fiscal_year: compare_snapshot(lp.plan, t) for t in tables}
        results.append((lp, actions, tables, checks))
    if format is StatusFormat.json:
        data = [views.status_dict(lp.plan, tables, checks) for lp, _, tables, checks in results]
        if len(data) > 1:
            combined = [views.overview_dict(overview(lp.plan, actions)) for lp, actions, _, _ in results]
            typer.echo(json.dumps({"plans": data, "combined": combined}, ensure_ascii=False, indent=2))
        else:
            typer.echo(json.dumps(data[0] if data else {}, ensure_ascii=False, indent=2))
    elif format is StatusFormat.markdown:
        from .render import render_status_markdown

        typer.echo(render_status_markdown([(lp.plan, tables, checks) for lp, _, tables, checks in results], lg))
    else:
        console = _console()
        for lp, actions, tables, checks in results:
            terminal.print_status(console, lp.plan, tables, checks, lg)
            console.print()
        if len(results) > 1:
            terminal.print_overview(console, [overview(lp.plan, actions) for lp, actions, _, _ in results], lg)
    raise typer.Exit(_exit_for(plans))


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
    lg = _lang(lang)
    plans = [lp for lp in _load_all(paths, lg, as_of) if lp.plan is not None]
    out = []
    console = _console()
    for lp in plans:
        actions = [la.action for la in lp.actions]
        if action is not None:
            actions = [a for a in actions if a.id == action or a.id.lstrip("0") == action.lstrip("0")]
            if not actions:
                if len(plans) == 1:
                    _fail(f"{lp.plan.id}: no action {action}")
                continue
        scores = score_plan(lp.plan, actions)
        if format is ScoreFormat.json:
            out.append({"plan": lp.plan.id, "municipality": lp.plan.municipality, "actions": [views.score_dict(s, lg) for s in scores]})
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
    raise typer.Exit(_exit_for(plans))


# Commands kept in their own modules register themselves on ``app``.
from . import cli_report, cli_review  # noqa: E402,F401
from . import cli_office  # noqa: E402,F401  (export, import, history)


def main() -> None:
    """Console-script entry point."""
    try:
        app()
    except KeyboardInterrupt:  # pragma: no cover
        sys.exit(130)


if __name__ == "__main__":  # pragma: no cover
    main()
