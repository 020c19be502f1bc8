"""dxplan as a municipality gets it: a built wheel in a fresh virtualenv outside this checkout.

One sdist and wheel are built per session (``python -m build``: the wheel is built from the
sdist, so both must carry templates, schemas and catalogues) and installed once into a new
virtualenv in a temporary folder; its dependencies come from the package index. Without
access to the index the tests are skipped, saying so. The pre-commit hooks are then run with
``pre-commit try-repo`` from a plans repository made by the installed ``dxplan init``.
"""

from __future__ import annotations

import email.message
import email.parser
import hashlib
import os
import shutil
import subprocess
import sys
import tarfile
import venv
import zipfile
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name
from packaging.version import Version

import dxplan
from dxplan.report.pdf import PDF_REQUIREMENT
from dxplan.compare.package import DUCKDB_REQUIREMENT
from dxplan.opendata.write import PYARROW_REQUIREMENT
from conftest import GIT_ENV, ROOT, git

OFFLINE_SIGNS = ("No matching distribution", "Could not find a version", "Failed to establish a new connection", "Temporary failure in name resolution", "Network is unreachable", "ProxyError")


@pytest.fixture(scope="session")
def dist(tmp_path_factory) -> Path:
    """dist/ with the sdist and the wheel built from it."""
    out = tmp_path_factory.mktemp("dist")
    proc = subprocess.run([sys.executable, "-m", "build", "--outdir", str(out), str(ROOT)], capture_output=True, text=True, timeout=600)
    if proc.returncode != 0:
        if "No module named build" in proc.stderr:
            pytest.skip("the build package is not installed (pip install -e '.[test]')")
        if any(s in proc.stdout + proc.stderr for s in OFFLINE_SIGNS):
            pytest.skip(f"cannot build without the package index: {proc.stderr[-300:]}")
        pytest.fail(proc.stdout[-2000:] + proc.stderr[-2000:])
    (out / "build.log").write_text(proc.stdout + proc.stderr, encoding="utf-8")
    return out


@pytest.fixture(scope="session")
def installed(dist, tmp_path_factory) -> Path:
    """The bin/ folder of a fresh virtualenv (outside the checkout) with the wheel installed."""
    env_dir = tmp_path_factory.mktemp("venv") / "env"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    wheel = next(dist.glob("dxplan-*.whl"))
    proc = subprocess.run([str(env_dir / "bin" / "python"), "-m", "pip", "install", "--quiet", str(wheel)], capture_output=True, text=True, timeout=600)
    if proc.returncode != 0:
        if any(s in proc.stdout + proc.stderr for s in OFFLINE_SIGNS):
            pytest.skip(f"cannot install dependencies without the package index: {proc.stderr[-300:]}")
        pytest.fail(proc.stderr[-2000:])
    return env_dir / "bin"


def dx(bin_dir: Path, *args, cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "DXPLAN_LANG": "en", "GITHUB_ACTIONS": "", "DXPLAN_NO_CACHE": "1", "COLUMNS": "120"}
    env.pop("VIRTUAL_ENV", None)
    env.pop("PYTHONPATH", None)
    return subprocess.run([str(bin_dir / "dxplan"), *map(str, args)], cwd=cwd, capture_output=True, text=True, env=env, timeout=120)


def test_wheel_and_sdist_carry_templates_schemas_and_catalogues(dist):
    names = zipfile.ZipFile(next(dist.glob("dxplan-*.whl"))).namelist()
    for name in ("dxplan/templates/report.html.j2", "dxplan/templates/diff.md.j2", "dxplan/schemas/plan.schema.json", "dxplan/schemas/action.schema.json",
                 "dxplan/locale/ja/LC_MESSAGES/dxplan.mo", "dxplan/locale/ja/LC_MESSAGES/dxplan.po", "dxplan/scaffold/starter/workflow.yml.j2", "dxplan/scaffold/starter/README.md.j2",
                 "dxplan/scaffold/starter/pages.yml.j2", "dxplan/templates/site/base.html.j2", "dxplan/templates/site/site.css",
                 "dxplan/site/static/minisearch.js", "dxplan/site/static/minisearch.LICENSE.txt", "dxplan/site/static/site.js", "dxplan/site/static/README.md"):
        assert name in names
    assert next(dist.glob("dxplan-*.whl")).name == f"dxplan-{dxplan.__version__}-py3-none-any.whl"
    assert next(dist.glob("dxplan-*.tar.gz")).name == f"dxplan-{dxplan.__version__}.tar.gz"


def wheel_metadata(dist: Path) -> email.message.Message:
    """The METADATA of the built wheel, parsed (core metadata is an email-style header block)."""
    wheel = zipfile.ZipFile(next(dist.glob("dxplan-*.whl")))
    return email.parser.Parser().parsestr(wheel.read(f"dxplan-{dxplan.__version__}.dist-info/METADATA").decode("utf-8"), headersonly=True)


