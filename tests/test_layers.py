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
