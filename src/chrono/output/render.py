"""Terminal output: the console and the pager, and what is drawn on them.

Only this module and the ones it draws with (:mod:`~chrono.output.timeline`,
:mod:`~chrono.output.tables`, :mod:`~chrono.output.detail`, :mod:`~chrono.output.lines`)
import rich; commands import this one and call the functions it names.

Text from the log is data, never markup: it goes into rich ``Text`` objects (which
never parse ``[bold]`` or ``:smile:``), after :func:`clean` has made control
characters, escape sequences and bidi overrides visible and harmless.
"""

from __future__ import annotations

import contextlib
import os
import re
import sys
from collections.abc import Iterator, Mapping
from typing import IO

from rich.console import Console

from chrono.output.detail import actor_detail, show
from chrono.output.tables import actors_table, pairs_table, table
from chrono.output.timeline import timeline

__all__ = [
    "actor_detail",
    "actors_table",
    "make_console",
    "paged",
    "pairs_table",
    "show",
    "table",
    "timeline",
]


class _Trimmed:
    """A text stream that drops the trailing blanks rich pads table cells with."""

    # Possessive, and only from the start of a run of blanks: linear in the text (a
    # backtracking " +" cost seconds on a 20,000-row table of padded cells).
    _PAD = re.compile(r"(?<! ) ++((?:\x1b\[[0-9;]*+m)*+)\n")

    def __init__(self, stream: IO[str], *, terminal: bool | None = None) -> None:
        self._stream = stream
        self._terminal = terminal  # a pager's pipe ends on the terminal

    def write(self, text: str) -> int:
        self._stream.write(self._PAD.sub(r"\1\n", text))
        return len(text)

    def flush(self) -> None:
        self._stream.flush()

    def isatty(self) -> bool:
        if self._terminal is not None:
            return self._terminal
        try:
            return self._stream.isatty()
        except (OSError, ValueError):  # a closed stream is no terminal
            return False

    @property
    def encoding(self) -> str:
        """The stream's encoding: rich draws ASCII boxes where it is not UTF-8."""
        return getattr(self._stream, "encoding", None) or "utf-8"

    def fileno(self) -> int:
        return self._stream.fileno()


class _Console(Console):
    """A console that stops quietly, with status 0, when its reader goes away."""

    def on_broken_pipe(self) -> None:
        self.quiet = True  # nothing more to draw; the command line ends with the status so far
        raise BrokenPipeError


def make_console(
    file: IO[str] | None = None, width: int | None = None, *, colour: bool | None = None
) -> Console:
    """A console with colour (and links) when ``colour`` says so, or, when None, when it
    writes to a terminal; plain text otherwise.

    The environment's ``FORCE_COLOR`` and ``NO_COLOR`` are the caller's to read (they come
    in as ``colour``): rich does not read them again. ``width`` 0 (``COLUMNS=0``) is the
    terminal's width: rich would print nothing.
    """
    stream = _Trimmed(file or sys.stdout)
    if colour is None:
        colour = stream.isatty()
    if width == 0:
        width = _terminal_width()
    console = _coloured(stream, width, "auto") if colour else _coloured(stream, width, None)
    if colour and console.color_system is None:  # forced where TERM names no colours
        console = _coloured(stream, width, "standard")
    return console


def _coloured(stream: _Trimmed, width: int | None, system: str | None) -> Console:
    return _Console(
        file=stream,  # type: ignore[arg-type]
        width=width,
        color_system=system,  # type: ignore[arg-type]
        force_terminal=system is not None or stream.isatty(),
        no_color=False,
        highlight=False,
        emoji=False,
        markup=False,
        soft_wrap=False,
    )


def _terminal_width() -> int:
    try:
        return os.get_terminal_size(sys.__stdout__.fileno()).columns or 80  # type: ignore[union-attr]
    except (AttributeError, OSError, ValueError):
        return 80


@contextlib.contextmanager
def paged(
    console: Console, wanted: bool, command: str, environ: Mapping[str, str]
) -> Iterator[None]:
    """Send the output through ``command`` (``$PAGER``) when asked and stdout is a terminal.

    The pager gets the output as it is printed, so its first page shows at once on a big
    log; quitting it early ends chrono quietly.
    """
    if not (wanted and console.file.isatty()):  # the output's own, whatever its colour
        yield
        return
    import subprocess  # noqa: PLC0415

    if not _runnable(command):  # a pager that is not there (no less here): print directly
        yield
        return
    env = {"LESS": "FRX", **environ}  # let less show colours, and quit on one screen
    try:
        pager = subprocess.Popen(  # noqa: S602 - $PAGER is a shell command, as git runs it
            command,
            shell=True,
            env=env,
            stdin=subprocess.PIPE,
            encoding=getattr(sys.stdout, "encoding", None) or "utf-8",
            errors="replace",
        )
    except OSError:  # no pager to run: print directly
        yield
        return
    assert pager.stdin is not None
    screen = console.file
    console.file = _Trimmed(pager.stdin, terminal=True)  # type: ignore[assignment]
    try:
        yield
    finally:
        console.file = screen
        with contextlib.suppress(OSError):
            pager.stdin.close()
        while True:
            try:
                pager.wait()
                break
            except KeyboardInterrupt:  # Ctrl-C is the pager's to handle
                continue


def _runnable(command: str) -> bool:
    """Whether the program a plain pager command names (``less -R``) is there to run; a
    command with shell syntax in it is the shell's to judge."""
    import shutil  # noqa: PLC0415

    words = command.split()
    if not words or any(c in command for c in "|&;<>()$`\\\"'=*?~"):
        return bool(words)
    return shutil.which(words[0]) is not None
