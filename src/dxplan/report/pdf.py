"""The PDF report: the HTML report printed by WeasyPrint through its print stylesheet (``report.css``).

A4, page numbers and running header from ``@page`` margin boxes, contents with page numbers
(``target-counter``), bookmarks from the h1–h3 headings (``bookmark-level``), fonts embedded as
subsets by WeasyPrint (Noto Sans CJK JP from the system, Debian ``fonts-noto-cjk``), text selectable,
tagged as PDF/UA-1 (:data:`PDF_VARIANT`).
WeasyPrint is the ``pdf`` extra (``pip install 'dxplan[pdf]'``): without it :func:`html_to_pdf` raises
:class:`PdfError` saying how to add it. It needs the system libraries Pango and HarfBuzz (Debian:
``libpango-1.0-0``, ``libpangoft2-1.0-0``, ``libharfbuzz-subset0``); ``.ci/run`` installs them.

Plan text is Japanese whatever the report's language, so a PDF is printed only when fontconfig (the
library WeasyPrint finds its fonts through) lists a font for Japanese (``fc-list :lang=ja``); otherwise
:class:`PdfError` names the package to install (:data:`FONT_PACKAGE`) instead of a PDF of empty boxes.
``--font NAME`` prints with that family, which must be installed and cover Japanese.

A print is kept: the PDF of a plan is stored in the results cache (:mod:`dxplan.files.result_cache`, the
plan folder's ``pdf`` view, one per folder, replaced by the next) under :func:`print_key`, a hash of the
exact print HTML and of everything else WeasyPrint's bytes depend on (the PDF variant, the versions of
WeasyPrint, pydyf, Pango and HarfBuzz, and every font file fontconfig lists with its size and
modification time). WeasyPrint's output is a function of these (the same inputs give the same bytes), so
the same HTML printed again (the plan, the options, the history and the day unchanged) is answered with
the stored bytes instead of a second layout. ``DXPLAN_NO_CACHE=1`` turns it off like the rest of the cache.
"""

from __future__ import annotations

import gc
import hashlib
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from functools import cache
from typing import Any

from dxplan.files import result_cache
from dxplan.files.atomic import write_atomic
from dxplan.i18n import N_, UserError
from dxplan.problems import EXIT_PROBLEMS

from .figures import ReportFigures
from .views import render_report


#: The Debian/Ubuntu package of the Japanese font the report's stylesheet names (Noto Sans CJK JP).
FONT_PACKAGE = "fonts-noto-cjk"

#: The ``pdf`` extra's requirement (pyproject.toml ``[project.optional-dependencies] pdf``; WeasyPrint brings
#: cffi), and how to add it to an installed dxplan wherever dxplan came from (a wheel, git, an index):
#: pip in dxplan's own environment, or pipx's ``inject`` when pipx installed it.
PDF_REQUIREMENT = "weasyprint>=61,<71"
PDF_EXTRA_PIP = f"python -m pip install '{PDF_REQUIREMENT}'"
PDF_EXTRA_PIPX = f"pipx inject dxplan '{PDF_REQUIREMENT}'"

#: The PDF is tagged for screen readers and other assistive technology as PDF/UA-1 asks (WeasyPrint's
#: ``pdf_variant``): a structure tree from the HTML elements (headings, paragraphs, tables with their
#: header cells, lists, figures with their alternative text), ``MarkInfo/Marked``, the document's
#: language from ``<html lang>`` (``/Lang``), its title from ``<title>`` (docinfo and XMP, shown by
#: viewers instead of the file name) and the outline from the headings' ``bookmark-level``.
PDF_VARIANT = "pdf/ua-1"

#: The results cache's view of a plan folder that holds its kept print (:func:`html_to_pdf` ``keep_as``).
PDF_VIEW = "pdf"

