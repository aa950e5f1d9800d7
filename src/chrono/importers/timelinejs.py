"""TimelineJS3's JSON: ``events[]`` (and ``eras[]``) with ``start_date`` and ``end_date``
objects of year, month, day, hour ..., ``text.headline`` and ``text.text`` (HTML, read as
plain text), ``group``, ``media.url`` and ``media.credit``, ``display_date``.

A date is kept at exactly the parts it has: ``{"year": 1962}`` is a year, with a month a
month. The title slide is not an event; eras are imported as events of kind ``era``.
"""

from __future__ import annotations

import json
from html.parser import HTMLParser
from typing import Any

from chrono.core.errors import DateError
from chrono.importers import Bad, Batch, Draft, NotThisFormat, Source, clean, gather, text_of
from chrono.importers.parts import display, from_parts, summary_with

DESCRIPTION = "TimelineJS3 JSON"


def load_json(data: bytes, source: Source, what: str) -> Any:
    """The JSON document, or :class:`NotThisFormat` naming the line and column."""
    text = text_of(data, source.shown)
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise NotThisFormat(
            f"{source.shown}:{exc.lineno}:{exc.colno}: error: not {what} ({exc.msg})"
        ) from None
    except RecursionError:
        raise NotThisFormat(f"{source.shown}: error: not {what} (nested too deeply)") from None


def read(data: bytes, source: Source) -> Batch:
    """The events (and eras) of a TimelineJS3 document."""
    doc = load_json(data, source, "TimelineJS3 JSON")
    if not isinstance(doc, dict) or not isinstance(doc.get("events", []), list):
        raise NotThisFormat(
            f'{source.shown}: error: not TimelineJS3 JSON (it needs an "events" list)'
        )
    notes: list[str] = []
    slides = [("events", i, s) for i, s in enumerate(doc.get("events", []))]
    eras = doc.get("eras", [])
    eras = eras if isinstance(eras, list) else []
    slides += [("eras", i, s) for i, s in enumerate(eras)]
    places = ((f"{source.shown}:$.{part}[{i}]", slide) for part, i, slide in slides)
    drafts, problems = gather(places, _draft)
    imported = sum(":$.eras[" in d.where for d in drafts)
    if imported:
        notes.append(f"{imported} era(s) imported as events of kind 'era'")
    return Batch(drafts, problems, len(slides), notes=tuple(notes))


def _draft(slide: object, where: str) -> Draft:
    era = ":$.eras[" in where
    if not isinstance(slide, dict):
        raise Bad("", "an event must be an object")
    text: dict[str, Any] = _object(slide.get("text"))
    media = _object(slide.get("media"))
    title, summary, sources = slide_text(
        text.get("headline"), text.get("text"), media.get("url"), media.get("credit")
    )
    if title is None:
        raise Bad(".text.headline", "no headline")
    date = _date(slide.get("start_date"), ".start_date")
    end = _date(slide.get("end_date"), ".end_date") if slide.get("end_date") else None
    shown = slide.get("display_date") or _inner_display(slide.get("start_date"))
    date, kept = display(date, shown if isinstance(shown, str) else None)
    group = clean(slide.get("group"))
    return Draft(
        where, title, date, end, summary=summary_with(summary, kept),
        tags=(group,) if group else (), kind="era" if era else None, sources=sources,
    )  # fmt: skip


def slide_text(
    headline: object, body: object, media: object, credit: object
) -> tuple[str | None, str | None, tuple[str, ...]]:
    """A TimelineJS slide's title, summary and sources, from its HTML: the headline (else
    the text's first line), the text's paragraphs as lines, the media's URL and credit and
    the text's links as sources. A quote given as media (HTML, not a URL) is text of the
    story: it goes to the summary."""
    title = plain(headline)
    summary, links = _html(body)
    if title is None:
        title, summary = _first_line(summary)
    url = clean(media) if isinstance(media, str) else None
    found: list[str] = []
    if url and url.lower().startswith(("http://", "https://")) and len(url.split()) == 1:
        found.append(url)
    elif url:
        quoted, more = _html(url)
        summary = "\n\n".join(t for t in (summary, quoted) if t) or None
        links += more
    said = plain(credit)
    if said:
        found.append(said)
    return title, summary, tuple(dict.fromkeys([*found, *links]))


def _object(value: object) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _inner_display(raw: object) -> object:
    return raw.get("display_date") if isinstance(raw, dict) else None


def _date(raw: object, path: str) -> Any:
    if not isinstance(raw, dict):
        raise Bad(path, "a date must be an object with a year")
    names = ("year", "month", "day", "hour", "minute", "second")
    try:
        return from_parts(*(raw.get(name) for name in names))
    except DateError as exc:
        raise Bad(path, str(exc)) from None


def _first_line(summary: str | None) -> tuple[str | None, str | None]:
    if not summary:
        return None, summary
    first, _, rest = summary.partition("\n")
    return first.strip() or None, rest.strip() or None


def plain(value: object) -> str | None:
    """Text of an HTML fragment, on one line."""
    text, _ = _html(value)
    return " ".join(text.split()) if text else None


class _Text(HTMLParser):
    BREAKS = frozenset({"br", "p", "div", "li", "h1", "h2", "h3", "h4", "blockquote", "tr"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.BREAKS:
            self.parts.append("\n")
        href = dict(attrs).get("href") if tag == "a" else None
        if href and href.lower().startswith(("http://", "https://")):
            self.links.append(href.strip())

    def handle_endtag(self, tag: str) -> None:
        if tag in self.BREAKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def _html(value: object) -> tuple[str | None, tuple[str, ...]]:
    """The plain text of an HTML fragment (paragraphs as lines) and the links it holds."""
    if not isinstance(value, str) or not value.strip():
        return None, ()
    parser = _Text()
    parser.feed(value)
    parser.close()
    lines = [" ".join(line.split()) for line in "".join(parser.parts).splitlines()]
    text = "\n".join(line for line in lines if line)
    return text or None, tuple(parser.links)
