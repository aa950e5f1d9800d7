"""CSV (RFC 4180, UTF-8): one row per event, neutralised against formula injection."""

from __future__ import annotations

import csv
import io

from chrono.export import Context
from chrono.output.records import event_record

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
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def safe(cell: str) -> str:
    """A cell a spreadsheet will not run: a leading =, +, -, @, tab or CR gets a quote mark."""
    return "'" + cell if cell.startswith(_FORMULA) else cell


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
        writer.writerow([safe(row[column]) for column in COLUMNS])
    return out.getvalue().encode("utf-8")
