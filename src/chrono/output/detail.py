"""One event with every field, and one actor with its events and company."""

from __future__ import annotations

import datetime as dt
import re

from rich.cells import cell_len
from rich.console import Console
from rich.style import Style
from rich.text import Text

from chrono.core.model import Chronology, Event
from chrono.core.query import ActorSummary, Selection
from chrono.output.labels import date_label
from chrono.output.lines import Atom, pack, phrases, words
from chrono.output.safe_text import clean
from chrono.output.tables import company_table
from chrono.output.timeline import timeline


def show(
    console: Console,
    chronology: Chronology,
    event: Event,
    neighbours: tuple[Event | None, Event | None],
    display: dt.tzinfo,
) -> None:
    """Every field of one event, then the previous and next events sharing an actor.

    Each field is a label and its value, wrapped under itself; a name, a date, an id
    and a URL are never broken (a URL wider than the terminal runs past its edge on its
    own line, whole, to be clicked or copied), and an http(s) URL is a link where the
    console writes styles.
    """
    console.print(Text(clean(event.title), style="bold"))
    rows = _fields(chronology, event, display)
    before, after = neighbours
    for name, other in (("previous", before), ("next", after)):
        if other is not None:
            rows.append((name, _neighbour(chronology, event, other, display)))
    labels = max(cell_len(name) for name, _ in rows)
    room = max(console.width - labels - 2, 1)
    for name, paragraphs in rows:
        lines = [line for atoms in paragraphs for line in pack(atoms, room)]
        for i, line in enumerate(lines):
            head = Text(name.ljust(labels) + "  " if i == 0 else " " * (labels + 2), style="")
            head.stylize("dim", 0, len(name) if i == 0 else 0)
            console.print(Text.assemble(head, *line), soft_wrap=True)  # laid out: never cut


Paragraphs = list[list[Atom]]  # a field's value: each paragraph starts a line


def _fields(
    chronology: Chronology, event: Event, display: dt.tzinfo
) -> list[tuple[str, Paragraphs]]:
    """Each field of the event that has a value, as (label, paragraphs)."""
    when = date_label(chronology, event, display)
    iso = event.date.isoformat() + (f" / {event.end.isoformat()}" if event.end else "")
    rows: list[tuple[str, Paragraphs]] = [
        ("id", [[Atom(clean(event.id), whole=True)]]),
        ("date", [phrases([when, f"({iso})"], "  ")]),
    ]
    for name, value in (("kind", event.kind), ("location", event.location)):
        if value:
            rows.append((name, [words(clean(value))]))
    if event.actors:
        rows.append(("actors", [_actor(chronology, key) for key in event.actors]))
    if event.tags:
        rows.append(("tags", [phrases([clean(tag) for tag in event.tags])]))
    if event.summary:
        text = clean(event.summary.strip(), multiline=True)
        rows.append(("summary", [words(line) for line in text.split("\n")]))
    if event.sources:
        rows.append(("sources", [_source(i, s) for i, s in enumerate(event.sources, start=1)]))
    rows += [(clean(key), [words(clean(repr(value)))]) for key, value in event.extra.items()]
    rows.append(("line", [[Atom(f"{chronology.path}:{event.line}", whole=True)]]))
    return rows


def _actor(chronology: Chronology, key: str) -> list[Atom]:
    """``Mira Murati — Chief technology officer``: the name whole, the role in words."""
    actor = chronology.registry.actors.get(key)
    if actor is None:
        return [Atom(clean(key) + " "), *words("(not in the registry)")]
    if not actor.role:
        return [Atom(clean(actor.name))]
    return [Atom(clean(actor.name) + " — "), *words(clean(actor.role))]


_URL = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://\S+")
_LINKED = re.compile(r"https?://\S+", re.IGNORECASE)


def _source(number: int, source: str) -> list[Atom]:
    """``[1] https://…``: a URL whole, and an http(s) one a link; other words wrap."""
    atoms = [Atom(f"[{number}] ")]
    for atom in words(clean(source)):
        url = atom.text.strip()
        if _URL.fullmatch(url):
            link = Style(link=url) if _LINKED.fullmatch(url) else ""
            atoms += [Atom(url, link, whole=True), Atom(atom.text[len(url) :])]
        else:
            atoms.append(atom)
    return atoms


def _neighbour(
    chronology: Chronology, event: Event, other: Event, display: dt.tzinfo
) -> Paragraphs:
    """The previous or next event: its date and title, then its id and the actors shared."""
    shared = [clean(chronology.registry.display(a)) for a in other.actors if a in event.actors]
    when = Atom(date_label(chronology, other, display) + "  ")
    heading = [when, *words(clean(other.title), "bold")]
    company = [Atom(clean(other.id) + " ", "dim", whole=True), *words("· with ", "dim")]
    return [heading, company + phrases(shared, style="dim")]


def actor_detail(
    console: Console,
    chronology: Chronology,
    summary: ActorSummary,
    selection: Selection,
    together: list[tuple[str, int]],
    display: dt.tzinfo,
) -> None:
    """One actor: who it is, its events as a short timeline, who it appears with most."""
    key = f"({clean(summary.key)})" if summary.registered else "(not in the registry)"
    _lines(console, [Atom(clean(summary.name) + "  ", "bold"), Atom(key, "dim")])
    if summary.role:
        _lines(console, words(clean(summary.role)))
    if summary.aliases:
        aliases = [clean(alias) for alias in summary.aliases]
        _lines(console, [Atom("also: ", "dim"), *phrases(aliases, style="dim")])
    console.print()
    if selection.events:
        timeline(console, chronology, selection, display)
    if together:
        console.print()
        company_table(console, chronology, together)


def _lines(console: Console, atoms: list[Atom]) -> None:
    """``atoms`` laid out to the console's width (a name is never broken)."""
    for line in pack(atoms, console.width):
        console.print(Text.assemble(*line), soft_wrap=True)
