"""``dxplan publish``: the open-data package of the bundled plans and of a plan with indicators and grades.

The package is validated by the ``frictionless`` library (types, primary keys, every foreign key), its
row counts are those of the plans, DuckDB reads its Parquet files and a SQL query gives ``dxplan status``'s
counts for every bundled plan and fiscal year, and bad input publishes nothing.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import runpy
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import FIXTURES, PLANS, ROOT, git
from dxplan.cli import app
from dxplan.files.load import load_plan
from dxplan.model.base import municipality_check_digit, provenance_of
from dxplan.model.indicators import Baseline, Grade, GradeEntry, Indicator, IndicatorActual, IndicatorTarget
from dxplan.model.provenance import source_strings
from dxplan.model.schema import Action, Category, Department, Effect, Plan, Target, Task
from dxplan.opendata.schema import RESOURCES, STANDARD_NAMES

frictionless = pytest.importorskip("frictionless")
duckdb = pytest.importorskip("duckdb")

BUNDLED = ("iizuka", "kama", "kashima", "kurate")


def run(*args: str) -> tuple[int, str, str]:
    r = CliRunner().invoke(app, ["--lang", "en", *map(str, args)], env={"COLUMNS": "240", "DXPLAN_NO_CACHE": "1"})
    return r.exit_code, r.stdout, r.stderr


@pytest.fixture(scope="module")
def bundled(tmp_path_factory) -> Path:
    """The package of the four bundled plans, copied outside git (no history rows)."""
    base = tmp_path_factory.mktemp("bundled")
    shutil.copytree(PLANS, base / "plans", ignore=shutil.ignore_patterns("*.xlsx"))
    code, out, err = run("publish", base / "plans", "-o", base / "out", "-q")
    assert code == 0, err
    assert err.count("declares no municipality_code") == 4 and err.count("not in a git repository") == 4
    return base / "out"


@pytest.fixture(scope="module")
def published(tmp_path_factory) -> Path:
    """The package of tests/fixtures/published (indicators, grades), outside git, with a municipality code."""
    base = tmp_path_factory.mktemp("published")
    plan = base / "published"
    shutil.copytree(FIXTURES / "published", plan)
    text = (plan / "plan.yaml").read_text(encoding="utf-8")
    (plan / "plan.yaml").write_text(re.sub(r"^(municipality: .*)$", r"\1\nmunicipality_code: '131016'", text, count=1, flags=re.M), encoding="utf-8")
    code, _, err = run("publish", plan, "-o", base / "out", "-q")
    assert code == 0, err
    assert "municipality_code" not in err
    return base / "out"


def rows(folder: Path, name: str) -> list[dict[str, str]]:
    with open(folder / "data" / f"{name}.csv", encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def validate(folder: Path):
    report = frictionless.validate(str(folder / "datapackage.json"))
    assert report.valid, [e.message for t in report.tasks for e in t.errors][:5]
    return {t.name: t for t in report.tasks}


def test_bundled_package_validates_and_counts_the_plans_rows(bundled):
    tasks = validate(bundled)
    assert set(tasks) == {r.name for r in RESOURCES}
    loaded = {name: load_plan(PLANS / name) for name in BUNDLED}
    want_tasks = sum(len(la.action.tasks) for lp in loaded.values() for la in lp.actions)
    want_actions = sum(len(lp.actions) for lp in loaded.values())
    assert tasks["tasks"].stats["rows"] == want_tasks and tasks["actions"].stats["rows"] == want_actions
    # every task row carries a foreign key to its action (checked by frictionless above), and rows that name one
    # department carry one to it: count them from the plans' own look-ups
    want_dept = sum(
        1 for lp in loaded.values() for la in lp.actions for task in la.action.tasks
        if task.department and (d := lp.index.departments(task.department)) is not None and len(d) == 1
    )
    assert sum(1 for r in rows(bundled, "tasks") if r["department_key"]) == want_dept > 0
    assert sum(1 for r in rows(bundled, "categories") if r["parent_key"]) == sum(
        len(c.children) for lp in loaded.values() for c in lp.plan.categories)
    # 嘉麻市's task rows of 令和6年度 are those dxplan status counts
    code, out, _ = run("status", PLANS / "kama", "--year", "R6", "-f", "json")
    status_rows = json.loads(out)["years"][0]["total"]["rows"]
    assert sum(1 for r in rows(bundled, "tasks") if r["plan_id"] == "kama" and r["fiscal_year"] == "2024") == status_rows == 152
    assert rows(bundled, "status_history") == []
    assert {r["全国地方公共団体コード"] for r in rows(bundled, "plans")} == {""}


def test_duckdb_reproduces_status_counts_for_every_bundled_plan(bundled):
    con = duckdb.connect()
    tasks = str(bundled / "data" / "tasks.parquet")
    got = {
        (plan, fy, state): n
        for plan, fy, state, n in con.execute(
            "SELECT plan_id, fiscal_year, coalesce(state, CASE WHEN status IS NULL THEN 'no_status' ELSE 'unknown' END), count(*) "
            f"FROM read_parquet('{tasks}') GROUP BY ALL").fetchall()
    }
    checked = 0
    for name in BUNDLED:
        _, out, _ = run("status", PLANS / name, "-f", "json")
        for year in json.loads(out)["years"]:
            total = year["total"]
            for state, n in [*total["counts"].items(), ("no_status", total["no_status"]), ("unknown", total["unknown"])]:
                assert got.get((name, year["fiscal_year"], state), 0) == n, (name, year["fiscal_year"], state)
                checked += n
    assert checked == len(rows(bundled, "tasks"))


def test_source_columns_hold_only_the_plans_words(bundled):
    words = set()
    for name in BUNDLED:
        lp = load_plan(PLANS / name)
        for model in (lp.plan, *(la.action for la in lp.actions)):
            words |= {text for _, text in source_strings(model)}
    for r in RESOURCES:
        text_columns = [c.name for c in r.columns if c.kind == "source" and c.type == "string"]
        for row in rows(bundled, r.name):
            for col in text_columns:
                value = row[col]
                assert not value or value in words or all(part in words for part in value.split("\n")), (r.name, col, value)


#: (resource, column) → the plan-schema field it holds: the column declares that field's provenance.
FIELD_OF = {
    **{("plans", c): (Plan, f) for c, f in [("都道府県名", "prefecture"), ("地方公共団体名", "municipality"), ("ID", "id"), ("全国地方公共団体コード", "municipality_code"),
                                            ("名称", "title"), ("stage", "stage"), ("period_start", "period_start"), ("period_end", "period_end"),
                                            ("evaluation_date", "evaluation_date"), ("published", "published"), ("備考", "notes")]},
    **{("categories", c): (Category, f) for c, f in [("ID", "id"), ("名称", "name"), ("description", "description")]},
    ("categories", "level_label"): (Plan, "labels"),
    **{("departments", c): (Department, f) for c, f in [("ID", "id"), ("名称", "name"), ("parent_id", "parent"), ("kind", "kind"), ("role", "role")]},
    **{("actions", c): (Action, f) for c, f in [("ID", "id"), ("number", "number"), ("名称", "title"), ("category_id", "category"), ("division", "division"),
                                                ("owners", "owners"), ("aim", "aim"), ("approach", "approach"), ("budget", "budget"), ("備考", "notes")]},
    ("actions", "target_text"): (Target, "text"),
    **{("tasks", c): (Task, f) for c, f in [("fiscal_year", "fiscal_year"), ("department", "department"), ("item", "item"), ("plan", "plan"),
                                            ("result", "result"), ("result_kind", "result_kind"), ("status", "status"), ("progress", "progress"),
                                            ("timing", "timing"), ("備考", "note")]},
    **{("indicators", c): (Indicator, f) for c, f in [("indicator_id", "id"), ("名称", "name"), ("kind", "kind"), ("unit", "unit"), ("measure", "measure"),
                                                      ("accumulation", "accumulation"), ("direction", "direction"), ("target_text", "target_text"),
                                                      ("target_value", "target_value"), ("deadline", "deadline"), ("note", "note")]},
    ("indicators", "baseline_value"): (Baseline, "value"), ("indicators", "baseline_fiscal_year"): (Baseline, "fiscal_year"),
    **{("indicator_values", c): (IndicatorActual, f) for c, f in [("fiscal_year", "fiscal_year"), ("value", "value"), ("text", "text"), ("date", "date"),
                                                                  ("note", "note"), ("source", "source"), ("value_kind", "kind")]},
    ("indicator_values", "comparator"): (IndicatorTarget, "comparator"),
    **{("grades", c): (GradeEntry, f) for c, f in [("fiscal_year", "fiscal_year"), ("grade", "grade"), ("reason", "reason"), ("note", "note")]},
    ("grades", "meaning"): (Grade, "meaning"), ("grades", "not_evaluated"): (Grade, "not_evaluated"),
    **{("effects", c): (Effect, f) for c, f in [("fiscal_year", "fiscal_year"), ("kind", "kind"), ("text", "raw"), ("value", "value"), ("unit", "unit"),
                                                ("meaning", "meaning"), ("per", "per")]},
}


def test_each_column_declares_the_provenance_of_the_plan_field_it_holds():
    columns = {(r.name, c.name): c.kind for r in RESOURCES for c in r.columns}
    assert set(FIELD_OF) <= set(columns)
    assert {key: columns[key] for key in FIELD_OF} == {key: provenance_of(model, name) for key, (model, name) in FIELD_OF.items()}
    assert [key for key, kind in columns.items() if kind == "annotation"] == [("indicator_values", "source")]


def test_published_fixture_indicators_and_grades(published):
    tasks = validate(published)
    plan = load_plan(FIXTURES / "published")
    grades = sum(len(i.grades) for la in plan.actions for i in la.action.indicators)
    assert tasks["grades"].stats["rows"] == grades == 9
    values = rows(published, "indicator_values")
    k1 = [(v["value_kind"], v["value"], v["text"]) for v in values if v["indicator"] == "1:K1"]
    assert k1 == [("target", "100", "100"), ("actual", "92.9", "")]
    assert ("actual", "", "完了") in [(v["value_kind"], v["value"], v["text"]) for v in values if v["indicator"] == "1:K2"]
    series = [r["ID"] for r in rows(published, "indicators") if r["series_of"]]
    assert len(series) == 2 and all(s.startswith("2:") for s in series)
    assert [r["全国地方公共団体コード"] for r in rows(published, "plans")] == ["131016"]
    assert {r["全国地方公共団体コード"] for r in rows(published, "actions")} == {"131016"}
    con = duckdb.connect()
    split = con.execute(f"SELECT grade, count(*) FROM read_parquet('{published / 'data' / 'grades.parquet'}') "
                        "WHERE NOT not_evaluated GROUP BY grade ORDER BY grade").fetchall()
    assert split == [("A", 3), ("B", 3), ("C", 1), ("D", 1)]  # README.md: A 3, B 3, C 1, D 1; － apart


def test_status_history_from_git(tmp_path, kama):
    repo = kama.parent.parent
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "first evaluation")
    plan = kama / "plan.yaml"
    plan.write_text(plan.read_text(encoding="utf-8").replace("evaluation_date: 2025-02-10", "evaluation_date: 2025-03-10"), encoding="utf-8")
    action, other = [p for p in sorted((kama / "actions").glob("*.yaml")) if "status: 進捗中" in p.read_text(encoding="utf-8")][:2]
    action.write_text(action.read_text(encoding="utf-8").replace("status: 進捗中", "status: 完了", 1), encoding="utf-8")
    git(repo, "commit", "-qam", "second evaluation")
    # a later commit under the same evaluation date: the date's column is the plan as this last commit holds it
    other.write_text(other.read_text(encoding="utf-8").replace("status: 進捗中", "status: 完了", 1), encoding="utf-8")
    git(repo, "commit", "-qam", "second evaluation, corrected")
    last = git(repo, "rev-parse", "HEAD").strip()
    code, _, err = run("publish", kama, "-o", tmp_path / "out", "-q")
    assert code == 0, err
    validate(tmp_path / "out")
    hist = rows(tmp_path / "out", "status_history")
    by = {(r["date"], r["state"]): int(r["rows"]) for r in hist}
    assert len(hist) == 12  # two evaluation dates × four states, no_status and unknown
    assert (by[("2025-02-10", "done")], by[("2025-03-10", "done")]) == (74, 76)
    assert (by[("2025-02-10", "in_progress")], by[("2025-03-10", "in_progress")]) == (77, 75)
    assert {r["commit"] for r in hist if r["date"] == "2025-03-10"} == {last}


def test_a_plan_with_lint_errors_publishes_nothing(tmp_path):
    plan = tmp_path / "published"
    shutil.copytree(FIXTURES / "published", plan)
    text = (plan / "plan.yaml").read_text(encoding="utf-8")
    (plan / "plan.yaml").write_text(re.sub(r"^(municipality: .*)$", r"\1\nmunicipality_code: '131017'", text, count=1, flags=re.M), encoding="utf-8")
    line = next(i for i, s in enumerate((plan / "plan.yaml").read_text(encoding="utf-8").splitlines(), 1) if s.startswith("municipality_code"))
    code, out, err = run("publish", plan, "-o", tmp_path / "out")
    assert code == 1 and out == ""
    assert f"plan.yaml:{line}:20: error municipality-code 'municipality_code': 131017 is not a 全国地方公共団体コード" in err
    assert "so the code would be 131016" in err and "nothing was published: 1 error(s)" in err
    assert not (tmp_path / "out").exists()
    assert [p.name for p in tmp_path.iterdir()] == ["published"]  # no staging folder left beside it


def test_municipality_code_check_digit_and_forms(tmp_path):
    # 総務省's codes: 千代田区 131016, 札幌市 011002, 北九州市 401005
    assert [municipality_check_digit(c) for c in ("13101", "01100", "40100")] == [6, 2, 5]
    plan = tmp_path / "p"
    shutil.copytree(FIXTURES / "published", plan)
    text = (plan / "plan.yaml").read_text(encoding="utf-8")
    for written, rule_ok in (("131016", True), ("'011002'", True), ("11002", False), ("'13101６'", False)):
        (plan / "plan.yaml").write_text(re.sub(r"^(municipality: .*)$", rf"\1\nmunicipality_code: {written}", text, count=1, flags=re.M), encoding="utf-8")
        code, out, _ = run("lint", plan)
        assert (code == 0) is rule_ok, (written, out)
        if not rule_ok:
            assert "a code is six digits" in out


def test_schema_prints_the_descriptor_without_data(tmp_path):
    code, out, _ = run("publish", "--schema")
    assert code == 0
    desc = json.loads(out)
    assert desc["version"] == desc["x-schema-version"]
    assert [r["name"] for r in desc["resources"]] == [r.name for r in RESOURCES]
    tasks = next(r for r in desc["resources"] if r["name"] == "tasks")
    fields = {f["name"]: f for f in tasks["schema"]["fields"]}
    assert (fields["status"]["x-provenance"], fields["state"]["x-provenance"]) == ("source", "computed")
    assert fields["status"]["title"] == "進捗状況" and fields["status"]["title_en"] == "status"
    assert tasks["x-alternates"] == ["data/tasks.parquet"]
    values = next(r for r in desc["resources"] if r["name"] == "indicator_values")
    assert {f["name"]: f["x-provenance"] for f in values["schema"]["fields"]}["source"] == "annotation"
    # the 自治体標準オープンデータセット names are column names, each documented in the mapping table
    columns = {c.name for r in RESOURCES for c in r.columns}
    assert set(STANDARD_NAMES) <= columns
    # docs/opendata.md is the reference tools/opendata_doc.py writes from the schema: one section per resource
    tool = runpy.run_path(str(ROOT / "tools" / "opendata_doc.py"))
    assert tool["main"](["--check"]) == 0, "docs/opendata.md is out of date: run PYTHONPATH=src python tools/opendata_doc.py"
    doc = (ROOT / "docs" / "opendata.md").read_text(encoding="utf-8")
    for r in RESOURCES:
        section = doc.split(f"## `{r.name}`", 1)[1].split("\n## ", 1)[0]
        for c in r.columns:
            assert f"`{c.name}`" in section, (r.name, c.name)
    mapping = doc.split("自治体標準オープンデータセット", 1)[1].split("## Versions", 1)[0]
    assert all(f"| {name} | `{name}`" in mapping for name in STANDARD_NAMES)


def test_output_folder_rules_and_bom(tmp_path, published):
    other = tmp_path / "other"
    other.mkdir()
    (other / "keep.txt").write_text("mine", encoding="utf-8")
    stale = tmp_path / ".again.dxplan-999999999-x1.tmp"  # left by a killed run (no such process)
    (stale / "data").mkdir(parents=True)
    code, _, err = run("publish", FIXTURES / "published", "-o", other, "-q", "--no-history")
    assert code == 2 and "not a data package" in err
    assert [p.name for p in other.iterdir()] == ["keep.txt"]
    again = tmp_path / "again"
    shutil.copytree(published, again)
    (again / "data" / "stale.csv").write_text("old", encoding="utf-8")
    code, out, _ = run("publish", FIXTURES / "published", "-o", again, "-q", "--no-history", "--bom")
    assert code == 0 and not (again / "data" / "stale.csv").exists()  # the previous package replaced whole
    assert sorted(p.name for p in tmp_path.iterdir()) == ["again", "other"]  # the killed run's staging folder removed
    assert len(out.splitlines()) == 1 + 2 * len(RESOURCES)
    assert (again / "data" / "plans.csv").read_bytes().startswith("\ufeff全国地方公共団体コード".encode())
    validate(again)
    assert io.BytesIO((again / "datapackage.json").read_bytes()).read().count(b'"utf-8-sig"') == len(RESOURCES)


def test_integrity_names_a_key_given_twice_and_a_reference_to_nothing():
    from dxplan.opendata.tables import integrity, plan_tables

    tables = plan_tables(load_plan(FIXTURES / "published"))
    assert integrity(tables) == []
    tables["grades"].append({**tables["grades"][0]})
    tables["indicator_values"][0] = {**tables["indicator_values"][0], "indicator": "9:K9"}
    assert integrity(tables) == [("indicator_values", "foreign-key", "published, 9:K9"), ("grades", "primary-key", "published, 1")]


def test_without_pyarrow_publish_says_which_extra_and_writes_nothing(tmp_path):
    code = ("import sys; sys.modules['pyarrow'] = None; sys.argv = ['dxplan', '--lang', 'en', 'publish', sys.argv[1], '-o', sys.argv[2]]; "
            "from dxplan.cli import main; main()")
    proc = subprocess.run([sys.executable, "-c", code, str(FIXTURES / "published"), str(tmp_path / "out")],
                          capture_output=True, text=True, env={**os.environ, "DXPLAN_NO_CACHE": "1"})
    assert proc.returncode == 1 and "install dxplan as dxplan[opendata] (pip install 'pyarrow>=" in proc.stderr
    assert "Traceback" not in proc.stderr and not (tmp_path / "out").exists()
