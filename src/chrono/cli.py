"""The ``chrono`` command line: parses options, calls the core, reports errors in one place."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any

import typer
from typer.core import TyperGroup

from chrono import __version__
from chrono.errors import ChronoError, DateError, UsageError

if TYPE_CHECKING:
    from chrono.model import Chronology, Event
    from chrono.query import Query


class _ChronoGroup(TyperGroup):
    """Maps every :class:`ChronoError` to its message on stderr and its exit code."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except ChronoError as err:
            for line in err.lines():
                sys.stderr.write(line + "\n")
            sys.stderr.flush()
            raise typer.Exit(err.exit_code) from None


def _examples(*lines: str) -> str:
    """An epilog that keeps its lines as written (click's \\b marker)."""
    return "\b\nExamples:\n" + "\n".join(f"  {line}" for line in lines)


app = typer.Typer(
    cls=_ChronoGroup,
    name="chrono",
    help=(
        "Keep a chronology of events in a plain TOML file and ask it questions.\n\n"
        "The log is --file PATH, else $CHRONO_FILE, else the nearest events.toml "
        "from the current directory upward."
    ),
    epilog=_examples("chrono check", "chrono check --strict --format json"),
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)

FileOption = Annotated[
    str | None,
    typer.Option(
        "--file",
        "-f",
        metavar="PATH",
        help="The event log (default: $CHRONO_FILE, else the nearest events.toml upward).",
        show_default=False,
    ),
]


def _version(value: bool) -> None:
    if value:
        typer.echo(f"chrono {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            "-V",
            help="Show chrono's version and exit.",
            callback=_version,
            is_eager=True,
        ),
    ] = False,
) -> None:
    """Keep a chronology of events in a plain TOML file and ask it questions."""


@app.command(
    epilog=_examples(
        "chrono check",
        "chrono check --strict -f notes/events.toml",
        "chrono check --format json | jq '.diagnostics[]'",
    )
)
def check(
    file: FileOption = None,
    strict: Annotated[bool, typer.Option("--strict", help="Treat warnings as errors.")] = False,
    fmt: Annotated[
        str,
        typer.Option("--format", help="text (diagnostics on stderr) or json (on stdout)."),
    ] = "text",
) -> None:
    """Check the event log: syntax, dates, fields, ids, actors and sources.

    Exit status 1 when there is an error (or, with --strict, a warning), else 0.
    """
    from chrono import store  # noqa: PLC0415 - lazy: keeps --help fast

    if fmt not in ("text", "json"):
        raise _bad_choice("--format", fmt, ("text", "json"))
    path = store.discover(file)
    chronology, diagnostics = store.check(path)
    errors = sum(d.severity == "error" for d in diagnostics)
    warnings = len(diagnostics) - errors
    failed = errors > 0 or (strict and warnings > 0)
    if fmt == "json":
        document = {
            "file": str(path),
            "ok": not failed,
            "events": len(chronology.events) if chronology else 0,
            "actors": len(chronology.registry) if chronology else 0,
            "errors": errors,
            "warnings": warnings,
            "diagnostics": [d.as_dict() for d in diagnostics],
        }
        typer.echo(json.dumps(document, ensure_ascii=False, indent=2))
    else:
        for diagnostic in diagnostics:
            typer.echo(str(diagnostic), err=True)
        if chronology is not None:
            summary = (
                f"{path}: {_plural(len(chronology.events), 'event')}, "
                f"{_plural(len(chronology.registry), 'actor')}: "
            )
        else:
            summary = f"{path}: "
        if diagnostics:
            summary += f"{_plural(errors, 'error')}, {_plural(warnings, 'warning')}"
        else:
            summary += "no problems"
        typer.echo(summary, err=True)
    if failed:
        raise typer.Exit(1)


class ListFormat(StrEnum):
    """Output formats of ``chrono list``."""

    timeline = "timeline"
    table = "table"
    json = "json"
    ids = "ids"


