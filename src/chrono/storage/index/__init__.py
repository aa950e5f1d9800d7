"""A derived SQLite index of the log, for instant answers at any size.

The TOML file stays the one source of truth. The index lives in the user's cache
directory, is keyed on the log's resolved path, and is trusted only for the exact
bytes it was built from: the file's size, mtime and inode must match *and* the SHA-1 of
its content must match, so an edit within one mtime tick and of the same size is still
seen. Anything unexpected (a corrupt, truncated or foreign file, a read-only or
missing cache directory, a concurrent builder) makes chrono ignore the index and read
the log itself: the index never changes an answer and never fails a command.

``schema`` holds the tables and the file's place, ``codec`` the bytes of events and
actors, ``building`` writes an index and ``reading`` answers from one. A query that is
answered from the index never loads ``building``: its names are imported on first use.
"""

from typing import TYPE_CHECKING, Any

from chrono.storage.index.reading import Index
from chrono.storage.index.schema import index_path

if TYPE_CHECKING:
    from chrono.storage.index.building import append, build, clear


def __getattr__(name: str) -> Any:
    """``build``, ``append`` and ``clear``, imported when a command first writes the index."""
    if name in ("append", "build", "clear"):
        from chrono.storage.index import building  # noqa: PLC0415

        return getattr(building, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["Index", "append", "build", "clear", "index_path"]
