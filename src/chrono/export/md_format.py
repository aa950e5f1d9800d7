"""Markdown timeline: GitHub-flavoured, reads well as plain text, escapes all log text."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

from chrono.core.dates import Precision
from chrono.core.datetext import year_month
from chrono.core.model import Chronology, Event
from chrono.export import Context
from chrono.output.history import ARROW, Changed, field_lines
from chrono.output.labels import MONTHS, actor_names, count_line, date_label
from chrono.output.safe_text import unsafe

DESCRIPTION = "Markdown timeline"


# Characters that can start markup anywhere in a line: always escaped.
_INLINE = re.compile(r"([\\`*_\[\]<>|~])")
# An HTML entity (&amp; &#35;) would be decoded by a renderer: escape its ampersand.
_ENTITY = re.compile(r"&(?=#?[0-9A-Za-z]+;)")
# What a line may not start with: a heading, a quote, a list item, a rule, a fence.
_LINE_START = re.compile(r"^(\s*)([#>+=-]|\d+(?=[.)]))")
# Controls, format characters (bidi, zero-width, tags) and separators: see safe_text.
_CONTROL = unsafe("\t")


def _code(match: re.Match[str]) -> str:
    code = ord(match[0])
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def escape(text: str) -> str:
    """Escape log text so it shows literally inside a markdown line."""
    text = _CONTROL.sub(_code, text)
    text = _INLINE.sub(r"\\\1", text)
    text = _ENTITY.sub(r"\\&", text)
    return _LINE_START.sub(lambda m: f"{m[1]}\\{m[2]}" if m[2] in "#>+=-" else m[0], text)


def one_line(text: str) -> str:
    """Escaped text on a single line (titles, table cells)."""
    return escape(" ".join(text.split()))


def _paragraphs(text: str, indent: str) -> list[str]:
    """A summary as escaped, indented paragraphs (blank lines kept, lines joined)."""
    lines: list[str] = []
    for block in re.split(r"\n\s*\n", text.strip()):
        body = " ".join(block.split())
        if body:
            if lines:
                lines.append("")
            lines.append(indent + _escape_numbered(escape(body)))
    return lines


def _escape_numbered(text: str) -> str:
    """``1. Item`` at the start of a paragraph would become a list: escape its dot."""
    return re.sub(r"^(\d+)([.)])", r"\1\\\2", text)


def _mermaid_text(text: str) -> str:
    """Text safe inside a Mermaid timeline line: ``:``, ``;``, ``#`` and angle brackets."""
    codes = {"#": "#35;", ":": "#58;", ";": "#59;", "<": "#60;", ">": "#62;"}
    flat = " ".join(_CONTROL.sub(" ", text).split())
    return "".join(codes.get(c, c) for c in flat)


class _Footnotes:
    """Numbers each distinct source once, in order of first use."""

    def __init__(self) -> None:
        self.numbers: dict[str, int] = {}

    def refs(self, event: Event) -> str:
        marks = []
        for source in event.sources:
            number = self.numbers.setdefault(source, len(self.numbers) + 1)
            marks.append(f"[^{number}]")
        return "".join(dict.fromkeys(marks))

    def definitions(self) -> list[str]:
        return [f"[^{n}]: {_source(s)}" for s, n in self.numbers.items()]


_URL = re.compile(r"https?://[^\s<>\"'`|\\\[\]]+")


def _source(source: str) -> str:
    text = source.strip()
    if _URL.fullmatch(text) and not _CONTROL.search(text):
        return f"<{text}>"
    return one_line(text)


def render(context: Context) -> bytes:
    """The markdown document for the selected events."""
    chronology, selection = context.chronology, context.selection
    notes = _Footnotes()
    lines = [f"# {one_line(context.title)}", ""]
    if context.generated:
        lines += [f"_{escape(context.generated)}_", ""]
    lines += [escape(count_line(chronology, selection)) + ".", ""]
    if context.since is not None:
        lines += [_since_line(context), ""]
    if context.mermaid and selection.events:
        lines += _mermaid(context)
    if context.style == "table":
        lines += _table(context, notes)
    else:
        lines += _list(context, notes)
    definitions = notes.definitions()
    if definitions:
        lines += ["", *definitions]
    while lines and lines[-1] == "":
        lines.pop()
    return ("\n".join(lines) + "\n").encode("utf-8")


