"""An argument that is not valid UTF-8 is a usage error, said in one line before any command
runs; a file name may be any bytes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from chrono.app import arguments
from chrono.app.cli import app
from chrono.core.errors import UsageError
from tests.conftest import BUNDLED, Run

BAD = b"caf\xe9"  # Latin-1, not UTF-8


def chrono(*args: bytes | str, cwd: Path | None = None) -> subprocess.CompletedProcess[bytes]:
    """``python -m chrono`` with the arguments as bytes, as a shell passes them."""
    env = {**os.environ, "NO_COLOR": "1", "PYTHONUTF8": "1"}
    return subprocess.run(
        [sys.executable, "-m", "chrono", *args],
        capture_output=True,
        env=env,
        cwd=cwd,
        timeout=60,
        check=False,
    )


CASES = [
    ("--search", (b"list", b"-f", str(BUNDLED).encode(), b"-s", BAD)),
    ("--search", (b"list", b"-f", str(BUNDLED).encode(), b"-s" + BAD)),
    ("--search", (b"list", b"-f", str(BUNDLED).encode(), b"--search=" + BAD)),
    ("--tag", (b"list", b"-f", str(BUNDLED).encode(), b"-t", BAD)),
    ("--actor", (b"list", b"-f", str(BUNDLED).encode(), b"-a", BAD)),
    ("ID", (b"show", BAD, b"-f", str(BUNDLED).encode())),
    ("--title", (b"export", b"md", b"--title", BAD, b"-f", str(BUNDLED).encode())),
    ("TITLE", (b"add", BAD, b"-d", b"2026-01-01", b"--dry-run", b"-f", str(BUNDLED).encode())),
    ("--summary", (b"add", b"T", b"--summary", BAD, b"-d", b"2026-01-01", b"--dry-run")),
    ("--actor", (b"add", b"T", b"-a", BAD, b"-d", b"2026-01-01", b"--dry-run")),
    ("COMMAND", (BAD,)),
    ("argument 1", (b"list", b"--reverse", BAD)),
]


@pytest.mark.parametrize(
    ("where", "args"), CASES, ids=[" ".join(map(repr, c[1]))[:40] for c in CASES]
)
def test_not_utf8_is_a_usage_error(where: str, args: tuple[bytes, ...]) -> None:
    """Each option or argument given bytes that are not UTF-8 ends with status 2 and one
    line naming it and showing the bytes, never a traceback."""
    done = chrono(*args)
    assert done.returncode == 2, done.stderr
    assert done.stderr == f"chrono: error: {where}: b'caf\\xe9' is not valid UTF-8 text\n".encode()
    assert done.stdout == b""


def test_said_before_the_log_is_read(tmp_path: Path) -> None:
    """The rule holds before any command runs: in a folder with no log, the argument is
    what is wrong, and nothing is created."""
    done = chrono(b"list", b"-s", BAD, cwd=tmp_path)
    assert (done.returncode, done.stderr) == (
        2,
        b"chrono: error: --search: b'caf\\xe9' is not valid UTF-8 text\n",
    )
    assert list(tmp_path.iterdir()) == []


def test_a_file_name_may_be_any_bytes(tmp_path: Path) -> None:
    """A log whose name is not UTF-8 is read, and its name shown with the byte escaped."""
    name = os.fsdecode(BAD + b".toml")
    (tmp_path / name).write_bytes(BUNDLED.read_bytes())
    done = chrono(b"check", b"-f", BAD + b".toml", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stderr.startswith(b"caf\\udce9.toml:")
    out = tmp_path / os.fsdecode(b"out" + BAD + b".md")
    done = chrono(b"export", b"md", b"-f", BAD + b".toml", b"-o", os.fsencode(out), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert out.read_bytes().startswith(b"# ")


def test_in_process_too(run: Run) -> None:
    """The rule is the command line's: a run in-process gives the same error."""
    result = run("list", "-f", str(BUNDLED), "--location", "caf\udce9")
    assert result.exit_code == 2
    assert result.stderr == "chrono: error: --location: b'caf\\xe9' is not valid UTF-8 text\n"


def test_check_names_what_it_was_given_to() -> None:
    """The option by its long name, a value after --, an argument by its metavar."""
    import typer.main

    root = typer.main.get_command(app)
    for words, where in (
        (["list", "-n", "1", "-s", "\udcff"], "--search"),
        (["list", "--", "\udcff"], "argument 1"),
        (["show", "x", "\udcff"], "argument 2"),
        (["cache", "\udcff"], "COMMAND"),
        (["--no-cache", "add", "\udcff"], "TITLE"),
        (["list", "--\udcff"], "--\udcff"),
    ):
        with pytest.raises(UsageError, match="is not valid UTF-8 text") as caught:
            arguments.check(words, root)
        assert str(caught.value).startswith(f"{where}: b"), words
    arguments.check(["export", "md", "-fcaf\udce9", "--output=\udcff", "-s", "café"], root)
