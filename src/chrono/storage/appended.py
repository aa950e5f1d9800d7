"""Events appended to a log already parsed, read back in slices rather than as a whole log:
the careful path of a large append (``chrono import``).

Appending ``[[events]]`` tables after a log whose every event was written as one (it is
*appendable*) changes no byte before the end, and TOML reads the tables that follow as
more items of the same array; so the new text is read back on its own, a slice of
:data:`SLICE` tables at a time (what the one-event fast append does for one), and must
hold exactly the tables the events give. The model after is the log's events and the new
ones at the lines of their headers: nothing is built twice, and no whole second copy of
the log is held in memory. Registering actors, or a log that is not appendable, takes the
whole-file path (:func:`chrono.storage.edits.verify`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple

from chrono.core.dates import load_timezone
from chrono.core.errors import LogError, WriteError
from chrono.core.model import Chronology
from chrono.storage import files, store, writer
from chrono.storage.edits import Append, Edit, settings_of, unread

SLICE = 2000  # tables read back at once
LEAST = 2  # fewer events: the whole-file path (its cost is the log's, and it is the usual)


class Appended(NamedTuple):
    """The tables to append (LF line endings), the bytes written after the log's end, and
    the model after."""

    text: str
    added: bytes
    chronology: Chronology


def plan_appended(
    data: bytes, loaded: store.Loaded, edits: Sequence[Edit], shown: str
) -> Appended | None:
    """The append of ``edits``' events after ``data`` (parsed as ``loaded``), read back in
    slices; None when the whole-file path should take it."""
    if not loaded.appendable or not all(isinstance(e, Append) and not e.actors for e in edits):
        return None
    events = [e for edit in edits if isinstance(edit, Append) for e in edit.events]
    if len(events) < LEAST:
        return None
    fields = [writer.event_fields(e) for e in events]
    tables = [writer.table("[[events]]", f) for f in fields]
    settings = settings_of(edits)
    first, prefix = {}, ""
    if settings is not None:  # the [chrono] table first, read back with the first slice
        if "chrono" in loaded.doc:
            raise WriteError(f"{shown}: the log has a [chrono] table already; nothing written")
        first, prefix = {"chrono": dict(settings)}, writer.table("[chrono]", settings) + "\n"
    for start in range(0, len(events), SLICE):
        expected = {**(first if start == 0 else {}), "events": fields[start : start + SLICE]}
        _read_back((prefix if start == 0 else "") + "\n".join(tables[start : start + SLICE]),
                   expected, shown)  # fmt: skip
    del fields
    text = prefix + "\n".join(tables)
    added = writer.to_append(data, data[-4:], text)
    line = data.count(b"\n") + added.count("\n") - text.count("\n") + 1
    placed = []
    line += prefix.count("\n")
    for event, table in zip(events, tables, strict=True):
        placed.append(event.at_line(line))
        line += table.count("\n") + 1
    before = loaded.chronology
    after = tuple(sorted([*before.events, *placed], key=lambda e: e.sort_key))
    zone, tz = before.timezone, before.tz
    if settings is not None:
        zone = str(settings["timezone"])
        tz = load_timezone(zone) or tz
    chronology = Chronology(before.path, zone, tz, before.registry, after)
    return Appended(text, added.encode("utf-8"), chronology)


def _read_back(tables: str, expected: dict[str, Any], shown: str) -> None:
    """The tables, parsed on their own, hold exactly what is expected; else nothing is
    written."""
    try:
        doc = files.parse_toml(tables, shown)
    except LogError as exc:
        raise WriteError(
            f"{shown}: appending would break the file ({exc.diagnostics[0].message}); "
            "nothing written"
        ) from None
    if doc != expected:
        raise unread(shown, appends_only=True)


__all__ = ["Appended", "plan_appended"]
