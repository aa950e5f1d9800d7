"""The timeline: events under year and month headings, with quiet markers for long gaps."""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

from rich.cells import cell_len
from rich.console import Console
from rich.text import Text

from chrono.core.dates import DAY_US, Precision
from chrono.core.datetext import year_month
from chrono.core.model import Chronology, Event
from chrono.core.query import Selection
from chrono.output.labels import MONTHS, count_line, date_label, gap_text
from chrono.output.lines import Atom, Lines, pack, phrases, words
from chrono.output.safe_text import clean

Piece = tuple[str, str]  # a text and its rich style


class _Layout(NamedTuple):
    """Where a timeline's columns fall."""

    width: int  # of the widest date label
    number_width: int  # of the widest "#n", 0 when unnumbered
    indent: int  # where titles and their lines start
    stacked: bool  # titles go under the number and date: the width left is too narrow
    body_width: int  # the width left for titles and their lines


def _layout(console: Console, labels: list[str], numbers: dict[str, int]) -> _Layout:
    width = max((cell_len(t) for t in labels), default=0)
    number_width = max((len(f"#{n}") for n in numbers.values()), default=0)
    indent = 2 + width + 1 + (number_width + 1 if number_width else 0)
    stacked = console.width - indent < 12
    if stacked:  # a narrow terminal, or very long date labels
        indent = 4
    return _Layout(width, number_width, indent, stacked, max(console.width - indent, 1))


def timeline(
    console: Console,
    chronology: Chronology,
    selection: Selection,
    display: dt.tzinfo,
    gap_days: int = 45,
) -> None:
    """Events under year and month headings, with quiet markers for long gaps.

    Each event is one row: its date, its number when there is one, then its title and a
    line of actors, place and kind, wrapped to the width left and indented under it;
    when that leaves under 12 columns, the title and the line go under the number and
    date. The rows are laid out here rather than in a rich table, which measured every
    cell of every row again (a third of a second for 500 events), and printed a few
    hundred at a time, so that a pager or ``head`` sees the first at once.
    """
    events = selection.events
    labels = [date_label(chronology, e, display) for e in events]
    layout = _layout(console, labels, selection.numbers)
    year = month = None
    out = Lines(console)
    previous: Event | None = None
    for event, text in zip(events, labels, strict=True):
        if previous is not None:
            _gap(out, console, layout, previous, event, gap_days)
        previous = event
        e_year, e_month_number = year_month(event.date, chronology.tz, display)
        e_month = e_month_number if event.date.precision >= Precision.MONTH else None
        if e_year != year:
            out.line((str(e_year), "bold underline"))
            year, month = e_year, None
        if e_month is not None and e_month != month:
            out.line((f" {MONTHS[e_month - 1]}", "bold"))
            month = e_month
        number = f"#{selection.numbers[event.id]}" if layout.number_width else ""
        _event(out, console, chronology, layout, event, text, number)
    out.flush()
    console.print(Text(count_line(chronology, selection), style="dim"))


def _gap(
    out: Lines, console: Console, layout: _Layout, previous: Event, event: Event, gap_days: int
) -> None:
    """A marker between two events further apart than ``gap_days``."""
    earlier, later = sorted((previous, event), key=lambda e: e.sort_key)
    gap = later.start - earlier.stop
    if gap > gap_days * DAY_US:
        marker = f"· {gap_text(gap)} ·"
        at = layout.indent if layout.stacked else layout.width + 4
        pad = max(min(at, console.width - len(marker)), 0)
        out.line((" " * pad + marker, "dim italic"))


def _event(
    out: Lines,
    console: Console,
    chronology: Chronology,
    layout: _Layout,
    event: Event,
    text: str,
    number: str,
) -> None:
    """One event's rows: date and number, then its title and a line of who, where, what."""
    numbered: Piece = (number, "magenta") if layout.number_width else ("", "")
    first: tuple[Piece, ...]
    if layout.stacked:  # the number first, where a long date cannot push it out of sight
        out.line(("  ", ""), numbered, (" " if layout.number_width else "", ""), (text, "cyan"))
        first = ((" " * layout.indent, ""),)
    else:
        first = (("  ", ""), (text, "cyan"))
        used = 2 + cell_len(text)
        if layout.number_width:
            spaces = " " * (layout.width - cell_len(text) + 1)
            first += ((spaces, ""), numbered)
            used += len(spaces) + len(number)
        first += ((" " * (layout.indent - used), ""),)
    lines = pack(words(clean(event.title), "bold"), layout.body_width)
    meta = _meta(chronology, event)
    if meta:
        lines += pack(meta, layout.body_width)
    margin = (" " * layout.indent, "")
    for i, line in enumerate(lines):
        out.line(*(first if i == 0 else (margin,)), *line)


def _meta(chronology: Chronology, event: Event) -> list[Atom]:
    """Who, where, what: ``Mira Murati, Sam Altman · San Francisco · meeting``, which
    breaks between the names and the parts of the place, never inside one."""
    names = [clean(chronology.registry.display(a)) for a in event.actors]
    parts = [phrases(names, style="dim")] if names else []
    if event.location:  # a place breaks only after its commas: "St Petersburg, Russia"
        parts.append(phrases(clean(event.location).split(", "), style="dim"))
    if event.kind:
        parts.append(words(clean(event.kind), "dim"))
    atoms: list[Atom] = []
    for part in parts:
        if atoms:  # "·" may start the next line, as rich would break the words
            atoms[-1] = atoms[-1]._replace(text=atoms[-1].text.rstrip() + " ")
            atoms.append(Atom("· ", "dim"))
        atoms += part
    return atoms
