"""``chrono set``: some fields of one event changed, every other byte of the log kept."""

from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any

import typer

from chrono.app import options, terminal
from chrono.app.options import examples, settings_of, value_option
from chrono.app.status import ExitStatus

if TYPE_CHECKING:
    from chrono.operations.editing import Changed

commands = typer.Typer()


class ChangeFormat(StrEnum):
    """Output formats of ``chrono set`` and ``chrono rm``."""

    text = "text"
    json = "json"


def _many(name: str, help: str, complete: str | None = None) -> Any:
    return value_option(name, metavar="TEXT", help=help + " Repeatable.", complete=complete)


DryRunOption = Annotated[
    bool, typer.Option("--dry-run", help="Print the change as a diff of the file; write nothing.")
]
FormatOption = Annotated[ChangeFormat, options.format_option("text, or json: what changed.")]
IdArgument = Annotated[
    str,
    typer.Argument(
        metavar="ID",
        help="The event's id, or the start of exactly one id.",
        autocompletion=options.complete_id,
    ),
]


@commands.command(
    "set",
    epilog=examples(
        "chrono set 2026-01-22-putin-witkoff --date 2026-01-23",
        "chrono set 2026-01-22-putin --add-source https://example.org/b --dry-run",
        'chrono set 2026-01-22-putin --add-actor Uschakow --summary "Five hours of talks."',
        "chrono set 2026-01-22-putin --no-end --location ''   # '' removes a field",
    ),
)
def set_(
    ctx: typer.Context,
    event_id: IdArgument,
    title: Annotated[
        str | None, value_option("--title", metavar="TEXT", help="A new title.")
    ] = None,
    date: Annotated[
        str | None,
        value_option("--date", "-d", metavar="DATE", help="A new date (as add takes it)."),
    ] = None,
    end: Annotated[
        str | None, value_option("--end", metavar="DATE", help="A new end of the span.")
    ] = None,
    no_end: Annotated[bool, typer.Option("--no-end", help="The event has no end.")] = False,
    summary: Annotated[
        str | None, value_option("--summary", metavar="TEXT", help="A new summary ('' removes it).")
    ] = None,
    location: Annotated[
        str | None,
        value_option("--location", "-l", metavar="TEXT", help="A new place ('' removes it)."),
    ] = None,
    kind: Annotated[
        str | None,
        value_option(
            "--kind",
            "-k",
            metavar="KIND",
            help="A new kind ('' removes it).",
            complete="kind",
        ),
    ] = None,
    add_actor: Annotated[
        list[str] | None, _many("--add-actor", "An actor (any spelling).", "actor")
    ] = None,
    remove_actor: Annotated[
        list[str] | None, _many("--remove-actor", "An actor to drop.", "actor")
    ] = None,
    add_tag: Annotated[list[str] | None, _many("--add-tag", "A tag.", "tag")] = None,
    remove_tag: Annotated[list[str] | None, _many("--remove-tag", "A tag to drop.", "tag")] = None,
    add_source: Annotated[list[str] | None, _many("--add-source", "A URL or citation.")] = None,
    remove_source: Annotated[
        list[str] | None, _many("--remove-source", "A source to drop.")
    ] = None,
    new_actor: Annotated[
        bool, typer.Option("--new-actor", help="Accept actor names not in the registry.")
    ] = False,
    dry_run: DryRunOption = False,
    fmt: FormatOption = ChangeFormat.text,
    file: options.FileOption = None,
    no_cache: options.NoCacheOption = False,
) -> ExitStatus:
    """Change fields of one event, rewriting only the lines of the keys that change.

    Comments, quoting, key order and the other keys stay byte for byte; a key that was
    not there is added at the end of the event's table. Actor names and dates are read
    as 'chrono add' reads them.
    """
    from chrono.operations import editing  # noqa: PLC0415

    settings = settings_of(ctx)
    asked = editing.Amendments(
        title, date, end, no_end, summary, location, kind,
        tuple(add_actor or ()), tuple(remove_actor or ()), tuple(add_tag or ()),
        tuple(remove_tag or ()), tuple(add_source or ()), tuple(remove_source or ()), new_actor,
    )  # fmt: skip
    path = terminal.opened(settings.log_path(file))
    changed = editing.set_fields(path, event_id, asked, settings.cache, settings.today,
                                 dry_run=dry_run)  # fmt: skip
    say_changed(changed, fmt, dry_run)
    return ExitStatus.OK


def say_changed(changed: "Changed", fmt: ChangeFormat, dry_run: bool) -> None:
    """What a change did: notes on stderr; on stdout the diff (``--dry-run``), the change as
    JSON, or the tables removed (``rm``, ``actors merge``)."""
    from chrono.output import changes  # noqa: PLC0415
    from chrono.output.records import to_json  # noqa: PLC0415

    if changed.note is not None:
        terminal.say(changed.note)
    for note in changed.notes:
        terminal.note(note)
    said = [
        (after.id if after else before.id if before else "", "changed" if after else "removed",
         fields)
        for (before, after), fields in zip(changed.events, changed.fields, strict=True)
    ] + [(f"actors.{key}", what, fields) for key, what, fields in changed.actors]  # fmt: skip
    if fmt is ChangeFormat.json:
        terminal.write(to_json(changes.record(said, changed.removed, dry_run)))
    elif dry_run:
        terminal.write(changes.diff(changed.before, changed.after, changed.path.name))
    else:
        terminal.write("".join(t if t.endswith("\n") else t + "\n" for t in changed.removed))
    if dry_run:
        terminal.note("dry run: nothing written")
    else:
        terminal.note(changes.summary(said, str(changed.path)))
