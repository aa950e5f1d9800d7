"""The ``chrono`` command line: parses options, calls the core, reports errors in one place."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from chrono import __version__
from chrono.errors import ChronoError


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


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _bad_choice(option: str, value: str, choices: tuple[str, ...]) -> ChronoError:
    from chrono.errors import UsageError  # noqa: PLC0415

    return UsageError(f"{option}: {value!r} is not one of {', '.join(choices)}")


def main() -> None:
    """Entry point of the ``chrono`` console script."""
    app(prog_name="chrono")


__all__ = ["Path", "app", "main"]
