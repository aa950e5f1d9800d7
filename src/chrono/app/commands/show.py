"""``chrono show``: every field of one event, and its neighbours sharing an actor."""

from typing import Annotated

import typer

from chrono.app import options, terminal
from chrono.app.options import examples, settings_of

commands = typer.Typer()


@commands.command(
    epilog=examples(
        "chrono show 2026-01-22-putin-witkoff-kremlin",
        "chrono show 2026-01-22-putin     # a unique prefix is enough",
        "chrono show 2025-12-02-putin-witkoff-kushner-moscow --format json",
    )
)
def show(
    ctx: typer.Context,
    event_id: Annotated[
        str,
        typer.Argument(
            metavar="ID",
            help="The event's id or a unique prefix of it.",
            autocompletion=options.complete_id,
        ),
    ],
    file: options.FileOption = None,
    no_cache: options.NoCacheOption = False,
    fmt: Annotated[str, options.format_option("text or json.", "<text|json>")] = "text",
    tz: options.TzOption = None,
    pager: options.PagerOption = None,
) -> None:
    """Show every field of one event, and the previous and next events sharing an actor."""
    from chrono.operations import showing  # noqa: PLC0415

    if fmt not in ("text", "json"):
        raise terminal.bad_choice("--format", fmt, ("text", "json"))
    settings = settings_of(ctx)
    shown = showing.show(
        terminal.opened(settings.log_path(file)), event_id, settings.reading(), zone=tz
    )
    if fmt == "json":
        from chrono.output.records import shown_record, to_json  # noqa: PLC0415

        record = shown_record(shown.chronology, shown.event, shown.before, shown.after)
        terminal.write(to_json(record))
        return
    from chrono.output import render  # noqa: PLC0415

    neighbours = (shown.before, shown.after)
    with terminal.viewed(settings, pager) as console:
        render.show(console, shown.chronology, shown.event, neighbours, shown.display)
