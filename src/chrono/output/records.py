"""Every JSON shape chrono prints: events, actors, pairs and checks as plain data for scripts.

The shapes are stable and documented in docs/json.md; the command line only dumps them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from chrono.core.dates import US, PartialDate, to_datetime
from chrono.core.model import Chronology, Event

if TYPE_CHECKING:
    from chrono.core.errors import Diagnostic
    from chrono.core.query import ActorSummary


def iso_instant(micros: int) -> str:
    """An instant as ISO 8601 in UTC, ``2026-01-22T21:00:00Z``."""
    try:
        moment = to_datetime(micros)
    except OverflowError:
        return "9999-12-31T23:59:59Z" if micros > 0 else "0001-01-01T00:00:00Z"
    text = moment.isoformat(timespec="seconds" if micros % US == 0 else "microseconds")
    return text.replace("+00:00", "Z")


def plain(value: Any) -> Any:
    """TOML values kept under unknown keys, made JSON-safe."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
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
    record: dict[str, Any] = {"id": event.id}
    if number is not None:
        record["number"] = number
    record.update(_date_fields("date", event.date))
    record.update(_date_fields("end", event.end))
    record["start"] = iso_instant(event.start)
    record["stop"] = iso_instant(event.stop)
    record["title"] = event.title
    record["summary"] = event.summary
    record["actors"] = [actor_ref(chronology, key) for key in event.actors]
    record["location"] = event.location
    record["kind"] = event.kind
    record["tags"] = list(event.tags)
    record["sources"] = list(event.sources)
    record["extra"] = plain(dict(event.extra))
    return record


def shown_record(
    chronology: Chronology, event: Event, before: Event | None, after: Event | None
) -> dict[str, Any]:
    """``show --format json``: the event, and the ids of its neighbours sharing an actor."""
    record = event_record(chronology, event)
    record["previous"] = before.id if before else None
    record["next"] = after.id if after else None
    return record


def actor_ref(chronology: Chronology, key: str) -> dict[str, Any]:
    """An actor as ``{"key", "name"}``; the key is null for a free-text name."""
    registered = key in chronology.registry
    return {"key": key if registered else None, "name": chronology.registry.display(key)}


def summary_record(chronology: Chronology, summary: ActorSummary) -> dict[str, Any]:
    """One row of ``actors --format json``: the actor, its events and their span."""
    events = summary.events
    last = events[-1] if events else None
    return {
        **actor_ref(chronology, summary.key),
        "role": summary.role,
        "aliases": list(summary.aliases),
        "events": len(events),
        "first": events[0].date.isoformat() if events else None,
        "last": (last.end or last.date).isoformat() if last else None,
        "first_event": events[0].id if events else None,
        "last_event": last.id if last else None,
    }


def pair_record(chronology: Chronology, a: str, b: str, events: int) -> dict[str, Any]:
    """One row of ``actors --pairs --format json``: two actors and the events they share."""
    return {"actors": [actor_ref(chronology, a), actor_ref(chronology, b)], "events": events}


def actor_detail_record(
    chronology: Chronology,
    summary: ActorSummary,
    events: Iterable[Event],
    together: Iterable[tuple[str, int]],
) -> dict[str, Any]:
    """``actors NAME --format json``: the actor's row, its events and who it meets."""
    record = summary_record(chronology, summary)
    record["events"] = [event_record(chronology, e) for e in events]
    record["with"] = [{**actor_ref(chronology, k), "events": n} for k, n in together]
    return record


def check_record(
    file: str,
    diagnostics: Sequence[Diagnostic],
    *,
    ok: bool,
    events: int,
    actors: int,
    errors: int,
    warnings: int,
) -> dict[str, Any]:
    """``check --format json``: the verdict, the counts and every diagnostic."""
    return {
        "file": file,
        "ok": ok,
        "events": events,
        "actors": actors,
        "errors": errors,
        "warnings": warnings,
        "diagnostics": [d.as_dict() for d in diagnostics],
    }


def import_record(
    chronology: Chronology,
    events: Sequence[Event],
    skipped: Iterable[tuple[str, str, str]],
    problems: Iterable[tuple[str, str]],
    **said: Any,
) -> dict[str, Any]:
    """``import --format json``: the events added (or, with ``--dry-run``, that would be),
    those skipped as already in the log, the rows left out, and what each name became."""
    return {
        **said,
        "added": [e.id for e in events],
        "skipped": [{"where": w, "title": t, "reason": r} for w, t, r in skipped],
        "problems": [{"where": w, "message": m} for w, m in problems],
        "events": [event_record(chronology, e) for e in events],
    }


def version_record(rev: str | None, commit: str | None, exists: bool) -> dict[str, Any]:
    """One side of ``changes --format json``: the revision as typed and its commit (both
    null: the work tree), and whether the log was there."""
    return {"rev": rev, "commit": commit, "exists": exists}


Fields = Mapping[str, tuple[Any, Any]]  # a field's name -> (old value, new value)


def fields_record(fields: Fields) -> dict[str, Any]:
    """Each changed field's old and new value, as the log writes them (null: absent)."""
    return {k: {"old": plain(old), "new": plain(new)} for k, (old, new) in fields.items()}


def changes_record(
    file: str,
    versions: tuple[dict[str, Any], dict[str, Any]],
    old: Chronology,
    new: Chronology,
    sections: tuple[Sequence[Event], Sequence[tuple[Event, Event, Fields]], Sequence[Event]],
    actors: Sequence[tuple[str, str, Fields]] = (),
) -> dict[str, Any]:
    """``changes --format json``: the events added, changed (with each field's old and new
    value) and removed between two versions of the log, and the actors of the registry."""
    added, changed, removed = sections
    return {
        "file": file,
        "since": versions[0],
        "until": versions[1],
        "added": [event_record(new, e) for e in added],
        "changed": [
            {"id": after.id, "event": event_record(new, after), "fields": fields_record(fields)}
            for _, after, fields in changed
        ],
        "removed": [event_record(old, e) for e in removed],
        "actors": [
            {"key": key, "change": what, "fields": fields_record(fields)}
            for key, what, fields in actors
        ],
    }


def to_json(data: Any) -> str:
    """JSON text as chrono prints it: UTF-8 kept, two-space indent, a final newline; every
    control, format character and separator in a string escaped (``\\u202e``)."""
    import json  # noqa: PLC0415

    from chrono.output.safe_text import json_safe  # noqa: PLC0415

    return json_safe(json.dumps(data, ensure_ascii=False, indent=2)) + "\n"
