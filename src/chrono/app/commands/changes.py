"""``chrono changes``: the events added, changed and removed since a git revision."""

from enum import StrEnum
from typing import TYPE_CHECKING, Annotated

import typer

from chrono.app import options, terminal
from chrono.app.options import examples, settings_of, with_filters
from chrono.app.status import ExitStatus

if TYPE_CHECKING:
    from chrono.operations.querying import Filters

commands = typer.Typer()


class ChangesFormat(StrEnum):
    """Output formats of ``chrono changes``."""

    timeline = "timeline"
    json = "json"
    md = "md"


@commands.command(
    epilog=examples(
        "chrono changes",
        "chrono changes HEAD~3 --format md >> report.md",
        "chrono changes v1.0 v2.0 -a Putin",
        "chrono changes origin/main --on 2026-01 --format json",
    ),
)
@with_filters
def changes(
    ctx: typer.Context,
    rev: Annotated[
        str, typer.Argument(metavar="REV", help="The revision to compare with (default: HEAD).")
    ] = "HEAD",
    rev2: Annotated[
        str | None,
        typer.Argument(
            metavar="[REV2]",
            help="Compare REV with this revision, not with the work tree.",
            show_default=False,
        ),
    ] = None,
    *,
    file: options.FileOption = None,
    no_cache: options.NoCacheOption = False,
    filters: "Filters",  # the filter options (with_filters)
    fmt: Annotated[
        ChangesFormat, options.format_option("timeline, json or md (a 'New since REV' section).")
    ] = ChangesFormat.timeline,
    tz: options.TzOption = None,
    pager: options.PagerOption = None,
) -> ExitStatus:
    """Show the events added, changed and removed since a git revision.

    Compares the log as git holds it at REV (default HEAD: since the last commit) with
    the work tree, or with REV2; events are matched by id, and a change shows each field
    as old → new. Takes every filter of `chrono list`: a new or changed event is shown
    when its new version matches, a removed one when its old version did. --limit and
    --reverse apply to each section. Changes to the actors are shown when no filter is.
    """
    from chrono.operations import history  # noqa: PLC0415

    settings = settings_of(ctx)
    path = terminal.opened(settings.log_path(file))
    found = history.changes(
        path, rev, rev2, filters, settings.reading(), zone=tz, notes=terminal.note
    )
    sections = (found.added, found.changed, found.removed)
    if fmt is ChangesFormat.json:
        from chrono.output.records import changes_record, to_json, version_record  # noqa: PLC0415

        versions = (version_record(*found.since), version_record(*found.until))
        record = changes_record(str(path), versions, found.old, found.new, sections, found.actors)
        terminal.write(to_json(record))
    elif fmt is ChangesFormat.md:
        from chrono.export.md_format import changes as markdown  # noqa: PLC0415

        terminal.write_bytes(markdown((rev, rev2), found.old, found.new, sections, found.display))
    elif found.events or found.actors:
        from chrono.output import history as shown  # noqa: PLC0415

        with terminal.viewed(settings, pager) as console:
            shown.timeline(console, (rev, rev2), found.old, found.new, sections, found.display,
                           found.actors)  # fmt: skip
    else:
        from chrono.output.history import span_words  # noqa: PLC0415

        terminal.note(f"no changes {span_words(rev, rev2)}")
    return ExitStatus.OK