ActorOption = Annotated[
    list[str] | None,
    typer.Option(
        "--actor",
        "-a",
        metavar="NAME",
        help="Events with this actor (key, name or alias; any case or accent). "
        "Repeat: events with all of them.",
        show_default=False,
    ),
]
AnyActorOption = Annotated[
    bool, typer.Option("--any-actor", help="With several --actor: events with any of them.")
]
OnOption = Annotated[
    str | None,
    typer.Option(
        "--on",
        metavar="DATE",
        help="Events overlapping this day, month or year (2026-01, 'Januar 2026', 'last week').",
        show_default=False,
    ),
]
FromOption = Annotated[
    str | None,
    typer.Option(
        "--from", metavar="DATE", help="Events on or after DATE (inclusive).", show_default=False
    ),
]
ToOption = Annotated[
    str | None,
    typer.Option(
        "--to", metavar="DATE", help="Events on or before DATE (inclusive).", show_default=False
    ),
]
TagOption = Annotated[
    list[str] | None,
    typer.Option(
        "--tag",
        "-t",
        metavar="TAG",
        help="Events with this tag (repeat: all of them).",
        show_default=False,
    ),
]
KindOption = Annotated[
    list[str] | None,
    typer.Option(
        "--kind",
        "-k",
        metavar="KIND",
        help="Events of this kind (repeat: any of them).",
        show_default=False,
    ),
]
LocationOption = Annotated[
    list[str] | None,
    typer.Option(
        "--location",
        "-l",
        metavar="TEXT",
        help="Events whose location contains TEXT.",
        show_default=False,
    ),
]
SearchOption = Annotated[
    str | None,
    typer.Option(
        "--search",
        "-s",
        metavar="TEXT",
        help="Events whose title, summary, location or actors contain TEXT (any case or accent).",
        show_default=False,
    ),
]
TzOption = Annotated[
    str | None,
    typer.Option(
        "--tz",
        metavar="ZONE",
        help="Show times in this IANA time zone (default: the log's).",
        show_default=False,
    ),
]


def _build_query(
    chronology: Chronology,
    *,
    actors: list[str] | None,
    any_actor: bool,
    on: str | None,
    since: str | None,
    until: str | None,
    tags: list[str] | None,
    kinds: list[str] | None,
    locations: list[str] | None,
    search: str | None,
    limit: int | None = None,
    reverse: bool = False,
) -> Query:
    """Turn command-line filters into a Query, resolving actors and dates."""
    from chrono.dates import parse_period, today_from_env  # noqa: PLC0415
    from chrono.query import Query  # noqa: PLC0415

    today = today_from_env()
    start = stop = None
    tz = chronology.tz

    def period(option: str, text: str) -> tuple[int, int]:
        try:
            p = parse_period(text, today)
        except DateError as exc:
            raise DateError(f"{option}: {exc}") from None
        return p.start(tz), p.stop(tz)

    if on is not None:
        start, stop = period("--on", on)
    if since is not None:
        begin = period("--from", since)[0]
        start = begin if start is None else max(start, begin)
    if until is not None:
        end = period("--to", until)[1]
        stop = end if stop is None else min(stop, end)
    groups = [_resolve_actor(chronology, name) for name in actors or ()]
    if limit is not None and limit < 0:
        raise UsageError("--limit: must be 0 or more")
    return Query(
        actors=groups,
        any_actor=any_actor,
        start=start,
        stop=stop,
        tags=tags or (),
        kinds=kinds or (),
        locations=locations or (),
        search=search,
        limit=limit,
        reverse=reverse,
    )


def _resolve_actor(chronology: Chronology, name: str) -> list[str]:
    registry = chronology.registry
    free_text = [a for e in chronology.events for a in e.actors if a not in registry]
    keys = registry.match(name, free_text)
    if not keys:
        message = f"--actor: no actor matches {name!r}"
        suggestions = registry.suggest(name)
        if suggestions:
            message += (
                "; did you mean "
                + " or ".join(f"{registry.display(k)!r} ({k})" for k in suggestions)
                + "?"
            )
        message += " ('chrono check' lists the actors the log names)"
        raise UsageError(message)
    if len(keys) > 1:
        names = ", ".join(
            f"{registry.display(k)} ({k})" if k in registry else repr(k) for k in keys
        )
        typer.echo(f"chrono: {name!r} matches {len(keys)} actors: {names}; selecting all", err=True)
    return keys


def _display_zone(chronology: Chronology, name: str | None) -> Any:
    if name is None:
        return chronology.tz
    from chrono.model import load_timezone  # noqa: PLC0415

    tz = load_timezone(name)
    if tz is None:
        raise UsageError(
            f"--tz: unknown time zone {name!r} (use an IANA name such as 'Europe/Berlin')"
        )
    return tz


