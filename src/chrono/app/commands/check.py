"""``chrono check``: read the log like a compiler and report every problem."""

from typing import TYPE_CHECKING, Annotated

import typer

from chrono.app import options, terminal
from chrono.app.options import examples, settings_of
from chrono.app.status import CHECK_FAILED, ExitStatus, answering

if TYPE_CHECKING:
    from chrono.operations.checking import Report

commands = typer.Typer()


@commands.command(
    epilog=examples(
        "chrono check",
        "chrono check --strict -f notes/events.toml",
        "chrono check --format json | jq '.diagnostics[]'",
    )
)
def check(
    ctx: typer.Context,
    file: options.FileOption = None,
    no_cache: options.NoCacheOption = False,  # accepted: check always reads the log itself
    strict: Annotated[bool, typer.Option("--strict", help="Treat warnings as errors.")] = False,
    fmt: Annotated[
        str,
        options.format_option(
            "text (diagnostics on stderr) or json (on stdout).", metavar="<text|json>"
        ),
    ] = "text",
) -> ExitStatus:
    """Check the event log: syntax, dates, fields, ids, actors and sources.

    Exit status 1 when there is an error (or, with --strict, a warning), else 0.
    """
    from chrono.operations import checking  # noqa: PLC0415 - lazy: keeps --help fast

    if fmt not in ("text", "json"):
        raise terminal.bad_choice("--format", fmt, ("text", "json"))
    report = checking.check(terminal.opened(settings_of(ctx).log_path(file)), strict=strict)
    status = CHECK_FAILED if report.failed else ExitStatus.OK
    with answering(status):  # `chrono check 2>&1 | head -1` still fails on a broken log
        if fmt == "json":
            from chrono.output.records import check_record, to_json  # noqa: PLC0415

            terminal.write(
                to_json(
                    check_record(
                        str(report.path),
                        report.diagnostics,
                        ok=not report.failed,
                        events=report.events or 0,
                        actors=report.actors or 0,
                        errors=report.errors,
                        warnings=report.warnings,
                    )
                )
            )
        else:
            for diagnostic in report.diagnostics:
                terminal.say(str(diagnostic))
            terminal.say(_summary(report))
    return status


def _summary(report: "Report") -> str:
    """``events.toml: 17 events, 9 actors: no problems``."""
    from chrono.core.text import plural  # noqa: PLC0415

    summary = f"{report.path}: "
    if report.events is not None and report.actors is not None:
        summary += f"{plural(report.events, 'event')}, {plural(report.actors, 'actor')}: "
    if report.diagnostics:
        return summary + f"{plural(report.errors, 'error')}, {plural(report.warnings, 'warning')}"
    return summary + "no problems"
