"""Events as plain data for scripts: the stable JSON shape of ``--format json``."""

from __future__ import annotations

import datetime as dt
from typing import Any

from chrono.core.dates import US, PartialDate
from chrono.core.model import Chronology, Event

_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


def iso_instant(micros: int) -> str:
    """An instant as ISO 8601 in UTC, ``2026-01-22T21:00:00Z``."""
    try:
        moment = _EPOCH + dt.timedelta(microseconds=micros)
    except OverflowError:
        return "9999-12-31T23:59:59Z" if micros > 0 else "0001-01-01T00:00:00Z"
    text = moment.isoformat(timespec="seconds" if micros % US == 0 else "microseconds")
    return text.replace("+00:00", "Z")


def _plain(value: Any) -> Any:
    """TOML values kept under unknown keys, made JSON-safe."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return value


def _date_fields(prefix: str, date: PartialDate | None) -> dict[str, Any]:
    if date is None:
        return {prefix: None, f"{prefix}_precision": None, f"{prefix}_qualifier": None}
    return {
        prefix: date.isoformat().rstrip("?~%"),
        f"{prefix}_precision": date.precision.label,
        f"{prefix}_qualifier": date.qualifier_name,
    }


def event_record(chronology: Chronology, event: Event, number: int | None = None) -> dict[str, Any]:
    """One event as a JSON-ready dict (documented in docs/json.md)."""
    registry = chronology.registry
    record: dict[str, Any] = {"id": event.id}
    if number is not None:
        record["number"] = number
    record.update(_date_fields("date", event.date))
    record.update(_date_fields("end", event.end))
    record["start"] = iso_instant(event.start)
    record["stop"] = iso_instant(event.stop)
    record["title"] = event.title
    record["summary"] = event.summary
    record["actors"] = [
        {"key": key if key in registry else None, "name": registry.display(key)}
        for key in event.actors
    ]
    record["location"] = event.location
    record["kind"] = event.kind
    record["tags"] = list(event.tags)
    record["sources"] = list(event.sources)
    record["extra"] = _plain(dict(event.extra))
    return record
