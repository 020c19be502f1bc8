"""``dxplan diff``, ``fmt`` and ``schema`` (registered on the main app).

Exit codes as in :mod:`dxplan.cli`: 0 ok; 1 problems (``fmt --check`` would
change files, a file that cannot be formatted safely, files on the new side of
a diff that did not load, a template error); 2 usage (bad path, git revision not
available, not a git repository).
"""

from __future__ import annotations

import json
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from .cli import LangOpt, _fail, _lang, app
from .i18n import tr
from .problems import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE


def _default_paths() -> list[Path]:
    return [Path("plans")] if Path("plans").is_dir() else [Path(".")]


# --------------------------------------------------------------------------- diff


class DiffFormat(str, Enum):
    text = "text"
    markdown = "markdown"
    json = "json"


def split_diff_args(args: list[str]) -> tuple[list[str], str | None]:
    """``[BASE [HEAD]] [PATH]`` → (revisions, path). An argument naming an existing file or folder is the path.

    Raises ValueError for more than two revisions, or a path that is not last.
    """
    revs: list[str] = []
    path: str | None = None
    for i, arg in enumerate(args):
        if Path(arg).exists() and (i == len(args) - 1 or arg in (".", "..") or "/" in arg):
            if i != len(args) - 1:
                raise ValueError(f"the path must come last: {arg}")
            path = arg
        else:
            if path is not None:
                raise ValueError(f"the path must come last: {path}")
            revs.append(arg)
    if len(revs) > 2:
        raise ValueError(f"at most two revisions (BASE HEAD), got {len(revs)}: {' '.join(revs)}")
    return revs, path


@app.command()
def diff(
    args: Annotated[Optional[list[str]], typer.Argument(metavar="[BASE [HEAD]] [PATH]", help="比較元・比較先の版と計画のパス / base and head revisions and a plan path")] = None,
    format: Annotated[DiffFormat, typer.Option("--format", "-f", help="text | markdown (PR comment) | json")] = DiffFormat.text,
    templates: Annotated[Optional[Path], typer.Option("--templates", help="テンプレートの上書きフォルダ（diff.md.j2 を置く）/ folder whose diff.md.j2 overrides the default")] = None,
    lang: LangOpt = None,
) -> None:
    """2つの版の計画を比べ、変更を平易に示す / What changed between two versions of the plans, in plain words.

    BASE defaults to the merge-base of the default branch (origin/HEAD, main or
    master; origin/$GITHUB_BASE_REF in a pull request) and HEAD; HEAD defaults to
    the working tree. PATH defaults to plans/ (or the current folder). Reports
    actions and task rows added, removed or changed, status transitions with
    counts, progress, goalpost changes (target, baseline, deadline, rating
    scale), rate and label changes, and text edits.

    Exit 0; 1 when files on the new side did not load (they are left out) or the
    template fails; 2 when a revision is not available (the message says what to
    fetch) or --templates is not a folder.
    """
    from . import diffview, gitio
    from .diff import diff_sides
    from .render import RenderError

    lg = _lang(lang)
    argv = list(args or [])
    try:
        revs, path = split_diff_args(argv)
    except ValueError as exc:
        _fail(str(exc))
    if templates is not None and not templates.is_dir():
        _fail(tr(lg, f"{templates}: テンプレートのフォルダがありません", f"{templates}: no such template folder"))
    target = Path(path) if path else _default_paths()[0]
    try:
        repo = gitio.repo_root(target)
        scope = target.resolve().relative_to(repo).as_posix()
        scope = "" if scope == "." else scope
        last = len(argv) - 1
        base = gitio.revision_side(revs[0], repo, maybe_path=last == 0) if revs else gitio.default_base_side(repo)
        head = gitio.revision_side(revs[1], repo, maybe_path=last == 1) if len(revs) == 2 else gitio.WORKTREE
        result = diff_sides(repo, base, head, scope)
    except gitio.GitError as exc:
        _fail(exc.message(lg))
    except ValueError as exc:  # the path is outside the repository
        _fail(str(exc))
    if not any(result.plans):
        _fail(f"{target}: " + tr(lg, "どちらの版にも計画フォルダがありません", "no plan folder here at either revision"))
    if format is DiffFormat.json:
        typer.echo(json.dumps(diffview.to_json(result), ensure_ascii=False, indent=2))
    elif format is DiffFormat.markdown:
        try:
            typer.echo(diffview.to_markdown(result, lg, templates), nl=False)
        except RenderError as exc:
            _fail(str(exc), EXIT_PROBLEMS)
    else:
        typer.echo(diffview.to_text(result, lg))
    raise typer.Exit(EXIT_PROBLEMS if result.load_errors else EXIT_OK)


