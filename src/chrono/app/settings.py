"""Everything a run depends on outside its arguments, read once at start-up and injected.

Options and environment variables are turned into one :class:`Settings` by
:func:`from_environment`; nothing below the command line reads ``os.environ`` or writes it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from typing import NamedTuple

from chrono.core.errors import UsageError
from chrono.storage.indexing import CacheSettings


class Settings(NamedTuple):
    """One run's settings: the cache, today, output and the environment it was read from."""

    cache: CacheSettings
    today: dt.date
    log: str | None  # $CHRONO_FILE
    colour: bool  # False with NO_COLOR
    width: int | None  # $COLUMNS, when a positive number; 0 means the terminal's width
    pager: str  # $PAGER, else less
    short_lived: bool  # the chrono command: its model lives until it exits
    environ: Mapping[str, str]  # what programs chrono starts (the pager) inherit


def _flag(environ: Mapping[str, str], name: str) -> bool:
    return environ.get(name, "") not in ("", "0")


def cache_folder(environ: Mapping[str, str]) -> Path:
    """Where indexes live: ``$CHRONO_CACHE_DIR``, else ``$XDG_CACHE_HOME/chrono``."""
    explicit = environ.get("CHRONO_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "chrono"


def today(environ: Mapping[str, str]) -> dt.date:
    """Today: ``CHRONO_TODAY`` (an ISO date) when set, else the clock."""
    value = environ.get("CHRONO_TODAY")
    if value:
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            raise UsageError(f"CHRONO_TODAY={value!r} is not an ISO date (YYYY-MM-DD)") from None
    return dt.date.today()


def from_environment(
    environ: Mapping[str, str], *, no_cache: bool = False, short_lived: bool = False
) -> Settings:
    """The settings of a run from its environment and the root options."""
    columns = environ.get("COLUMNS", "").strip()
    return Settings(
        cache=CacheSettings(
            enabled=not (no_cache or _flag(environ, "CHRONO_NO_CACHE")),
            folder=cache_folder(environ),
            inline=_flag(environ, "CHRONO_INDEX_SYNC"),
        ),
        today=today(environ),
        log=environ.get("CHRONO_FILE") or None,
        colour=not environ.get("NO_COLOR"),
        width=int(columns) if columns.isdigit() else None,
        pager=environ.get("PAGER") or "less",
        short_lived=short_lived,
        environ=environ,
    )
