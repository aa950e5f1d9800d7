"""Mutation testing of a core module: does every one-token change of its code fail a test?

    python bench/mutate.py dates [--jobs 1] [--timeout SECONDS] [--only KEY] [--list]

Each mutant changes one thing in the module (an operator, a comparison, ``and``/``or``,
a ``not`` or a minus sign dropped, a number, a string, a boolean, ``break``/``continue``),
in functions and module-level constants alike; docstrings, annotations, f-string text
and ``__all__`` are left alone. The mutated module is written into a private copy of
``src/``, first on ``sys.path`` and ``PYTHONPATH`` (so ``python -m chrono`` subprocesses
run the mutant too). Only the test files that exercise the module run (``MODULES``),
with ``pytest -x -q --assert=plain``, a fixed hypothesis seed, no hypothesis database
and no shrinking, in a fork of a process that has imported pytest and chrono's
dependencies once, under a timeout per mutant. A mutant is *killed* when the tests fail
or time out, and *survives* when they pass. The score is killed / (mutants - equivalent);
the survivors are printed with their line. See docs/testing.md.
"""

from __future__ import annotations

import argparse
import ast
import compileall
import contextlib
import copy
import importlib
import multiprocessing
import multiprocessing.queues
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

ROOT = Path(__file__).resolve().parent.parent

# module -> (its source, the test files that exercise it)
MODULES: dict[str, tuple[str, list[str]]] = {
    "dates": (
        "src/chrono/core/dates.py",
        ["tests/test_dates.py", "tests/test_date_edges.py", "tests/test_date_input.py",
         "tests/test_shared_rules.py"],
    ),
    "datetext": (
        "src/chrono/core/datetext.py",
        ["tests/test_date_input.py", "tests/test_date_edges.py", "tests/test_date_words.py",
         "tests/test_dates.py", "tests/test_first_hour_dates.py"],
    ),
    "datewords": (
        "src/chrono/core/datewords.py",
        ["tests/test_first_hour_dates.py", "tests/test_date_input.py",
         "tests/test_date_edges.py"],
    ),
    "query": (
        "src/chrono/core/query.py",
        ["tests/test_actors.py", "tests/test_query_rules.py", "tests/test_query_parity.py",
         "tests/test_list.py"],
    ),
    "actors": (
        "src/chrono/core/actors.py",
        ["tests/test_actors.py", "tests/test_actor_stages.py"],
    ),
    "journal": (
        "src/chrono/storage/journal.py",
        ["tests/test_recovery.py", "tests/test_transaction.py", "tests/test_concurrency.py"],
    ),
}  # fmt: skip

