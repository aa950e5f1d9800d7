"""``chrono list``: the events a question selects, as a timeline, a table, JSON or ids."""

from enum import StrEnum
from typing import TYPE_CHECKING, Annotated

import typer

from chrono.app import options, terminal
from chrono.app.options import examples, settings_of, with_filters
from chrono.app.status import ExitStatus

if TYPE_CHECKING:
    from chrono.app.settings import Settings
    from chrono.operations.querying import Answer, Filters

commands = typer.Typer()


class ListFormat(StrEnum):
    """Output formats of ``chrono list``."""

    timeline = "timeline"
    table = "table"
    json = "json"
    ids = "ids"


@commands.command(
    name="list",
    epilog=examples(
        "chrono list -a Putin -a Witkoff --kind meeting",
        "chrono list --on 'January 2026'",
        "chrono list --from 2025-12 --to 2026-01 -t ukraine --format table",
        "chrono list -s 'Board of Peace' --format json",
        "chrono list -a Uschakow -n 3 --reverse",
    ),
)
@with_filters
def list_(
    ctx: typer.Context,
    *,
    file: options.FileOption = None,
    no_cache: options.NoCacheOption = False,
    filters: "Filters",  # the filter options (with_filters)
    fmt: Annotated[
        ListFormat, options.format_option("How to print the events.")
    ] = ListFormat.timeline,
    tz: options.TzOption = None,
    pager: options.PagerOption = None,
) -> ExitStatus:
    """List events, oldest first: filter by actor, date, tag, kind, place or text.

    All filters combine (AND). DATE may be partial: --on 2026-01 is the whole month.
    An event is selected when its span overlaps the dates asked.
    """
    from chrono.operations import querying  # noqa: PLC0415

    settings = settings_of(ctx)
    found = querying.answer(
        terminal.opened(settings.log_path(file)),
        filters,
        settings.reading(),
        zone=tz,
        want_events=fmt is not ListFormat.ids,
        notes=terminal.note,
    )
    events = found.selection.events
    if fmt is ListFormat.json:
        from chrono.output.records import event_record, to_json  # noqa: PLC0415

        chronology = found.chronology()
        numbers = found.selection.numbers
        terminal.write(to_json([event_record(chronology, e, numbers.get(e.id)) for e in events]))
    elif fmt is ListFormat.ids:
        from chrono.output.safe_text import clean  # noqa: PLC0415

        terminal.write("".join(f"{clean(e.id)}\n" for e in events))
    elif events:
        _view(found, fmt, pager, settings)
    return terminal.matched(len(events))


def _view(found: "Answer", fmt: ListFormat, pager: bool | None, settings: "Settings") -> None:
    """The timeline or the table on the terminal, paged (see ``terminal.viewed``)."""
    from chrono.output import render  # noqa: PLC0415

    chronology = found.chronology()
    with terminal.viewed(settings, pager) as console:
        if fmt is ListFormat.table:
            render.table(console, chronology, found.selection, found.display)
        else:
            render.timeline(console, chronology, found.selection, found.display)
