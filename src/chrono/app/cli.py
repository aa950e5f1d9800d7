"""The ``chrono`` command line: the root command, and its commands looked up by name.

Each command is a module of ``app/commands`` (see its registry); a run builds only the
command it names. How a run ends is the exit-status table's (``app/status.py``); the
process around it is ``app/main.py``. ``add`` still lives here while it moves out.
"""

import importlib
import sys
from collections.abc import Mapping, MutableMapping, Sequence
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any, cast

import typer
import typer.main
from typer.core import TyperGroup

from chrono import __version__
from chrono.app import terminal
from chrono.app.commands import COMMANDS
from chrono.app.options import FileOption, NoCacheOption
from chrono.app.options import examples as _examples
from chrono.app.status import ExitStatus, ending
from chrono.core.errors import ChronoError, DateError, UsageError

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from pathlib import Path

    from chrono.app.settings import Settings, Start
    from chrono.core.actors import Registry


class _LazyCommands(MutableMapping[str, Any]):
    """The subcommands by name, each imported and built into a click command when first looked up.

    Typer turns every command's signature into click parameters when the app starts; a run
    needs one command, and building all of them cost ~6 ms of every start.
    """

    def __init__(self, registry: Mapping[str, str] = COMMANDS) -> None:
        self._registry = registry  # command name -> the module that declares it
        self._built: dict[str, Any] = {}

    def __getitem__(self, name: str) -> Any:
        if name not in self._built:
            declared = importlib.import_module(self._registry[name]).commands  # KeyError: none
            one = typer.Typer(add_completion=False, rich_markup_mode=None)
            one.registered_commands += [
                info for info in declared.registered_commands if _name(info) == name
            ]
            one.registered_groups += [g for g in declared.registered_groups if g.name == name]
            self._built[name] = typer.main.get_group(one).commands[name]
        return self._built[name]

    def __setitem__(self, name: str, command: Any) -> None:
        self._built[name] = command

    def __delitem__(self, name: str) -> None:
        raise KeyError(name)

    def __iter__(self) -> "Iterator[str]":
        return iter(dict.fromkeys([*self._registry, *self._built]))

    def __len__(self) -> int:
        return len(dict.fromkeys([*self._registry, *self._built]))


def _name(info: Any) -> str:
    """A command's name: the one given, else its function's, as Typer derives it."""
    name: str = info.name or info.callback.__name__.lower().replace("_", "-")
    return name


class _ChronoGroup(TyperGroup):
    """The root command: runs one command and ends as the exit-status table says."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.commands = _LazyCommands()

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        windows_expand_args: bool = True,  # chrono's callers always give the args
        **extra: Any,
    ) -> Any:
        """Run the command line on ``args``: the status its command returns, or the one
        :func:`~chrono.app.status.ending` gives what was raised (``standalone_mode``: exit
        with it)."""
        prog_name = prog_name or "chrono"
        try:
            self._main_shell_completion(extra, prog_name, complete_var)
            words = list(sys.argv[1:] if args is None else args)
            with self.make_context(prog_name, words, **extra) as ctx:
                returned = self.invoke(ctx)
            sys.stdout.flush()  # a reader that went away is noticed here, not at exit
            status = returned if isinstance(returned, int) else ExitStatus.OK
        except BaseException as exc:  # the table raises again what it does not know
            status = ending(exc, sys.stderr)
        if standalone_mode:
            sys.exit(int(status))
        return int(status)


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
# `add` is declared on `commands`, as every command module declares its own.
commands = typer.Typer()


def run(args: Sequence[str], start: "Start | None" = None) -> int:
    """Run the command line on ``args`` started with ``start`` (None: this process's
    environment, a long-lived process); the exit status."""
    status: int = typer.main.get_command(app).main(
        args=list(args), prog_name="chrono", standalone_mode=False, obj=start
    )
    return status


def main(*, short_lived: bool = False) -> None:
    """Run the command line on ``sys.argv`` and exit (the chrono command is app/main.py's)."""
    from chrono.app.settings import this_process  # noqa: PLC0415

    sys.exit(run(sys.argv[1:], this_process()._replace(short_lived=short_lived)))


def _settings() -> "Settings":
    """This run's settings, for ``add`` until it takes them as a parameter."""
    try:
        from typer._click.globals import get_current_context  # noqa: PLC0415
    except ImportError:  # a Typer that uses the click package itself
        from click import get_current_context  # type: ignore[no-redef,import-not-found,unused-ignore]  # noqa: PLC0415
    from chrono.app.options import settings_of  # noqa: PLC0415

    return settings_of(cast("typer.Context", get_current_context()))


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


def _discover(file: str | None) -> "Path":
    """The log named by --file, else $CHRONO_FILE, else the nearest events.toml."""
    return _settings().log_path(file)


def _dumps(data: Any, **kwargs: Any) -> str:
    import json  # noqa: PLC0415

    return json.dumps(data, **kwargs)


_write = terminal.write  # add's: the answer on stdout

__all__ = ["app", "main", "run"]