def test_build_prints_no_warning(dist):
    log = (dist / "build.log").read_text(encoding="utf-8")
    assert "Successfully built" in log
    assert [ln for ln in log.splitlines() if "warn" in ln.lower() or "deprecat" in ln.lower()] == []


def test_license_ships_and_is_declared_as_an_spdx_expression(dist):
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert text.startswith("MIT License\n")
    wheel = zipfile.ZipFile(next(dist.glob("dxplan-*.whl")))
    assert wheel.read(f"dxplan-{dxplan.__version__}.dist-info/licenses/LICENSE").decode("utf-8") == text
    with tarfile.open(next(dist.glob("dxplan-*.tar.gz"))) as sdist:
        member = sdist.extractfile(f"dxplan-{dxplan.__version__}/LICENSE")
        assert member is not None and member.read().decode("utf-8") == text
    meta = wheel_metadata(dist)
    assert Version(meta["Metadata-Version"]) >= Version("2.4")  # PEP 639
    assert meta["License-Expression"] == "MIT"
    assert meta.get_all("License-File") == ["LICENSE"]
    assert meta["License"] is None  # the old free-text field is gone


def test_pdf_stack_is_the_pdf_extra_and_every_dependency_is_bounded(dist):
    meta = wheel_metadata(dist)
    requires = [Requirement(r) for r in meta.get_all("Requires-Dist")]
    assert "pdf" in meta.get_all("Provides-Extra")
    base = {canonicalize_name(r.name) for r in requires if r.marker is None or "extra" not in str(r.marker)}
    pdf = {canonicalize_name(r.name): r for r in requires if r.marker is not None and "extra" in str(r.marker) and r.marker.evaluate({"extra": "pdf"})}
    assert base == {"typer", "pydantic", "ruamel-yaml", "ruamel-yaml-clib", "rich", "jinja2", "openpyxl"}
    assert set(pdf) == {"weasyprint", "cffi"}
    # report.pdf tells a user without the extra the same requirement the extra declares
    assert SpecifierSet(PDF_REQUIREMENT.removeprefix("weasyprint")) == pdf["weasyprint"].specifier
    for r in requires:
        assert any(spec.operator == "<" for spec in r.specifier), f"{r} has no upper bound"
    # the test extra brings the pdf one: make test renders PDFs
    assert "weasyprint" in {r.name.lower() for r in requires if r.marker is not None and r.marker.evaluate({"extra": "test"})}
    # dxplan publish: the opendata extra, which the test extra brings too (tests/test_publish.py)
    opendata = {canonicalize_name(r.name): r for r in requires if r.marker is not None and "extra" in str(r.marker) and r.marker.evaluate({"extra": "opendata"})}
    assert set(opendata) == {"frictionless", "pyarrow", "duckdb"}
    assert SpecifierSet(PYARROW_REQUIREMENT.removeprefix("pyarrow")) == opendata["pyarrow"].specifier
    assert SpecifierSet(DUCKDB_REQUIREMENT.removeprefix("duckdb")) == opendata["duckdb"].specifier  # dxplan compare PACKAGE
    assert "pyarrow" in {r.name.lower() for r in requires if r.marker is not None and r.marker.evaluate({"extra": "test"})}


def test_installed_version(installed, tmp_path):
    r = dx(installed, "--version", cwd=tmp_path)
    assert (r.returncode, r.stdout) == (0, f"dxplan {dxplan.__version__}\n")
    # the installed package is used, not this checkout
    proc = subprocess.run([str(installed / "python"), "-c", "import dxplan; print(dxplan.__file__)"], capture_output=True, text=True, cwd=tmp_path)
    assert str(ROOT) not in proc.stdout and "site-packages" in proc.stdout


def test_a_plain_install_has_no_pdf_stack_and_says_how_to_add_it(installed, tmp_path):
    """The wheel without extras (what CI's lint job and the pre-commit hook install): no WeasyPrint, and
    ``report --format pdf`` exits 1 naming the extra, while the HTML report works."""
    proc = subprocess.run([str(installed / "python"), "-c", "import importlib.util as u; print(u.find_spec('weasyprint'), u.find_spec('PIL'))"],
                          capture_output=True, text=True, cwd=tmp_path)
    assert proc.stdout == "None None\n", proc.stderr
    r = dx(installed, "report", ROOT / "plans" / "kama", "--format", "pdf", "-o", tmp_path / "r.pdf", cwd=tmp_path)
    assert r.returncode == 1
    assert "install dxplan as dxplan[pdf]" in r.stderr and "pip install 'weasyprint>=61,<71'" in r.stderr
    assert not (tmp_path / "r.pdf").exists()
    assert dx(installed, "report", ROOT / "plans" / "kama", "--format", "html", "-o", tmp_path / "r.html", cwd=tmp_path).returncode == 0


