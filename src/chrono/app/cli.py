"""The ``chrono`` command line: parses options, calls the core, reports errors in one place."""

import contextlib
import sys
from collections.abc import MutableMapping
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer
import typer.main
from typer.core import TyperGroup

from chrono import __version__
from chrono.core.errors import ChronoError, DateError, UsageError, WriteError

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from pathlib import Path

    from chrono.app.settings import Settings
    from chrono.core.actors import Registry
    from chrono.core.model import Chronology, Event
    from chrono.core.query import Query
    from chrono.operations.reading import Source


class _LazyCommands(MutableMapping[str, Any]):
    """The subcommands by name, each built into a click command when first looked up.

    Typer turns every command's signature into click parameters when the app starts; a run
    needs one command, and building all of them cost ~6 ms of every start.
    """

    def __init__(self, registry: typer.Typer) -> None:
        self._registry = registry
        self._built: dict[str, Any] = {}

    def _declared(self) -> dict[str, Any]:
        declared: dict[str, Any] = {}
        for info in self._registry.registered_commands:
            name = info.name or info.callback.__name__.lower().replace("_", "-")  # type: ignore[union-attr]
            declared[name] = info
        for group in self._registry.registered_groups:
            declared[group.name] = group  # type: ignore[index]
        return declared

    def __getitem__(self, name: str) -> Any:
        if name not in self._built:
            info = self._declared()[name]  # KeyError for a name that is not a command
            one = typer.Typer(add_completion=False, rich_markup_mode=None)
            if hasattr(info, "typer_instance"):  # a group such as `cache`
                one.registered_groups.append(info)
            else:
                one.registered_commands.append(info)
            self._built[name] = typer.main.get_group(one).commands[name]
        return self._built[name]

    def __setitem__(self, name: str, command: Any) -> None:
        self._built[name] = command

    def __delitem__(self, name: str) -> None:
        raise KeyError(name)

    def __iter__(self) -> "Iterator[str]":
        return iter(dict.fromkeys([*self._declared(), *self._built]))

    def __len__(self) -> int:
        return len(dict.fromkeys([*self._declared(), *self._built]))


class _ChronoGroup(TyperGroup):
    """Maps every :class:`ChronoError` to its message on stderr and its exit code."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.commands = _LazyCommands(commands)

    def invoke(self, ctx: Any) -> Any:
        try:
            result = super().invoke(ctx)
            sys.stdout.flush()  # a reader that went away is noticed here, not at exit
            return result
        except ChronoError as err:
            with contextlib.suppress(OSError):  # nowhere to say it: the status still tells
                for line in err.lines():
                    sys.stderr.write(line + "\n")
                sys.stderr.flush()
            raise typer.Exit(err.exit_code) from None
        except BrokenPipeError:
            _quiet_broken_pipe()


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
# Every subcommand is declared on `commands`; the root group looks them up lazily.
commands = typer.Typer()


def _no_cache(ctx: typer.Context, value: bool) -> None:
    if value:  # before or after the command name, it is a setting of the whole run
        ctx.find_root().meta["chrono.no_cache"] = True


def _settings() -> "Settings":
    """This run's settings, read from its environment and root options once, when first needed."""
    try:
        from typer._click.globals import get_current_context  # noqa: PLC0415
    except ImportError:  # a Typer that uses the click package itself
        from click import get_current_context  # type: ignore[no-redef,import-not-found,unused-ignore]  # noqa: PLC0415

    root = get_current_context().find_root()
    settings: Settings | None = root.meta.get("chrono.settings")
    if settings is None:
        import os  # noqa: PLC0415

        from chrono.app.settings import from_environment  # noqa: PLC0415

        settings = from_environment(
            os.environ,
            no_cache=root.meta.get("chrono.no_cache", False),
            short_lived=bool((root.obj or {}).get("short_lived")),
        )
        root.meta["chrono.settings"] = settings
    return settings


NoCacheOption = Annotated[
    bool,
    typer.Option(
        "--no-cache",
        help="Read the log itself, not the derived index (also CHRONO_NO_CACHE=1).",
        callback=_no_cache,
        expose_value=False,
    ),
]
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
    no_cache: NoCacheOption = False,
) -> None:
    """Keep a chronology of events in a plain TOML file and ask it questions."""


