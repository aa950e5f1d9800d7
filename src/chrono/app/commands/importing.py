"""``chrono import``: another tool's chronology appended to the log in one transaction."""

import sys
from contextlib import AbstractContextManager, nullcontext
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any

import typer

from chrono.app import options, terminal
from chrono.app.options import examples, settings_of, value_option
from chrono.app.status import ExitStatus
from chrono.core.errors import UsageError

if TYPE_CHECKING:
    from chrono.app.settings import Settings
    from chrono.operations.importing import Imported

commands = typer.Typer()


class From(StrEnum):
    """The formats ``--from`` names."""

    csv = "csv"
    tsv = "tsv"
    timelinejs = "timelinejs"
    ics = "ics"
    chrono = "chrono"
    jrnl = "jrnl"


class ImportFormat(StrEnum):
    """Output formats of ``chrono import``."""

    text = "text"
    json = "json"


@commands.command(
    "import",
    epilog=examples(
        "chrono import timeline.csv --dry-run            # what would be added, as a timeline",
        "chrono import sheet.tsv --map Wann=date --map Was=title",
        "chrono import calendar.ics --register           # attendees new to the registry too",
        "chrono export json -f theirs.toml | chrono import - --from chrono",
        "chrono import journal.json --skip-bad --format json",
    ),
)
def import_(
    ctx: typer.Context,
    source: Annotated[
        str, typer.Argument(metavar="FILE", help="The file to import; - reads standard input.")
    ],
    from_: Annotated[
        From | None,
        typer.Option("--from", help="Its format (default: from its content and its name)."),
    ] = None,
    mapping: Annotated[
        list[str] | None,
        value_option(
            "--map",
            metavar="COLUMN=FIELD",
            help="Read a column (its header, number or letter) as a field: date, end, title, "
            "summary, actors, location, tags, kind, sources, id, year, month, day, time, "
            "end year, end month, end day, end time, display date, media, media credit, group, "
            "or ignore. Repeatable.",
        ),
    ] = None,
    register: Annotated[
        bool, typer.Option("--register", help="Add names the registry lacks to it.")
    ] = False,
    keep_duplicates: Annotated[
        bool,
        typer.Option("--keep-duplicates", help="Import events the log already holds, too."),
    ] = False,
    skip_bad: Annotated[
        bool, typer.Option("--skip-bad", help="Import the good rows; report the bad ones.")
    ] = False,
    timezone: Annotated[
        str | None,
        value_option("--timezone", metavar="ZONE", help="The zone of a log the import starts."),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show what would be added; write nothing.")
    ] = False,
    fmt: Annotated[
        ImportFormat, options.format_option("text, or json: the ids added and skipped.")
    ] = ImportFormat.text,
    file: options.FileOption = None,
    no_cache: options.NoCacheOption = False,
) -> ExitStatus:
    """Import events from a spreadsheet, TimelineJS, a calendar, jrnl or chrono's JSON.

    Dates keep the precision the file gives; actor names resolve through the registry as
    add resolves them; events the log already holds are skipped; every bad row is named
    (FILE:ROW:COLUMN). The whole import is appended in one transaction, or nothing is.
    """
    from chrono.importers import Source  # noqa: PLC0415
    from chrono.operations import importing  # noqa: PLC0415
    from chrono.storage.files import no_gc  # noqa: PLC0415

    settings = settings_of(ctx)
    path = terminal.opened(settings.log_path(file))
    told = Source(source, settings.today, _mapping(mapping or []))
    stdin = sys.stdin.buffer.read() if source == "-" else None
    with no_gc(freeze=True):  # many objects, all kept: no collection walks them meanwhile
        kind, batch = importing.read_source(source, _kind(from_), told, stdin)
    with no_gc(freeze=True), _progress(settings, len(batch.drafts)) as progress:
        result = importing.import_batch(
            path, kind, batch, settings.cache, register=register,
            keep_duplicates=keep_duplicates, skip_bad=skip_bad, dry_run=dry_run,
            timezone=timezone, progress=progress,
        )  # fmt: skip
    _said(result, fmt, dry_run, settings)
    return ExitStatus.OK