# Mutants that cannot change behaviour, by key (as printed), each with its reason.
# docs/testing.md lists them too.
_SLOTS = "slots=True only saves memory: no behaviour reads an instance's __dict__"
EQUIVALENT: dict[str, dict[str, str]] = {
    "journal": {
        "_finish: - -> + #1": "pread past the end of the file returns the same bytes",
        "_set_aside: 10000 -> 10001 #1": "how many numbered copies may be kept beside the log",
        "_prefix_sha1.chunks: < -> <= #1": "a read of no bytes at the end ends the loop anyway",
        "write_at: 'pwrite' -> 'XXpwriteXX' #1": "the fallback writes the same bytes on POSIX",
        "read_at: 'pread' -> 'XXpreadXX' #1": "the fallback reads the same bytes on POSIX",
        "<module>: 1 -> 2 #1": "the chunk size: every result is the same with any size",
        "<module>: 16 -> 17 #1": "the chunk size: every result is the same with any size",
        "_common_prefix: < -> <= #1": "at the end both slices are empty and equal: same result",
        "_common_prefix: + -> - #1": "an empty slice never equals a chunk: the byte loop counts",
        "_common_prefix: + -> - #2": "an empty slice never equals a chunk: the byte loop counts",
    },
    "dates": {
        "PartialDate: True -> False #2": _SLOTS,
        "PartialDate.isoformat: '0' -> 'XX0XX' #1": (
            "rstrip() takes a set of characters: {'X', '0'} strips the same digits as '0'"
        ),
        "PartialDate._offset_us: > -> >= #1": "the size at which a memo of offsets is emptied",
        "PartialDate._offset_us: 200000 -> 200001 #1": "the size of the same memo",
        "_format_offset: > -> >= #1": "an offset of 0 has returned 'Z' just before",
    },
    "datetext": {},
    "datewords": {},
    "query": {
        "<module>: 'Item' -> 'XXItemXX' #1": "a TypeVar's name is for its repr only",
        "actor_summaries: 'events' -> 'XXeventsXX' #1": (
            "the default is only compared with 'name' and 'first': any other sorts by events"
        ),
        **{
            f"actor_summaries.by_first: {change}": (
                "every actor without events has this same placeholder, and they are sorted "
                "after all others by `not s.events` first"
            )
            for change in ("0 -> 1 #2", "0 -> 1 #3", "0 -> 1 #4", "'' -> 'XXXX' #1")
        },
    },
    "actors": {
        "Actor: True -> False #2": _SLOTS,
        "fold: 'ß' -> 'XXßXX' #1": "casefold() has already spelt ß as ss",
        "fold: 'ss' -> 'XXssXX' #1": "casefold() has already spelt ß as ss",
        "<module>: True -> False #1": "zip(strict=True) over two strings of one length",
        "_Index.by_words: continue -> break #1": (
            "the words table lists each actor once per word: no one is met twice"
        ),
        "_has_run: - -> + #1": "windows past the end are shorter than the words: never equal",
        "_has_run: 1 -> 2 #1": "the one more window is shorter than the words: never equal",
        "Registry._longest: 0 -> 1 #1": "a registry without spellings finds no one either way",
    },
}

_BINARY = {
    ast.Add: ast.Sub, ast.Sub: ast.Add, ast.Mult: ast.FloorDiv, ast.Div: ast.Mult,
    ast.FloorDiv: ast.Mult, ast.Mod: ast.FloorDiv, ast.Pow: ast.Mult, ast.BitOr: ast.BitAnd,
    ast.BitAnd: ast.BitOr, ast.LShift: ast.RShift, ast.RShift: ast.LShift,
}  # fmt: skip
_COMPARE = {
    ast.Lt: ast.LtE, ast.LtE: ast.Lt, ast.Gt: ast.GtE, ast.GtE: ast.Gt, ast.Eq: ast.NotEq,
    ast.NotEq: ast.Eq, ast.In: ast.NotIn, ast.NotIn: ast.In, ast.Is: ast.IsNot,
    ast.IsNot: ast.Is,
}  # fmt: skip
_BOOL = {ast.And: ast.Or, ast.Or: ast.And}


class Mutant(NamedTuple):
    """One change: the child ``field[index]`` of ``parent`` replaced by ``new``."""

    key: str  # scope, occurrence and change: stable while the scope's code is unchanged
    line: int
    parent: ast.AST
    field: str
    index: int | None
    new: ast.AST


_SYMBOLS = {
    ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.FloorDiv: "//", ast.Mod: "%",
    ast.Pow: "**", ast.BitOr: "|", ast.BitAnd: "&", ast.LShift: "<<", ast.RShift: ">>",
    ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">=", ast.Eq: "==", ast.NotEq: "!=",
    ast.In: "in", ast.NotIn: "not in", ast.Is: "is", ast.IsNot: "is not", ast.And: "and",
    ast.Or: "or",
}  # fmt: skip


def _show(node: ast.AST) -> str:
    if type(node) in _SYMBOLS:
        return _SYMBOLS[type(node)]
    text = repr(node.value) if isinstance(node, ast.Constant) else ast.unparse(node)
    text = text.split("\n")[0]
    return text if len(text) <= 40 else text[:37] + "..."


