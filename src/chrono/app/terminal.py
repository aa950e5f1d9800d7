"""Where the command line writes: the answer on stdout, its notes on stderr, its wording.

Commands write only through these, so a note is always ``chrono: ...`` on stderr and the
answer is always stdout's.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

from chrono.app.status import NO_MATCH, ExitStatus

if TYPE_CHECKING:
    from pathlib import Path

    from chrono.app.settings import Settings
    from chrono.core.errors import ChronoError


def write(text: str) -> None:
    """The answer, on stdout."""
    sys.stdout.write(text)


def write_bytes(data: bytes) -> None:
    """The answer as bytes (an export), on stdout, after any text already written."""
    sys.stdout.flush()
    sys.stdout.buffer.write(data)


def say(line: str) -> None:
    """A line on stderr (a diagnostic, a summary), as click echoes it."""
    import typer  # noqa: PLC0415 - loaded already: this runs inside a command

    typer.echo(line, err=True)


def note(text: str) -> None:
    """A note for the user on stderr: ``chrono: text``."""
    say(f"chrono: {text}")


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


def console(settings: Settings) -> Any:
    """A console for this run's terminal: its width and whether it has colour."""
    from chrono.output import render  # noqa: PLC0415

    return render.make_console(width=settings.width, colour=settings.colour)


def bad_choice(option: str, value: str, choices: tuple[str, ...]) -> ChronoError:
    """The usage error for a value that is not one of an option's choices."""
    from chrono.core.errors import UsageError  # noqa: PLC0415

    return UsageError(f"{option}: {value!r} is not one of {', '.join(choices)}")
