"""A derived SQLite index of the log, for instant answers at any size.

The TOML file stays the one source of truth. The index lives in the user's cache
directory, is keyed on the log's resolved path, and is trusted only for the exact
bytes it was built from: the file's size, mtime and inode must match *and* the SHA-1 of
its content must match, so an edit within one mtime tick and of the same size is still
seen. It is used only if it, and its folder, are the user's own and no one else's
(``trust``), and only as far as it is as it was written (``seal``). Anything unexpected
(a corrupt, truncated, edited or foreign file, a read-only or missing cache directory, a
concurrent builder) makes chrono ignore the index and read the log itself: the index
never changes an answer and never fails a command.

``schema`` holds the tables and the file's place, ``codec`` the bytes of events and
actors, ``trust`` whose the folder and the file are, ``seal`` whether the index is as
written, ``leftovers`` the names of chrono's files in the folder, ``building`` writes an
index, ``updating`` changes one in place and ``reading`` answers from one. A query that is
answered from the index never loads ``building``: its names are imported on first use.
"""

from typing import TYPE_CHECKING, Any

from chrono.storage.index.reading import Index
from chrono.storage.index.schema import index_path
from chrono.storage.index.trust import Untrusted, UntrustedFolder

if TYPE_CHECKING:
    from chrono.storage.index.building import build, clear
    from chrono.storage.index.updating import append, change


def __getattr__(name: str) -> Any:
    """``build``, ``clear``, ``append`` and ``change``, imported when a command first writes
    the index."""
    if name in ("build", "clear"):
        from chrono.storage.index import building  # noqa: PLC0415

        return getattr(building, name)
    if name in ("append", "change"):
        from chrono.storage.index import updating  # noqa: PLC0415

        return getattr(updating, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "Index", "Untrusted", "UntrustedFolder", "append", "build", "change", "clear", "index_path",
]  # fmt: skip