_FONTCONFIG_CDEF = """
typedef unsigned char FcChar8;
typedef struct _FcPattern FcPattern;
typedef struct _FcObjectSet FcObjectSet;
typedef struct _FcFontSet { int nfont; int sfont; FcPattern **fonts; } FcFontSet;
FcPattern *FcNameParse(const FcChar8 *name);
FcObjectSet *FcObjectSetCreate(void);
int FcObjectSetAdd(FcObjectSet *os, const char *object);
FcFontSet *FcFontList(void *config, FcPattern *p, FcObjectSet *os);
int FcPatternGetString(const FcPattern *p, const char *object, int n, FcChar8 **s);
int FcPatternGetInteger(const FcPattern *p, const char *object, int n, int *i);
void FcFontSetDestroy(FcFontSet *s);
void FcPatternDestroy(FcPattern *p);
void FcObjectSetDestroy(FcObjectSet *os);
"""


class PdfError(UserError):
    """WeasyPrint is missing (or its system libraries are), no installed font covers Japanese, or the PDF
    could not be written (exit 1); the message says which."""

    exit_code = EXIT_PROBLEMS


@cache
def _fontconfig() -> tuple[Any, Any] | None:
    """(cffi FFI, the fontconfig library) loaded once, or None when cffi or fontconfig cannot be loaded."""
    try:
        from cffi import FFI
    except ImportError:
        return None
    ffi = FFI()
    ffi.cdef(_FONTCONFIG_CDEF)
    try:
        return ffi, ffi.dlopen("libfontconfig.so.1")
    except OSError:
        try:
            return ffi, ffi.dlopen("fontconfig")
        except OSError:
            return None


def _font_list(pattern_text: str, fields: tuple[str, ...]) -> list[dict[str, list[Any]]] | None:
    """Every font fontconfig lists for ``pattern_text`` (its pattern syntax, e.g. ``":lang=ja"``), as
    {field: [values]} for ``fields`` (string fields, and ``index`` as an integer); None when fontconfig cannot be loaded."""
    loaded = _fontconfig()
    if loaded is None:
        return None
    ffi, fc = loaded
    pattern = fc.FcNameParse(pattern_text.encode())
    objects = fc.FcObjectSetCreate()
    for field in fields:
        fc.FcObjectSetAdd(objects, field.encode())
    found = fc.FcFontList(ffi.NULL, pattern, objects)
    fonts: list[dict[str, list[Any]]] = []
    try:
        for i in range(found.nfont if found != ffi.NULL else 0):
            font: dict[str, list[Any]] = {}
            for field in fields:
                values: list[Any] = []
                n = 0
                if field == "index":
                    number = ffi.new("int *")
                    while fc.FcPatternGetInteger(found.fonts[i], b"index", n, number) == 0:
                        values.append(number[0])
                        n += 1
                else:
                    text = ffi.new("FcChar8 **")
                    while fc.FcPatternGetString(found.fonts[i], field.encode(), n, text) == 0:
                        values.append(ffi.string(text[0]).decode("utf-8", "replace"))
                        n += 1
                font[field] = values
            fonts.append(font)
    finally:
        if found != ffi.NULL:
            fc.FcFontSetDestroy(found)
        fc.FcObjectSetDestroy(objects)
        fc.FcPatternDestroy(pattern)
    return fonts


def japanese_fonts(family: str | None = None) -> list[str] | None:
    """The families fontconfig lists for Japanese text (``fc-list :lang=ja family``), sorted, each once;
    only those named ``family`` when given (fontconfig compares names ignoring case and spaces).

    None when the fontconfig library cannot be loaded (then WeasyPrint cannot print either and says so).
    """
    name = "" if family is None else re.sub(r"([\\\-:,])", r"\\\1", family)
    fonts = _font_list(f"{name}:lang=ja", ("family",))
    if fonts is None:
        return None
    return sorted({f for font in fonts for f in font["family"]})


