"""Everything a run depends on outside its arguments, read once at start-up and injected.

A run is started with a :class:`Start` (its environment, and whether the process ends
with it); when its command begins, that and the root options become one :class:`Settings`
(:func:`from_environment`), which the command passes on as parameters. Only this module
and ``app/main.py`` read ``os.environ``; nothing writes it.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:  # importing this module stays cheap: every run starts with a Start
    from chrono.operations.querying import Reading
    from chrono.storage.indexing import CacheSettings


class Start(NamedTuple):
    """What a run starts with, besides its arguments."""

    environ: Mapping[str, str]
    short_lived: bool = False  # the chrono command: the process ends with the run


def this_process() -> Start:
    """The start of a run inside a longer-lived program (a test, a library caller)."""
    return Start(os.environ)


class Settings(NamedTuple):
    """One run's settings: the cache, today, output and the environment it was read from."""

    cache: CacheSettings
    log: str | None  # $CHRONO_FILE
    colour: bool | None  # --color, else NO_COLOR, else FORCE_COLOR; None: if a terminal
    width: int | None  # $COLUMNS, when a positive number; 0 means the terminal's width
    pager: str  # $CHRONO_PAGER, else $PAGER, else less; "" for none
    short_lived: bool  # the chrono command: its model lives until it exits
    environ: Mapping[str, str]  # what programs chrono starts (the pager) inherit

    def log_path(self, file: str | None) -> Path:
        """The log named by --file (``file``), else $CHRONO_FILE, else the nearest events.toml."""
        from chrono.operations.reading import discover  # noqa: PLC0415

        return discover(file or self.log)

    @property
    def editor(self) -> str:
        """The editor ``chrono edit`` starts (see :func:`editor_command`)."""
        return editor_command(self.environ)

    @property
    def today(self) -> dt.date:
        """Today: ``CHRONO_TODAY`` (an ISO date) when set, else the clock.

        Read when a command needs it: a bad ``CHRONO_TODAY`` fails only those that do.
        """
        return today(self.environ)

    def reading(self) -> Reading:
        """How this run reads the log: the cache, the model's lifetime, today (when needed)."""
        from chrono.operations.querying import Reading  # noqa: PLC0415

        return Reading(self.cache, self.short_lived, functools.partial(today, self.environ))


def _width(columns: str | None) -> int | None:
    """The width ``$COLUMNS`` asks for, read as rich reads it (digits, nothing around them);
    0 (spaces allowed) is the terminal's width, as rich would print nothing."""
    if columns is not None and columns.isdigit():
        return int(columns)
    return 0 if columns is not None and columns.strip().isdigit() and not int(columns) else None


def _flag(environ: Mapping[str, str], name: str) -> bool:
    return environ.get(name, "") not in ("", "0")


def cache_folder(environ: Mapping[str, str]) -> Path:
    """Where indexes live: ``$CHRONO_CACHE_DIR``, else ``$XDG_CACHE_HOME/chrono``."""
    explicit = environ.get("CHRONO_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "chrono"


def _said_once() -> Callable[[str], None]:
    """A note for the user, ``chrono: text`` on stderr as ``terminal.note`` says it (which
    imports this module), once however often a run's layers give it."""
    said: set[str] = set()

    def say(text: str) -> None:
        if text not in said:
            said.add(text)
            import typer  # noqa: PLC0415 - loaded already: this runs inside a command

            typer.echo(f"chrono: {text}", err=True)

    return say


def colour_wanted(choice: str | None, environ: Mapping[str, str]) -> bool | None:
    """Whether the output has colour: ``--color always`` or ``never`` (``choice``), else
    ``NO_COLOR`` set and not empty (no), else ``FORCE_COLOR`` set and not empty (yes), else
    None: as the output says (a terminal has colour, a pipe has none)."""
    if choice in ("always", "never"):
        return choice == "always"
    if environ.get("NO_COLOR"):
        return False
    return True if environ.get("FORCE_COLOR") else None


def pager_command(environ: Mapping[str, str]) -> str:
    """The pager, as git finds its own: ``$CHRONO_PAGER``, else ``$PAGER``, else ``less``;
    "" (none) when the one found is empty or ``cat``."""
    for name in ("CHRONO_PAGER", "PAGER"):
        if name in environ:
            command = environ[name].strip()
            return "" if command in ("", "cat") else command
    return "less"


def editor_command(environ: Mapping[str, str]) -> str:
    """The editor, as git finds one: ``$CHRONO_EDITOR``, else ``$VISUAL``, else ``$EDITOR``,
    else ``vi`` (a command line, run by the shell with the file's name after it)."""
    for name in ("CHRONO_EDITOR", "VISUAL", "EDITOR"):
        command = environ.get(name, "").strip()
        if command:
            return command
    return "vi"


def today(environ: Mapping[str, str]) -> dt.date:
    """Today: ``CHRONO_TODAY`` (an ISO date) when set, else the clock."""
    value = environ.get("CHRONO_TODAY")
    if value:
        from chrono.core.errors import UsageError  # noqa: PLC0415

        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            raise UsageError(f"CHRONO_TODAY={value!r} is not an ISO date (YYYY-MM-DD)") from None
    return dt.date.today()


def from_environment(
    environ: Mapping[str, str],
    *,
    no_cache: bool = False,
    short_lived: bool = False,
    colour_choice: str | None = None,
) -> Settings:
    """The settings of a run from its environment and the root options (``colour_choice``:
    ``--color``)."""
    from chrono.storage.indexing import CacheSettings  # noqa: PLC0415

    return Settings(
        cache=CacheSettings(
            enabled=not (no_cache or _flag(environ, "CHRONO_NO_CACHE")),
            folder=cache_folder(environ),
            inline=_flag(environ, "CHRONO_INDEX_SYNC"),
            strict=_flag(environ, "CHRONO_DEBUG_INDEX"),
            notes=_said_once(),
        ),
        log=environ.get("CHRONO_FILE") or None,
        colour=colour_wanted(colour_choice, environ),
        width=_width(environ.get("COLUMNS")),
        pager=pager_command(environ),
        short_lived=short_lived,
        environ=environ,
    )
