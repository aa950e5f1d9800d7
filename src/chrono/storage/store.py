"""The event log on disk: find it, read it safely, and append to it without losing a byte.

Every failure becomes a :class:`~chrono.errors.Diagnostic` naming the file, line and
column; nothing here lets a traceback reach the user.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any, NamedTuple, Protocol

from chrono.core.actors import Registry
from chrono.core.errors import ChronoError, Diagnostic, LogError, WriteError
from chrono.core.model import Chronology, Event, build, duplicates
from chrono.storage.fingerprint import (
    Fingerprint,
    Hashed,
    Hashing,
    fingerprint_of,
    hash_file,
    identity,
)
from chrono.storage.indexing import CacheSettings
from chrono.storage.journal import fsync_dir
from chrono.storage.positions import LazyPositions

BOM = "\ufeff"


def read_text(path: Path) -> str:
    """The log's text, decoded as UTF-8 (a leading BOM is accepted and dropped)."""
    return _decode(_read_bytes_checked(path), str(path))


def _fail(shown: str, message: str, line: int = 0, column: int = 0) -> LogError:
    return LogError([Diagnostic(shown, line, column, "error", "read", message)])


def _read_bytes_checked(path: Path) -> bytes:
    from chrono.storage.journal import settle  # noqa: PLC0415

    settle(path)
    shown = str(path)

    def fail(message: str) -> LogError:
        return _fail(shown, message)

    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise fail("no such file") from None
    except IsADirectoryError:
        raise fail("is a directory, not an event log") from None
    except PermissionError:
        raise fail("permission denied: cannot read the file") from None
    except OSError as exc:
        raise fail(f"cannot read the file: {exc.strerror or exc}") from None


def _decode(data: bytes, shown: str) -> str:
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
        raise LogError(
            [Diagnostic(shown, line, column, "error", "syntax", f"invalid TOML: {message}")]
        ) from None
    except RecursionError:
        raise LogError(
            [Diagnostic(shown, 1, 1, "error", "syntax", "invalid TOML: nested too deeply")]
        ) from None


@contextlib.contextmanager
def _no_gc(freeze: bool) -> Iterator[None]:
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


def check(path: Path) -> tuple[Chronology | None, list[Diagnostic]]:
    """Load and validate the log, returning every diagnostic (errors and warnings)."""
    shown = str(path)
    try:
        text = read_text(path)
        doc = parse_toml(text, shown)
    except LogError as exc:
        return None, exc.diagnostics
    chronology, diagnostics = build(doc, shown, LazyPositions(text))
    diagnostics += duplicates(chronology)
    return chronology, sorted(diagnostics, key=lambda d: (d.line, d.column))


def load(path: Path, *, freeze: bool = False) -> Chronology:
    """Load the log; raise :class:`LogError` with every error if it is not valid.

    ``freeze``: the caller is a short-lived process whose model lives until it exits.
    """
    return _load_text(path, read_text(path), freeze)[0]


def _load_text(path: Path, text: str, freeze: bool = False) -> tuple[Chronology, bool]:
    """Parse and validate text read from ``path``; also whether [[events]] can be appended."""
    shown = str(path)
    positions = LazyPositions(text)
    with _no_gc(freeze):
        doc = parse_toml(text, shown)
        chronology, diagnostics = build(doc, shown, positions, lint=False)
    errors = [d for d in diagnostics if d.severity == "error"]
    if errors:
        raise LogError(errors)
    return chronology, _appendable(doc, positions)


def _appendable(doc: dict[str, Any], positions: LazyPositions) -> bool:
    """Whether an ``[[events]]`` table can be appended: every event was written as one.

    ``events = []`` (or any inline array) is not: TOML forbids adding tables to it.
    """
    raw_events = doc.get("events", [])
    if not isinstance(raw_events, list) or ("events" in doc and not raw_events):
        return False
    return positions.headers_found(len(raw_events))


def load_for_index(path: Path, *, freeze: bool = False) -> tuple[Chronology, Any, int | None]:
    """Load the log from bytes read once, with the fingerprint of exactly those bytes.

    Also the bytes' line breaks, when an ``[[events]]`` table can be appended to them.
    """
    data = _read_bytes_checked(path)
    text = _decode(data, str(path))
    chronology, appendable = _load_text(path, text, freeze)
    try:
        fp = fingerprint_of(path, data)
    except OSError:
        fp = None
    return chronology, fp, data.count(b"\n") if appendable else None


# -- appending: the only way chrono writes the log ----------------------------------


class Addition(NamedTuple):
    """What to append: one event's fields, and any new ``[actors.<key>]`` tables."""

    event: dict[str, Any]
    actors: dict[str, dict[str, Any]]  # key -> fields of a new [actors.<key>] table