@pytest.mark.parametrize("preset", ["kama", "grades"])
def test_start_a_plan_from_the_installed_package(installed, tmp_path, preset):
    work = tmp_path / "office"
    work.mkdir()
    r = dx(installed, "init", "plan", "--municipality", "例市", "--period-start", "R7", "--period-end", "R9",
           "--category", "I=くらし", "--category", "I-1=窓口", "--department", "企画課", "--preset", preset, "--no-ask", cwd=work)
    assert r.returncode == 0, r.stderr
    for i in (1, 2, 3):
        r = dx(installed, "new", "plan", "--title", f"取組{i}", cwd=work)
        assert r.returncode == 0, r.stderr
        assert f"created {Path('plan/actions') / f'0{i}.yaml'} (action {i})" in r.stdout
    r = dx(installed, "lint", "plan", cwd=work)
    # each new action: the target the plan requires, and the source file and location still （要記入）
    assert (r.returncode, r.stdout.strip().splitlines()[-1]) == (0, "4 files checked: 0 errors, 9 warnings")
    assert sorted({ln.split(" ")[2] for ln in r.stdout.splitlines()[:-1]}) == ["placeholder", "required-by-plan"]
    r = dx(installed, "status", "plan", cwd=work)
    assert r.returncode == 0, r.stderr
    assert "R7" in r.stdout or "令和7年度" in r.stdout
    r = dx(installed, "report", "plan", "--format", "md", cwd=work)
    assert r.returncode == 0, r.stderr
    assert "取組1" in r.stdout and "取組3" in r.stdout
    r = dx(installed, "score", "plan", cwd=work)
    assert r.returncode == 0, r.stderr
    # a second init into the same folder refuses and changes no byte
    before = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in (work / "plan").rglob("*") if p.is_file()}
    r = dx(installed, "init", "plan", "--municipality", "別市", "--no-ask", cwd=work)
    assert r.returncode == 2
    assert "nothing was written" in r.stderr
    assert {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in (work / "plan").rglob("*") if p.is_file()} == before


# --------------------------------------------------------------------------- pre-commit


PRE_COMMIT = Path(sys.executable).with_name("pre-commit")


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory) -> Path:
    """A git repository with this project's hooks file, packaging and sources, committed."""
    if not PRE_COMMIT.exists():
        pytest.skip("pre-commit is not installed (pip install -e '.[test]')")
    repo = tmp_path_factory.mktemp("hooks") / "dxplan"
    repo.mkdir()
    for name in (".pre-commit-hooks.yaml", "pyproject.toml", "README.md", "LICENSE"):
        shutil.copy(ROOT / name, repo / name)
    for folder in ("src", "templates", "schemas"):
        shutil.copytree(ROOT / folder, repo / folder, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "hooks")
    return repo


def test_hooks_from_a_repository_made_by_init(installed, hook_repo, tmp_path):
    plans = tmp_path / "plans-repo"
    commit = git(hook_repo, "rev-parse", "HEAD").strip()
    r = dx(installed, "init", plans, "--municipality", "例市", "--period-start", "R6", "--period-end", "R8", "--category", "A=くらし", "--department", "総務課",
           "--dxplan-repo", hook_repo.as_uri(), "--dxplan-rev", commit, "--no-ask", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert dx(installed, "new", plans, "--title", "窓口", cwd=tmp_path).returncode == 0
    bad = plans / "actions/02.yaml"
    bad.write_text("id: '2'\ntitle: 例\ncategory: A\nowners: [総務課]\ntasks:\n  - {fiscal_year: R7, department: 総務課, status: 進行中}\nsources: [{file: s, location: l}]\n", encoding="utf-8")
    git(plans, "init", "-q")
    git(plans, "add", "-A")
    env = {**os.environ, **GIT_ENV, "PRE_COMMIT_HOME": str(tmp_path / "pc-home"), "DXPLAN_LANG": "en", "GITHUB_ACTIONS": ""}
    env.pop("VIRTUAL_ENV", None)
    proc = subprocess.run([str(PRE_COMMIT), "try-repo", str(hook_repo), "dxplan-lint", "--color", "never"], cwd=plans, capture_output=True, text=True, env=env, timeout=900)
    out = proc.stdout + proc.stderr
    if proc.returncode == 3 or ("An unexpected error has occurred" in out and any(s in out for s in OFFLINE_SIGNS)):
        pytest.skip(f"pre-commit could not install the hook environment (no access to the package index?): {out[-500:]}")
    assert proc.returncode == 1, out
    assert "Failed" in proc.stdout
    assert "actions/02.yaml:6:" in proc.stdout and "unknown-status" in proc.stdout
    assert not [ln for ln in proc.stdout.splitlines() if "actions/01.yaml" in ln and " error " in ln]  # warnings only (what new left to write)
    # the config init wrote names the same hooks at the pinned revision
    proc = subprocess.run([str(PRE_COMMIT), "validate-config", ".pre-commit-config.yaml"], cwd=plans, capture_output=True, text=True, env=env)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert f"rev: {commit}" in (plans / ".pre-commit-config.yaml").read_text(encoding="utf-8")
