"""CSV and TSV as spreadsheets save them: Excel's and LibreOffice's exports (a byte-order
mark or none; ``,``, ``;`` or tab between cells; quoted cells over several lines) and
TimelineJS's sheet template (Year, Month, Day, Time, End Year ... Headline, Text, Media).

Columns are found by their header, in English or German (``date``/``datum``,
``title``/``titel`` ...), or by ``--map COLUMN=FIELD``. Rows are numbered as the
spreadsheet numbers them: the header is row 1.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections.abc import Iterator, Mapping
from typing import Final, NamedTuple

from chrono.core.actors import fold
from chrono.core.dates import PartialDate, parse_iso
from chrono.core.errors import DateError
from chrono.core.text import plural
from chrono.importers import Bad, Batch, Draft, NotThisFormat, Source, clean, gather, split_list
from chrono.importers import text_of as _text_of
from chrono.importers.parts import display, from_parts, summary_with, with_time
from chrono.importers.timelinejs import slide_text

DESCRIPTION = "CSV or TSV as a spreadsheet saves it"

NAMES: Final = {
    "date": ("date", "start", "start date", "when", "begin", "datum", "beginn", "startdatum"),
    "end": ("end", "end date", "until", "to", "bis", "ende", "enddatum"),
    "title": ("title", "headline", "event", "name", "titel", "ereignis", "überschrift"),
    "summary": ("summary", "description", "text", "notes", "details", "beschreibung",
                "zusammenfassung", "notizen", "inhalt"),
    "actors": ("actors", "actor", "people", "who", "participants", "personen", "akteure",
               "beteiligte", "teilnehmer"),
    "location": ("location", "place", "where", "venue", "ort", "schauplatz"),
    "tags": ("tags", "tag", "labels", "keywords", "schlagworte", "schlagwörter", "stichworte"),
    "kind": ("kind", "type", "category", "art", "typ", "kategorie"),
    "sources": ("source", "sources", "url", "link", "links", "reference", "quelle", "quellen"),
    "id": ("id",),
    # TimelineJS's sheet template
    "year": ("year", "jahr"), "month": ("month", "monat"), "day": ("day", "tag des monats"),
    "time": ("time", "uhrzeit", "zeit"),
    "end year": ("end year",), "end month": ("end month",), "end day": ("end day",),
    "end time": ("end time",), "display date": ("display date",),
    "media": ("media",), "media credit": ("media credit",), "group": ("group", "gruppe"),
    "ignore": (),
}  # fmt: skip
IGNORED: Final = ("media caption", "media thumbnail", "background")  # pictures and colours
FIELDS: Final = tuple(NAMES)


class Columns(NamedTuple):
    """Which column holds which field (by index), and the headers as written."""

    at: dict[str, int]
    headers: list[str]
    unused: list[str]


def read(data: bytes, source: Source) -> Batch:
    """The events of a spreadsheet's rows; each bad cell one :class:`Problem`."""
    text = _text_of(data, source.shown)
    rows = _rows(text, source.shown)
    header = next(rows, None)
    if header is None:
        raise NotThisFormat(f"{source.shown}: error: the file is empty")
    columns = find_columns(header[1], source.mapping, source.shown)
    read = [0]

    def filled() -> Iterator[tuple[str, list[str]]]:  # row by row: no second copy of the file
        for n, cells in rows:
            if any(c.strip() for c in cells):
                read[0] += 1
                yield f"{source.shown}:{n}", cells

    drafts, problems = gather(filled(), lambda cells, where: _draft(cells, columns, where, source))
    notes = []
    slides = read[0] - len(drafts) - len(problems)
    if slides:
        notes.append(f"{plural(slides, 'title slide')} of the timeline: not events, skipped")
    if columns.unused:
        listed = ", ".join(repr(h) for h in columns.unused)
        notes.append(f"columns not imported: {listed} (--map COLUMN=FIELD imports one)")
    return Batch(drafts, problems, read[0], notes=tuple(notes))


def _rows(text: str, shown: str) -> Iterator[tuple[int, list[str]]]:
    """Each record with its row number (the header is row 1)."""
    sample = text[:65536]
    delimiter = _delimiter(sample.split("\n", 1)[0])
    reader = csv.reader(_lines(text), delimiter=delimiter, strict=True)
    number = 0
    try:
        for cells in reader:
            number += 1
            yield number, cells
    except csv.Error as exc:
        raise NotThisFormat(
            f"{shown}:{reader.line_num}: error: not a spreadsheet's CSV ({exc})"
        ) from None


def _lines(text: str) -> Iterator[str]:
    """The text's lines with their endings, one at a time (no copy of the whole text)."""
    start, size = 0, len(text)
    while start < size:
        end = text.find("\n", start) + 1 or size
        yield text[start:end]
        start = end


