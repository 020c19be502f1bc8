"""``dxplan diff``: what a change does to the plans, between two revisions or against the working tree.

Exit codes: 0 ok; 1 files on the new side of the diff did not load, or a template error;
2 usage (bad path, git revision not available, not a git repository).
"""


from pathlib import Path
from typing import Annotated, Optional

import typer

from .common import help_text, command, LangOpt, default_plan_paths, echo_output, fail, format_option, resolve_lang, run_writer
from dxplan.diff.formats import FORMATS
from dxplan.i18n import N_, UserError, t
from dxplan.problems import EXIT_OK, EXIT_PROBLEMS


def split_diff_args(args: list[str]) -> tuple[list[str], str | None]:
    """``[BASE [HEAD]] [PATH]`` → (revisions, path). An argument naming an existing file or folder is the path.

    Raises :class:`dxplan.i18n.UserError` (usage error) for more than two revisions, or a path that is not last.
    """
    revs: list[str] = []
    path: str | None = None
    for i, arg in enumerate(args):
        if Path(arg).exists() and (i == len(args) - 1 or arg in (".", "..") or "/" in arg):
            if i != len(args) - 1:
                raise UserError(N_("the path must come last: {path}"), {"path": arg})
            path = arg
        else:
            if path is not None:
                raise UserError(N_("the path must come last: {path}"), {"path": path})
            revs.append(arg)
    if len(revs) > 2:
        raise UserError(N_("at most two revisions (BASE HEAD), got {n}: {revs}"), {"n": len(revs), "revs": " ".join(revs)})
    return revs, path


@command()
def diff(
    args: Annotated[Optional[list[str]], typer.Argument(metavar="[BASE [HEAD]] [PATH]", help=help_text("base and head revisions and a plan path"))] = None,
    format: format_option(FORMATS) = FORMATS.default,
    templates: Annotated[Optional[Path], typer.Option("--templates", metavar="DIR", help=help_text("folder whose diff.md.j2 overrides the default"))] = None,
    lang: LangOpt = None,
) -> None:
    """What changed between two versions of the plans, in plain words.

    BASE defaults to the merge-base of the default branch (origin/HEAD, main or master; origin/$GITHUB_BASE_REF in a pull request) and HEAD; HEAD defaults to the working tree. PATH defaults to plans/ (or the current folder). Reports actions and task rows added, removed or changed, status transitions with counts, progress, goalpost changes (target, baseline, deadline, rating scale), rate and label changes, and text edits.

    Exit 0; 1 when files on the new side did not load (they are left out) or the template fails; 2 when a revision is not available (the message says what to fetch) or --templates is not a folder.
    """
    from dxplan.files import gitio
    from dxplan.diff.compute import diff_sides

    lg = resolve_lang(lang)
    argv = list(args or [])
    revs, path = split_diff_args(argv)
    if templates is not None and not templates.is_dir():
        fail(t(lg, "{path}: no such template folder", path=str(templates)))
    target = Path(path) if path else default_plan_paths()[0]
    try:
        repo = gitio.repo_root(target)
        scope = target.resolve().relative_to(repo).as_posix()
        scope = "" if scope == "." else scope
        last = len(argv) - 1
        base = gitio.revision_side(revs[0], repo, maybe_path=last == 0) if revs else gitio.default_base_side(repo)
        head = gitio.revision_side(revs[1], repo, maybe_path=last == 1) if len(revs) == 2 else gitio.WORKTREE
        result = diff_sides(repo, base, head, scope)
    except ValueError:  # the path is outside the repository
        fail(t(lg, "{path}: outside the git repository", path=str(target)))
    if not result.roots:
        fail(t(lg, "{path}: no plan folder here at either revision", path=str(target)))
    echo_output(run_writer(FORMATS, format, result, lg, templates))
    raise typer.Exit(EXIT_PROBLEMS if result.load_errors else EXIT_OK)
