"""Errors and diagnostics: the one vocabulary every layer uses to say what went wrong."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal, NamedTuple

Severity = Literal["error", "warning"]


class Diagnostic(NamedTuple):
    """One problem in a log file, with the place it was found."""

    path: str
    line: int
    column: int
    severity: Severity
    code: str
    message: str
    event: str | None = None
    field: str | None = None

    def __str__(self) -> str:
        place = f"{self.path}:{self.line}:{self.column}" if self.line else self.path
        return f"{place}: {self.severity}: {self.message}"

    def as_dict(self) -> dict[str, object]:
        """The diagnostic as plain data for ``--format json``."""
        return {
            "file": self.path,
            "line": self.line,
            "column": self.column,
            "severity": self.severity,
            "code": self.code,
            "message": self.message,
            "event": self.event,
            "field": self.field,
        }


class ChronoError(Exception):
    """Base of every error chrono reports to the user; never shown as a traceback."""

    def lines(self) -> list[str]:
        """The message lines to print on stderr."""
        return [f"chrono: error: {self}"]


class UsageError(ChronoError):
    """Bad command-line input: a wrong option value, an unknown name, an unparsable date."""


class DateError(UsageError):
    """A date that cannot be parsed or does not exist."""


class LogError(ChronoError):
    """The event log cannot be read or is not valid; carries the diagnostics."""

    def __init__(self, diagnostics: Iterable[Diagnostic]) -> None:
        self.diagnostics = list(diagnostics)
        super().__init__("\n".join(str(d) for d in self.diagnostics))

    def lines(self) -> list[str]:
        return [str(d) for d in self.diagnostics]


class WriteError(ChronoError):
    """The event log could not be written; the file on disk is unchanged."""


class GitError(ChronoError):
    """Git could not answer: not installed, not a repository, a command that failed."""
