"""Import formats: one module each, found through one registry, each turning a file's bytes
into :class:`Draft` events (and, for chrono's own JSON, registry actors).

Every importer module has ``DESCRIPTION`` (one line for ``--help``) and
``read(data: bytes, source: Source) -> Batch``. An importer reads dates at the precision
the file gives them (never finer) and says each problem once, as a :class:`Problem` naming
the file, the row and the column (``FILE:ROW:COLUMN``) or the JSON path; it never raises
for what a file holds. What an event becomes in the log (its actors resolved, its id
minted, duplicates skipped) is decided by :mod:`chrono.operations.importing`.
"""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any, Final, NamedTuple, Protocol, TypeVar, cast

if TYPE_CHECKING:
    from chrono.core.actors import Actor
    from chrono.core.dates import PartialDate

T = TypeVar("T")

# name -> (module, one line for --help); the order is the order detection tries them
IMPORTERS: Final = {
    "csv": ("sheet", "CSV or TSV as a spreadsheet saves it (Excel, LibreOffice, TimelineJS sheet)"),
    "timelinejs": ("timelinejs", "TimelineJS3 JSON: events with start_date and end_date"),
    "ics": ("calendar", "iCalendar (.ics): each VEVENT"),
    "chrono": ("chrono_json", "chrono's own JSON export (chrono export json)"),
    "jrnl": ("jrnl", "jrnl's JSON export (jrnl --export json)"),
}
SUFFIXES: Final = {".csv": "csv", ".tsv": "csv", ".tab": "csv", ".txt": "csv", ".ics": "ics",
                   ".ical": "ics", ".ifb": "ics"}  # fmt: skip


class Source(NamedTuple):
    """What an importer is told besides the bytes."""

    shown: str  # the file as the user named it, for messages
    today: dt.date  # dates typed relative to today (a sheet's "yesterday")
    mapping: Mapping[str, str] = {}  # --map: column -> field


class Draft(NamedTuple):
    """One event as a file gave it, its dates read; ``where`` names its row or JSON path."""

    where: str
    title: str
    date: PartialDate
    end: PartialDate | None = None
    summary: str | None = None
    actors: tuple[str, ...] = ()  # names, keys or aliases as the file spells them
    location: str | None = None
    tags: tuple[str, ...] = ()
    kind: str | None = None
    sources: tuple[str, ...] = ()
    event_id: str | None = None  # an id the file gives (chrono's JSON), kept when free
    extra: Mapping[str, Any] = {}


class Problem(NamedTuple):
    """Something wrong with one row: where (``FILE:ROW:COLUMN`` or ``FILE:$.events[3]``)
    and what."""

    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: error: {self.message}"


class Batch(NamedTuple):
    """What a file holds: its events, what is wrong with the rows that are not events, and
    (chrono's own JSON) its registry and zone."""

    drafts: list[Draft]
    problems: list[Problem]
    rows: int  # rows (or records) read, good and bad
    actors: tuple[Actor, ...] = ()
    timezone: str | None = None
    notes: tuple[str, ...] = ()  # what the reader kept in another way (a display date)


class Bad(Exception):
    """What is wrong with one record; ``path`` is added to its place (``:3``, ``.date``)."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(message)
        self.path, self.message = path, message


def gather(
    records: Iterable[tuple[str, T]], draft: Callable[[T, str], Draft | None]
) -> tuple[list[Draft], list[Problem]]:
    """Each record (with where it is) as a draft, or its problem; None: not an event."""
    drafts: list[Draft] = []
    problems: list[Problem] = []
    for where, record in records:
        try:
            made = draft(record, where)
        except Bad as bad:
            problems.append(Problem(f"{where}{bad.path}", bad.message))
            continue
        if made is not None:
            drafts.append(made)
    return drafts, problems


class NotThisFormat(Exception):
    """The file is not in the format asked for (one sentence, for the user)."""


class Importer(Protocol):
    """The shape of an importer module."""

    DESCRIPTION: str

    def read(self, data: bytes, source: Source) -> Batch: ...


def get(name: str) -> Importer:
    """The importer module for a format name (imported only when used)."""
    module = IMPORTERS[name][0]
    return cast("Importer", importlib.import_module(f"chrono.importers.{module}"))


def detect(name: str, data: bytes) -> str:
    """The format of a file named ``name`` holding ``data``: from its content when it is
    JSON or iCalendar, else from its suffix; a spreadsheet's text otherwise."""
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"BEGIN:VCALENDAR") or head[:15].upper() == b"BEGIN:VCALENDAR":
        return "ics"
    if head.startswith((b"{", b"[")):
        return json_kind(data)
    suffix = name[name.rfind(".") :].lower() if "." in name else ""
    return SUFFIXES.get(suffix, "csv")


def json_kind(data: bytes) -> str:
    """Which JSON it is, by its top-level shape: chrono's, TimelineJS3's or jrnl's."""
    import json  # noqa: PLC0415

    try:
        doc = json.loads(data.decode("utf-8-sig"))
    except (ValueError, RecursionError):  # UnicodeDecodeError is a ValueError
        return "chrono"  # the chrono reader says what is wrong with it
    if isinstance(doc, dict):
        if doc.get("format") == "chrono":
            return "chrono"
        if "entries" in doc:
            return "jrnl"
        if "events" in doc or "title" in doc:
            return "timelinejs"
    return "chrono"


def text_of(data: bytes, shown: str) -> str:
    """The file's text: UTF-8 (a byte-order mark dropped), or UTF-16 with its mark; else
    :class:`NotThisFormat` naming the first byte that is not UTF-8."""
    if data.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):
        raise NotThisFormat(
            f"{shown}: error: a spreadsheet workbook (.xlsx, .ods or .xls), not text: save "
            "it as CSV first (UTF-8; in LibreOffice: Save As, Text CSV)"
        )
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise NotThisFormat(
                f"{shown}: error: not UTF-16 text, though it starts as if it were"
            ) from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise NotThisFormat(
            f"{shown}:{line}: error: not UTF-8 text (byte 0x{data[exc.start]:02x}); "
            "save it as UTF-8 (in LibreOffice: Save As, Text CSV, character set UTF-8)"
        ) from None


def clean(value: object) -> str | None:
    """A text value stripped, or None when there is none."""
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def split_list(text: str | None, commas: bool = True) -> tuple[str, ...]:
    """A cell holding several names, tags or sources: split at line breaks, else at ``;``,
    else (but for sources, whose citations hold commas) at ``,``."""
    if not text:
        return ()
    separator = "\n" if "\n" in text else ";" if ";" in text or not commas else ","
    return tuple(part.strip() for part in text.split(separator) if part.strip())


__all__ = [
    "IMPORTERS",
    "Bad",
    "Batch",
    "Draft",
    "NotThisFormat",
    "Problem",
    "Source",
    "detect",
    "gather",
    "get",
]
