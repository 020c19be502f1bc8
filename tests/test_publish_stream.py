"""``dxplan publish`` writes as it reads: one Parquet row group per batch of whole plans, the same rows as all at once.

The package of five plans (the four bundled ones and tests/fixtures/published) is written three ways — every
plan its own row group (``group_bytes=1``), a few plans per row group, and all in one — and its files read back:
the CSV files are the same bytes each way, the Parquet files (read by pyarrow) the same rows — those
``plan_tables`` gives, plan after plan — and only their row groups differ, each ending at a plan's last row;
Frictionless validates the package of a row group per plan. A key found broken after earlier plans were
written leaves no output and the previous package as it was.
"""

from __future__ import annotations

import shutil
from itertools import accumulate
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import FIXTURES, PLANS
from dxplan.cli import app
from dxplan.files.load import load_plan
from dxplan.opendata.schema import RESOURCES
from dxplan.opendata.tables import as_tuples, national_item_rows, plan_tables
from dxplan.opendata.write import GROUP_BYTES, publish_to

pq = pytest.importorskip("pyarrow.parquet")
frictionless = pytest.importorskip("frictionless")

PLAN_IDS = ("iizuka", "kama", "kashima", "kurate", "published")


@pytest.fixture(scope="module")
def plans(tmp_path_factory) -> list[Path]:
    """Five plan folders outside git, in the order they are published."""
    base = tmp_path_factory.mktemp("plans")
    for name in PLAN_IDS[:4]:
        shutil.copytree(PLANS / name, base / name, ignore=shutil.ignore_patterns("*.xlsx"))
    shutil.copytree(FIXTURES / "published", base / "published")
    return [base / name for name in PLAN_IDS]


@pytest.fixture(scope="module")
def tables(plans) -> list[dict]:
    """Each plan's tables as ``plan_tables`` builds them (rows as dicts), then the national items."""
    return [plan_tables(load_plan(root, positions=False)) for root in plans] + [{"national_items": national_item_rows()}]


def written(tmp_path: Path, tables: list[dict], group_bytes: int) -> Path:
    out = tmp_path / f"out-{group_bytes}"
    publish_to(out, (as_tuples(t) for t in tables), group_bytes=group_bytes)
    return out


def expected_rows(tables: list[dict], name: str) -> list[dict]:
    """The rows of resource ``name`` as Parquet holds them: every plan's, in order; numbers as floats."""
    resource = next(r for r in RESOURCES if r.name == name)
    out = []
    for t in tables:
        for row in t.get(name, []):
            out.append({c.name: (float(row[c.name]) if c.type == "number" and row.get(c.name) is not None else row.get(c.name))
                        for c in resource.columns})
    return out


def test_row_groups_follow_the_batches_of_plans_and_the_rows_are_those_of_all_at_once(tmp_path, tables):
    per_plan = written(tmp_path, tables, 1)  # each plan's rows close their batch: a row group per plan
    few = written(tmp_path, tables, 80_000)  # about two bundled plans' actions per row group
    whole = written(tmp_path, tables, GROUP_BYTES)  # below GROUP_BYTES: one row group, as before streaming
    for r in RESOURCES:
        csv_bytes = (whole / "data" / f"{r.name}.csv").read_bytes()
        assert (per_plan / "data" / f"{r.name}.csv").read_bytes() == csv_bytes == (few / "data" / f"{r.name}.csv").read_bytes()
        want = expected_rows(tables, r.name)
        plan_counts = [len(t.get(r.name, [])) for t in tables]
        ends = set(accumulate(plan_counts))
        files = {k: pq.ParquetFile(folder / "data" / f"{r.name}.parquet") for k, folder in (("one", per_plan), ("few", few), ("whole", whole))}
        for f in files.values():
            assert f.read().to_pylist() == want, r.name
            assert f.schema_arrow.metadata[b"dxplan:resource"] == r.name.encode()
        groups = {k: [f.metadata.row_group(i).num_rows for i in range(f.metadata.num_row_groups)] for k, f in files.items()}
        assert groups["whole"] == [len(want)]  # an empty table too: one empty row group, as pyarrow's write_table
        if want:
            assert groups["one"] == [n for n in plan_counts if n], r.name
            assert set(accumulate(groups["few"])) <= ends, r.name  # every row group ends where a plan ends
    actions = [pq.ParquetFile(folder / "data" / "actions.parquet").metadata.num_row_groups for folder in (per_plan, few, whole)]
    assert actions[0] == len(PLAN_IDS) and 1 < actions[1] < len(PLAN_IDS) and actions[2] == 1
    report = frictionless.validate(str(per_plan / "datapackage.json"))
    assert report.valid, [e.message for t in report.tasks for e in t.errors][:5]
    assert {t.name: t.stats.get("rows", 0) for t in report.tasks} == {r.name: len(expected_rows(tables, r.name)) for r in RESOURCES}


def test_a_key_broken_in_a_later_plan_leaves_the_previous_package(tmp_path, plans):
    out = tmp_path / "out"
    r = CliRunner().invoke(app, ["--lang", "en", "publish", *map(str, plans[:2]), "-o", str(out), "-q", "--no-history"], env={"DXPLAN_NO_CACHE": "1"})
    assert r.exit_code == 0, r.stderr
    before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    again = tmp_path / "again" / "kama"  # a second plan with the ID kama, published after the others
    shutil.copytree(plans[1], again)
    r = CliRunner().invoke(app, ["--lang", "en", "publish", *map(str, plans), str(again), "-o", str(out), "-q", "--no-history"],
                           env={"DXPLAN_NO_CACHE": "1"})
    assert r.exit_code == 1 and r.stdout == ""
    assert "plans: primary-key (kama) does not hold" in r.stderr and "nothing was published: 1 key(s) of the package do not hold" in r.stderr
    assert {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["again", "out"]  # no staging folder left beside it
