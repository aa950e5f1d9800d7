"""``chrono rm``: events removed from the log, each with the comments that belong to it."""

from typing import TYPE_CHECKING, Annotated

import typer

from chrono.app import options, terminal
from chrono.app.commands.amend import ChangeFormat, DryRunOption, FormatOption, say_changed
from chrono.app.options import examples, settings_of
from chrono.app.status import Declined, ExitStatus
from chrono.app.terminal import stdin_is_tty

if TYPE_CHECKING:
    from pathlib import Path

    from chrono.storage.indexing import CacheSettings

commands = typer.Typer()


@commands.command(
    "rm",
    epilog=examples(
        "chrono rm 2026-01-22-putin-witkoff",
        "chrono rm 2026-01-22-putin 2026-01-23-talks --yes > removed.toml",
        "chrono rm 2026-01-22-putin --dry-run        # the diff, nothing written",
    ),
)
def rm(
    ctx: typer.Context,
    event_ids: Annotated[
        list[str],
        typer.Argument(
            metavar="ID...",
            help="Each event's id, or the start of exactly one id.",
            autocompletion=options.complete_id,
        ),
    ],
    yes: Annotated[
        bool, typer.Option("--yes", "-y", help="Remove without asking (for scripts).")
    ] = False,
    dry_run: DryRunOption = False,
    fmt: FormatOption = ChangeFormat.text,
    file: options.FileOption = None,
    no_cache: options.NoCacheOption = False,
) -> ExitStatus:
    """Remove events from the log, each with the comments that belong to it.

    The comment lines directly above an event's table go with it, and the blank lines
    after it; nothing else moves. The removed tables are printed on stdout, so
    'chrono rm ID > removed.toml' keeps them. On a terminal, chrono shows what will go
    and asks first; elsewhere it needs --yes.
    """
    from chrono.operations import editing  # noqa: PLC0415

    settings = settings_of(ctx)
    path = terminal.opened(settings.log_path(file))
    if not (yes or dry_run):
        _confirmed(path, event_ids, settings.cache)
    changed = editing.remove(path, event_ids, settings.cache, dry_run=dry_run)
    say_changed(changed, fmt, dry_run)
    return ExitStatus.OK


def _confirmed(path: "Path", event_ids: list[str], cache: "CacheSettings") -> None:
    """Show what would go and ask (on a terminal); elsewhere, --yes is needed."""
    from chrono.core.errors import UsageError  # noqa: PLC0415
    from chrono.core.text import plural  # noqa: PLC0415
    from chrono.operations import editing  # noqa: PLC0415

    if not stdin_is_tty():
        raise UsageError("not on a terminal to ask: give --yes to remove, or --dry-run to see")
    planned = editing.remove(path, event_ids, cache, dry_run=True)
    terminal.say("".join(planned.removed).rstrip("\n"))
    count = len(planned.removed)
    try:
        sure = typer.confirm(f"Remove {plural(count, 'event')}?", default=False, err=True)
    except typer.Abort:
        sure = False
    if not sure:
        terminal.say("chrono: nothing removed")
        raise Declined
