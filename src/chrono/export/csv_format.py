"""CSV (RFC 4180, UTF-8): one row per event, every cell made safe by
:func:`~chrono.output.safe_text.csv_cell` (controls visible, formulas neutralised)."""

from __future__ import annotations

import csv
import io

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
    """The CSV text with a header row, CRLF line ends, lists joined with '; '."""
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
            "actors": "; ".join(a["name"] for a in record["actors"]),
            "location": record["location"] or "",
            "kind": record["kind"] or "",
            "tags": "; ".join(record["tags"]),
            "sources": "; ".join(record["sources"]),
            "start": record["start"],
            "stop": record["stop"],
        }
        writer.writerow([csv_cell(row[column]) for column in COLUMNS])
    return out.getvalue().encode("utf-8")
