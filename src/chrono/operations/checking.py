"""Checking the log: every diagnostic, the counts, and whether the check failed."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from chrono.core.errors import Diagnostic


class Report(NamedTuple):
    """What ``chrono check`` found in one log."""

    path: Path
    diagnostics: list[Diagnostic]  # in the order of the file
    events: int | None  # None: the log could not be read as TOML at all
    actors: int | None
    errors: int
    warnings: int
    failed: bool  # an error, or with ``strict`` a warning


def check(path: Path, *, strict: bool = False, data: bytes | None = None) -> Report:
    """Read and validate the log at ``path`` (always the file itself, never the index);
    or, given ``data``, those bytes (standard input) as the log named ``path``."""
    from chrono.storage import store  # noqa: PLC0415 - lazy: keeps --help fast

    found = store.check(path, data)
    diagnostics = found.diagnostics
    errors = sum(d.severity == "error" for d in diagnostics)
    warnings = len(diagnostics) - errors
    return Report(
        path=path,
        diagnostics=diagnostics,
        events=found.events,  # what the file holds, valid or not
        actors=found.actors,
        errors=errors,
        warnings=warnings,
        failed=errors > 0 or (strict and warnings > 0),
    )
