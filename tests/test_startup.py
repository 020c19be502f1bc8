"""What a start-up imports: each command imports only what it uses.

A behavioural check, not a timing one (speed is measured in ``bench/bench_status.py``):
``python -X importtime`` lists every module a real ``dxplan`` process imports, and the
test names the heavy ones a command must not reach — ``--help`` loads no models, no
YAML reader and no templates (and a kept help page not even typer or rich); a ``status``
answered from the results cache imports neither typer nor pydantic, the models nor a YAML
reader; only a help page or a usage error imports typer's help renderer.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
KAMA = ROOT / "plans" / "kama"

#: Modules no plain start-up needs: templates, spreadsheets, PDF.
NEVER = ("jinja2", "openpyxl", "weasyprint", "babel")


def _imported(args: list[str], env: dict[str, str]) -> tuple[set[str], subprocess.CompletedProcess]:
    """The modules ``python -m dxplan *args`` imports (from ``-X importtime``), and the finished process."""
    proc = subprocess.run([sys.executable, "-X", "importtime", "-m", "dxplan", *args], capture_output=True, text=True, env=env, cwd=ROOT)
    modules = {line.rsplit("|", 1)[1].strip() for line in proc.stderr.splitlines() if line.startswith("import time:") and "|" in line}
    modules.discard("package")  # the header line
    return modules, proc


def _reached(modules: set[str], packages: tuple[str, ...]) -> list[str]:
    return sorted(m for m in modules if m.split(".")[0] in packages or m in packages)


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    e = {**os.environ, "DXPLAN_CACHE_DIR": str(tmp_path / "cache"), "COLUMNS": "100"}
    e.pop("DXPLAN_NO_CACHE", None)
    return e


def test_help_loads_no_models_no_yaml_reader_no_templates(env: dict[str, str]) -> None:
    modules, proc = _imported(["--help"], env)
    assert proc.returncode == 0
    assert "status" in proc.stdout and "lint" in proc.stdout
    assert "typer.rich_utils" in modules  # the help page itself is typer's rich renderer
    assert _reached(modules, ("pydantic", "pydantic_core", "ruamel", *NEVER)) == []
    assert not {"dxplan.model.schema", "dxplan.files.load", "dxplan.lint.engine", "dxplan.rules", "dxplan.status.counts", "dxplan.files.result_cache"} & modules
    # each --format choice comes from its writers' registry, which imports none of them
    assert {"dxplan.output.formats", "dxplan.lint.formatters", "dxplan.diff.formats", "dxplan.report.formats", "dxplan.sheets.formats"} <= modules
    writers = {"dxplan.lint.formatters.text_format", "dxplan.output.terminal", "dxplan.output.jsonout", "dxplan.output.history",
               "dxplan.diff.view", "dxplan.report.views", "dxplan.report.pdf", "dxplan.sheets.xlsx", "dxplan.sheets.flat"}
    assert not writers & modules


def test_a_command_help_page_loads_no_models(env: dict[str, str]) -> None:
    # typer (0.2x) coerces the top-level options (--lang, even when absent) through pydantic
    # TypeAdapters before a command's help: pydantic itself is typer's, the models are not needed
    modules, proc = _imported(["status", "--help"], env)
    assert proc.returncode == 0
    assert "--format" in proc.stdout
    assert _reached(modules, ("ruamel", *NEVER)) == []
    assert not {"dxplan.model.schema", "dxplan.files.load", "dxplan.status.counts"} & modules


def test_version_does_not_import_rich_or_the_core(env: dict[str, str]) -> None:
    modules, proc = _imported(["--version"], env)
    assert proc.returncode == 0
    assert proc.stdout.startswith("dxplan ")
    assert _reached(modules, ("rich", "ruamel", "markdown_it", *NEVER)) == []
    assert not {"typer.rich_utils", "dxplan.model.schema", "dxplan.files.load"} & modules


def test_lint_does_not_import_rich(env: dict[str, str]) -> None:
    modules, proc = _imported(["lint", str(KAMA)], env)  # plain lines, no tables
    assert proc.returncode == 0
    assert _reached(modules, ("rich", "markdown_it", *NEVER)) == []


def test_status_from_the_cache_imports_no_typer_no_pydantic_no_models(env: dict[str, str]) -> None:
    first = subprocess.run([sys.executable, "-m", "dxplan", "status", str(KAMA)], capture_output=True, text=True, env=env, cwd=ROOT)
    assert first.returncode == 0
    modules, proc = _imported(["status", str(KAMA)], env)
    assert proc.returncode == 0
    assert proc.stdout == first.stdout  # the same table, answered from the cache
    assert "dxplan.files.result_cache" in modules and "rich.console" in modules  # the cached tables, on rich's console
    # answered before typer (dxplan.cli.quick): no option parsing, no model classes, no loader, no YAML
    assert _reached(modules, ("typer", "click", "pydantic", "pydantic_core", "ruamel", "_ruamel_yaml", "markdown_it", *NEVER)) == []
    assert not {"dxplan.model", "dxplan.model.schema", "dxplan.files.load", "dxplan.status.counts", "dxplan.cli.common", "rich.table"} & modules


def test_a_kept_help_page_imports_no_typer_no_rich(env: dict[str, str]) -> None:
    first = subprocess.run([sys.executable, "-m", "dxplan", "--help"], capture_output=True, text=True, env=env, cwd=ROOT)
    assert first.returncode == 0 and " status " in first.stdout
    modules, proc = _imported(["--help"], env)
    assert proc.returncode == 0
    assert proc.stdout == first.stdout  # the page typer printed, kept (dxplan.cli.help_cache)
    assert _reached(modules, ("typer", "click", "rich", "pydantic", "ruamel", *NEVER)) == []
    assert not {"dxplan.files.result_cache", "sqlite3", "dxplan.cli.common"} & modules


def test_status_without_the_cache_reads_yaml_and_still_no_templates(env: dict[str, str]) -> None:
    modules, proc = _imported(["status", str(KAMA)], {**env, "DXPLAN_NO_CACHE": "1"})
    assert proc.returncode == 0
    assert "ruamel.yaml.cyaml" in modules  # the safe reader parses every file with libyaml
    assert _reached(modules, ("markdown_it", *NEVER)) == []
    assert "typer.rich_utils" not in modules


def test_a_usage_error_loads_no_models(env: dict[str, str]) -> None:
    modules, proc = _imported(["statsu"], env)  # worded by typer's rich renderer, like a help page
    assert proc.returncode == 2
    assert "statsu" in proc.stderr
    assert _reached(modules, ("ruamel", *NEVER)) == []
    assert not {"dxplan.model.schema", "dxplan.files.load"} & modules


#: Libraries a start-up without a command's work (``--help``, ``--version``) never imports: PDF,
#: spreadsheets, templates, the open-data stack (``NEVER`` and the ``opendata`` extra's libraries).
HEAVY = (*NEVER, "pyarrow", "duckdb", "frictionless", "pydantic", "ruamel")


def _modules_after(code: str, args: list[str], env: dict[str, str]) -> tuple[set[str], subprocess.CompletedProcess]:
    """The modules in ``sys.modules`` after ``code`` ran in a fresh interpreter with ``sys.argv = ['dxplan', *args]``
    (``code`` may end with ``SystemExit``), and the finished process (its stdout is what the code printed first)."""
    script = ("import sys, json\nsys.argv = ['dxplan', *json.loads(sys.argv[1])]\n"
              f"try:\n    {code}\nexcept SystemExit:\n    pass\n"
              "sys.stdout.flush()\nsys.stderr.write('\\n@@' + json.dumps(sorted(sys.modules)))\n")
    import json

    proc = subprocess.run([sys.executable, "-c", script, json.dumps(args)], capture_output=True, text=True, env=env, cwd=ROOT)
    return set(json.loads(proc.stderr.rsplit("@@", 1)[1])), proc


def test_importing_the_cli_and_its_help_import_no_heavy_library(env: dict[str, str]) -> None:
    modules, _ = _modules_after("import dxplan.cli", ["--help"], env)
    assert _reached(modules, ("typer", "rich", *HEAVY)) == []  # the package alone: not even typer
    modules, proc = _modules_after("from dxplan.cli import main; main()", ["--help"], env)
    assert " status " in proc.stdout and " compare " in proc.stdout
    assert _reached(modules, HEAVY) == []
    # the command modules are imported for their docstrings (the list of commands), none is built from its signature
    assert {"dxplan.cli.show", "dxplan.cli.report", "dxplan.cli.office"} <= modules
    assert "typer._adapters" not in modules  # typer's option coercion, imported when a command's options are built
    # typer's renderer, without the two rich modules it imports for what a help page never does
    assert "typer.rich_utils" in modules
    assert _reached(modules, ("markdown_it", "pygments")) == [] and not {"rich.markdown", "rich.traceback"} & modules


def test_version_alone_imports_neither_typer_nor_a_command(env: dict[str, str]) -> None:
    modules, proc = _modules_after("from dxplan.cli import main; main()", ["--version"], env)
    from dxplan import __version__

    assert proc.stdout == f"dxplan {__version__}\n"
    assert _reached(modules, ("typer", "rich", "click", *HEAVY)) == []
    assert not {m for m in modules if m.startswith("dxplan.cli.") and m != "dxplan.cli"}


def test_a_command_imports_its_own_module_only(env: dict[str, str]) -> None:
    from dxplan.cli.registry import COMMANDS

    modules, proc = _modules_after("from dxplan.cli import main; main()", ["rules"], env)
    assert proc.returncode == 0 and "placeholder" in proc.stdout
    others = {m for m in set(COMMANDS.values()) if m != COMMANDS["rules"]}
    assert COMMANDS["rules"] in modules and not others & modules


def test_every_command_is_in_the_registry() -> None:
    import typer.main

    from dxplan.cli import app
    from dxplan.cli.registry import COMMANDS

    registered = {info.name: info.callback.__module__ for info in app.registered_commands}
    assert registered == COMMANDS
    assert list(typer.main.get_command(app).commands) == list(COMMANDS)  # --help lists them in the registry's order


def test_the_deferred_rich_modules_still_serve_a_crash_report(env: dict[str, str]) -> None:
    code = ("from dxplan.cli.help_page import help_renderer\n    rich_utils = help_renderer()\n"
            "    assert 'rich.traceback' not in sys.modules and 'rich.markdown' not in sys.modules\n"
            "    from typer.models import DeveloperExceptionConfig\n"
            "    try:\n        1 / 0\n    except ZeroDivisionError as exc:\n"
            "        tb = rich_utils.get_traceback(exc, DeveloperExceptionConfig(), [])\n"
            "    import rich.traceback, rich.markdown\n"
            "    print(type(tb) is rich.traceback.Traceback, type(rich_utils.Markdown('*x*')) is rich.markdown.Markdown)")
    modules, proc = _modules_after(code, [], env)
    assert proc.stdout.strip() == "True True", proc.stderr
    assert {"rich.traceback", "rich.markdown"} <= modules