@commands.command(
    epilog=_examples(
        "chrono check",
        "chrono check --strict -f notes/events.toml",
        "chrono check --format json | jq '.diagnostics[]'",
    )
)
def check(
    file: FileOption = None,
    no_cache: NoCacheOption = False,  # accepted: check always reads the log itself
    strict: Annotated[bool, typer.Option("--strict", help="Treat warnings as errors.")] = False,
    fmt: Annotated[
        str,
        typer.Option("--format", "-F", help="text (diagnostics on stderr) or json (on stdout)."),
    ] = "text",
) -> None:
    """Check the event log: syntax, dates, fields, ids, actors and sources.

    Exit status 1 when there is an error (or, with --strict, a warning), else 0.
    """
    from chrono.storage import store  # noqa: PLC0415 - lazy: keeps --help fast

    if fmt not in ("text", "json"):
        raise _bad_choice("--format", fmt, ("text", "json"))
    path = _discover(file)
    chronology, diagnostics = store.check(path)
    errors = sum(d.severity == "error" for d in diagnostics)
    warnings = len(diagnostics) - errors
    failed = errors > 0 or (strict and warnings > 0)
    try:
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
            typer.echo(_dumps(document, ensure_ascii=False, indent=2))
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
    except BrokenPipeError:  # `chrono check 2>&1 | head -1` still fails on a broken log
        _quiet_broken_pipe(1 if failed else 0)
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
        help="Events whose title, summary, location or actors contain every word of TEXT "
        '(any case or accent, any order; "a phrase" in quotes stays whole).',
        show_default=False,
    ),
]
LimitOption = Annotated[
    int | None,
    typer.Option(
        "--limit", "-n", metavar="N", help="Only the N most recent matches.", show_default=False
    ),
]
ReverseOption = Annotated[bool, typer.Option("--reverse", help="Newest first.")]
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
    source: "Source",
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
) -> "Query":
    """Turn command-line filters into a Query, resolving actors and dates."""
    from chrono.core.dates import parse_period  # noqa: PLC0415
    from chrono.core.query import Query  # noqa: PLC0415

    today = _settings().today
    start = stop = None

    def period(option: str, text: str) -> tuple[int, int]:
        try:
            p = parse_period(text, today)
        except DateError as exc:
            raise DateError(f"{option}: {exc}") from None
        return p.start(source.tz), p.stop(source.tz)

    if on is not None:
        start, stop = period("--on", on)
    if since is not None:
        begin = period("--from", since)[0]
        start = begin if start is None else max(start, begin)
    if until is not None:
        end = period("--to", until)[1]
        stop = end if stop is None else min(stop, end)
    if since and until and start is not None and stop is not None and stop <= start:
        raise UsageError(f"--to {until} is before --from {since}")
    groups = [_resolve_actor(source, name) for name in actors or ()]
    if search is not None:
        from chrono.core.query import search_terms  # noqa: PLC0415

        if not search_terms(search):
            raise UsageError(f"--search: {search!r} has no letters or digits to look for")
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


def _resolve_actor(source: "Source", name: str) -> list[str]:
    registry = source.registry
    keys = registry.match(name, source.free_text_actors())
    if not keys:
        message = f"--actor: no actor matches {name!r}"
        suggestions = registry.suggest(name)
        if suggestions:
            message += (
                "; did you mean "
                + " or ".join(f"{registry.display(k)!r} ({k})" for k in suggestions)
                + "?"
            )
        message += " ('chrono actors' lists them)"
        raise UsageError(message)
    if len(keys) > 1:
        names = ", ".join(
            f"{registry.display(k)} ({k})" if k in registry else repr(k) for k in keys
        )
        typer.echo(f"chrono: {name!r} matches {len(keys)} actors: {names}; selecting all", err=True)
    return keys


def _display_zone(source: "Source", name: str | None) -> Any:
    if name is None:
        return source.tz
    from chrono.core.model import load_timezone  # noqa: PLC0415

    tz = load_timezone(name)
    if tz is None:
        raise UsageError(
            f"--tz: unknown time zone {name!r} (use an IANA name such as 'Europe/Berlin')"
        )
    return tz


