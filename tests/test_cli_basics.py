"""Conventions every command line tool owes its users: --version, --help, python -m."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from chrono import __version__
from tests.conftest import ROOT, Run


def test_version(run: Run) -> None:
    """--version prints the name and version on stdout."""
    result = run("--version")
    assert (result.exit_code, result.stdout) == (0, f"chrono {__version__}\n")


def test_help_lists_commands_with_examples(run: Run) -> None:
    """--help and -h list the commands; each command's help ends with examples."""
    result = run("--help")
    assert result.exit_code == 0
    assert "check" in result.stdout
    assert run("-h").stdout == result.stdout
    check_help = run("check", "--help").stdout
    assert "  Examples:\n    chrono check\n" in check_help


def test_no_arguments_shows_help(run: Run) -> None:
    """Bare `chrono` shows the help rather than doing something."""
    result = run()
    assert "Usage: chrono" in result.output


def test_python_dash_m(tmp_path: object) -> None:
    """`python -m chrono --version` works like the installed command."""
    result = subprocess.run(
        [sys.executable, "-m", "chrono", "--version"],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )
    assert (result.returncode, result.stdout) == (0, f"chrono {__version__}\n")


def test_bad_option_value_is_a_usage_error(run: Run) -> None:
    """An unknown --format is exit 2 with one line on stderr."""
    result = run("check", "--format", "xml")
    assert result.exit_code == 2
    assert "xml" in result.stderr


def test_commands_are_built_only_when_named(run: Run) -> None:
    """A run builds the one command it names; --help, suggestions and completion see them all."""
    from chrono.app.cli import _LazyCommands

    lazy = _LazyCommands()
    names = NAMES
    assert list(lazy) == names and len(lazy) == len(names)
    assert lazy["list"].name == "list" and list(lazy._built) == ["list"]
    assert sorted(lazy["cache"].commands) == ["clear", "path"]
    assert "nope" not in lazy and list(lazy._built) == ["list", "cache"]
    assert "Did you mean 'list'" in run("lst").output
    listed = run("--help").stdout
    assert all(f"\n  {name} " in listed for name in names)


IMPORTED = """
import sys

import pytest
from chrono.app.cli import run
status = run(sys.argv[1:])
print(status, *sorted(m for m in sys.modules if m.startswith("chrono.app.commands.")))
"""


def test_a_run_imports_only_the_module_of_its_command() -> None:
    """`chrono show --help` imports app/commands/show.py and no other command's module."""
    result = subprocess.run(
        [sys.executable, "-c", IMPORTED, "show", "--help"],
        capture_output=True, text=True, check=False, cwd=ROOT,
    )  # fmt: skip
    assert result.stdout.splitlines()[-1] == "0 chrono.app.commands.show", result.stderr


NAMES = [
    "check",
    "list",
    "show",
    "export",
    "actors",
    "add",
    "import",
    "changes",
    "edit",
    "set",
    "rm",
    "init",
    "cache",
    "git",
    "merge-driver",
]

ZONES = """
import sys
from chrono.app.cli import run
status = run(sys.argv[1:])
print(status, "zoneinfo" in sys.modules)
"""


@pytest.mark.parametrize(("args", "loaded"), [((), False), (("--tz", "Asia/Tokyo"), True)])
def test_ids_from_the_index_never_load_a_time_zone(
    tmp_path: Path, args: tuple[str, ...], loaded: bool
) -> None:
    """`list --format ids` answered from the index loads no zone data (the log's zone is
    loaded when a time is shown; a --tz is checked however it is shown)."""
    import os

    log = tmp_path / "events.toml"
    log.write_bytes((ROOT / "tests" / "data" / "sample.toml").read_bytes())
    env = {**os.environ, "CHRONO_INDEX_SYNC": "1"}
    command = [sys.executable, "-c", ZONES, "list", "-f", str(log), "--format", "ids", *args]
    subprocess.run(command, env=env, capture_output=True, check=True, cwd=ROOT)  # builds it
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    assert result.stdout.splitlines()[-1] == f"0 {loaded}", result.stderr


def test_root_help_imports_no_command_module() -> None:
    """`chrono --help` lists every command from the registry's summaries, importing none."""
    result = subprocess.run(
        [sys.executable, "-c", IMPORTED, "--help"],
        capture_output=True, text=True, check=False, cwd=ROOT,
    )  # fmt: skip
    assert result.stdout.splitlines()[-1] == "0", result.stderr
    assert re.search(r"\n  show +Show every field of one event", result.stdout)


@pytest.mark.parametrize("name", NAMES)
def test_each_summary_is_its_commands_own_help(name: str) -> None:
    """The summary --help lists for a command is the first paragraph of that command's help."""
    from chrono.app.cli import _LazyCommands
    from chrono.app.commands import SUMMARIES

    assert SUMMARIES[name] == _LazyCommands()[name].help.split("\n\n")[0].strip()


def test_root_help_lists_commands_as_click_would() -> None:
    """The command list written from the summaries is the one click writes from the commands
    (the same cut at every width)."""
    import typer.main
    from typer.core import TyperGroup

    from chrono.app.cli import app

    group = typer.main.get_command(app)
    for width in range(20, 200):
        with group.make_context("chrono", ["list"]) as ctx:
            ours, theirs = ctx.formatter_class(width=width), ctx.formatter_class(width=width)
            group.format_commands(ctx, ours)
            TyperGroup.format_commands(group, ctx, theirs)
        assert ours.getvalue() == theirs.getvalue(), width
        assert ours.getvalue().count("\n") == len(NAMES) + 1


def test_completion_lists_commands_and_choices() -> None:
    """Shell completion offers the subcommands, and the choices of an option."""
    import os

    def complete(words: str) -> list[str]:
        env = {**os.environ, "_CHRONO_COMPLETE": "complete_bash", "COMP_WORDS": words,
               "COMP_CWORD": str(len(words.split()))}  # fmt: skip
        result = subprocess.run(
            [sys.executable, "-m", "chrono"], env=env, capture_output=True, text=True,
            check=False, cwd=ROOT,
        )  # fmt: skip
        return result.stdout.split()

    assert complete("chrono ") == NAMES
    assert complete("chrono cache ") == ["path", "clear"]
    assert complete("chrono list --format ") == ["timeline", "table", "json", "ids"]
