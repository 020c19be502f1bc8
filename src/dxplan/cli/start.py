"""``dxplan init`` and ``dxplan new``: starting a plans repository and its next action (logic in :mod:`dxplan.scaffold.init`)."""


import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from dxplan.problems import EXIT_OK, EXIT_PROBLEMS
from .common import echo, help_text, command, LangOpt, fail, resolve_lang


class Preset(str, Enum):
    kama = "kama"
    grades = "grades"


@command()
def init(
    folder: Annotated[Path, typer.Argument(metavar="DIR", help=help_text("folder of the new plans repository"))],
    municipality: Annotated[Optional[str], typer.Option("--municipality", "-m", metavar="NAME", help=help_text("municipality, e.g. 嘉麻市"))] = None,
    prefecture: Annotated[Optional[str], typer.Option("--prefecture", metavar="NAME", help=help_text("prefecture"))] = None,
    title: Annotated[Optional[str], typer.Option("--title", metavar="TEXT", help=help_text("plan title"))] = None,
    plan_id: Annotated[Optional[str], typer.Option("--id", metavar="ID", help=help_text("plan id (default: the folder name)"))] = None,
    period_start: Annotated[Optional[str], typer.Option("--period-start", metavar="FY", help=help_text("first fiscal year"))] = None,
    period_end: Annotated[Optional[str], typer.Option("--period-end", metavar="FY", help=help_text("last fiscal year"))] = None,
    evaluation_date: Annotated[Optional[str], typer.Option("--evaluation-date", metavar="DATE", help=help_text("evaluation date, YYYY-MM-DD"))] = None,
    category: Annotated[Optional[list[str]], typer.Option("--category", "-c", metavar="ID", help=help_text("category ID=NAME, repeatable"))] = None,
    department: Annotated[Optional[list[str]], typer.Option("--department", "-d", metavar="NAME", help=help_text("department, repeatable"))] = None,
    statuses: Annotated[Optional[str], typer.Option("--statuses", metavar="WORDS", help=help_text("status words"))] = None,
    rating: Annotated[Optional[str], typer.Option("--rating", metavar="SCALE", help=help_text("rating scale"))] = None,
    preset: Annotated[Optional[Preset], typer.Option("--preset", help=help_text("kama: 嘉麻市's status words and percent bands; grades: an A–D grade scale; none: the plan's own (asked, or left to fill in)"))] = None,
    dxplan_repo: Annotated[Optional[str], typer.Option("--dxplan-repo", metavar="URL", help=help_text("dxplan git URL for CI"))] = None,
    dxplan_rev: Annotated[Optional[str], typer.Option("--dxplan-rev", metavar="REV", help=help_text("its tag or commit"))] = None,
    ask_: Annotated[Optional[bool], typer.Option("--ask/--no-ask", help=help_text("ask for missing values (default: when stdin is a terminal)"))] = None,
    force: Annotated[bool, typer.Option("--force", help=help_text("overwrite existing files"))] = False,
    git: Annotated[bool, typer.Option("--git/--no-git", help=help_text("make the folder a git repository (branch main) unless it is inside one (default)"))] = True,
    pages: Annotated[bool, typer.Option("--pages", help=help_text("also write .github/workflows/pages.yml: the public site and the open data on GitHub Pages, from the default branch"))] = False,
    lang: LangOpt = None,
) -> None:
    """Start a plans repository: plan.yaml, actions/, schemas, CI, README, .gitignore, and a git repository (branch main).

    Values not given are asked when stdin is a terminal (a wrong answer is asked again), else written as （要記入） placeholders, listed at the end. Without --preset (or --statuses, --rating) no status word or scale is written: statuses: [] and no rating_scale, listed as still to fill in. All or nothing: an interrupted init leaves no file behind. Never overwrites a file without --force. Exit 0 written; 2 usage error or files exist.
    """
    from dxplan.scaffold import init as scaffold
    from dxplan.scaffold.place import write_files
    from dxplan.i18n import t

    lg = resolve_lang(lang)
    try:
        spec = scaffold.PlanSpec(
            id=plan_id or folder.resolve().name, municipality=municipality, prefecture=prefecture, title=title,
            period_start=scaffold.fiscal_year_option(period_start), period_end=scaffold.fiscal_year_option(period_end),
            evaluation_date=scaffold.date_option(evaluation_date), categories=scaffold.parse_categories(category or []),
            departments=list(department or []), statuses=scaffold.parse_statuses(statuses) if statuses else [],
            rating_scale=scaffold.parse_rating(rating) if rating else [], preset=preset.value if preset else None,
        )
        if ask_ if ask_ is not None else sys.stdin.isatty():
            options = {"municipality": municipality, "prefecture": prefecture, "title": title, "period_start": period_start, "period_end": period_end,
                       "evaluation_date": evaluation_date, "categories": category, "departments": department, "preset": preset}
            given = {name for name, value in options.items() if value}
            spec = scaffold.ask(spec, lambda q, d: typer.prompt(q, default=d, show_default=bool(d)), lg, given,
                                lambda message: echo(f"dxplan: {message}", err=True))
        result = scaffold.init_files(folder, spec, scaffold.installed_pin(dxplan_repo, dxplan_rev), pages=pages)
        written, made_git = write_files(folder, result.files, force=force, git=git)
    except OSError as exc:
        fail(t(lg, "{path}: cannot write ({error})", path=str(exc.filename or folder), error=exc.strerror or str(exc)))
    for path in written:
        echo(t(lg, "created {path}", path=str(path)))
    if made_git:
        echo(t(lg, "made {folder} a git repository (branch main)", folder=str(folder)))
    if result.to_edit:
        echo(t(lg, "Still to fill in: {fields}", fields="; ".join(result.to_edit)))
    echo(t(lg, "Next: dxplan new {folder} --title TITLE, then dxplan lint {folder}", folder=str(folder)))
    raise typer.Exit(EXIT_OK)


