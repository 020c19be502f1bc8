"""The one message catalogue: every word dxplan shows a person, in Japanese or English.

Messages are written in English in the code (the gettext ``msgid``) and translated into Japanese,
the language of the plans, in ``locale/ja/LC_MESSAGES/dxplan.po``. Japanese is the default;
``--lang en`` or ``DXPLAN_LANG=en`` gives English (see :func:`dxplan.problems.default_lang`).

- :func:`t` words a message now: ``t(lang, "{n} files checked", n=3)``.
- :class:`Text` is a message *key* with its parameters, worded later: the pure core returns
  ``Text`` (or plain numbers), writers call ``text(lang)``.
- :func:`N_` marks a module-level message so ``pybabel extract`` finds it (it returns its
  argument unchanged).
- A command's help is its function's docstring (``dxplan.cli.common.command``), which
  :func:`extract_command_help` extracts.
- :class:`UserError` is the one error a person reads: a message key, its parameters and an
  optional file position, worded by the command line.

Catalogue upkeep (``make messages``)::

    pybabel extract -F babel.cfg -k t:2 -k pt:2c,3 -k NP_:1c,2 -k N_ -k Text -k help_text \
        -o src/dxplan/locale/dxplan.pot .
    pybabel update -i src/dxplan/locale/dxplan.pot -d src/dxplan/locale -D dxplan
    pybabel compile -d src/dxplan/locale -D dxplan

The compiled ``.mo`` files ship inside the package; ``tests/test_messages.py`` checks that every
message in the code has a Japanese translation with the same placeholders and that the compiled
catalogue matches its ``.po`` source.
"""

from __future__ import annotations

import gettext
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path, PurePath
from typing import Any, ClassVar

from dxplan.problems import EXIT_USAGE

#: gettext domain and where the compiled catalogues live (inside the package).
DOMAIN = "dxplan"
LOCALE_DIR = Path(__file__).with_name("locale")

#: The languages dxplan speaks; the first is the default.
LANGS = ("ja", "en")


@cache
def catalogue(lang: str) -> gettext.NullTranslations:
    """The compiled catalogue for ``lang`` (``ja``); English is the message ids themselves."""
    if lang == "en":
        return gettext.NullTranslations()
    return gettext.translation(DOMAIN, LOCALE_DIR, languages=[lang], fallback=True)


_command_lang: list[str] = []


def set_command_lang(lang: str) -> None:
    """Record the language the running command words its messages in (set by the CLI for each command)."""
    _command_lang[:] = [lang]


def command_lang(default: str) -> str:
    """The language recorded by :func:`set_command_lang`, else ``default``."""
    return _command_lang[0] if _command_lang else default


def requested_lang(argv: list[str]) -> str:
    """The language a command line asks for before its options are parsed (for ``--help`` and usage errors):
    ``--lang ja|en`` or ``--lang=…`` in ``argv``, else ``DXPLAN_LANG``, else ja."""
    import os

    for i, arg in enumerate(argv):
        value = argv[i + 1] if arg == "--lang" and i + 1 < len(argv) else arg.removeprefix("--lang=") if arg.startswith("--lang=") else None
        if value in LANGS:
            return value
    env = os.environ.get("DXPLAN_LANG", "").lower()
    return env if env in LANGS else LANGS[0]


def resolve(value: Any, lang: str) -> Any:
    """``value`` worded for ``lang`` when it is a :class:`Text` or a ``callable(lang)``; else unchanged."""
    if isinstance(value, Text):
        return value(lang)
    if callable(value):
        return value(lang)
    return value


def t(lang: str, msgid: str, /, **params: Any) -> str:
    """``msgid`` translated into ``lang`` and formatted with ``params`` (str.format placeholders).

    Parameters that are :class:`Text` or ``callable(lang)`` are worded in the same language first.
    """
    text = catalogue(lang).gettext(msgid)
    if not params:
        return text
    return text.format(**{k: resolve(v, lang) for k, v in params.items()})


def pt(lang: str, context: str, msgid: str, /, **params: Any) -> str:
    """Like :func:`t` for a message whose English is shared with another meaning (gettext ``msgctxt``):
    ``pt(lang, "method", "summary evaluation")`` can be translated apart from the diff's wording."""
    text = catalogue(lang).pgettext(context, msgid)
    return text.format(**{k: resolve(v, lang) for k, v in params.items()}) if params else text


def NP_(context: str, msgid: str) -> tuple[str, str]:
    """Mark a message with a context for extraction; returns ``(context, msgid)`` for :func:`pt`."""
    return context, msgid


def N_(msgid: str) -> str:
    """Mark a message for extraction without translating it (module-level constants)."""
    return msgid


@dataclass(frozen=True)
class Text:
    """A message key and its parameters, worded when a writer knows the language.

    ``Text("{n} rows", n=3)("ja")`` → ``"3 行"``. Parameters may themselves be ``Text``.
    """

    msgid: str
    params: dict[str, Any] = field(default_factory=dict)

    def __init__(self, msgid: str, /, **params: Any) -> None:
        object.__setattr__(self, "msgid", msgid)
        object.__setattr__(self, "params", params)

    def __call__(self, lang: str) -> str:
        return t(lang, self.msgid, **self.params)

    def __hash__(self) -> int:
        return hash((self.msgid, tuple(sorted((k, repr(v)) for k, v in self.params.items()))))


