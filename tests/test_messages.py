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
