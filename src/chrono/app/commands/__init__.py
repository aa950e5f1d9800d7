"""The commands by name: one module each, imported only when its command is run or listed.

A new command is one module here that declares it on its own ``commands = typer.Typer()``,
and one line in :data:`COMMANDS` (its place in the list is its place in ``--help``).
"""

from typing import Final

COMMANDS: Final = {
    "check": "chrono.app.commands.check",
    "list": "chrono.app.commands.listing",
    "show": "chrono.app.commands.show",
    "export": "chrono.app.commands.export",
    "actors": "chrono.app.commands.actors",
    "add": "chrono.app.commands.add",
    "init": "chrono.app.commands.init",
    "cache": "chrono.app.commands.cache",
}
