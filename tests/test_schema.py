"""dxplan schema: JSON Schemas from the models; check-jsonschema accepts every bundled file and rejects broken ones."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dxplan.cli import app
from dxplan.files.load import read_document, validate
from dxplan.model.schema import Action, Plan

from conftest import PLANS, ROOT

runner = CliRunner()
SCHEMAS = ROOT / "schemas"
CHECK = Path(sys.executable).with_name("check-jsonschema")
BUNDLED = sorted([*PLANS.glob("*/plan.yaml"), *PLANS.glob("*/actions/*.y*ml")])


def check_jsonschema(schema: Path, *files: Path) -> subprocess.CompletedProcess:
    if not CHECK.exists():
        pytest.skip("check-jsonschema is not installed (pip install -e '.[test]')")
    return subprocess.run([str(CHECK), "--schemafile", str(schema), *map(str, files)], capture_output=True, text=True)


def _valid(path: Path) -> bool:
    doc, _ = read_document(path)
    return doc is not None and validate(doc, Plan if path.name == "plan.yaml" else Action)[0] is not None


def test_committed_schemas_are_up_to_date(tmp_path):
    r = runner.invoke(app, ["schema", "--output", str(tmp_path)])
    assert r.exit_code == 0, r.output
    for name in ("plan.schema.json", "action.schema.json"):
        assert (tmp_path / name).read_text(encoding="utf-8") == (SCHEMAS / name).read_text(encoding="utf-8"), (
            f"schemas/{name} is stale: run dxplan schema --output schemas"
        )


def test_schema_without_output_prints_both():
    r = runner.invoke(app, ["schema"])
    assert r.exit_code == 0
    data = json.loads(r.stdout)
    assert set(data) == {"plan.schema.json", "action.schema.json"}
    assert data["action.schema.json"]["additionalProperties"] is False
    assert data["plan.schema.json"]["$schema"].endswith("2020-12/schema")


def test_schemas_are_valid_json_schemas():
    if not CHECK.exists():
        pytest.skip("check-jsonschema is not installed")
    r = subprocess.run([str(CHECK), "--check-metaschema", *map(str, SCHEMAS.glob("*.json"))], capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr


def test_every_bundled_file_the_model_accepts_passes_the_schema():
    plans = [p for p in BUNDLED if p.name == "plan.yaml" and _valid(p)]
    actions = [p for p in BUNDLED if p.name != "plan.yaml" and _valid(p)]
    assert len(plans) >= 2 and len(actions) >= 50
    r = check_jsonschema(SCHEMAS / "plan.schema.json", *plans)
    assert r.returncode == 0, r.stdout + r.stderr
    r = check_jsonschema(SCHEMAS / "action.schema.json", *actions)
    assert r.returncode == 0, r.stdout + r.stderr


GOOD = """\
id: 13
title: 例
category: A-1
tasks:
  - {fiscal_year: 令和6年度, department: 総務課, progress: 80, status: 完了}
  - {fiscal_year: R7, progress: 50.5}
  - {fiscal_year: 2026}
target:
  text: 10回
  spec: {kind: count, value: 10, deadline: 令和8年度}
  history:
    - {date: 2025-06-01, field: target.spec.value, reason: 見直し}
sources: [{file: seed.txt, location: line 1}]
"""

BROKEN = {
    "unknown key": GOOD.replace("title: 例", "title: 例\ntitel: 例"),
    "percent over 100": GOOD.replace("progress: 80", "progress: 120"),
    "missing title": GOOD.replace("title: 例\n", ""),
    "bad fiscal year": GOOD.replace("fiscal_year: R7", "fiscal_year: 来年度"),
    "wrong type": GOOD.replace("category: A-1", "category: [A-1]"),
    "no sources": GOOD.replace("sources: [{file: seed.txt, location: line 1}]", "sources: []"),
    "bad target kind": GOOD.replace("kind: count", "kind: ratio"),
}


def test_schema_accepts_a_good_action_and_rejects_broken_ones(tmp_path):
    good = tmp_path / "good.yaml"
    good.write_text(GOOD, encoding="utf-8")
    r = check_jsonschema(SCHEMAS / "action.schema.json", good)
    assert r.returncode == 0, r.stdout + r.stderr
    for name, text in BROKEN.items():
        path = tmp_path / f"{name.replace(' ', '_')}.yaml"
        path.write_text(text, encoding="utf-8")
        r = check_jsonschema(SCHEMAS / "action.schema.json", path)
        assert r.returncode == 1, f"{name}: accepted\n{r.stdout}"
        # the model agrees
        doc, _ = read_document(path)
        assert validate(doc, Action)[0] is None, name


def test_schema_rejects_a_broken_bundled_copy(tmp_path):
    src = PLANS / "kama" / "actions" / "13.yaml"
    dest = tmp_path / "13.yaml"
    shutil.copy(src, dest)
    dest.write_text(dest.read_text(encoding="utf-8").replace("category: I-2", "categry: I-2"), encoding="utf-8")
    r = check_jsonschema(SCHEMAS / "action.schema.json", dest)
    assert r.returncode == 1 and "categry" in r.stdout
    plan = tmp_path / "plan.yaml"
    plan.write_text((PLANS / "kama" / "plan.yaml").read_text(encoding="utf-8").replace("period_end: 令和8年度", "period_end: 八年度"), encoding="utf-8")
    r = check_jsonschema(SCHEMAS / "plan.schema.json", plan)
    assert r.returncode == 1


MODELINE = re.compile(r"^# yaml-language-server: \$schema=(\S+)$")


def test_schema_lines_in_bundled_files_point_at_the_right_schema():
    for path in BUNDLED:
        first = path.read_text(encoding="utf-8").splitlines()[0]
        m = MODELINE.match(first)
        if not m:
            continue  # dxplan fmt adds the line; fmt --check in CI enforces it
        target = (path.parent / m.group(1)).resolve()
        want = "plan.schema.json" if path.name == "plan.yaml" else "action.schema.json"
        assert target == (SCHEMAS / want).resolve(), f"{path}: {m.group(1)}"
