"""The index file: where it lives, its tables, and how its version is told apart."""

from __future__ import annotations

import hashlib
import marshal
import sqlite3
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from chrono.storage.fingerprint import Fingerprint

SCHEMA = 14  # 13: rows changed in place, and the line shifts of the changes (meta.shifts);
# 14: the tags of one event found by its number
FORMAT = f"{SCHEMA}/{sys.version_info[0]}.{sys.version_info[1]}/{marshal.version}"
APPLICATION_ID = 0x63687278  # "chrx" in the file's header: an SQLite file chrono wrote

# STRICT tables (SQLite 3.37 and later) refuse a value of another type than the column's.
_STRICT = " STRICT" if sqlite3.sqlite_version_info >= (3, 37) else ""
TABLES = f"""
CREATE TABLE meta (key TEXT PRIMARY KEY, value ANY){_STRICT};
CREATE TABLE actors (key TEXT PRIMARY KEY, data BLOB NOT NULL, checked INTEGER NOT NULL){_STRICT};
CREATE TABLE events (
    n INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, start INTEGER NOT NULL,
    precision INTEGER NOT NULL, stop INTEGER NOT NULL, kind TEXT NOT NULL,
    location TEXT NOT NULL, haystack TEXT NOT NULL, data BLOB NOT NULL,
    key_check INTEGER NOT NULL, data_check INTEGER NOT NULL, slot INTEGER NOT NULL
){_STRICT};
CREATE TABLE event_actors (n INTEGER NOT NULL, actor TEXT NOT NULL){_STRICT};
CREATE TABLE event_tags (n INTEGER NOT NULL, tag TEXT NOT NULL){_STRICT};
CREATE TABLE link_sums (
    link TEXT NOT NULL, value TEXT NOT NULL, rows INTEGER NOT NULL, total INTEGER NOT NULL,
    PRIMARY KEY (link, value)
){_STRICT.rstrip() + "," if _STRICT else ""} WITHOUT ROWID;
"""
# Each actor's and each tag's rows in the link tables, counted and their numbers summed.
LINKS = {"actor": "event_actors", "tag": "event_tags"}
INDEXES = """
CREATE INDEX events_order ON events (start, precision, stop, id, key_check);
CREATE INDEX events_slot ON events (slot);
CREATE INDEX event_actors_actor ON event_actors (actor, n);
CREATE INDEX event_actors_n ON event_actors (n);
CREATE INDEX event_tags_tag ON event_tags (tag, n);
CREATE INDEX event_tags_n ON event_tags (n);
"""
SEARCH = "CREATE VIRTUAL TABLE search USING fts5(haystack, content='', tokenize='trigram')"
ORDER = "start, precision, stop, id"  # the total order of events (Event.sort_key)
KEY = "n, id, start, precision, stop, key_check"  # an event's place, and its check
ROW = f"{KEY}, data, data_check"  # all an event's row holds that it is decoded from


def index_path(log: Path, folder: Path) -> Path:
    """The index file for a log in the cache ``folder``, named after the log's resolved path."""
    digest = hashlib.sha1(str(log.resolve()).encode(), usedforsecurity=False).hexdigest()
    return folder / f"{digest[:24]}.sqlite"


def journal(target: Path) -> Path:
    """SQLite's rollback journal of the index ``target``."""
    return target.with_name(target.name + "-journal")


def built_from(meta: Mapping[str, Any], fp: Fingerprint) -> bool:
    """Whether an index with this ``meta`` table was built from the bytes of ``fp``."""
    return (meta.get("size"), meta.get("mtime_ns"), meta.get("inode"), meta.get("digest")) == (
        fp.size, fp.mtime_ns, fp.inode, fp.digest,
    )  # fmt: skip
