"""Where commands read the log from: the derived index when it is valid, else the file.

Both are a :class:`~chrono.core.view.LogView`: they answer the same questions the same
way; the index only answers faster.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from chrono.core.errors import UsageError
from chrono.storage.indexing import CacheSettings, build_soon

if TYPE_CHECKING:  # importing this module stays cheap: the log's path is needed first
    from chrono.core.actors import Registry
    from chrono.core.model import Chronology, Event
    from chrono.core.query import Query, Selection
    from chrono.core.view import LogView

LOG_NAME = "events.toml"


def discover(explicit: str | None, cwd: Path | None = None) -> Path:
    """The log to use: ``explicit`` (``--file``, else ``$CHRONO_FILE``), else the nearest
    ``events.toml`` from ``cwd`` upward."""
    if explicit:
        return Path(explicit)
    here = (cwd or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        candidate = folder / LOG_NAME
        if candidate.is_file():
            return candidate.relative_to(here) if candidate.is_relative_to(here) else candidate
    raise UsageError(
        f"no {LOG_NAME} found in this directory or any parent; "
        "name one with --file PATH or CHRONO_FILE, or create one with 'chrono init'"
    )


class FileSource:
    """A :class:`~chrono.core.view.LogView` of a chronology parsed from the file."""

    def __init__(self, full: Chronology) -> None:
        self.full = full

    @property
    def registry(self) -> Registry:
        """The actor registry."""
        return self.full.registry

    @property
    def tz(self) -> dt.tzinfo:
        """The log's time zone."""
        return self.full.tz

    def chronology(self, events: Sequence[Event] = ()) -> Chronology:
        """The whole log: it holds ``events`` already."""
        return self.full

    def all(self) -> Chronology:
        """The whole log."""
        return self.full

    def free_text_actors(self) -> list[str]:
        """Actor names events use that are not in the registry."""
        from chrono.core.query import free_text_actors  # noqa: PLC0415

        return free_text_actors(self.full)

    def select(self, query: Query, want_events: bool = True) -> Selection:
        """The events the query selects."""
        from chrono.core.query import select  # noqa: PLC0415

        return select(self.full, query)

    def find(self, event_id: str) -> tuple[Event | None, list[str]]:
        """The event with this id (or unique prefix), else the ids that start with it."""
        exact = self.full.get(event_id)
        if exact is not None:
            return exact, []
        prefixed = sorted(e.id for e in self.full.events if e.id.startswith(event_id))
        if len(prefixed) == 1:
            return self.full.get(prefixed[0]), []
        return None, prefixed[:6]

    def count_prefix(self, event_id: str) -> int:
        """How many ids start with this text."""
        return sum(e.id.startswith(event_id) for e in self.full.events)

    def ids(self) -> list[str]:
        """Every id, sorted."""
        return sorted(e.id for e in self.full.events)

    def neighbours(self, event: Event) -> tuple[Event | None, Event | None]:
        """Previous and next events sharing an actor."""
        from chrono.core.query import neighbours  # noqa: PLC0415

        return neighbours(self.full, event)

    def line_of(self, event_id: str) -> int | None:
        """The line of the event with this id, or None."""
        return self.full.line_of(event_id)

    def starting(self, start: int, stop: int) -> list[Event]:
        """The events dated to the day or finer that start in ``[start, stop)``."""
        return self.full.starting(start, stop)


if TYPE_CHECKING:
    Source = LogView  # what open_source returns; the name the operations annotate with


def finish_interrupted(path: Path) -> str | None:
    """Finish a change to the log that a crash interrupted, if any: the note to say, or None.

    A command calls this before it reads the log, so the user learns what was done; the
    readers below finish such a change silently too, should a command not ask first.
    """
    from chrono.storage.journal import settle  # noqa: PLC0415

    return settle(path)


def open_source(path: Path, cache: CacheSettings, *, freeze: bool = False) -> LogView:
    """The index when it is valid for the log's exact bytes; else parse the log (and index it).

    A log that is not a regular file (a pipe, ``<(...)``) is read once, never indexed.
    ``freeze``: the caller is a short-lived process whose model lives until it exits.
    """
    use_cache = cache.enabled
    if use_cache and not _is_regular(path):
        use_cache = False
    if use_cache:
        from chrono.storage.fingerprint import Hashing, take_early  # noqa: PLC0415
        from chrono.storage.journal import settle  # noqa: PLC0415

        settle(path)  # an append a crash interrupted is finished before the log is read

        real = path.resolve()
        hashing = take_early(real) or Hashing(real)  # hashes the log while the index loads
        found = None
        try:
            from chrono.storage import index  # noqa: PLC0415

            found = index.Index.open(path, cache.folder, hashing)
        except Exception:
            use_cache = False
        finally:
            if found is None:
                hashing.cancel()  # no thread outlives this point (build_soon may fork)
        if found is not None:
            return found
    from chrono.storage import store  # noqa: PLC0415 - only parsing needs it

    if not use_cache:
        return FileSource(store.load(path, freeze=freeze))
    chronology, fp_loaded, newlines = store.load_for_index(path, freeze=freeze)
    if fp_loaded is not None:
        build_soon(path, cache, fp_loaded, chronology, newlines)
    return FileSource(chronology)


def _is_regular(path: Path) -> bool:
    import stat  # noqa: PLC0415

    try:
        return stat.S_ISREG(path.stat().st_mode)
    except OSError:
        return True  # the careful path says what is wrong with it
