"""The derived index as the user sees it: where a log's index is, and clearing indexes."""

from __future__ import annotations

from pathlib import Path


def index_location(log: Path, folder: Path) -> Path:
    """Where the index of ``log`` is (or would be) kept in the cache ``folder``."""
    from chrono.storage import index  # noqa: PLC0415

    return index.index_path(log, folder)


def clear(folder: Path, log: Path | None) -> int:
    """Delete the index of ``log`` (None: of every log); how many were removed."""
    return clear_all(folder, log)[0]


def clear_all(folder: Path, log: Path | None) -> tuple[int, int]:
    """Delete the index of ``log`` (None: of every log) and the files SQLite and killed
    builds left beside it; how many indexes, and how many such files, were removed."""
    from chrono.storage import index  # noqa: PLC0415

    indexes, others = index.clear(folder, log)
    return len(indexes), len(others)
