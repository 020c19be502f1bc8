"""The ``dxplan`` command line: a thin typer layer (parse options, call the core, pick a writer, exit).

One module per group of commands; :mod:`.common` holds the app, the shared options and helpers.
Importing this package registers every command on :data:`app`, each through :func:`.common.command`:
a command's help is its docstring, translated (``make messages`` extracts it), written nowhere else.
A ``--format`` option is :func:`.common.format_option` of its writers' registry (:mod:`dxplan.output.formats`).

May import: every layer; nothing imports it but ``dxplan.__main__``.

Start-up: typer builds every command from its function's annotations on each run,
so the command modules do not use ``from __future__ import annotations`` (typer would then
``eval`` each annotation string four times), and they import the core, models and writers
inside each command, so ``dxplan --help`` imports none of them
(``tests/test_startup.py`` checks which modules a start-up imports).
"""

from __future__ import annotations

import sys

from dxplan.i18n import requested_lang
from . import library_messages

library_messages.install(requested_lang(sys.argv[1:]))  # before typer is imported: it words its headings at import

from . import across, check, diff, files, office, publish, report, show, start, website  # noqa: E402,F401  (each registers its commands)
from .common import app  # noqa: E402

__all__ = ["app", "main"]


def main() -> None:
    """Console-script entry point (``dxplan``).

    A reader that stops early (``dxplan status … | head``) ends the command quietly with exit 0.
    """
    try:
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
