"""The exit-status table: every status chrono ends with, and which ending gives which.

A run ends in one of two ways: its command returns an :class:`ExitStatus`, or something
is raised. :func:`ending` is the one place that turns what was raised into a status and
the message on stderr, in this order:

=====================================  ===========================================  ======
raised                                 said on stderr                               status
=====================================  ===========================================  ======
``typer.Exit`` (--help, --version)     nothing more                                 its own
``SystemExit``                         a text code, as Python prints it             its own
``KeyboardInterrupt`` (Ctrl-C)         nothing                                      130
``Declined`` (Ctrl-D at a question)    nothing more: the command said it            1
``BrokenPipeError`` (``| head``)       nothing; the rest of the output is dropped   so far
``ChronoError``                        its lines                                    1 or 2
click's usage errors                   the usage line and the error                 2
``Abort``, ``EOFError`` (Ctrl-D)       ``Aborted!``                                 1
``OSError`` (the output is lost)       ``chrono: error: cannot write the output``   1
anything else (a bug)                  the traceback: it is raised again            1
=====================================  ===========================================  ======

Output that is still buffered when the process ends and cannot be written then is
:attr:`ExitStatus.LOST_OUTPUT` (see ``app/main.py``). Importing this module is cheap:
the error classes are imported only when an error is being reported.
"""

from __future__ import annotations

import contextlib
import enum
import os
import sys
from collections.abc import Iterator
from typing import Any, Final, NamedTuple, TextIO


class ExitStatus(enum.IntEnum):
    """What chrono's exit status means (as httpie's ``ExitStatus``)."""

    OK = 0
    ERROR = 1  # a bad log, a failed write, output that could not be written
    USAGE = 2  # bad command-line input: an option, a name, a date
    LOST_OUTPUT = 120  # the answer could not be flushed as chrono ended (as Python's own exit)
    INTERRUPTED = 130  # Ctrl-C: 128 + SIGINT, the shell's own status for it


CHECK_FAILED: Final = ExitStatus.ERROR  # `check` found an error (or, --strict, a warning)
NO_MATCH: Final = ExitStatus.OK  # "no events match" is an answer, not a failure


class Declined(Exception):
    """The user ended a command at one of its questions (Ctrl-D); the command said so."""


class ReaderGone(BrokenPipeError):
    """The reader of the output went away after the command knew its status."""

    def __init__(self, status: ExitStatus) -> None:
        super().__init__()
        self.status = status


@contextlib.contextmanager
def answering(status: ExitStatus) -> Iterator[None]:
    """Output written in this block whose reader goes away ends quietly with ``status``.

    ``chrono check 2>&1 | head -1`` on a broken log still fails: the status so far is 1.
    """
    try:
        yield
        sys.stdout.flush()  # what is still buffered is part of the answer
    except BrokenPipeError as exc:
        raise ReaderGone(status) from exc


def ending(exc: BaseException, stderr: TextIO) -> int:
    """The status a run ends with when ``exc`` is raised, after saying why on ``stderr``.

    Raises ``exc`` again when it is not in the table: a bug shows its traceback.
    """
    click = _click()
    if click is not None and isinstance(exc, click.exit):
        return int(exc.exit_code)
    if isinstance(exc, SystemExit):
        return _system_exit(exc, stderr)
    if isinstance(exc, KeyboardInterrupt):
        return ExitStatus.INTERRUPTED
    if isinstance(exc, Declined):
        return ExitStatus.ERROR
    if isinstance(exc, BrokenPipeError):
        _quiet_stdout()
        return exc.status if isinstance(exc, ReaderGone) else ExitStatus.OK
    from chrono.core.errors import ChronoError, UsageError  # noqa: PLC0415

    if isinstance(exc, ChronoError):
        _say(stderr, "".join(f"{line}\n" for line in exc.lines()))
        return ExitStatus.USAGE if isinstance(exc, UsageError) else ExitStatus.ERROR
    if click is not None and isinstance(exc, click.error):
        with contextlib.suppress(OSError):
            exc.show(file=stderr)
        return int(exc.exit_code)
    if isinstance(exc, EOFError) or (click is not None and isinstance(exc, click.abort)):
        _say(stderr, ("\n" if isinstance(exc, EOFError) else "") + "Aborted!\n")
        return ExitStatus.ERROR
    if isinstance(exc, OSError):  # `chrono list > /dev/full`, or stdout closed (`>&-`)
        where = f"{exc.filename}: " if exc.filename else "cannot write the output: "
        _say(stderr, f"chrono: error: {where}{exc.strerror or exc}\n")
        return ExitStatus.ERROR
    raise exc


class _Click(NamedTuple):
    exit: Any  # typer.Exit: its exit_code
    abort: Any  # typer.Abort
    error: Any  # click's ClickException (usage errors and the like): show() and exit_code


def _click() -> _Click | None:
    """The command line's own exceptions, once it has loaded (None before)."""
    typer = sys.modules.get("typer")
    if typer is None:
        return None
    try:
        from typer._click.exceptions import ClickException  # noqa: PLC0415
    except ImportError:  # a Typer that uses the click package itself
        from click.exceptions import ClickException  # type: ignore[no-redef,import-not-found,assignment,unused-ignore]  # noqa: PLC0415
    return _Click(typer.Exit, typer.Abort, ClickException)


def _system_exit(exc: SystemExit, stderr: TextIO) -> int:
    if exc.code is None:
        return ExitStatus.OK
    if isinstance(exc.code, int):
        return exc.code
    _say(stderr, f"{exc.code}\n")
    return ExitStatus.ERROR


def _say(stderr: TextIO, text: str) -> None:
    with contextlib.suppress(OSError, ValueError):  # nowhere to say it: the status still tells
        stderr.write(text)
        stderr.flush()


def _quiet_stdout() -> None:
    """The reader went away (``chrono list | head -1``): the rest of the output goes nowhere."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    with contextlib.suppress(OSError, ValueError, AttributeError):
        os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)
