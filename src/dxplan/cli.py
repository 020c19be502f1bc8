"""The ``dxplan`` command: a thin typer layer over load → rules/score/aggregate → jsonout/terminal/report.

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
from .aggregate import status_result
from .fiscal import FiscalYearError, parse_fiscal_year
from .formatters import render as render_problems
from .lint import lint_paths
from .load import LoadedPlan, load_plan
from .planfiles import PlanNotFound, discover
from .problems import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, default_lang
from .score import score_plan
from . import jsonout, terminal

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
    from .gitio import GitError, changed_files

    lg = _lang(lang)
    fmt = format.value if format else ("github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text")
    try:
        only = changed_files(changed_since, paths) if changed_since is not None else None
        result = lint_paths(paths, strict=strict, only_files=only, base=base)
    except GitError as exc:
        _fail(exc.message(lg))
    except PlanNotFound as exc:
        _fail(str(exc))
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
    results = [
        status_result(lp.plan, [la.action for la in lp.actions], _years(year, lp), by.value if by else None, lp.index)
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
        from .report import status_markdown

        typer.echo(status_markdown(results, lg))
    else:
        console = _console()
        for r in results:
            terminal.print_status(console, r, lg)
            console.print()
        if len(results) > 1:
            terminal.print_overview(console, [r.overview for r in results], lg)
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
            found = lp.find_action(action)
            if found is None:
                if len(plans) == 1:
                    _fail(f"{lp.plan.id}: no action {action}")
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
    raise typer.Exit(_exit_for(plans))


@app.command("rules")
def rules_command(
    rule_id: Annotated[Optional[str], typer.Argument(metavar="ID", help="規則のID（省略すると一覧） / a rule id (omit for the list)")] = None,
    lang: LangOpt = None,
) -> None:
    """検査規則の説明（何を・なぜ・直し方・例） / Lint rules: what each checks, why, how to fix, examples."""
    from .formatters.rule_help import rule_help, rules_index
    from .i18n import t
    from .rules import did_you_mean, load_rules

    lg = _lang(lang)
    rules = load_rules()
    if rule_id is None:
        typer.echo(rules_index(rules, lg), nl=False)
        return
    if rule_id not in rules:
        hint = did_you_mean(rule_id, rules)
        _fail(t(lg, "no lint rule '{id}'.{hint} `dxplan rules` lists them.", id=rule_id, hint=hint))
    typer.echo(rule_help(rules[rule_id], lg), nl=False)


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


# --------------------------------------------------------------------------- init / new
# (starting a plans repository; the logic is in dxplan.scaffold and dxplan.scaffold_action)


class Preset(str, Enum):
    kama = "kama"
    grades = "grades"


@app.command()
def init(
    folder: Annotated[Path, typer.Argument(help="新しい計画リポジトリのフォルダ / folder of the new plans repository")],
    municipality: Annotated[Optional[str], typer.Option("--municipality", "-m", help="自治体名 / municipality, e.g. 嘉麻市")] = None,
    prefecture: Annotated[Optional[str], typer.Option("--prefecture", help="都道府県 / prefecture")] = None,
    title: Annotated[Optional[str], typer.Option("--title", help="計画の名称 / plan title")] = None,
    plan_id: Annotated[Optional[str], typer.Option("--id", help="計画の id（既定: フォルダ名）/ plan id (default: the folder name)")] = None,
    period_start: Annotated[Optional[str], typer.Option("--period-start", help="初年度: 2024, R6, 令和6年度 / first fiscal year")] = None,
    period_end: Annotated[Optional[str], typer.Option("--period-end", help="最終年度 / last fiscal year")] = None,
    evaluation_date: Annotated[Optional[str], typer.Option("--evaluation-date", help="評価基準日 YYYY-MM-DD / evaluation date")] = None,
    category: Annotated[Optional[list[str]], typer.Option("--category", "-c", help="区分 ID=NAME（I-1 は I の下）/ category ID=NAME, repeatable")] = None,
    department: Annotated[Optional[list[str]], typer.Option("--department", "-d", help="担当課 / department, repeatable")] = None,
    statuses: Annotated[Optional[str], typer.Option("--statuses", help="進捗状況の語 4 つ（未着手,検討中,進捗中,完了の順）または WORD=STATE / status words")] = None,
    rating: Annotated[Optional[str], typer.Option("--rating", help="評価区分 LABEL=PERCENT,…（例 A=100,B=80,C=60,D）/ rating scale")] = None,
    preset: Annotated[Optional[Preset], typer.Option("--preset", help="kama（達成/ほぼ達成/…）| grades（A–D）")] = None,
    dxplan_repo: Annotated[Optional[str], typer.Option("--dxplan-repo", help="CI と pre-commit が入れる dxplan の git URL / dxplan git URL for CI")] = None,
    dxplan_rev: Annotated[Optional[str], typer.Option("--dxplan-rev", help="その tag または commit / its tag or commit")] = None,
    ask_: Annotated[Optional[bool], typer.Option("--ask/--no-ask", help="足りない項目を質問する（既定: 端末なら質問）/ ask for missing values (default: when stdin is a terminal)")] = None,
    force: Annotated[bool, typer.Option("--force", help="既存のファイルを上書きする / overwrite existing files")] = False,
    lang: LangOpt = None,
) -> None:
    """計画リポジトリを始める / Start a plans repository: plan.yaml, actions/, schemas, CI, README.

    Values not given are asked when stdin is a terminal, else written as （要記入）
    placeholders, listed at the end. Never overwrites a file without --force.
    Exit 0 written; 2 usage error or files exist.
    """
    from . import scaffold
    from .i18n import t

    lg = _lang(lang)
    try:
        spec = scaffold.PlanSpec(
            id=plan_id or folder.resolve().name, municipality=municipality, prefecture=prefecture, title=title,
            period_start=scaffold.fiscal_year_option(period_start), period_end=scaffold.fiscal_year_option(period_end),
            evaluation_date=scaffold.date_option(evaluation_date), categories=scaffold.parse_categories(category or []),
            departments=list(department or []), statuses=scaffold.parse_statuses(statuses) if statuses else [],
            rating_scale=scaffold.parse_rating(rating) if rating else [], preset=(preset or Preset.kama).value,
        )
        if ask_ if ask_ is not None else sys.stdin.isatty():
            options = {"municipality": municipality, "prefecture": prefecture, "title": title, "period_start": period_start, "period_end": period_end,
                       "evaluation_date": evaluation_date, "categories": category, "departments": department, "preset": preset}
            given = {name for name, value in options.items() if value}
            spec = scaffold.ask(spec, lambda q, d: typer.prompt(q, default=d, show_default=bool(d)), lg, given)
        result = scaffold.init_files(folder, spec, scaffold.installed_pin(dxplan_repo, dxplan_rev))
        written = scaffold.write_files(folder, result.files, force=force)
    except scaffold.ScaffoldError as exc:
        _fail(t(lg, exc.msgid, **exc.params))
    except scaffold.FilesExist as exc:
        _fail(t(lg, "{folder} already has {files}; nothing was written (--force overwrites them)", folder=str(folder), files=", ".join(exc.paths)))
    except OSError as exc:
        _fail(t(lg, "{path}: cannot write ({error})", path=str(exc.filename or folder), error=exc.strerror or str(exc)))
    for path in written:
        typer.echo(t(lg, "created {path}", path=str(path)))
    if result.to_edit:
        typer.echo(t(lg, "Still to fill in: {fields}", fields="; ".join(result.to_edit)))
    typer.echo(t(lg, "Next: dxplan new {folder} --title TITLE, then dxplan lint {folder}", folder=str(folder)))
    raise typer.Exit(EXIT_OK)


@app.command()
def new(
    path: Annotated[Path, typer.Argument(help="計画フォルダ / plan folder")] = Path("."),
    title: Annotated[Optional[str], typer.Option("--title", "-t", help="アクション名 / action title")] = None,
    category: Annotated[Optional[str], typer.Option("--category", "-c", help="区分の id・名称 / category id or name")] = None,
    department: Annotated[Optional[list[str]], typer.Option("--department", "-d", help="担い手（担当課）/ owning department, repeatable")] = None,
    lang: LangOpt = None,
) -> None:
    """次の番号のアクションファイルを作る / Create the next action file (lowest free id).

    Task rows for every fiscal year of the plan; the plan's required fields hold
    （要記入） placeholders, so the file lints clean at once. Exit 0 created; 1 the
    plan does not load; 2 usage error (unknown category or department).
    """
    from . import scaffold
    from .i18n import t
    from .scaffold_action import create_action

    lg = _lang(lang)
    loaded = load_plan(path, positions=False) if (path / "plan.yaml").is_file() else None
    if loaded is None:
        _fail(t(lg, "{path}: not a plan folder (no plan.yaml)", path=str(path)))
    if loaded.plan is None:
        _fail(t(lg, "{path}/plan.yaml does not load; run dxplan lint {path}", path=str(path)), EXIT_PROBLEMS)
    try:
        created, new_action = create_action(path, loaded.plan, title=title, category=category, departments=list(department or []))
    except scaffold.ScaffoldError as exc:
        _fail(t(lg, exc.msgid, **exc.params))
    except OSError as exc:
        _fail(t(lg, "{path}: cannot write ({error})", path=str(exc.filename or path), error=exc.strerror or str(exc)))
    typer.echo(t(lg, "created {path} (action {id})", path=str(created), id=new_action.new_id.id))
    if new_action.defaults:
        typer.echo(t(lg, "Chosen as none was given: {values}", values="; ".join(f"{k} {v}" for k, v in new_action.defaults.items())))
    typer.echo(t(lg, "Still to fill in (marked {mark}): {fields}", mark=scaffold.PLACEHOLDER, fields="; ".join(new_action.to_edit)))
    raise typer.Exit(EXIT_OK)
