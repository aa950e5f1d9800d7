"""Starting a log: the commented starter log ``chrono init`` writes, never over a file."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Final

from chrono.core.errors import UsageError, WriteError

TEMPLATE: Final = """\
# A chronology kept with chrono: one [[events]] table per event, oldest first or in any order.
# Dates keep the precision you know: "2026-01-23" a day, "2026-01" a month, "2026" a year,
# "2026-01-23T22:30+03:00" a moment; end with ~ (approximate), ? (uncertain) or % (both).
#
#   chrono check                     read this file like a compiler and report problems
#   chrono add "Title" --date today  append an event (comments and layout here are kept)
#   chrono list --on 2026-01         ask it questions

[chrono]
timezone = "{timezone}"  # IANA zone for times written without an offset

# The actor registry: one table per person or body, with every spelling you meet,
# so that a search for any of them finds the same actor.
[actors.example]
name = "Ada Example"
aliases = ["Example", "A. Example"]
role = "What this actor is or does"

[[events]]
id = "{today}-log-started"
date = "{today}"
title = "Started this chronology"
summary = "Replace this event with the first one of your story."
actors = ["example"]
tags = ["meta"]
kind = "note"
sources = ["chrono init"]
"""


def starter_log(timezone: str, today: dt.date) -> str:
    """The text of a new log in the IANA zone ``timezone``, its one event dated ``today``."""
    return TEMPLATE.format(timezone=timezone, today=today.isoformat())


def start(path: str, timezone: str, today: dt.date) -> None:
    """Write a starter log at ``path`` (creating its folder); never overwrites a file."""
    from chrono.core.dates import load_timezone  # noqa: PLC0415
    from chrono.storage import atomic  # noqa: PLC0415

    if load_timezone(timezone) is None:
        raise UsageError(f"--timezone: unknown time zone {timezone!r}")
    target = Path(path)
    if target.exists() or target.is_symlink():
        raise WriteError(f"{path}: already exists; not overwritten")
    try:
        target.absolute().parent.mkdir(parents=True, exist_ok=True)  # `init notes/events.toml`
    except FileExistsError:
        raise WriteError(f"{path}: {target.parent} is not a folder") from None
    except OSError as exc:
        raise WriteError(f"{path}: cannot create its folder: {exc.strerror or exc}") from None
    text = starter_log(timezone, today)
    atomic.write_atomic(target.absolute(), text.encode("utf-8"), path, create=True)
