"""``chrono actors``: the actor table, one actor in detail, or who met whom."""

from enum import StrEnum
from typing import TYPE_CHECKING, Annotated

import typer

from chrono.app import options, terminal
from chrono.app.options import examples, settings_of, with_filters

if TYPE_CHECKING:
    from chrono.operations.querying import Filters
    from chrono.operations.summaries import Actors

commands = typer.Typer()


class ActorSort(StrEnum):
    """Orders of the actor table."""

    events = "events"
    name = "name"
    first = "first"


class TableFormat(StrEnum):
    """Output formats of ``chrono actors``."""

    table = "table"
    json = "json"


@commands.command(
    epilog=examples(
        "chrono actors",
        "chrono actors --sort first",
        "chrono actors Uschakow          # one actor: events and who they meet",
        "chrono actors --pairs           # who met whom, how often",
        "chrono actors --pairs -k meeting --on 2026-01   # who met whom in January's meetings",
        "chrono actors Witkoff --pairs   # whom Witkoff met, how often",
        "chrono actors --format json",
        "chrono actors alias ushakov Uschakow   # add a spelling to an actor's aliases",
        "chrono actors rename vvp putin         # a new key, in every event too",
        "chrono actors merge vvp putin          # two actors made one",
    )
)
@with_filters
def actors(
    ctx: typer.Context,
    name: Annotated[
        str | None,
        typer.Argument(
            metavar="[NAME]",
            help="Show one actor (any spelling).",
            show_default=False,
            autocompletion=options.complete_actor,
        ),
    ] = None,
    *,
    filters: "Filters",  # the filter options (with_filters)
    pairs: Annotated[
        bool, typer.Option("--pairs", help="List pairs of actors by the events they share.")
    ] = False,
    sort: Annotated[
        ActorSort, typer.Option("--sort", help="Order of the table.")
    ] = ActorSort.events,
    fmt: Annotated[TableFormat, options.format_option("table or json.")] = TableFormat.table,
    tz: options.TzOption = None,
    file: options.FileOption = None,
    no_cache: options.NoCacheOption = False,
    pager: options.PagerOption = None,
) -> None:
    """List the actors: events, first and last appearance; or one actor; or who met whom.

    The filters of 'chrono list' narrow the events counted: the table then holds the
    actors of those events only.
    """
    from chrono.operations import summaries  # noqa: PLC0415

    settings = settings_of(ctx)
    found = summaries.actors(
        terminal.opened(settings.log_path(file)),
        settings.reading(),
        name=name,
        pairs=pairs,
        sort=sort.value,
        zone=tz,
        filters=filters,
        notes=terminal.note,
    )
    if fmt is TableFormat.json:
        _json(found)
        return
    from chrono.output import render  # noqa: PLC0415

    chronology = found.chronology
    with terminal.viewed(settings, pager) as console:
        if found.pairs is not None:
            render.pairs_table(console, chronology, found.pairs)
        elif found.details is not None:
            for one in found.details:
                detail = (one.summary, one.selection, one.together, found.display)
                render.actor_detail(console, chronology, *detail)
        else:
            render.actors_table(console, chronology, found.summaries, found.display)


def _json(found: "Actors") -> None:
    """The pairs, each actor asked for, or the table, as JSON (one document each)."""
    from chrono.output import records  # noqa: PLC0415

    chronology = found.chronology
    if found.pairs is not None:
        rows = [records.pair_record(chronology, a, b, n) for a, b, n in found.pairs]
        terminal.write(records.to_json(rows))
    elif found.details is not None:
        for one in found.details:
            events = one.selection.events
            record = records.actor_detail_record(chronology, one.summary, events, one.together)
            terminal.write(records.to_json(record))
    else:
        table = [records.summary_record(chronology, s) for s in found.summaries]
        terminal.write(records.to_json(table))
