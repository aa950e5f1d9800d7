"""``chrono edit``: one event's TOML block, as the file holds it, given to the user's editor;
what comes back checked on its own, then written over exactly the bytes it came from.

The block is the event's table with the comment lines directly above it (the rule of
:mod:`chrono.storage.spans`). What the user wrote must be one ``[[events]]`` table that
validates; its errors name lines of the edited text. It is written only if the log still
holds the block as it was read: a log changed meanwhile is never overwritten.

``chrono edit --all-matching`` gives the blocks of every event the filters select, in file
order, as one text (:func:`joined`); what comes back must hold as many tables, in order
(:func:`split`), and the blocks changed are written in one transaction (:func:`rewrite_all`).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from chrono.core.errors import Diagnostic, LogError, UsageError, WriteError

if TYPE_CHECKING:
    from chrono.core.model import Event
    from chrono.operations.editing import Changed
    from chrono.operations.querying import Filters, Notes, Reading
    from chrono.storage.indexing import CacheSettings
    from chrono.storage.transaction import Book


class Block(NamedTuple):
    """One event's text as the log holds it, to edit."""

    event_id: str
    text: str  # the comment lines above the table, and the table (LF line endings)
    line: int  # the line of the block's first line in the log
    timezone: str  # the log's zone, to check the edited dates in


def block_of(path: Path, event_id: str, cache: CacheSettings) -> Block:
    """The block of the event ``event_id`` names (an id or a unique prefix)."""
    from chrono.operations.reading import open_source  # noqa: PLC0415
    from chrono.operations.showing import find_event  # noqa: PLC0415

    source = open_source(path, cache, freeze=True)
    meta = getattr(source, "meta", {})  # the index's: how many line breaks the log has
    breaks = int(meta["newlines"]) if int(meta.get("appendable", 0)) else None
    found = [find_event(source, event_id)]
    return blocks_of(path, found, source.chronology().timezone, breaks)[0]


def matching(path: Path, filters: Filters, reading: Reading, notes: Notes) -> list[Block]:
    """The blocks of the events ``filters`` select (as ``chrono list`` selects), in the
    order the file holds them."""
    from chrono.operations.querying import answer  # noqa: PLC0415

    found = answer(path, filters, reading, notes=notes)
    events = sorted(found.selection.events, key=lambda e: e.line)
    return blocks_of(path, events, found.source.chronology().timezone)


def blocks_of(
    path: Path, events: Sequence[Event], timezone: str, breaks: int | None = None
) -> list[Block]:
    """The blocks of ``events``, read from the log's bytes once; one event, and the log's
    line ``breaks`` known, read from a little before it (the block is checked again before
    anything is written over it)."""
    from chrono.storage import files, store  # noqa: PLC0415
    from chrono.storage.spans import span_at  # noqa: PLC0415

    real = files.real_path(path)
    if len(events) == 1 and breaks is not None:
        block = _tail_block(real, events[0], timezone, breaks)
        if block is not None:
            return [block]
    data = store.read_bytes(real, str(path))
    blocks, near = [], (1, 0)
    for event in events:
        span = span_at(data, event.line, near if near[0] <= event.line else (1, 0))
        if span is None or span.name != ("events",):  # pragma: no cover - the index said so
            raise UsageError(f"cannot find the table of {event.id!r} at line {event.line}")
        near = (event.line, span.header)
        text = data[span.start : span.body_end].decode("utf-8").replace("\r\n", "\n")
        blocks.append(Block(event.id, text, data.count(b"\n", 0, span.start) + 1, timezone))
    return blocks


