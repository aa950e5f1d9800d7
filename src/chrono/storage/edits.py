"""A change to the log as byte-span edits, built from model objects, and what it must read back as.

Three kinds of edit, each naming model objects (never raw dicts):

- :class:`Append`: new ``[actors.<key>]`` tables, then new ``[[events]]`` tables, at the
  end of the file (what ``add`` writes; registering an actor is an append of its table);
- :class:`Replace`: one event's or actor's table rewritten (its header to its last key,
  see :mod:`chrono.storage.positions`; the comments above it and blank lines after stay);
- :class:`Remove`: one event's or actor's table taken out, with its leading comments and
  the blank lines after it;
- :class:`Amend`: some keys of one event's or actor's table changed, added or removed,
  every other byte of the table kept (:mod:`chrono.storage.amend`);
- :class:`Rewrite`: one event's table, with the comments above it, replaced by the text a
  user wrote for it (``chrono edit``), provided it still reads as it did.

:func:`plan` turns a list of them into the new bytes, the offset from which the file
changes, and the raw tables the new text must parse as; :func:`check_model` compares the
model built from it with the objects given.
"""

from __future__ import annotations

import bisect
from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any, NamedTuple

from chrono.core.actors import Actor
from chrono.core.errors import LogError, WriteError
from chrono.core.model import Chronology, Event
from chrono.core.validate import build
from chrono.storage import files, store, writer
from chrono.storage.amend import amend_table
from chrono.storage.positions import LazyPositions
from chrono.storage.spans import TableSpan, find_span, span_at


class Append(NamedTuple):
    """New tables at the end of the log: the actors first, then the events."""

    events: tuple[Event, ...] = ()
    actors: tuple[Actor, ...] = ()
    settings: Mapping[str, Any] | None = None  # a [chrono] table first, for a log with none


class Replace(NamedTuple):
    """The table of ``old`` (an event, found by its line; an actor, by its key) becomes ``new``."""

    old: Event | Actor
    new: Event | Actor


class Remove(NamedTuple):
    """The table of ``old`` (an event, found by its line, or an actor, by its key) goes."""

    old: Event | Actor


class Amend(NamedTuple):
    """The keys ``values`` names in the table of ``old`` change (None: the key goes), so that
    it reads as ``new``; the table's other bytes stay as they are."""

    old: Event | Actor
    new: Event | Actor
    values: Mapping[str, Any]


class Rewrite(NamedTuple):
    """The text of ``old``'s table with its leading comments, ``before`` when it was read,
    becomes ``text`` (one ``[[events]]`` table, parsed as ``raw``); refused when the log no
    longer holds ``before`` there."""

    old: Event
    before: str
    text: str
    raw: Mapping[str, Any]


Edit = Append | Replace | Remove | Amend | Rewrite


class Plan(NamedTuple):
    """The bytes a change writes, and what they must parse as."""

    data: bytes  # the whole new file
    offset: int  # the first byte that differs from the old file
    text: str  # the tables written (LF line endings): replacements, then the appended text
    events: list[Any]  # the raw [[events]] tables the new file must hold, in order
    actors: dict[str, Any]  # the raw [actors] tables it must hold
    appends_only: bool


def plan(
    data: bytes, doc: dict[str, Any], positions: LazyPositions, edits: Sequence[Edit], shown: str
) -> Plan:
    """Apply ``edits`` to the log's bytes ``data`` (parsed as ``doc``); nothing is written."""
    events = list(doc.get("events", [])) if isinstance(doc.get("events", []), list) else []
    actors = dict(doc.get("actors", {})) if isinstance(doc.get("actors", {}), dict) else {}
    newline = writer.newline_of(data)
    cuts: list[tuple[int, int, bytes]] = []  # (start, end, replacement) in the old bytes
    texts: list[str] = []
    gone: set[int] = set()
    found: list[tuple[int, int]] = []
    for edit in edits:
        if isinstance(edit, Append):
            continue
        if isinstance(edit, Replace) and isinstance(edit.new, Event) != isinstance(edit.old, Event):
            raise WriteError(
                f"{shown}: an event's table can only become an event's; nothing written"
            )
        span, index = _find(data, positions, edit.old, len(events), shown, found)
        if isinstance(edit, Rewrite):
            rewritten = rewrite_cut(data, span, edit, newline)
            if rewritten is None:
                raise WriteError(
                    f"{shown}: the event {edit.old.id!r} changed on disk while it was edited; "
                    "nothing written"
                )
            texts.append(edit.text)
            cuts.append(rewritten)
            assert index is not None
            events[index] = dict(edit.raw)
        elif isinstance(edit, Amend):
            amended, text = amend_cut(data, span, edit, shown)
            texts.append(text.replace("\r\n", "\n"))
            cuts.append(amended)
            _amend(events, actors, index, edit)
        elif isinstance(edit, Replace):
            text = _table_text(edit.new)
            texts.append(text)
            cuts.append(
                (span.header, span.body_end, writer.in_line_endings(text, newline).encode())
            )
            _set(events, actors, index, edit.old, edit.new)
        else:
            cuts.append((span.start, span.end, b""))
            _set(events, actors, index, edit.old, None)
            if index is not None:
                gone.add(index)
    new = cut(data, cuts, shown)
    events = [e for i, e in enumerate(events) if i not in gone]
    offset = min((start for start, _, _ in cuts), default=len(data))
    appended = [edit for edit in edits if isinstance(edit, Append)]
    if appended:
        new_events = [e for edit in appended for e in edit.events]
        new_actors = [a for edit in appended for a in edit.actors]
        text = writer.tables_text(new_actors, new_events)
        settings = settings_of(edits)
        if settings is not None:
            if "chrono" in doc:
                raise WriteError(f"{shown}: the log has a [chrono] table already; nothing written")
            text = writer.table("[chrono]", settings) + ("\n" + text if text else "")
        texts.append(text)
        new += writer.to_append(data, new[-4:], text).encode()
        events += [writer.event_fields(e) for e in new_events]
        actors.update({a.key: writer.actor_fields(a) for a in new_actors})
    return Plan(new, offset, "\n".join(texts), events, actors, len(appended) == len(edits))


