"""What every ``dxplan`` command shares: the typer app, common options and the helpers commands call.

Exit codes (every command, also in README): 0 success / clean; 1 problems found (lint errors,
files that did not load, ``fmt --check`` would change files, a template error); 2 usage error
(bad option, a path that is not a plan, an unknown fiscal year or action id, a git revision that
is not available).

Errors for a person: the core raises :class:`dxplan.i18n.UserError` (a message key, its
parameters, a file position); :class:`DxplanGroup` is the one place that catches it, for every
command, and :func:`fail` prints it in the command's language and exits with its code.
"""

from __future__ import annotations

import functools
import inspect
import sys
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal, NoReturn, Optional
from collections.abc import Callable, Iterable, Iterator

from dxplan import __version__
from dxplan.i18n import N_, UserError, command_lang, requested_lang, set_command_lang, t
from dxplan.problems import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, default_lang

from .library_messages import install as _install_library_messages
from .help_page import install as _install_help_fixes
from .console import _console_class, make_console

_install_library_messages(requested_lang(sys.argv[1:]))  # before typer is imported: it words its headings at import

import typer  # noqa: E402
from typer.core import TyperCommand, TyperGroup  # noqa: E402

if TYPE_CHECKING:  # imported where used: `dxplan --help` loads no models, no loader
    from rich.console import Console

    from dxplan.files.load import LoadedPlan
    from dxplan.files.pool import PlanOutcome
    from dxplan.output.formats import Formats


HELP_LANG = requested_lang(sys.argv[1:])


def help_text(msgid: str) -> str:
    """A help text (options, commands) from the catalogue, in :data:`HELP_LANG`."""
    return t(HELP_LANG, msgid)


class DxplanCommand(TyperCommand):
    """A dxplan command: typer's, with its usage line (``--help``, usage errors) in the command line's language."""

    def format_usage(self, ctx: Any, formatter: Any) -> None:
        _write_usage(self, ctx, formatter)

    def get_params(self, ctx: Any) -> list[Any]:
        return _library_help_worded(super().get_params(ctx))


def _library_help_worded(params: list[Any]) -> list[Any]:
    """``params`` with the help of the options typer adds (``--help``, the completion options) from the catalogue (:mod:`.library_messages`)."""
    for param in params:
        if param.name in ("help", "install_completion", "show_completion") and param.help:
            param.help = help_text(param.help)
        if param.name == "install_completion":
            param.callback = _install_completion
    return params


def _install_completion(ctx: Any, param: Any, value: Any) -> Any:
    """``--install-completion [SHELL]``: typer's installer, its report worded from the catalogue (exit 0)."""
    if not value or ctx.resilient_parsing:
        return value
    from typer.completion import install  # typer writes the script and the shell's start-up line

    shell, path = install(shell=value) if isinstance(value, str) else install()
    echo(t(command_lang(HELP_LANG), "{shell} completion installed in {path}; it takes effect in a new terminal.",
           shell=shell, path=str(path)))
    raise SystemExit(0)


def _write_usage(cmd: Any, ctx: Any, formatter: Any) -> None:
    """Write the usage line of ``cmd`` (``Usage: dxplan lint [OPTIONS] [PATH]...``) worded in the command line's language."""
    from .usage import usage_piece

    lang = command_lang(HELP_LANG)
    pieces = " ".join(usage_piece(p, lang) for p in cmd.collect_usage_pieces(ctx))
    formatter.write_usage(ctx.command_path, pieces, prefix=t(lang, "Usage:") + " ")


