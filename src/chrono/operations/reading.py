"""Where commands read the log from: the derived index when it is valid, else the file.

Both are a :class:`~chrono.core.view.LogView`: they answer the same questions the same
way; the index only answers faster.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from chrono.core.errors import UsageError
from chrono.storage.indexing import CacheSettings, build_soon

if TYPE_CHECKING:  # importing this module stays cheap: the log's path is needed first
    from chrono.core.view import LogView
    from chrono.storage.source import FileSource

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

    A log that is not a regular file (a pipe, ``<(...)``) is read once, never indexed. An
    index or cache folder that may not be the user's own is not used, and the user is
    told why once (``cache.notes``); an index found damaged while it answers gives way
    to the parsed log and is rebuilt. ``freeze``: the caller is a short-lived process
    whose model lives until it exits.
    """
    if not cache.enabled or not _is_regular(path):
        return _parsed(path, cache, freeze, build=False)
    from chrono.storage.files import real_path  # noqa: PLC0415
    from chrono.storage.fingerprint import Hashing, take_early  # noqa: PLC0415
    from chrono.storage.journal import settle  # noqa: PLC0415

    settle(path)  # an append a crash interrupted is finished before the log is read
    real = real_path(path)
    hashing = take_early(real) or Hashing(real)  # hashes the log while the index loads
    from chrono.storage import index  # noqa: PLC0415

    found, build = None, True
    try:
        found = index.Index.open(
            path, cache.folder, hashing, fallback=lambda: _parsed(path, cache, freeze)
        )
    except index.Untrusted as exc:
        build = not isinstance(exc, index.UntrustedFolder)
        if cache.notes is not None:
            cache.notes(f"not using the index: {exc}; reading the log itself")
    except Exception:
        build = False
    finally:
        if found is None:
            hashing.cancel()  # no thread outlives this point (build_soon may fork)
    return found if found is not None else _parsed(path, cache, freeze, build=build)


def _parsed(path: Path, cache: CacheSettings, freeze: bool, *, build: bool = True) -> LogView:
    """The log parsed; with ``build``, indexed once the command has answered."""
    from chrono.storage import store  # noqa: PLC0415 - only parsing needs it
    from chrono.storage.source import FileSource  # noqa: PLC0415

    if not build:
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
        return False  # not indexed: the careful path says what is wrong with it


def __getattr__(name: str) -> type[FileSource]:
    """``FileSource``, the parsed log as a view, loaded when a log is parsed."""
    if name == "FileSource":
        from chrono.storage.source import FileSource  # noqa: PLC0415

        return FileSource
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