# --------------------------------------------------------------------------- fmt


@app.command()
def fmt(
    paths: Annotated[Optional[list[Path]], typer.Argument(help="計画フォルダ、計画フォルダを含むフォルダ、または計画内のファイル（既定: plans）/ plan folders, a folder of plans, or files (default: plans)")] = None,
    check: Annotated[bool, typer.Option("--check", help="書き換えず、変わるファイルを表示 / list files that would change, write nothing")] = False,
    schema_line: Annotated[bool, typer.Option("--schema-line/--no-schema-line", help="リポジトリの schemas/ を指す yaml-language-server 行を追加 / add a yaml-language-server line pointing at the repository's schemas/")] = True,
    lang: LangOpt = None,
) -> None:
    """計画ファイルを正規の書式に整える / Rewrite plan files in the canonical layout.

    Key order of the schema, indentation 2, quotes only where needed, no line
    folding; comments kept; full-width numbers in numeric fields become numbers.
    A file is written (atomically) only when its data loads unchanged from the
    new text. Exit 0 when done (or nothing to change with --check); 1 when
    --check finds files to change or a file cannot be formatted safely.
    """
    from .fmt import format_paths
    from .planfiles import PlanNotFound

    lg = _lang(lang)
    try:
        report = format_paths(list(paths or _default_paths()), check=check, modeline=schema_line)
    except PlanNotFound as exc:
        _fail(str(exc))
    for entry in report.entries:
        if entry.error is not None:
            typer.echo(f"dxplan: {entry.error.message(lg)}", err=True)
        elif entry.outcome == "would_change":
            typer.echo(str(entry.path))
        elif entry.outcome == "formatted":
            typer.echo(tr(lg, "整形", "formatted") + f": {entry.path}")
    summary = report.summary(lg)
    if summary:
        typer.echo(summary, err=True)
    raise typer.Exit(report.return_code)


# --------------------------------------------------------------------------- schema


@app.command()
def schema(
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="このフォルダに plan.schema.json と action.schema.json を書く / write both schemas into this folder")] = None,
    lang: LangOpt = None,
) -> None:
    """エディタ用の JSON Schema を出力する / Write JSON Schemas for plan.yaml and action files.

    Without --output, prints both as one JSON object keyed by file name. Editors
    validate while typing through a first line
    ``# yaml-language-server: $schema=../../schemas/plan.schema.json``
    (``dxplan fmt`` adds it when the repository has schemas/).
    """
    from .model import json_schemas

    lg = _lang(lang)
    schemas = json_schemas()
    if output is None:
        typer.echo(json.dumps(schemas, ensure_ascii=False, indent=2))
        raise typer.Exit(EXIT_OK)
    try:
        output.mkdir(parents=True, exist_ok=True)
        for name, data in schemas.items():
            (output / name).write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    except OSError as exc:
        _fail(f"{output}: " + tr(lg, f"書き込めません（{exc.strerror or exc}）", f"cannot write ({exc.strerror or exc})"), EXIT_USAGE)
    for name in schemas:
        typer.echo(tr(lg, "出力", "wrote") + f": {output / name}")
    raise typer.Exit(EXIT_OK)
