"""Where commands read the log from: the derived index when it is valid, else the file.

Both sources answer the same questions the same way; the index only answers faster.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any

from chrono.core.errors import UsageError
from chrono.storage.indexing import CacheSettings, build_soon

if TYPE_CHECKING:  # importing this module stays cheap: the log's path is needed first
    from chrono.core.actors import Registry
    from chrono.core.model import Chronology, Event
    from chrono.core.query import Query, Selection

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
        from chrono.core.query import select  # noqa: PLC0415

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
        from chrono.core.query import neighbours  # noqa: PLC0415

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


def open_source(path: Path, cache: CacheSettings, *, freeze: bool = False) -> Source:
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
            return IndexSource(found)
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
