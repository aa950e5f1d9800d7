"""The export formats by name, with one line each for --help (no imports: start-up stays light)."""

from typing import Final

FORMATS: Final = {
    "md": "Markdown timeline (GitHub-flavoured): sections, footnoted sources, --style, --mermaid",
    "json": "versioned JSON document: the events (dates with their precision) and actors, as data",
    "csv": "CSV (RFC 4180, UTF-8), one row per event, safe to open in a spreadsheet",
    "ics": "iCalendar: one VEVENT per event, for calendar clients",
    "html": "one self-contained page: a timeline to zoom and pan, lanes, search, full text",
    "svg": "a static timeline picture for reports and PDFs (--width, --lanes)",
    "timelinejs": "TimelineJS3 JSON, dates at the precision known, groups from --lanes",
    "graph": "GraphML of who appears with whom: event counts as weights, first and last dates",
}
