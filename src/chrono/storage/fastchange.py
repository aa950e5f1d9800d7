"""Appending, changing or removing events through the index, without parsing the whole log.

An event appended (:func:`plan_append`) is one table parsed and built on its own against
the index's registry (:func:`built_alone`), after the indexed bytes.

When the index was built from exactly the log's bytes (its SHA-1 is checked again here), the
index says on which line each event's table starts; the change is made on those tables'
bytes alone (:mod:`chrono.storage.amend`, the spans of :mod:`chrono.storage.spans`). Each
new table is parsed on its own and must hold exactly the raw table the change gives, and
build, against the registry, into the event the change gives; a table removed takes its
whole span (its leading comments to the next table), so the tables around it stay whole.
Anything unusual (an actor's table, a table not where the index says, a first key that is
not the id) returns None: the careful path, which parses the whole log, takes the change.

The index is then changed in place (:mod:`chrono.storage.index.updating`: the rows of the
events changed, and the line shifts of the tables after them); when it cannot be, or holds
many shifts, it is built again from the new bytes once the command has answered (a detached
child reads the log), so the command does not wait for it.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any, NamedTuple

from chrono.core.errors import LogError, WriteError
from chrono.core.model import Event
from chrono.core.validate import build
from chrono.storage import files, fingerprint, writer
from chrono.storage.edits import (
    Amend,
    Append,
    Cut,
    Edit,
    Remove,
    Rewrite,
    amend_cut,
    cut,
    rewrite_cut,
    unread,
)
from chrono.storage.fingerprint import Fingerprint
from chrono.storage.indexing import reindex_soon
from chrono.storage.positions import LazyPositions
from chrono.storage.spans import TableSpan, event_spans_back, seen_whole

if TYPE_CHECKING:
    from pathlib import Path

    from chrono.core.model import Chronology
    from chrono.storage.indexing import CacheSettings


class Planned(NamedTuple):
    """A change planned on the indexed bytes: what to write, and the log it leaves."""

    text: str  # the tables written (LF line endings)
    chronology: Chronology  # the changed events, with the log's settings and registry
    base: int  # where in the log ``data`` starts
    data: bytes  # the log's bytes from ``base`` on (the change is after it)
    offset: int  # the first byte that differs, in the log
    tail: bytes  # the new bytes from the offset on
    head: Any  # the SHA-1 (hashlib) of the bytes before the offset, to go on with
    changed: list[tuple[Event, Event | None]]  # each event as it was, and as it is (None: gone)
    shifts: tuple[tuple[int, int], ...]  # after which line the tables moved, by how many
    removed: tuple[str, ...]  # the text of each table removed, as it was in the file


class NotIndexed(Exception):
    """The log's bytes are no longer those the index was built from."""


def plan_fast(book: Any, real: Path, shown: str, edits: Sequence[Edit]) -> Planned | None:
    """Plan ``edits`` (changes and removals of events) on the indexed bytes; None when the
    careful path should take them; :class:`NotIndexed` when the log changed meanwhile.
    ``book`` is the transaction's index book (``found``, ``hashed``, ``line_of``)."""
    if not edits or not all(
        isinstance(e, Amend | Remove | Rewrite) and isinstance(e.old, Event) for e in edits
    ):
        return None
    found = _found(book, real, shown, [e.old for e in edits])  # type: ignore[union-attr,misc]
    if found is None:
        return None
    base, data, spans = found
    newline = writer.newline_of(book.hashed.head)  # the file's, from its first line
    cuts: list[Cut] = []
    heads: list[tuple[int, Event]] = []  # per cut: the old table's header offset, its event
    checks: list[tuple[str, Event | None, dict[str, Any], Event]] = []
    removed: list[str] = []
    for edit, span in zip(edits, spans, strict=True):
        assert isinstance(edit, Amend | Remove | Rewrite)
        old = edit.old
        assert isinstance(old, Event)
        raw = _one_table(data[span.header : span.body_end].decode("utf-8"), shown)
        if raw is None or raw.get("id") != old.id:
            return None
        heads.append((span.header, old))
        if isinstance(edit, Remove):
            cuts.append((span.start, span.end, b""))
            removed.append(data[span.start : span.body_end].decode("utf-8"))
        elif isinstance(edit, Amend):
            amended, text = amend_cut(data, span, edit, shown)
            cuts.append(amended)
            wanted = {k: v for k, v in {**raw, **edit.values}.items() if v is not None}
            assert isinstance(edit.new, Event)
            checks.append((text, edit.new, wanted, old))
        else:
            rewritten = rewrite_cut(data, span, edit, newline)
            if rewritten is None:
                return None  # the careful path says what changed
            cuts.append(rewritten)
            checks.append((rewritten[2].decode("utf-8"), None, dict(edit.raw), old))
    if any(new and not new.endswith(b"\n") and end < len(data) for _, end, new in cuts):
        return None  # it would join the next line: the careful path says so
    offset = min(start for start, _, _ in cuts)
    head = _head(book.hashed, base, data, offset)
    batch = {old.id for _, old in heads}  # ids the change itself may hand on (a swap)
    built = [_built(book, text, new, wanted, old, shown, batch)
             for text, new, wanted, old in checks]  # fmt: skip
    if len({event.id for event in built}) != len(built):
        raise WriteError(f"{shown}: two events of the change would share an id; nothing written")
    moved = Moves(data, cuts, heads)
    built = [replace(event, line=moved.line(old, event.line)) for event, (*_, old) in
             zip(built, checks, strict=True)]  # fmt: skip
    changed = {old.id: None for _, old in heads} | {old.id: new for new, (*_, old) in
                                                    zip(built, checks, strict=True)}  # fmt: skip
    text = "\n".join(t.replace("\r\n", "\n") for t, _, _, _ in checks)
    chronology = book.found.chronology(built)
    return Planned(
        text, chronology, base, data, base + offset, cut(data, cuts, shown, offset), head,
        [(old, changed[old.id]) for _, old in heads], moved.shifts, tuple(removed),
    )  # fmt: skip


