"""CSV (RFC 4180, UTF-8): one row per event, every cell made safe by
:func:`~chrono.output.safe_text.csv_cell` (controls visible, formulas neutralised)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from chrono.export import Context
from chrono.output.records import event_record
from chrono.output.safe_text import csv_cell

DESCRIPTION = "CSV, one row per event"
COLUMNS = (
    "id",
    "date",
    "end",
    "precision",
    "qualifier",
    "title",
    "summary",
    "actors",
    "location",
    "kind",
    "tags",
    "sources",
    "start",
    "stop",
)


def render(context: Context) -> bytes:
    """The CSV text with a header row, CRLF line ends, lists joined with '; ' (see _joined)."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(COLUMNS)
    for event in context.selection.events:
        record = event_record(context.chronology, event)
        row = {
            "id": record["id"],
            "date": event.date.isoformat(),
            "end": event.end.isoformat() if event.end else "",
            "precision": record["date_precision"],
            "qualifier": record["date_qualifier"] or "",
            "title": record["title"],
            "summary": record["summary"] or "",
            "actors": _joined(a["name"] for a in record["actors"]),
            "location": record["location"] or "",
            "kind": record["kind"] or "",
            "tags": _joined(record["tags"]),
            "sources": _joined(record["sources"]),
            "start": record["start"],
            "stop": record["stop"],
        }
        writer.writerow([csv_cell(row[column]) for column in COLUMNS])
    return out.getvalue().encode("utf-8")


def _joined(items: Iterable[str]) -> str:
    """A list in one cell: the items joined with ``; ``, a ``;`` or ``\\`` inside an item
    written as ``\\;`` or ``\\\\``, so the citation "A; B" stays one source."""
    return "; ".join(item.replace("\\", "\\\\").replace(";", "\\;") for item in items)
