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
"""

from __future__ import annotations

import gc
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

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
void FcFontSetDestroy(FcFontSet *s);
void FcPatternDestroy(FcPattern *p);
void FcObjectSetDestroy(FcObjectSet *os);
"""


class PdfError(UserError):
    """WeasyPrint is missing (or its system libraries are), no installed font covers Japanese, or the PDF
    could not be written (exit 1); the message says which."""

    exit_code = EXIT_PROBLEMS


def japanese_fonts(family: str | None = None) -> list[str] | None:
    """The families fontconfig lists for Japanese text (``fc-list :lang=ja family``), sorted, each once;
    only those named ``family`` when given (fontconfig compares names ignoring case and spaces).

    None when the fontconfig library cannot be loaded (then WeasyPrint cannot print either and says so).
    """
    try:
        from cffi import FFI
    except ImportError:
        return None
    ffi = FFI()
    ffi.cdef(_FONTCONFIG_CDEF)
    try:
        fc: Any = ffi.dlopen("libfontconfig.so.1")
    except OSError:
        try:
            fc = ffi.dlopen("fontconfig")
        except OSError:
            return None
    name = "" if family is None else re.sub(r"([\\\-:,])", r"\\\1", family)
    pattern = fc.FcNameParse(f"{name}:lang=ja".encode())
    objects = fc.FcObjectSetCreate()
    fc.FcObjectSetAdd(objects, b"family")
    found = fc.FcFontList(ffi.NULL, pattern, objects)
    families: set[str] = set()
    try:
        for i in range(found.nfont if found != ffi.NULL else 0):
            n = 0
            value = ffi.new("FcChar8 **")
            while fc.FcPatternGetString(found.fonts[i], b"family", n, value) == 0:
                families.add(ffi.string(value[0]).decode("utf-8", "replace"))
                n += 1
    finally:
        if found != ffi.NULL:
            fc.FcFontSetDestroy(found)
        fc.FcObjectSetDestroy(objects)
        fc.FcPatternDestroy(pattern)
    return sorted(families)


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


def html_to_pdf(html: str, font: str | None = None) -> bytes:
    """The PDF bytes of ``html`` (a self-contained document: no external resources are fetched), in the
    family ``font`` when given.

    Raises :class:`PdfError` when WeasyPrint or its system libraries cannot be loaded, or when no font
    covering Japanese is installed (:func:`check_font`).
    """
    try:
        from weasyprint import HTML
    except ImportError:  # dxplan installed without its pdf extra
        raise PdfError(N_("PDF output needs dxplan's pdf extra (WeasyPrint), which is not installed: install dxplan as dxplan[pdf], or add it with {command} in dxplan's environment ({pipx} when pipx installed dxplan); HTML and Markdown need nothing more"),
                       {"command": PDF_EXTRA_PIP, "pipx": PDF_EXTRA_PIPX}) from None
    except OSError as exc:  # a missing shared library (libpango, libharfbuzz)
        raise PdfError(N_("PDF output needs WeasyPrint and its system libraries (Pango, HarfBuzz): {error}"), {"error": str(exc)}) from None
    check_font(font)
    if font is not None:
        html = html.replace("</head>", font_style(font) + "</head>", 1)

    def refuse(url: str, *args, **kwargs):
        raise ValueError(f"external resource refused: {url}")

    with _no_cyclic_gc():
        return HTML(string=html, url_fetcher=refuse, base_url=".").write_pdf(pdf_variant=PDF_VARIANT)


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


def write_report_pdf(figures: ReportFigures, lang: str = "ja", font: str | None = None, **options: Any) -> bytes:
    """``dxplan report --format pdf`` (:data:`dxplan.report.formats.REPORT`): the HTML report printed to A4 PDF
    (in the family ``font`` when given).

    ``options``: those of :func:`dxplan.report.views.render_report`. Raises :class:`PdfError` or
    :class:`dxplan.output.render.RenderError`.
    """
    return html_to_pdf(render_report(figures, "pdf", lang, **options), font)
