"""``dxplan report`` (registered on the main app): Markdown and HTML reports through Jinja templates.

Exit codes as every command: 0 written; 1 a template error or a plan with load
errors (the report is still written without the files that did not load);
2 usage error (bad path, unknown fiscal year or action id, missing --templates
folder, an output that cannot be written).
"""

from __future__ import annotations

import datetime as dt
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from .common import AsOfOpt, LangOpt, PathsArg, app, exit_for, fail, load_all, parse_years, resolve_lang
from ..i18n import t
from ..problems import EXIT_PROBLEMS


class ReportFormat(str, Enum):
    md = "md"
    html = "html"


def default_output(plan_id: str, fmt: str, action: str | None = None) -> Path:
    """The file an HTML report goes to without ``-o``: ``<plan>-report.html`` (``<plan>-action-<id>.html`` with --action), in the current folder."""
    stem = f"{plan_id}-action-{action}" if action else f"{plan_id}-report"
    return Path(f"{stem}.{fmt}")


def _outputs(plan_ids: list[str], out: Path | None, fmt: str, action: str | None, lang: str) -> list[Path | None]:
    """Where each plan's report goes: None = standard output (Markdown without -o)."""
    if out is None:
        return [None if fmt == "md" else default_output(pid, fmt, action) for pid in plan_ids]
    if len(plan_ids) == 1 and not out.is_dir():
        return [out]
    if out.exists() and not out.is_dir():
        fail(t(lang, "{out}: give a folder with -o to write several plans", out=out))
    return [out / default_output(pid, fmt, action).name for pid in plan_ids]


@app.command()
def report(
    paths: PathsArg,
    format: Annotated[ReportFormat, typer.Option("--format", "-f", help="md（Markdown, 既定）| html（印刷・配布用の1ファイル）/ md (default) or html (one self-contained file)")] = ReportFormat.md,
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="出力ファイル（複数計画ならフォルダ）。省略時 md は標準出力、html は <計画>-report.html / output file (a folder for several plans); default: stdout for md, <plan>-report.html for html")] = None,
    year: Annotated[Optional[str], typer.Option("--year", "-y", help="年度に限定: 2024, R6, 令和6年度 / limit status and task tables to one fiscal year")] = None,
    action: Annotated[Optional[str], typer.Option("--action", "-a", help="このアクションのシートだけ / only this action's sheet")] = None,
    templates: Annotated[Optional[Path], typer.Option("--templates", help="テンプレートの上書きフォルダ（同名のファイルが優先）/ folder whose templates override the defaults by name")] = None,
    as_of: AsOfOpt = None,
    lang: LangOpt = None,
) -> None:
    """報告書を作成する / Write the plan report (Markdown or HTML) from the Jinja templates.

    The report holds the status counts per fiscal year beside the source's own
    table, counts by category and department, every action's rate and label, an
    index of actions that need attention, and one sheet per action with the
    arithmetic behind its rate. Exit 0 ok, 1 template error or plan load errors,
    2 usage error.
    """
    from ..figures import report_figures
    from ..lint import lint_plan
    from ..render import RenderError, environment
    from ..report import render_report
    from ..score import score_plan

    lg = resolve_lang(lang)
    fmt = format.value
    if templates is not None and not templates.is_dir():
        fail(t(lg, "{templates}: no such template folder", templates=templates))
    plans = [lp for lp in load_all(paths, lg, as_of) if lp.plan is not None]
    if not plans:
        fail(t(lg, "no plan could be loaded"), EXIT_PROBLEMS)
    if action is not None and len(plans) > 1:
        fail(t(lg, "--action needs a single plan"))
    targets = _outputs([lp.plan.id for lp in plans], output, fmt, action, lg)
    env = environment(templates)
    today = dt.date.today()
    for lp, target in zip(plans, targets):
        years = parse_years(year, lp)
        if action is not None and lp.find_action(action) is None:
            fail(t(lg, "{id}: no action {action}", id=lp.plan.id, action=action))
        scores = score_plan(lp.plan, [la.action for la in lp.actions], lp.index)
        figures = report_figures(lp, scores, lint_plan(lp), generated=today, year=years[0] if years else None, action_id=action)
        try:
            text = render_report(figures, fmt, lg, templates, env)
        except RenderError as exc:
            fail(str(exc), EXIT_PROBLEMS)
        if target is None:
            typer.echo(text, nl=False)
            continue
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
        except OSError as exc:
            fail(t(lg, "{file}: cannot write ({reason})", file=str(target), reason=exc.strerror or str(exc)))
        typer.echo(t(lg, "dxplan: wrote {target}", target=target), err=True)
    raise typer.Exit(exit_for(plans))
