"""The entry point: a head start on add's hash, and a quick exit that keeps every promise."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from chrono.app.main import indexed_log
from chrono.storage import fingerprint, index, store
from tests.conftest import BUNDLED, cache


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["add", "T", "--date", "2026", "-f", "a.toml"], "a.toml"),
        (["add", "T", "--file", "a.toml"], "a.toml"),
        (["add", "T", "--file=a.toml"], "a.toml"),
        (["add", "-fa.toml", "T"], "a.toml"),
        (["add", "T", "--date", "2026"], "events.toml"),  # found upward, as the CLI does
        (["add", "T", "-f", "missing.toml"], None),
        (["add", "T", "-f", "a.toml", "--help"], None),
        (["add", "--", "-f", "a.toml"], "events.toml"),
        (["list", "-f", "a.toml"], "a.toml"),
        (["export", "md", "-f", "a.toml"], "a.toml"),
        (["show", "x", "--file=a.toml"], "a.toml"),
        (["actors", "-fa.toml"], "a.toml"),
        (["set", "x", "--title", "T", "-f", "a.toml"], "a.toml"),
        (["rm", "x", "y", "--yes", "-f", "a.toml"], "a.toml"),
        (["check", "-f", "a.toml"], None),  # always parses the file
        (["init", "-f", "a.toml"], None),
        (["--no-cache", "add", "T", "-f", "a.toml"], None),
        (["list", "-f", "a.toml", "--no-cache"], None),
        ([], None),
    ],
)
def test_indexed_log_guesses_the_log_a_command_reads(
    tmp_path: Path, args: list[str], expected: str | None
) -> None:
    """The log named by -f/--file, else found as the CLI finds it; None if no index is read."""
    (tmp_path / "a.toml").write_text("")
    (tmp_path / "events.toml").write_text("")
    (tmp_path / "sub").mkdir()
    found = indexed_log(args, {}, tmp_path / "sub" if expected == "events.toml" else tmp_path)
    assert found == (tmp_path / expected if expected else None)


def test_indexed_log_follows_the_environment(tmp_path: Path) -> None:
    """CHRONO_FILE names the log; CHRONO_NO_CACHE means no index, so no hash to start."""
    log = tmp_path / "b.toml"
    log.write_text("")
    assert indexed_log(["add", "T"], {"CHRONO_FILE": str(log)}, tmp_path) == log
    assert indexed_log(["add", "T", "-f", str(log)], {"CHRONO_NO_CACHE": "1"}, tmp_path) is None


def test_an_early_hash_is_taken_once_and_only_for_its_file(tmp_path: Path) -> None:
    """take_early hands over the hash of that very file, once; the rest is cancelled."""
    a, b = tmp_path / "a.toml", tmp_path / "b.toml"
    a.write_text("a = 1\n")
    b.write_text("b = 2\n")
    fingerprint.hash_early(a)
    fingerprint.hash_early(b)
    assert fingerprint.take_early(tmp_path / "c.toml") is None
    taken = fingerprint.take_early(a)
    assert taken is not None and taken.result() == fingerprint.fingerprint(a)
    assert fingerprint.take_early(a) is None
    fingerprint.cancel_early()
    assert fingerprint.take_early(b) is None
    assert sys.getswitchinterval() == pytest.approx(0.005)  # given back by every thread


def chrono(*args: str, cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """Run the installed entry point as a user would (``python -m chrono``)."""
    environ = {k: v for k, v in os.environ.items() if k != "CHRONO_INDEX_SYNC"} | env
    return subprocess.run(
        [sys.executable, "-m", "chrono", *args],
        capture_output=True, text=True, check=False, cwd=cwd, env=environ,
    )  # fmt: skip


def test_add_through_the_entry_point_updates_the_index(tmp_path: Path) -> None:
    """A real ``chrono add`` with a warm index appends, and the index follows in place."""
    log = tmp_path / "events.toml"
    log.write_text(BUNDLED.read_text())
    assert chrono("list", "--format", "ids", cwd=tmp_path, CHRONO_INDEX_SYNC="1").returncode == 0
    built = index.index_path(log, cache().folder).stat().st_ino
    result = chrono("add", "Talks", "--date", "2026-02-01", "-a", "Ushakov", cwd=tmp_path)
    assert (result.returncode, result.stdout) == (0, "2026-02-01-talks\n"), result.stderr
    assert result.stderr == (
        "chrono: actor 'Ushakov' is Yuri Ushakov (ushakov)\n"
        "chrono: added '2026-02-01-talks' to events.toml\n"
    )
    assert index.index_path(log, cache().folder).stat().st_ino == built  # appended to, not rebuilt
    found = index.Index.open(log, cache().folder, fingerprint.fingerprint(log))
    assert found is not None and found.line_of("2026-02-01-talks")
    found.close()


@pytest.mark.parametrize(
    ("args", "log", "code", "stderr"),
    [
        (("list", "--format", "ids"), "bundled", 0, ""),
        (("show", "no-such-id"), "bundled", 2, "chrono: error: no event with id 'no-such-id'\n"),
        (("list",), "broken", 1, "events.toml:1:5: error: invalid TOML: invalid value\n"),
        (("frobnicate",), "bundled", 2, "No such command 'frobnicate'"),
    ],
)
def test_the_quick_exit_keeps_output_and_status(
    tmp_path: Path, args: tuple[str, ...], log: str, code: int, stderr: str
) -> None:
    """Every byte of the answer is out and the exit status is the command's own."""
    text = BUNDLED.read_text() if log == "bundled" else "x = = 1\n"
    (tmp_path / "events.toml").write_text(text)
    result = chrono(*args, cwd=tmp_path)
    assert result.returncode == code, result.stderr
    assert stderr in result.stderr
    if code == 0:
        assert len(result.stdout.split()) == 17