class Book(Protocol):
    """What preparing an addition needs to know of the log."""

    @property
    def tz(self) -> dt.tzinfo: ...

    @property
    def registry(self) -> Registry: ...

    def line_of(self, event_id: str) -> int | None: ...

    def starting(self, start: int, stop: int) -> list[Event]: ...


class Appended(NamedTuple):
    """The outcome of an append: the text added, and the log as it now is."""

    text: str
    chronology: Chronology
    event_id: str


def append(
    path: Path,
    prepare: Callable[[Book], Addition],
    cache: CacheSettings,
    *,
    dry_run: bool = False,
    hashing: Hashing | None = None,
) -> Appended:
    """Append an event (and new actors) to the log as text, atomically and under a lock.

    The log is loaded and validated first; ``prepare`` turns it into the addition
    (it runs under the lock, so generated ids cannot collide with a concurrent
    writer's). Every existing byte is kept. The new text is parsed again and must hold
    exactly the one new event; otherwise nothing is written. ``hashing``, a hash of the
    log already under way, lets the index be checked sooner; it is always cancelled.
    """
    from chrono.storage import journal  # noqa: PLC0415 - only writers need it

    shown = str(path)
    real = check_appendable(path)
    with journal.writer_lock(real, shown):
        journal.recover(real, shown)
        if cache.enabled:
            hashing = hashing or Hashing(real)  # hashes the log while the addition is prepared
            try:
                fast = _append_via_index(path, real, prepare, cache.folder, dry_run, hashing)
            finally:
                hashing.cancel()  # no thread outlives the append (a rebuild may fork)
            if fast is not None:
                return fast
        elif hashing is not None:
            hashing.cancel()
        before = _stat(real, shown)
        data = _read_bytes(real, shown)
        chronology = _load_text(path, _decode(data, shown))[0]
        addition = prepare(chronology)
        text = serialise(addition)
        added = _to_append(data, data[-4:], text).encode("utf-8")
        new_data = data + added
        after, appendable = _verify(path, new_data, chronology, addition)
        if not dry_run:
            if _stat(real, shown) != before:
                raise WriteError(f"{shown}: the file changed while adding; nothing written")
            journal.append_bytes(real, len(data), added, shown)
            _reindex(path, real, new_data, after, appendable, cache)
        return Appended(text, after, addition.event["id"])


def serialise(addition: Addition) -> str:
    """The TOML text of an addition: actor tables first, then the ``[[events]]`` table."""
    blocks = [_table(f"[actors.{key}]", table) for key, table in addition.actors.items()]
    blocks.append(_table("[[events]]", addition.event))
    return "\n".join(blocks)


def _table(header: str, values: dict[str, Any]) -> str:
    lines = [header]
    lines += [f"{key} = {toml_value(value)}" for key, value in values.items()]
    return "\n".join(lines) + "\n"


def toml_value(value: Any) -> str:
    """One value as TOML, serialised by tomli-w; arrays of strings stay on one line."""
    import tomli_w  # noqa: PLC0415 - only add needs it

    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    return tomli_w.dumps({"v": value}).removeprefix("v = ").rstrip("\n")


def _to_append(head: bytes, tail: bytes, text: str) -> str:
    """The text to add to a log: a separator, then ``text`` in the file's line endings.

    ``head`` is the log's start, holding at least its first line (or all of it, when the
    log is blank); ``tail`` is its last four bytes.
    """
    first_line = head[: head.find(b"\n") + 1 or len(head)]
    newline = "\r\n" if b"\r\n" in first_line else "\n"
    return _separator(head, tail, newline) + text.replace("\n", newline)


def _separator(head: bytes, tail: bytes, newline: str) -> str:
    if not head or head.isspace():
        return ""
    if not tail.endswith(b"\n"):
        return newline * 2
    if tail.endswith((b"\n\n", b"\r\n\r\n")):
        return ""
    return newline


def _verify(
    path: Path, new_data: bytes, before: Chronology, addition: Addition
) -> tuple[Chronology, bool]:
    """Parse the new text; it must hold exactly the old events plus the new one."""
    shown = str(path)
    text = new_data.decode("utf-8").removeprefix(BOM)
    try:
        doc = parse_toml(text, shown)
    except LogError as exc:
        raise WriteError(
            f"{shown}: appending would break the file ({exc.diagnostics[0].message}); "
            "nothing written"
        ) from None
    raw_events = doc.get("events", [])
    raw_actors = doc.get("actors", {})
    if (
        not isinstance(raw_events, list)
        or len(raw_events) != len(before.events) + 1
        or raw_events[-1] != addition.event
        or any(raw_actors.get(k) != v for k, v in addition.actors.items())
    ):
        raise WriteError(
            f"{shown}: the appended text would not read back as the event given; nothing written"
        )
    positions = LazyPositions(text)
    after, diagnostics = build(doc, shown, positions, lint=False)
    errors = [d for d in diagnostics if d.severity == "error"]
    if errors:
        raise WriteError(f"{errors[0]} (in the event to add); nothing written")
    return after, _appendable(doc, positions)


