"""The package tree keeps its layers: no module imports a layer above its own, and nothing imports ``cli``.

The layers are declared once, in :data:`dxplan.LAYERS`; the README's layout section lists the same
packages in the same order. Every import counts: at the top of a module, inside a function, and under
``if TYPE_CHECKING``.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

import dxplan
from conftest import ROOT

PACKAGE = Path(dxplan.__file__).resolve().parent


def module_names(package_dir: Path) -> dict[str, Path]:
    """``{"dxplan.files.load": path, "dxplan.files": path/__init__.py, …}`` for every module under ``package_dir``."""
    out = {}
    for path in package_dir.rglob("*.py"):
        parts = path.relative_to(package_dir.parent).with_suffix("").parts
        out[".".join(parts).removesuffix(".__init__")] = path
    return out


def imports_of(name: str, path: Path) -> list[tuple[int, str]]:
    """(line, absolute module) for every import statement of the module ``name``, wherever it stands."""
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out += [(node.lineno, a.name) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
                base = base[: len(base) - (node.level - 1)]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            # ``from dxplan import files`` imports the package ``dxplan.files``
            out += [(node.lineno, f"{module}.{a.name}" if module.count(".") == 0 else module) for a in node.names]
    return out


def unit(module: str, root: str) -> str | None:
    """The top-level part of ``root`` that ``module`` belongs to (``files`` for ``dxplan.files.load``); None outside."""
    parts = module.split(".")
    if parts[0] != root:
        return None
    return parts[1] if len(parts) > 1 else ""


def violations(package_dir: Path, layers: tuple[tuple[str, ...], ...]) -> list[str]:
    """Every import that breaks the layering, as ``path:line: what``; empty when the tree keeps it.

    A module may import its own layer and the layers before it. Only ``cli`` itself and the package's
    ``__main__`` may import ``cli``. A top-level module or package missing from ``layers`` is reported.
    """
    root = package_dir.name
    level = {name: i for i, layer in enumerate(layers) for name in layer}
    level[""] = 0  # the package's own __init__ is ground
    level["__main__"] = len(layers)
    out = []
    known = module_names(package_dir)
    for name, path in sorted(known.items()):
        own = unit(name, root)
        if own not in level:
            out.append(f"{path}:1: {own} is in no layer of dxplan.LAYERS")
            continue
        for line, shown in imports_of(name, path):
            target = shown
            while target not in known and "." in target:  # a name defined in a module, not a module
                target = target.rsplit(".", 1)[0]
            other = unit(target, root)
            if other is None or other == own:
                continue
            if other not in level:
                out.append(f"{path}:{line}: imports {shown}, which is in no layer")
            elif other == "cli" and own != "__main__":
                out.append(f"{path}:{line}: imports {shown}: nothing but the entry point imports cli")
            elif level[other] > level[own]:
                out.append(f"{path}:{line}: {own} (layer {level[own]}) imports {shown} (layer {level[other]}, above it)")
    return out


def test_the_package_keeps_its_layers():
    assert violations(PACKAGE, dxplan.LAYERS) == []


def import_cycles(package_dir: Path) -> list[list[str]]:
    """The import cycles among the modules under ``package_dir`` (each a sorted list of module names),
    counting every import, also those under ``if TYPE_CHECKING`` and inside functions."""
    known = module_names(package_dir)
    graph: dict[str, set[str]] = {}
    for name, path in known.items():
        graph[name] = set()
        for _, target in imports_of(name, path):
            while target not in known and "." in target:
                target = target.rsplit(".", 1)[0]
            if target in known and target != name:
                graph[name].add(target)
    # Tarjan's strongly connected components, iteratively
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles = []
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    cycles.append(sorted(component))
    return cycles


def test_no_import_cycle():
    assert import_cycles(PACKAGE) == []


def test_a_cycle_through_a_type_checking_import_is_found(tmp_path):
    pkg = _tree(tmp_path, {
        "__init__.py": "", "score/__init__.py": "",
        "score/rates.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from .methods import Method\n",
        "score/methods.py": "from .rates import Rate\n",
        "score/actions.py": "from .methods import Method\n",
    })
    assert import_cycles(pkg) == [["dxplan.score.methods", "dxplan.score.rates"]]


def test_every_top_level_module_and_package_has_a_layer():
    top = {p.stem for p in PACKAGE.glob("*.py")} | {p.parent.name for p in PACKAGE.glob("*/__init__.py")}
    declared = {name for layer in dxplan.LAYERS for name in layer}
    assert top - {"__init__", "__main__"} == declared


def _tree(tmp_path: Path, files: dict[str, str]) -> Path:
    pkg = tmp_path / "dxplan"
    for rel, text in files.items():
        path = pkg / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return pkg


LAYERS = (("i18n",), ("model",), ("files",), ("report",), ("cli",))


def test_a_wrong_import_inside_a_function_is_found(tmp_path):
    pkg = _tree(tmp_path, {
        "__init__.py": "", "i18n.py": "", "model/__init__.py": "", "files/__init__.py": "", "report/__init__.py": "",
        "cli/__init__.py": "from dxplan.report import x\n",
        "model/schema.py": "from dxplan.i18n import t\n\n\ndef f():\n    from ..report.pages import page\n    return page\n",
        "files/load.py": "from . import atomic\nfrom dxplan.model import schema\n",
    })
    assert violations(pkg, LAYERS) == [f"{pkg / 'model/schema.py'}:5: model (layer 1) imports dxplan.report.pages (layer 3, above it)"]


def test_importing_cli_and_undeclared_packages_are_found(tmp_path):
    pkg = _tree(tmp_path, {
        "__init__.py": "", "__main__.py": "from dxplan.cli import main\n", "i18n.py": "", "cli/__init__.py": "",
        "report/__init__.py": "from dxplan import cli\n",
        "extra/__init__.py": "",
        "model/__init__.py": "if TYPE_CHECKING:\n    from dxplan.extra import thing\n",
    })
    assert violations(pkg, LAYERS) == [
        f"{pkg / 'extra/__init__.py'}:1: extra is in no layer of dxplan.LAYERS",
        f"{pkg / 'model/__init__.py'}:2: imports dxplan.extra, which is in no layer",
        f"{pkg / 'report/__init__.py'}:1: imports dxplan.cli: nothing but the entry point imports cli",
    ]


def test_the_readme_lists_the_layers_in_order():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = text.split("## Layout", 1)[1].split("```", 2)[1]
    listed = re.findall(r"^  (\w+)(?:/|\.py)\s", block, re.M)
    assert listed == [name for layer in dxplan.LAYERS for name in layer]


@pytest.mark.parametrize("package", [p.parent for p in PACKAGE.glob("*/__init__.py")], ids=lambda p: p.name)
def test_each_package_says_what_it_owns_and_may_import(package):
    doc = ast.get_docstring(ast.parse((package / "__init__.py").read_text(encoding="utf-8"))) or ""
    assert "May import" in doc, f"{package.name}/__init__.py says nothing of what it may import"


def registries() -> list[tuple[str, str, object]]:
    """(registry module, name, :class:`dxplan.output.formats.Formats`) for every ``--format`` registry in the package."""
    import importlib

    from dxplan.output.formats import Formats

    out = []
    for name, path in sorted(module_names(PACKAGE).items()):
        if "Formats(" in path.read_text(encoding="utf-8") and not name.startswith("dxplan.cli"):
            module = importlib.import_module(name)
            out += [(name, attr, value) for attr, value in vars(module).items() if isinstance(value, Formats)]
    return out


def test_every_registered_writer_exists_below_its_registry():
    """A registry names its writers as strings; they must exist, and (as an import would) keep the layers."""
    import importlib

    level = {name: i for i, layer in enumerate(dxplan.LAYERS) for name in layer}
    found = registries()
    assert {f"{m}.{a}" for m, a, _ in found} >= {
        "dxplan.lint.formatters.FORMATS", "dxplan.diff.formats.FORMATS", "dxplan.report.formats.STATUS",
        "dxplan.report.formats.STATUS_BY_INDICATOR", "dxplan.report.formats.REPORT", "dxplan.output.formats.SCORE",
        "dxplan.output.formats.HISTORY", "dxplan.sheets.formats.FORMATS",
    }
    for registry, attr, formats in found:
        for f in formats:
            module, _, function = f.writer.partition(":")
            assert callable(getattr(importlib.import_module(module), function, None)), f"{registry}.{attr}: {f.writer}"
            assert level[unit(module, "dxplan")] <= level[unit(registry, "dxplan")], f"{registry}.{attr}: {f.writer} is above it"
