"""``dxplan lint`` and ``dxplan rules``: checking plan files, and what each check means."""


from typing import Annotated, Optional

import typer

from dxplan.i18n import N_, t
from dxplan.lint.formatters import FORMATS, default_format
from dxplan.problems import EXIT_OK, EXIT_PROBLEMS
from .progress import QuietOpt, progress
from .common import echo, help_text, command, JobsOpt, LangOpt, PathsArg, check_jobs, fail, format_option, plan_paths, resolve_lang


@command()
def lint(
    paths: PathsArg = None,
    format: format_option(FORMATS, optional=True) = None,
    strict: Annotated[bool, typer.Option("--strict", help=help_text("treat warnings as errors"))] = False,
    base: Annotated[Optional[str], typer.Option("--base", metavar="REV", help=help_text("fail on goalpost changes since REV without a recorded reason"))] = None,
    changed_since: Annotated[Optional[str], typer.Option("--changed-since", metavar="REV", help=help_text("lint only files changed since REV"))] = None,
    today: Annotated[Optional[str], typer.Option("--today", metavar="YYYY-MM-DD", help=help_text("today's date for evaluation-overdue (default: DXPLAN_TODAY or the machine's date)"))] = None,
    unchanged: Annotated[Optional[int], typer.Option("--unchanged-evaluations", metavar="N", help=help_text("status-unchanged: report a status the same at N evaluation dates (default: the plan's lint.unchanged_evaluations, else 3)"))] = None,
    jobs: JobsOpt = None,
    quiet: QuietOpt = False,
    lang: LangOpt = None,
) -> None:
    """Validate plan files: file:line:column: severity rule-id message.

    Exit 0 when there are no errors (warnings alone exit 0 unless --strict), 1 when there are errors, 2 on a usage error.
    """
    from dxplan.lint.formatters import render as render_problems
    from dxplan.files.gitio import changed_files
    from dxplan.lint.engine import lint_paths
    from dxplan.files.layout import discover

    lg = resolve_lang(lang)
    check_jobs(jobs, lg)
    if unchanged is not None and unchanged < 2:
        fail(t(lg, "--unchanged-evaluations: {n} is too few; give 2 or more", n=unchanged))
    paths = plan_paths(paths)
    fmt = format or default_format()
    only = changed_files(changed_since, paths) if changed_since is not None else None
    with progress(lg, N_("checking plan folders"), total=len(discover(paths)), quiet=quiet) as step:
        result = lint_paths(paths, strict=strict, only_files=only, base=base, jobs=jobs, on_plan=step, today=today, unchanged=unchanged)
    out = render_problems(fmt, result, lg)
    if out:
        echo(out)
    raise typer.Exit(EXIT_PROBLEMS if result.errors else EXIT_OK)


@command("rules")
def rules_command(
    rule_id: Annotated[Optional[str], typer.Argument(metavar="ID", help=help_text("a rule id (omit for the list)"))] = None,
    lang: LangOpt = None,
) -> None:
    """Lint rules: what each checks, why, how to fix, examples."""
    from dxplan.lint.formatters.rule_help import rule_help, rules_index
    from dxplan.rules import did_you_mean, load_rules

    lg = resolve_lang(lang)
    rules = load_rules()
    if rule_id is None:
        echo(rules_index(rules, lg), nl=False)
        return
    if rule_id not in rules:
        hint = did_you_mean(rule_id, rules)
        fail(t(lg, "no lint rule '{id}'.{hint} `dxplan rules` lists them.", id=rule_id, hint=hint))
    echo(rule_help(rules[rule_id], lg), nl=False)
