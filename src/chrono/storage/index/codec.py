"""Events and actors as compact bytes for the index, and back (marshal: only plain data)."""

from __future__ import annotations

import datetime as dt
import marshal
from typing import Any

from chrono.core.actors import Actor
from chrono.core.dates import PartialDate, Precision
from chrono.core.model import Event

_TYPE = "\x00chrono-type"


def _date_row(date: PartialDate | None) -> tuple[Any, ...] | None:
    if date is None:
        return None
    return (
        date.year, date.month, date.day, date.hour, date.minute, date.second,
        date.microsecond, int(date.precision), date.offset, date.qualifier,
    )  # fmt: skip


def _date_from(row: tuple[Any, ...] | None) -> PartialDate | None:
    if row is None:
        return None
    y, m, d, h, mi, s, us, precision, offset, qualifier = row
    return PartialDate(y, m, d, h, mi, s, us, Precision(precision), offset, qualifier)


def _tag(value: Any) -> Any:
    """TOML values (dates, times) as plain data, tagged so they decode to the same type."""
    if isinstance(value, dict):
        return {k: _tag(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_tag(v) for v in value]
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return {_TYPE: type(value).__name__, "v": value.isoformat()}
    return value


def _untag(value: Any) -> Any:
    if isinstance(value, dict):
        if _TYPE in value:
            text = value["v"]
            kind = value[_TYPE]
            if kind == "datetime":
                return dt.datetime.fromisoformat(text)
            return dt.date.fromisoformat(text) if kind == "date" else dt.time.fromisoformat(text)
        return {k: _untag(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_untag(v) for v in value]
    return value


def encode_event(event: Event) -> bytes:
    """An event as compact bytes for the index (marshal: fast, and only plain data)."""
    return marshal.dumps(
        (
            event.id, _date_row(event.date), _date_row(event.end), event.title, event.summary,
            event.actors, event.location, event.tags, event.kind, event.sources,
            _tag(dict(event.extra)) if event.extra else None, event.start, event.stop,
            event.line,
        )
    )  # fmt: skip


def decode_event(data: bytes) -> Event:
    """The event back from its bytes."""
    (ident, date, end, title, summary, actors, location, tags, kind, sources, extra,
     start, stop, line) = marshal.loads(data)  # fmt: skip
    return Event(
        ident, _date_from(date), title, _date_from(end), summary, actors,  # type: ignore[arg-type]
        location, tags, kind, sources, _untag(extra) if extra else {},
        start, stop, line,
    )  # fmt: skip


def encode_actor(actor: Actor) -> bytes:
    """A registry actor as bytes (its key is the row's)."""
    return marshal.dumps(
        (actor.name, actor.aliases, actor.role, actor.note, _tag(dict(actor.extra)))
    )


def decode_actor(key: str, data: bytes) -> Actor:
    """The actor with this key back from its bytes."""
    name, aliases, role, note, extra = marshal.loads(data)
    return Actor(key, name, tuple(aliases), role, note, _untag(extra))