def _replacements(child: ast.AST, parent: ast.AST, field: str) -> Iterator[ast.AST]:
    """The mutations of one child node in its slot."""
    if isinstance(child, ast.operator) and type(child) in _BINARY:
        yield _BINARY[type(child)]()
    elif isinstance(child, ast.cmpop):
        yield _COMPARE[type(child)]()
    elif isinstance(child, ast.boolop):
        yield _BOOL[type(child)]()
    elif isinstance(child, ast.UnaryOp) and isinstance(child.op, ast.Not | ast.USub):
        yield child.operand
    elif isinstance(child, ast.Break):
        yield ast.Continue()
    elif isinstance(child, ast.Continue):
        yield ast.Break()
    elif isinstance(child, ast.Constant) and not isinstance(parent, ast.JoinedStr):
        value = child.value
        if isinstance(value, bool):
            yield ast.Constant(not value)
        elif isinstance(value, int | float):
            yield ast.Constant(value + 1)
        elif isinstance(value, str):
            yield ast.Constant(f"XX{value}XX")


def _skipped(parent: ast.AST, field: str, child: ast.AST) -> bool:
    """Annotations, format specs, docstrings and ``__all__`` are not behaviour."""
    if field in ("annotation", "returns", "format_spec", "type_comment"):
        return True
    if isinstance(child, ast.ImportFrom | ast.Import):
        return True
    if isinstance(child, ast.Assign) and any(
        isinstance(t, ast.Name) and t.id == "__all__" for t in child.targets
    ):
        return True
    return (
        isinstance(child, ast.Expr)
        and isinstance(child.value, ast.Constant)
        and isinstance(child.value.value, str)
    )


def mutants(tree: ast.Module) -> list[Mutant]:
    """Every mutant of a module, in source order, each keyed by its scope."""
    found: list[Mutant] = []
    seen: Counter[tuple[str, str]] = Counter()

    def walk(node: ast.AST, scope: str) -> None:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            scope = node.name if scope == "<module>" else f"{scope}.{node.name}"
        for field, value in ast.iter_fields(node):
            children = value if isinstance(value, list) else [value]
            for i, child in enumerate(children):
                if not isinstance(child, ast.AST):
                    continue
                index = i if isinstance(value, list) else None
                if _skipped(node, field, child):
                    continue
                line = getattr(child, "lineno", getattr(node, "lineno", 0))
                for new in _replacements(child, node, field):
                    change = f"{_show(child)} -> {_show(new)}"
                    seen[(scope, change)] += 1
                    key = f"{scope}: {change} #{seen[(scope, change)]}"
                    found.append(Mutant(key, line, node, field, index, new))
                walk(child, scope)

    walk(tree, "<module>")
    return found


def mutated_source(tree: ast.Module, mutant: Mutant) -> str:
    """The module's source with the one change applied (the tree is left as it was)."""
    value = getattr(mutant.parent, mutant.field)
    if mutant.index is None:
        setattr(mutant.parent, mutant.field, mutant.new)
    else:
        value[mutant.index], old = mutant.new, value[mutant.index]
    try:
        return ast.unparse(ast.fix_missing_locations(copy.deepcopy(tree)))
    finally:
        if mutant.index is None:
            setattr(mutant.parent, mutant.field, value)
        else:
            value[mutant.index] = old


class Outcome(NamedTuple):
    """What the tests said of one mutant."""

    mutant: Mutant
    status: str  # "killed", "timeout", "error" (could not import or collect) or "survived"


_WARM = ("pytest", "hypothesis", "typer", "rich", "dateutil", "icalendar", "tomli_w", "tomli")


def warm_up() -> None:
    """Import what every test run needs but chrono, once: each mutant's run is a fork."""
    for name in _WARM:
        importlib.import_module(name)
    if any(name == "chrono" or name.startswith("chrono.") for name in sys.modules):
        sys.exit("mutate: chrono was imported before the mutants; it must not be")


