"""The ``dxplan`` command line: a thin typer layer (parse options, call the core, pick a writer, exit).

One module per group of commands; :mod:`.common` holds the app, the shared options and helpers.
Importing this package registers every command on :data:`app`.
"""

from __future__ import annotations

import sys

from ..i18n import requested_lang
from . import library_messages

library_messages.install(requested_lang(sys.argv[1:]))  # before typer is imported: it words its headings at import

from . import check, diff, files, office, report, show, start  # noqa: E402,F401  (each registers its commands)
from .common import app  # noqa: E402

__all__ = ["app", "main"]


def main() -> None:
    """Console-script entry point (``dxplan``)."""
    try:
        app()
    except KeyboardInterrupt:  # pragma: no cover
        sys.exit(130)
