"""The formats of ``dxplan diff`` (``--format``), readable without importing the writers (:mod:`dxplan.output.formats`).

Each writer is ``write(result, lang, templates) -> str``: a :class:`dxplan.diff.compute.DiffResult` as
the text printed, worded in ``lang``; ``templates`` is the ``--templates`` folder (None: the default
templates) for a writer that renders one, which raises :class:`dxplan.output.render.RenderError` on a
template problem.
"""

from __future__ import annotations

from dxplan.output.formats import Format, Formats

FORMATS = Formats(
    Format("text", "dxplan.diff.view:write_text"),
    Format("markdown", "dxplan.diff.view:to_markdown", "PR comment"),
    Format("json", "dxplan.diff.view:write_json"),
)
