"""What changed between two versions of the log, on the terminal: sections Added,
Changed and Removed, each event with its date and title, a change as ``field: old → new``.

The values of a changed field are plain text here (:func:`value_text`), which the
Markdown of ``chrono changes --format md`` escapes in turn.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from chrono.core.model import Chronology, Event
from chrono.output.safe_text import clean

if TYPE_CHECKING:
    from rich.console import Console

    from chrono.output.lines import Lines

ARROW = "→"
NONE = "(none)"
Changed = tuple[Event, Event, Mapping[str, tuple[Any, Any]]]  # old, new, field -> (old, new)
ActorChanged = tuple[str, str, Mapping[str, tuple[Any, Any]]]  # key, what, fields


def value_text(chronology: Chronology, field: str, value: Any) -> str:
    """A field's value as one line of plain text: actors by name, a list joined by commas,
    an absent value ``(none)``, a line break a blank."""
    if value is None or value in ([], ""):
        return NONE
    if field == "actors" and isinstance(value, list):
        value = [chronology.registry.display(str(key)) for key in value]
    if isinstance(value, list):
        return ", ".join(value_text(chronology, "", v) for v in value)
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return " ".join(str(value).split())


def field_lines(
    old: Chronology, new: Chronology, fields: Mapping[str, tuple[Any, Any]]
) -> list[tuple[str, str, str]]:
    """Each changed field as (name, old text, new text)."""
    return [
        (name, value_text(old, name, before), value_text(new, name, after))
        for name, (before, after) in fields.items()
    ]


def span_words(since: str, until: str | None) -> str:
    """``since HEAD~2`` (to the work tree), or ``from v1 to v2``."""
    return f"since {since}" if until is None else f"from {since} to {until}"


def timeline(
    console: Console,
    revisions: tuple[str, str | None],
    old: Chronology,
    new: Chronology,
    sections: tuple[Sequence[Event], Sequence[Changed], Sequence[Event]],
    display: dt.tzinfo,
    actors: Sequence[ActorChanged] = (),
) -> None:
    """The sections Added, Changed and Removed (and Actors) that have anything in them:
    added and removed events as ``chrono list`` shows them, each changed one with its
    date and title, then a line per field."""
    from rich.text import Text  # noqa: PLC0415

    from chrono.core.query import Selection  # noqa: PLC0415
    from chrono.output import timeline as view  # noqa: PLC0415

    added, changed, removed = sections
    words = span_words(*revisions)
    console.print(Text(clean(words[0].upper() + words[1:]), style="bold"))

    def section(title: str, style: str, chronology: Chronology, events: Sequence[Event]) -> None:
        console.print(Text(title, style=style))
        view.timeline(console, chronology, Selection(tuple(events), {}, len(events)), display)

    if added:
        section("Added", "bold green", new, added)
    if changed:
        _changed(console, old, new, changed, display)
    if removed:
        section("Removed", "bold red", old, removed)
    if actors:
        _actors(console, old, new, actors)


def _changed(
    console: Console,
    old: Chronology,
    new: Chronology,
    changed: Sequence[Changed],
    display: dt.tzinfo,
) -> None:
    from chrono.output.labels import date_label  # noqa: PLC0415
    from chrono.output.lines import Lines  # noqa: PLC0415

    out = Lines(console)
    out.line(("Changed", "bold yellow"))
    for _, after, fields in changed:
        out.line(("  ", ""), (clean(date_label(new, after, display)), "cyan"), ("  ", ""),
                 (clean(after.title), "bold"))  # fmt: skip
        for name, was, now in field_lines(old, new, fields):
            _field(out, console.width, name, was, now)
    out.flush()


def _field(out: Lines, width: int, name: str, was: str, now: str) -> None:
    """``    field: old → new``, wrapped under itself."""
    from chrono.output.lines import Atom, pack, words  # noqa: PLC0415

    atoms = [Atom(f"{clean(name)}: ", "dim"), *words(clean(was) + " ", "red")]
    atoms += [Atom(f"{ARROW} ", "dim"), *words(clean(now), "green")]
    for line in pack(atoms, max(width - 6, 1)):
        out.line(("      ", ""), *line)


def _actors(
    console: Console, old: Chronology, new: Chronology, actors: Sequence[ActorChanged]
) -> None:
    from chrono.output.lines import Lines  # noqa: PLC0415

    out = Lines(console)
    out.line(("Actors", "bold"))
    for key, what, fields in actors:
        name = (old if what == "removed" else new).registry.display(key)
        said = (f" ({clean(key)})", "dim")
        out.line(("  ", ""), (f"{what} ", "dim"), (clean(name), "bold"), said)
        if what == "changed":
            for field, was, now in field_lines(old, new, fields):
                _field(out, console.width, field, was, now)
    out.flush()
