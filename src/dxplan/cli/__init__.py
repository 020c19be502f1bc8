"""The ``dxplan`` command line: a thin typer layer (parse options, call the core, pick a writer, exit).

One module per group of commands; :mod:`.common` holds the app, the shared options and helpers.
Importing this package registers every command on :data:`app`.
"""

from __future__ import annotations

import sys

from . import check, diff, files, office, report, show, start  # noqa: F401  (each registers its commands)
from .common import app

__all__ = ["app", "main"]


def main() -> None:
    """Console-script entry point (``dxplan``)."""
    try:
        app()
    except KeyboardInterrupt:  # pragma: no cover
        sys.exit(130)
