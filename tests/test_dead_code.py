"""No dead code: every function, class, method, property and variable of ``src/dxplan`` is used.

vulture (a static checker, in the ``test`` extras) reads ``src/dxplan`` together with ``tests``,
``bench`` and ``tools``, and the names the Jinja templates use (they call Python functions and
attributes by name). What it still reports must be in :data:`USED_ELSEWHERE`: names that a
library calls (typer commands, pydantic validators and fields, rich and babel hooks) or that only
exist to be found (message ids for ``pybabel extract``). Attribute assignments are not checked:
they are almost all settings of openpyxl, ruamel.yaml or rich objects.
"""

from __future__ import annotations

import keyword
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "dxplan"

#: ``(file under src/dxplan, name)`` that vulture cannot see used, with why.
USED_ELSEWHERE = {
    # Python calls a module's __getattr__ for a name it lacks (dxplan.cli.app)
    ("cli/__init__.py", "__getattr__"),
    ("cli/help_page.py", "__getattr__"),
    # typer: the commands and the root callback are registered by decorator
    ("cli/check.py", "rules_command"),
    ("cli/common.py", "_root"),
    ("cli/office.py", "export_cmd"),
    ("cli/office.py", "import_cmd"),
    ("cli/office.py", "history_cmd"),
    # ruamel.yaml's pure-Python parser reads them from the loader object it is handed
    ("yamlread.py", "scanner"),
    ("yamlread.py", "comment_handling"),
    # click calls them to write a usage line
    ("cli/common.py", "format_usage"),
    # rich calls it when the reader closes the pipe
    ("cli/console.py", "on_broken_pipe"),
    # pybabel: the messages marked for extraction, and the extractor babel.cfg names
    ("cli/library_messages.py", "MESSAGES"),
    ("rules/__init__.py", "extract_messages"),
    ("i18n.py", "extract_command_help"),
    # pydantic: configuration, fields read only from plan files, validators
    ("model/base.py", "model_config"),
    ("model/schema.py", "increase"),
    ("model/schema.py", "_period_order"),
    ("model/schema.py", "_period_by_month"),
    ("model/schema.py", "_direction"),
    ("model/schema.py", "_id_text"),
    ("model/indicators.py", "_something"),
}

_TEMPLATE_SUFFIXES = (".j2",)


def _template_names() -> str:
    """A Python text naming every identifier the Jinja templates use and every writer the ``--format``
    registries name, as attributes of ``_``."""
    words: set[str] = set()
    for folder in (ROOT / "templates", SRC):
        for path in folder.rglob("*"):
            if path.suffix in _TEMPLATE_SUFFIXES:
                words |= set(re.findall(r"[A-Za-z_]\w*", path.read_text(encoding="utf-8")))
    # the --format registries name their writers as "module:function" strings, imported when chosen
    for path in SRC.rglob("*.py"):
        words |= set(re.findall(r"\"dxplan(?:\.\w+)+:(\w+)\"", path.read_text(encoding="utf-8")))
    return "".join(f"_.{w}\n" for w in sorted(words) if not keyword.iskeyword(w))


def test_no_dead_code(tmp_path):
    vulture = pytest.importorskip("vulture")
    names = tmp_path / "template_names.py"
    names.write_text(_template_names(), encoding="utf-8")
    v = vulture.Vulture()
    v.scavenge([str(SRC), str(ROOT / "tests"), str(ROOT / "bench"), str(ROOT / "tools"), str(names)])
    unused = {
        (Path(item.filename).resolve().relative_to(SRC).as_posix(), item.name)
        for item in v.get_unused_code(min_confidence=60)
        if item.typ != "attribute" and Path(item.filename).resolve().is_relative_to(SRC)
    }
    assert sorted(unused - USED_ELSEWHERE) == []
    assert sorted(USED_ELSEWHERE - unused) == [], "no longer reported: take it off USED_ELSEWHERE"
