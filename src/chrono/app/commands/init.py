"""``chrono init``: write a short, commented starter log."""

from typing import Annotated

import typer

from chrono.app import terminal
from chrono.app.options import examples, settings_of

commands = typer.Typer()


@commands.command(
    epilog=examples("chrono init", "chrono init notes/events.toml --timezone Europe/Berlin")
)
def init(
    ctx: typer.Context,
    path: Annotated[
        str, typer.Argument(metavar="PATH", help="Where to write the new log.")
    ] = "events.toml",
    timezone: Annotated[
        str, typer.Option("--timezone", metavar="ZONE", help="The log's IANA time zone.")
    ] = "UTC",
) -> None:
    """Write a short, commented starter log; never overwrites an existing file."""
    from chrono.operations import starting  # noqa: PLC0415

    starting.start(path, timezone, settings_of(ctx).today)
    terminal.note(f"wrote {path}; try 'chrono check -f {path}'")