def _reindex(
    path: Path,
    real: Path,
    data: bytes,
    chronology: Chronology,
    appendable: bool,
    cache: CacheSettings,
) -> None:
    """Index the log just written, so that the next query is warm (never fails)."""
    from chrono.storage.indexing import build_soon  # noqa: PLC0415

    if not cache.enabled:
        return
    with contextlib.suppress(Exception):  # the index is an optimisation
        newlines = data.count(b"\n") if appendable else None
        build_soon(path, cache, fingerprint_of(real, data), chronology, newlines)


class _IndexBook:
    """A :class:`Book` answered by the index."""

    def __init__(self, found: Any) -> None:
        self.found = found
        self.tz = found.tz
        self.registry = found.registry

    def line_of(self, event_id: str) -> int | None:
        return self.found.has_id(event_id)  # type: ignore[no-any-return]

    def starting(self, start: int, stop: int) -> list[Event]:
        return self.found.starting(start, stop)  # type: ignore[no-any-return]


def _append_via_index(
    path: Path,
    real: Path,
    prepare: Callable[[Book], Addition],
    folder: Path,
    dry_run: bool,
    hashing: Hashing,
) -> Appended | None:
    """Append using the index instead of parsing the log, when it is valid for these bytes.

    The old bytes are the ones indexed (same size, mtime, inode and SHA-1), and the index
    knows every event was written as an [[events]] table, so the old text is valid TOML to
    which an [[events]] table can be appended. The new block is parsed on its own and
    validated against the registry; the index is then updated in place. Returns None
    whenever the careful path (parse everything) should be taken instead.
    """
    shown = str(path)
    try:
        from chrono.storage import index  # noqa: PLC0415

        found = index.Index.open(path, folder, hashing, later=True)
    except Exception:
        found = None
    if found is None:
        return None

    confirmed: list[Hashed] = []

    def hashed() -> Hashed:  # the log as it is now, with the lock held
        if not confirmed:
            early = hashing.hashed()
            if early.identity != _stat(real, shown):  # written to since it was read
                again = hash_file(real)
                assert again is not None  # only a stop request cuts a hash short
                early = again
            confirmed.append(early)
        return confirmed[0]

    def indexed() -> bool:  # the index was built from exactly these bytes
        try:
            return found.built_from(hashed().fingerprint)
        except Exception:
            return False

    if not int(found.meta.get("appendable", 0)):
        return None
    try:
        addition = prepare(_IndexBook(found))
    except ChronoError:
        if not indexed():
            return None  # the careful path will say what is wrong with the real log
        raise
    if addition.actors or not indexed():
        return None  # registering actors: let the careful path check the whole file
    fp, digest, head, tail, read_as = hashed()
    if len(head) < fp.size and (b"\n" not in head or head.isspace()):
        return None  # a first line longer than a chunk: let the careful path read it all
    text = serialise(addition)
    added = _to_append(head, tail, text)
    block = parse_toml(text, shown)
    if block != {"events": [addition.event]}:
        raise WriteError(
            f"{shown}: the appended text would not read back as the event given; nothing written"
        )
    tables = {
        a.key: {"name": a.name, "aliases": list(a.aliases)} | dict(a.extra)
        for a in found.registry.actors.values()
    }
    mini = {"chrono": {"timezone": found.timezone}, "actors": tables, "events": block["events"]}
    built, diagnostics = build(mini, shown, LazyPositions(text), lint=False)
    errors = [d for d in diagnostics if d.severity == "error"]
    if errors or len(built.events) != 1:
        message = errors[0].message if errors else "the event did not build"
        raise WriteError(f"{shown}: {message} (in the event to add); nothing written")
    line = int(found.meta["newlines"]) + added.count("\n") - text.count("\n") + 1
    event = replace(built.events[0], line=line)
    chronology = found.chronology([event])
    if dry_run:
        return Appended(text, chronology, event.id)
    if _stat(real, shown) != read_as:
        return None  # written to while the event was prepared: the careful path reads it afresh
    encoded = added.encode("utf-8")
    from chrono.storage import journal  # noqa: PLC0415

    journal.append_bytes(real, fp.size, encoded, shown)
    try:
        digest.update(encoded)
        st = real.stat()
        new_fp = Fingerprint(st.st_size, st.st_mtime_ns, st.st_ino, digest.hexdigest())
        index.append(path, folder, fp, new_fp, chronology, event, added.count("\n"))
    except Exception:  # noqa: S110 - a stale index is rebuilt on the next query
        pass
    return Appended(text, chronology, event.id)


