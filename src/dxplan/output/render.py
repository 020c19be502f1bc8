"""Rendering through Jinja templates (Markdown and HTML): the environment, its filters and error handling.

The templates live in the repository's ``templates/`` folder; a user folder
given with ``--templates DIR`` comes first on the search path, so any template
can be overridden by name (``report.html.j2``, ``status.md.j2`` …).

This module only renders: the dicts the templates receive ("views") are built
by :mod:`dxplan.report.views` from figures computed elsewhere.

Escaping: HTML templates (``*.html``, ``*.html.j2``, ``*.svg.j2``) are rendered
with Jinja autoescaping, since plan text is untrusted input; Markdown templates
escape table cells with the ``md_cell`` filter and free text with ``md_text``.
On top of that, every value a template prints passes :func:`finalize`: in
Markdown, raw HTML (``<``/``>``, only ``<br>`` kept) and link or image brackets
are escaped, whichever filter was or was not used (the escape is idempotent, so
filtered text is not escaped twice); in every output, a ``{`` that would start
Jinja or client-side template syntax (``{{``, ``{%``, ``{#``) becomes ``&#123;``.
Missing variables raise (``StrictUndefined``). Any template problem becomes a
:class:`RenderError` whose message names the template file and line.
"""

from __future__ import annotations

import re
import traceback
from pathlib import Path
from typing import Any

from jinja2 import (
    Environment,
    pass_eval_context,
    FileSystemLoader,
    StrictUndefined,
    TemplateError,
    TemplateNotFound,
    TemplateSyntaxError,
    select_autoescape,
)
from markupsafe import Markup, escape

from dxplan import shipped
from dxplan.i18n import N_, UserError
from dxplan.problems import EXIT_PROBLEMS

from .visible import visible


def templates_dir() -> Path:
    """The default templates: ``dxplan/templates`` in an installed wheel (package data built
    from the repository's ``templates/``), else the repository's ``templates/`` (a source
    checkout or an editable install)."""
    return shipped("templates")


TEMPLATES_DIR = templates_dir()
"""The default template set: the repository's ``templates/`` folder."""

_AUTOESCAPE_EXT = ("html", "htm", "xml", "svg", "html.j2", "htm.j2", "xml.j2", "svg.j2")


class RenderError(UserError):
    """A template could not be found, parsed or rendered (exit 1); the message names the template file and line."""

    exit_code = EXIT_PROBLEMS


# --------------------------------------------------------------------------- environment


_MD_LINE_START = re.compile(r"^(\s*)([#>+*=-]|\d+[.)])")


