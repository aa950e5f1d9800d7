"""``chrono merge-driver`` (git's merge driver for the log) and ``chrono git setup``."""

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from chrono.app import options, terminal
from chrono.app.options import examples, settings_of
from chrono.app.status import ExitStatus

if TYPE_CHECKING:
    from chrono.app.settings import Settings
    from chrono.storage.merge import Conflict

commands = typer.Typer()

CONFLICTED = ExitStatus.ERROR  # git reads any status but 0 as "conflicts left"


def _version(metavar: str, what: str) -> object:
    return typer.Argument(metavar=metavar, help=what, show_default=False)


@commands.command(
    "merge-driver",
    epilog=examples(
        "chrono git setup        # installs this driver for the repository",
        "git config merge.chrono.driver 'chrono merge-driver --marker-size %L %O %A %B %P'",
        "echo '/events.toml merge=chrono' >> .gitattributes",
    ),
)
def merge_driver(
    base: Annotated[Path, _version("BASE", "%O: the common ancestor's version.")],
    ours: Annotated[Path, _version("OURS", "%A: ours; the merge is written here.")],
    theirs: Annotated[Path, _version("THEIRS", "%B: theirs.")],
    name: Annotated[str, _version("PATH", "%P: the log's path in the repository.")] = "",
    size: Annotated[
        int, typer.Option("--marker-size", min=1, help="%L: the conflict markers' length.")
    ] = 7,
    ours_label: Annotated[
        str, typer.Option(help="The label of ours' side of a conflict.")
    ] = "ours",
    theirs_label: Annotated[str, typer.Option(help="The label of theirs'.")] = "theirs",
) -> ExitStatus:
    """Merge three versions of the log by event id, as git's merge driver.

    Events, actors and settings added on either side are kept; a table changed on one side
    takes that side's version; one changed differently on both (or removed on one side and
    changed on the other) is a conflict of that table alone, between git's conflict
    markers, which `chrono check` names. Exit status 0 when merged cleanly, 1 when a
    conflict is left for you.
    """
    from chrono.operations import merging  # noqa: PLC0415 - lazy: keeps --help fast

    driven = merging.drive(base, ours, theirs, labels=(ours_label, theirs_label), size=max(size, 7))
    shown = name or str(ours)
    if driven.line_merge is not None:
        terminal.say(
            f"chrono: {shown}: not merged by event ({driven.line_merge}); git's line merge used"
        )
        return CONFLICTED if driven.line_conflicts else ExitStatus.OK
    for conflict in driven.conflicts:
        terminal.note(f"{shown}:{conflict.line}: {_conflict(conflict)}")
    return CONFLICTED if driven.conflicts else ExitStatus.OK


def _conflict(conflict: "Conflict") -> str:
    """``a conflict on the event 'x': both sides changed it``."""
    what = {"event": "the event", "actor": "the actor", "settings": "the [chrono] table"}
    named = f" {conflict.name!r}" if conflict.name else ""
    return f"a conflict on {what.get(conflict.kind, 'the table')}{named}: both sides changed it"


@commands.command("git", epilog=examples("chrono git setup", "chrono git setup --global"))
def git_help(ctx: typer.Context) -> ExitStatus:
    """Keep the log in git: `chrono git setup` installs the merge driver.

    \b
    Commands:
      chrono git setup   install the merge driver for the log's repository (or --global)
    """
    terminal.write(ctx.get_help() + "\n")
    return ExitStatus.OK


@commands.command(
    "git setup",
    epilog=examples(
        "chrono git setup",
        "chrono git setup -f notes/events.toml",
        "chrono git setup --global",
    ),
)
def git_setup(
    ctx: typer.Context,
    file: options.FileOption = None,
    user: Annotated[
        bool, typer.Option("--global", help="For every repository of yours (~/.gitconfig).")
    ] = False,
) -> ExitStatus:
    """Install chrono's merge driver: events merge by id, never conflicting at the end.

    Writes the `.gitattributes` line for the log and the `merge.chrono.name` and
    `merge.chrono.driver` settings in the repository's config (with --global: in your
    git config and attributes file, for every log of the same file name), and says what
    it wrote. Running it again writes nothing.
    """
    from chrono.operations import merging  # noqa: PLC0415

    settings = settings_of(ctx)
    log = settings.log_path(file)
    scope = "--global" if user else "--local"
    attributes = merging.attributes_file(log, settings.environ) if user else None
    for setting in merging.setup(log, _driver(settings), scope=scope, attributes=attributes):
        verb = "wrote" if setting.written else "already there"
        terminal.write(f"{setting.where}: {setting.what}  ({verb})\n")
    return ExitStatus.OK


def _driver(settings: "Settings") -> str:
    """The driver's command line: ``chrono`` when the PATH finds it, else this Python's."""
    import shlex  # noqa: PLC0415
    import shutil  # noqa: PLC0415
    import sys  # noqa: PLC0415

    found = shutil.which("chrono", path=settings.environ.get("PATH"))
    program = "chrono" if found else f"{shlex.quote(sys.executable)} -m chrono"
    return f"{program} merge-driver --marker-size %L %O %A %B %P"
