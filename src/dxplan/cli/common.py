"""What every ``dxplan`` command shares: the typer app, common options and the helpers commands call.

Exit codes (every command, also in README): 0 success / clean; 1 problems found (lint errors,
files that did not load, ``fmt --check`` would change files, a template error); 2 usage error
(bad option, a path that is not a plan, an unknown fiscal year or action id, a git revision that
is not available).
"""

from __future__ import annotations

import shutil
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Iterable, Iterator, Optional

import typer

from .. import __version__
from ..problems import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, default_lang

if TYPE_CHECKING:  # imported where used: `dxplan --help` loads no models, no rich tables
    from rich.console import Console

    from ..load import LoadedPlan

app = typer.Typer(
    name="dxplan",
    help="自治体DX計画（YAML）の検査・進捗集計・達成率評価・差分・報告書。\n\n"
    "Municipal DX plans kept as YAML: lint, status counts, scoring, review diffs and reports.\n\n"
    "Exit codes: 0 ok, 1 problems found, 2 usage error.",
    no_args_is_help=True,
    # plain click help and errors: rendering them with rich imports ~70 ms of modules
    # (rich.markdown, rich.traceback, tables) before anything is printed (issue 13: --help <= 0.15 s)
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


class Lang(str, Enum):
    ja = "ja"
    en = "en"


LangOpt = Annotated[Optional[Lang], typer.Option("--lang", help="メッセージの言語 / message language (default: DXPLAN_LANG or ja)")]
PathsArg = Annotated[list[Path], typer.Argument(help="計画フォルダ、計画フォルダを含むフォルダ (plans)、または計画内のファイル / plan folders, a folder of plans, or files in a plan")]


def resolve_lang(lang: Lang | None) -> str:
    """The language of messages: ``--lang``, else ``DXPLAN_LANG``, else ja."""
    return lang.value if lang else default_lang()


def make_console() -> Console:
    """The rich console for terminal tables."""
    from rich.console import Console

    width = shutil.get_terminal_size((120, 24)).columns
    return Console(highlight=False, soft_wrap=True, width=max(width, 100))


def fail(message: str, code: int = EXIT_USAGE) -> None:
    """Print ``dxplan: message`` on stderr and exit with ``code`` (2, usage, unless given)."""
    typer.echo(f"dxplan: {message}", err=True)
    raise typer.Exit(code)


AsOfOpt = Annotated[Optional[str], typer.Option("--as-of", "--rev", help="この日付 (YYYY-MM-DD) 以前の最後のコミットまたは版の時点 / the plans as of the last commit on or before DATE, or at REV")]


class PlanStream:
    """The plans ``paths`` name (as of a date or revision from git), loaded one at a time as they are iterated.

    Iterating loads each plan folder when its turn comes and reports its files that did
    not load on stderr, so a command that handles each plan and lets it go keeps the
    memory of one plan, whatever the number of plans (issue 13). ``len()`` is the number
    of plan folders. Exits 2 (usage) for a path that is not a plan or a revision git
    cannot read.
    """

    def __init__(self, paths: list[Path], lang: str, as_of: str | None = None) -> None:
        from ..planfiles import PlanNotFound, discover

        self.lang = lang
        self._loaded: list[LoadedPlan] | None = None
        self._roots: list[Path] = []
        if as_of is not None:
            from ..gitio import GitError
            from ..history import plans_as_of

            try:
                self._loaded = plans_as_of(paths, as_of)
            except PlanNotFound as exc:
                fail(str(exc))
            except GitError as exc:
                fail(exc.message(lang))
            return
        try:
            self._roots = [root for root, _ in discover(paths)]
        except PlanNotFound as exc:
            fail(str(exc))

    def __len__(self) -> int:
        return len(self._loaded) if self._loaded is not None else len(self._roots)

    def __iter__(self) -> Iterator[LoadedPlan]:
        if self._loaded is not None:
            yield from self._loaded
            return
        from ..i18n import t
        from ..load import load_plan

        for root in self._roots:
            loaded = load_plan(root, positions=False)
            errors = [p for p in loaded.problems if p.severity == "error"]
            if errors:
                msg = t(self.lang, "{n} problem(s) in {root}; files with errors are left out — run `dxplan lint {root}`", n=len(errors), root=str(root))
                typer.echo(f"dxplan: {msg}", err=True)
            yield loaded


def load_all(paths: list[Path], lang: str, as_of: str | None = None) -> list[LoadedPlan]:
    """Every plan of :class:`PlanStream` at once (for commands that need them together)."""
    return list(PlanStream(paths, lang, as_of))


def exit_for(plans: Iterable[LoadedPlan]) -> int:
    """1 when a plan did not load or has errors, else 0."""
    return EXIT_PROBLEMS if any(lp.plan is None or any(p.severity == "error" for p in lp.problems) for lp in plans) else EXIT_OK


def parse_years(value: str | None, loaded: LoadedPlan) -> list[int] | None:
    """``--year`` as a one-element list of fiscal years (Western start year); None for all; exit 2 when outside the plan."""
    from ..fiscal import FiscalYearError, parse_fiscal_year

    if value is None:
        return None
    try:
        fy = parse_fiscal_year(value)
    except FiscalYearError as exc:
        fail(str(exc))
    plan = loaded.plan
    if not plan.period_start <= fy <= plan.period_end:
        fail(f"{value}: outside the plan period of {plan.id} ({plan.period_start}–{plan.period_end})")
    return [fy]


@app.callback(invoke_without_command=True)
def _root(version: Annotated[bool, typer.Option("--version", help="版を表示 / show the version")] = False) -> None:
    if version:
        typer.echo(f"dxplan {__version__}")
        raise typer.Exit(0)




def default_plan_paths() -> list[Path]:
    """What commands without a path work on: ``plans/`` when it exists, else the current folder."""
    return [Path("plans")] if Path("plans").is_dir() else [Path(".")]