def md_cell(value: Any) -> str:
    """Text safe inside one GitHub table cell: ``|`` escaped, newlines as ``<br>``, ``<``/``>`` as entities.

    None and empty strings become an empty cell.
    """
    if value is None:
        return ""
    text = str(value).replace("\\", "\\\\").replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;")
    lines = [ln.strip() for ln in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    return "<br>".join(ln for ln in lines if ln)


def md_text(value: Any) -> str:
    """Free text as one Markdown paragraph: ``<``/``>`` as entities, markup at a line start escaped, lines kept as hard breaks."""
    if value is None:
        return ""
    text = str(value).replace("\\", "\\\\").replace("<", "&lt;").replace(">", "&gt;")
    lines = [ln.strip() for ln in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    lines = [_MD_LINE_START.sub(lambda m: m.group(1) + "\\" + m.group(2), ln) for ln in lines if ln]
    return "\\\n".join(lines)


_TEMPLATE_SYNTAX = re.compile(r"\{(?=[{%#])")
_MD_BRACKET = re.compile(r"(?<!\\)((?:\\\\)*)([\[\]])")
_MD_LT = re.compile(r"<(?!br>)")
_MD_GT = re.compile(r"(?<!<br)>")


def md_safe(text: str) -> str:
    """``text`` with nothing Markdown would turn into HTML, a link or an image, or Jinja into a tag.

    ``<``/``>`` become entities (only ``<br>``, the line break :func:`md_cell` writes, is
    kept); ``[``/``]`` not already escaped get a backslash (so ``[x](url)`` and ``![x](url)``
    stay text); ``{`` starting ``{{``, ``{%`` or ``{#`` becomes ``&#123;``. Idempotent:
    ``md_safe(md_safe(s)) == md_safe(s)``, so text already escaped by :func:`md_cell` or
    :func:`md_text` is left as it is.
    """
    text = _MD_LT.sub("&lt;", text)
    text = _MD_GT.sub("&gt;", text)
    text = _MD_BRACKET.sub(lambda m: m.group(1) + "\\" + m.group(2), text)
    return _TEMPLATE_SYNTAX.sub("&#123;", text)


@pass_eval_context
def finalize(eval_ctx: Any, value: Any) -> Any:
    """What a template prints for ``value`` (Jinja's ``finalize``): see the module docstring.

    HTML (autoescaped) output: the value escaped as usual, then template syntax defused;
    Markdown output: :func:`md_safe` on any text; numbers and other values unchanged. Control
    characters in any text are made visible (:func:`dxplan.output.visible.visible`), in both.
    """
    if eval_ctx.autoescape:
        if value is None or isinstance(value, (int, float)):
            return value
        return Markup(visible(_TEMPLATE_SYNTAX.sub("&#123;", str(escape(value)))))
    if isinstance(value, str):
        return visible(md_safe(value))
    return value


def _nl2br(value: Any) -> Markup:
    """HTML text with line breaks kept: each line escaped, joined with ``<br>``."""
    if value is None:
        return Markup("")
    lines = str(value).replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return Markup("<br>").join(lines)


def environment(templates: Path | None = None) -> Environment:
    """The Jinja environment: ``templates`` (if given) first, then :data:`TEMPLATES_DIR`.

    Autoescaping is on for HTML/SVG/XML templates (by name, e.g. ``report.html.j2``),
    off for Markdown. Undefined variables raise. Filters: ``md_cell``, ``md_text``,
    ``nl2br`` (HTML line breaks, escaping each line).
    """
    search = [str(templates)] if templates is not None else []
    search.append(str(TEMPLATES_DIR))
    env = Environment(
        loader=FileSystemLoader(search),
        autoescape=select_autoescape(enabled_extensions=_AUTOESCAPE_EXT, default_for_string=False, default=False),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        finalize=finalize,
    )
    env.filters["md_cell"] = md_cell
    env.filters["md_text"] = md_text
    env.filters["nl2br"] = _nl2br
    return env


def _template_frame(exc: BaseException, env: Environment) -> tuple[str, int] | None:
    """(file, line) of the innermost template frame in ``exc``'s traceback (Jinja rewrites them to template lines)."""
    roots = [Path(p).resolve() for p in env.loader.searchpath] if isinstance(env.loader, FileSystemLoader) else []
    found = None
    for frame in traceback.extract_tb(exc.__traceback__):
        fname = frame.filename
        try:
            path = Path(fname).resolve()
        except (OSError, ValueError):
            continue
        if any(path.is_relative_to(r) for r in roots) or fname.endswith(".j2"):
            found = (fname, frame.lineno or 0)
    return found


def render_template(name: str, context: dict[str, Any], templates: Path | None = None, env: Environment | None = None) -> str:
    """Render template ``name`` with ``context``; any template problem becomes a :class:`RenderError`
    whose message names the template file and line."""
    env = env or environment(templates)
    try:
        template = env.get_template(name)
    except TemplateSyntaxError as exc:
        raise _syntax_error(exc) from None
    except TemplateNotFound as exc:
        dirs = ", ".join(env.loader.searchpath) if isinstance(env.loader, FileSystemLoader) else ""
        raise RenderError(N_("template {name} not found (searched: {dirs})"), {"name": exc.name, "dirs": dirs}) from None
    try:
        return template.render(**context)
    except TemplateSyntaxError as exc:  # in an included/imported template
        raise _syntax_error(exc) from None
    except TemplateNotFound as exc:
        frame = _template_frame(exc, env)
        where = f" ({frame[0]}:{frame[1]})" if frame else ""
        raise RenderError(N_("template {name} not found{where}"), {"name": exc.name, "where": where}) from None
    except (TemplateError, TypeError, ValueError, AttributeError, KeyError, ZeroDivisionError, LookupError) as exc:
        frame = _template_frame(exc, env)
        if frame is None:
            raise
        where = f"{frame[0]}:{frame[1]}"
        raise RenderError(N_("template error {where}: {error}"), {"where": where, "error": str(exc)}) from None


def _syntax_error(exc: TemplateSyntaxError) -> RenderError:
    """The :class:`RenderError` for a template that does not parse (its message says where)."""
    where = f"{exc.filename or exc.name}:{exc.lineno}"
    return RenderError(N_("template syntax error {where}: {message}"), {"where": where, "message": exc.message})


def tidy_markdown(text: str) -> str:
    """Collapse runs of blank lines left by template blocks into one; end with a single newline."""
    return re.sub(r"\n[ \t]*(\n[ \t]*)+\n", "\n\n", text).strip("\n") + "\n"
