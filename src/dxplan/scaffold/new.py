"""A new action file (``dxplan new PLAN``): the next free id, the plan's fiscal years as task rows.

:func:`next_id` picks the lowest free id in the plan's own id style (``1, 2, 3`` for 嘉麻市,
``1-1, 1-2`` for 鞍手町) and a file name in its file-name style (``01.yaml``, ``001.yaml``,
``1-1.yaml``). Two people on two branches may still pick the same id; ``dxplan lint`` reports
the duplicate (``duplicate-id``) when the branches meet. :func:`action_data` builds the action
with its text fields empty (``''``: nothing a report would print; ``lint`` names each field the
plan requires until it is written) and no status. Only the values the schema cannot leave empty
hold :data:`~dxplan.scaffold.init.PLACEHOLDER` (a title not given, the source file and location:
annotations a report shows only with ``--audit``), each warned about by lint (``placeholder``);
:func:`create_action` writes it without ever replacing a file, all or nothing: the one file appears
whole (written aside and linked into place) or not at all.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

from dxplan.fiscal import format_fiscal_year
from dxplan.files.atomic import remove_stale
from dxplan.files.fmt import schema_ref
from dxplan.i18n import N_
from dxplan.files.layout import ACTIONS_DIR, action_files
from dxplan.model.schema import Action, Plan
from dxplan.model.index import PlanIndex
from .init import PLACEHOLDER, ScaffoldError, create_exclusive, schema_modeline, to_yaml

_NUMBERED = re.compile(r"^(?P<prefix>.*?)(?P<num>\d+)$")


@dataclass(frozen=True)
class NewId:
    """The id of a new action and the file name (``stem.yaml``) it goes into."""

    id: str
    file_name: str


def existing_ids(root: Path) -> dict[str, str]:
    """``{file stem: id}`` of the action files of plan folder ``root``.

    Ids are read straight from each file's YAML, so an action that does not pass the schema
    still holds its id; a file that does not parse counts with its stem as id.
    """
    yaml = YAML(typ="safe")
    out: dict[str, str] = {}
    for path in action_files(root):
        try:
            data = yaml.load(path.read_text(encoding="utf-8-sig"))
        except (OSError, UnicodeDecodeError, YAMLError):
            data = None
        value = data.get("id") if isinstance(data, dict) else None
        out[path.stem] = str(value) if value is not None else path.stem
    return out


def next_id(ids: dict[str, str], prefix_hint: str | None = None) -> NewId:
    """The lowest free id after the plan's id style, and its file name.

    ``ids`` is ``{file stem: id}`` (:func:`existing_ids`). The style is the most common prefix
    of the numbered ids (``1-`` in ``1-1``; empty in ``12``), or ``prefix_hint`` when given, and
    the zero padding its ids and file names use (``'1'`` in ``01.yaml``: ids unpadded, files two
    digits). An empty plan gets id ``1`` in ``01.yaml``. Neither the id nor the file exists.
    """
    numbered = [m for m in (_NUMBERED.match(i) for i in ids.values()) if m]
    if prefix_hint is not None:
        prefix = prefix_hint
    elif numbered:
        prefix = Counter(m["prefix"] for m in numbered).most_common(1)[0][0]
    else:
        prefix = ""
    same = [m for m in numbered if m["prefix"] == prefix]
    id_width = max((len(m["num"]) for m in same if m["num"].startswith("0")), default=0)
    stems = [m for m in (_NUMBERED.match(s) for s in ids) if m and m["prefix"] == prefix]
    file_width = Counter(len(m["num"]) for m in stems).most_common(1)[0][0] if stems else (2 if not ids else 1)
    used = {int(m["num"]) for m in same}
    taken_ids = set(ids.values())
    n = 1
    while True:
        cand_id = f"{prefix}{str(n).zfill(id_width)}"
        cand_file = f"{prefix}{str(n).zfill(file_width)}"
        if n not in used and cand_id not in taken_ids and cand_file not in ids:
            return NewId(cand_id, f"{cand_file}.yaml")
        n += 1


@dataclass
class NewAction:
    """What :func:`action_data` builds: the data, the fields left as placeholders, the id, and
    the values chosen because none was given (``{"category": "I-1", "owners": "総務課"}``)."""

    data: dict[str, Any]
    to_edit: list[str]
    new_id: NewId
    defaults: dict[str, str]


def action_data(plan: Plan, new_id: NewId, *, title: str | None = None, category: str | None = None, departments: list[str] | None = None) -> NewAction:
    """The data of a new action in ``plan``.

    ``category`` must name a node of the plan's tree (id, name or alias; default: the first
    category without children); ``departments`` must be declared by the plan (default: its
    first department that is not generic). Tasks: one row per fiscal year of the plan, with the
    owner as department, an empty plan text and no status (a status is recorded when there is one).
    Raises :class:`ScaffoldError` for an unknown category or department.
    """
    index = PlanIndex(plan)
    to_edit: list[str] = []
    defaults: dict[str, str] = {}
    if category is not None:
        ref = index.category(category)
        if ref is None:
            raise ScaffoldError(N_("no category '{name}' in the plan (known: {known})"), {"name": category, "known": ", ".join(n.node.id for n in index.category_nodes())})
        category_id = ref.node.id
    else:
        leaves = [n.node for n in index.category_nodes() if not n.node.children]
        if not leaves:
            raise ScaffoldError(N_("the plan declares no categories: add them to plan.yaml first"))
        category_id = leaves[0].id
        defaults["category"] = category_id
    owners: list[str] = []
    for name in departments or []:
        if index.department(name) is None and index.departments(name) is None:
            raise ScaffoldError(N_("no department '{name}' in the plan (known: {known})"), {"name": name, "known": ", ".join(d.name for d in plan.departments)})
        owners.append(name)
    if not owners:
        first = next((d for d in plan.departments if d.kind != "generic"), None)
        if first is not None:
            owners = [first.name]
            defaults["owners"] = first.name
    if not title:
        to_edit.append("title")
    data: dict[str, Any] = {
        "id": new_id.id,
        "title": title or PLACEHOLDER,
        "category": category_id,
        "aim": "",
        "approach": "",
    }
    if owners:
        data["owners"] = owners
    tasks = []
    for fy in plan.fiscal_years:
        row: dict[str, Any] = {"fiscal_year": format_fiscal_year(fy, plan.fiscal_year_style)}
        if owners:
            row["department"] = owners[0]
        row["plan"] = ""
        tasks.append(row)
    data["tasks"] = tasks
    data["sources"] = [{"file": PLACEHOLDER, "location": PLACEHOLDER}]
    to_edit += ["aim", "approach", "target", "tasks[].plan", "sources"]
    for req in plan.lint.require:
        top = req.split(".")[0]
        if top not in data and top in Action.model_fields and _is_text(top):
            data[top] = ""
            to_edit.append(top)
    Action.model_validate(data)
    return NewAction(data, to_edit, new_id, defaults)


def _is_text(name: str) -> bool:
    return Action.model_fields[name].annotation in (str, str | None)


def create_action(root: Path, plan: Plan, **kwargs: Any) -> tuple[Path, NewAction]:
    """Write the next action file into ``root/actions`` and return its path and data.

    Keyword arguments go to :func:`action_data`. The file is created exclusively: when another
    process created the same file meanwhile, the next free id is taken. Raises
    :class:`ScaffoldError` (see :func:`action_data`) and OSError when the folder is not writable.
    """
    folder = Path(root) / ACTIONS_DIR
    folder.mkdir(parents=True, exist_ok=True)
    remove_stale(folder)  # what a killed `new` left half-written
    for _ in range(100):
        new_id = next_id(existing_ids(root))
        new = action_data(plan, new_id, **kwargs)
        path = folder / new_id.file_name
        ref = schema_ref(path, "action")
        modeline = f"# yaml-language-server: $schema={ref}\n" if ref else (schema_modeline("action", 1) if (Path(root) / "schemas").is_dir() else "")
        text = modeline + to_yaml(new.data, path, [], ("tasks", "sources"))
        try:
            create_exclusive(path, text)
        except FileExistsError:
            continue
        return path, new
    raise ScaffoldError(N_("could not find a free action file name in {folder}"), {"folder": str(folder)})