class Moves:
    """How a change's cuts move the lines of the log: the line shifts of the tables after
    each cut (for the index, :mod:`chrono.storage.index.updating`), and where each new
    table's header is."""

    def __init__(self, data: bytes, cuts: Sequence[Cut], heads: Sequence[tuple[int, Event]]):
        self._data = data
        pairs = list(zip(cuts, heads, strict=True))
        self._cuts = {old.id: (one, header) for one, (header, old) in pairs}
        shifts: list[tuple[int, int]] = []
        for (start, end, new), (header, old) in sorted(pairs, key=lambda p: p[0], reverse=True):
            by = new.count(b"\n") - data.count(b"\n", start, end)
            if by:  # the tables from the line of ``end`` on move (the last cut first)
                shifts.append((old.line + data.count(b"\n", header, end) - 1, by))
        self.shifts = tuple(shifts)

    def line(self, old: Event, line_in_text: int) -> int:
        """The line of the header of ``old``'s new table, on line ``line_in_text`` of the
        text its cut wrote."""
        (start, _, _), header = self._cuts[old.id]
        line = old.line - self._data.count(b"\n", start, header) + line_in_text - 1
        for (other, end, new), _ in self._cuts.values():
            if end <= start:  # a cut before it moves it
                line += new.count(b"\n") - self._data.count(b"\n", other, end)
        return line


def _found(
    book: Any, real: Path, shown: str, events: Sequence[Event]
) -> tuple[int, bytes, list[TableSpan]] | None:
    """The log's bytes from where the change needs them on (``base``), and the span of each
    event's table in them; None when a table is not where the index says.

    With the writer's marks and the log's line breaks known (every event an ``[[events]]``
    table), only the bytes from a mark before the first table (with the line above it) are
    read, and the tables are found counting line breaks back from the end; else the whole
    log. The bytes read must hash, on from the mark, to the indexed fingerprint
    (:class:`NotIndexed`)."""
    meta, hashed = book.found.meta, book.hashed
    size = hashed.fingerprint.size
    marks = hashed.marks if int(meta.get("appendable", 0)) else None
    breaks = max(int(meta.get("newlines", 0)), 1)
    first = min(event.line for event in events)  # its offset guessed from the lines' share
    start = size * (first - 1) // breaks - size // 64 - fingerprint.MARK
    while True:
        base, digest = marks.before(max(start, 0)) if marks is not None else (0, None)
        data = _read_from(real, shown, base)
        if digest is None:
            digest = hashlib.sha1(usedforsecurity=False)
        digest.update(data)
        if base + len(data) != size or digest.hexdigest() != hashed.fingerprint.digest:
            raise NotIndexed
        held = data.count(b"\n")
        before = int(meta["newlines"]) - held if marks is not None else 0  # above ``base``
        spans = event_spans_back(data, [event.line - before for event in events], held)
        if base == 0 or (spans is not None and seen_whole(data, spans)):
            return (base, data, spans) if spans is not None else None
        start = base - 2 * max(size - base, fingerprint.MARK)  # twice as far back


def _read_from(real: Path, shown: str, base: int) -> bytes:
    """The log's bytes from ``base`` on (a regular file, checked as the writer locked it)."""
    try:
        with real.open("rb") as handle:
            handle.seek(base)
            return handle.read()
    except OSError as exc:
        raise WriteError(
            f"{shown}: cannot read the file ({exc.strerror}); nothing written"
        ) from None


def _head(hashed: Any, base: int, data: bytes, offset: int) -> Any:
    """The SHA-1 of the log's bytes before ``base + offset``, from the nearest mark."""
    if hashed.marks is None:
        return hashlib.sha1(memoryview(data)[:offset], usedforsecurity=False)
    start, digest = hashed.marks.before(base + offset)
    if start < base:  # pragma: no cover - the marks before the bytes read are not used
        raise NotIndexed
    digest.update(memoryview(data)[start - base : offset])
    return digest


