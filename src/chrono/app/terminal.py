"""Where the command line writes: the answer on stdout, its notes on stderr, its wording.

Commands write only through these, so a note is always ``chrono: ...`` on stderr and the
answer is always stdout's. Every message passes :func:`~chrono.output.safe_text.clean` here,
whichever layer built it, so a name from the log or the command line quoted in it cannot
drive the terminal; the answer's text passes :func:`~chrono.output.safe_text.answer_text`.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, TextIO, cast

from chrono.app.status import NO_MATCH, ExitStatus
from chrono.output.safe_text import answer_text, clean

if TYPE_CHECKING:
    from pathlib import Path

    from chrono.app.settings import Settings
    from chrono.core.errors import ChronoError


def write(text: str) -> None:
    """The answer, on stdout (what the log or the command line put in it made safe)."""
    sys.stdout.write(answer_text(text))


def write_bytes(data: bytes) -> None:
    """The answer as bytes (an export), on stdout, after any text already written."""
    sys.stdout.flush()
    sys.stdout.buffer.write(data)


def say(line: str) -> None:
    """A line on stderr (a diagnostic, a summary), as click echoes it, made safe to show."""
    import typer  # noqa: PLC0415 - loaded already: this runs inside a command

    typer.echo(clean(line, multiline=True), err=True)


def note(text: str) -> None:
    """A note for the user on stderr: ``chrono: text``."""
    say(f"chrono: {text}")


def safe_stream(stream: TextIO) -> TextIO:
    """``stream``, writing what it is given made safe to show (:func:`clean`): for the
    messages of errors, whoever writes them (click's usage errors among them)."""
    return cast("TextIO", SafeStream(stream))


class SafeStream:
    """A text stream that writes what it is given made safe to show (:func:`clean`)."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        self._stream.write(clean(text, multiline=True))
        return len(text)

    def flush(self) -> None:
        self._stream.flush()

    def isatty(self) -> bool:
        return self._stream.isatty()

    def __getattr__(self, name: str) -> Any:  # encoding, fileno ...: the stream's own
        return getattr(self._stream, name)


def opened(path: Path) -> Path:
    """The log a command is about to read, once a change a crash interrupted is finished
    (and said)."""
    from chrono.operations.reading import finish_interrupted  # noqa: PLC0415

    recovered = finish_interrupted(path)
    if recovered is not None:
        say(recovered)
    return path


def matched(count: int) -> ExitStatus:
    """The status of an answer of ``count`` events; that none match is said on stderr."""
    if count:
        return ExitStatus.OK
    note("no events match")
    return NO_MATCH


def stdin_is_tty() -> bool:
    """Whether a command can ask the user something: stdin is a terminal. (Each command
    module binds this name, so tests can stand a terminal in for one command.)"""
    return sys.stdin.isatty()


@contextlib.contextmanager
def viewed(settings: Settings, pager: bool | None) -> Iterator[Any]:
    """A console for a view of the terminal, paged as git pages (unless ``--no-pager``, or
    no pager is set, or the output is not a terminal)."""
    from chrono.output import render  # noqa: PLC0415

    shown = console(settings)
    wanted = pager is not False and bool(settings.pager)
    with render.paged(shown, wanted, settings.pager, settings.environ):
        yield shown


def console(settings: Settings) -> Any:
    """A console for this run's terminal: its width, and colour as ``--color``, ``NO_COLOR``,
    ``FORCE_COLOR`` or the terminal say (:func:`~chrono.app.settings.colour_wanted`)."""
    from chrono.output import render  # noqa: PLC0415

    return render.make_console(width=settings.width, colour=settings.colour)


def bad_choice(option: str, value: str, choices: tuple[str, ...]) -> ChronoError:
    """The usage error for a value that is not one of an option's choices."""
    from chrono.core.errors import UsageError  # noqa: PLC0415

    return UsageError(f"{option}: {value!r} is not one of {', '.join(choices)}")