Cut = tuple[int, int, bytes]  # the old bytes from one offset to another, and what replaces them


def amend_cut(data: bytes, span: TableSpan, edit: Amend, shown: str) -> tuple[Cut, str]:
    """The cut that changes the keys ``edit`` names in the table at ``span`` (and the header
    of an actor given a new key), and the table's new text (in the file's line endings)."""
    old, new, rename = edit.old, edit.new, None
    if isinstance(old, Actor) and isinstance(new, Actor) and new.key != old.key:
        rename = new.key
    text = amend_table(data[span.header : span.body_end].decode("utf-8"), span.name,
                       edit.values, shown, rename=rename)  # fmt: skip
    return (span.header, span.body_end, text.encode()), text


def rewrite_cut(data: bytes, span: TableSpan, edit: Rewrite, newline: str) -> Cut | None:
    """The cut that puts ``edit``'s text over the block at ``span`` (comments written after
    it since stay), in the block's own line endings (else the file's); None when the log no
    longer holds the block as it was read."""
    block = data[span.start : span.body_end]
    newline = "\r\n" if b"\r\n" in block else "\n" if b"\n" in block else newline
    was = writer.in_line_endings(edit.before, newline).encode()
    if not data[span.start : span.body_end].startswith(was):
        return None
    text = writer.in_line_endings(edit.text.replace("\r\n", "\n"), newline)
    if was.endswith(b"\n") and not text.endswith("\n"):  # an editor that ends no line
        text += newline  # the next table must still begin a line
    return span.start, span.start + len(was), text.encode()


def _table_text(new: Event | Actor) -> str:
    return writer.event_text(new) if isinstance(new, Event) else writer.actor_text(new)


def _find(
    data: bytes,
    positions: LazyPositions,
    old: Event | Actor,
    count: int,
    shown: str,
    found: list[tuple[int, int]],
) -> tuple[TableSpan, int | None]:
    """The span of ``old``'s table, and for an event its place among the [[events]] tables;
    ``found``, the (line, offset) of the headers found so far, sorted, lets the lines be
    counted from the nearest one above (a rename changes thousands of tables)."""
    if isinstance(old, Actor):
        span = find_span(data, ("actors", old.key))
        if span is None:
            raise WriteError(
                f"{shown}: actor {old.key!r} is not written as an [actors.{old.key}] table; "
                "nothing written"
            )
        return span, None
    index = positions.event_index(old.line, count)
    at = bisect.bisect(found, (old.line, len(data))) - 1  # the nearest table found above
    span = span_at(data, old.line, found[at] if at >= 0 else (1, 0)) if index is not None else None
    if span is None or span.name != ("events",) or not span.array or index is None:
        raise WriteError(
            f"{shown}: cannot find the [[events]] table of {old.id!r} (line {old.line}); "
            "nothing written"
        )
    bisect.insort(found, (old.line, span.header))
    return span, index


def _set(
    events: list[Any],
    actors: dict[str, Any],
    index: int | None,
    old: Event | Actor,
    new: Event | Actor | None,
) -> None:
    """Record in the expected raw tables that ``old`` became ``new`` (None: removed)."""
    if index is not None:
        events[index] = None if new is None else writer.event_fields(new)  # type: ignore[arg-type]
        return
    actors.pop(old.key, None)  # type: ignore[union-attr]
    if isinstance(new, Actor):
        actors[new.key] = writer.actor_fields(new)


