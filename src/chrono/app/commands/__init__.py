"""The commands by name: one module each, imported only when its command is run or listed.

A new command is one module here that declares it on its own ``commands = typer.Typer()``,
and one line in :data:`COMMANDS` (its place in the list is its place in ``--help``) and
in :data:`SUMMARIES`.
"""

from typing import Final

COMMANDS: Final = {
    "check": "chrono.app.commands.check",
    "list": "chrono.app.commands.listing",
    "show": "chrono.app.commands.show",
    "export": "chrono.app.commands.export",
    "actors": "chrono.app.commands.actors",
    "add": "chrono.app.commands.add",
    "import": "chrono.app.commands.importing",
    "changes": "chrono.app.commands.changes",
    "edit": "chrono.app.commands.edit",
    "set": "chrono.app.commands.amend",
    "rm": "chrono.app.commands.remove",
    "init": "chrono.app.commands.init",
    "cache": "chrono.app.commands.cache",
    "git": "chrono.app.commands.merge",
    "merge-driver": "chrono.app.commands.merge",
}

# Commands named by two words (``chrono actors alias``), found before the one-word command
# of the first word.
SUBCOMMANDS: Final = {
    "actors alias": "chrono.app.commands.aliasing",
    "actors rename": "chrono.app.commands.aliasing",
    "actors merge": "chrono.app.commands.aliasing",
    "git setup": "chrono.app.commands.merge",
}

# What ``chrono --help`` says of each command, so that listing them imports none: the first
# paragraph of each command's own help (a test holds the two together).
SUMMARIES: Final = {
    "check": "Check the event log: syntax, dates, fields, ids, actors and sources.",
    "list": "List events, oldest first: filter by actor, date, tag, kind, place or text.",
    "show": "Show every field of one event, and the previous and next events sharing an actor.",
    "export": "Export the events that `chrono list` would show, to stdout or -o FILE.",
    "actors": "List the actors: events, first and last appearance; or one actor; or who met whom.",
    "add": "Append one event to the log, keeping every existing byte as it was.",
    "import": "Import events from a spreadsheet, TimelineJS, a calendar, jrnl or chrono's JSON.",
    "changes": "Show the events added, changed and removed since a git revision.",
    "edit": "Edit one event's TOML block in $CHRONO_EDITOR, else $VISUAL, else $EDITOR, else vi.",
    "set": "Change fields of one event, rewriting only the lines of the keys that change.",
    "rm": "Remove events from the log, each with the comments that belong to it.",
    "init": "Write a short, commented starter log; never overwrites an existing file.",
    "cache": "The derived index that makes queries instant: where it is, and clearing it.",
    "git": "Keep the log in git: `chrono git setup` installs the merge driver.",
    "merge-driver": "Merge three versions of the log by event id, as git's merge driver.",
}