@commands.command(
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
    no_cache: NoCacheOption = False,
    actor: ActorOption = None,
    any_actor: AnyActorOption = False,
    on: OnOption = None,
    since: FromOption = None,
    until: ToOption = None,
    tag: TagOption = None,
    kind: KindOption = None,
    location: LocationOption = None,
    search: SearchOption = None,
    limit: LimitOption = None,
    reverse: ReverseOption = False,
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
    source = _open(file)
    query = _build_query(
        source,
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
    display = _display_zone(source, tz) if tz is not None else None  # a bad --tz fails early
    selection = source.select(query, want_events=fmt is not ListFormat.ids)
    if fmt is ListFormat.json:
        from chrono.output.records import event_record  # noqa: PLC0415

        chronology = source.chronology(selection.events)
        records = [
            event_record(chronology, e, selection.numbers.get(e.id)) for e in selection.events
        ]
        _write(_dumps(records, ensure_ascii=False, indent=2) + "\n")
    elif not selection.events:
        pass
    elif fmt is ListFormat.ids:
        _write("".join(f"{e.id}\n" for e in selection.events))
    else:
        from chrono.output import render  # noqa: PLC0415

        chronology = source.chronology(selection.events)
        display = display if display is not None else source.tz
        console = _console()
        settings = _settings()
        with render.paged(console, pager, settings.pager, settings.environ):
            if fmt is ListFormat.table:
                render.table(console, chronology, selection, display)
            else:
                render.timeline(console, chronology, selection, display)
    if not selection.events:
        typer.echo("chrono: no events match", err=True)


@commands.command(
    epilog=_examples(
        "chrono show 2026-01-22-putin-witkoff-kremlin",
        "chrono show 2026-01-22-putin     # a unique prefix is enough",
        "chrono show 2025-12-02-putin-witkoff-kushner-moscow --format json",
    )
)
def show(
    event_id: Annotated[
        str, typer.Argument(metavar="ID", help="The event's id or a unique prefix of it.")
    ],
    file: FileOption = None,
    no_cache: NoCacheOption = False,
    fmt: Annotated[str, typer.Option("--format", "-F", help="text or json.")] = "text",
    tz: TzOption = None,
) -> None:
    """Show every field of one event, and the previous and next events sharing an actor."""
    if fmt not in ("text", "json"):
        raise _bad_choice("--format", fmt, ("text", "json"))
    source = _open(file)
    event = _find_event(source, event_id)
    display = _display_zone(source, tz)
    before, after = source.neighbours(event)
    chronology = source.chronology([event])
    if fmt == "json":
        from chrono.output.records import event_record  # noqa: PLC0415

        record = event_record(chronology, event)
        record["previous"] = before.id if before else None
        record["next"] = after.id if after else None
        _write(_dumps(record, ensure_ascii=False, indent=2) + "\n")
        return
    from chrono.output import render  # noqa: PLC0415

    render.show(_console(), chronology, event, (before, after), display)


def _find_event(source: "Source", event_id: str) -> "Event":
    found, prefixed = source.find(event_id)
    if found is not None:
        return found
    if len(prefixed) > 1:
        count = source.count_prefix(event_id)
        shown = ", ".join(prefixed[:5]) + (", ..." if count > 5 else "")
        raise UsageError(f"{event_id!r} is the start of {count} ids: {shown}")
    import difflib  # noqa: PLC0415

    close = difflib.get_close_matches(event_id, source.ids(), n=3, cutoff=0.5)
    message = f"no event with id {event_id!r}"
    if close:
        message += "; did you mean " + " or ".join(repr(c) for c in close) + "?"
    raise UsageError(message)


class ExportFormat(StrEnum):
    """Formats of ``chrono export`` (modules in chrono/export/)."""

    md = "md"
    json = "json"
    csv = "csv"
    ics = "ics"


class MarkdownStyle(StrEnum):
    """How ``export md`` lays out events."""

    list = "list"
    table = "table"


def _export_help() -> str:
    from chrono.formats import FORMATS  # noqa: PLC0415

    lines = "\n".join(f"  {name:<5} {text}" for name, text in FORMATS.items())
    return (
        "Export the events that `chrono list` would show, to stdout or -o FILE.\n\n"
        "Takes every filter of `chrono list`. Output is deterministic: the same log gives "
        "the same bytes.\n\n\b\nFormats:\n" + lines
    )


@commands.command(
    help=_export_help(),
    epilog=_examples(
        "chrono export md -a Putin -a Witkoff -k meeting -o putin-witkoff.md",
        "chrono export md --on 2026-01 --style table --mermaid",
        "chrono export json > chronology.json",
        "chrono export csv -t ukraine -o ukraine.csv",
        "chrono export ics --from 2025 -o talks.ics",
    ),
)
def export(
    fmt: Annotated[ExportFormat, typer.Argument(metavar="FORMAT", help="md, json, csv or ics.")],
    file: FileOption = None,
    no_cache: NoCacheOption = False,
    actor: ActorOption = None,
    any_actor: AnyActorOption = False,
    on: OnOption = None,
    since: FromOption = None,
    until: ToOption = None,
    tag: TagOption = None,
    kind: KindOption = None,
    location: LocationOption = None,
    search: SearchOption = None,
    limit: LimitOption = None,
    reverse: ReverseOption = False,
    tz: TzOption = None,
    output: Annotated[
        str | None,
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
            help="Write to FILE, replaced atomically (- is stdout; a pipe is written into).",
            show_default=False,
        ),
    ] = None,
    title: Annotated[
        str | None,
        typer.Option(
            "--title",
            metavar="TEXT",
            help="Heading (default: from the filters).",
            show_default=False,
        ),
    ] = None,
    style: Annotated[
        MarkdownStyle, typer.Option("--style", help="md: a list under headings, or a table.")
    ] = MarkdownStyle.list,
    mermaid: Annotated[
        bool, typer.Option("--mermaid", help="md: add a Mermaid timeline diagram.")
    ] = False,
    generated: Annotated[
        bool, typer.Option("--generated", help="Add a 'generated by chrono on DATE' line.")
    ] = False,
) -> None:
    from chrono import export as exporters  # noqa: PLC0415
    from chrono.storage import store  # noqa: PLC0415

    path = _discover(file)
    source = _open(file)
    query = _build_query(
        source,
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
    selection = source.select(query)
    chronology = source.chronology(selection.events)
    stamp = None
    if generated:
        today = _settings().today
        stamp = f"Generated by chrono {__version__} on {today.isoformat()} from {path.name}"
    context = exporters.Context(
        chronology=chronology,
        selection=selection,
        display=_display_zone(source, tz),
        title=title if title is not None else _default_title(chronology, query, selection),
        style=style.value,
        mermaid=mermaid,
        generated=stamp,
    )
    data = exporters.get(fmt.value).render(context)
    if output is None or output == "-":
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
    else:
        from pathlib import Path  # noqa: PLC0415

        target = Path(output)
        if target.resolve() == path.resolve():
            raise UsageError(f"-o {output}: that is the event log itself; not overwritten")
        store.write_file(target, data)
        typer.echo(f"chrono: wrote {_plural(len(selection.events), 'event')} to {output}", err=True)
    if not selection.events:
        typer.echo("chrono: no events match", err=True)


def _default_title(chronology: "Chronology", query: "Query", selection: Any) -> str:
    """A heading from the filters: ``Putin and Witkoff, Feb 2025 – Jan 2026``."""
    from chrono.output.labels import count_line  # noqa: PLC0415

    registry = chronology.registry
    names = [registry.display(group[0]).split()[-1] for group in query.actors if len(group) == 1]
    if names:
        joiner = " or " if query.any_actor else " and "
        subject = names[0] if len(names) == 1 else ", ".join(names[:-1]) + joiner + names[-1]
    else:
        subject = "Chronology"
    span = count_line(chronology, selection).partition(", ")[2]
    return f"{subject}, {span}" if span else subject


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
    epilog=_examples(
        "chrono actors",
        "chrono actors --sort first",
        "chrono actors Uschakow          # one actor: events and who they meet",
        "chrono actors --pairs           # who met whom, how often",
        "chrono actors --format json",
    )
)
def actors(
    name: Annotated[
        str | None,
        typer.Argument(metavar="[NAME]", help="Show one actor (any spelling).", show_default=False),
    ] = None,
    pairs: Annotated[
        bool, typer.Option("--pairs", help="List pairs of actors by the events they share.")
    ] = False,
    sort: Annotated[
        ActorSort, typer.Option("--sort", help="Order of the table.")
    ] = ActorSort.events,
    fmt: Annotated[TableFormat, typer.Option("--format", "-F", help="table or json.")] = (
        TableFormat.table
    ),
    tz: TzOption = None,
    file: FileOption = None,
    no_cache: NoCacheOption = False,
) -> None:
    """List the actors: events, first and last appearance; or one actor; or who met whom."""
    from chrono.core import query  # noqa: PLC0415

    source = _open(file)
    chronology = source.all()
    display = _display_zone(source, tz)
    if pairs:
        rows = query.pairs(chronology)
        if fmt is TableFormat.json:
            _write_json(
                [
                    {"actors": [_actor_ref(chronology, a), _actor_ref(chronology, b)], "events": n}
                    for a, b, n in rows
                ]
            )
            return
        from chrono.output import render  # noqa: PLC0415

        render.pairs_table(_console(), chronology, rows)
        return
    summaries = query.actor_summaries(chronology, sort.value)
    if name is not None:
        keys = _resolve_actor(source, name)
        from chrono.core.query import Query, select  # noqa: PLC0415
        from chrono.output.records import event_record  # noqa: PLC0415

        for key in keys:
            summary = next(s for s in summaries if s.key == key)
            selection = select(chronology, Query(actors=[[key]]))
            together = query.co_actors(chronology, key)
            if fmt is TableFormat.json:
                record = _summary_record(chronology, summary)
                record["events"] = [event_record(chronology, e) for e in selection.events]
                record["with"] = [{**_actor_ref(chronology, k), "events": n} for k, n in together]
                _write_json(record)
            else:
                from chrono.output import render  # noqa: PLC0415

                render.actor_detail(_console(), chronology, summary, selection, together, display)
        return
    if fmt is TableFormat.json:
        _write_json([_summary_record(chronology, s) for s in summaries])
        return
    from chrono.output import render  # noqa: PLC0415

    render.actors_table(_console(), chronology, summaries, display)


def _actor_ref(chronology: "Chronology", key: str) -> dict[str, Any]:
    registered = key in chronology.registry
    return {"key": key if registered else None, "name": chronology.registry.display(key)}


def _summary_record(chronology: "Chronology", summary: Any) -> dict[str, Any]:
    events = summary.events
    last = events[-1] if events else None
    return {
        **_actor_ref(chronology, summary.key),
        "role": summary.role,
        "aliases": list(summary.aliases),
        "events": len(events),
        "first": events[0].date.isoformat() if events else None,
        "last": (last.end or last.date).isoformat() if last else None,
        "first_event": events[0].id if events else None,
        "last_event": last.id if last else None,
    }


def _write_json(data: Any) -> None:
    _write(_dumps(data, ensure_ascii=False, indent=2) + "\n")


cache_app = typer.Typer(
    name="cache",
    help="The derived index that makes queries instant: where it is, and clearing it.\n\n"
    "The index is rebuilt from the log whenever the log changes; deleting it is always safe.",
    no_args_is_help=True,
)
commands.add_typer(cache_app, name="cache")


@cache_app.command("path", epilog=_examples("chrono cache path", "chrono cache path -f other.toml"))
def cache_path(file: FileOption = None) -> None:
    """Print where the index of the log is (or would be) kept."""
    from chrono.storage import index  # noqa: PLC0415

    _write(f"{index.index_path(_discover(file), _settings().cache.folder)}\n")


@cache_app.command("clear", epilog=_examples("chrono cache clear", "chrono cache clear --all"))
def cache_clear(
    file: FileOption = None,
    every: Annotated[bool, typer.Option("--all", help="Delete the index of every log.")] = False,
) -> None:
    """Delete the index of the log (or of every log); it is rebuilt when next needed."""
    from chrono.storage import index  # noqa: PLC0415

    removed = index.clear(_settings().cache.folder, None if every else _discover(file))
    count = len(removed)
    typer.echo(f"chrono: removed {count} {'index' if count == 1 else 'indexes'}", err=True)


class AddFormat(StrEnum):
    """Output formats of ``chrono add``."""

    text = "text"
    json = "json"


def _stdin_is_tty() -> bool:
    return sys.stdin.isatty()


@commands.command(
    epilog=_examples(
        'chrono add "Putin receives Witkoff" --date 2026-01-22 -a putin -a witkoff -k meeting',
        'chrono add "Talks in Riyadh" --date "Dez 2025~" --end 2026-01 -t ukraine',
        'chrono add "Envoy named" --date today -a "Jane Roe" --new-actor --register',
        'chrono add "Call" --date 2026-02-03T18:00+01:00 --source https://example.org --dry-run',
        "chrono add          # on a terminal: asks for each field",
    )
)
def add(
    title: Annotated[
        str | None, typer.Argument(metavar="TITLE", help="The event's title.", show_default=False)
    ] = None,
    date: Annotated[
        str | None,
        typer.Option(
            "--date",
            "-d",
            metavar="DATE",
            help="When: 2026-01-23, 2026-01, '23. Januar 2026', 'Dez 2025~', today, "
            "2026-01-23T22:30+03:00 ... kept at the precision given.",
            show_default=False,
        ),
    ] = None,
    end: Annotated[
        str | None,
        typer.Option("--end", metavar="DATE", help="End of a span.", show_default=False),
    ] = None,
    actor: Annotated[
        list[str] | None,
        typer.Option(
            "--actor",
            "-a",
            metavar="NAME",
            help="An actor (key, name or alias); stored as its registry key. Repeatable.",
            show_default=False,
        ),
    ] = None,
    location: Annotated[
        str | None, typer.Option("--location", "-l", metavar="TEXT", show_default=False)
    ] = None,
    tag: Annotated[
        list[str] | None,
        typer.Option("--tag", "-t", metavar="TAG", help="Repeatable.", show_default=False),
    ] = None,
    kind: Annotated[
        str | None,
        typer.Option(
            "--kind",
            "-k",
            metavar="KIND",
            help="meeting, call, summit, statement ...",
            show_default=False,
        ),
    ] = None,
    summary: Annotated[
        str | None, typer.Option("--summary", metavar="TEXT", show_default=False)
    ] = None,
    source: Annotated[
        list[str] | None,
        typer.Option(
            "--source", metavar="URL", help="A URL or citation. Repeatable.", show_default=False
        ),
    ] = None,
    event_id: Annotated[
        str | None,
        typer.Option(
            "--id", metavar="ID", help="The id (default: date and title).", show_default=False
        ),
    ] = None,
    new_actor: Annotated[
        bool,
        typer.Option("--new-actor", help="Accept actor names not in the registry, as free text."),
    ] = False,
    register: Annotated[
        bool,
        typer.Option("--register", help="With --new-actor: also add them to the registry."),
    ] = False,
    dry_run: Annotated[
        bool,
        typer.Option("--dry-run", help="Print the TOML that would be appended; change nothing."),
    ] = False,
    fmt: Annotated[
        AddFormat, typer.Option("--format", "-F", help="text, or json: the stored event.")
    ] = AddFormat.text,
    file: FileOption = None,
    no_cache: NoCacheOption = False,
) -> None:
    """Append one event to the log, keeping every existing byte as it was.

    The log is checked first and the new event is validated on its own; then it is
    appended under a lock, with a journal beside the log so that an append cut short
    (a crash, a full disk) is finished or undone. No existing byte is rewritten.
    """
    path = _discover(file)
    hashing = _hash_soon(path)  # on a big log, add waits for this hash: start it first
    try:
        from chrono.operations import adding  # noqa: PLC0415

        settings = _settings()
        given: dict[str, Any] = {
            "title": title, "date": date, "end": end, "actors": actor, "location": location,
            "tags": tag, "kind": kind, "summary": summary, "sources": source,
            "new_names": frozenset(),  # unknown actors kept as new when asked
        }  # fmt: skip
        if title is None and _stdin_is_tty():
            given = _prompted(path, settings, given, new_actor, register)
        request = _add_request(given, settings.today, event_id, new_actor, register)
        recovered = adding.finish_interrupted(path)  # said before any error add may raise
        if recovered is not None:
            typer.echo(recovered, err=True)
        result = adding.add(path, request, settings.cache, dry_run=dry_run, hashing=hashing)
        if result.note is not None:  # a crash's journal that appeared meanwhile
            typer.echo(result.note, err=True)
        _print_added(result, fmt, dry_run)
    finally:
        if hashing is not None:
            hashing.cancel()


def _prompted(
    path: "Path", settings: "Settings", given: dict[str, Any], new_actor: bool, register: bool
) -> dict[str, Any]:
    """The fields asked for on the terminal, after checking the log can take an event."""
    from chrono.core.dates import parse_date  # noqa: PLC0415
    from chrono.operations.reading import open_source  # noqa: PLC0415
    from chrono.storage import store  # noqa: PLC0415

    today, date = settings.today, given["date"]
    store.check_appendable(path)  # a pipe, a directory, no file: say so now
    source_log = open_source(path, settings.cache)  # a broken log: say so now too
    registry, tz = source_log.registry, source_log.tz

    def check_actors(names: list[str], accepted: frozenset[str]) -> None:
        _actors_for_add(registry, names, new_actor, register, accepted)

    def check_end(start: str, stop: str) -> None:
        first, last = parse_date(start, today), parse_date(stop, today)
        if last.stop(tz) <= first.start(tz):
            raise UsageError(f"{last.isoformat()} is before {first.isoformat()}")

    if date is not None:
        try:  # a bad --date is said before the questions, not at the End prompt
            parse_date(date, today)
        except DateError as exc:
            raise DateError(f"--date: {exc}") from None
    answers = _asked(date, today, check_actors, check_end)
    return {
        "title": answers["title"],
        "date": answers["date"],
        "end": answers["end"] or given["end"],
        "actors": given["actors"] or _split(answers["actors"]),
        "new_names": answers["new_names"],
        "location": given["location"] or answers["location"] or None,
        "tags": given["tags"] or _split(answers["tags"]),
        "kind": given["kind"] or answers["kind"] or None,
        "summary": given["summary"] or answers["summary"] or None,
        "sources": given["sources"] or answers["sources"],
    }


def _add_request(
    given: dict[str, Any], today: Any, event_id: str | None, new_actor: bool, register: bool
) -> Any:
    """The add operation's request, once the title, the dates and the options are checked."""
    from chrono.core.dates import parse_date  # noqa: PLC0415
    from chrono.operations.adding import Request  # noqa: PLC0415

    title, date, end = given["title"], given["date"], given["end"]
    if title is None:
        raise UsageError('a title is required: chrono add "Title" --date DATE ...')
    if not title.strip():
        raise UsageError("the title is empty")
    if "\n" in title or "\r" in title:
        raise UsageError("the title must be one line (put details in --summary)")
    if date is None:
        raise UsageError("--date is required (for example --date today or --date 2026-01)")
    if register and not new_actor:
        raise UsageError("--register goes with --new-actor")

    def parsed(option: str, text: str) -> Any:
        try:
            return parse_date(text, today)
        except DateError as exc:
            raise DateError(f"{option}: {exc}") from None

    return Request(
        title,
        parsed("--date", date),
        parsed("--end", end) if end is not None else None,
        actors=tuple(given["actors"] or ()),
        location=given["location"],
        tags=tuple(given["tags"] or ()),
        kind=given["kind"],
        summary=given["summary"],
        sources=tuple(given["sources"] or ()),
        event_id=event_id,
        new_actor=new_actor,
        register=register,
        accepted=given["new_names"],
    )


def _print_added(result: Any, fmt: AddFormat, dry_run: bool) -> None:
    """Say what add did: the id (or the TOML, with --dry-run, or the event as JSON)."""
    if not dry_run:
        # Said first: should stdout fail (a full disk), the user still learns it was added.
        typer.echo(f"chrono: added {result.event_id!r} to {result.path}", err=True)
    if fmt is AddFormat.json:  # the event as stored, or as it would be with --dry-run
        from chrono.output.records import event_record  # noqa: PLC0415

        record = event_record(result.chronology, result.event)
        _write(_dumps(record, ensure_ascii=False, indent=2) + "\n")
    elif dry_run:
        _write(result.text)  # the TOML that would be appended
    else:
        _write(result.event_id + "\n")
    for warning in result.warnings:
        typer.echo(f"chrono: warning: {warning}", err=True)
    if dry_run:
        typer.echo("chrono: dry run: nothing written", err=True)


def _hash_soon(path: "Path") -> Any:
    """The log's hash, under way since start-up or from now (None with --no-cache or no file)."""
    if not _settings().cache.enabled or not path.is_file():
        return None
    from chrono.storage.fingerprint import Hashing, take_early  # noqa: PLC0415

    real = path.resolve()
    return take_early(real) or Hashing(real)


def _actors_for_add(
    registry: "Registry",
    names: list[str],
    new_actor: bool,
    register: bool,
    accepted: frozenset[str] = frozenset(),
) -> Any:
    """Registry keys for the names given, and the actors --register adds (see operations)."""
    from chrono.operations.adding import actors_for_add  # noqa: PLC0415

    return actors_for_add(registry, names, new_actor, register, accepted)


def _split(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


def _asked(
    date: str | None,
    today: Any,
    check_actors: "Callable[[list[str], frozenset[str]], None]",
    check_end: "Callable[[str, str], None]",
) -> dict[str, Any]:
    """The answers to :func:`_ask`; Ctrl-C ends with status 130 and Ctrl-D with 1."""
    try:
        return _ask(date, today, check_actors, check_end)
    except typer.Abort as exc:
        typer.echo("\nchrono: nothing added", err=True)
        raise typer.Exit(130 if isinstance(exc.__context__, KeyboardInterrupt) else 1) from None


def _ask(
    date: str | None,
    today: Any,
    check_actors: "Callable[[list[str], frozenset[str]], None]",
    check_end: "Callable[[str, str], None]",
) -> dict[str, Any]:
    """Ask for each field on the terminal (actors and tags comma-separated, sources one a line).

    A bad date, an end before the start, or an actor the registry does not know is said at
    once and asked again; an unknown actor may be taken as a new one.
    """
    from chrono.core.dates import parse_date  # noqa: PLC0415

    def ask_date(question: str, default: str) -> str:
        while True:
            answer: str = typer.prompt(question, default=default, show_default=bool(default))
            if not answer.strip() and not default:
                return ""
            try:
                parse_date(answer, today)
            except DateError as exc:
                typer.echo(f"  {exc}", err=True)
                continue
            return answer

    answers: dict[str, Any] = {"title": ""}
    while not answers["title"].strip() or "\n" in answers["title"]:
        answers["title"] = typer.prompt("Title")
    answers["date"] = date or ask_date("Date", "today")
    while True:
        answers["end"] = ask_date("End (for a span)", "")
        try:
            if answers["end"]:
                check_end(answers["date"], answers["end"])
        except ChronoError as exc:
            typer.echo(f"  {exc}", err=True)
            continue
        break
    accepted: set[str] = set()  # names the registry does not know, kept as new ones
    while True:
        answers["actors"] = typer.prompt("Actors, comma-separated", default="", show_default=False)
        if _all_known(_split(answers["actors"]), accepted, check_actors):
            break
    answers["new_names"] = frozenset(accepted)
    for name, question in (
        ("location", "Location"),
        ("tags", "Tags, comma-separated"),
        ("kind", "Kind (meeting, call, summit, statement ...)"),
        ("summary", "Summary"),
    ):
        answers[name] = typer.prompt(question, default="", show_default=False)
    answers["sources"] = []
    while source := typer.prompt(
        "Source, one a line (blank: done)", default="", show_default=False
    ).strip():
        answers["sources"].append(source)
    return answers


def _all_known(
    names: list[str], accepted: set[str], check: "Callable[[list[str], frozenset[str]], None]"
) -> bool:
    """Whether every name is an actor, asking of each unknown one whether to keep it as new."""
    for name in names:
        try:
            check([name], frozenset(accepted))
        except UsageError as exc:
            message = str(exc).removeprefix("--actor: ").split(" (--new-actor", 1)[0]
            typer.echo(f"  {message}", err=True)
            if "not in the registry" in message and typer.confirm(
                f"  Keep {name.strip()!r} as a new actor?", default=False
            ):
                accepted.add(name.strip())
                continue
            return False
    return True


INIT_TEMPLATE = """\
# A chronology kept with chrono: one [[events]] table per event, oldest first or in any order.
# Dates keep the precision you know: "2026-01-23" a day, "2026-01" a month, "2026" a year,
# "2026-01-23T22:30+03:00" a moment; end with ~ (approximate), ? (uncertain) or % (both).
#
#   chrono check                     read this file like a compiler and report problems
#   chrono add "Title" --date today  append an event (comments and layout here are kept)
#   chrono list --on 2026-01         ask it questions

[chrono]
timezone = "{timezone}"  # IANA zone for times written without an offset

# The actor registry: one table per person or body, with every spelling you meet,
# so that a search for any of them finds the same actor.
[actors.example]
name = "Ada Example"
aliases = ["Example", "A. Example"]
role = "What this actor is or does"

[[events]]
id = "{today}-log-started"
date = "{today}"
title = "Started this chronology"
summary = "Replace this event with the first one of your story."
actors = ["example"]
tags = ["meta"]
kind = "note"
sources = ["chrono init"]
"""


@commands.command(
    epilog=_examples("chrono init", "chrono init notes/events.toml --timezone Europe/Berlin")
)
def init(
    path: Annotated[
        str, typer.Argument(metavar="PATH", help="Where to write the new log.")
    ] = "events.toml",
    timezone: Annotated[
        str, typer.Option("--timezone", metavar="ZONE", help="The log's IANA time zone.")
    ] = "UTC",
) -> None:
    """Write a short, commented starter log; never overwrites an existing file."""
    from pathlib import Path  # noqa: PLC0415

    from chrono.core.model import load_timezone  # noqa: PLC0415
    from chrono.storage import store  # noqa: PLC0415

    if load_timezone(timezone) is None:
        raise UsageError(f"--timezone: unknown time zone {timezone!r}")
    target = Path(path)
    if target.exists() or target.is_symlink():
        raise WriteError(f"{path}: already exists; not overwritten")
    try:
        target.absolute().parent.mkdir(parents=True, exist_ok=True)  # `init notes/events.toml`
    except FileExistsError:
        raise WriteError(f"{path}: {target.parent} is not a folder") from None
    except OSError as exc:
        raise WriteError(f"{path}: cannot create its folder: {exc.strerror or exc}") from None
    text = INIT_TEMPLATE.format(timezone=timezone, today=_settings().today.isoformat())
    store.write_atomic(target.absolute(), text.encode("utf-8"), path, create=True)
    typer.echo(f"chrono: wrote {path}; try 'chrono check -f {path}'", err=True)


def _open(file: str | None) -> "Source":
    """The log named by --file (or found), read through the index when it is valid."""
    from chrono.operations.reading import open_source  # noqa: PLC0415

    settings = _settings()
    return open_source(_discover(file), settings.cache, freeze=settings.short_lived)


def _discover(file: str | None) -> "Path":
    """The log named by --file, else $CHRONO_FILE, else the nearest events.toml."""
    from chrono.operations.reading import discover  # noqa: PLC0415

    return discover(file or _settings().log)


def _console() -> Any:
    """A console for this run's terminal: its width and whether it has colour."""
    from chrono.output import render  # noqa: PLC0415

    settings = _settings()
    return render.make_console(width=settings.width, colour=settings.colour)


def _dumps(data: Any, **kwargs: Any) -> str:
    import json  # noqa: PLC0415

    return json.dumps(data, **kwargs)


def _write(text: str) -> None:
    sys.stdout.write(text)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _bad_choice(option: str, value: str, choices: tuple[str, ...]) -> ChronoError:
    return UsageError(f"{option}: {value!r} is not one of {', '.join(choices)}")


def main(*, short_lived: bool = False) -> None:
    """Run the command line; ``short_lived``: this process ends when the command does."""
    try:
        app(prog_name="chrono", obj={"short_lived": short_lived})
        sys.stdout.flush()
    except BrokenPipeError:
        _quiet_broken_pipe()
    except OSError as exc:  # `chrono list > /dev/full`, or stdout closed (`>&-`)
        where = f"{exc.filename}: " if exc.filename else "cannot write the output: "
        with contextlib.suppress(OSError):
            sys.stderr.write(f"chrono: error: {where}{exc.strerror or exc}\n")
            sys.stderr.flush()
        sys.exit(1)


def _quiet_broken_pipe(status: int = 0) -> NoReturn:
    """The reader went away (``chrono list | head -1``): stop quietly with ``status``."""
    import os  # noqa: PLC0415

    devnull = os.open(os.devnull, os.O_WRONLY)
    with contextlib.suppress(OSError, ValueError, AttributeError):  # the rest goes nowhere
        os.dup2(devnull, sys.stdout.fileno())
    sys.exit(status)


__all__ = ["app", "main"]