def test_a_profiled_run_ends_the_usual_way(tmp_path: Path) -> None:
    """Under cProfile the process is not cut short: the profile is still printed."""
    (tmp_path / "events.toml").write_text(BUNDLED.read_text())
    result = subprocess.run(
        [sys.executable, "-m", "cProfile", "-m", "chrono", "list", "--format", "ids"],
        capture_output=True, text=True, check=False, cwd=tmp_path,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "function calls" in result.stdout


def test_a_query_takes_the_early_hash_of_its_log(tmp_path: Path) -> None:
    """open_source answers from the index with the hash started at entry, and uses it up."""
    from chrono.operations.reading import open_source
    from chrono.storage.index import Index as IndexSource

    log = tmp_path / "events.toml"
    log.write_text(BUNDLED.read_text())
    open_source(log, cache())  # parses, and builds the index (inline in tests)
    fingerprint.hash_early(log.resolve())
    assert isinstance(open_source(log, cache()), IndexSource)
    assert fingerprint.take_early(log.resolve()) is None  # taken by the query
    assert sys.getswitchinterval() == pytest.approx(0.005)


EXIT = """
import atexit, sys
from chrono.app.main import _exit
atexit.register(lambda: sys.stdout.write(" and the handler ran"))
sys.stdout.write("unflushed")
_exit(int(sys.argv[1]))
"""


def test_the_quick_exit_flushes_runs_handlers_and_keeps_the_status() -> None:
    """Unflushed output is written, exit handlers run, and the status is the one given."""
    result = subprocess.run(
        [sys.executable, "-c", EXIT, "3"], capture_output=True, text=True, check=False
    )
    assert (result.returncode, result.stdout) == (3, "unflushed and the handler ran")


class _Failing:
    """A stream whose flush fails as a full disk or a vanished reader would make it."""

    def __init__(self, error: OSError) -> None:
        self.error = error

    def flush(self) -> None:
        raise self.error


@pytest.mark.parametrize(
    ("error", "status", "expected"),
    [(OSError(28, "No space left on device"), 0, 120), (OSError(28, "full"), 2, 2),
     (BrokenPipeError(), 0, 0)],
)  # fmt: skip
def test_output_lost_at_exit_is_a_failure_unless_the_reader_left(
    monkeypatch: pytest.MonkeyPatch, error: OSError, status: int, expected: int
) -> None:
    """A flush that fails ends with 120 (as Python's own exit); a closed pipe is not an error."""
    from chrono.app import main as entry

    monkeypatch.setattr(sys, "stdout", _Failing(error))
    assert entry._flush(status) == expected


def shell(command: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run chrono through sh, so a test can close or redirect its standard streams."""
    return subprocess.run(
        ["sh", "-c", command.replace("chrono", '"$0" -m chrono'), sys.executable],
        capture_output=True, text=True, check=False, cwd=cwd,
    )  # fmt: skip


@pytest.mark.parametrize(
    "args", ["list", "list --format ids", "export md", "--version", "list --help"]
)
def test_a_closed_stdout_is_a_write_error_not_a_traceback(tmp_path: Path, args: str) -> None:
    """With stdout closed (`>&-`) the answer is lost: one message and status 1."""
    (tmp_path / "events.toml").write_text(BUNDLED.read_text())
    result = shell(f"chrono {args} >&-", tmp_path)
    assert (result.returncode, result.stderr) == (
        1,
        "chrono: error: cannot write the output: Bad file descriptor\n",
    )


def test_add_with_a_closed_stdout_appends_and_says_its_id_was_lost(tmp_path: Path) -> None:
    """add still appends with stdout closed (no file takes fd 1); the lost id makes it 1."""
    log = tmp_path / "events.toml"
    log.write_text(BUNDLED.read_text())
    result = shell("chrono add 'Closed stdout' --date 2026-11-30 >&-", tmp_path)
    assert (result.returncode, result.stderr) == (
        1,
        "chrono: added '2026-11-30-closed-stdout' to events.toml\n"
        "chrono: error: cannot write the output: Bad file descriptor\n",
    )
    assert log.read_text().startswith(BUNDLED.read_text())
    assert "Closed stdout" in log.read_text()
    assert shell("chrono check", tmp_path).returncode == 0


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full here")
@pytest.mark.parametrize("args", ["list --format ids", "export md", "check --format json"])
def test_a_full_disk_is_a_write_error_not_a_traceback(tmp_path: Path, args: str) -> None:
    """Output to a full device ends with one message naming the error and status 1."""
    (tmp_path / "events.toml").write_text(BUNDLED.read_text())
    result = shell(f"chrono {args} > /dev/full", tmp_path)
    assert (result.returncode, result.stderr) == (
        1,
        "chrono: error: cannot write the output: No space left on device\n",
    )


def test_a_closed_stdin_reads_as_empty(tmp_path: Path) -> None:
    """With stdin closed (`<&-`) add does not prompt: no title is the usual usage error."""
    (tmp_path / "events.toml").write_text(BUNDLED.read_text())
    result = shell("chrono add <&-", tmp_path)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "a title is required" in result.stderr
    assert shell("chrono list --format ids <&-", tmp_path).stdout.count("\n") == 17


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full here")
def test_add_to_a_full_stdout_still_says_it_added(tmp_path: Path) -> None:
    """The event is added; the lost id makes the status 1, after the line that says so."""
    log = tmp_path / "events.toml"
    log.write_text(BUNDLED.read_text())
    result = shell("chrono add 'Full disk' --date 2026-11-30 > /dev/full", tmp_path)
    assert (result.returncode, result.stderr) == (
        1,
        "chrono: added '2026-11-30-full-disk' to events.toml\n"
        "chrono: error: cannot write the output: No space left on device\n",
    )
    assert "Full disk" in log.read_text()


@pytest.mark.parametrize(("args", "code"), [("list --format ids", 0), ("show nope", 2)])
def test_a_closed_stderr_keeps_the_status(tmp_path: Path, args: str, code: int) -> None:
    """With stderr closed (`2>&-`) a command still answers and exits with its own status."""
    (tmp_path / "events.toml").write_text(BUNDLED.read_text())
    result = shell(f"chrono {args} 2>&-", tmp_path)
    assert result.returncode == code
    assert len(result.stdout.split()) == (17 if code == 0 else 0)


def test_check_cut_short_by_its_reader_still_fails(tmp_path: Path) -> None:
    """`chrono check 2>&1 | head -1` on a broken log: the status is still 1, quietly."""
    (tmp_path / "events.toml").write_text(
        "".join(f'[[events]]\ndate = "2026-02-3{i % 2}"\ntitle = "t{i}"\n' for i in range(200))
    )
    process = subprocess.Popen(  # the reader closes the pipe before chrono writes to it
        [sys.executable, "-m", "chrono", "check"], cwd=tmp_path,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )  # fmt: skip
    assert process.stdout is not None
    process.stdout.close()
    assert process.wait(timeout=30) == 1


def test_ctrl_c_while_starting_ends_with_130_and_no_traceback(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """An interrupt before the CLI has loaded ends quietly with the shell's status for it."""
    from chrono.app import main as entry

    def interrupted(*args: object) -> None:
        raise KeyboardInterrupt

    ended: list[object] = []
    monkeypatch.setattr(entry, "indexed_log", interrupted)
    monkeypatch.setattr(entry, "_exit", ended.append)
    monkeypatch.setattr(sys, "argv", ["chrono", "list"])
    entry.main()
    assert ended == [130]
    assert capsys.readouterr().err == ""


@pytest.mark.parametrize(
    "args", ["list", "list --format table", "actors", "show 2026-01-22-putin-witkoff-kremlin"]
)
def test_a_terminal_that_is_not_utf8_gets_question_marks_not_a_traceback(
    tmp_path: Path, args: str
) -> None:
    """With an ASCII stdout (PYTHONIOENCODING=ascii) non-ASCII text shows as '?', status 0."""
    (tmp_path / "events.toml").write_text(BUNDLED.read_text())
    result = shell(f"PYTHONIOENCODING=ascii chrono {args}", tmp_path)
    assert (result.returncode, result.stderr) == (0, "")
    assert "Russia?US" in result.stdout or args.startswith(("actors", "show"))
    assert result.stdout.isascii()


def test_set_through_the_entry_point_changes_the_index_in_place(tmp_path: Path) -> None:
    """A real ``chrono set`` and ``chrono rm`` with a warm index (their hash begun by the
    entry point, the bytes it read kept) change the log and the index in place."""
    log = tmp_path / "events.toml"
    log.write_text(BUNDLED.read_text())
    assert chrono("list", "--format", "ids", cwd=tmp_path, CHRONO_INDEX_SYNC="1").returncode == 0
    built = index.index_path(log, cache().folder).stat().st_ino
    first = chrono("list", "--format", "ids", cwd=tmp_path).stdout.split()[0]
    result = chrono("set", first, "--summary", "One line\nand another", cwd=tmp_path)
    assert (result.returncode, result.stderr) == (
        0,
        f"chrono: changed {first!r} (summary) in events.toml\n",
    )
    assert chrono("rm", first, "--yes", cwd=tmp_path).returncode == 0
    assert index.index_path(log, cache().folder).stat().st_ino == built  # changed, not rebuilt
    found = index.Index.open(log, cache().folder, fingerprint.fingerprint(log))
    assert found is not None and found.shifts and found.find(first) == (None, [])
    assert found.all_events() == list(store.load(log).events)
    found.close()