def _delimiter(first_line: str) -> str:
    """The separator of the header line: the most frequent of tab, ``;`` and ``,``."""
    counts = {d: first_line.count(d) for d in ("\t", ";", ",")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _folded(header: str) -> str:
    return " ".join(fold(header.replace("_", " ")).split())


_BY_NAME: Final = {_folded(name): field for field, names in NAMES.items() for name in names}


def find_columns(headers: list[str], mapping: Mapping[str, str], shown: str) -> Columns:
    """Each field's column: ``--map`` first, then the common header names."""
    at: dict[str, int] = {}
    folded = [_folded(h) for h in headers]
    ignored: set[int] = set()
    for column, field in mapping.items():
        if field not in FIELDS:
            raise NotThisFormat(
                f"--map {column}={field}: no field {field!r} (fields: {', '.join(FIELDS)})"
            )
        index = _column(column, headers, folded)
        if index is None:
            listed = ", ".join(repr(h) for h in headers)
            raise NotThisFormat(f"--map {column}={field}: {shown} has no column {column!r} "
                                f"(its columns: {listed})")  # fmt: skip
        if field == "ignore":
            ignored.add(index)
        else:
            at.setdefault(field, index)
    mapped = set(at.values()) | ignored
    for index, name in enumerate(folded):
        known = _BY_NAME.get(name)
        if known is not None and index not in mapped and known not in at:
            at[known] = index
    if "year" in at and "date" not in at and "kind" in at and "kind" not in mapping.values():
        at["slide"] = at.pop("kind")  # TimelineJS's "Type" is its slide type (title, era)
    unused = [h for i, h in enumerate(headers)
              if i not in mapped and i not in at.values() and h.strip()
              and folded[i] not in IGNORED]  # fmt: skip
    at.pop("ignore", None)
    if "title" not in at or ("date" not in at and "year" not in at):
        missing = "title" if "title" not in at else "date"
        listed = ", ".join(repr(h) for h in headers)
        raise NotThisFormat(
            f"{shown}:1: error: no {missing} column among {listed}; "
            f"name it with --map COLUMN={missing}"
        )
    return Columns(at, headers, unused)


def _column(name: str, headers: list[str], folded: list[str]) -> int | None:
    """A column named by its header, its number (``3``) or its letter (``C``)."""
    if name in headers:
        return headers.index(name)
    if _folded(name) in folded:
        return folded.index(_folded(name))
    if name.isdigit() and 1 <= int(name) <= len(headers):
        return int(name) - 1
    if name.isalpha() and len(name) == 1 and ord(name.upper()) - 65 < len(headers):
        return ord(name.upper()) - 65
    return None


class _Row:
    """One record's cells, by field."""

    def __init__(self, cells: list[str], columns: Columns) -> None:
        self.columns = columns
        width = len(cells)
        self.values = {f: clean(cells[i]) if i < width else None for f, i in columns.at.items()}
        self.get = self.values.get

    def bad(self, field: str, message: str) -> Bad:
        index = self.columns.at.get(field, 0)
        headers = self.columns.headers
        header = headers[index] if index < len(headers) else field
        return Bad(f":{index + 1}", f"{header}: {message}")


def _draft(cells: list[str], columns: Columns, where: str, source: Source) -> Draft | None:
    """The row's event; None for TimelineJS's title slide."""
    row = _Row(cells, columns)
    get = row.get
    if (get("slide") or "").lower() == "title":
        return None
    title, summary = get("title"), get("summary")
    media: tuple[str, ...] = ()
    if "year" in columns.at:  # TimelineJS's sheet: its cells are HTML
        title, summary, media = slide_text(title, summary, get("media"), get("media credit"))
    if title is None:
        raise row.bad("title", "no title")
    date, end = _dates(row, source)
    date, shown = display(date, get("display date"))
    sources = split_list(get("sources"), commas=False)
    group = get("group")
    return Draft(
        where, title, date, end,
        summary=summary_with(summary, shown), actors=split_list(get("actors")),
        location=get("location"), tags=split_list(get("tags")) + ((group,) if group else ()),
        kind=get("kind") or ("era" if (get("slide") or "").lower() == "era" else None),
        sources=sources + media, event_id=get("id"),
    )  # fmt: skip


def typed(text: str, today: dt.date, last: bool = False) -> tuple[PartialDate, PartialDate | None]:
    """A date as ``--date`` takes it (an ISO date read at once): the date, and the end of the
    period it names, if it is one (``Q2 2024``); with ``last``, the period's end first."""
    if _ISO_DATE.fullmatch(text):
        return parse_iso(text), None
    from chrono.core.datetext import parse_bounds  # noqa: PLC0415

    period = parse_bounds(text, today)
    if last:
        return period.last, None
    return period.first, (period.last if period.last != period.first else None)


_ISO_DATE = re.compile(r"\d{4}(-\d{2}(-\d{2}(T\d{2}:\d{2}(:\d{2})?(Z|[+-]\d{2}:\d{2})?)?)?)?[?~%]?")


def _dates(row: _Row, source: Source) -> tuple[PartialDate, PartialDate | None]:
    """The start and the end, from a date column or from year, month and day columns."""
    get, field = row.get, "date"
    try:
        text = get("date")
        if text is not None or get("year") is None:
            if text is None:
                raise DateError("no date")
            date, end = typed(text, source.today)
            field = "time"
            date = with_time(date, get("time"))
        else:
            date = with_time(from_parts(get("year"), get("month"), get("day")), get("time"))
            end = None
        field = "end" if get("end") is not None else "end year"
        until = get("end")
        if until is not None:
            end = typed(until, source.today, last=True)[0]
            field = "end time"
            end = with_time(end, get("end time"))
        elif get("end year") is not None:
            parts = from_parts(get("end year"), get("end month"), get("end day"))
            end = with_time(parts, get("end time"))
    except DateError as exc:
        raise row.bad(field, str(exc)) from None
    return date, end
