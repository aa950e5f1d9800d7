"""Reading the log: its bytes, decoded as UTF-8, parsed as TOML, every failure a diagnostic.

Every failure becomes a :class:`~chrono.core.errors.Diagnostic` naming the file, line and
column; nothing here lets a traceback reach the user.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from chrono.core.errors import Diagnostic, LogError

BOM = "\ufeff"


def real_path(path: Path) -> Path:
    """``path`` with every symbolic link followed, as ``Path.resolve`` gives it, but a loop
    of links is left for the next ``stat`` or ``open`` to report (ELOOP), never raised."""
    import os  # noqa: PLC0415

    return Path(os.path.realpath(path))


def read_text(path: Path) -> str:
    """The log's text, decoded as UTF-8 (a leading BOM is accepted and dropped)."""
    return decode(read_bytes_checked(path), str(path))


def _fail(shown: str, message: str, line: int = 0, column: int = 0) -> LogError:
    return LogError([Diagnostic(shown, line, column, "error", "read", message)])


def read_bytes_checked(path: Path) -> bytes:
    from chrono.storage.journal import settle  # noqa: PLC0415

    settle(path)
    shown = str(path)

    def fail(message: str) -> LogError:
        return _fail(shown, message)

    try:
        return _read(path, shown)
    except LogError:
        raise
    except FileNotFoundError:
        raise fail("no such file") from None
    except IsADirectoryError:
        raise fail("is a directory, not an event log") from None
    except PermissionError:
        raise fail("permission denied: cannot read the file") from None
    except OSError as exc:
        raise fail(f"cannot read the file: {exc.strerror or exc}") from None


PIPE_WAIT = 10.0  # seconds a pipe may stay silent before chrono stops waiting for it


def _read(path: Path, shown: str) -> bytes:
    """The file's bytes. A pipe (``<(git show HEAD:events.toml)``, a FIFO) is read as its
    writer sends it, but never waited on for more than :data:`PIPE_WAIT` seconds of silence:
    a FIFO nobody writes to is an error, not a hang. Opening never blocks (O_NONBLOCK)."""
    import os  # noqa: PLC0415
    import select  # noqa: PLC0415
    import stat  # noqa: PLC0415

    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    try:
        if not stat.S_ISFIFO(os.fstat(fd).st_mode):
            os.set_blocking(fd, True)
            with os.fdopen(os.dup(fd), "rb") as handle:
                return handle.read()
        chunks: list[bytes] = []
        while True:
            ready, _, _ = select.select([fd], [], [], PIPE_WAIT)
            if not ready:
                silence = f"{PIPE_WAIT:.0f} s"
                raise _fail(shown, f"is a pipe that sent nothing for {silence}; read nothing")
            try:
                chunk = os.read(fd, 1 << 16)
            except BlockingIOError:
                continue
            if not chunk:
                return b"".join(chunks)
            chunks.append(chunk)
    finally:
        os.close(fd)


def decode(data: bytes, shown: str) -> str:
    def fail(message: str, line: int = 0, column: int = 0) -> LogError:
        return _fail(shown, message, line, column)

    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # what Windows editors call "Unicode"
        raise fail(
            "the file is UTF-16 (it starts with a UTF-16 byte-order mark); save it as UTF-8", 1, 1
        )
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


def _toml_parser() -> Any:
    """The compiled tomli where installed (tomllib's parser, about 3x faster), else tomllib."""
    try:
        import tomli  # noqa: PLC0415

        return tomli
    except ImportError:
        import tomllib  # noqa: PLC0415

        return tomllib


def parse_toml(text: str, shown: str) -> dict[str, Any]:
    """Parse TOML text; syntax errors become one ``FILE:LINE:COL`` diagnostic."""
    toml = _toml_parser()
    try:
        return toml.loads(text)  # type: ignore[no-any-return]
    except toml.TOMLDecodeError as exc:
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
        message = _json_instead(text, shown) or f"invalid TOML: {message}"
        syntax = Diagnostic(shown, line, column, "error", "syntax", message)
        raise LogError(_conflicts_instead(text, shown, syntax)) from None
    except RecursionError:
        raise LogError(
            [Diagnostic(shown, 1, 1, "error", "syntax", "invalid TOML: nested too deeply")]
        ) from None


def _conflicts_instead(text: str, shown: str, syntax: Diagnostic) -> list[Diagnostic]:
    """The unresolved merge conflicts in text that is not TOML, one error each (with the
    syntax error too when it is not on a conflict's lines); else just the syntax error.

    A marker line outside a block is one only where the parser stopped: elsewhere it may
    be the text of a string."""
    from chrono.storage import conflicts  # noqa: PLC0415 - only a file that fails to parse

    found = [
        conflict
        for conflict in conflicts.find(text)
        if conflict.complete or conflict.start == syntax.line
    ]
    if not any(conflict.start <= syntax.line <= conflict.end for conflict in found):
        return sorted([*conflicts.diagnostics(found, shown), syntax], key=lambda d: d.line)
    return conflicts.diagnostics(found, shown)


def _json_instead(text: str, shown: str) -> str | None:
    """What to say of a file that is not TOML because it is JSON (text that parses as a JSON
    object or array, or starts with ``{``, or a ``.json`` name), such as the output of
    ``chrono export json``; None for any other file, whose TOML error is the message."""
    import json  # noqa: PLC0415 - only a file that fails to parse gets here

    try:
        doc = json.loads(text)
    except (ValueError, RecursionError):
        doc = None
    if isinstance(doc, dict) and doc.get("format") == "chrono":
        what = "this is a JSON export of chrono (chrono export json)"
    elif isinstance(doc, dict | list) or text.lstrip().startswith("{"):
        what = "this is JSON"
    elif shown.lower().endswith(".json"):
        what = "this is a .json file"
    else:
        return None
    return f"{what}, not an event log: chrono reads its log from a TOML file"


@contextlib.contextmanager
def no_gc(freeze: bool) -> Iterator[None]:
    """Pause the cyclic garbage collector while building many objects that all survive.

    With ``freeze`` (the chrono command) they are then frozen out of its reach: the next
    full collection would otherwise walk every one of them (0.3 s on 100,000 events) to
    find no garbage.
    (Frozen objects are still freed when the last reference to them goes, but frozen
    cycles never are: a long-lived program using chrono as a library is left alone.)
    """
    import gc  # noqa: PLC0415

    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if freeze:
            gc.freeze()
        if enabled:
            gc.enable()