class _Profile:
    """A pytest plugin: hypothesis keeps no database and does not shrink a failure (a
    failing example kills the mutant however large it is)."""

    def pytest_configure(self, config: object) -> None:
        from hypothesis import Phase, settings

        phases = (Phase.explicit, Phase.generate)
        settings.register_profile("mutation", database=None, phases=phases)
        settings.load_profile("mutation")


def _child(tests: list[str], src: Path) -> None:
    """In the forked child: run the tests against ``src``, exit with pytest's status."""
    code = 3
    try:
        os.setsid()  # its own process group: a timeout kills what the tests started too
        null = os.open(os.devnull, os.O_RDWR)
        for fd in (0, 1, 2):
            os.dup2(null, fd)
        os.environ.update(PYTHONPATH=str(src), PYTHONDONTWRITEBYTECODE="1")
        sys.dont_write_bytecode = True
        sys.path.insert(0, str(src))
        os.chdir(ROOT)
        import pytest

        # plain asserts: a test passes or fails the same, without rewriting every module
        argv = ["-x", "-q", "-p", "no:cacheprovider", "--assert=plain", "--hypothesis-seed=0",
                *tests]  # fmt: skip
        code = int(pytest.main(argv, plugins=[_Profile()]))
    finally:
        os._exit(code)


def run_tests(tests: list[str], src: Path, timeout: float) -> str:
    """Run the test files against the source tree ``src``: killed, timeout, error, survived."""
    pid = os.fork()
    if pid == 0:
        _child(tests, src)
    deadline = time.monotonic() + timeout
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            break
        if time.monotonic() > deadline:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            return "timeout"
        time.sleep(0.02)
    code = os.waitstatus_to_exitcode(status)
    return {0: "survived", 1: "killed"}.get(code, "error")


def _copy_src(into: Path, relative: Path) -> Path:
    """A compiled copy of ``src/`` but for the module to mutate, which is never compiled
    to a file (a stale .pyc of the same size and second would hide the next mutant)."""
    src = into / "src"
    shutil.copytree(ROOT / "src", src, ignore=shutil.ignore_patterns("__pycache__"))
    compileall.compile_dir(src, quiet=1)
    for stale in (src / relative).parent.glob(f"__pycache__/{relative.stem}.*.pyc"):
        stale.unlink()
    return src


def _check_isolated(src: Path, module: str) -> None:
    """The copy, not the checkout, is what the tests import."""
    env = {**os.environ, "PYTHONPATH": str(src), "PYTHONDONTWRITEBYTECODE": "1"}
    dotted = MODULES[module][0].removeprefix("src/").removesuffix(".py").replace("/", ".")
    code = f"import {dotted} as m; print(m.__file__)"
    where = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    ).stdout.strip()
    if not where.startswith(str(src)):
        sys.exit(f"mutate: the tests would import {where}, not the mutated copy")


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("module", choices=sorted(MODULES))
    parser.add_argument("--jobs", type=int, default=1, help="mutants run at once (default 1)")
    parser.add_argument("--timeout", type=float, help="seconds per mutant (default 5x clean)")
    parser.add_argument("--only", action="append", help="only mutants whose key starts so")
    parser.add_argument("--list", action="store_true", help="list the mutants, run nothing")
    return parser.parse_args()


def main() -> int:
    """Mutate the module, run its tests per mutant, print the score and the survivors."""
    args = _arguments()
    source_file, listed = MODULES[args.module]
    tests = [t for t in listed if (ROOT / t).exists()]
    path = ROOT / source_file
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    tree = ast.parse(text)
    equivalent = EQUIVALENT[args.module]
    chosen = [m for m in mutants(tree) if not args.only or m.key.startswith(tuple(args.only))]
    if args.list:
        for m in chosen:
            mark = "  (equivalent)" if m.key in equivalent else ""
            print(f"{source_file}:{m.line}  {m.key}{mark}")
        return 0
    stale = sorted(set(equivalent) - {m.key for m in mutants(tree)})
    for key in stale:
        print(f"mutate: no mutant {key!r} any more: update EQUIVALENT", file=sys.stderr)
    to_run = [m for m in chosen if m.key not in equivalent]
    return _run_all(args, path, tests, tree, to_run, lines, len(chosen) - len(to_run))


