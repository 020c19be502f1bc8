"""typer's and click's own messages (usage errors, help headings) that dxplan's catalogue translates.

click and typer word their messages with the standard ``gettext`` module. :func:`install` points
that module at dxplan's catalogue and language before typer is imported, so ``dxplan statsu``
or a missing argument is reported in the language asked for (``--lang`` or ``DXPLAN_LANG``),
like every other dxplan message. The message ids below are typer's exact English texts (those it words through ``gettext``;
the click copy inside typer words the rest in English only), listed here so that
``pybabel extract`` puts them in the catalogue.
"""

from __future__ import annotations

import gettext
import os

from dxplan.i18n import DOMAIN, LOCALE_DIR, N_

MESSAGES = (
    N_("Error"),
    N_("Options"),
    N_("Commands"),
    N_("Arguments"),
    N_("[required]"),
    N_("[default: {}]"),
    N_("Aborted."),
    N_("Missing command."),
    N_("No such command {name!r}."),
    N_("Try [blue]'{command_path} {help_option}'[/] for help."),
    # the help of the options typer adds (dxplan.cli.common._library_help_worded)
    N_("Show this message and exit."),
    N_("Install completion for the current shell."),
    N_("Show completion for the current shell, to copy it or customize the installation."),
    N_("Install completion for the specified shell."),
    N_("Show completion for the specified shell, to copy it or customize the installation."),
)


def install(lang: str) -> None:
    """Make the standard ``gettext`` calls of click and typer answer from dxplan's catalogue in ``lang``.

    Call before typer is imported (typer words its help headings at import). Sets the process's
    ``LANGUAGE`` (read by ``gettext`` on each call) and the default text domain.
    """
    gettext.bindtextdomain(DOMAIN, str(LOCALE_DIR))
    gettext.textdomain(DOMAIN)
    os.environ["LANGUAGE"] = lang
