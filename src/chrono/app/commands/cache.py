"""``chrono cache``: where the derived index is, and clearing it."""

from typing import Annotated

import typer

from chrono.app import options, terminal
from chrono.app.options import examples, settings_of

commands = typer.Typer()
cache_app = typer.Typer(
    name="cache",
    help="The derived index that makes queries instant: where it is, and clearing it.\n\n"
    "The index is rebuilt from the log whenever the log changes; deleting it is always safe.",
    no_args_is_help=True,
)
commands.add_typer(cache_app, name="cache")


@cache_app.command("path", epilog=examples("chrono cache path", "chrono cache path -f other.toml"))
def cache_path(ctx: typer.Context, file: options.FileOption = None) -> None:
    """Print where the index of the log is (or would be) kept."""
    from chrono.operations import caching  # noqa: PLC0415

    settings = settings_of(ctx)
    terminal.write(f"{caching.index_location(settings.log_path(file), settings.cache.folder)}\n")


@cache_app.command("clear", epilog=examples("chrono cache clear", "chrono cache clear --all"))
def cache_clear(
    ctx: typer.Context,
    file: options.FileOption = None,
    every: Annotated[bool, typer.Option("--all", help="Delete the index of every log.")] = False,
) -> None:
    """Delete the index of the log (or of every log); it is rebuilt when next needed."""
    from chrono.operations import caching  # noqa: PLC0415

    settings = settings_of(ctx)
    count, others = caching.clear_all(
        settings.cache.folder, None if every else settings.log_path(file)
    )
    from chrono.core.text import plural  # noqa: PLC0415

    left = f" and {plural(others, 'leftover file')}" if others else ""
    terminal.note(f"removed {count} {'index' if count == 1 else 'indexes'}{left}")