class DxplanGroup(TyperGroup):
    """The ``dxplan`` command group: runs a command as typer does, and is the one place where a
    :class:`dxplan.i18n.UserError` raised by any command (or the core under it) ends the command:
    ``dxplan: <message>`` on stderr, worded in the command's language (``--lang``, recorded by
    :func:`resolve_lang`), and the error's exit code (2 usage, 1 problems found).

    Usage errors found while parsing the command line (a bad option, a missing argument, a bad
    choice, an unknown command) are worded by :mod:`dxplan.cli.usage` in the language the command
    line asks for (``--lang`` before or after the command, ``DXPLAN_LANG``), exit 2.
    """

    def main(self, args: Any = None, prog_name: Any = None, complete_var: Any = None, standalone_mode: bool = True,  # type: ignore[override]
             windows_expand_args: bool = True, **extra: Any) -> Any:
        from typer import Abort, Exit
        from typer._click.exceptions import ClickException

        argv = list(sys.argv[1:] if args is None else args)
        lang = requested_lang(argv)
        set_command_lang(lang)
        _ROOT_LANG.clear()
        if not standalone_mode:
            return super().main(argv, prog_name, complete_var, standalone_mode, windows_expand_args, **extra)
        try:
            code = super().main(argv, prog_name or "dxplan", complete_var, False, windows_expand_args, **extra)
        except ClickException as exc:
            if type(exc).__name__ == "NoArgsIsHelpError":  # `dxplan` alone: the help, as typer prints it
                echo(exc.format_message(), err=True)
            else:
                from .usage import show

                show(exc, lang)
            sys.exit(exc.exit_code)
        except (Abort, Exit) as exc:
            sys.exit(getattr(exc, "exit_code", 1))
        sys.exit(code if isinstance(code, int) else 0)

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        from typer._click.exceptions import UsageError

        try:
            return super().resolve_command(ctx, args)
        except UsageError as exc:
            names = self.list_commands(ctx)
            if not args or args[0] in names or args[0].startswith("-"):
                raise
            from difflib import get_close_matches

            from .usage import UnknownCommand

            raise UnknownCommand(args[0], get_close_matches(args[0], names), ctx) from exc

    #: True while the group's own help page is formatted: its list of commands needs each command's
    #: name and short help only, so :meth:`get_command` then builds none of them.
    _listing = False

    def list_commands(self, ctx: Any) -> list[str]:
        """The commands of :data:`dxplan.cli.registry.COMMANDS` in its order (then any other already built)."""
        from .registry import COMMANDS

        return [*COMMANDS, *(name for name in self.commands if name not in COMMANDS)]

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        """The command ``cmd_name``, its module imported and the command built on first use (None when
        there is no such command). While the group's help is formatted, a stand-in with the command's
        name and help only (nothing built from its signature)."""
        cmd = self.commands.get(cmd_name)
        if cmd is not None:
            return cmd
        info = _registered(cmd_name)
        if info is None:
            return None
        if self._listing:
            return DxplanCommand(name=cmd_name, help=info.help, short_help=info.short_help, hidden=info.hidden,
                                 deprecated=info.deprecated, rich_help_panel=info.rich_help_panel)
        from typer.main import get_command_from_info

        cmd = get_command_from_info(info, pretty_exceptions_short=app.pretty_exceptions_short, rich_markup_mode=app.rich_markup_mode)
        self.commands[cmd_name] = cmd
        return cmd

    def format_help(self, ctx: Any, formatter: Any) -> None:
        self._listing = True
        try:
            super().format_help(ctx, formatter)
        finally:
            self._listing = False

    def format_usage(self, ctx: Any, formatter: Any) -> None:
        _write_usage(self, ctx, formatter)

    def get_params(self, ctx: Any) -> list[Any]:
        return _library_help_worded(super().get_params(ctx))

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except UserError as exc:
            fail(exc.message(command_lang(default_lang())), exc.exit_code)


app = typer.Typer(
    cls=DxplanGroup,
    name="dxplan",
    help=help_text(
        "Municipal DX plans kept as YAML: lint, status counts, scoring, review diffs and reports.\n\n"
        "Exit codes: 0 ok, 1 problems found, 2 usage error."
    ),
    no_args_is_help=True,
    add_completion=True,
    rich_markup_mode="rich",
    context_settings={"help_option_names": ["-h", "--help"]},
)


