"""``dxplan compare`` (and ``crosswalk``) from an open-data package: the figures computed in DuckDB equal those of the plan folders.

The four bundled plans and the three-plan fixture (tests/fixtures/compare: national items served, an
indicator on track) are published once per module with ``dxplan publish``; every comparison is between
the JSON of ``compare PACKAGE`` and ``compare FOLDERS``, parsed (figures, not formatting), plus counts
written by hand from the fixture's files. docs/compare.md's SQL is taken from the page itself, checked
to be the SQL compare runs, and run on the packages.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import FIXTURES, PLANS, ROOT
from dxplan.cli import app
from dxplan.compare.package import QUERIES, query
from dxplan.output.wording import tally_key
from dxplan.score.rates import ScoreState

duckdb = pytest.importorskip("duckdb")
pytest.importorskip("pyarrow")

FIX = FIXTURES / "compare"
DOC = ROOT / "docs" / "compare.md"


def run(*args: object, lang: str = "ja"):
    return CliRunner().invoke(app, ["--lang", lang, *map(str, args)], env={"DXPLAN_NO_CACHE": "1", "COLUMNS": "200"})


def as_json(*args: object) -> dict:
    result = run(*args, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def packages(tmp_path_factory) -> dict[str, Path]:
    """``{"bundled": package of plans/, "three": package of tests/fixtures/compare}`` (no git history)."""
    base = tmp_path_factory.mktemp("packages")
    out = {}
    for name, source in (("bundled", PLANS), ("three", FIX)):
        result = run("publish", source, "-o", base / name, "-q", "--no-history")
        assert result.exit_code == 0, result.output
        out[name] = base / name
    return out


def test_package_figures_equal_the_plan_folders(packages):
    yaml = as_json("compare", PLANS)
    assert as_json("compare", packages["bundled"]) == yaml
    assert as_json("compare", packages["bundled"] / "datapackage.json") == yaml
    kama = next(p for g in yaml["groups"] for p in g["plans"] if p["plan"] == "kama")
    assert kama["years"]["2024"] == {"state": "share", "done": 74, "with_status": 151, "rows": 152, "share": 49.01}
    assert kama["years"]["2023"]["state"] == "not_planned" and kama["years"]["2025"]["state"] == "no_data"
    assert kama["labels"] == {"達成": 20, "データ不足": 30} and kama["national_items"]["coverage"] == "unclassified"
    # the fixture serves national items and rates an indicator: counted by hand from its files
    three = as_json("compare", FIX)
    assert as_json("compare", packages["three"]) == three
    alpha = next(p for g in three["groups"] for p in g["plans"] if p["plan"] == "alpha")
    assert alpha["indicators"] == {"on_track": 1, "rated": 1, "no_data": 1, "total": 2}
    assert [(i["id"], i["actions"]) for i in alpha["national_items"]["covered"]] == [("frontyard", ["1", "2"]), ("eltax", ["2"])]
    assert alpha["national_items"]["not_covered"] == ["standardization", "my-number-card", "security", "ai-rpa", "telework"]
    assert alpha["unclassified_actions"] == ["3"] and alpha["national_frame"] == "2.3"
    assert next(p for g in three["groups"] for p in g["plans"] if p["plan"] == "gamma")["national_items"]["coverage"] == "unclassified"


def test_every_format_and_crosswalk_read_the_same_from_a_package(packages):
    for fmt in ("table", "csv", "markdown"):
        yaml, pkg = run("compare", FIX, "--format", fmt), run("compare", packages["three"], "--format", fmt)
        assert pkg.exit_code == 0 and pkg.stdout == yaml.stdout, fmt
    crosswalk = as_json("crosswalk", packages["three"])
    assert crosswalk == as_json("crosswalk", FIX)
    alpha = next(p for p in crosswalk["plans"] if p["plan"] == "alpha")
    assert [a["id"] for a in alpha["cells"]["frontyard"]] == ["1", "2"]


def test_a_group_file_groups_a_package_as_it_groups_the_folders(packages, tmp_path):
    groups = FIX / "groups.csv"
    three = as_json("compare", packages["three"], "--groups", groups)
    assert three == as_json("compare", FIX, "--groups", groups)
    assert three["grouped_by"] == "peer"
    csv = tmp_path / "groups.csv"
    csv.write_text("plan,group\nkama,筑豊\niizuka,筑豊\nkashima,佐賀\n", encoding="utf-8")
    bundled = as_json("compare", packages["bundled"], "--groups", csv)
    assert bundled == as_json("compare", PLANS, "--groups", csv)
    assert [(g["group"], [p["plan"] for p in g["plans"]]) for g in bundled["groups"]] == [
        ("筑豊", ["iizuka", "kama"]), ("佐賀", ["kashima"]), (None, ["kurate"])]
    assert bundled["groups"][0]["years"]["2024"] == {"state": "share", "done": 74, "with_status": 151, "rows": 375, "share": 49.01}


def sql_blocks() -> list[str]:
    """The ```sql blocks of docs/compare.md, in order."""
    return re.findall(r"^```sql\n(.*?)^```$", DOC.read_text(encoding="utf-8"), flags=re.M | re.S)


def run_doc(con, sql: str) -> list[dict]:
    cur = con.execute(sql)
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]


@pytest.mark.parametrize("which, source", [("bundled", PLANS), ("three", FIX)])
def test_the_documented_sql_is_compare_s_and_gives_its_figures(packages, which, source, monkeypatch):
    blocks = sql_blocks()
    shipped = {name: query(name) for name in ("views", *QUERIES)}
    assert [b for b in blocks if b in shipped.values()] == list(shipped.values()), "docs/compare.md must show sql/*.sql verbatim, in order"
    (national,) = [b for b in blocks if b not in shipped.values()]
    want = as_json("compare", source)
    plans = {p["plan"]: p for g in want["groups"] for p in g["plans"]}
    monkeypatch.chdir(packages[which])  # the page says: run in the package's folder
    con = duckdb.connect()
    con.execute(blocks[0])
    got = {name: run_doc(con, shipped[name]) for name in QUERIES}
    assert {r["plan_id"]: (r["municipality"], r["actions"]) for r in got["plans"]} == {p: (v["municipality"], v["actions"]) for p, v in plans.items()}
    for r in got["plans"]:
        p = plans[r["plan_id"]]
        assert (r["prefecture"], r["municipality_code"], r["national_frame"]) == (p["prefecture"], p["municipality_code"], p["national_frame"])
        assert (r["last_evaluation"].isoformat() if r["last_evaluation"] else None) == p["last_evaluation"]
    for r in got["years"]:
        y = plans[r["plan_id"]]["years"][str(r["fiscal_year"])]
        assert (r["state"], r["done"], r["with_status"], r["rows"]) == (y["state"], y["done"], y["with_status"], y["rows"])
        assert (None if r["share"] is None else round(r["share"], 2)) == y["share"]
    assert {(r["plan_id"], r["fiscal_year"]) for r in got["years"] if r["state"] != "not_planned"} == {
        (p, int(fy)) for p, v in plans.items() for fy, y in v["years"].items() if y["state"] != "not_planned"}
    labels: dict[str, dict[str, int]] = {p: {} for p in plans}
    for r in got["labels"]:
        key = ScoreState(r["label"]) if r["label"] in ScoreState.__members__ else r["label"]
        labels[r["plan_id"]][tally_key(key, "ja")] = r["actions"]
    assert labels == {p: v["labels"] for p, v in plans.items()}
    tallies = {r["plan_id"]: {"on_track": r["on_track"], "rated": r["rated"], "no_data": r["total"] - r["rated"], "total": r["total"]} for r in got["indicators"]}
    assert {p: tallies.get(p, {"on_track": 0, "rated": 0, "no_data": 0, "total": 0}) for p in plans} == {p: v["indicators"] for p, v in plans.items()}
    covered: dict[str, list] = {p: [] for p in plans}
    not_covered: dict[str, list] = {p: [] for p in plans}
    for r in got["items"]:
        if r["actions"]:
            covered[r["plan_id"]].append({"id": r["item"], "name": r["name"], "actions": r["actions"]})
        elif plans[r["plan_id"]]["national_frame"] is not None:
            not_covered[r["plan_id"]].append(r["item"])
    assert covered == {p: v["national_items"]["covered"] for p, v in plans.items()}
    assert not_covered == {p: v["national_items"]["not_covered"] for p, v in plans.items()}
    untagged = {r["plan_id"]: r["actions"] for r in got["unclassified"]}
    assert {p: untagged.get(p, []) for p in plans} == {p: v["unclassified_actions"] for p, v in plans.items()}
    # the national example pools per prefecture as compare's prefecture groups do
    pooled = {(r["prefecture"], r["fiscal_year"]): (r["done"], r["with_status"], r["rows"]) for r in run_doc(con, national)}
    groups = {(g["group"], int(fy)): (y["done"], y["with_status"], y["rows"]) for g in want["groups"] for fy, y in g["years"].items() if y["rows"]}
    assert pooled == groups and pooled


def test_mixing_packages_and_folders_or_as_of_is_a_usage_error(packages):
    mixed = run("compare", packages["three"], FIX / "alpha", lang="en")
    assert mixed.exit_code == 2 and "give either open-data packages or plan folders, not both" in mixed.stderr
    dated = run("compare", packages["three"], "--as-of", "HEAD", lang="en")
    assert dated.exit_code == 2 and "--as-of reads plan folders at a git commit" in dated.stderr


def test_a_missing_or_damaged_parquet_file_is_named_without_a_traceback(packages, tmp_path):
    broken = tmp_path / "broken"
    shutil.copytree(packages["three"], broken)
    (broken / "data" / "serves.parquet").unlink()
    missing = run("compare", broken, lang="en")
    assert missing.exit_code == 1 and missing.stdout == ""
    assert f"{broken / 'data' / 'serves.parquet'}: no such file; the package is incomplete" in missing.stderr
    shutil.copy(packages["three"] / "data" / "serves.parquet", broken / "data" / "serves.parquet")
    tasks = broken / "data" / "tasks.parquet"
    tasks.write_bytes(tasks.read_bytes()[:200])  # cut short: no Parquet footer
    damaged = run("compare", broken, lang="en")
    assert damaged.exit_code == 1 and f"{tasks}: cannot read the Parquet file" in damaged.stderr
    assert "Traceback" not in damaged.output and isinstance(damaged.exception, SystemExit)
    descriptor = broken / "datapackage.json"
    data = json.loads(descriptor.read_text(encoding="utf-8"))
    descriptor.write_text(json.dumps({**data, "x-schema-version": "1.0.0"}), encoding="utf-8")
    old = run("compare", broken, lang="en")
    assert old.exit_code == 1 and f"{descriptor}: the package has schema version 1.0.0; compare needs 1.1.0 or later" in old.stderr


def test_without_duckdb_compare_of_a_package_says_which_extra(packages):
    code = ("import sys; sys.modules['duckdb'] = None; sys.argv = ['dxplan', '--lang', 'en', 'compare', sys.argv[1]]; "
            "from dxplan.cli import main; main()")
    proc = subprocess.run([sys.executable, "-c", code, str(packages["three"])], capture_output=True, text=True,
                          env={**os.environ, "DXPLAN_NO_CACHE": "1"})
    assert proc.returncode == 1 and "install dxplan as dxplan[opendata] (pip install 'duckdb>=1.0,<3')" in proc.stderr
    assert "Traceback" not in proc.stderr and proc.stdout == ""


def test_a_yearly_target_beside_an_indicator_named_y1_publishes_and_compares_the_same(tmp_path):
    # numeric yearly_targets are read as indicators Y1, Y2…: one beside a declared Y1 becomes Y2, so the
    # package's indicator keys hold and its figures are score's
    plan = tmp_path / "published"
    shutil.copytree(FIXTURES / "published", plan)
    action = plan / "actions" / "1.yaml"
    text = action.read_text(encoding="utf-8").replace("  - id: K3\n", "  - id: Y1\n").replace(
        "owners: [総務課]", "owners: [総務課]\nyearly_targets:\n  - {fiscal_year: 令和6年度, text: 10件, spec: {kind: count, value: 10, unit: 件, metric: 申請件数}}")
    action.write_text(text, encoding="utf-8")
    published = run("publish", plan, "-o", tmp_path / "pkg", "-q", "--no-history", lang="en")
    assert published.exit_code == 0, published.output
    con = duckdb.connect()
    ids = con.execute(f"SELECT \"ID\" FROM read_parquet('{tmp_path / 'pkg' / 'data' / 'indicators.parquet'}') "
                      "WHERE action_id = '1' AND series_of IS NULL ORDER BY \"ID\"").fetchall()
    assert [i for (i,) in ids] == ["1:K1", "1:K2", "1:Y1", "1:Y2"]
    assert as_json("compare", tmp_path / "pkg") == as_json("compare", plan)
