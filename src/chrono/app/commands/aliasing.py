"""``chrono actors alias``, ``rename`` and ``merge``: the actor registry changed, and every
event that names the actor with it, only those lines rewritten."""

from typing import Annotated

import typer

from chrono.app import options, terminal
from chrono.app.commands.amend import ChangeFormat, DryRunOption, FormatOption, say_changed
from chrono.app.options import examples, settings_of
from chrono.app.status import ExitStatus

commands = typer.Typer()


def _actor(metavar: str, help: str) -> object:
    return typer.Argument(metavar=metavar, help=help, autocompletion=options.complete_actor)


KeyArgument = Annotated[str, _actor("KEY", "The actor (its key, or any spelling of it).")]


@commands.command(
    "actors alias",
    epilog=examples(
        "chrono actors alias ushakov Uschakow 'Juri Uschakow'",
        "chrono actors alias Witkoff Witkow --dry-run",
    ),
)
def alias(
    ctx: typer.Context,
    key: KeyArgument,
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
    from chrono.operations import recasting  # noqa: PLC0415

    settings = settings_of(ctx)
    path = terminal.opened(settings.log_path(file))
    say_changed(
        recasting.alias(path, key, spellings, settings.cache, dry_run=dry_run), fmt, dry_run
    )
    return ExitStatus.OK


@commands.command(
    "actors rename",
    epilog=examples(
        "chrono actors rename vvp putin",
        "chrono actors rename 'Steve Witkoff' witkoff --dry-run",
    ),
)
def rename(
    ctx: typer.Context,
    key: KeyArgument,
    new_key: Annotated[
        str, typer.Argument(metavar="NEWKEY", help="The new key (lower-case letters, digits, - _).")
    ],
    dry_run: DryRunOption = False,
    fmt: FormatOption = ChangeFormat.text,
    file: options.FileOption = None,
    no_cache: options.NoCacheOption = False,
) -> ExitStatus:
    """Give an actor a new key, in its table's header and in every event that names it.

    Only the header line and the actors lines of those events change (the actors written
    as keys); every other byte stays. A key another actor has is refused: merge them.
    """
    from chrono.operations import recasting  # noqa: PLC0415

    settings = settings_of(ctx)
    path = terminal.opened(settings.log_path(file))
    say_changed(recasting.rename(path, key, new_key, settings.cache, dry_run=dry_run), fmt, dry_run)
    return ExitStatus.OK


@commands.command(
    "actors merge",
    epilog=examples(
        "chrono actors merge vvp putin   # vvp's events now name putin",
        "chrono actors merge 'W. Putin' putin --dry-run",
    ),
)
def merge(
    ctx: typer.Context,
    source: Annotated[str, _actor("FROM", "The actor that goes (its key, or any spelling).")],
    target: Annotated[str, _actor("INTO", "The actor that stays (its key, or any spelling).")],
    dry_run: DryRunOption = False,
    fmt: FormatOption = ChangeFormat.text,
    file: options.FileOption = None,
    no_cache: options.NoCacheOption = False,
) -> ExitStatus:
    """Make two actors one: FROM's table goes, and its events name INTO instead.

    INTO's aliases gain FROM's name and aliases, so every spelling still finds the events;
    FROM's role and note are not kept (the removed table is printed, as rm prints it).
    """
    from chrono.operations import recasting  # noqa: PLC0415

    settings = settings_of(ctx)
    path = terminal.opened(settings.log_path(file))
    say_changed(
        recasting.merge(path, source, target, settings.cache, dry_run=dry_run), fmt, dry_run
    )
    return ExitStatus.OK
