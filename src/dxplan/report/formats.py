"""The formats of ``dxplan status`` and ``dxplan report`` (``--format``), readable without importing the writers.

See :mod:`dxplan.output.formats`. ``status``'s registries are here, with the report's, because its
Markdown is written through the report's templates (:mod:`dxplan.report.views`); its table and JSON
writers are :mod:`dxplan.output.terminal`'s and :mod:`dxplan.output.jsonout`'s.
"""

from __future__ import annotations

from dxplan.i18n import N_
from dxplan.output.formats import Format, Formats

#: ``dxplan status --format``. Writer: ``write(results, lang, console) -> str | None``: ``results`` a
#: list of :class:`dxplan.status.counts.StatusResult`, one per plan.
STATUS = Formats(
    Format("table", "dxplan.output.terminal:write_status"),
    Format("json", "dxplan.output.jsonout:write_status"),
    Format("markdown", "dxplan.report.views:write_status_markdown"),
)

#: ``dxplan status --by indicator --format``: the formats of :data:`STATUS` that this view has.
#: Writer: ``write(plans, lang, console) -> str | None``: ``plans`` an iterable of
#: :class:`dxplan.status.counts.PlanIndicators`, one per plan in order, consumed while writing.
STATUS_BY_INDICATOR = Formats(
    Format("table", "dxplan.output.terminal:write_indicators"),
    Format("json", "dxplan.output.jsonout:write_indicators"),
)

#: ``dxplan report --format``. Writer: ``write(figures, lang, *, templates, env, audit, sections, history)
#: -> str | bytes``: one plan's (or one action's) :class:`dxplan.report.figures.ReportFigures` as the
#: file's content, the options those of :func:`dxplan.report.views.render_report`.
REPORT = Formats(
    Format("md", "dxplan.report.views:write_report_markdown"),
    Format("html", "dxplan.report.views:write_report_html", to_file=True),
    Format("pdf", "dxplan.report.pdf:write_report_pdf", to_file=True),
    help=N_("md (default), html (one self-contained file) or pdf (A4)"),
)
