"""``dxplan status PATH…`` answered from the results cache before typer, pydantic or the models are imported.

``dxplan status plans/kama`` on an unchanged plan prints tables the results cache already holds
(rendered by the run that computed them: :mod:`.rendered`). Importing typer (its option parsing
goes through pydantic), building the model classes and loading the plan would cost several times
what printing them does, so :func:`dxplan.cli.main` first asks :func:`answer`: when the command line
is one of the simple forms below and every plan is answered by the cache, the tables are printed
here; otherwise nothing is printed and the command runs through typer as always (the same lookup
then finds the same entries, or computes and stores what is missing).

The simple forms, whose parsing by typer is known exactly: ``status`` followed by plan paths (none
starting with ``-``, none empty), with ``--lang ja|en`` (or ``--lang=ja|en``) at most once before
``status`` and at most once after it. Anything else — another option, another value of ``--lang``,
no path (``status`` alone picks the current folder), shell completion (``_DXPLAN_COMPLETE``) —
goes to typer. The answer is what ``status`` prints for those forms: the language is resolved as
:func:`dxplan.cli.common.resolve_lang` resolves it, the console is :func:`.console.make_console`'s
and the cache entry is the one ``status`` stores (view :data:`STATUS_TABLE_VIEW`, arguments
:func:`status_table_args`); a plan with load errors, a plan not in the cache, a cache turned off or an
entry of another shape gives no answer, and so does any trouble with the cache (a corrupt entry, a
database SQLite cannot read: :func:`dxplan.files.result_cache.probing`), left as it is for typer's
run to report. ``status``'s progress display (stderr on a terminal,
transient, for work that takes seconds) is not shown for an answer that takes milliseconds.
``tests/test_quick.py`` runs each form both ways and compares stdout, stderr and exit code.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .rendered import ConsoleSettings

__all__ = ["answer", "STATUS_TABLE_VIEW", "status_table_args"]

#: The results-cache view ``status --format table`` keeps each plan's rendered tables under: the
#: name of its worker function, as :meth:`dxplan.cli.common.PlanStream.map` names a view.
STATUS_TABLE_VIEW = "dxplan.cli.show._status_table_of"
#: The classes (as :mod:`dxplan.files.plain` names them) of a stored ``status`` table view: the plan's outcome and its rendering.
OUTCOME_CLASS = "dxplan.files.pool:PlanOutcome"
RENDERED_CLASS = "dxplan.cli.show:RenderedPlan"

LANGS = ("ja", "en")


def status_table_args(lang: str, settings: ConsoleSettings) -> tuple[Any, ...]:
    """The arguments of ``status``'s table view for a command line without ``--year`` and ``--by``:
    (``--year`` text, its fiscal year, ``--by``, language, console settings), as ``status`` passes them."""
    return (None, None, None, lang, settings)


def answer(argv: list[str]) -> int | None:
    """The exit code after printing what ``dxplan`` with arguments ``argv`` prints, when it is one of the
    forms of the module docstring answered wholly from the results cache; None when nothing was printed
    (the command is to run through typer)."""
    if "_DXPLAN_COMPLETE" in os.environ or os.environ.get("DXPLAN_NO_CACHE"):  # completion; no cache to answer from
        return None
    from .help_cache import replay

    page = replay(argv)
    if page is not None:
        return page
    form = status_form(argv)
    if form is None:
        return None
    paths, lang = form
    return _status(paths, lang)


def status_form(argv: list[str]) -> tuple[list[str], str | None] | None:
    """(plan paths, language asked for or None) when ``argv`` is ``[--lang L] status PATH… [--lang L] PATH…``
    with at least one path; None for any other command line."""
    rest = list(argv)
    root_lang, rest = _lang_option(rest)
    if rest[:1] != ["status"]:
        return None
    lang: str | None = None
    paths: list[str] = []
    rest = rest[1:]
    while rest:
        if lang is None and (rest[0] == "--lang" or rest[0].startswith("--lang=")):
            lang, rest = _lang_option(rest)
            if lang is None:
                return None
            continue
        arg = rest.pop(0)
        if not arg or arg.startswith("-"):
            return None
        paths.append(arg)
    return (paths, lang or root_lang) if paths else None


def _lang_option(args: list[str]) -> tuple[str | None, list[str]]:
    """(ja or en, the arguments after it) when ``args`` starts with ``--lang ja|en`` or ``--lang=ja|en``; else (None, ``args``)."""
    if args[:1] == ["--lang"] and len(args) > 1 and args[1] in LANGS:
        return args[1], args[2:]
    if args[:1] and args[0].startswith("--lang=") and args[0].removeprefix("--lang=") in LANGS:
        return args[0].removeprefix("--lang="), args[1:]
    return None, args


def _status(paths: list[str], asked: str | None) -> int | None:
    """``status PATH…`` (table) from the results cache: the exit code (0) after printing, or None with nothing printed."""
    from dxplan.files import result_cache
    from dxplan.i18n import set_command_lang
    from dxplan.problems import default_lang

    if result_cache.cache_dir() is None:
        return None
    lang = asked or default_lang()
    set_command_lang(lang)
    from dxplan.files.layout import discover, paths_or_here
    from dxplan.files.views import Found, find_view
    from dxplan.i18n import UserError

    from .console import make_console
    from .rendered import console_settings, print_captured

    try:
        roots = [root for root, _ in discover(paths_or_here([Path(p) for p in paths]))]
    except UserError:  # not a plan: typer's run words the error
        return None
    console = make_console()
    args = status_table_args(lang, console_settings(console))
    shown: list[tuple[str, Any]] = []
    try:
        with result_cache.probing():  # trouble with the cache: typer's run meets it and reports it
            for root in roots:
                found = find_view(root, STATUS_TABLE_VIEW, args, _rendered)
                if not isinstance(found, Found):
                    return None
                shown.append(found.value)
    except result_cache.Trouble:
        return None
    overviews: list[Any] = []
    if len(shown) > 1:
        from dxplan.files.plain import from_plain

        try:
            overviews = [from_plain(overview) for _, overview in shown]
        except ValueError:
            return None
    for text, _ in shown:
        print_captured(console, text)
    if overviews:
        from dxplan.output.terminal import print_overview

        print_overview(console, overviews, lang)
    return 0


def _rendered(entry: Any) -> tuple[str, Any] | None:
    """(the text to print, the plain data of its line in the combined view) of a stored ``status`` table view of a
    plan that loaded without errors; None for any other entry (a plan with load errors is left to typer's run,
    which reports them)."""
    try:
        tag, name, outcome = entry
        if tag != "O" or name != OUTCOME_CLASS or outcome["errors"] != [] or outcome["loaded"] is not True:
            return None
        tag, name, rendered = outcome["value"]
        if tag != "O" or name != RENDERED_CLASS or type(rendered["text"]) is not str:
            return None
        return rendered["text"], rendered["overview"]
    except (TypeError, ValueError, KeyError):
        return None
