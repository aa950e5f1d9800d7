"""The options commands share, declared once, and the run's settings they feed.

``--file``, ``--no-cache``, ``--tz`` and ``--format`` are declared here; the filters of
``list`` and ``export`` are one bundle (:data:`FILTER_OPTIONS`, given to a command by
:func:`with_filters` as one :class:`~chrono.operations.querying.Filters`), so a new filter
is one line here and one field there. Importing this module imports no core module:
``--help`` stays light.
"""

from __future__ import annotations

import enum
import inspect
from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated, Any, Final, TypeVar

import typer

if TYPE_CHECKING:
    from chrono.app.settings import Settings

R = TypeVar("R")


def examples(*lines: str) -> str:
    """An epilog that keeps its lines as written (click's \\b marker)."""
    return "\b\nExamples:\n" + "\n".join(f"  {line}" for line in lines)


def _no_cache(ctx: typer.Context, value: bool) -> None:
    if value:  # before or after the command name, it is a setting of the whole run
        ctx.find_root().meta["chrono.no_cache"] = True


class Colour(enum.StrEnum):
    """When the output has colour (``--color``, as git and ripgrep spell it)."""

    auto = "auto"
    always = "always"
    never = "never"


def _colour(ctx: typer.Context, value: Colour | None) -> None:
    if value is not None:  # before or after the command name; the last one given counts
        ctx.find_root().meta["chrono.colour"] = value.value


def settings_of(ctx: typer.Context) -> Settings:
    """This run's settings: built once, as its command starts, from its start and options.

    Built after the command's options are parsed, so ``--no-cache`` counts before or
    after the command name, and ``--help`` needs none.
    """
    from chrono.app.settings import Start, from_environment, this_process  # noqa: PLC0415

    root = ctx.find_root()
    settings: Settings | None = root.meta.get("chrono.settings")
    if settings is None:
        start = root.obj if isinstance(root.obj, Start) else this_process()
        settings = from_environment(
            start.environ,
            no_cache=root.meta.get("chrono.no_cache", False),
            short_lived=start.short_lived,
            colour_choice=root.meta.get("chrono.colour"),
        )
        root.meta["chrono.settings"] = settings
    return settings


def _completer(what: str) -> Callable[[typer.Context, str], list[str]]:
    """A completion callback offering the log's values of ``what`` (``app/completion.py``,
    loaded only when the shell asks)."""

    def complete(ctx: typer.Context, incomplete: str) -> list[str]:
        from chrono.app.completion import complete  # noqa: PLC0415

        return complete(ctx, what, incomplete, settings_of)

    return complete


complete_id = _completer("id")  # ``chrono show <TAB>``
complete_actor = _completer("actor")  # ``-a <TAB>``, ``chrono actors <TAB>``


def format_option(help: str, metavar: str | None = None) -> Any:
    """``--format``/``-F``: each command has its own choices and words for them (``metavar``:
    the choices as ``--help`` shows them, for a format checked by the command itself)."""
    return typer.Option("--format", "-F", help=help, metavar=metavar)


PagerOption = Annotated[
    bool | None,
    typer.Option(
        "--pager/--no-pager",
        help="Page the output on a terminal through $CHRONO_PAGER, else $PAGER, else less "
        "(the default; CHRONO_PAGER= or cat: never).",
        show_default=False,
    ),
]

