"""The versions a merge reads: each version's tables, the ones that are not the same in
all three read on their own (identity and value), and the check that the merged bytes
read back as planned (the rules are in :mod:`chrono.storage.merge`)."""

from __future__ import annotations

import tomllib
from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any, NamedTuple

from chrono.core.errors import ChronoError
from chrono.storage.spans import TableSpan

Key = tuple[str, ...]  # ("event", id), ("actor", key), ("settings",), ("table", name...)


class Unmergeable(ChronoError):
    """The versions cannot be merged table by table (git's line merge is the fallback)."""


class Conflict(NamedTuple):
    """A table both sides changed differently: written between conflict markers."""

    kind: str  # "event", "actor", "settings", "table" or "preamble"
    name: str  # the event's id, the actor's key, the table's name
    line: int  # the line of its ``<<<<<<<`` marker in the merged file


class Table(NamedTuple):
    key: Key
    span: TableSpan
    text: bytes  # its leading comments to its last line
    value: Any  # its parsed value; None when its bytes are the same in all three versions


class Version(NamedTuple):
    data: bytes
    tables: list[Table]
    moving: dict[Key, Table]  # the tables whose bytes are not in all three versions


ABSENT: Any = object()


def versions(
    datas: Sequence[bytes], split: Callable[[bytes], list[TableSpan]], lines: int = 0
) -> list[Version]:
    """Each version's tables, the ones that are not the same in all three read."""
    spans = [split(data) for data in datas]
    texts = [
        [data[s.start : s.body_end] for s in found]
        for data, found in zip(datas, spans, strict=True)
    ]
    counts = [Counter(found) for found in texts]
    read: dict[bytes, tuple[Key, Any]] = {}
    versions = []
    for which, (data, found, text) in enumerate(zip(datas, spans, texts, strict=True)):
        tables, moving = [], {}
        for span, table in zip(found, text, strict=True):
            if counts[0][table] == counts[1][table] == counts[2][table]:
                tables.append(Table(_quick_key(span), span, table, None))
                continue
            if table not in read:
                read[table] = _identify(table, span.line + lines, span, _NAMES[which])
            key, value = read[table]
            if key in moving:
                raise Unmergeable(f"{_NAMES[which]} holds {_said(key)} twice")
            moving[key] = Table(key, span, table, value)
            tables.append(moving[key])
        versions.append(Version(data, tables, moving))
    return versions


_NAMES = ("the common ancestor", "ours", "theirs")


def _quick_key(span: TableSpan) -> Key:
    """The identity of a table that is the same in all three versions, as far as its header says."""
    if span.name[:1] == ("actors",) and len(span.name) == 2 and not span.array:
        return ("actor", span.name[1])
    return ("table", *span.name)


def _identify(text: bytes, line: int, span: TableSpan, which: str) -> tuple[Key, Any]:
    """A table's identity and value, read from its own bytes."""
    try:
        doc = tomllib.loads(text.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise Unmergeable(f"the table at line {line} of {which} does not read: {exc}") from None
    name = span.name
    if name == ("events",) and span.array:
        events = doc.get("events")
        value = events[0] if isinstance(events, list) and len(events) == 1 else ABSENT
        if not isinstance(value, dict):
            raise Unmergeable(f"the event at line {line} of {which} does not read as one")
        ident = value.get("id")
        return (("event", ident) if isinstance(ident, str) else ("event?", text.hex())), value
    if name[:1] == ("actors",) and len(name) == 2 and not span.array:
        return ("actor", name[1]), doc.get("actors", {}).get(name[1])
    if name == ("chrono",) and not span.array:
        return ("settings",), doc.get("chrono")
    return ("table", *name), doc


def _said(key: Key) -> str:
    if key == ("settings",):
        return "the [chrono] table"
    kind = {"event": "the event", "actor": "the actor"}.get(key[0], "the table")
    return f"{kind} {'.'.join(key[1:])!r}"


class Expected(NamedTuple):
    """What the merged file must read back as: None where a value was never read."""

    events: list[Any]  # each event's table, in file order
    actors: dict[str, Any]  # each actor's table, by key
    settings: Any  # the [chrono] table, ABSENT when there is none, None when not read


def verify(data: bytes, expected: Expected) -> None:
    """Raise :class:`Unmergeable` unless ``data`` parses as exactly ``expected``."""
    try:
        doc = tomllib.loads(data.decode("utf-8").removeprefix("\ufeff"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise Unmergeable(f"the merged log does not read as TOML: {exc}") from None
    events, actors = doc.get("events", []), doc.get("actors", {})
    same = (
        isinstance(events, list)
        and isinstance(actors, dict)
        and len(events) == len(expected.events)
        and all(
            want is None or got == want for got, want in zip(events, expected.events, strict=True)
        )
        and actors.keys() == expected.actors.keys()
        and all(want is None or actors[k] == want for k, want in expected.actors.items())
        and (expected.settings is None or doc.get("chrono", ABSENT) == expected.settings)
    )
    ids = [e["id"] for e in events if isinstance(e, dict) and isinstance(e.get("id"), str)]
    if not same or len(set(ids)) != len(ids):
        raise Unmergeable("the merged log does not read back as planned")