@command()
def new(
    path: Annotated[Path, typer.Argument(metavar="PLAN", help=help_text("plan folder"))] = Path("."),
    title: Annotated[Optional[str], typer.Option("--title", "-t", metavar="TEXT", help=help_text("action title"))] = None,
    category: Annotated[Optional[str], typer.Option("--category", "-c", metavar="ID", help=help_text("category id or name"))] = None,
    department: Annotated[Optional[list[str]], typer.Option("--department", "-d", metavar="NAME", help=help_text("owning department, repeatable"))] = None,
    lang: LangOpt = None,
) -> None:
    """Create the next action file (lowest free id).

    Task rows for every fiscal year of the plan, without status; text fields are left empty for you to write (lint names the ones the plan requires). Exit 0 created; 1 the plan does not load; 2 usage error (unknown category or department).
    """
    from dxplan.i18n import t
    from dxplan.files.load import load_plan
    from dxplan.files.layout import PLAN_FILE
    from dxplan.scaffold.new import create_action

    lg = resolve_lang(lang)
    loaded = load_plan(path, positions=False) if (path / PLAN_FILE).is_file() else None
    if loaded is None:
        fail(t(lg, "{path}: not a plan folder (no plan.yaml)", path=str(path)))
    if loaded.plan is None:
        fail(t(lg, "{path}/plan.yaml does not load; run dxplan lint {path}", path=str(path)), EXIT_PROBLEMS)
    try:
        created, new_action = create_action(path, loaded.plan, title=title, category=category, departments=list(department or []))
    except OSError as exc:
        fail(t(lg, "{path}: cannot write ({error})", path=str(exc.filename or path), error=exc.strerror or str(exc)))
    echo(t(lg, "created {path} (action {id})", path=str(created), id=new_action.new_id.id))
    if new_action.defaults:
        echo(t(lg, "Chosen as none was given: {values}", values="; ".join(f"{k} {v}" for k, v in new_action.defaults.items())))
    echo(t(lg, "Still to fill in: {fields}", fields="; ".join(new_action.to_edit)))
    raise typer.Exit(EXIT_OK)
