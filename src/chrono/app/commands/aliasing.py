"""``chrono actors alias``: spellings added to an actor's aliases, only that line changed."""

from typing import Annotated

import typer

from chrono.app import options, terminal
from chrono.app.commands.amend import ChangeFormat, DryRunOption, FormatOption, say_changed
from chrono.app.options import examples, settings_of
from chrono.app.status import ExitStatus

commands = typer.Typer()


@commands.command(
    "actors alias",
    epilog=examples(
        "chrono actors alias ushakov Uschakow 'Juri Uschakow'",
        "chrono actors alias Witkoff Witkow --dry-run",
    ),
)
def alias(
    ctx: typer.Context,
    key: Annotated[
        str,
        typer.Argument(
            metavar="KEY",
            help="The actor (its key, or any spelling of it).",
            autocompletion=options.complete_actor,
        ),
    ],
    spellings: Annotated[
        list[str], typer.Argument(metavar="SPELLING...", help="The spellings to add.")
    ],
    dry_run: DryRunOption = False,
    fmt: FormatOption = ChangeFormat.text,
    file: options.FileOption = None,
    no_cache: options.NoCacheOption = False,
) -> ExitStatus:
    """Add spellings to an actor's aliases, as 'chrono check' advises.

    Only the actor's aliases line changes (it is added when there is none); a spelling that
    is already the actor's is skipped, and one that names another actor is refused.
    """
    from chrono.operations import editing  # noqa: PLC0415

    settings = settings_of(ctx)
    path = terminal.opened(settings.log_path(file))
    changed = editing.alias(path, key, spellings, settings.cache, dry_run=dry_run)
    say_changed(changed, fmt, dry_run)
    return ExitStatus.OK