def check_appendable(path: Path) -> Path:
    """The resolved log if ``path`` is a regular file that add can append to.

    Raises :class:`WriteError` for a missing file, a directory, a pipe or a device, so
    that nothing waits on a pipe and no lock file is made beside something that is not
    a log.
    """
    import stat  # noqa: PLC0415

    shown = str(path)
    try:
        mode = path.stat().st_mode
    except OSError:
        mode = None  # _stat() says why
    if mode is not None and stat.S_ISDIR(mode):
        raise WriteError(f"{shown}: is a directory, not an event log; nothing written")
    if mode is not None and not stat.S_ISREG(mode):
        raise WriteError(
            f"{shown}: is not a regular file (a pipe or a device); "
            "add appends only to an event log file; nothing written"
        )
    real = path.resolve()
    _stat(real, shown)
    return real


def _stat(real: Path, shown: str) -> tuple[int, int, int, int]:
    try:
        st = real.stat()
    except FileNotFoundError:
        raise WriteError(f"{shown}: no such file (create one with 'chrono init')") from None
    except OSError as exc:
        raise WriteError(f"{shown}: {exc.strerror or exc}") from None
    return identity(st)


def _read_bytes(real: Path, shown: str) -> bytes:
    try:
        return real.read_bytes()
    except OSError as exc:
        raise WriteError(f"{shown}: cannot read the file: {exc.strerror or exc}") from None


def write_atomic(
    real: Path, data: bytes | tuple[bytes, ...], shown: str, *, create: bool = False
) -> None:
    """Replace (or with ``create``, create) ``real`` with ``data``, atomically.

    A temporary file in the same directory is written and fsynced, given the original
    file's mode, moved over the original with ``os.replace``, and the directory is
    fsynced. On any failure, including an interrupt, the original is untouched and
    the temporary file is removed.
    """
    import stat  # noqa: PLC0415
    import tempfile  # noqa: PLC0415

    if create:
        mode = 0o666 & ~_umask()
    else:
        try:
            st = real.stat()
        except OSError as exc:
            raise WriteError(f"{shown}: {exc.strerror or exc}; nothing written") from None
        if not st.st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH):
            raise WriteError(f"{shown}: the file is read-only; nothing written")
        mode = stat.S_IMODE(st.st_mode)
    tmp: str | None = None
    try:
        fd, tmp = tempfile.mkstemp(dir=real.parent, prefix=f".{real.name}.", suffix=".tmp")
        with os.fdopen(fd, "wb") as handle:
            for part in (data,) if isinstance(data, bytes) else data:
                handle.write(part)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        if create:
            os.link(tmp, real)  # fails if the file appeared meanwhile: never overwrite
            os.unlink(tmp)
        else:
            os.replace(tmp, real)
        tmp = None
        fsync_dir(real.parent)
    except FileExistsError:
        raise WriteError(f"{shown}: already exists; not overwritten") from None
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise WriteError(f"{shown}: cannot write: {reason}; the file is unchanged") from None
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


def write_file(path: Path, data: bytes) -> None:
    """Write an output file atomically: replace it if it exists, else create it.

    A pipe, a device or another special file (``/dev/stdout``) is written into instead:
    replacing it by a regular file would break what the user pointed chrono at.
    """
    import stat  # noqa: PLC0415

    try:
        mode = path.stat().st_mode  # through /dev/stdout or /dev/fd/N to what it names
    except OSError:
        mode = None
    descriptor = str(path.absolute()).startswith(_DESCRIPTORS)
    if descriptor or (mode is not None and not stat.S_ISREG(mode) and not stat.S_ISDIR(mode)):
        # Appending, not truncating: `-o /dev/stdout >> report.md` adds to the report.
        flags = os.O_WRONLY | (os.O_APPEND if descriptor else 0)
        try:
            fd = os.open(path, flags)
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
        except OSError as exc:
            raise WriteError(f"{path}: cannot write: {exc.strerror or exc}") from None
        return
    real = path.resolve()
    write_atomic(real, data, str(path), create=mode is None)


# Paths that name an open descriptor of the process (a shell's `>(...)`, `/dev/stdout`):
# written into, whatever they lead to.
_DESCRIPTORS = ("/dev/stdin", "/dev/stdout", "/dev/stderr", "/dev/fd/", "/proc/")


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
