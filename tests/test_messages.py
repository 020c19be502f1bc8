"""The message catalogue (dxplan.i18n): compiled catalogue in step with its source, placeholders kept."""

from __future__ import annotations

import gettext
import re
from pathlib import Path

from babel.messages.pofile import read_po

from dxplan.i18n import LOCALE_DIR, Text, t

PO = LOCALE_DIR / "ja" / "LC_MESSAGES" / "dxplan.po"
MO = LOCALE_DIR / "ja" / "LC_MESSAGES" / "dxplan.mo"
_PLACEHOLDER = re.compile(r"\{(\w+)[^{}]*\}")


def _po() -> dict[str, str]:
    with PO.open("rb") as f:
        return {(f"{m.context}\x04{m.id}" if m.context else m.id): m.string for m in read_po(f, locale="ja") if m.id and m.string}


def test_compiled_catalogue_matches_its_source():
    """`make messages` compiles the .po; a .po edit without recompiling would be lost at run time."""
    with MO.open("rb") as f:
        compiled = gettext.GNUTranslations(f)._catalog  # noqa: SLF001 (the one reader of .mo files)
    compiled = {k: v for k, v in compiled.items() if k}
    assert compiled == _po()


def test_translations_keep_every_placeholder():
    for msgid, msgstr in _po().items():
        assert sorted(_PLACEHOLDER.findall(msgid)) == sorted(_PLACEHOLDER.findall(msgstr)), msgid


def test_text_is_worded_per_language_with_nested_parameters():
    hint = Text(" Did you mean '{word}'?", word="進捗中")
    assert hint("ja") == "もしかして「進捗中」？"
    assert hint("en") == " Did you mean '進捗中'?"
    assert t("ja", "unknown key '{key}'{where}.{hint}", key="categry", where="", hint=hint) == "未知のキー「categry」。もしかして「進捗中」？"


def _extracted(tmp_path: Path) -> set[str]:
    """The messages `make messages` extracts (same configuration and keywords), as catalogue keys."""
    from babel.messages.frontend import CommandLineInterface

    root = Path(__file__).resolve().parents[1]
    pot = tmp_path / "dxplan.pot"
    keywords = ["t:2", "pt:2c,3", "NP_:1c,2", "N_", "Text", "help_text"]
    args = ["pybabel", "-q", "extract", "-F", str(root / "babel.cfg"), "--no-location", "-o", str(pot)]
    for k in keywords:
        args += ["-k", k]
    CommandLineInterface().run([*args, str(root)])
    with pot.open("rb") as f:
        return {(f"{m.context}\x04{m.id}" if m.context else m.id) for m in read_po(f) if m.id}


def test_every_message_in_the_code_has_a_japanese_translation(tmp_path):
    """Extract the messages as `make messages` does; each must be translated (Japanese is the default language)."""
    wanted = _extracted(tmp_path)
    assert len(wanted) > 600  # rule messages, rule docs, help texts, report and diff words
    translated = _po()
    missing = sorted(k for k in wanted if isinstance(k, str) and k not in translated)
    assert missing == []


def test_each_command_help_is_its_docstring_extracted_and_translated(tmp_path):
    """A command's help is written once, as its docstring: `make messages` extracts it and its first
    paragraph (the line in the list of commands), and `--help` shows their translations."""
    import inspect

    import typer.main

    from dxplan.cli import app
    from dxplan.cli.common import help_text

    wanted = _extracted(tmp_path)
    commands = typer.main.get_command(app).commands
    assert len(commands) == 17
    for name, cmd in commands.items():
        doc = inspect.cleandoc(cmd.callback.__doc__)
        first = doc.split("\n\n", 1)[0]
        assert {doc, first} <= wanted, name
        assert t("ja", doc) != doc and t("ja", first) != first, name
        assert cmd.help == help_text(doc) and cmd.short_help == help_text(first), name