def command(name: str | None = None) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register the decorated function as the dxplan command ``name`` (default: the function's name,
    ``_`` as ``-``); the command must also be named in :data:`dxplan.cli.registry.COMMANDS`, which
    says which module to import for it.

    The help is written once, as the function's docstring, one line per paragraph: ``--help`` shows its
    translation (:func:`help_text`), the list of commands the translation of its first paragraph.
    ``make messages`` extracts both from the docstring (:func:`dxplan.i18n.extract_command_help`).
    """

    def register(fn: Callable[..., Any]) -> Callable[..., Any]:
        doc = inspect.cleandoc(fn.__doc__ or "")
        named = name or fn.__name__.lower().replace("_", "-")  # typer's own default name
        return app.command(named, cls=DxplanCommand, help=help_text(doc), short_help=help_text(doc.split("\n\n", 1)[0]))(fn)

    return register


def _registered(name: str) -> Any:
    """typer's record of the command ``name`` (a ``CommandInfo``), its module (:data:`dxplan.cli.registry.COMMANDS`)
    imported first; None when no command has that name."""
    from importlib import import_module

    from .registry import COMMANDS

    module = COMMANDS.get(name)
    if module is None:
        return None
    import_module(module)
    return next((info for info in app.registered_commands if info.name == name), None)


class Lang(str, Enum):
    ja = "ja"
    en = "en"


LangOpt = Annotated[Optional[Lang], typer.Option("--lang", help=help_text("message language (default: DXPLAN_LANG or ja)"))]
PathsArg = Annotated[Optional[list[Path]], typer.Argument(metavar="PATH", help=help_text("plan folders, a folder of plans, or files in a plan (default: the current folder when it is a plan or a plans repository)"))]


#: ``dxplan --lang en COMMAND``: the language given before the command (set by the root callback for each run).
_ROOT_LANG: list[str] = []


def resolve_lang(lang: Lang | None) -> str:
    """The language of messages: the command's ``--lang``, else the one before the command
    (``dxplan --lang en lint``), else ``DXPLAN_LANG``, else ja.

    The choice is also recorded (:func:`dxplan.i18n.set_command_lang`) for the code that words a
    message without being passed the language (cache warnings, worker processes).
    """
    chosen = lang.value if lang else _ROOT_LANG[0] if _ROOT_LANG else default_lang()
    set_command_lang(chosen)
    return chosen


_install_help_fixes(_console_class)


def console_when_asked() -> Callable[[], Console]:
    """:func:`make_console` as the writers of :mod:`dxplan.output.formats` take it: made at the first call, the same one after."""
    return functools.cache(make_console)


def format_option(formats: Formats, *, optional: bool = False) -> Any:
    """The ``--format``/``-f`` option choosing one of ``formats`` (a registry of :mod:`dxplan.output.formats`).

    The choice is the registry's names and the help its help line, read when the command is declared:
    a format added to the registry is offered without touching the command. The default is the
    command's (``= formats.default``); ``optional``: None when not given, the command then chooses.
    """
    choice = Literal[formats.names]  # type: ignore[valid-type,name-defined]  # the names are known at run time only
    return Annotated[Optional[choice] if optional else choice, typer.Option("--format", "-f", help=help_text(formats.help))]


def run_writer(formats: Formats, name: str, *args: Any, **kwargs: Any) -> Any:
    """What format ``name`` of ``formats`` writes: its writer called with ``args`` and ``kwargs`` (imported now).

    A writer that cannot write (a template error, a PDF not printed) raises a
    :class:`dxplan.i18n.UserError`, which ends the command like any other (exit 1).
    """
    return formats.writer(name)(*args, **kwargs)


def echo(text: str, *, err: bool = False, nl: bool = True) -> None:
    """Print a worded line (standard output, or stderr with ``err``) with the control and escape
    characters it may carry from plan text or a sheet's cells made visible
    (:func:`dxplan.output.visible.visible`): the one way the commands print text."""
    from dxplan.output.visible import visible

    typer.echo(visible(text), err=err, nl=nl)


def echo_output(out: str | bytes | None) -> None:
    """Print what a writer returned: text with control characters made visible
    (:func:`dxplan.output.visible.visible`), bytes (a binary format) exactly, or nothing (it printed on the console)."""
    from dxplan.output.visible import visible

    if isinstance(out, bytes):
        sys.stdout.buffer.write(out)
        sys.stdout.flush()
    elif out:
        typer.echo(visible(out), nl=False)


def is_stdout(target: Path | None) -> bool:
    """Whether ``-o`` names standard output (``-o -``)."""
    return target is not None and str(target) == "-"


def write_result(target: Path, data: str | bytes, lang: str, *, default_name: bool = False) -> bool:
    """Write an output to ``target``: ``-`` is standard output, anything else a file through
    :func:`dxplan.files.atomic.write_output` (``default_name``: a name dxplan chose, where a symlink is refused).

    Returns True when a file was written (the command then says so on stderr), False for standard
    output. Exits 2 when the file cannot be written, or when a binary format (``bytes``: pdf, xlsx)
    would go to standard output that is a terminal.
    """
    from dxplan.files.atomic import write_output

    if is_stdout(target):
        if isinstance(data, bytes) and sys.stdout.isatty():
            fail(t(lang, "-o -: a binary format (pdf, xlsx) is not written to a terminal; redirect standard output to a file or a pipe"))
        echo_output(data)
        return False
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        write_output(target, data, default_name=default_name)
    except OSError as exc:
        fail(t(lang, "{target}: cannot write ({error})", target=target, error=exc.strerror or exc))
    return True


def say(message: str) -> None:
    """Print ``dxplan: message`` (already worded) on stderr: an error the command goes on after.

    Control characters a message carries from plan text are shown (:func:`dxplan.output.visible.visible`)."""
    from dxplan.output.visible import visible

    typer.echo(f"dxplan: {visible(message)}", err=True)


def fail(message: str, code: int = EXIT_USAGE) -> NoReturn:
    """Print ``dxplan: message`` (already worded) on stderr and exit with ``code`` (2, usage, unless given)."""
    say(message)
    raise typer.Exit(code)


JobsOpt = Annotated[Optional[int], typer.Option("--jobs", "-j", metavar="N", help=help_text("worker processes (default: DXPLAN_JOBS or one per CPU)"))]


def check_jobs(jobs: int | None, lang: str) -> None:
    """Exit 2 when ``--jobs`` is not a number of workers (below 1); None (not given) is fine."""
    if jobs is not None and jobs < 1:
        fail(t(lang, "--jobs: {n} is not a number of workers; give 1 or more", n=jobs))


AsOfOpt = Annotated[Optional[str], typer.Option("--as-of", "--rev", metavar="DATE|REV", help=help_text("the plans as of the last commit on or before DATE, or at REV"))]


class PlanStream:
    """The plans ``paths`` name (as of a date or revision from git), loaded one at a time as they are iterated.

    Iterating loads each plan folder when its turn comes and reports its load errors on
    stderr (positioned, as lint shows them, then a one-line summary), so a command that
    handles each plan and lets it go keeps the memory of one plan, whatever the number of
    plans. ``len()`` is the number of plan folders. Raises
    :class:`dxplan.files.layout.PlanNotFound` for a path that is not a plan and
    :class:`dxplan.files.gitio.GitError` for a revision git cannot read (usage errors, exit 2).
    """

    def __init__(self, paths: list[Path], lang: str, as_of: str | None = None) -> None:
        from dxplan.files.layout import discover

        self.lang = lang
        self._loaded: list[LoadedPlan] | None = None
        self._roots: list[Path] = []
        if as_of is not None:
            from dxplan.status.history import plans_as_of

            self._loaded = plans_as_of(paths, as_of)
            return
        self._roots = [root for root, _ in discover(paths)]

    def __len__(self) -> int:
        return len(self._loaded) if self._loaded is not None else len(self._roots)

    def __iter__(self) -> Iterator[LoadedPlan]:
        if self._loaded is not None:
            yield from self._loaded
            return
        from dxplan.files.load import load_plan

        for root in self._roots:
            loaded = load_plan(root, positions=False)
            self._report([p for p in loaded.problems if p.severity == "error"], root)
            yield loaded

    def map(self, fn: Callable[..., Any], *args: Any, jobs: int | None = None, cached: bool = False) -> Iterator[PlanOutcome]:
        """``fn(loaded_plan, *args)`` for every plan, in order, as :class:`dxplan.files.pool.PlanOutcome`; load errors reported as by iterating.

        Plan folders on disk are loaded and handled by worker processes
        (:func:`dxplan.files.pool.map_plans`; ``jobs`` None: ``DXPLAN_JOBS`` or one per CPU), so
        ``fn`` must be a module-level function returning picklable data; plans read from git
        (``--as-of``) are handled here. The output does not depend on the number of workers.
        ``cached``: each plan folder's outcome is kept in the results cache under the name of ``fn`` and
        taken from there while its files and ``args`` (their ``repr``: plain values only) are unchanged;
        ``fn`` must then depend on nothing but the plan and ``args``.
        """
        from dxplan.files.pool import map_plans, outcome_of

        if self._loaded is not None:  # as iterating them: read from git, nothing reported here
            for lp in self._loaded:
                yield outcome_of(fn, lp, args)
            return
        view = f"{fn.__module__}.{fn.__qualname__}" if cached else None
        for outcome in map_plans(fn, self._roots, args, jobs, view):
            self._report(outcome.errors, outcome.root)
            yield outcome

    def _report(self, errors: list, root: Path) -> None:
        """Print a plan's load errors on stderr (positioned, as lint shows them, so a CI log says where) and a one-line summary."""
        for p in errors[:MAX_SHOWN]:
            echo(f"{_rel(p.path)}:{p.line}:{p.column}: {p.severity} {p.rule} {p.message(self.lang)}", err=True)
        if errors:
            msg = t(self.lang, "{n} problem(s) in {root}; files with errors are left out — run `dxplan lint {root}`", n=len(errors), root=str(root))
            echo(f"dxplan: {msg}", err=True)


