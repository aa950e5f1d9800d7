"""bench/mutate.py, without running a mutant: each mutant is one change, the module's tree
is left as it was, and every mutant listed as equivalent still exists."""

from __future__ import annotations

import ast
import importlib.util
import sys
from types import ModuleType

import pytest

from tests.conftest import ROOT


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("mutate", ROOT / "bench" / "mutate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["mutate"] = module
    spec.loader.exec_module(module)
    return module


mutate = _script()

SNIPPET = '''
"""A docstring is not mutated."""
LIMIT: int = 3


def f(a: int, b: str = "x") -> bool:
    """Nor is this one."""
    for _ in range(2):
        if not a < LIMIT and b:
            break
    return a + 1 == -a
'''


def test_each_mutant_is_one_change_and_the_tree_is_kept() -> None:
    """Every mutant's source differs from the original, each from the others, and the
    parsed tree is unchanged after each one is written."""
    tree = ast.parse(SNIPPET)
    original = ast.unparse(tree)
    found = mutate.mutants(tree)
    keys = [m.key for m in found]
    assert keys == [
        "<module>: 3 -> 4 #1",
        "f: 'x' -> 'XXxXX' #1",
        "f: 2 -> 3 #1",
        "f: and -> or #1",
        "f: not a < LIMIT -> a < LIMIT #1",
        "f: < -> <= #1",
        "f: break -> continue #1",
        "f: + -> - #1",
        "f: 1 -> 2 #1",
        "f: == -> != #1",
        "f: -a -> a #1",
    ]
    sources = [mutate.mutated_source(tree, m) for m in found]
    assert ast.unparse(tree) == original
    assert len(set(sources)) == len(sources)
    assert original not in sources


@pytest.mark.parametrize("module", sorted(mutate.MODULES))
def test_every_equivalent_mutant_still_exists(module: str) -> None:
    """A mutant excluded as equivalent names one the module still has, and the test files
    run for the module exist."""
    source, tests = mutate.MODULES[module]
    keys = {m.key for m in mutate.mutants(ast.parse((ROOT / source).read_text("utf-8")))}
    assert set(mutate.EQUIVALENT[module]) <= keys
    assert all((ROOT / test).is_file() for test in tests)
