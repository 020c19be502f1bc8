"""A plan's written report kept in the results cache: the same report of an unchanged plan is written again without loading the plan.

``dxplan report`` keeps what it wrote for each plan folder (Markdown or HTML text, PDF bytes, with the
plan's name the output file is named after) as the folder's view :data:`VIEW` in the results cache
(:mod:`dxplan.files.result_cache`), found as every view is (:func:`dxplan.files.views.find_view`: by the
folder's stat signature, else by the hash of its files) and under :func:`report_args`, everything
else the report depends on besides dxplan's code (which the cache's fingerprint covers): the options, the
day (the cover's date and the findings that depend on it), ``DXPLAN_TODAY``, the commit the plan's
repository is at (its history section and the findings from git) and the default templates (their names,
sizes and modification times). One entry per plan folder; the next report with other options replaces it.

A report is kept only for a plan that loaded without any problem (so a kept one prints nothing on
stderr and exits 0, as writing it did), and never with ``--as-of`` (read from git) or ``--templates``
(a folder the cache does not watch).
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any

from dxplan.files import result_cache
from dxplan.files.views import Found, Missed, find_view, view_key

#: The results cache's view of a plan folder that holds its kept report.
VIEW = "dxplan.report.kept"


def repository_head(root: Path) -> str | None:
    """The commit id HEAD names in the git repository holding ``root``; None outside git or before the first commit."""
    from dxplan.files import gitio

    try:  # one git call, run in the plan folder (git finds its repository); no hint worked out for a HEAD that is missing
        proc = gitio.run_git(["rev-parse", "--verify", "--quiet", "HEAD^{commit}"], root, check=False)
    except gitio.GitError:  # git not installed
        return None
    if proc.returncode != 0:  # outside git, or no commit yet
        return None
    return proc.stdout.decode("ascii", "replace").strip() or None


def templates_signature() -> str:
    """The default templates (:func:`dxplan.shipped` ``templates``) as name, size and modification time (ns) of each file, sorted."""
    from dxplan import shipped

    folder = Path(shipped("templates"))
    parts = []
    for base, _, files in sorted(os.walk(folder)):
        for name in sorted(files):
            path = os.path.join(base, name)
            try:
                st = os.stat(path)
            except OSError:
                continue
            parts.append(f"{os.path.relpath(path, folder)}:{st.st_size}:{st.st_mtime_ns}")
    return ";".join(parts)


def report_args(root: Path, options: tuple[Any, ...], today: dt.date, history: bool) -> tuple[Any, ...]:
    """The arguments a kept report of plan folder ``root`` is keyed by (plain values): ``options`` (the
    command's format, language, fiscal year, action, sections, audit flag and font), ``today``, the
    ``DXPLAN_TODAY`` setting, the repository's HEAD when ``history`` is shown, and :func:`templates_signature`."""
    return (*options, today.isoformat(), os.environ.get("DXPLAN_TODAY"), repository_head(root) if history else None,
            templates_signature())


def _accept(entry: Any) -> tuple[str, str | bytes] | None:
    if isinstance(entry, (list, tuple)) and len(entry) == 2 and isinstance(entry[0], str) and isinstance(entry[1], (str, bytes)):
        return entry[0], entry[1]
    return None


def find(root: Path, args: tuple[Any, ...]) -> Found[tuple[str, str | bytes]] | Missed:
    """The kept report of plan folder ``root`` for ``args`` as ``Found((plan name, output))``, else what
    keeping one needs (:class:`dxplan.files.views.Missed`). Never raises for what is on disk or in the cache."""
    return find_view(root, VIEW, args, _accept)


def keep(missed: Missed, args: tuple[Any, ...], name: str, output: str | bytes) -> None:
    """Keep ``output`` (the report written for the plan named ``name``) for the folder ``missed`` describes,
    when its files are still the ones :func:`find` read (their content key is taken again: a file changed
    while the report was made keeps nothing)."""
    files = missed.files
    if files is None or missed.key is None:
        return
    _, key = files.read()
    if key is None or view_key(key, args) != missed.key:
        return
    result_cache.put_view(files.root, VIEW, missed.key, [name, output], missed.stat)
    result_cache.flush()