def load_all(paths: list[Path], lang: str, as_of: str | None = None) -> list[LoadedPlan]:
    """Every plan of :class:`PlanStream` at once (for commands that need them together); report files that did not load on stderr."""
    return list(PlanStream(paths, lang, as_of))


#: Load errors a data command prints (positioned) before its one-line summary.
MAX_SHOWN = 20


def _rel(path: Path) -> str:
    from dxplan.lint.formatters.text_format import _rel as rel

    return rel(path)


def exit_for(plans: Iterable[LoadedPlan]) -> int:
    """1 when a plan did not load or has errors, else 0."""
    return EXIT_PROBLEMS if any(lp.plan is None or any(p.severity == "error" for p in lp.problems) for lp in plans) else EXIT_OK


def parse_year(value: str | None) -> int | None:
    """``--year`` as a fiscal year (Western start year; 令和6年度 → 2024), None when not given.

    Raises :class:`dxplan.fiscal.FiscalYearError` (usage error, exit 2) for a text that is not one.
    """
    from dxplan.fiscal import parse_fiscal_year

    return None if value is None else parse_fiscal_year(value)


def outside_period(value: str | None, fy: int | None, loaded: LoadedPlan) -> UserError | None:
    """The usage error to raise when fiscal year ``fy`` (from ``--year`` text ``value``) is outside the loaded plan's period, else None.

    Returned, not raised, by the workers that count plans, so the command raises it in its own process.
    """
    plan = loaded.plan
    if fy is None or value is None:
        return None
    assert plan is not None, "a year is checked against a plan that loaded"
    if plan.period_start <= fy <= plan.period_end:
        return None
    params = {"value": value, "plan": plan.id, "start": plan.period_start, "end": plan.period_end}
    return UserError(N_("{value}: outside the plan period of {plan} ({start}–{end})"), params)


