"""``dxplan report`` (registered on the main app): Markdown, HTML and PDF reports through Jinja templates.

Exit codes as every command: 0 written; 1 a template error, a PDF that could not be printed, or a plan
with load errors (the report is still written without the files that did not load); 2 usage error
(bad path, unknown fiscal year, action id or section, missing --templates folder, an output that
cannot be written).
"""


import datetime as dt
import re
from pathlib import Path
from typing import Annotated, Optional

import typer

from .progress import QuietOpt, progress
from .common import echo, help_text, command, AsOfOpt, LangOpt, PathsArg, echo_output, exit_for, fail, format_option, is_stdout, load_all, parse_years, plan_paths, resolve_lang, run_writer, write_result
from dxplan.i18n import N_, t
from dxplan.problems import EXIT_PROBLEMS
from dxplan.report.formats import REPORT


def safe_stem(text: str) -> str:
    """``text`` as one file name: path separators, ``..``, control characters and a leading ``.`` or ``-`` replaced by ``_``.

    Plan and action ids come from plan data; a name made of them can never leave its folder.
    """
    name = re.sub(r"[\x00-\x1f\x7f/\\:*?\"<>|]", "_", text).replace("..", "__")
    return re.sub(r"^[.\-\s]", "_", name)[:150] or "_"


def default_output(plan_id: str, fmt: str, action: str | None = None) -> Path:
    """The file a report goes to without ``-o`` (an HTML or PDF one) or with ``-o`` naming a folder: ``<plan>-report.<fmt>`` (``<plan>-action-<id>.<fmt>`` with --action), in the current folder.

    The name is made safe (:func:`safe_stem`): whatever the ids hold, the file is in the current folder.
    """
    stem = f"{plan_id}-action-{action}" if action else f"{plan_id}-report"
    return Path(f"{safe_stem(stem)}.{fmt}")


def _outputs(plan_ids: list[str], out: Path | None, fmt: str, action: str | None, lang: str) -> list[Path | None]:
    """Where each plan's report goes: None = standard output (Markdown without -o; any format with ``-o -``)."""
    if out is None:
        return [default_output(pid, fmt, action) if REPORT[fmt].to_file else None for pid in plan_ids]
    if is_stdout(out):
        return [out for _ in plan_ids]
    if len(plan_ids) == 1 and not out.is_dir():
        return [out]
    if out.exists() and not out.is_dir():
        fail(t(lang, "{out}: give a folder with -o to write several plans", out=out))
    return [out / default_output(pid, fmt, action).name for pid in plan_ids]


def _parse_sections(value: str | None, lang: str) -> tuple[str, ...] | None:
    if value is None:
        return None
    from dxplan.report.views import SECTIONS

    chosen = tuple(s.strip() for s in value.split(",") if s.strip())
    unknown = [s for s in chosen if s not in SECTIONS]
    if unknown or not chosen:
        fail(t(lang, "--sections: unknown part {parts} (choose from {choices})", parts=", ".join(unknown) or "''", choices=", ".join(SECTIONS)))
    return chosen