NoCacheOption = Annotated[
    bool,
    typer.Option(
        "--no-cache",
        help="Read the log itself, not the derived index (also CHRONO_NO_CACHE=1).",
        callback=_no_cache,
        expose_value=False,
    ),
]
ColourOption = Annotated[
    Colour | None,
    typer.Option(
        "--color",
        metavar="WHEN",
        help="Colour: auto (on a terminal; NO_COLOR=1: never, FORCE_COLOR=1: always), "
        "always or never.",
        callback=_colour,
        expose_value=False,
        show_default=False,
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
TzOption = Annotated[
    str | None,
    typer.Option(
        "--tz",
        metavar="ZONE",
        help="Show times, and read the dates --on, --from and --to give, in this IANA time zone "
        "(default: the log's).",
        show_default=False,
    ),
]


def value_option(
    *names: str, metavar: str, help: str | None = None, complete: str | None = None
) -> Any:
    """An option taking a value, no default shown; ``complete``: what the shell completes
    its value from (``actor``, ``tag``, ``kind``, ``id``)."""
    return typer.Option(
        *names, metavar=metavar, help=help, show_default=False,
        autocompletion=_completer(complete) if complete else None,
    )  # fmt: skip


# The filters: parameter name, its type with its option, and its default, in --help order.
FILTER_OPTIONS: Final[tuple[tuple[str, Any, Any], ...]] = (
    ("actor", Annotated[list[str] | None, value_option("--actor", "-a", metavar="NAME", help=(
        "Events with this actor (key, name or alias; any case or accent). "
        "Repeat: events with all of them."), complete="actor")], None),
    ("any_actor", Annotated[bool, typer.Option(
        "--any-actor", help="With several --actor: events with any of them.")], False),
    ("on", Annotated[str | None, value_option("--on", metavar="DATE", help=(
        "Events overlapping this day, month or year (2026-01, 'Januar 2026', 'last week')."))],
     None),
    ("since", Annotated[str | None, value_option(
        "--from", metavar="DATE", help="Events on or after DATE (inclusive).")], None),
    ("until", Annotated[str | None, value_option(
        "--to", metavar="DATE", help="Events on or before DATE (inclusive).")], None),
    ("tag", Annotated[list[str] | None, value_option(
        "--tag", "-t", metavar="TAG", help="Events with this tag (repeat: all of them).",
        complete="tag")], None),
    ("kind", Annotated[list[str] | None, value_option(
        "--kind", "-k", metavar="KIND", help="Events of this kind (repeat: any of them).",
        complete="kind")], None),
    ("location", Annotated[list[str] | None, value_option(
        "--location", "-l", metavar="TEXT", help="Events whose location contains TEXT.")], None),
    ("search", Annotated[str | None, value_option("--search", "-s", metavar="TEXT", help=(
        "Events with every word of TEXT in any of their text (title, summary, place, kind, "
        "tags, sources, actors), each from the start of a word: 'ship' finds 'ships', 'ted' "
        'never "reported" (any case or accent, any order; "a phrase" in quotes stays whole).'
        ))], None),
    ("limit", Annotated[int | None, value_option(
        "--limit", "-n", metavar="N", help="Only the N most recent matches.")], None),
    ("reverse", Annotated[bool, typer.Option("--reverse", help="Newest first.")], False),
)  # fmt: skip


def with_filters(command: Callable[..., R]) -> Callable[..., R]:
    """``command`` with the filter options where its ``filters`` parameter is.

    The command is called with the values as one ``filters`` argument
    (:class:`~chrono.operations.querying.Filters`); repeatable options become tuples.
    The command's annotations are evaluated here, as Typer would: they must be importable,
    but for ``filters``, whose type (imported only for type checking) is not loaded until
    the command runs.
    """
    signature = inspect.signature(command, eval_str=True, locals={"Filters": object})
    parameters: list[inspect.Parameter] = []
    for parameter in signature.parameters.values():
        if parameter.name != "filters":
            parameters.append(parameter)
            continue
        parameters += [
            inspect.Parameter(
                name, inspect.Parameter.KEYWORD_ONLY, annotation=kind, default=default
            )
            for name, kind, default in FILTER_OPTIONS
        ]

    def with_values(**values: Any) -> R:
        from chrono.operations.querying import Filters  # noqa: PLC0415

        unset = Filters()  # a filter not given: () or None, as the field says
        given = {name: values.pop(name) for name, _, _ in FILTER_OPTIONS}
        plain: dict[str, Any] = {
            name: tuple(value) if isinstance(value, list) else
            getattr(unset, name) if value is None else value
            for name, value in given.items()
        }  # fmt: skip
        return command(filters=Filters(**plain), **values)

    with_values.__signature__ = signature.replace(parameters=parameters)  # type: ignore[attr-defined]
    with_values.__annotations__ = {p.name: p.annotation for p in parameters}
    for attribute in ("__name__", "__qualname__", "__doc__", "__module__"):
        setattr(with_values, attribute, getattr(command, attribute))
    return with_values