def _list(context: Context, notes: _Footnotes) -> list[str]:
    chronology = context.chronology
    lines: list[str] = []
    year = month = None
    for event in context.selection.events:
        e_year, e_month = year_month(event.date, chronology.tz, context.display)
        if e_year != year:
            lines += [f"## {e_year}", ""]
            year, month = e_year, None
        if event.date.precision >= Precision.MONTH and e_month != month:
            lines += [f"### {MONTHS[e_month - 1]} {e_year}", ""]
            month = e_month
        number = context.selection.numbers.get(event.id)
        prefix = f"#{number} " if number else ""
        when = escape(date_label(chronology, event, context.display))
        title = f"{_mark(context, event)}**{one_line(event.title)}**{notes.refs(event)}"
        lines.append(f"- {escape(prefix)}**{when}** — {title}")
        meta = [actor_names(chronology, event), event.location or "", event.kind or ""]
        meta_text = " · ".join(one_line(m) for m in meta if m)
        if meta_text:
            lines[-1] += "  "
            lines.append(f"  {meta_text}")
        if event.summary and event.summary.strip():
            lines.append("")
            lines += _paragraphs(event.summary, "  ")
        lines.append("")
    return lines


def _mark(context: Context, event: Event) -> str:
    """``**new** `` or ``**changed** `` before the title of an event marked by --since."""
    mark = context.since.marks.get(event.id) if context.since is not None else None
    return f"**{mark}** " if mark else ""


def _since_line(context: Context) -> str:
    """``2 new and 1 changed since HEAD~1.``: what --since marked among the events shown."""
    assert context.since is not None
    marked = [context.since.marks.get(e.id) for e in context.selection.events]
    counts = f"{marked.count('new')} new and {marked.count('changed')} changed"
    return f"{counts} since {one_line(context.since.rev)}."


def _table(context: Context, notes: _Footnotes) -> list[str]:
    chronology = context.chronology
    numbered = bool(context.selection.numbers)
    head = ["#"] if numbered else []
    head += ["Date", "Event", "Actors", "Location"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for event in context.selection.events:
        cells = [str(context.selection.numbers[event.id])] if numbered else []
        cells += [
            escape(date_label(chronology, event, context.display)),
            f"{_mark(context, event)}**{one_line(event.title)}**{notes.refs(event)}",
            one_line(actor_names(chronology, event)),
            one_line(event.location or ""),
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def _mermaid(context: Context) -> list[str]:
    chronology = context.chronology
    lines = ["```mermaid", "timeline", f"    title {_mermaid_text(context.title)}"]
    year = None
    for event in context.selection.events:
        e_year = year_month(event.date, chronology.tz, context.display)[0]
        if e_year != year:
            lines.append(f"    section {e_year}")
            year = e_year
        when = _mermaid_text(date_label(chronology, event, context.display))
        lines.append(f"        {when} : {_mermaid_text(event.title)}")
    return [*lines, "```", ""]


def changes(
    revisions: tuple[str, str | None],
    old: Chronology,
    new: Chronology,
    sections: tuple[Sequence[Event], Sequence[Changed], Sequence[Event]],
    display: dt.tzinfo,
) -> bytes:
    """``chrono changes --format md``: a "New since REV" section for a report, with the
    events added, changed (a line per field: ``old → new``) and removed, all text escaped."""
    since, until = revisions
    title = f"New since {since}" if until is None else f"New in {until} since {since}"
    lines = [f"## {one_line(title)}", ""]
    added, changed, removed = sections
    if not (added or changed or removed):
        lines += ["No changes.", ""]
    if added:
        lines += ["### Added", "", *(_entry(new, event, display) for event in added), ""]
    if changed:
        lines += ["### Changed", ""]
        for _, after, fields in changed:
            lines.append(_entry(new, after, display))
            lines += [
                f"  - {one_line(name)}: {one_line(was)} {ARROW} {one_line(now)}"
                for name, was, now in field_lines(old, new, fields)
            ]
        lines.append("")
    if removed:
        lines += ["### Removed", "", *(_entry(old, event, display) for event in removed), ""]
    return ("\n".join(lines).rstrip("\n") + "\n").encode("utf-8")


def _entry(chronology: Chronology, event: Event, display: dt.tzinfo) -> str:
    """``- **22 Jan 2026** — **Title**``."""
    when = escape(date_label(chronology, event, display))
    return f"- **{when}** — **{one_line(event.title)}**"