@command()
def report(
    paths: PathsArg = None,
    format: format_option(REPORT) = REPORT.default,
    output: Annotated[Optional[Path], typer.Option("--output", "-o", metavar="FILE", help=help_text("output file (a folder for several plans; - for standard output); default: stdout for md, <plan>-report.<fmt> for html and pdf"))] = None,
    year: Annotated[Optional[str], typer.Option("--year", "-y", metavar="FY", help=help_text("limit status and task tables to one fiscal year"))] = None,
    action: Annotated[Optional[str], typer.Option("--action", "-a", metavar="ID", help=help_text("only this action's sheet"))] = None,
    sections: Annotated[Optional[str], typer.Option("--sections", metavar="LIST", help=help_text("parts to include, comma-separated: cover, contents, summary, status, categories, departments, sheets"))] = None,
    audit: Annotated[bool, typer.Option("--audit", help=help_text("add the appendix of transcription notes, source files and lint findings"))] = False,
    templates: Annotated[Optional[Path], typer.Option("--templates", metavar="DIR", help=help_text("folder whose templates override the defaults by name"))] = None,
    as_of: AsOfOpt = None,
    history: Annotated[bool, typer.Option("--history/--no-history", help=help_text("show the status over time from the plan's git history, where it has some (default)"))] = True,
    font: Annotated[Optional[str], typer.Option("--font", metavar="NAME", help=help_text("PDF: print in this installed font family (it must cover Japanese); default: the stylesheet's, e.g. Noto Sans CJK JP"))] = None,
    quiet: QuietOpt = False,
    lang: LangOpt = None,
) -> None:
    """Write the plan report (Markdown, HTML or PDF) from the Jinja templates.

    The council report: a cover, contents, a one-page summary (status per fiscal year, the label split, what needs attention and why), the status tables beside the source's own, the actions by category, one page per department and one compact sheet per action. Source fields only; ``--audit`` adds an appendix with transcription notes, source files and lint findings. Exit 0 ok, 1 template or PDF error or plan load errors, 2 usage error.
    """
    from dxplan.files.layout import discover
    from dxplan.files.views import Missed
    from dxplan.report import kept as kept_reports

    lg = resolve_lang(lang)
    paths = plan_paths(paths)
    fmt = format
    chosen = _parse_sections(sections, lg)
    if font is not None and fmt != "pdf":
        fail(t(lg, "--font is for --format pdf"))
    if fmt == "pdf":
        from dxplan.report.pdf import check_font

        check_font(font)  # before the plans are read: no font, no PDF
    pdf_options = {"font": font} if fmt == "pdf" else {}
    if templates is not None and not templates.is_dir():
        fail(t(lg, "{templates}: no such template folder", templates=templates))
    today = dt.date.today()
    keeping = as_of is None and templates is None
    missed: dict[Path, tuple[Missed, tuple]] = {}
    if keeping:  # plans unchanged since their report was written with these options: written again as kept
        options = (fmt, lg, year, action, chosen, audit, font)
        found = []
        for root, _ in discover(paths):
            args = kept_reports.report_args(root, options, today, history)
            hit = kept_reports.find(root, args)
            if isinstance(hit, Missed):
                missed[Path(root)] = (hit, args)
            else:
                found.append(hit.value)
        if found and not missed:
            _write_all([name for name, _ in found], [out for _, out in found], output, fmt, action, lg)
            raise typer.Exit(0)
    from dxplan.lint.engine import lint_plan
    from dxplan.output.render import environment
    from dxplan.report.figures import report_figures
    from dxplan.report.history_figures import report_history
    from dxplan.score.actions import score_plan

    every = load_all(paths, lg, as_of)
    plans = [lp for lp in every if lp.plan is not None]
    if not plans:
        fail(t(lg, "no plan could be loaded"), EXIT_PROBLEMS)
    if action is not None and len(plans) > 1:
        fail(t(lg, "--action needs a single plan"))
    targets = _outputs([lp.name for lp in plans], output, fmt, action, lg)  # the plan ids
    env = environment(templates)
    for lp, target in zip(plans, targets, strict=True):
        plan = lp.plan
        assert plan is not None, "plans holds the plans that loaded"
        years = parse_years(year, lp)
        if action is not None and lp.find_action(action) is None:
            fail(t(lg, "{plan}: no action {action}", plan=plan.id, action=action))
        with progress(lg, N_("writing the {format} report of {plan}"), quiet=quiet, format=fmt.upper(), plan=plan.id):
            scores = score_plan(plan, [la.action for la in lp.actions], lp.index)
            figures = report_figures(lp, scores, lint_plan(lp), generated=today, year=years[0] if years else None, action_id=action)
            past = report_history(lp.root, as_of) if history and figures.full else None
            keep_print = {"keep_as": lp.root} if fmt == "pdf" else {}  # the print kept for this plan folder (report.pdf)
            out = run_writer(REPORT, fmt, figures, lg, templates=templates, env=env, audit=audit, sections=chosen, history=past,
                             **pdf_options, **keep_print)
        if Path(lp.root) in missed and not lp.problems and isinstance(out, (str, bytes)):
            kept_reports.keep(*missed[Path(lp.root)], lp.name, out)
        _write_one(out, target, output, lg)
    raise typer.Exit(exit_for(every))  # 1 also when a plan.yaml did not load


def _write_one(out: str | bytes | None, target: Path | None, output: Path | None, lg: str) -> None:
    """One plan's report to standard output (``target`` None) or to ``target``, saying so on stderr."""
    if target is None or out is None:
        echo_output(out)
        return
    if write_result(target, out, lg, default_name=target != output):  # a name dxplan chose: no symlink followed
        echo(t(lg, "dxplan: wrote {target}", target=target), err=True)


def _write_all(names: list[str], outs: list[str | bytes], output: Path | None, fmt: str, action: str | None, lg: str) -> None:
    """The kept reports of plans ``names`` written where the report of each goes (:func:`_outputs`)."""
    if action is not None and len(names) > 1:
        fail(t(lg, "--action needs a single plan"))
    for out, target in zip(outs, _outputs(names, output, fmt, action, lg), strict=True):
        _write_one(out, target, output, lg)
