"""Conventions every command line tool owes its users: --version, --help, python -m."""

from __future__ import annotations

import subprocess
import sys

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