def installed_fonts() -> list[tuple[str, int, int, int]]:
    """Every font face fontconfig lists (any of them may be used for a character the chosen family lacks),
    as sorted (file path, face index, file size in bytes, modification time in ns); a file that cannot be
    stat'ed has size and time -1. Empty when fontconfig cannot be loaded."""
    faces = []
    for font in _font_list("", ("file", "index")) or []:
        for path in font["file"]:
            try:
                st = os.stat(path)
                size, mtime = st.st_size, st.st_mtime_ns
            except OSError:
                size = mtime = -1
            faces.append((path, font["index"][0] if font["index"] else 0, size, mtime))
    return sorted(set(faces))


def _c_version(cdef: str, names: tuple[str, ...], call: str) -> str:
    """The version a C library reports through ``call`` (declared by ``cdef``), loaded by the first of ``names``
    that loads; "?" when none loads."""
    try:
        from cffi import FFI
    except ImportError:
        return "?"
    ffi = FFI()
    ffi.cdef(cdef)
    for name in names:
        try:
            lib: Any = ffi.dlopen(name)
        except OSError:
            continue
        value = getattr(lib, call)()
        return str(value) if isinstance(value, int) else ffi.string(value).decode("ascii", "replace")
    return "?"


@cache
def _library_versions() -> str | None:
    """The versions of what lays out and writes the PDF (WeasyPrint, pydyf, Pango, HarfBuzz), read without
    importing WeasyPrint; None when WeasyPrint or pydyf is not installed."""
    from importlib import metadata, util

    if util.find_spec("weasyprint") is None:  # not installed, or its import refused
        return None
    try:
        python_side = f"weasyprint {metadata.version('weasyprint')}; pydyf {metadata.version('pydyf')}"
    except metadata.PackageNotFoundError:
        return None
    pango = _c_version("int pango_version(void);", ("libpango-1.0.so.0", "pango-1.0", "libpango-1.0-0", "libpango-1.0.dylib"), "pango_version")
    harfbuzz = _c_version("const char *hb_version_string(void);", ("libharfbuzz.so.0", "harfbuzz", "libharfbuzz-0", "libharfbuzz.0.dylib"),
                          "hb_version_string")
    return f"{python_side}; pango {pango}; harfbuzz {harfbuzz}"


def print_key(html: str) -> bytes | None:
    """The key a print of ``html`` (the complete print HTML, the font's ``<style>`` included) is kept under: a
    BLAKE2b hash (16 bytes) of the HTML, :data:`PDF_VARIANT`, the libraries' versions and :func:`installed_fonts`;
    None when WeasyPrint is not installed (nothing is kept or looked up)."""
    versions = _library_versions()
    if versions is None:
        return None
    h = hashlib.blake2b(digest_size=16)
    for part in (PDF_VARIANT, versions, repr(installed_fonts()), html):
        data = part.encode("utf-8", "surrogatepass")
        h.update(len(data).to_bytes(8, "big"))
        h.update(data)
    return h.digest()


def _weasyprint_html() -> Any:
    """WeasyPrint's ``HTML`` class; raises :class:`PdfError` saying what to install when it cannot be loaded."""
    try:
        from weasyprint import HTML
    except ImportError:  # dxplan installed without its pdf extra
        raise PdfError(N_("PDF output needs dxplan's pdf extra (WeasyPrint), which is not installed: install dxplan as dxplan[pdf], or add it with {command} in dxplan's environment ({pipx} when pipx installed dxplan); HTML and Markdown need nothing more"),
                       {"command": PDF_EXTRA_PIP, "pipx": PDF_EXTRA_PIPX}) from None
    except OSError as exc:  # a missing shared library (libpango, libharfbuzz)
        raise PdfError(N_("PDF output needs WeasyPrint and its system libraries (Pango, HarfBuzz): {error}"), {"error": str(exc)}) from None
    return HTML