class UserError(Exception):
    """The one error a person reads: a message key, its parameters and, optionally, where in a file.

    Every module raises it (or a subclass, where a caller must catch one kind: ``except GitError``)
    for what a person must act on; nothing words it but :meth:`message`, and the command line
    (:mod:`dxplan.cli.common`) is the one place that catches it, prints ``dxplan: <message>`` on
    stderr in the command's language and exits with :attr:`exit_code`. Subclasses add no wording.

    ``UserError(N_("{path}: no such file or folder"), {"path": "nosuch"})``:

    - ``msgid``: the message in English, marked for extraction (``N_``); translated by :func:`t`.
    - ``params``: values for its placeholders; a :class:`Text` or ``callable(lang)`` value (another
      error's :meth:`message`, a :class:`Listed`) is worded in the same language.
    - ``path``, ``line``, ``column`` (1-based): where in a file, when the message is about one place;
      :meth:`message` puts what is given first: ``path:line:column: message``.

    ``str(exc)`` is the English wording (logs, tracebacks, a ``ValueError`` for pydantic). The
    arguments are kept in ``args`` as given, so the error crosses to and from worker processes
    (pickle) unchanged.
    """

    #: The exit code of a command that ends with this error: usage (2), unless a subclass for
    #: problems found says 1 (:data:`dxplan.problems.EXIT_PROBLEMS`).
    exit_code: ClassVar[int] = EXIT_USAGE

    def __init__(self, msgid: str, params: Mapping[str, Any] | None = None, path: str | PurePath | None = None,
                 line: int | None = None, column: int | None = None) -> None:
        super().__init__(msgid, params, path, line, column)
        self.msgid = msgid
        self.params: dict[str, Any] = dict(params or {})
        self.path = path
        self.line = line
        self.column = column

    def message(self, lang: str) -> str:
        """The message in ``lang`` (``ja`` or ``en``), after its position when it has one:
        ``path:line:column: message``, ``path:line: message``, ``path: message`` (what is given)."""
        text = t(lang, self.msgid, **self.params)
        where = [] if self.path is None else [str(self.path)]
        if self.line is not None:
            where += [str(self.line)] if self.column is None else [str(self.line), str(self.column)]
        return f"{':'.join(where)}: {text}" if where else text

    def __str__(self) -> str:
        return self.message("en")


@dataclass(frozen=True)
class Listed:
    """A ``callable(lang)`` wording ``items`` (each a :class:`Text`, a ``callable(lang)`` or plain) and joining them.

    ``sep``: the separator, None for the language's own (``、`` or ``, ``); ``suffix`` is appended
    (e.g. ``" …"`` when items were left out); ``empty``: a msgid worded when there are no items.
    A value, not a closure, so results holding it can cross to and from worker processes (pickle).
    """

    items: tuple[Any, ...]
    sep: str | None = None
    suffix: str = ""
    empty: str | None = None

    def __call__(self, lang: str) -> str:
        if not self.items and self.empty is not None:
            return t(lang, self.empty)
        sep = self.sep if self.sep is not None else (", " if lang == "en" else "、")
        return sep.join(str(resolve(i, lang)) for i in self.items) + self.suffix


def joined(items: list[Any], empty: str | None = None) -> Listed:
    """A ``callable(lang)`` listing ``items`` the language's way (``、`` or ``, ``); ``empty`` (a msgid) when none."""
    return Listed(tuple(items), empty=empty)


#: Canonical states in English.
STATE_EN = {"not_started": "not started", "considering": "considering", "in_progress": "in progress", "done": "done"}

#: docs/domain.md's Japanese words for the canonical states, used where a plan declares none.
STATE_JA = {"not_started": "未着手", "considering": "検討中", "in_progress": "進捗中", "done": "完了"}


def extract_command_help(fileobj, keywords, comment_tags, options):
    """Babel extractor for the command modules (``babel.cfg``): their Python messages, plus each command's help.

    A command's help is the docstring of a function decorated with ``@command(...)``
    (``dxplan.cli.common.command``), cleaned as :func:`inspect.cleandoc` cleans it: extracted whole
    (the command's ``--help`` page) and its first paragraph (its line in the list of commands).
    """
    import ast

    from babel.messages.extract import extract_python

    source = fileobj.read()
    fileobj.seek(0)
    yield from extract_python(fileobj, keywords, comment_tags, options)
    text = source.decode("utf-8") if isinstance(source, bytes) else source
    for node in ast.walk(ast.parse(text)):
        if not isinstance(node, ast.FunctionDef) or not any(_is_command(d) for d in node.decorator_list):
            continue
        doc = ast.get_docstring(node)  # cleaned as inspect.cleandoc cleans the function's __doc__
        if doc:
            for msgid in dict.fromkeys((doc, doc.split("\n\n", 1)[0])):
                yield node.lineno, "_", msgid, []


def _is_command(decorator: Any) -> bool:
    """Whether a decorator (an AST node) is ``@command(...)`` or ``@command``."""
    import ast

    target = decorator.func if isinstance(decorator, ast.Call) else decorator
    return isinstance(target, ast.Name) and target.id == "command"
