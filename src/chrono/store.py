"""Reading the event log: find it, read its bytes safely, parse, validate.

Every failure becomes a :class:`~chrono.errors.Diagnostic` naming the file, line and
column; nothing here lets a traceback reach the user.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

from chrono.errors import Diagnostic, LogError, UsageError
from chrono.model import Chronology, build
from chrono.positions import scan

LOG_NAME = "events.toml"
BOM = "\ufeff"


def discover(explicit: str | None, cwd: Path | None = None) -> Path:
    """The log to use: ``--file``, else ``CHRONO_FILE``, else the nearest ``events.toml`` upward."""
    if explicit:
        return Path(explicit)
    env = os.environ.get("CHRONO_FILE")
    if env:
        return Path(env)
    here = (cwd or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        candidate = folder / LOG_NAME
        if candidate.is_file():
            return candidate.relative_to(here) if candidate.is_relative_to(here) else candidate
    raise UsageError(
        f"no {LOG_NAME} found in this directory or any parent; "
        "name one with --file PATH or CHRONO_FILE, or create one with 'chrono init'"
    )


def read_text(path: Path) -> str:
    """The log's text, decoded as UTF-8 (a leading BOM is accepted and dropped)."""
    shown = str(path)

    def fail(message: str, line: int = 0, column: int = 0) -> LogError:
        return LogError([Diagnostic(shown, line, column, "error", "read", message)])

    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise fail("no such file") from None
    except IsADirectoryError:
        raise fail("is a directory, not an event log") from None
    except PermissionError:
        raise fail("permission denied: cannot read the file") from None
    except OSError as exc:
        raise fail(f"cannot read the file: {exc.strerror or exc}") from None
    nul = data.find(b"\x00")
    if nul >= 0:
        line, column = _place_of(data, nul)
        raise fail("NUL byte in the file: is this a binary file, or UTF-16?", line, column)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, column = _place_of(data, exc.start)
        bad = data[exc.start : exc.start + 1].hex()
        raise fail(
            f"not valid UTF-8 (byte 0x{bad}); save the file as UTF-8", line, column
        ) from None
    return text.removeprefix(BOM)


def _place_of(data: bytes, offset: int) -> tuple[int, int]:
    line_start = data.rfind(b"\n", 0, offset) + 1
    column = len(data[line_start:offset].decode("utf-8", "replace")) + 1
    return data.count(b"\n", 0, offset) + 1, column


_TOML_POSITION = re.compile(r"\s*\(at line (\d+), column (\d+)\)$")
_TOML_END = re.compile(r"\s*\(at end of document\)$")
_TOML_KEY = re.compile(r"\((?:'[^']*', ?)+(?:'[^']*')?\)")


def _toml_key(match: re.Match[str]) -> str:
    """tomllib names keys as Python tuples, ``('actors', 'putin')``; show ``[actors.putin]``."""
    return "[" + ".".join(re.findall(r"'([^']*)'", match[0])) + "]"


def parse_toml(text: str, shown: str) -> dict[str, Any]:
    """Parse TOML text; syntax errors become one ``FILE:LINE:COL`` diagnostic."""
    import tomllib  # noqa: PLC0415 - keep start-up light for commands that never parse

    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        line, column = 0, 0
        match = _TOML_POSITION.search(message)
        if match:
            line, column = int(match[1]), int(match[2])
            message = message[: match.start()]
        elif _TOML_END.search(message):
            message = _TOML_END.sub("", message)
            line = text.count("\n") + 1
            column = len(text) - (text.rfind("\n") + 1) + 1
        message = _TOML_KEY.sub(_toml_key, message[:1].lower() + message[1:])
        raise LogError(
            [Diagnostic(shown, line, column, "error", "syntax", f"invalid TOML: {message}")]
        ) from None
    except RecursionError:
        raise LogError(
            [Diagnostic(shown, 1, 1, "error", "syntax", "invalid TOML: nested too deeply")]
        ) from None


def check(path: Path) -> tuple[Chronology | None, list[Diagnostic]]:
    """Load and validate the log, returning every diagnostic (errors and warnings)."""
    shown = str(path)
    try:
        text = read_text(path)
        doc = parse_toml(text, shown)
    except LogError as exc:
        return None, exc.diagnostics
    return build(doc, shown, scan(text))


def load(path: Path) -> Chronology:
    """Load the log; raise :class:`LogError` with every error if it is not valid."""
    chronology, diagnostics = check(path)
    errors = [d for d in diagnostics if d.severity == "error"]
    if errors or chronology is None:
        raise LogError(errors)
    return chronology
