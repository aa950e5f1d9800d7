"""What a new user meets at the terminal: narrow widths, long URLs, colour, completion."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from chrono.app.settings import colour_wanted
from chrono.output import render
from tests.conftest import Run

ROOT = Path(__file__).resolve().parent.parent
ESC = "\x1b"


def _piped(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """chrono as the installed command, its output into a pipe, with ``env`` over a plain one."""
    base = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    return subprocess.run(
        [sys.executable, "-m", "chrono", *args], env={**base, "TERM": "xterm", **env},
        capture_output=True, text=True, check=False, cwd=ROOT, timeout=60,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("choice", "environ", "wanted"),
    [
        (None, {}, None),
        ("auto", {}, None),
        (None, {"NO_COLOR": "1"}, False),
        (None, {"NO_COLOR": ""}, None),
        (None, {"FORCE_COLOR": "1"}, True),
        (None, {"FORCE_COLOR": "0"}, True),  # any value that is not empty, as rich reads it
        (None, {"FORCE_COLOR": ""}, None),
        (None, {"FORCE_COLOR": "1", "NO_COLOR": "1"}, False),
        ("auto", {"FORCE_COLOR": "1", "NO_COLOR": "1"}, False),
        ("always", {"NO_COLOR": "1"}, True),
        ("never", {"FORCE_COLOR": "1"}, False),
        ("never", {}, False),
        ("always", {}, True),
    ],
)
def test_colour_precedence(
    choice: str | None, environ: dict[str, str], wanted: bool | None
) -> None:
    """--color always/never beats NO_COLOR, which beats FORCE_COLOR, which beats the terminal."""
    assert colour_wanted(choice, environ) is wanted


@pytest.mark.parametrize(
    ("args", "env", "coloured"),
    [
        (["--color", "always", "list"], {}, True),
        (["list", "--color=always"], {}, True),
        (["--color", "always", "list"], {"NO_COLOR": "1"}, True),
        (["--color", "never", "list"], {"FORCE_COLOR": "1"}, False),
        (["list", "--color", "never"], {"FORCE_COLOR": "1"}, False),
        (["--color", "always", "list", "--color", "never"], {}, False),
        (["--color", "auto", "list"], {"FORCE_COLOR": "1"}, True),
        (["list"], {"FORCE_COLOR": "1"}, True),
        (["list"], {"FORCE_COLOR": "1", "NO_COLOR": "1"}, False),
        (["list"], {"FORCE_COLOR": ""}, False),
        (["list"], {}, False),
        (["--color", "always", "list", "--format", "table"], {"TERM": "dumb"}, True),
        (["--color", "always", "actors"], {}, True),
        (["--color", "always", "show", "2026-01-22-putin-witkoff-kremlin"], {}, True),
    ],
)
def test_color_option_and_environment_through_a_pipe(
    args: list[str], env: dict[str, str], coloured: bool
) -> None:
    """Into a pipe, `--color always` writes escape codes (even with NO_COLOR or TERM=dumb) and
    `--color never` none (even with FORCE_COLOR); FORCE_COLOR alone colours, NO_COLOR wins."""
    result = _piped(*args, "-f", str(ROOT / "events.toml"), env=env)
    assert result.returncode == 0, result.stderr
    assert (ESC in result.stdout) is coloured
    assert "Witkoff" in result.stdout


def test_a_bad_color_is_a_usage_error(run: Run) -> None:
    """`--color sometimes` is refused with status 2, naming the choices."""
    result = run("--color", "sometimes", "list")
    assert result.exit_code == 2
    assert "'sometimes' is not one of 'auto', 'always', 'never'" in result.stderr


def test_the_console_has_colour_as_asked() -> None:
    """make_console: True colours a pipe, False leaves a terminal plain, None asks the stream."""
    from rich.text import Text

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    for stream, colour, escaped in [
        (io.StringIO(), True, True),
        (io.StringIO(), None, False),
        (io.StringIO(), False, False),
        (Terminal(), None, True),
        (Terminal(), False, False),
    ]:
        console = render.make_console(stream, 80, colour=colour)
        console.print(Text("x", style="bold"))
        assert (ESC in stream.getvalue()) is escaped, (type(stream), colour)


def _on_a_terminal(args: list[str], env: dict[str, str]) -> bytes:
    """What chrono writes on a terminal (a pty), read with a timeout."""
    import pty
    import select

    pid, fd = pty.fork()
    if pid == 0:  # the child: chrono on the terminal
        os.execvpe(sys.executable, [sys.executable, "-m", "chrono", *args], env)
    chunks: list[bytes] = []
    try:  # until the terminal closes, or 30 s without a byte
        while select.select([fd], [], [], 30)[0] and (chunk := _read(fd)):
            chunks.append(chunk)
    finally:
        os.waitpid(pid, 0)
        os.close(fd)
    return b"".join(chunks)


def _read(fd: int) -> bytes:
    """What the terminal has to read; nothing once its other end is closed."""
    try:
        return os.read(fd, 4096)
    except OSError:  # EIO: the child is gone
        return b""


@pytest.mark.parametrize(
    ("choice", "env", "coloured"),
    [([], {}, True), (["--color", "never"], {}, False), ([], {"NO_COLOR": "1"}, False)],
)
def test_on_a_terminal_colour_is_the_default_and_the_pager_still_runs(
    tmp_path: Path, choice: list[str], env: dict[str, str], coloured: bool
) -> None:
    """On a terminal the output has colour unless told not to; either way it is paged."""
    paged = tmp_path / "paged.txt"
    base = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    full = {**base, "TERM": "xterm", "PAGER": f"cat > {paged}", **env}
    _on_a_terminal([*choice, "list", "-f", str(ROOT / "events.toml")], full)
    shown = paged.read_text()
    assert "Witkoff" in shown
    assert (ESC in shown) is coloured


@pytest.mark.parametrize("env", [{"FORCE_COLOR": "1"}, {}])
def test_forced_colour_into_a_pipe_starts_no_pager(env: dict[str, str]) -> None:
    """Colour forced into a pipe (`--color always`, FORCE_COLOR) does not make it a terminal:
    the answer goes to the pipe, not through the pager."""
    result = _piped(
        "--color", "always", "list", "--pager", "-f", str(ROOT / "events.toml"),
        env={**env, "PAGER": "echo paged"},
    )  # fmt: skip
    assert "Witkoff" in result.stdout and "paged" not in result.stdout
