"""Where commands read the log from: the derived index when it is valid, else the file.

Both sources answer the same questions the same way; the index only answers faster.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from chrono.errors import UsageError

if TYPE_CHECKING:  # importing this module stays cheap: the log's path is needed first
    from chrono.actors import Registry
    from chrono.model import Chronology, Event
    from chrono.query import Query, Selection

LOG_NAME = "events.toml"


def discover(explicit: str | None, cwd: Path | None = None) -> Path:
    """The log to use: ``--file``, else ``CHRONO_FILE``, else the nearest ``events.toml`` upward."""
    if explicit:
        return Path(explicit)
    env = os.environ.get("CHRONO_FILE")
    if env:
        return Path(env)
    here = (cwd or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        candidate = folder / LOG_NAME
        if candidate.is_file():
            return candidate.relative_to(here) if candidate.is_relative_to(here) else candidate
    raise UsageError(
        f"no {LOG_NAME} found in this directory or any parent; "
        "name one with --file PATH or CHRONO_FILE, or create one with 'chrono init'"
    )


def cache_enabled() -> bool:
    """False when ``--no-cache`` or ``CHRONO_NO_CACHE=1`` asks chrono to read the file only."""
    return os.environ.get("CHRONO_NO_CACHE", "") in ("", "0")


class FileSource:
    """Answers from a chronology parsed from the file."""

    def __init__(self, full: Chronology) -> None:
        self.full = full

    @property
    def registry(self) -> Registry:
        return self.full.registry

    @property
    def tz(self) -> dt.tzinfo:
        return self.full.tz

    def chronology(self, events: Any = ()) -> Chronology:
        return self.full

    def all(self) -> Chronology:
        return self.full

    def free_text_actors(self) -> list[str]:
        registry = self.full.registry
        names = (a for e in self.full.events for a in e.actors if a not in registry)
        return list(dict.fromkeys(names))

    def select(self, query: Query, want_events: bool = True) -> Selection:
        from chrono.query import select  # noqa: PLC0415

        return select(self.full, query)

    def find(self, event_id: str) -> tuple[Event | None, list[str]]:
        exact = self.full.get(event_id)
        if exact is not None:
            return exact, []
        prefixed = sorted(e.id for e in self.full.events if e.id.startswith(event_id))
        if len(prefixed) == 1:
            return self.full.get(prefixed[0]), []
        return None, prefixed[:6]

    def count_prefix(self, event_id: str) -> int:
        return sum(e.id.startswith(event_id) for e in self.full.events)

    def ids(self) -> list[str]:
        return sorted(e.id for e in self.full.events)

    def neighbours(self, event: Event) -> tuple[Event | None, Event | None]:
        from chrono.query import neighbours  # noqa: PLC0415

        return neighbours(self.full, event)


class IndexSource:
    """Answers from a valid index, loading only the events a question needs."""

    def __init__(self, index: Any) -> None:
        self.index = index
        self.registry: Registry = index.registry

    @property
    def tz(self) -> dt.tzinfo:
        return self.index.tz  # type: ignore[no-any-return]

    def chronology(self, events: Any = ()) -> Chronology:
        return self.index.chronology(events)  # type: ignore[no-any-return]

    def all(self) -> Chronology:
        return self.index.chronology(self.index.all_events())  # type: ignore[no-any-return]

    def free_text_actors(self) -> list[str]:
        return self.index.free_text_actors()  # type: ignore[no-any-return]

    def select(self, query: Query, want_events: bool = True) -> Selection:
        return self.index.select(query, want_events)  # type: ignore[no-any-return]

    def find(self, event_id: str) -> tuple[Event | None, list[str]]:
        return self.index.find(event_id)  # type: ignore[no-any-return]

    def count_prefix(self, event_id: str) -> int:
        return self.index.count_prefix(event_id)  # type: ignore[no-any-return]

    def ids(self) -> list[str]:
        return self.index.ids()  # type: ignore[no-any-return]

    def neighbours(self, event: Event) -> tuple[Event | None, Event | None]:
        return self.index.neighbours(event)  # type: ignore[no-any-return]


Source = FileSource | IndexSource


def open_source(path: Path, use_cache: bool) -> Source:
    """The index when it is valid for the log's exact bytes; else parse the log (and index it).

    A log that is not a regular file (a pipe, ``<(...)``) is read once, never indexed.
    """
    if use_cache and not _is_regular(path):
        use_cache = False
    if use_cache:
        from chrono.fingerprint import Hashing, take_early  # noqa: PLC0415
        from chrono.journal import settle  # noqa: PLC0415

        settle(path)  # an append a crash interrupted is finished before the log is read

        real = path.resolve()
        hashing = take_early(real) or Hashing(real)  # hashes the log while the index loads
        found = None
        try:
            from chrono import index  # noqa: PLC0415

            found = index.Index.open(path, hashing)
        except Exception:
            use_cache = False
        finally:
            if found is None:
                hashing.cancel()  # no thread outlives this point (build_soon may fork)
        if found is not None:
            return IndexSource(found)
    from chrono import store  # noqa: PLC0415 - only parsing needs it

    if not use_cache:
        return FileSource(store.load(path))
    chronology, fp_loaded, newlines = store.load_for_index(path)
    if fp_loaded is not None:
        build_soon(path, fp_loaded, chronology, newlines)
    return FileSource(chronology)


def _is_regular(path: Path) -> bool:
    import stat  # noqa: PLC0415

    try:
        return stat.S_ISREG(path.stat().st_mode)
    except OSError:
        return True  # the careful path says what is wrong with it


def build_soon(path: Path, fp: Any, chronology: Chronology, newlines: int | None) -> None:
    """Index the log once this command has answered.

    Where the system can fork, the index is written by a detached child after the
    answer is out, so a query after an edit costs one parse, not a parse and a build.
    ``CHRONO_INDEX_SYNC=1`` (or no fork) builds it right away instead.
    """
    from chrono import index  # noqa: PLC0415

    if os.environ.get("CHRONO_INDEX_SYNC", "") not in ("", "0") or not hasattr(os, "fork"):
        index.build(path, fp, chronology, newlines)
        return
    import atexit  # noqa: PLC0415

    atexit.register(_build_detached, path, fp, chronology, newlines)


def _build_detached(path: Path, fp: Any, chronology: Chronology, newlines: int | None) -> None:
    import sys  # noqa: PLC0415

    from chrono import index  # noqa: PLC0415

    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):
            stream.flush()
    try:
        pid = os.fork()
    except OSError:
        return
    if pid:
        return
    try:  # the child: let go of the terminal and of any pipe the answer went to
        os.setsid()
        devnull = os.open(os.devnull, os.O_RDWR)
        for fd in (0, 1, 2):
            os.dup2(devnull, fd)
        index.build(path, fp, chronology, newlines)
    finally:
        os._exit(0)
