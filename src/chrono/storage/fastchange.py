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
from chrono.storage import files, store, writer
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
from chrono.storage.spans import line_start_back, span_at

if TYPE_CHECKING:
    from pathlib import Path

    from chrono.core.model import Chronology
    from chrono.storage.indexing import CacheSettings


class Planned(NamedTuple):
    """A change planned on the indexed bytes: what to write, and the log it leaves."""

    text: str  # the tables written (LF line endings)
    chronology: Chronology  # the changed events, with the log's settings and registry
    before: bytes
    offset: int  # the first byte that differs
    tail: bytes  # the new bytes from the offset on
    head: Any  # the SHA-1 (hashlib) of the bytes before the offset, to go on with
    changed: list[tuple[Event, Event | None]]  # each event as it was, and as it is (None: gone)
    shifts: tuple[tuple[int, int], ...]  # after which line the tables moved, by how many


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
    kept = book.hashed.kept  # the bytes the index was checked against, if kept
    data = kept.data if kept is not None else store.read_bytes(real, shown)
    newline = writer.newline_of(data)
    cuts: list[Cut] = []
    heads: list[tuple[int, Event]] = []  # per cut: the old table's header offset, its event
    checks: list[tuple[str, Event | None, dict[str, Any], Event]] = []
    for edit in edits:
        assert isinstance(edit, Amend | Remove | Rewrite)
        old = edit.old
        assert isinstance(old, Event)
        span = span_at(data, old.line, _near(book.found.meta, data, old.line))
        if span is None or span.name != ("events",) or not span.array:
            return None
        raw = _one_table(data[span.header : span.body_end].decode("utf-8"), shown)
        if raw is None or raw.get("id") != old.id:
            return None
        heads.append((span.header, old))
        if isinstance(edit, Remove):
            cuts.append((span.start, span.end, b""))
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
    offset = min(start for start, _, _ in cuts)
    if kept is not None:  # hashed as they were read: the hash of the prefix is at hand
        head = kept.prefix(offset)
    else:
        head = hashlib.sha1(memoryview(data)[:offset], usedforsecurity=False)
        whole = head.copy()
        whole.update(memoryview(data)[offset:])
        if whole.hexdigest() != book.hashed.fingerprint.digest:  # one pass serves both
            raise NotIndexed
    built = [_built(book, text, new, wanted, old, shown) for text, new, wanted, old in checks]
    moved = Moves(data, cuts, heads)
    built = [replace(event, line=moved.line(old, event.line)) for event, (*_, old) in
             zip(built, checks, strict=True)]  # fmt: skip
    changed = {old.id: None for _, old in heads} | {old.id: new for new, (*_, old) in
                                                    zip(built, checks, strict=True)}  # fmt: skip
    text = "\n".join(t.replace("\r\n", "\n") for t, _, _, _ in checks)
    chronology = book.found.chronology(built)
    return Planned(
        text, chronology, data, offset, cut(data, cuts, shown, offset), head,
        [(old, changed[old.id]) for _, old in heads], moved.shifts,
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


def _near(meta: Any, data: bytes, line: int) -> tuple[int, int]:
    """Where to count the lines to ``line`` from: the start, or for a line in the second
    half its own start, counted back from the end (the index knows the log's line breaks
    when every event is an ``[[events]]`` table; a wrong count finds another table, which
    the id check then refuses)."""
    if not int(meta.get("appendable", 0)):
        return 1, 0
    breaks = int(meta["newlines"])
    at = line_start_back(data, line, breaks) if 2 * line > breaks else None
    return (line, at) if at is not None else (1, 0)


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
    book: Any, text: str, new: Event | None, wanted: dict[str, Any], old: Event, shown: str
) -> Event:
    """The event the new table ``text`` builds into, once it holds exactly ``wanted`` and
    (for a change of keys) reads as ``new``; a new id must be free."""
    if _one_table(text, shown) != wanted:
        raise unread(shown, appends_only=False)
    event = built_alone(book.found, text, wanted, shown, "in the change")
    if new is not None and writer.event_fields(event) != writer.event_fields(new):
        raise unread(shown, appends_only=False)
    if event.id != old.id and book.line_of(event.id) is not None:
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
    if edits[0].actors or len(edits[0].events) != 1 or not int(found.meta.get("appendable", 0)):
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
