"""Events and actors as compact bytes for the index, and back (marshal: only plain data).

:mod:`marshal` is three times faster to decode than JSON here (1,500 events: 2.3 ms
against 7.7 ms), which is what a warm query spends its time on. It is not meant for
bytes it did not write: the reader hands it only bytes whose CRC is the one written
beside them (:mod:`.seal`), in a file only the user can write (:mod:`.trust`), and every
value decoded is checked here to be of the exact type written (a ``str`` where a ``str``
was, never a code object or a subclass), else :class:`ValueError`.
"""

from __future__ import annotations

import datetime as dt
import itertools
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


_PLAIN = frozenset({str, int, float, bool})
_WHEN: dict[str, Any] = {"datetime": dt.datetime, "date": dt.date, "time": dt.time}


def _untag(value: Any) -> Any:
    """TOML values back from :func:`_tag`; :class:`ValueError` for anything else."""
    kind = type(value)
    if kind is dict:
        if _TYPE in value:
            return _WHEN[value[_TYPE]].fromisoformat(_text(value["v"]))
        return {_text(k): _untag(v) for k, v in value.items()}
    if kind is list:
        return [_untag(v) for v in value]
    if kind not in _PLAIN:
        raise ValueError(f"not a TOML value: {kind.__name__}")
    return value


def _text(value: Any) -> str:
    if type(value) is not str:
        raise ValueError("not a string")
    return value


# The exact types a record may hold, field by field (marshal makes no subclasses, and a
# bool is not an int here): a record's types are looked up in the set of all allowed.
_NONE = type(None)
_TEXTS: tuple[type, ...] = (tuple, list)
_EVENT_FIELDS: tuple[tuple[type, ...], ...] = (
    (str,), (tuple,), (_NONE, tuple), (str,), (_NONE, str), _TEXTS, (_NONE, str), _TEXTS,
    (_NONE, str), _TEXTS, (_NONE, dict), (int,), (int,), (int,), (int,),
)  # fmt: skip
_EVENT: frozenset[tuple[type, ...]] = frozenset(itertools.product(*_EVENT_FIELDS))
_DATE: frozenset[tuple[type, ...]] = frozenset({(int,) * 8 + (_NONE, str), (int,) * 9 + (str,)})
_ACTOR_FIELDS: tuple[tuple[type, ...], ...] = ((str,), _TEXTS, (_NONE, str), (_NONE, str), (dict,))
_ACTOR: frozenset[tuple[type, ...]] = frozenset(itertools.product(*_ACTOR_FIELDS))


def _fields(data: bytes, shape: frozenset[tuple[type, ...]]) -> tuple[Any, ...]:
    """The values marshalled in ``data``, their types one of those ``shape`` allows."""
    fields = marshal.loads(data)
    if type(fields) is not tuple or tuple(map(type, fields)) not in shape:
        raise ValueError("not a record of the index")
    return fields


def _names(*lists: Any) -> None:
    for names in lists:
        "".join(names)  # TypeError unless every one is a str


def _when(row: Any) -> None:
    if row is not None and tuple(map(type, row)) not in _DATE:
        raise ValueError("not a date of the index")


Shifts = tuple[tuple[int, int], ...]  # (after line, by): lines after it moved by that many


def encode_event(event: Event, epoch: int = 0) -> bytes:
    """An event as compact bytes for the index (marshal: fast, and only plain data).

    ``epoch`` counts the line shifts the index held when the row was written: only those
    after it move the event's line (see :func:`shifted_line`)."""
    return marshal.dumps(
        (
            event.id, _date_row(event.date), _date_row(event.end), event.title, event.summary,
            event.actors, event.location, event.tags, event.kind, event.sources,
            _tag(dict(event.extra)) if event.extra else None, event.start, event.stop,
            event.line, epoch,
        )
    )  # fmt: skip


def shifted_line(line: int, shifts: Shifts) -> int:
    """Where a table's header on ``line`` is after ``shifts``, each in turn: a change that
    made the tables after line ``after`` move ``by`` lines (a removal moves them up)."""
    for after, by in shifts:
        if line > after:
            line += by
    return line


def decode_event(data: bytes, shifts: Shifts = ()) -> Event:
    """The event back from its bytes, its line moved by the shifts written since its row."""
    (ident, date, end, title, summary, actors, location, tags, kind, sources, extra,
     start, stop, line, epoch) = _fields(data, _EVENT)  # fmt: skip
    _when(date)
    _when(end)
    _names(actors, tags, sources)
    if epoch < len(shifts):
        line = shifted_line(line, shifts[epoch:])
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
    name, aliases, role, note, extra = _fields(data, _ACTOR)
    _names(aliases)
    return Actor(key, name, tuple(aliases), role, note, _untag(extra))


def decode_shifts(data: bytes) -> Shifts:
    """The line shifts (``meta.shifts``) back from their bytes."""
    shifts = marshal.loads(data)
    if type(shifts) is not tuple or not all(
        type(s) is tuple and len(s) == 2 and type(s[0]) is int and type(s[1]) is int for s in shifts
    ):
        raise ValueError("not a list of line shifts")
    return shifts


def decode_names(data: bytes) -> list[str]:
    """A list of names (``meta.free_text``) back from its bytes."""
    names = marshal.loads(data)
    if type(names) is not tuple:
        raise ValueError("not a list of names")
    _names(names)
    return list(names)