def _kind(chosen: "From | None") -> str | None:
    if chosen is None:
        return None
    return "csv" if chosen is From.tsv else chosen.value


def _mapping(given: list[str]) -> dict[str, str]:
    """``--map COLUMN=FIELD`` as a dict."""
    found = {}
    for item in given:
        column, sep, field = item.rpartition("=")
        if not sep or not column.strip() or not field.strip():
            raise UsageError(f"--map: {item!r} is not COLUMN=FIELD (for example --map Wann=date)")
        found[column.strip()] = field.strip().lower()
    return found


LONG = 5000  # drafts from which a terminal shows a progress bar


def _progress(settings: "Settings", total: int) -> AbstractContextManager[Any]:
    """A progress bar on stderr for a long import on a terminal; else nothing."""
    if total < LONG or not sys.stderr.isatty():
        return nullcontext(None)
    from chrono.output.progress import bar  # noqa: PLC0415

    return bar(sys.stderr, settings.colour, total)


def _said(result: "Imported", fmt: ImportFormat, dry_run: bool, settings: "Settings") -> None:
    """The ids (or the timeline, with --dry-run, or JSON) on stdout; the report on stderr."""
    if result.note is not None:  # a crash's journal found meanwhile, and what was done
        terminal.say(result.note)
    if result.created and not dry_run:
        terminal.note(f"started {result.path}")
    for line in report_lines(result, dry_run):
        terminal.say(line)
    if fmt is ImportFormat.json:
        from chrono.output.records import import_record, to_json  # noqa: PLC0415

        record = import_record(
            result.chronology, result.events, result.skipped, result.problems,
            log=str(result.path), format=result.format, rows=result.rows, dry_run=dry_run,
            actors_registered=result.actors, became=result.became, notes=result.notes,
        )  # fmt: skip
        terminal.write(to_json(record))
    elif dry_run:
        _timeline(result, settings)
    else:
        terminal.write("".join(e.id + "\n" for e in result.events))


SHOWN = 20  # skipped events and bad rows named one by one, before "and N more"


def report_lines(result: "Imported", dry_run: bool) -> list[str]:
    """What the import did, for stderr: names, skipped events, rows left out, the count."""
    lines = [f"chrono: actor {became}" for became in result.became]
    lines += [f"chrono: note: {note}" for note in result.notes]
    for where, title, reason in result.skipped[:SHOWN]:
        lines.append(f"chrono: skipped {where} {title!r}: already in the log ({reason})")
    lines += [str(p) for p in result.problems[:SHOWN]]
    more = max(0, len(result.skipped) - SHOWN) + max(0, len(result.problems) - SHOWN)
    if more:
        lines.append(f"chrono: ... and {more} more (--format json lists every one)")
    from chrono.core.text import plural  # noqa: PLC0415

    verb = "would import" if dry_run else "imported"
    said = f"chrono: {verb} {plural(len(result.events), 'event')} from {plural(result.rows, 'row')}"
    said += f" ({result.format}) into {result.path}"
    if result.actors:
        said += f", with {plural(len(result.actors), 'new actor')}"
    if result.skipped:
        said += f"; {len(result.skipped)} already in the log, skipped"
    if result.problems:
        said += f"; {plural(len(result.problems), 'bad row')} left out"
    lines.append(said + ("; dry run: nothing written" if dry_run else ""))
    return lines


def _timeline(result: "Imported", settings: "Settings") -> None:
    """The events the import would add, as ``chrono list`` draws them."""
    from chrono.core.query import Selection  # noqa: PLC0415
    from chrono.output import render  # noqa: PLC0415

    events = tuple(result.events)
    selection = Selection(events, {}, len(events))
    chronology = result.chronology
    with terminal.viewed(settings, False) as console:
        render.timeline(console, chronology, selection, chronology.tz)
