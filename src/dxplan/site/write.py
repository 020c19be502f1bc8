"""The site's files: every page rendered, the assets, the open-data package, and the folder placed all or nothing.

Layout of the output folder::

    index.html                 the plans, and the open-data files
    site.json                  what wrote the folder (dxplan's version, language, files): marks it as a site
    assets/site.css            report.css and templates/site/site.css
    assets/site.js             the filters and the search (dxplan's own)
    assets/minisearch.js       MiniSearch (vendored, static/README.md says which version and from where)
    assets/minisearch.LICENSE.txt
    <plan>/index.html …        each plan's pages (:mod:`dxplan.site.pages`)
    opendata/datapackage.json  the open-data package (``dxplan publish``'s files; CSV, and Parquet with pyarrow)
    opendata/data/<resource>.csv|parquet

:func:`write_site` places it with :func:`dxplan.files.staged.replace_folder`: nothing partial is ever left in the
output folder, and a folder holding anything but an earlier site (no ``site.json`` of dxplan) is refused.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import Environment

from dxplan import __version__
from dxplan.files.staged import replace_folder
from dxplan.fiscal import format_date
from dxplan.i18n import N_, UserError, t
from dxplan.output import wording as w
from dxplan.output.render import environment, render_template
from dxplan.report.figures import ReportFigures
from dxplan.report.history_figures import ReportHistory

from .pages import plan_entry, plan_pages, safe_name, site_labels

STATIC = Path(__file__).resolve().parent / "static"
"""The assets shipped with dxplan (package data): MiniSearch, its licence, the site's script."""

MINISEARCH_VERSION = "7.2.0"
"""The vendored MiniSearch (``static/minisearch.js``; ``static/README.md`` says where it comes from)."""

ASSETS = ("site.js", "minisearch.js", "minisearch.LICENSE.txt")
MANIFEST = "site.json"
GENERATOR = "dxplan site"
DATA_FOLDER = "opendata"


@dataclass
class SitePlan:
    """One plan of the site: its report figures (whole plan) and its git history (None outside git or with
    ``--no-history``)."""

    figures: ReportFigures
    history: ReportHistory | None


def _size(n: int, lang: str) -> str:
    return t(lang, "{n} kB", n=f"{n / 1024:,.1f}") if n >= 1024 else t(lang, "{n} bytes", n=n)


def _data_view(data: dict[str, bytes] | None, lang: str) -> dict | None:
    """The open-data table of the first page: one row per file, titled from the package's descriptor."""
    if data is None:
        return None
    desc = json.loads(data["datapackage.json"])
    titles = {r["path"]: r["title" if lang == "ja" else "title_en"] for r in desc["resources"]}
    for r in desc["resources"]:
        for alt in r.get("x-alternates", []):
            titles[alt] = titles[r["path"]]
    files = [{"href": f"{DATA_FOLDER}/{rel}", "name": rel, "title": titles.get(rel, desc["title" if lang == "ja" else "title_en"]),
              "size": _size(len(body), lang)} for rel, body in data.items()]
    return {"files": files, "file_heading": t(lang, "file"), "title_heading": t(lang, "contents"), "size_heading": t(lang, "size")}


def _title(c: dict[str, Any]) -> str:
    """The ``<title>`` of a plan's page (its context ``c``): what it shows, then the plan."""
    plan = f"{c['header']['municipality']} {c['header']['title']}"
    kind = c["page"]
    if kind == "top":
        return plan
    if kind == "action":
        return f"{c['s']['id']}. {c['s']['title']} | {plan}"
    if kind == "search":
        return f"{c['S']['search']} | {plan}"
    return f"{c['group']['title']} | {plan}"


def stylesheet(env: Environment) -> bytes:
    """``assets/site.css``: the report's stylesheet, then the site's additions (both from the template folder)."""
    assert env.loader is not None, "the environment reads templates from folders"
    report, _, _ = env.loader.get_source(env, "report.css")
    site, _, _ = env.loader.get_source(env, "site/site.css")
    return (report + "\n" + site).encode("utf-8")


def site_files(plans: list[SitePlan], lang: str, *, generated: dt.date, data: dict[str, bytes] | None,
               templates: Path | None = None) -> dict[str, bytes]:
    """Every file of the site (relative path → bytes), in the layout of the module docstring.

    ``data``: the open-data package's files (:func:`dxplan.opendata.write.package_files`), or None when they could
    not be made (the first page then says what they need). ``generated``: the date printed in each footer.
    Raises :class:`dxplan.output.render.RenderError` on a template problem, ValueError for figures of one action.
    """
    env = environment(templates)
    S = site_labels(lang)
    style = plans[0].figures.plan.fiscal_year_style if plans else "reiwa"
    base: dict[str, Any] = {"lang": lang, "S": S, "has_data": data is not None,
                            "generated_line": t(lang, "generated by dxplan on {date}", date=format_date(generated, lang, style))}
    files: dict[str, bytes] = {}
    entries = []
    used: set[str] = set()
    for sp in plans:
        folder = safe_name(sp.figures.plan.id, used)
        for page in plan_pages(sp.figures, sp.history, lang, folder):
            context = page.context | base | {"root": "../"}
            context["title"] = _title(context)
            files[page.path] = render_template(f"site/{page.template}", context, env=env).encode("utf-8")
        entries.append(plan_entry(sp.figures, lang, folder))
    first = base | {"root": "", "page": "home", "title": S["site"], "plans": entries, "data": _data_view(data, lang),
                    "L": {"lp": t(lang, " ("), "rp": t(lang, ")"), "sep": w.sep(lang)}}
    files = {"index.html": render_template("site/index.html.j2", first, env=env).encode("utf-8")} | files
    files["assets/site.css"] = stylesheet(env)
    for name in ASSETS:
        files[f"assets/{name}"] = (STATIC / name).read_bytes()
    for rel, body in (data or {}).items():
        files[f"{DATA_FOLDER}/{rel}"] = body
    manifest = {"generator": GENERATOR, "version": __version__, "lang": lang, "generated": generated.isoformat(),
                "minisearch": MINISEARCH_VERSION, "files": sorted(files)}
    files[MANIFEST] = (json.dumps(manifest, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    return files


def is_site(folder: Path) -> bool:
    """Whether ``folder`` holds a site dxplan wrote (its ``site.json`` names the generator)."""
    try:
        return json.loads((folder / MANIFEST).read_text(encoding="utf-8")).get("generator") == GENERATOR
    except (OSError, ValueError, AttributeError):
        return False


def _check(files: dict[str, bytes]) -> Any:
    def check(stage: Path) -> None:
        for rel, body in files.items():
            if (stage / rel).stat().st_size != len(body):
                raise OSError(f"{rel}: {len(body)} bytes written, {(stage / rel).stat().st_size} read back")
    return check


def write_site(folder: Path, files: dict[str, bytes]) -> list[tuple[str, int]]:
    """Place ``files`` as the folder ``folder``, all or nothing; return each file's path and size in bytes.

    Raises :class:`dxplan.i18n.UserError` when ``folder`` is not a folder or holds files that are not a site of
    dxplan (exit 2), OSError when it cannot be written.
    """
    foreign = UserError(N_("{folder} already holds files that are not a dxplan site; nothing was written (name an empty or new folder)"),
                        {"folder": str(folder)})
    return replace_folder(Path(folder), files, previous=is_site, foreign=foreign, check=_check(files))
