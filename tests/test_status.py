"""The exit-status table: each row of app/status.py, at module level and through a real run."""

from __future__ import annotations

import errno
import io
import subprocess
import sys
from pathlib import Path

import pytest
import typer
from typer._click.exceptions import BadParameter, UsageError

from chrono.app import status
from chrono.app.status import Declined, ExitStatus, ReaderGone, answering, ending
from chrono.core.errors import DateError, Diagnostic, LogError, WriteError
from chrono.core.errors import UsageError as ChronoUsageError
from tests.conftest import BUNDLED, ROOT, Run


def test_the_statuses_are_the_documented_numbers() -> None:
    """OK 0, ERROR 1, USAGE 2, LOST_OUTPUT 120, INTERRUPTED 130; check and no-match map there."""
    assert [(s.name, int(s)) for s in ExitStatus] == [
        ("OK", 0), ("ERROR", 1), ("USAGE", 2), ("LOST_OUTPUT", 120), ("INTERRUPTED", 130),
    ]  # fmt: skip
    assert (status.CHECK_FAILED, status.NO_MATCH) == (ExitStatus.ERROR, ExitStatus.OK)


DIAGNOSTIC = Diagnostic("events.toml", 3, 5, "error", "toml", "invalid TOML: invalid value")


@pytest.mark.parametrize(
    ("raised", "expected", "said"),
    [
        (typer.Exit(), 0, ""),
        (typer.Exit(3), 3, ""),
        (SystemExit(), 0, ""),
        (SystemExit(4), 4, ""),
        (SystemExit("goodbye"), 1, "goodbye\n"),
        (KeyboardInterrupt(), 130, ""),
        (Declined(), 1, ""),
        (ChronoUsageError("--limit: must be 0 or more"), 2,
         "chrono: error: --limit: must be 0 or more\n"),
        (DateError("--on: no such day"), 2, "chrono: error: --on: no such day\n"),
        (WriteError("x.toml: cannot write"), 1, "chrono: error: x.toml: cannot write\n"),
        (LogError([DIAGNOSTIC, DIAGNOSTIC._replace(line=9)]), 1,
         "events.toml:3:5: error: invalid TOML: invalid value\n"
         "events.toml:9:5: error: invalid TOML: invalid value\n"),
        (UsageError("No such command 'lst'."), 2, "Error: No such command 'lst'.\n"),
        (BadParameter("not a number"), 2, "Error: Invalid value: not a number\n"),
        (typer.Abort(), 1, "Aborted!\n"),
        (EOFError(), 1, "\nAborted!\n"),
        (OSError(errno.ENOSPC, "No space left on device"), 1,
         "chrono: error: cannot write the output: No space left on device\n"),
        (OSError(errno.EACCES, "Permission denied", "out.md"), 1,
         "chrono: error: out.md: Permission denied\n"),
    ],
)  # fmt: skip
def test_each_row_of_the_table(raised: BaseException, expected: int, said: str) -> None:
    """What is raised gives its status, and exactly its message on stderr."""
    stderr = io.StringIO()
    assert ending(raised, stderr) == expected
    assert stderr.getvalue() == said


@pytest.mark.parametrize(
    ("raised", "expected"),
    [(BrokenPipeError(), ExitStatus.OK), (ReaderGone(ExitStatus.ERROR), ExitStatus.ERROR)],
)
def test_a_reader_that_left_ends_quietly_with_the_status_so_far(
    monkeypatch: pytest.MonkeyPatch, raised: BaseException, expected: ExitStatus
) -> None:
    """A broken pipe says nothing, sends the rest of stdout nowhere, keeps the status so far."""
    quieted: list[bool] = []
    monkeypatch.setattr(status, "_quiet_stdout", lambda: quieted.append(True))
    stderr = io.StringIO()
    assert ending(raised, stderr) == expected
    assert (stderr.getvalue(), quieted) == ("", [True])


def test_a_bug_is_raised_again_with_its_traceback() -> None:
    """An exception the table does not know is not turned into a status."""
    bug = ZeroDivisionError("a bug")
    with pytest.raises(ZeroDivisionError) as raised:
        ending(bug, io.StringIO())
    assert raised.value is bug