def _amend(events: list[Any], actors: dict[str, Any], index: int | None, edit: Amend) -> None:
    """Record in the expected raw tables the keys ``edit`` changes."""
    key = None if index is not None else edit.old.key  # type: ignore[union-attr]
    raw = dict(events[index] if index is not None else actors.pop(key, {}))  # type: ignore[arg-type]
    for name, value in edit.values.items():
        if value is None:
            raw.pop(name, None)
        else:
            raw[name] = value
    if index is not None:
        events[index] = raw
    else:  # under its new key, when it has one
        actors[edit.new.key] = raw  # type: ignore[union-attr]


def cut(data: bytes, cuts: list[Cut], shown: str, start_at: int = 0) -> bytes:
    """``data`` with each ``(start, end)`` range replaced, from ``start_at`` on (no range
    starts before it); ranges must not overlap."""
    parts: list[bytes] = []
    at = start_at
    for start, end, replacement in sorted(cuts):
        if start < at:
            raise WriteError(f"{shown}: two edits of the same table; nothing written")
        parts += [data[at:start], replacement]
        at = end
    parts.append(data[at:])
    return b"".join(parts)


def check_model(after: Chronology, before_count: int, edits: Sequence[Edit]) -> bool:
    """Whether the model built from the new text holds exactly the objects the edits give."""
    count = before_count
    by_id = {e.id: e for e in after.events} if _many(edits) else None
    for edit in edits:
        if isinstance(edit, Append):
            count += len(edit.events)
            wanted: list[Event | Actor] = [*edit.events, *edit.actors]
        elif isinstance(edit, Replace | Amend):
            wanted = [edit.new]
        elif isinstance(edit, Rewrite):
            wanted = []  # what the user wrote: its raw table is checked, no model given
        else:
            count -= isinstance(edit.old, Event)
            wanted = []
        for thing in wanted:
            if not _built_as(after, thing, by_id):
                return False
    return len(after.events) == count


def _many(edits: Sequence[Edit]) -> bool:
    """Whether the edits name more than one event (each then found by id in one dict)."""
    return sum(len(e.events) if isinstance(e, Append) else 1 for e in edits) > 1


def _built_as(after: Chronology, thing: Event | Actor, by_id: dict[str, Event] | None) -> bool:
    if isinstance(thing, Actor):
        built = after.registry.actors.get(thing.key)
        return built is not None and writer.actor_fields(built) == writer.actor_fields(thing)
    event = by_id.get(thing.id) if by_id is not None else after.get(thing.id)
    return event is not None and writer.event_fields(event) == writer.event_fields(thing)


def verify(
    path: Path, done: Plan, loaded: store.Loaded, edits: Sequence[Edit]
) -> tuple[Chronology, bool]:
    """Parse the new text: it must hold exactly the tables and the model the edits give;
    the model it builds, and whether ``[[events]]`` tables can still be appended."""
    shown = str(path)
    what = "appending" if done.appends_only else "the change"
    text = done.data.decode("utf-8").removeprefix(files.BOM)
    try:
        doc = files.parse_toml(text, shown)
    except LogError as exc:
        raise WriteError(
            f"{shown}: {what} would break the file ({exc.diagnostics[0].message}); nothing written"
        ) from None
    old = {k: v for k, v in loaded.doc.items() if k not in ("events", "actors")}
    settings = settings_of(edits)
    if settings is not None:
        old["chrono"] = dict(settings)
    raw_events = doc.get("events", [])
    if (
        not isinstance(raw_events, list)
        or raw_events != done.events
        or doc.get("actors", {}) != done.actors
        or {k: v for k, v in doc.items() if k not in ("events", "actors")} != old
    ):
        raise unread(shown, done.appends_only)
    positions = LazyPositions(text)
    after, diagnostics = build(doc, shown, positions, lint=False)
    errors = [d for d in diagnostics if d.severity == "error"]
    if errors:
        where = "in the event to add" if done.appends_only else "in the change"
        raise WriteError(f"{errors[0]} ({where}); nothing written")
    if not check_model(after, len(loaded.chronology.events), edits):
        raise unread(shown, done.appends_only)
    return after, store.appendable(doc, positions)


def settings_of(edits: Sequence[Edit]) -> Mapping[str, Any] | None:
    """The ``[chrono]`` table an append writes first, if any."""
    return next((e.settings for e in edits if isinstance(e, Append) and e.settings), None)


def unread(shown: str, appends_only: bool) -> WriteError:
    """The error for new text that would not read back as the change given."""
    if appends_only:
        return WriteError(
            f"{shown}: the appended text would not read back as the event given; nothing written"
        )
    return WriteError(
        f"{shown}: the new text would not read back as the change given; nothing written"
    )


def shifted(chronology: Chronology, edits: Sequence[Edit], shift: int) -> Chronology:
    """The chronology with the appended events ``shift`` lines further down."""
    new = {e.id for edit in edits if isinstance(edit, Append) for e in edit.events}
    events = tuple(replace(e, line=e.line + shift) if e.id in new else e for e in chronology.events)
    return replace(chronology, events=events)
