"""Usage errors (a bad option, a missing argument, a bad choice, an unknown command) worded from dxplan's catalogue.

typer parses the command line with its own copy of click, which words these errors in English
f-strings (``No such option: --bogus``, ``Missing argument 'PATH'.``) that no catalogue reaches.
The exceptions carry what the message is about (the option, the parameter, the value, the
choices), so :func:`describe` words each kind again from dxplan's catalogue, and :func:`show`
prints the usage line, the help hint and the message in the language the command line asks for
(``--lang`` before or after the command, else ``DXPLAN_LANG``, else ja). A message of a kind not
known here is shown as the library words it.

Exit code 2 (usage error), as every dxplan usage error.
"""

from __future__ import annotations

import re
import sys
from typing import Any

from typer._click import exceptions as click_exc

from dxplan.i18n import t

#: ``'foo' is not one of 'a', 'b'.``: the value error typer raises for a value outside a choice.
_NOT_ONE_OF = re.compile(r"(?P<value>'.*') is not one of (?P<choices>.*)\.$", re.S)
#: ``Got unexpected extra argument(s) (a b)``.
_EXTRA = re.compile(r"^Got unexpected extra argument\(s\) \((?P<args>.*)\)$", re.S)


class UnknownCommand(click_exc.UsageError):
    """``dxplan NAME`` where NAME is no command: the name typed and the commands it is close to."""

    def __init__(self, name: str, matches: list[str], ctx: Any) -> None:
        super().__init__(f"No such command {name!r}.", ctx)
        self.name = name
        self.matches = matches


def describe(exc: click_exc.ClickException, lang: str) -> str:
    """The message of a usage error ``exc`` (from typer's click) in ``lang``: what was wrong, without the usage line."""
    if isinstance(exc, UnknownCommand):
        text = t(lang, "no command '{name}'", name=exc.name)
        if exc.matches:
            text += t(lang, "; did you mean {names}?", names=", ".join(f"'{m}'" for m in exc.matches))
        return text
    if isinstance(exc, click_exc.NoSuchOption):
        text = t(lang, "no option {option}", option=exc.option_name)
        if exc.possibilities:
            text += t(lang, " (options close to it: {options})", options=", ".join(sorted(exc.possibilities)))
        return text
    if isinstance(exc, click_exc.MissingParameter):
        hint = _hint(exc)
        if (exc.param_type or getattr(exc.param, "param_type_name", "")) == "option":
            return t(lang, "option {name} is missing", name=hint)
        return t(lang, "argument {name} is missing", name=hint)
    if isinstance(exc, click_exc.BadParameter):
        return t(lang, "{name}: {problem}", name=_hint(exc), problem=_bad_value(exc, lang))
    if isinstance(exc, click_exc.BadOptionUsage):
        if exc.message.endswith("does not take a value."):
            return t(lang, "option {option} takes no value", option=exc.option_name)
        if " requires " in exc.message:
            return t(lang, "option {option} needs a value", option=exc.option_name)
    message = exc.format_message()
    if message == "Missing command.":
        return t(lang, "no command given")
    extra = _EXTRA.match(message)
    if extra:
        return t(lang, "unexpected argument(s): {args}", args=extra["args"])
    return message


def _hint(exc: click_exc.BadParameter) -> str:
    """The parameter an error is about, as the command line spells it (``'PATH'``, ``'--format' / '-f'``)."""
    hint = exc.param_hint
    if hint is None and exc.param is not None:
        hint = exc.param.get_error_hint()
    if hint is None:
        return ""
    return hint if isinstance(hint, str) else " / ".join(repr(h) for h in hint)


def _bad_value(exc: click_exc.BadParameter, lang: str) -> str:
    """What is wrong with the value of a bad parameter, from the validation error under it (pydantic's, typer's)."""
    cause = exc.__cause__
    errors: list[Any] = getattr(cause, "errors", list)()
    detail = errors[0] if errors else {}
    kind = detail.get("type", "")
    error = (detail.get("ctx") or {}).get("error")
    not_one_of = _NOT_ONE_OF.search(str(error) if error is not None else exc.message)
    if not_one_of:
        return t(lang, "{value} is not one of {choices}", value=not_one_of["value"], choices=not_one_of["choices"])
    value = detail.get("input")
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return t(lang, "'{value}' is not a whole number", value=value)
    if kind in ("float_parsing", "float_type"):
        return t(lang, "'{value}' is not a number", value=value)
    if value is not None:
        return t(lang, "'{value}' is not accepted here", value=value)
    return exc.message


def usage_line(ctx: Any, lang: str) -> str:
    """``Usage: dxplan lint [OPTIONS] [PATH]...`` for the command of ``ctx``, worded in ``lang``."""
    pieces = ctx.command.collect_usage_pieces(ctx)
    return f"{t(lang, 'Usage:')} {ctx.command_path} {' '.join(usage_piece(p, lang) for p in pieces)}".rstrip()


def usage_piece(piece: str, lang: str) -> str:
    """One piece of a usage line: typer's ``[OPTIONS]`` and ``COMMAND [ARGS]...`` worded in ``lang``; a metavar unchanged."""
    if piece == "[OPTIONS]":
        return t(lang, "[OPTIONS]")
    if piece == "COMMAND [ARGS]...":
        return t(lang, "COMMAND [ARGS]...")
    return piece


def show(exc: click_exc.ClickException, lang: str) -> None:
    """Print a usage error on stderr: the usage line, where to get help, and ``dxplan: <message>``, in ``lang``."""
    ctx = getattr(exc, "ctx", None)
    lines = []
    if ctx is not None:
        lines.append(usage_line(ctx, lang))
        if ctx.command.get_help_option(ctx) is not None:
            lines.append(t(lang, "'{command} {option}' shows how to use it.", command=ctx.command_path, option=ctx.help_option_names[0]))
    lines.append(f"dxplan: {describe(exc, lang)}")
    sys.stderr.write("\n".join(lines) + "\n")
    sys.stderr.flush()
