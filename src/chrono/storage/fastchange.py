"""Changing or removing events through the index, without parsing the whole log.

When the index was built from exactly the log's bytes (its SHA-1 is checked again here), the
index says on which line each event's table starts; the change is made on those tables'
bytes alone (:mod:`chrono.storage.amend`, the spans of :mod:`chrono.storage.spans`). Each
new table is parsed on its own and must hold exactly the raw table the change gives, and
build, against the registry, into the event the change gives; a table removed takes its
whole span (its leading comments to the next table), so the tables around it stay whole.
Anything unusual (an actor's table, a table not where the index says, a first key that is
not the id) returns None: the careful path, which parses the whole log, takes the change.

The index is built again from the new bytes once the command has answered (a detached
child reads the log), so the command does not wait for it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any, NamedTuple

from chrono.core.errors import LogError, WriteError
from chrono.core.model import Event
from chrono.core.validate import build
from chrono.storage import files, store, writer
from chrono.storage.edits import (
    Amend,
    Cut,
    Edit,
    Remove,
    Rewrite,
    amend_cut,
    cut,
    rewrite_cut,
    unread,
)
from chrono.storage.fingerprint import sha1_hex
from chrono.storage.positions import LazyPositions
from chrono.storage.spans import span_at

if TYPE_CHECKING:
    from pathlib import Path

    from chrono.core.model import Chronology


class Planned(NamedTuple):
    """A change planned on the indexed bytes: what to write, and the log it leaves."""

    text: str  # the tables written (LF line endings)
    chronology: Chronology  # the changed events, with the log's settings and registry
    before: bytes
    after: bytes
    offset: int  # the first byte that differs


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
    data = store.read_bytes(real, shown)
    if sha1_hex([data]) != book.hashed.fingerprint.digest:
        raise NotIndexed
    newline = writer.newline_of(data)
    cuts: list[Cut] = []
    checks: list[tuple[str, Event | None, dict[str, Any], Event]] = []
    for edit in edits:
        assert isinstance(edit, Amend | Remove | Rewrite)
        old = edit.old
        assert isinstance(old, Event)
        span = span_at(data, old.line)
        if span is None or span.name != ("events",) or not span.array:
            return None
        raw = _one_table(data[span.header : span.body_end].decode("utf-8"), shown)
        if raw is None or raw.get("id") != old.id:
            return None
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
    built = [_built(book, text, new, wanted, old, shown) for text, new, wanted, old in checks]
    text = "\n".join(t.replace("\r\n", "\n") for t, _, _, _ in checks)
    offset = min(start for start, _, _ in cuts)
    chronology = book.found.chronology(built)
    return Planned(text, chronology, data, cut(data, cuts, shown), offset)


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
    found = book.found
    if _one_table(text, shown) != wanted:
        raise unread(shown, appends_only=False)
    tables = {a.key: writer.actor_fields(a) for a in found.registry.actors.values()}
    mini = {"chrono": {"timezone": found.timezone}, "actors": tables, "events": [wanted]}
    chronology, diagnostics = build(mini, shown, LazyPositions(text), lint=False)
    errors = [d for d in diagnostics if d.severity == "error"]
    if errors or len(chronology.events) != 1:
        message = errors[0].message if errors else "the event did not build"
        raise WriteError(f"{shown}: {message} (in the change); nothing written")
    event = chronology.events[0]
    if new is not None and writer.event_fields(event) != writer.event_fields(new):
        raise unread(shown, appends_only=False)
    if event.id != old.id and book.line_of(event.id) is not None:
        raise WriteError(
            f"{shown}: id {event.id!r} is already used by the event at line "
            f"{book.line_of(event.id)}; nothing written"
        )
    return replace(event, line=old.line)


__all__ = ["NotIndexed", "Planned", "plan_fast"]
