"""``chrono check``: read logs like a compiler and report every problem (a pre-commit hook)."""

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from chrono.app import options, terminal
from chrono.app.options import examples, settings_of
from chrono.app.status import CHECK_FAILED, ExitStatus, answering

if TYPE_CHECKING:
    from chrono.operations.checking import Report

commands = typer.Typer()


STDIN = "<stdin>"  # how the log read from standard input (-) is named


@commands.command(
    epilog=examples(
        "chrono check",
        "chrono check --strict -f notes/events.toml",
        "chrono check events.toml archive/events.toml",
        "git show :events.toml | chrono check -",
        "chrono check --format json | jq '.diagnostics[]'",
    )
)
def check(
    ctx: typer.Context,
    logs: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="[FILE]...",
            help="The logs to check, each in turn (as pre-commit names them); - reads "
            "standard input. Default: --file's log.",
            show_default=False,
        ),
    ] = None,
    file: options.FileOption = None,
    no_cache: options.NoCacheOption = False,  # accepted: check always reads the log itself
    strict: Annotated[bool, typer.Option("--strict", help="Treat warnings as errors.")] = False,
    fmt: Annotated[
        str,
        options.format_option(
            "text (diagnostics on stderr) or json (on stdout: an object, or a list of them "
            "for several logs).",
            metavar="<text|json>",
        ),
    ] = "text",
) -> ExitStatus:
    """Check the event log: syntax, dates, fields, ids, actors and sources.

    Each log named is checked in turn, unresolved merge conflicts included. Exit status 1
    when there is an error (or, with --strict, a warning) in any of them, else 0.
    """
    from chrono.operations import checking  # noqa: PLC0415 - lazy: keeps --help fast

    if fmt not in ("text", "json"):
        raise terminal.bad_choice("--format", fmt, ("text", "json"))
    settings = settings_of(ctx)
    names: list[str | None] = [*([file] if file else []), *(logs or [])] or [None]
    stdin: list[bytes] = []  # read once, however often - is given

    def checked(name: str | None) -> "Report":
        if name != "-":
            return checking.check(terminal.opened(settings.log_path(name)), strict=strict)
        stdin[:] = stdin or [sys.stdin.buffer.read()]
        return checking.check(Path(STDIN), strict=strict, data=stdin[0])

    reports = [checked(name) for name in names]
    status = CHECK_FAILED if any(report.failed for report in reports) else ExitStatus.OK
    with answering(status):  # `chrono check 2>&1 | head -1` still fails on a broken log
        if fmt == "json":
            from chrono.output.records import to_json  # noqa: PLC0415

            records = [_record(report) for report in reports]
            terminal.write(to_json(records if len(records) > 1 else records[0]))
        else:
            for report in reports:
                for diagnostic in report.diagnostics:
                    terminal.say(str(diagnostic))
                terminal.say(_summary(report))
    return status


def _record(report: "Report") -> dict[str, Any]:
    """The JSON of one log's check (``docs/json.md``)."""
    from chrono.output.records import check_record  # noqa: PLC0415

    return check_record(
        str(report.path),
        report.diagnostics,
        ok=not report.failed,
        events=report.events or 0,
        actors=report.actors or 0,
        errors=report.errors,
        warnings=report.warnings,
    )


def _summary(report: "Report") -> str:
    """``events.toml: 17 events, 9 actors: no problems``."""
    from chrono.core.text import plural  # noqa: PLC0415

    summary = f"{report.path}: "
    if report.events is not None and report.actors is not None:
        summary += f"{plural(report.events, 'event')}, {plural(report.actors, 'actor')}: "
    if report.diagnostics:
        return summary + f"{plural(report.errors, 'error')}, {plural(report.warnings, 'warning')}"
    return summary + "no problems"
