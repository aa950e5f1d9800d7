"""The event log on disk: load and check it; the one place other layers read it from.

Reading and parsing live in :mod:`chrono.storage.files`, whole-file writes in
:mod:`chrono.storage.atomic`, every change to the log in :mod:`chrono.storage.transaction`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, NamedTuple

from chrono.core.errors import Diagnostic, LogError, WriteError
from chrono.core.lint import duplicates
from chrono.core.model import Chronology
from chrono.core.validate import build
from chrono.storage import conflicts
from chrono.storage.files import (
    decode,
    no_gc,
    parse_toml,
    read_bytes_checked,
    read_text,
    real_path,
)
from chrono.storage.fingerprint import fingerprint_of, identity
from chrono.storage.positions import LazyPositions

__all__ = [
    "Checked",
    "Loaded",
    "check",
    "check_appendable",
    "load",
    "load_for_index",
    "load_text",
]


class Loaded(NamedTuple):
    """A log parsed and validated: the model, the raw TOML, and whether tables can be appended."""

    chronology: Chronology
    doc: dict[str, Any]
    appendable: bool
    positions: LazyPositions  # of the text parsed


class Checked(NamedTuple):
    """What ``check`` found: the model (None if not TOML), every diagnostic in file order,
    and how many events and actors the file holds, valid or not."""

    chronology: Chronology | None
    diagnostics: list[Diagnostic]
    events: int | None  # the [[events]] tables written (None: not TOML at all)
    actors: int | None


def check(path: Path, data: bytes | None = None) -> Checked:
    """Load and validate the log, returning every diagnostic (errors and warnings).

    ``data``: the log's bytes, read already (standard input), named ``path``.
    """
    shown = str(path)
    try:
        text = read_text(path) if data is None else decode(data, shown)
        doc = parse_toml(text, shown)
    except LogError as exc:
        return Checked(None, exc.diagnostics, None, None)
    chronology, diagnostics = build(doc, shown, LazyPositions(text))
    diagnostics += duplicates(chronology)
    diagnostics += conflicts.in_strings(text, shown)
    raw_events, raw_actors = doc.get("events", []), doc.get("actors", {})
    return Checked(
        chronology,
        sorted(diagnostics, key=lambda d: (d.line, d.column)),
        len(raw_events) if isinstance(raw_events, list) else len(chronology.events),
        len(raw_actors) if isinstance(raw_actors, dict) else len(chronology.registry),
    )


def load(path: Path, *, freeze: bool = False) -> Chronology:
    """Load the log; raise :class:`LogError` with every error if it is not valid.

    ``freeze``: the caller is a short-lived process whose model lives until it exits.
    """
    return load_text(path, read_text(path), freeze).chronology


def load_text(path: Path, text: str, freeze: bool = False) -> Loaded:
    """Parse and validate text read from ``path``; also whether [[events]] can be appended."""
    shown = str(path)
    positions = LazyPositions(text)
    with no_gc(freeze):
        doc = parse_toml(text, shown)
        chronology, diagnostics = build(doc, shown, positions, lint=False)
    errors = [d for d in diagnostics if d.severity == "error"]
    if errors:
        raise LogError(errors)
    return Loaded(chronology, doc, appendable(doc, positions), positions)


def appendable(doc: dict[str, Any], positions: LazyPositions) -> bool:
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
    data = read_bytes_checked(path)
    loaded = load_text(path, decode(data, str(path)), freeze)
    try:
        fp = fingerprint_of(path, data)
    except OSError:
        fp = None
    return loaded.chronology, fp, data.count(b"\n") if loaded.appendable else None


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
        mode = None  # stat_of() says why
    if mode is not None and stat.S_ISDIR(mode):
        raise WriteError(f"{shown}: is a directory, not an event log; nothing written")
    if mode is not None and not stat.S_ISREG(mode):
        raise WriteError(
            f"{shown}: is not a regular file (a pipe or a device); "
            "add appends only to an event log file; nothing written"
        )
    real = real_path(path)
    stat_of(real, shown)
    return real


def stat_of(real: Path, shown: str) -> tuple[int, int, int, int]:
    """What a write to the log changes (:func:`~chrono.storage.fingerprint.identity`)."""
    try:
        st = real.stat()
    except FileNotFoundError:
        raise WriteError(f"{shown}: no such file (create one with 'chrono init')") from None
    except OSError as exc:
        raise WriteError(f"{shown}: {exc.strerror or exc}") from None
    return identity(st)


def read_bytes(real: Path, shown: str) -> bytes:
    """The log's bytes, for a writer: a failure is a :class:`WriteError`."""
    try:
        return real.read_bytes()
    except OSError as exc:
        raise WriteError(f"{shown}: cannot read the file: {exc.strerror or exc}") from None
