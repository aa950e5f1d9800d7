"""``chrono add``: one event appended to the log, every existing byte kept as it was."""

from enum import StrEnum
from typing import TYPE_CHECKING, Annotated

import typer

from chrono.app import options, terminal
from chrono.app.options import examples, settings_of, value_option
from chrono.app.status import ExitStatus
from chrono.app.terminal import stdin_is_tty

if TYPE_CHECKING:
    from pathlib import Path

    from chrono.app.settings import Settings
    from chrono.operations.adding import Added, Typed
    from chrono.storage.fingerprint import Hashing

commands = typer.Typer()


class AddFormat(StrEnum):
    """Output formats of ``chrono add``."""

    text = "text"
    json = "json"


TitleArgument = Annotated[
    str | None, typer.Argument(metavar="TITLE", help="The event's title.", show_default=False)
]
DateOption = Annotated[
    str | None,
    value_option(
        "--date",
        "-d",
        metavar="DATE",
        help="When: 2026-01-23, 2026-01, '23. Januar 2026', 'Dez 2025~', today, "
        "2026-01-23T22:30+03:00 ... kept at the precision given.",
    ),
]
EndOption = Annotated[str | None, value_option("--end", metavar="DATE", help="End of a span.")]
ActorOption = Annotated[
    list[str] | None,
    value_option(
        "--actor",
        "-a",
        metavar="NAME",
        help="An actor (key, name or alias); stored as its registry key. Repeatable.",
        complete="actor",
    ),
]
LocationOption = Annotated[
    str | None, value_option("--location", "-l", metavar="TEXT", help="Where it happened.")
]
TagOption = Annotated[
    list[str] | None,
    value_option("--tag", "-t", metavar="TAG", help="Repeatable.", complete="tag"),
]
KindOption = Annotated[
    str | None,
    value_option(
        "--kind",
        "-k",
        metavar="KIND",
        help="meeting, call, summit, statement ...",
        complete="kind",
    ),
]
SummaryOption = Annotated[
    str | None,
    value_option("--summary", metavar="TEXT", help="What happened, in a sentence or two."),
]
SourceOption = Annotated[
    list[str] | None, value_option("--source", metavar="URL", help="A URL or citation. Repeatable.")
]
IdOption = Annotated[
    str | None, value_option("--id", metavar="ID", help="The id (default: date and title).")
]
NewActorOption = Annotated[
    bool, typer.Option("--new-actor", help="Accept actor names not in the registry, as free text.")
]
RegisterOption = Annotated[
    bool, typer.Option("--register", help="With --new-actor: also add them to the registry.")
]
DryRunOption = Annotated[
    bool, typer.Option("--dry-run", help="Print the TOML that would be appended; change nothing.")
]
FormatOption = Annotated[AddFormat, options.format_option("text, or json: the stored event.")]


@commands.command(
    epilog=examples(
        'chrono add "Putin receives Witkoff" --date 2026-01-22 -a putin -a witkoff -k meeting',
        'chrono add "Talks in Riyadh" --date "Dez 2025~" --end 2026-01 -t ukraine',
        'chrono add "Envoy named" --date today -a "Jane Roe" --new-actor --register',
        'chrono add "Call" --date 2026-02-03T18:00+01:00 --source https://example.org --dry-run',
        "chrono add          # on a terminal: asks for each field",
    )
)
def add(
    ctx: typer.Context,
    title: TitleArgument = None,
    date: DateOption = None,
    end: EndOption = None,
    actor: ActorOption = None,
    location: LocationOption = None,
    tag: TagOption = None,
    kind: KindOption = None,
    summary: SummaryOption = None,
    source: SourceOption = None,
    event_id: IdOption = None,
    new_actor: NewActorOption = False,
    register: RegisterOption = False,
    dry_run: DryRunOption = False,
    fmt: FormatOption = AddFormat.text,
    file: options.FileOption = None,
    no_cache: options.NoCacheOption = False,
) -> ExitStatus:
    """Append one event to the log, keeping every existing byte as it was.

    The log is checked first and the new event is validated on its own; then it is
    appended under a lock, with a journal beside the log so that an append cut short
    (a crash, a full disk) is finished or undone. No existing byte is rewritten.
    """
    from chrono.operations import adding  # noqa: PLC0415

    settings = settings_of(ctx)
    path = terminal.opened(settings.log_path(file))  # a crash's change finished: said first
    hashing = _hash_soon(path, settings)  # on a big log, add waits for this hash: start it first
    try:
        typed = adding.Typed(
            title, date, end, tuple(actor or ()), location, tuple(tag or ()), kind, summary,
            tuple(source or ()),
        )  # fmt: skip
        if title is None and stdin_is_tty():
            typed = _prompted(path, settings, typed, new_actor, register)
        request = adding.request(
            typed, settings.today, event_id=event_id, new_actor=new_actor, register=register
        )
        result = adding.add(path, request, settings.cache, dry_run=dry_run, hashing=hashing)
        if result.note is not None:  # a crash's journal that appeared meanwhile
            terminal.say(result.note)
        _print_added(result, fmt, dry_run)
    finally:
        if hashing is not None:
            hashing.cancel()
    return ExitStatus.OK


def _prompted(
    path: "Path", settings: "Settings", typed: "Typed", new_actor: bool, register: bool
) -> "Typed":
    """The event asked for on the terminal, after checking the log can take one."""
    from chrono.app import prompts  # noqa: PLC0415
    from chrono.operations import adding  # noqa: PLC0415

    today = settings.today
    log = adding.open_for_adding(path, settings.cache)  # a pipe, a broken log: said now
    registry, tz = log.registry, log.tz

    def check_actors(names: list[str], accepted: frozenset[str]) -> None:
        adding.actors_for_add(registry, names, new_actor, register, accepted)

    def check_end(start: str, stop: str) -> None:
        adding.check_end(start, stop, today, tz)

    if typed.date is not None:  # a bad --date is said before the questions, not at End
        adding.typed_date("--date", typed.date, today)
    return prompts.asked(typed, today, check_actors, check_end)


def _print_added(result: "Added", fmt: AddFormat, dry_run: bool) -> None:
    """Say what add did: the id (or the TOML, with --dry-run, or the event as JSON)."""
    for became in result.became:
        terminal.note(f"actor {became}")
    if not dry_run:
        # Said first: should stdout fail (a full disk), the user still learns it was added.
        terminal.note(f"added {result.event_id!r} to {result.path}")
    if fmt is AddFormat.json:  # the event as stored, or as it would be with --dry-run
        from chrono.output.records import event_record, to_json  # noqa: PLC0415

        terminal.write(to_json(event_record(result.chronology, result.event)))
    elif dry_run:
        terminal.write(result.text)  # the TOML that would be appended
    else:
        terminal.write(result.event_id + "\n")
    for warning in result.warnings:
        terminal.note(f"warning: {warning}")
    if dry_run:
        terminal.note("dry run: nothing written")


def _hash_soon(path: "Path", settings: "Settings") -> "Hashing | None":
    """The log's hash, under way since start-up or from now (None with --no-cache or no file)."""
    if not settings.cache.enabled or not path.is_file():
        return None
    from chrono.storage.fingerprint import Hashing, take_early  # noqa: PLC0415

    real = path.resolve()
    return take_early(real) or Hashing(real)
