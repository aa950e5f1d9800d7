"""The index file: where it lives, its tables, and how its version is told apart."""

from __future__ import annotations

import hashlib
import marshal
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from chrono.storage.fingerprint import Fingerprint

SCHEMA = 9  # 9: indexes are private to their owner (0600); older ones are rebuilt
FORMAT = f"{SCHEMA}/{sys.version_info[0]}.{sys.version_info[1]}/{marshal.version}"

TABLES = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value);
CREATE TABLE actors (key TEXT PRIMARY KEY, data BLOB NOT NULL);
CREATE TABLE events (
    n INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, start INTEGER NOT NULL,
    precision INTEGER NOT NULL, stop INTEGER NOT NULL, kind TEXT NOT NULL,
    location TEXT NOT NULL, haystack TEXT NOT NULL, data BLOB NOT NULL
);
CREATE TABLE event_actors (n INTEGER NOT NULL, actor TEXT NOT NULL);
CREATE TABLE event_tags (n INTEGER NOT NULL, tag TEXT NOT NULL);
"""
INDEXES = """
CREATE INDEX events_order ON events (start, precision, stop, id);
CREATE INDEX event_actors_actor ON event_actors (actor, n);
CREATE INDEX event_actors_n ON event_actors (n);
CREATE INDEX event_tags_tag ON event_tags (tag, n);
"""
SEARCH = "CREATE VIRTUAL TABLE search USING fts5(haystack, content='', tokenize='trigram')"
ORDER = "start, precision, stop, id"  # the total order of events (Event.sort_key)


def index_path(log: Path, folder: Path) -> Path:
    """The index file for a log in the cache ``folder``, named after the log's resolved path."""
    digest = hashlib.sha1(str(log.resolve()).encode(), usedforsecurity=False).hexdigest()
    return folder / f"{digest[:24]}.sqlite"


def built_from(meta: Mapping[str, Any], fp: Fingerprint) -> bool:
    """Whether an index with this ``meta`` table was built from the bytes of ``fp``."""
    return (meta.get("size"), meta.get("mtime_ns"), meta.get("inode"), meta.get("digest")) == (
        fp.size, fp.mtime_ns, fp.inode, fp.digest,
    )  # fmt: skip
