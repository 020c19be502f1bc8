"""The ``dxplan`` command line: a thin typer layer (parse options, call the core, pick a writer, exit).

One module per group of commands; :mod:`.common` holds the app, the shared options and helpers;
:mod:`.registry` names the module of each command. Each command is registered on the app through
:func:`.common.command`: a command's help is its docstring, translated (``make messages`` extracts it),
written nowhere else. A ``--format`` option is :func:`.common.format_option` of its writers' registry
(:mod:`dxplan.output.formats`).

May import: every layer; nothing imports it but ``dxplan.__main__``.

Start-up: a run imports only what it uses. :func:`main` answers ``dxplan --version`` without typer;
any other run imports typer and :mod:`.common`, and a command's module only when that command runs
(:mod:`.registry`: ``dxplan --help`` lists the commands from their docstrings without building them
from their signatures). The command modules do not use ``from __future__ import annotations``
(typer would then ``eval`` each annotation string four times), and they import the core, models and
writers inside each command, so ``dxplan --help`` imports none of them (``tests/test_startup.py``
checks which modules a start-up imports). Two answers come before typer too: ``dxplan status PATH…``
for plans the results cache holds (:mod:`.quick`) and the root help page as typer printed it last
time (:mod:`.help_cache`); each falls back to typer for anything it cannot answer. :data:`app` (``from dxplan.cli import app``, for tests
and programs) is the same app with every command module imported.
"""

from __future__ import annotations

import sys
from typing import Any

__all__ = ["app", "main"]


def __getattr__(name: str) -> Any:
    """``dxplan.cli.app``: the typer app with every command registered (imported on first use)."""
    if name != "app":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from .common import app
    from .registry import COMMANDS, import_all

    import_all()
    # a module imported earlier on its own registered its commands first: the registry's order, whatever came first
    order = list(COMMANDS)
    app.registered_commands.sort(key=lambda info: order.index(info.name) if info.name in order else len(order))
    return app


def main() -> None:
    """Console-script entry point (``dxplan``).

    ``dxplan --version`` alone prints the version without importing typer (the same line the
    root option prints); :func:`.quick.answer` answers a cached ``status`` and the kept root help
    page; anything else typer runs (and :func:`.help_cache.kept` keeps a root help page it prints).
    A reader that stops early (``dxplan status … | head``) ends the command quietly with exit 0.
    """
    try:
        if sys.argv[1:] == ["--version"]:
            from dxplan import __version__

            sys.stdout.write(f"dxplan {__version__}\n")
            sys.stdout.flush()
            sys.exit(0)
        from .quick import answer

        answered = answer(sys.argv[1:])
        if answered is not None:
            sys.exit(answered)
        from .help_cache import kept

        with kept(sys.argv[1:]):  # the root help page, kept for the next `dxplan --help`
            from .common import app  # typer's own messages set to the command line's language first

            app()
    except KeyboardInterrupt:  # pragma: no cover
        sys.exit(130)
    except BrokenPipeError:
        _quiet_stdout()
        sys.exit(0)
    except SystemExit as exc:
        # typer.echo's writes go through click, which ends a command whose reader went away with
        # exit 1 after wrapping stdout in its PacifyFlushWrapper; the reader chose to stop: success.
        if exc.code == 1 and type(sys.stdout).__name__ == "PacifyFlushWrapper":
            _quiet_stdout()
            sys.exit(0)
        raise



def _quiet_stdout() -> None:
    """Point stdout at /dev/null so Python's flush at exit does not fail again on the closed pipe."""
    import os

    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
