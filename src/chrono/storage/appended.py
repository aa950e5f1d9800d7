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
from typing import NamedTuple

from chrono.core.dates import load_timezone
from chrono.core.errors import WriteError
from chrono.core.model import Chronology
from chrono.storage import readback, store, writer
from chrono.storage.edits import Append, Edit, settings_of, unread

SLICE = 2000  # tables read back at once
LEAST = 2  # fewer events: the whole-file path (its cost is the log's, and it is the usual)


class Appended(NamedTuple):
    """The bytes written after the log's end (from ``tables`` on, the tables), and the
    model after."""

    tables: int
    added: bytearray  # grown slice by slice: no second copy of it while it is made
    chronology: Chronology

    @property
    def text(self) -> str:
        """The tables appended, with LF line endings."""
        return self.added[self.tables :].decode("utf-8").replace("\r\n", "\n")


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
    settings = settings_of(edits)
    first, prefix = {}, ""
    if settings is not None:  # the [chrono] table first, read back with the first slice
        if "chrono" in loaded.doc:
            raise WriteError(f"{shown}: the log has a [chrono] table already; nothing written")
        first, prefix = {"chrono": dict(settings)}, writer.table("[chrono]", settings) + "\n"
    newline = writer.newline_of(data)
    separator = writer.to_append(data, data[-4:], "")
    added = bytearray((separator + writer.in_line_endings(prefix, newline)).encode("utf-8"))
    line = data.count(b"\n") + separator.count("\n") + prefix.count("\n") + 1
    placed = []
    parallel = len(events) >= readback.PARALLEL
    with readback.reading_back(shown, unread(shown, appends_only=True), parallel) as reader:
        for start in range(0, len(events), SLICE):  # a slice's fields only while it is read
            some = events[start : start + SLICE]
            fields = [writer.event_fields(e) for e in some]
            written = [writer.table("[[events]]", f) for f in fields]
            text = "\n".join(written)
            expected = {**(first if start == 0 else {}), "events": fields}
            reader.check((prefix if start == 0 else "") + text, expected)
            for event, table in zip(some, written, strict=True):
                placed.append(event.at_line(line))
                line += table.count("\n") + 1
            added += writer.in_line_endings(("\n" if start else "") + text, newline).encode()
    before = loaded.chronology
    after = tuple(sorted([*before.events, *placed], key=lambda e: e.sort_key))
    zone, tz = before.timezone, before.tz
    if settings is not None:
        zone = str(settings["timezone"])
        tz = load_timezone(zone) or tz
    chronology = Chronology(before.path, zone, tz, before.registry, after)
    return Appended(len(separator.encode()), added, chronology)


__all__ = ["Appended", "plan_appended"]
