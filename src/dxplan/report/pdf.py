"""The PDF report: the HTML report printed by WeasyPrint through its print stylesheet (``report.css``).

A4, page numbers and running header from ``@page`` margin boxes, contents with page numbers
(``target-counter``), bookmarks from the h1–h3 headings (``bookmark-level``), fonts embedded as
subsets by WeasyPrint (Noto Sans CJK JP from the system, Debian ``fonts-noto-cjk``), text selectable.
WeasyPrint needs the system libraries Pango and HarfBuzz (Debian: ``libpango-1.0-0``,
``libpangoft2-1.0-0``, ``libharfbuzz-subset0``); ``.ci/run`` installs them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from dxplan.files.atomic import write_atomic
from dxplan.i18n import N_, UserError
from dxplan.problems import EXIT_PROBLEMS

from .figures import ReportFigures
from .views import render_report


class PdfError(UserError):
    """WeasyPrint is missing (or its system libraries are) or could not write the PDF (exit 1); the message says which."""

    exit_code = EXIT_PROBLEMS


def html_to_pdf(html: str) -> bytes:
    """The PDF bytes of ``html`` (a self-contained document: no external resources are fetched).

    Raises :class:`PdfError` when WeasyPrint or its system libraries cannot be loaded.
    """
    try:
        from weasyprint import HTML
    except (ImportError, OSError) as exc:  # OSError: a missing shared library (libpango, libharfbuzz)
        raise PdfError(N_("PDF output needs WeasyPrint and its system libraries (Pango, HarfBuzz): {error}"), {"error": str(exc)}) from None

    def refuse(url: str, *args, **kwargs):
        raise ValueError(f"external resource refused: {url}")

    return HTML(string=html, url_fetcher=refuse, base_url=".").write_pdf()


def write_pdf(html: str, target: Path) -> None:
    """Print ``html`` to ``target`` through the one atomic writer (:func:`dxplan.files.atomic.write_atomic`),
    so a failed run never leaves a half-written PDF. Raises :class:`PdfError` or OSError."""
    data = html_to_pdf(html)
    target.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(target, data)


def write_report_pdf(figures: ReportFigures, lang: str = "ja", **options: Any) -> bytes:
    """``dxplan report --format pdf`` (:data:`dxplan.report.formats.REPORT`): the HTML report printed to A4 PDF.

    ``options``: those of :func:`dxplan.report.views.render_report`. Raises :class:`PdfError` or
    :class:`dxplan.output.render.RenderError`.
    """
    return html_to_pdf(render_report(figures, "pdf", lang, **options))
