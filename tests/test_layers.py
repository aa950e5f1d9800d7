"""The layers: core imports no other layer of chrono, not even for type checking."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.conftest import ROOT

CORE = sorted((ROOT / "src" / "chrono" / "core").glob("*.py"))


@pytest.mark.parametrize("module", CORE, ids=[p.stem for p in CORE])
def test_core_imports_only_core(module: Path) -> None:
    """Every chrono module a core module imports is itself in chrono.core."""
    tree = ast.parse(module.read_text(encoding="utf-8"))
    imported = [
        (node.module or "") if isinstance(node, ast.ImportFrom) else alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    ]
    outside = [n for n in imported if n.startswith("chrono.") and n.split(".")[1] != "core"]
    assert outside == []


SRC = ROOT / "src"
# What each layer may import of chrono (its own modules always): the command line any layer
# below it, the operations what they drive, and storage, output and export only the core.
ALLOWED = {
    "core": {"core"},
    "storage": {"core"},
    "output": {"core"},
    "export": {"core", "output", "formats"},
    "importers": {"core"},
    "operations": {"core", "storage", "output", "export", "formats", "importers"},
    "app": {"core", "storage", "output", "export", "formats", "importers", "operations"},
}


def _module_name(path: Path) -> str:
    parts = path.relative_to(SRC).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _import_graph() -> dict[str, set[str]]:
    """Every chrono module and the chrono modules it imports, at the top, lazily or for types."""
    paths = {_module_name(p): p for p in (SRC / "chrono").rglob("*.py")}

    def known(name: str) -> str:
        while name not in paths and "." in name:
            name = name.rsplit(".", 1)[0]
        return name

    graph: dict[str, set[str]] = {}
    for name, path in paths.items():
        found: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("chrono"):
                base = node.module or ""
                found |= {known(f"{base}.{alias.name}") for alias in node.names}
            elif isinstance(node, ast.Import):
                found |= {known(a.name) for a in node.names if a.name.startswith("chrono")}
        graph[name] = found - {name, "chrono"}
    return graph


def _layer(module: str) -> str:
    return module.split(".")[1] if "." in module else ""


def test_imports_go_one_way_down_the_layers() -> None:
    """Each layer imports only the layers below it: nothing imports the command line."""
    wrong = [
        f"{module} imports {imported}"
        for module, imports in _import_graph().items()
        if _layer(module) in ALLOWED
        for imported in sorted(imports)
        if _layer(imported) != _layer(module) and _layer(imported) not in ALLOWED[_layer(module)]
    ]
    assert wrong == []


def test_no_two_modules_import_each_other_even_through_others() -> None:
    """The import graph has no cycle, counting lazy imports and imports for type checking."""
    graph = _import_graph()
    done: set[str] = set()
    cycles: list[list[str]] = []

    def visit(module: str, path: list[str]) -> None:
        if module in path:
            cycles.append([*path[path.index(module) :], module])
            return
        if module in done:
            return
        for imported in sorted(graph.get(module, ())):
            visit(imported, [*path, module])
        done.add(module)

    for module in sorted(graph):
        visit(module, [])
    assert cycles == []
