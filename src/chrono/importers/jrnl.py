"""jrnl's JSON export (``jrnl --export json``): each entry's date and time (a minute in
the log's zone), its title, its body as the summary, its tags (without jrnl's ``@``) and
a star as the tag ``starred``."""

from __future__ import annotations

from chrono.core.dates import Precision, make_date
from chrono.core.errors import DateError
from chrono.importers import Bad, Batch, Draft, NotThisFormat, Source, clean, gather
from chrono.importers.parts import with_time
from chrono.importers.timelinejs import load_json

DESCRIPTION = "jrnl's JSON export"


def read(data: bytes, source: Source) -> Batch:
    """The entries of a jrnl journal."""
    doc = load_json(data, source, "jrnl's JSON export")
    if not isinstance(doc, dict) or not isinstance(doc.get("entries"), list):
        raise NotThisFormat(
            f'{source.shown}: error: not jrnl\'s JSON export (it needs an "entries" list)'
        )
    records_at = ((f"{source.shown}:$.entries[{i}]", r) for i, r in enumerate(doc["entries"]))
    drafts, problems = gather(records_at, _draft)
    return Batch(drafts, problems, len(doc["entries"]))


def _draft(entry: object, where: str) -> Draft:
    if not isinstance(entry, dict):
        raise Bad("", "an entry must be an object")
    title = clean(entry.get("title")) if isinstance(entry.get("title"), str) else None
    body = clean(entry.get("body")) if isinstance(entry.get("body"), str) else None
    if title is None:
        if body is None:
            raise Bad(".title", "the entry has no title and no body")
        title, _, rest = body.partition("\n")
        title, body = title.strip(), clean(rest)
    day, time = entry.get("date"), entry.get("time")
    if not isinstance(day, str):
        raise Bad(".date", "an entry needs a date (YYYY-MM-DD)")
    try:
        parts = [int(p) for p in day.split("-")]
        if len(parts) != 3:
            raise ValueError(day)
        date = make_date(*parts, precision=Precision.DAY, text=day)
        date = with_time(date, time if isinstance(time, str) else None)
    except (ValueError, DateError) as exc:
        path = ".time" if isinstance(exc, DateError) and "time" in str(exc) else ".date"
        said = str(exc) if isinstance(exc, DateError) else f"not a date: {day!r}"
        raise Bad(path, said) from None
    tags = entry.get("tags") or []
    tags = tags if isinstance(tags, list) else []
    words = [t.lstrip("@#").strip() for t in tags if isinstance(t, str)]
    names = tuple(w for w in words if w)
    starred = ("starred",) if entry.get("starred") is True else ()
    return Draft(where, " ".join(title.split()), date, summary=body,
                 tags=tuple(dict.fromkeys(names + starred)))  # fmt: skip
