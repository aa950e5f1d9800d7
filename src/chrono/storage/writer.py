"""The TOML text chrono writes for a model object: an ``[[events]]`` or ``[actors.<key>]`` table.

Edits are built from validated model objects (:class:`~chrono.core.model.Event`,
:class:`~chrono.core.actors.Actor`), never from raw dicts; this module is the one place that
turns them into text. Keys come in the model's order (``id, date, end, title, summary,
actors, location, tags, kind, sources``, then any unknown keys the table had), empty
optional fields are left out, dates are written as typed (``date.isoformat()``), values
are quoted by tomli-w, and arrays stay on one line. The text uses ``\\n``; a file with
CRLF line endings gets them when the text is placed (:func:`in_line_endings`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from chrono.core.actors import Actor
from chrono.core.model import ACTOR_FIELDS, EVENT_FIELDS, Event

_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
_PLAIN = re.compile(r'[^"\\\x00-\x1f\x7f]*')  # a string tomli-w writes as it is, in quotes


def event_fields(event: Event) -> dict[str, Any]:
    """The table of an event as TOML reads it back: the values :func:`event_text` writes."""
    fields: dict[str, Any] = {"id": event.id, "date": event.date.isoformat()}
    if event.end is not None:
        fields["end"] = event.end.isoformat()
    fields["title"] = event.title
    optional: dict[str, Any] = {
        "summary": event.summary,
        "actors": list(event.actors),
        "location": event.location,
        "tags": list(event.tags),
        "kind": event.kind,
        "sources": list(event.sources),
    }
    fields.update({k: v for k, v in optional.items() if v})
    fields.update(event.extra)
    return fields


def actor_fields(actor: Actor) -> dict[str, Any]:
    """The ``[actors.<key>]`` table of an actor as TOML reads it back."""
    fields: dict[str, Any] = {"name": actor.name}
    optional: dict[str, Any] = {"aliases": list(actor.aliases), "role": actor.role}
    optional["note"] = actor.note
    fields.update({k: v for k, v in optional.items() if v})
    fields.update(actor.extra)
    return fields


def event_text(event: Event) -> str:
    """The ``[[events]]`` table of an event, ending in a newline."""
    return table("[[events]]", event_fields(event))


def actor_text(actor: Actor) -> str:
    """The ``[actors.<key>]`` table of an actor, ending in a newline."""
    return table(f"[actors.{key(actor.key)}]", actor_fields(actor))


def tables_text(actors: Sequence[Actor], events: Sequence[Event]) -> str:
    """Actor tables, then event tables, a blank line between any two (what ``add`` appends)."""
    return "\n".join([*map(actor_text, actors), *map(event_text, events)])


def table(header: str, values: Mapping[str, Any]) -> str:
    """A header line and one ``key = value`` line a value."""
    lines = [header]
    lines += [f"{key(name)} = {toml_value(value)}" for name, value in values.items()]
    return "\n".join(lines) + "\n"


_FIELDS = frozenset((*EVENT_FIELDS, *ACTOR_FIELDS))  # bare keys, known without a look


def key(name: str) -> str:
    """A key as TOML wants it: bare when it can be, else a quoted string."""
    return name if name in _FIELDS or _BARE_KEY.fullmatch(name) else toml_value(name)


def toml_value(value: Any) -> str:
    """One value as TOML, serialised by tomli-w; arrays stay on one line, tables inline."""
    if type(value) is str and _PLAIN.fullmatch(value):
        return f'"{value}"'  # what tomli-w writes, without its cost for each value
    if type(value) is list and all(type(v) is str and _PLAIN.fullmatch(v) for v in value):
        return "[" + ", ".join(f'"{v}"' for v in value) + "]"
    import tomli_w  # noqa: PLC0415 - only writers need it

    if isinstance(value, list | tuple):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, Mapping):
        inner = ", ".join(f"{key(k)} = {toml_value(v)}" for k, v in value.items())
        return "{" + inner + "}" if inner else "{}"
    return tomli_w.dumps({"v": value}).removeprefix("v = ").rstrip("\n")


def newline_of(head: bytes) -> str:
    """The file's line ending, read from its first line: ``\\r\\n`` or ``\\n``."""
    first_line = head[: head.find(b"\n") + 1 or len(head)]
    return "\r\n" if b"\r\n" in first_line else "\n"


def in_line_endings(text: str, newline: str) -> str:
    """``text`` with the file's line endings."""
    return text if newline == "\n" else text.replace("\n", newline)


def to_append(head: bytes, tail: bytes, text: str) -> str:
    """The text to add at the end of a log: a separator, then ``text`` in its line endings.

    ``head`` is the log's start, holding at least its first line (or all of it, when the
    log is blank); ``tail`` is its last four bytes. A log that does not end in a newline
    gets a blank line; one that ends in a blank line gets nothing more; else one newline.
    """
    newline = newline_of(head)
    return _separator(head, tail, newline) + in_line_endings(text, newline)


def _separator(head: bytes, tail: bytes, newline: str) -> str:
    if not head or head.isspace():
        return ""
    if not tail.endswith(b"\n"):
        return newline * 2
    if tail.endswith((b"\n\n", b"\r\n\r\n")):
        return ""
    return newline
