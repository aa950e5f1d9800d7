"""One event with every field, and one actor with its events and company."""

from __future__ import annotations

import datetime as dt

from rich.console import Console
from rich.table import Table
from rich.text import Text

from chrono.core.model import Chronology, Event
from chrono.core.query import ActorSummary, Selection
from chrono.output.labels import date_label
from chrono.output.safe_text import clean
from chrono.output.timeline import timeline


def show(
    console: Console,
    chronology: Chronology,
    event: Event,
    neighbours: tuple[Event | None, Event | None],
    display: dt.tzinfo,
) -> None:
    """Every field of one event, then the previous and next events sharing an actor."""
    console.print(Text(clean(event.title), style="bold"))
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="dim", no_wrap=True)
    grid.add_column(ratio=1, overflow="fold")  # a long URL is folded, never cut
    when = date_label(chronology, event, display)
    iso = event.date.isoformat() + (f" / {event.end.isoformat()}" if event.end else "")
    grid.add_row("id", Text(clean(event.id)))
    grid.add_row("date", Text(f"{when}  ({iso})"))
    for name, value in (("kind", event.kind), ("location", event.location)):
        if value:
            grid.add_row(name, Text(clean(value)))
    registry = chronology.registry
    if event.actors:
        lines = []
        for key in event.actors:
            actor = registry.actors.get(key)
            if actor is None:
                lines.append(f"{key} (not in the registry)")
            else:
                lines.append(actor.name + (f" — {actor.role}" if actor.role else ""))
        grid.add_row("actors", Text(clean("\n".join(lines), multiline=True)))
    if event.tags:
        grid.add_row("tags", Text(clean(", ".join(event.tags))))
    if event.summary:
        grid.add_row("summary", Text(clean(event.summary.strip(), multiline=True)))
    if event.sources:
        listed = "\n".join(f"[{i}] {s}" for i, s in enumerate(event.sources, start=1))
        grid.add_row("sources", Text(clean(listed, multiline=True)))
    for key, value in event.extra.items():
        grid.add_row(Text(clean(key)), Text(clean(repr(value))))
    grid.add_row("line", Text(f"{chronology.path}:{event.line}"))
    before, after = neighbours
    for name, other in (("previous", before), ("next", after)):
        if other is not None:
            shared = [registry.display(a) for a in other.actors if a in event.actors]
            text = Text(f"{date_label(chronology, other, display)}  ")
            text.append(clean(other.title), style="bold")
            text.append(f"\n{clean(other.id)} · with {clean(', '.join(shared))}", style="dim")
            grid.add_row(name, text)
    console.print(grid)


def actor_detail(
    console: Console,
    chronology: Chronology,
    summary: ActorSummary,
    selection: Selection,
    together: list[tuple[str, int]],
    display: dt.tzinfo,
) -> None:
    """One actor: who it is, its events as a short timeline, who it appears with most."""
    heading = Text(clean(summary.name), style="bold")
    heading.append(
        f"  ({clean(summary.key)})" if summary.registered else "  (not in the registry)",
        style="dim",
    )
    console.print(heading)
    if summary.role:
        console.print(Text(clean(summary.role)))
    if summary.aliases:
        console.print(Text("also: " + clean(", ".join(summary.aliases)), style="dim"))
    console.print()
    if selection.events:
        timeline(console, chronology, selection, display)
    if together:
        console.print()
        grid = Table(header_style="bold", title=None, expand=False)
        grid.add_column("Appears with")
        grid.add_column("Events", justify="right")
        for key, count in together:
            grid.add_row(Text(clean(chronology.registry.display(key))), Text(str(count)))
        console.print(grid)
