"""Which module defines each ``dxplan`` command: the one list a start-up reads.

A command is imported, and built by typer from its function's signature, only when it runs (or its
own ``--help`` is shown): ``dxplan status`` imports :mod:`dxplan.cli.show` and builds ``status``
alone, ``dxplan --help`` lists every command from its docstring without building any, and
``dxplan --version`` imports neither typer nor a command module (:func:`dxplan.cli.main`).

**Adding a command** (the whole pattern):

1. write it in a module of this package as the others are: a function decorated with
   :func:`dxplan.cli.common.command` (its docstring is its help), the core imported inside the function;
2. add one line ``"name": "dxplan.cli.module"`` to :data:`COMMANDS`, where ``--help`` should list it.

``tests/test_startup.py::test_every_command_is_in_the_registry`` fails when a module registers a
command this list does not name (or names it under another module).
"""

from __future__ import annotations

#: Command name → the module whose import registers it, in the order ``dxplan --help`` lists them.
COMMANDS: dict[str, str] = {
    "compare": "dxplan.cli.across",
    "crosswalk": "dxplan.cli.across",
    "lint": "dxplan.cli.check",
    "rules": "dxplan.cli.check",
    "diff": "dxplan.cli.diff",
    "fmt": "dxplan.cli.files",
    "schema": "dxplan.cli.files",
    "export": "dxplan.cli.office",
    "import": "dxplan.cli.office",
    "history": "dxplan.cli.office",
    "publish": "dxplan.cli.publish",
    "report": "dxplan.cli.report",
    "status": "dxplan.cli.show",
    "score": "dxplan.cli.show",
    "init": "dxplan.cli.start",
    "new": "dxplan.cli.start",
    "site": "dxplan.cli.website",
}


def import_all() -> None:
    """Import every command module, so that each command is registered on :data:`dxplan.cli.common.app`
    (for :data:`dxplan.cli.app`: a program or test that builds the whole command tree at once)."""
    from importlib import import_module

    for module in dict.fromkeys(COMMANDS.values()):
        import_module(module)