def parse_years(value: str | None, loaded: LoadedPlan) -> list[int] | None:
    """``--year`` as a one-element list of fiscal years (Western start year); None for all.

    Raises :class:`dxplan.i18n.UserError` (usage error, exit 2) when it is not a fiscal year or is outside the plan.
    """
    fy = parse_year(value)
    if fy is None:
        return None
    outside = outside_period(value, fy, loaded)
    if outside is not None:
        raise outside
    return [fy]


@app.callback(invoke_without_command=True)
def _root(
    version: Annotated[bool, typer.Option("--version", help=help_text("show the version"))] = False,
    lang: LangOpt = None,
) -> None:
    """Options before the command: ``--version``; ``--lang``, the language of the command and its ``--help``."""
    _ROOT_LANG[:] = [lang.value] if lang else []
    if version:
        echo(f"dxplan {__version__}")
        raise typer.Exit(0)




def default_plan_paths() -> list[Path]:
    """What commands without a path work on: ``plans/`` when it exists, else the current folder."""
    return [Path("plans")] if Path("plans").is_dir() else [Path(".")]


def plan_paths(paths: list[Path] | None) -> list[Path]:
    """The paths a command works on: those given, else the current folder when it is a plan
    or a plans repository (:func:`dxplan.files.layout.paths_or_here`, the one rule for a missing
    PATH, for every command that takes plan paths). Raises :class:`dxplan.i18n.UserError` (usage
    error, exit 2) when no path is given and the current folder is neither.
    """
    from dxplan.files.layout import paths_or_here

    return paths_or_here(paths)
