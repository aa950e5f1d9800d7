"""``chrono edit``: one event's TOML block, as the file holds it, given to the user's editor;
what comes back checked on its own, then written over exactly the bytes it came from.

The block is the event's table with the comment lines directly above it (the rule of
:mod:`chrono.storage.spans`). What the user wrote must be one ``[[events]]`` table that
validates; its errors name lines of the edited text. It is written only if the log still
holds the block as it was read: a log changed meanwhile is never overwritten.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from chrono.core.errors import Diagnostic, LogError, UsageError, WriteError

if TYPE_CHECKING:
    from chrono.operations.editing import Changed
    from chrono.storage.indexing import CacheSettings


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
    from chrono.storage import files, store  # noqa: PLC0415
    from chrono.storage.spans import span_at  # noqa: PLC0415

    source = open_source(path, cache, freeze=True)
    event = find_event(source, event_id)
    data = store.read_bytes(files.real_path(path), str(path))
    span = span_at(data, event.line)
    if span is None or span.name != ("events",):  # pragma: no cover - the index said so
        raise UsageError(f"cannot find the table of {event.id!r} at line {event.line}")
    text = data[span.start : span.body_end].decode("utf-8").replace("\r\n", "\n")
    first = data.count(b"\n", 0, span.start) + 1
    return Block(event.id, text, first, source.chronology().timezone)


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
    from chrono.operations.editing import Changed  # noqa: PLC0415
    from chrono.storage import transaction  # noqa: PLC0415
    from chrono.storage.edits import Rewrite  # noqa: PLC0415
    from chrono.storage.writer import event_fields  # noqa: PLC0415

    raw = checked(text, block, shown)
    with transaction.begin(path, cache) as tx:
        book = tx.book
        old = book.get(block.event_id)
        if old is None:
            raise WriteError(
                f"{path}: the event {block.event_id!r} is gone from the log; nothing written"
            )
        new_id = raw.get("id")
        if isinstance(new_id, str) and new_id != old.id and book.line_of(new_id) is not None:
            used = f"id {new_id!r} is already used by the event at line {book.line_of(new_id)}"
            raise LogError([Diagnostic(shown, 1, 1, "error", "duplicate-id", used)])
        edit = Rewrite(old, block.text, text, raw)
        try:
            done = tx.commit([edit])
        except transaction.Stale:
            raise WriteError(
                f"{path}: the log changed while the event was edited; nothing written"
            ) from None
        new = done.chronology.get(new_id if isinstance(new_id, str) else old.id)
    before, after = event_fields(old), event_fields(new) if new is not None else {}
    fields = {
        k: (before.get(k), after.get(k))
        for k in {**before, **after}
        if before.get(k) != after.get(k)
    }
    return Changed(path, [(old, new)], [fields], [], done.before, done.after, [], tx.note)


__all__ = ["Block", "block_of", "checked", "rewrite"]