class Job(NamedTuple):
    """What every mutant of a run shares: the tests, the module's path in src/, the timeout."""

    tests: list[str]
    relative: Path
    timeout: float


_WORKER: list[tuple[Path, Job]] = []  # in a worker process: its copy of src/ and the job


def _start_worker(dirs: multiprocessing.queues.Queue[Path], job: Job) -> None:
    _WORKER.append((dirs.get(), job))


def _one(item: tuple[int, str]) -> tuple[int, str]:
    """In a worker: write the mutant into the worker's copy and run the tests on it."""
    index, source = item
    src, job = _WORKER[0]
    (src / job.relative).write_text(source, encoding="utf-8")
    return index, run_tests(job.tests, src, job.timeout)


def _run_all(
    args: argparse.Namespace,
    path: Path,
    tests: list[str],
    tree: ast.Module,
    to_run: list[Mutant],
    lines: list[str],
    excluded: int,
) -> int:
    warm_up()
    context = multiprocessing.get_context("fork")
    jobs = max(1, args.jobs)
    with tempfile.TemporaryDirectory(prefix="chrono-mutate-") as tmp:
        relative = path.relative_to(ROOT / "src")
        copies = [_copy_src(Path(tmp) / f"w{n}", relative) for n in range(jobs)]
        _check_isolated(copies[0], args.module)
        started = time.monotonic()
        if run_tests(tests, copies[0], timeout=600) != "survived":
            sys.exit("mutate: the tests fail without any mutant; fix them first")
        baseline = time.monotonic() - started
        timeout = args.timeout or max(30.0, 5 * baseline)
        print(f"{len(to_run)} mutants of {path.name}; clean run {baseline:.1f} s, "
              f"timeout {timeout:.0f} s; tests: {' '.join(tests)}", flush=True)  # fmt: skip
        sources = [mutated_source(tree, m) for m in to_run]
        dirs = context.Queue()
        for copy_ in copies:
            dirs.put(copy_)
        statuses: dict[int, str] = {}
        job = Job(tests, relative, timeout)
        with context.Pool(jobs, _start_worker, (dirs, job), maxtasksperchild=None) as pool:
            for index, status in pool.imap_unordered(_one, enumerate(sources)):
                statuses[index] = status
                mark = "S" if status == "survived" else "."
                print(mark, end="", flush=True, file=sys.stderr)
    print(file=sys.stderr)
    outcomes = [Outcome(m, statuses[i]) for i, m in enumerate(to_run)]
    return _report(path, outcomes, lines, excluded, time.monotonic() - started)


def _report(
    path: Path, outcomes: list[Outcome], lines: list[str], excluded: int, took: float
) -> int:
    counts = Counter(o.status for o in outcomes)
    survivors = [o.mutant for o in outcomes if o.status == "survived"]
    total = len(outcomes)
    score = 100.0 * (total - len(survivors)) / total if total else 100.0
    for m in survivors:
        print(f"survived  {path.name}:{m.line}  {m.key}")
        print(f"          {lines[m.line - 1].strip()}")
    print(
        f"{path.name}: {total + excluded} mutants, {excluded} equivalent (not run), {total} run: "
        f"{counts['killed']} killed, {counts['timeout']} timed out, "
        f"{counts['error']} failed to import, {len(survivors)} survived; "
        f"score {score:.1f}% in {took / 60:.1f} min"
    )
    return 1 if survivors else 0


if __name__ == "__main__":
    sys.exit(main())
