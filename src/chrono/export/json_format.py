"""The versioned JSON document: the actor registry and the events, as data.

No chrono command reads it (a log is TOML); in Python, :func:`load` builds the chronology
back from it.
"""

from __future__ import annotations

from typing import Any

from chrono.core.fields import Unplaced
from chrono.core.model import Chronology
from chrono.core.validate import build
from chrono.export import Context
from chrono.output.records import event_record, plain, to_json

DESCRIPTION = "versioned JSON document"
FORMAT = "chrono"
VERSION = 1


def document(context: Context) -> dict[str, Any]:
    """The export as plain data (documented in docs/formats.md)."""
    chronology = context.chronology
    actors = {
        a.key: {"name": a.name, "aliases": list(a.aliases), "role": a.role, "note": a.note}
        | ({"extra": plain(dict(a.extra))} if a.extra else {})
        for a in chronology.registry.actors.values()
    }
    events = [
        event_record(chronology, e, context.selection.numbers.get(e.id))
        for e in context.selection.events
    ]
    return {
        "format": FORMAT,
        "version": VERSION,
        "timezone": chronology.timezone,
        "actors": actors,
        "events": events,
    }


def render(context: Context) -> bytes:
    """The JSON text as every JSON answer is written (:func:`~chrono.output.records.to_json`)."""
    return to_json(document(context)).encode("utf-8")


def load(doc: dict[str, Any], path: str = "<json>") -> Chronology:
    """Build a chronology from an exported document (the inverse of :func:`document`)."""
    if doc.get("format") != FORMAT or doc.get("version") != VERSION:
        raise ValueError(f"not a chrono JSON document of version {VERSION}")
    actors = {}
    for key, raw in doc["actors"].items():
        table = {k: v for k, v in raw.items() if v not in (None, []) and k != "extra"}
        actors[key] = table | raw.get("extra", {})
    events = []
    for record in doc["events"]:
        event: dict[str, Any] = {"id": record["id"], "date": _date(record, "date")}
        if record["end"] is not None:
            event["end"] = _date(record, "end")
        event["title"] = record["title"]
        for name in ("summary", "location", "kind"):
            if record[name] is not None:
                event[name] = record[name]
        event["actors"] = [a["key"] or a["name"] for a in record["actors"]]
        event["tags"] = record["tags"]
        event["sources"] = record["sources"]
        event.update(record["extra"])
        events.append(event)
    data = {"chrono": {"timezone": doc["timezone"]}, "actors": actors, "events": events}
    chronology, _ = build(data, path, Unplaced())
    return chronology


_SYMBOLS = {None: "", "uncertain": "?", "approximate": "~", "uncertain-approximate": "%"}


def _date(record: dict[str, Any], prefix: str) -> str:
    return str(record[prefix]) + _SYMBOLS[record[f"{prefix}_qualifier"]]