def check_font(font: str | None) -> None:
    """Refuse to print a PDF whose Japanese text would have no glyphs.

    ``font`` None: some installed font must cover Japanese; else the family ``font`` must. Raises
    :class:`PdfError` naming :data:`FONT_PACKAGE` (or the families that would do). Nothing is checked
    when the fontconfig library cannot be loaded.
    """
    if font is None:
        if japanese_fonts() == []:
            raise PdfError(N_("PDF output needs a font for Japanese text and none is installed: install {package} (Debian/Ubuntu: apt-get install {package}) or name an installed one with --font"), {"package": FONT_PACKAGE})
        return
    if japanese_fonts(font) == []:
        raise PdfError(N_("--font {font}: no installed font of that name covers Japanese text (installed that do: {fonts}; or install {package})"),
                       {"font": font, "fonts": ", ".join(japanese_fonts() or []) or "—", "package": FONT_PACKAGE})


def font_style(font: str) -> str:
    """A ``<style>`` element that sets ``font`` (a family name, quoted as a CSS string) before the stylesheet's own list."""
    quoted = font.replace("\\", "\\\\").replace('"', '\\"').replace("<", "\\3c ")
    return f'<style>html {{ font-family: "{quoted}", "Noto Sans CJK JP", sans-serif; }}</style>'


def html_to_pdf(html: str, font: str | None = None, keep_as: Path | None = None) -> bytes:
    """The PDF bytes of ``html`` (a self-contained document: no external resources are fetched), in the
    family ``font`` when given.

    ``keep_as``: a plan folder; the PDF is kept in the results cache as that folder's ``pdf`` view under
    :func:`print_key`, and a print whose key equals the kept one returns the kept bytes without printing
    (see the module docstring). A kept entry that is not bytes is dropped and the HTML printed.

    Raises :class:`PdfError` when WeasyPrint or its system libraries cannot be loaded, or when no font
    covering Japanese is installed (:func:`check_font`).
    """
    if _library_versions() is None:
        _weasyprint_html()  # says what to install
    check_font(font)
    if font is not None:
        html = html.replace("</head>", font_style(font) + "</head>", 1)

    def refuse(url: str, *args, **kwargs):
        raise ValueError(f"external resource refused: {url}")

    key = print_key(html) if keep_as is not None else None
    if keep_as is not None and key is not None:
        kept = result_cache.get_view(keep_as, PDF_VIEW, key)
        if isinstance(kept, bytes):
            return kept
        if kept is not None:
            result_cache.drop_view(keep_as, PDF_VIEW)
    html_class = _weasyprint_html()
    with _no_cyclic_gc():
        data: bytes = html_class(string=html, url_fetcher=refuse, base_url=".").write_pdf(pdf_variant=PDF_VARIANT)
    if keep_as is not None and key is not None:
        result_cache.put_view(keep_as, PDF_VIEW, key, data)
        result_cache.flush()
    return data


@contextmanager
def _no_cyclic_gc() -> Iterator[None]:
    """Python's cyclic garbage collector paused for the block, then restored as it was.

    WeasyPrint allocates millions of small objects (boxes, computed styles, line layouts) that all live
    until the PDF is written, so the collector's passes over them free nothing: pausing it cuts the
    CPU time of 嘉麻市's 71-page PDF by about a fifth (bench/bench_pdf.py, bench/NOTES.md) for the same
    bytes and about the same peak memory. Reference counting still frees what is not in a cycle.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def write_pdf(html: str, target: Path) -> None:
    """Print ``html`` to ``target`` through the one atomic writer (:func:`dxplan.files.atomic.write_atomic`),
    so a failed run never leaves a half-written PDF. Raises :class:`PdfError` or OSError."""
    data = html_to_pdf(html)
    target.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(target, data)


def write_report_pdf(figures: ReportFigures, lang: str = "ja", font: str | None = None, keep_as: Path | None = None,
                     **options: Any) -> bytes:
    """``dxplan report --format pdf`` (:data:`dxplan.report.formats.REPORT`): the HTML report printed to A4 PDF
    (in the family ``font`` when given; kept for the plan folder ``keep_as`` when given, see :func:`html_to_pdf`).

    ``options``: those of :func:`dxplan.report.views.render_report`. Raises :class:`PdfError` or
    :class:`dxplan.output.render.RenderError`.
    """
    return html_to_pdf(render_report(figures, "pdf", lang, **options), font, keep_as)