def _one_table(text: str, shown: str) -> dict[str, Any] | None:
    """The raw table of ``text`` when it is exactly one ``[[events]]`` table, else None."""
    try:
        doc = files.parse_toml(text, shown)
    except LogError:  # the careful path says what is wrong
        return None
    tables = doc.get("events")
    if set(doc) != {"events"} or not isinstance(tables, list) or len(tables) != 1:
        return None
    if not LazyPositions(text).headers_found(1):  # an inline array is not a table
        return None
    table = tables[0]
    return table if isinstance(table, dict) else None


def _built(
    book: Any,
    text: str,
    new: Event | None,
    wanted: dict[str, Any],
    old: Event,
    shown: str,
    batch: set[str],
) -> Event:
    """The event the new table ``text`` builds into, once it holds exactly ``wanted`` and
    (for a change of keys) reads as ``new``; a new id must be free, or one of the ``batch``
    the same change changes."""
    if _one_table(text, shown) != wanted:
        raise unread(shown, appends_only=False)
    event = built_alone(book.found, text, wanted, shown, "in the change")
    if new is not None and writer.event_fields(event) != writer.event_fields(new):
        raise unread(shown, appends_only=False)
    if event.id != old.id and book.line_of(event.id) is not None and event.id not in batch:
        raise WriteError(
            f"{shown}: id {event.id!r} is already used by the event at line "
            f"{book.line_of(event.id)}; nothing written"
        )
    return event  # its line: in the new text


def built_alone(found: Any, text: str, raw: dict[str, Any], shown: str, where: str) -> Event:
    """The event one table (``text``, parsed as ``raw``) builds into against the registry
    and zone of the index ``found``; a :class:`WriteError` saying ``where`` if it does not."""
    tables = {a.key: writer.actor_fields(a) for a in found.registry.actors.values()}
    mini = {"chrono": {"timezone": found.timezone}, "actors": tables, "events": [raw]}
    chronology, diagnostics = build(mini, shown, LazyPositions(text), lint=False)
    errors = [d for d in diagnostics if d.severity == "error"]
    if errors or len(chronology.events) != 1:
        message = errors[0].message if errors else "the event did not build"
        raise WriteError(f"{shown}: {message} ({where}); nothing written")
    return chronology.events[0]


def plan_append(book: Any, edits: Sequence[Edit], shown: str) -> tuple[str, str, Event] | None:
    """One event appended through the index, without parsing the log (the log's bytes are
    the indexed ones, and every event was written as an ``[[events]]`` table, so one can
    follow them): its table, the text to append (after the log's last bytes), and the
    event it builds into, at its line; None when the careful path should take it."""
    found = book.found
    if len(edits) != 1 or not isinstance(edits[0], Append):
        return None
    if (
        edits[0].actors
        or edits[0].settings
        or len(edits[0].events) != 1
        or not int(found.meta.get("appendable", 0))
    ):
        return None  # registering actors: let the careful path check the whole file
    fp, _, head, tail, *_ = book.hashed
    if len(head) < fp.size and (b"\n" not in head or head.isspace()):
        return None  # a first line longer than a chunk: let the careful path read it all
    given = edits[0].events[0]
    text = writer.event_text(given)
    added = writer.to_append(head, tail, text)
    block = files.parse_toml(text, shown)
    if block != {"events": [writer.event_fields(given)]}:
        raise unread(shown, appends_only=True)
    built = built_alone(found, text, block["events"][0], shown, "in the event to add")
    if writer.event_fields(built) != writer.event_fields(given):
        raise unread(shown, appends_only=True)
    line = int(found.meta["newlines"]) + added.count("\n") - text.count("\n") + 1
    return text, added, replace(built, line=line)


def reindex(
    path: Path, cache: CacheSettings, book: Any, planned: Planned, st: os.stat_result
) -> None:
    """The index changed in place after ``planned`` was written (``st``: the log's stat
    after); rebuilt once the command has answered when it cannot be changed, or holds many
    line shifts."""
    from chrono.storage import index  # noqa: PLC0415
    from chrono.storage.index.updating import COMPACT  # noqa: PLC0415

    held = None
    with contextlib.suppress(Exception):  # a stale index is rebuilt on the next query
        head = planned.head.copy()
        head.update(planned.tail)
        new = Fingerprint(st.st_size, st.st_mtime_ns, st.st_ino, head.hexdigest())
        held = index.change(path, cache.folder, book.hashed.fingerprint, new,
                            book.found.chronology(), planned.changed, planned.shifts)  # fmt: skip
    if held is None or held >= COMPACT:
        reindex_soon(path, cache)


__all__ = ["Moves", "NotIndexed", "Planned", "built_alone", "plan_append", "plan_fast", "reindex"]
