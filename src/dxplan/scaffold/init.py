"""Starting a plans repository (``dxplan init``): plan.yaml, actions/, schemas, CI and a README.

Pure functions build what is written; :func:`dxplan.scaffold.place.write_files` writes it, all or
nothing and never over an existing file unless asked (``force``). The files of a new plans repository::

    DIR/plan.yaml                       the plan (this module builds it from a PlanSpec)
    DIR/actions/.gitkeep                actions go here (``dxplan new DIR``)
    DIR/schemas/{plan,action}.schema.json   the editor schemas (packaged with dxplan)
    DIR/.pre-commit-config.yaml         dxplan-lint and dxplan-fmt, pinned to a dxplan revision
    DIR/.github/workflows/dxplan.yml    CI: lint with annotations, goalpost guard, fmt --check,
                                        SARIF, and the plan diff as a pull-request comment
    DIR/.github/workflows/pages.yml     with ``--pages`` only: lint, publish and site on the default
                                        branch, the site deployed to GitHub Pages
    DIR/README.md                       how the office works with it
    DIR/.gitignore                      reports and exported sheets stay out of the repository

The repository is the plan folder: ``dxplan lint .``, ``dxplan status .`` work from its top.
Fields the office must still fill in hold :data:`PLACEHOLDER`; every such field is listed in
:attr:`InitResult.to_edit` so the command can say what to edit.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import shlex
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any, Literal
from collections.abc import Callable

import jinja2
from pydantic import ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from dxplan import __version__, shipped
from dxplan.fiscal import FiscalYearError, fiscal_year_of, format_fiscal_year, parse_fiscal_year
from dxplan.i18n import N_, UserError
from dxplan.files.atomic import create_exclusive as _create_exclusive
from dxplan.files.fmt import MODELINE, SCHEMA_FILES, format_text
from dxplan.model.schema import DEFAULT_RATING_SCALE, Plan, RatingBand, State, StatusWord
from dxplan.files.layout import PLAN_FILE

#: What a field the office must still fill in holds (``grep -rn 要記入 .`` finds them all).
PLACEHOLDER = "（要記入）"

#: Used in the CI files when the dxplan repository and revision to pin are not known.
REPO_PLACEHOLDER = "https://github.com/YOUR-ORG/dxplan"
REV_PLACEHOLDER = "TAG-OR-COMMIT"

STARTER_DIR = Path(__file__).resolve().parent / "starter"

PresetName = Literal["kama", "grades"]


class ScaffoldError(UserError, ValueError):
    """A value given to init or new that cannot make a valid plan or action (usage error, exit 2)."""


class FilesExist(UserError):
    """Files that would be overwritten, named relative to their folder; nothing was written (usage error, exit 2)."""


# --------------------------------------------------------------------------- presets


@dataclass(frozen=True)
class Preset:
    """A plan style to start from, chosen by name (``--preset``); without one no scale or status word is written.

    ``kama``: 嘉麻市's words (未着手 0 % / 検討中 / 進捗中 / 完了 100 %) and its rating scale
    (達成 ≥ 100, ほぼ達成 ≥ 90, 概ね達成 ≥ 80, やや未達 ≥ 60, 課題あり), source 001 表記方法.
    ``grades``: a grade scale A–D given per action and fiscal year (``grade_scale``, best first), the
    meanings left empty for the office to write; no status words and no percent bands.
    """

    statuses: tuple[StatusWord, ...]
    rating_scale: tuple[RatingBand, ...]
    grades: tuple[str, ...]
    rate_label: str | None
    comment: str


PRESETS: dict[str, Preset] = {
    "kama": Preset(
        statuses=(
            StatusWord(word="未着手", state=State.not_started, progress=0),
            StatusWord(word="検討中", state=State.considering),
            StatusWord(word="進捗中", state=State.in_progress),
            StatusWord(word="完了", state=State.done, progress=100),
        ),
        rating_scale=tuple(DEFAULT_RATING_SCALE),
        grades=(),
        rate_label="目標達成率",
        comment="嘉麻市方式: 進捗状況 未着手/検討中/進捗中/完了, 評価 達成・ほぼ達成・概ね達成・やや未達・課題あり",
    ),
    "grades": Preset(
        statuses=(),
        rating_scale=(),
        grades=("A", "B", "C", "D"),
        rate_label=None,
        comment="A–D 評価（grade_scale）: 各評価の意味（meaning）と進捗状況の語（statuses）は計画の定めを記入",
    ),
}


# --------------------------------------------------------------------------- the plan


@dataclass
class CategorySpec:
    """One category of the tree: ``parent`` is the id of its parent category, or None (top level)."""

    id: str
    name: str
    parent: str | None = None


@dataclass
class PlanSpec:
    """Everything ``dxplan init`` asks for. ``None`` (or an empty list) means: use a placeholder.

    Fiscal years are Western start years (2024 = 令和6年度); ``statuses`` and ``rating_scale``
    default to the preset's; without a preset and without them, the plan gets ``statuses: []`` and
    no scale, both listed as still to fill in.
    """

    id: str
    municipality: str | None = None
    prefecture: str | None = None
    title: str | None = None
    period_start: int | None = None
    period_end: int | None = None
    evaluation_date: dt.date | None = None
    categories: list[CategorySpec] = field(default_factory=list)
    departments: list[str] = field(default_factory=list)
    statuses: list[StatusWord] = field(default_factory=list)
    rating_scale: list[RatingBand] = field(default_factory=list)
    preset: PresetName | None = None


def parse_categories(values: list[str]) -> list[CategorySpec]:
    """``["I=くらし", "I-1=窓口", "しごと"]`` → category specs.

    ``ID=NAME`` gives the id; a bare ``NAME`` gets the next number as id. A category goes under
    the category whose id, followed by ``-``, starts its id (``I-1`` under ``I``).
    Raises :class:`ScaffoldError` for an empty name or a repeated id.
    """
    out: list[CategorySpec] = []
    seen: set[str] = set()
    for raw in values:
        for item in (s.strip() for s in raw.split(",")):
            if not item:
                continue
            cid, sep, name = item.partition("=")
            cid, name = (cid.strip(), name.strip()) if sep else (str(sum(1 for c in out if c.parent is None) + 1), cid.strip())
            if not cid or not name:
                raise ScaffoldError(N_("category '{item}': write ID=NAME or NAME"), {"item": item})
            if cid in seen:
                raise ScaffoldError(N_("category id '{id}' is given twice"), {"id": cid})
            parents = [c.id for c in out if cid.startswith(c.id + "-")]
            out.append(CategorySpec(cid, name, max(parents, key=len) if parents else None))
            seen.add(cid)
    return out


def parse_statuses(value: str) -> list[StatusWord]:
    """``"未着手,検討中,進捗中,完了"`` (four words, in the order not_started, considering,
    in_progress, done) or ``"未実施=not_started,実施中=in_progress,完了=done"``.

    The not_started word gets progress 0 and the done word 100 (docs/domain.md: the safe ones).
    Raises :class:`ScaffoldError` for an unknown state or four words missing.
    """
    items = [s.strip() for s in value.split(",") if s.strip()]
    states = [s.value for s in State]
    pairs: list[tuple[str, str]] = []
    if items and all("=" not in i for i in items):
        if len(items) != len(states):
            raise ScaffoldError(N_("give four status words (not started, considering, in progress, done) or WORD=STATE pairs"))
        pairs = list(zip(items, states, strict=True))
    else:
        for item in items:
            word, _, state = (s.strip() for s in item.partition("="))
            if state not in states:
                raise ScaffoldError(N_("status '{item}': the state must be one of {states}"), {"item": item, "states": ", ".join(states)})
            pairs.append((word, state))
    progress = {"not_started": 0, "done": 100}
    return [StatusWord(word=w, state=State(s), progress=progress.get(s)) for w, s in pairs]


def parse_rating(value: str) -> list[RatingBand]:
    """``"A=100,B=80,C=60,D"``: labels with their inclusive lower bound in percent, highest first;
    the last may have none (the lowest band). Raises :class:`ScaffoldError` for a bound that is
    not a number."""
    out = []
    for item in (s.strip() for s in value.split(",")):
        if not item:
            continue
        label, _, bound = (s.strip() for s in item.partition("="))
        try:
            out.append(RatingBand(label=label, min=float(bound) if bound else None))
        except (ValueError, ValidationError):
            raise ScaffoldError(N_("rating band '{item}': write LABEL=PERCENT (the lowest band may be LABEL alone)"), {"item": item}) from None
    return out


def fiscal_year_option(value: str | None) -> int | None:
    """A fiscal year from an option (``2024``, ``R6``, ``令和6年度``), or None. Raises ScaffoldError."""
    if value is None or not str(value).strip():
        return None
    try:
        return parse_fiscal_year(str(value).strip())
    except FiscalYearError as exc:  # its own message, worded from the catalogue in the command's language
        raise ScaffoldError(exc.msgid, exc.params) from None


def date_option(value: str | None) -> dt.date | None:
    """A date from an option (``2025-03-31``), or None. Raises ScaffoldError."""
    if value is None or not str(value).strip():
        return None
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise ScaffoldError(N_("not a date: '{value}' (write YYYY-MM-DD)"), {"value": value}) from None


def plan_data(spec: PlanSpec, today: dt.date | None = None) -> tuple[dict[str, Any], list[str]]:
    """The plan.yaml data for ``spec`` and the fields left as placeholders (dotted names).

    Missing values: municipality, title, categories and departments get :data:`PLACEHOLDER`;
    the period is the fiscal year of ``today`` and the two after it. The data is checked
    against :class:`~dxplan.model.schema.Plan`; raises :class:`ScaffoldError` when it does not pass
    (e.g. the period ends before it starts).
    """
    today = today or dt.date.today()
    preset = PRESETS[spec.preset] if spec.preset else None
    to_edit: list[str] = []
    municipality = spec.municipality
    if not municipality:
        municipality = PLACEHOLDER
        to_edit.append("municipality")
    title = spec.title or (f"{municipality}DX推進計画" if spec.municipality else None)
    if not title:
        title = PLACEHOLDER + "DX推進計画"
        to_edit.append("title")
    start = spec.period_start or fiscal_year_of(today)
    end = spec.period_end or max(start + 2, start)
    if spec.period_start is None or spec.period_end is None:
        to_edit.append("period_start / period_end")
    categories = spec.categories or [CategorySpec("1", PLACEHOLDER)]
    if not spec.categories:
        to_edit.append("categories")
    departments = spec.departments or [PLACEHOLDER + "課"]
    if not spec.departments:
        to_edit.append("departments")
    statuses = spec.statuses or list(preset.statuses if preset else ())
    rating = spec.rating_scale or list(preset.rating_scale if preset else ())
    grades = list(preset.grades) if preset and not spec.rating_scale else []
    if not statuses:
        to_edit.append("statuses")
    if not rating and not grades:
        to_edit.append("rating_scale / grade_scale")

    data: dict[str, Any] = {"id": spec.id, "municipality": municipality}
    if spec.prefecture:
        data["prefecture"] = spec.prefecture
    data["title"] = title
    data["period_start"] = format_fiscal_year(start)
    data["period_end"] = format_fiscal_year(end)
    data["fiscal_year_style"] = "reiwa"
    if spec.evaluation_date:
        data["evaluation_date"] = spec.evaluation_date
    data["sources"] = []
    data["labels"] = {"category_levels": ["大区分", "中区分"]}
    if preset and preset.rate_label and not spec.rating_scale:
        data["labels"]["rate"] = preset.rate_label
    data["categories"] = _category_tree(categories)
    data["departments"] = [{"name": d} for d in departments]
    data["statuses"] = [s.model_dump(exclude_defaults=True, mode="json") for s in statuses]
    if rating:
        data["rating_scale"] = [b.model_dump(mode="json") for b in rating]
    if grades:
        data["grade_scale"] = {"applies_to": "action", "grades": [{"grade": g, "meaning": ""} for g in grades]}
    data["lint"] = {"require": ["target", "owners", "tasks"]}
    try:
        Plan.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        raise ScaffoldError(N_("the plan would not be valid: {error}"), {"error": f"{'.'.join(map(str, first['loc']))}: {first['msg']}"}) from None
    return data, to_edit


def _category_tree(categories: list[CategorySpec]) -> list[dict[str, Any]]:
    nodes: dict[str, dict[str, Any]] = {c.id: {"id": c.id, "name": c.name} for c in categories}
    roots = []
    for c in categories:
        if c.parent and c.parent in nodes:
            nodes[c.parent].setdefault("children", []).append(nodes[c.id])
        else:
            roots.append(nodes[c.id])
    return roots


def to_yaml(data: dict[str, Any], path: Path, header: list[str], flow_lists: tuple[str, ...] = ()) -> str:
    """``data`` as canonical plan-file YAML (:func:`dxplan.files.fmt.format_text`) with ``header`` comment
    lines and the schema modeline first. Items of the lists named in ``flow_lists`` are written
    in flow style (``- {word: 完了, state: done}``), as the bundled plans write them."""
    tree = _tree(data, flow_lists)
    y = YAML(typ="rt")
    y.width = 4096
    y.indent(mapping=2, sequence=4, offset=2)
    out = io.StringIO()
    y.dump(tree, out)
    text = "".join(f"# {line}\n" if line else "#\n" for line in header) + out.getvalue()
    return format_text(text, path, modeline=False).new


def _tree(value: Any, flow_lists: tuple[str, ...], key: str | None = None) -> Any:
    """Plain data → ruamel nodes: lists of scalars and the items of ``flow_lists`` in flow style,
    whole floats as ints (``100.0`` → ``100``)."""
    if isinstance(value, dict):
        node = CommentedMap((k, _tree(v, flow_lists, k)) for k, v in value.items())
        return node
    if isinstance(value, list):
        seq = CommentedSeq(_tree(v, flow_lists) for v in value)
        if value and all(not isinstance(v, (dict, list)) for v in value):
            seq.fa.set_flow_style()
        elif key in flow_lists:
            for item in seq:
                if isinstance(item, CommentedMap):
                    item.fa.set_flow_style()
        return seq
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def schema_modeline(kind: Literal["plan", "action"], depth: int) -> str:
    """The yaml-language-server line of a file ``depth`` folders below the repository top."""
    return f"{MODELINE}{'../' * depth}schemas/{SCHEMA_FILES[kind]}\n"


# --------------------------------------------------------------------------- the other files


def packaged_schemas() -> dict[str, str]:
    """The JSON Schemas shipped with dxplan: ``{"plan.schema.json": text, "action.schema.json": text}``.

    From ``dxplan/schemas`` in an installed wheel, else the repository's ``schemas/`` (a source
    checkout or editable install); both are ``dxplan schema --output schemas`` output.
    """
    folder = shipped("schemas")
    return {name: (folder / name).read_text(encoding="utf-8") for name in SCHEMA_FILES.values()}


@dataclass(frozen=True)
class DxplanPin:
    """The dxplan repository (a git URL) and revision (tag or commit) CI and pre-commit install.

    ``known`` is False when either is a placeholder the office must replace.
    """

    repo: str
    rev: str

    @property
    def known(self) -> bool:
        return self.repo != REPO_PLACEHOLDER and self.rev != REV_PLACEHOLDER


def installed_pin(repo: str | None = None, rev: str | None = None) -> DxplanPin:
    """The pin for CI: ``repo``/``rev`` when given, else where this dxplan was installed from
    with ``pip install git+URL@REV`` (pip's ``direct_url.json``: the URL and the commit),
    else placeholders."""
    if repo and rev:
        return DxplanPin(repo, rev)
    found_repo = found_rev = None
    try:
        raw = metadata.distribution("dxplan").read_text("direct_url.json")
        info = json.loads(raw) if raw else {}
        if info.get("vcs_info", {}).get("vcs") == "git":
            found_repo, found_rev = info.get("url"), info["vcs_info"].get("commit_id")
    except (metadata.PackageNotFoundError, ValueError, KeyError):
        pass
    return DxplanPin(repo or found_repo or REPO_PLACEHOLDER, rev or found_rev or REV_PLACEHOLDER)


def _starter() -> jinja2.Environment:
    # {@ … @} for values: the workflow's own ${{ … }} expressions and shell ${#x} stay as written
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(STARTER_DIR),
        variable_start_string="{@",
        variable_end_string="@}",
        comment_start_string="{@#",
        comment_end_string="#@}",
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
        autoescape=False,
    )


@dataclass
class InitResult:
    """What :func:`init_files` builds: the files (relative path → text) and the fields to edit."""

    files: dict[str, str]
    to_edit: list[str]
    pin: DxplanPin
    plan: dict[str, Any]


def init_files(folder: Path, spec: PlanSpec, pin: DxplanPin, today: dt.date | None = None, *, pages: bool = False) -> InitResult:
    """Every file of a new plans repository in ``folder`` (nothing is written); ``pages`` adds
    ``.github/workflows/pages.yml`` (the public site and the open data on GitHub Pages) and says so in the README.

    Raises :class:`ScaffoldError` when ``spec`` does not make a valid plan.
    """
    data, to_edit = plan_data(spec, today)
    style = f"preset {spec.preset}: {PRESETS[spec.preset].comment}" if spec.preset else "preset なし: 進捗状況の語（statuses）と評価の尺度（rating_scale / grade_scale）は計画の定めを記入"
    header = [
        f"{data['municipality']} {data['title']} (dxplan init, {style})",
        f"{PLACEHOLDER} の欄は記入が必要です。確認: dxplan lint .",
    ]
    plan_text = schema_modeline("plan", 0) + to_yaml(data, Path(folder) / PLAN_FILE, header, ("statuses", "rating_scale", "grades"))
    values = {
        "plan": data,
        "version": __version__,
        "repo": pin.repo,
        "rev": pin.rev,
        "placeholder": PLACEHOLDER,
        "rev_placeholder": REV_PLACEHOLDER,
        "repo_placeholder": REPO_PLACEHOLDER,
        "example_category": shlex.quote(_first_leaf(data["categories"])),
        "pages": pages,
    }
    env = _starter()
    files = {
        PLAN_FILE: plan_text,
        "actions/.gitkeep": "",
        **{f"schemas/{name}": text for name, text in packaged_schemas().items()},
        ".pre-commit-config.yaml": env.get_template("pre-commit-config.yaml.j2").render(values),
        ".github/workflows/dxplan.yml": env.get_template("workflow.yml.j2").render(values),
        "README.md": env.get_template("README.md.j2").render(values),
        ".gitignore": gitignore(data["id"], pages),
    }
    if pages:
        files[".github/workflows/pages.yml"] = env.get_template("pages.yml.j2").render(values)
    if not pin.known:
        to_edit.append("DXPLAN_REPO / DXPLAN_REV (.github/workflows/dxplan.yml" + (", .github/workflows/pages.yml" if pages else "")
                       + "), repo / rev (.pre-commit-config.yaml)")
    return InitResult(files, to_edit, pin, data)


def _first_leaf(categories: list[dict[str, Any]]) -> str:
    """The id of the first category without children (the one ``dxplan new`` takes by default)."""
    node = categories[0]
    while node.get("children"):
        node = node["children"][0]
    return str(node["id"])


def gitignore(plan_id: str, pages: bool = False) -> str:
    """The ``.gitignore`` of a new plans repository: what dxplan writes that is not the plan.

    Reports (``report`` without ``-o``: ``<plan>-report.<fmt>``, ``<plan>-action-<id>.<fmt>``), exported
    sheets (``export``: ``<plan>.xlsx``, ``<plan>-<課>.xlsx``) and temporary files of a killed writer; with
    ``pages``, the folders the Pages workflow writes (``_site/``, ``opendata/``), when made by hand.
    """
    stem = glob_escape(plan_id)
    return (
        "# dxplan の出力（報告書・書き出した表）と書き込み途中の一時ファイル: コミットしない\n"
        f"/{stem}-report.*\n/{stem}-action-*.*\n/{stem}.xlsx\n/{stem}-*.xlsx\n/{stem}.csv\n/{stem}-*.csv\n"
        "*-report.html\n*-report.pdf\n.*.dxplan-*.tmp\n"
    ) + ("# dxplan site / dxplan publish の出力（.github/workflows/pages.yml が GitHub 上で作成）\n/_site/\n/opendata/\n" if pages else "")


def glob_escape(text: str) -> str:
    """``text`` as a literal in a gitignore pattern (``*``, ``?``, ``[``, ``\\`` and a leading ``#``/``!`` escaped)."""
    out = "".join(f"\\{ch}" if ch in "*?[\\" else ch for ch in text)
    return f"\\{out}" if out[:1] in ("#", "!") else out


# --------------------------------------------------------------------------- writing


def create_exclusive(path: Path, text: str) -> None:
    """Write ``text`` (UTF-8) to a new file ``path`` atomically; FileExistsError if it exists.

    The text is written to a temporary file in the same folder and linked to ``path``
    (``os.link`` fails when ``path`` exists), so a reader never sees a half-written file and
    an existing file is never replaced.
    """
    _create_exclusive(Path(path), text, mode=0o644)


def ask(spec: PlanSpec, prompt: Callable[[str, str], str], lang: str, given: set[str],
        say: Callable[[str], None] = print) -> PlanSpec:
    """Fill the fields of ``spec`` not in ``given`` by asking: ``prompt(question, default) → answer``.

    An empty answer keeps the placeholder. Questions are worded in ``lang``. An answer that is not
    a fiscal year, a date, a category list or a preset is explained (``say(message)``) and the
    question asked again, so no earlier answer is lost.
    """
    from dxplan.i18n import t

    def asked(question: str, default: str, parse: Callable[[str], Any]) -> Any:
        while True:
            answer = prompt(question, default)
            try:
                return parse(answer)
            except ScaffoldError as exc:
                say(exc.message(lang))

    def last_year(answer: str) -> int | None:
        end = fiscal_year_option(answer)
        if end is not None and spec.period_start is not None and end < spec.period_start:
            raise ScaffoldError(N_("the last fiscal year {end} is before the first, {start}"),
                                {"end": format_fiscal_year(end, "r"), "start": format_fiscal_year(spec.period_start, "r")})
        return end

    def preset(answer: str) -> str | None:
        answer = answer.strip()
        if answer and answer not in PRESETS:
            raise ScaffoldError(N_("unknown preset '{name}' (kama or grades)"), {"name": answer})
        return answer or None

    today_fy = fiscal_year_of(dt.date.today())
    if "municipality" not in given:
        spec.municipality = prompt(t(lang, "Municipality (e.g. 嘉麻市)"), "").strip() or None
    if "prefecture" not in given:
        spec.prefecture = prompt(t(lang, "Prefecture (e.g. 福岡県; empty to leave out)"), "").strip() or None
    if "title" not in given:
        spec.title = prompt(t(lang, "Plan title"), f"{spec.municipality}DX推進計画" if spec.municipality else "").strip() or None
    if "period_start" not in given:
        spec.period_start = asked(t(lang, "First fiscal year (2024, R6 or 令和6年度)"), format_fiscal_year(today_fy, "r"), fiscal_year_option)
    if "period_end" not in given:
        start = spec.period_start or today_fy
        spec.period_end = asked(t(lang, "Last fiscal year"), format_fiscal_year(start + 2, "r"), last_year)
    if "evaluation_date" not in given:
        spec.evaluation_date = asked(t(lang, "Evaluation date (YYYY-MM-DD; empty for none yet)"), "", date_option)
    if "categories" not in given:
        spec.categories = asked(t(lang, "Categories, comma-separated (ID=NAME or NAME; I-1 goes under I)"), "", lambda a: parse_categories([a]))
    if "departments" not in given:
        spec.departments = [d.strip() for d in prompt(t(lang, "Departments, comma-separated"), "").split(",") if d.strip()]
    if "preset" not in given and not spec.statuses and not spec.rating_scale:
        question = t(lang, "Scale: kama (嘉麻市's 達成/ほぼ達成/… percent bands and status words), grades (A–D grades) or empty (write the plan's own)")
        spec.preset = asked(question, spec.preset or "", preset)
    return spec