def test_nowhere_to_say_it_keeps_the_status() -> None:
    """With stderr gone, an error still ends with its status."""

    class Gone(io.StringIO):
        def write(self, text: str) -> int:
            raise OSError(errno.EBADF, "Bad file descriptor")

    assert ending(ChronoUsageError("x"), Gone()) == 2


class _Pipe(io.StringIO):
    """stdout whose flush finds the reader gone."""

    def flush(self) -> None:
        raise BrokenPipeError


def test_answering_gives_a_broken_pipe_the_status_already_decided(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Output under answering(status) that loses its reader (even at the flush) keeps status."""
    monkeypatch.setattr(sys, "stdout", _Pipe())
    with pytest.raises(ReaderGone) as raised, answering(ExitStatus.ERROR):
        sys.stdout.write("buffered, and lost when flushed")
    assert raised.value.status is ExitStatus.ERROR


def test_before_the_command_line_loads_ctrl_c_needs_no_typer() -> None:
    """Ctrl-C while chrono starts maps to 130 without loading the command line to say so."""
    code = (
        "import io, sys; from chrono.app.status import ending; "
        "print(ending(KeyboardInterrupt(), io.StringIO()), 'typer' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, cwd=ROOT
    )
    assert result.stdout == "130 False\n", result.stderr


# -- through the command line ---------------------------------------------------------------


def test_ctrl_c_in_a_command_ends_with_130_quietly(
    run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A KeyboardInterrupt while a command works: status 130, nothing on stderr."""

    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr("chrono.operations.checking.check", interrupted)
    result = run("check", "-f", str(BUNDLED))
    assert (result.exit_code, result.stderr) == (130, "")


def test_a_command_returns_its_status(run: Run, tmp_path: Path) -> None:
    """check's failure is its return value, turned into 1; its report is still all out."""
    log = tmp_path / "events.toml"
    log.write_text('[[events]]\ndate = "2026-02-30"\ntitle = "No such day"\n')
    result = run("check", "-f", str(log))
    assert result.exit_code == 1
    assert result.stderr == (
        f"{log}:2:8: error: event #1: 'date': no such day: "
        "February 2026 has 28 days, not 30 ('2026-02-30')\n"
        f"{log}: 1 event, 0 actors: 1 error, 0 warnings\n"
    )


LOST = """
import sys
from chrono.app.main import _exit
sys.stdout = open("/dev/full", "w", buffering=8192)  # as a file on a full disk buffers
sys.stdout.write("the answer, still buffered")
_exit(0)
"""


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full here")
def test_output_lost_as_the_process_ends_is_120() -> None:
    """An answer still buffered at exit that a full disk refuses: LOST_OUTPUT, as Python's."""
    result = subprocess.run(
        [sys.executable, "-c", LOST], capture_output=True, text=True, check=False, cwd=ROOT
    )
    assert (result.returncode, result.stderr) == (120, "")


@pytest.mark.parametrize("args", ["list --format ids", "export csv", "check --format json"])
def test_a_reader_that_leaves_at_once_ends_chrono_quietly_with_0(tmp_path: Path, args: str) -> None:
    """`chrono ... | (exit)`: no traceback, no message, status 0 on a good log."""
    (tmp_path / "events.toml").write_text(BUNDLED.read_text())
    process = subprocess.Popen(
        [sys.executable, "-m", "chrono", *args.split()], cwd=tmp_path,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()
    assert process.wait(timeout=30) == 0
    with process.stderr:
        assert process.stderr.read() == b""


class _Full(io.StringIO):
    """stdout on a full disk: writes are buffered, the flush fails."""

    def flush(self) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")


@pytest.mark.parametrize(
    ("stdout", "expected", "said"),
    [(_Full, 1, "chrono: error: cannot write the output: No space left on device\n"),
     (_Pipe, 0, "")],
)  # fmt: skip
def test_output_still_buffered_when_the_command_returns_is_flushed_and_judged(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    stdout: type[io.StringIO],
    expected: int,
    said: str,
) -> None:
    """The root command flushes the answer before it ends: a full disk is an error there."""
    from chrono.app import cli

    monkeypatch.setattr(status, "_quiet_stdout", lambda: None)
    monkeypatch.setattr(sys, "stdout", stdout())
    assert cli.run(["cache", "path", "-f", str(BUNDLED)]) == expected
    assert capsys.readouterr().err == said