@app.command(
    name="list",
    epilog=_examples(
        "chrono list -a Putin -a Witkoff --kind meeting",
        "chrono list --on 'January 2026'",
        "chrono list --from 2025-12 --to 2026-01 -t ukraine --format table",
        "chrono list -s 'Board of Peace' --format json",
        "chrono list -a Uschakow -n 3 --reverse",
    ),
)
def list_(
    file: FileOption = None,
    actor: ActorOption = None,
    any_actor: AnyActorOption = False,
    on: OnOption = None,
    since: FromOption = None,
    until: ToOption = None,
    tag: TagOption = None,
    kind: KindOption = None,
    location: LocationOption = None,
    search: SearchOption = None,
    limit: Annotated[
        int | None,
        typer.Option(
            "--limit", "-n", metavar="N", help="Only the N most recent matches.", show_default=False
        ),
    ] = None,
    reverse: Annotated[bool, typer.Option("--reverse", help="Newest first.")] = False,
    fmt: Annotated[
        ListFormat, typer.Option("--format", "-F", help="How to print the events.")
    ] = ListFormat.timeline,
    tz: TzOption = None,
    pager: Annotated[
        bool,
        typer.Option(
            "--pager/--no-pager",
            envvar="CHRONO_PAGER",
            help="Page the output through $PAGER, on a terminal only (default: $CHRONO_PAGER).",
        ),
    ] = False,
) -> None:
    """List events, oldest first: filter by actor, date, tag, kind, place or text.

    All filters combine (AND). DATE may be partial: --on 2026-01 is the whole month.
    An event is selected when its span overlaps the dates asked.
    """
    from chrono import store  # noqa: PLC0415
    from chrono.query import select  # noqa: PLC0415

    chronology = store.load(store.discover(file))
    query = _build_query(
        chronology,
        actors=actor,
        any_actor=any_actor,
        on=on,
        since=since,
        until=until,
        tags=tag,
        kinds=kind,
        locations=location,
        search=search,
        limit=limit,
        reverse=reverse,
    )
    display = _display_zone(chronology, tz)
    selection = select(chronology, query)
    if fmt is ListFormat.json:
        from chrono.records import event_record  # noqa: PLC0415

        records = [
            event_record(chronology, e, selection.numbers.get(e.id)) for e in selection.events
        ]
        _write(json.dumps(records, ensure_ascii=False, indent=2) + "\n")
    elif not selection.events:
        pass
    elif fmt is ListFormat.ids:
        _write("".join(f"{e.id}\n" for e in selection.events))
    else:
        from chrono import render  # noqa: PLC0415

        console = render.make_console()
        with render.paged(console, pager):
            if fmt is ListFormat.table:
                render.table(console, chronology, selection, display)
            else:
                render.timeline(console, chronology, selection, display)
    if not selection.events:
        typer.echo("chrono: no events match", err=True)


@app.command(
    epilog=_examples(
        "chrono show 2026-01-22-putin-witkoff-kremlin",
        "chrono show 2026-01-22-putin     # a unique prefix is enough",
        "chrono show 2025-12-02-putin-witkoff-moscow --format json",
    )
)
def show(
    event_id: Annotated[
        str, typer.Argument(metavar="ID", help="The event's id or a unique prefix of it.")
    ],
    file: FileOption = None,
    fmt: Annotated[str, typer.Option("--format", "-F", help="text or json.")] = "text",
    tz: TzOption = None,
) -> None:
    """Show every field of one event, and the previous and next events sharing an actor."""
    from chrono import store  # noqa: PLC0415
    from chrono.query import neighbours  # noqa: PLC0415

    if fmt not in ("text", "json"):
        raise _bad_choice("--format", fmt, ("text", "json"))
    chronology = store.load(store.discover(file))
    event = _find_event(chronology, event_id)
    display = _display_zone(chronology, tz)
    before, after = neighbours(chronology, event)
    if fmt == "json":
        from chrono.records import event_record  # noqa: PLC0415

        record = event_record(chronology, event)
        record["previous"] = before.id if before else None
        record["next"] = after.id if after else None
        _write(json.dumps(record, ensure_ascii=False, indent=2) + "\n")
        return
    from chrono import render  # noqa: PLC0415

    render.show(render.make_console(), chronology, event, (before, after), display)


def _find_event(chronology: Chronology, event_id: str) -> Event:
    exact = chronology.get(event_id)
    if exact is not None:
        return exact
    ids = [e.id for e in chronology.events]
    prefixed = [i for i in ids if i.startswith(event_id)]
    if len(prefixed) == 1:
        found = chronology.get(prefixed[0])
        assert found is not None
        return found
    if len(prefixed) > 1:
        shown = ", ".join(prefixed[:5]) + (", ..." if len(prefixed) > 5 else "")
        raise UsageError(f"{event_id!r} is the start of {len(prefixed)} ids: {shown}")
    import difflib  # noqa: PLC0415

    close = difflib.get_close_matches(event_id, ids, n=3, cutoff=0.5)
    message = f"no event with id {event_id!r}"
    if close:
        message += "; did you mean " + " or ".join(repr(c) for c in close) + "?"
    raise UsageError(message)


def _write(text: str) -> None:
    sys.stdout.write(text)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _bad_choice(option: str, value: str, choices: tuple[str, ...]) -> ChronoError:
    return UsageError(f"{option}: {value!r} is not one of {', '.join(choices)}")


def main() -> None:
    """Entry point of the ``chrono`` console script."""
    try:
        app(prog_name="chrono")
    except BrokenPipeError:
        _quiet_broken_pipe()
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        _quiet_broken_pipe()


def _quiet_broken_pipe() -> None:
    """The reader went away (``chrono list | head -1``): stop quietly."""
    import os  # noqa: PLC0415

    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    sys.exit(0)


__all__ = ["app", "main"]
