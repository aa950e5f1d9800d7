"""When the derived index is used and built: on or off, inline or by a detached child."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    from chrono.core.model import Chronology


class CacheSettings(NamedTuple):
    """Whether the derived index is used, where it is kept, and whether it is built inline."""

    enabled: bool
    folder: Path
    inline: bool  # build the index before answering, not in a detached child
    strict: bool = False  # an inline build that fails says why (to debug the index)
    notes: Callable[[str], None] | None = None  # where to say why the index is not used


def build_soon(
    path: Path, cache: CacheSettings, fp: Any, chronology: Chronology, newlines: int | None
) -> None:
    """Index the log once this command has answered.

    Where the system can fork, the index is written by a detached child after the
    answer is out, so a query after an edit costs one parse, not a parse and a build.
    ``cache.inline`` (``CHRONO_INDEX_SYNC=1``), or no fork, builds it right away instead.
    """
    from chrono.storage import index  # noqa: PLC0415

    if cache.inline or not hasattr(os, "fork"):
        index.build(path, cache.folder, fp, chronology, newlines, strict=cache.strict)
        return
    import atexit  # noqa: PLC0415

    atexit.register(_build_detached, path, cache.folder, fp, chronology, newlines)


def reindex_soon(path: Path, cache: CacheSettings) -> None:
    """Index the log afresh once this command has answered, reading it then (after a change
    written without parsing the log, :mod:`chrono.storage.fastchange`): a detached child
    where the system can fork, so the command does not wait; else right away."""
    if not cache.enabled:
        return
    if cache.inline or not hasattr(os, "fork"):
        _reindex(path, cache.folder)
        return
    import atexit  # noqa: PLC0415

    atexit.register(_build_detached, path, cache.folder, None, None, None)


def _reindex(path: Path, folder: Path) -> None:
    """Read the log and index it (never fails: a log that does not read is left unindexed)."""
    from chrono.storage import index, store  # noqa: PLC0415

    with contextlib.suppress(Exception):
        chronology, fp, newlines = store.load_for_index(path)
        index.build(path, folder, fp, chronology, newlines)


def _build_detached(
    path: Path, folder: Path, fp: Any, chronology: Chronology | None, newlines: int | None
) -> None:
    import sys  # noqa: PLC0415

    from chrono.storage import index  # noqa: PLC0415

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
        if chronology is None:  # read the log here, after the command has answered
            _reindex(path, folder)
        else:
            index.build(path, folder, fp, chronology, newlines)
    finally:
        os._exit(0)