def _tail_block(real: Path, event: Event, timezone: str, breaks: int) -> Block | None:
    """The block of ``event`` read from the end of the log back to a little before it
    (guessed from its line's share of the log's lines), when the bytes read hold it whole
    (the line above its comments too); else None."""
    from chrono.storage.files import parse_toml  # noqa: PLC0415
    from chrono.storage.spans import event_spans_back, seen_whole  # noqa: PLC0415

    size = real.stat().st_size
    base = max(0, size * (event.line - 1) // max(breaks, 1) - size // 64 - (1 << 16))
    with real.open("rb") as handle:
        handle.seek(base)
        data = handle.read()
    line = event.line - (breaks - data.count(b"\n"))  # its line in what was read
    found = event_spans_back(data, [line], data.count(b"\n")) if line > 1 or not base else None
    if found is None or (base and not seen_whole(data, found)):
        return None
    span = found[0]
    text = data[span.start : span.body_end].decode("utf-8").replace("\r\n", "\n")
    try:
        tables = parse_toml(text, "").get("events")
    except LogError:
        return None
    if not isinstance(tables, list) or len(tables) != 1 or tables[0].get("id") != event.id:
        return None  # not the event's table: the index and the log disagree
    first = event.line - data.count(b"\n", span.start, span.header)
    return Block(event.id, text, first, timezone)


def joined(blocks: Sequence[Block]) -> str:
    """The blocks as one text to edit, a blank line between two."""
    return "\n".join(block.text for block in blocks)


def split(text: str, blocks: Sequence[Block], shown: str) -> list[tuple[int, str]]:
    """What the user wrote for each of ``blocks`` (edited as :func:`joined` gave them): its
    first line in ``text`` and its text; the tables must be as many, and nothing may be
    written outside them (a comment there would be lost)."""
    from chrono.storage.spans import table_spans  # noqa: PLC0415

    data = text.encode("utf-8")
    spans = table_spans(data)
    first = spans[0].start if spans else len(data)
    if data[:first].strip() or any(s.name != ("events",) or not s.array for s in spans):
        message = "write only the events' [[events]] tables, each with its comments above it"
        raise LogError([Diagnostic(shown, 1, 1, "error", "one-event", message)])
    if len(spans) != len(blocks):
        message = (
            f"the edited text must hold {len(blocks)} [[events]] tables, one for each event, "
            f"in order (it holds {len(spans)}); to remove one, use chrono rm"
        )
        raise LogError([Diagnostic(shown, 1, 1, "error", "one-event", message)])
    return [(data.count(b"\n", 0, s.start) + 1, data[s.start : s.body_end].decode()) for s in spans]


def checked(text: str, block: Block, shown: str) -> dict[str, Any]:
    """The raw table of what the user wrote, once it is one valid ``[[events]]`` table;
    else a :class:`LogError` whose diagnostics name ``shown`` (the edited file) and its lines."""
    from chrono.core.validate import build  # noqa: PLC0415
    from chrono.storage.files import parse_toml  # noqa: PLC0415
    from chrono.storage.positions import LazyPositions  # noqa: PLC0415

    doc = parse_toml(text, shown)
    tables = doc.get("events")
    if set(doc) != {"events"} or not isinstance(tables, list) or len(tables) != 1:
        found = len(tables) if isinstance(tables, list) else 0
        others = sorted(k for k in doc if k != "events")
        message = (
            f"the edited text must hold exactly one [[events]] table and nothing else "
            f"(it holds {found} [[events]] table{'' if found == 1 else 's'}"
            + (f" and {', '.join(others)}" if others else "")
            + ")"
        )
        raise LogError([Diagnostic(shown, 1, 1, "error", "one-event", message)])
    if not LazyPositions(text).headers_found(1):  # it would join the table above it
        message = "the event must be written as an [[events]] table, not in an inline array"
        raise LogError([Diagnostic(shown, 1, 1, "error", "one-event", message)])
    whole = {"chrono": {"timezone": block.timezone}, "events": tables}
    _, diagnostics = build(whole, shown, LazyPositions(text), lint=False)
    errors = [d for d in diagnostics if d.severity == "error"]
    if errors:
        raise LogError(errors)
    raw: dict[str, Any] = tables[0]
    return raw


def rewrite(path: Path, block: Block, text: str, cache: CacheSettings, shown: str) -> Changed:
    """Write ``text`` over ``block`` as one transaction (after :func:`checked`)."""
    return rewrite_all(path, [(block, text, 1)], cache, shown)


def rewrite_all(
    path: Path,
    edited: Sequence[tuple[Block, str, int]],
    cache: CacheSettings,
    shown: str,
    *,
    dry_run: bool = False,
) -> Changed:
    """Write each ``(block, text, first line in the edited file)`` of ``edited`` over its
    block, as one transaction (``dry_run``: planned and checked, not written); each text
    checked on its own first (errors at its lines), and the ids they give unique and free."""
    from chrono.operations.editing import Changed  # noqa: PLC0415
    from chrono.storage import transaction  # noqa: PLC0415
    from chrono.storage.edits import Rewrite  # noqa: PLC0415

    raws, errors = [], []
    for block, text, first in edited:
        try:
            raws.append(checked("\n" * (first - 1) + text, block, shown))
        except LogError as exc:
            errors += exc.diagnostics
    if errors:
        raise LogError(errors)
    with transaction.begin(path, cache) as tx:
        book = tx.book
        olds = [_still_there(book, block, path) for block, _, _ in edited]
        _ids_free(book, olds, raws, [first for _, _, first in edited], shown)
        edits = [
            Rewrite(old, block.text, text, raw)
            for old, (block, text, _), raw in zip(olds, edited, raws, strict=True)
        ]
        try:
            done = tx.commit(edits, dry_run=dry_run)
        except transaction.Stale:
            raise WriteError(
                f"{path}: the log changed while the event was edited; nothing written"
            ) from None
    pairs = [
        (old, done.chronology.get(_id_of(raw, old))) for old, raw in zip(olds, raws, strict=True)
    ]
    fields = [_fields(old, new) for old, new in pairs]
    return Changed(path, list(pairs), fields, [], done.before, done.after, [], tx.note)


def _still_there(book: Book, block: Block, path: Path) -> Event:
    old = book.get(block.event_id)
    if old is None:
        raise WriteError(
            f"{path}: the event {block.event_id!r} is gone from the log; nothing written"
        )
    return old


def _id_of(raw: dict[str, Any], old: Event) -> str:
    new_id = raw.get("id")
    return new_id if isinstance(new_id, str) else old.id


def _ids_free(
    book: Book,
    olds: Sequence[Event],
    raws: Sequence[dict[str, Any]],
    lines: Sequence[int],
    shown: str,
) -> None:
    """Every new id of the edited events is unique among them, and no other event's."""
    mine = {old.id for old in olds}
    seen: set[str] = set()
    for old, raw, line in zip(olds, raws, lines, strict=True):
        new_id = _id_of(raw, old)
        other = book.line_of(new_id) if new_id != old.id and new_id not in mine else None
        if new_id in seen or other is not None:
            where = f"the event at line {other}" if other is not None else "another edited event"
            used = f"id {new_id!r} is already used by {where}"
            raise LogError([Diagnostic(shown, line, 1, "error", "duplicate-id", used)])
        seen.add(new_id)


def _fields(old: Event, new: Event | None) -> dict[str, tuple[Any, Any]]:
    from chrono.storage.writer import event_fields  # noqa: PLC0415

    before, after = event_fields(old), event_fields(new) if new is not None else {}
    return {
        k: (before.get(k), after.get(k))
        for k in {**before, **after}
        if before.get(k) != after.get(k)
    }


__all__ = [
    "Block",
    "block_of",
    "blocks_of",
    "checked",
    "joined",
    "matching",
    "rewrite",
    "rewrite_all",
    "split",
]
