"""A change to the log, shown: as a unified diff of the file, as JSON, as one line."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from chrono.output.safe_text import answer_text


def diff(before: bytes, after: bytes, name: str) -> str:
    """The change as ``diff -u`` (and ``git diff``) shows it: ``a/NAME`` to ``b/NAME``, with
    three lines of context; every character that could act on a terminal made visible."""
    import difflib  # noqa: PLC0415

    old = before.decode("utf-8", "replace").splitlines(keepends=True)
    new = after.decode("utf-8", "replace").splitlines(keepends=True)
    lines = difflib.unified_diff(old, new, f"a/{name}", f"b/{name}")
    shown = []
    for line in lines:
        body = line.rstrip("\r\n")
        shown.append(answer_text(body) + "\n")
        if line == body and not line.startswith(("---", "+++", "@@")):
            shown.append("\\ No newline at end of file\n")
    return "".join(shown)


def record(
    changes: Sequence[tuple[str, str, dict[str, tuple[Any, Any]]]],
    removed: Sequence[str],
    dry_run: bool,
) -> dict[str, Any]:
    """What changed as JSON-ready data: each event's id, what became of it ("changed" or
    "removed") and, when changed, each field's old and new value (null: absent)."""
    events = []
    for event_id, what, fields in changes:
        entry: dict[str, Any] = {"id": event_id, "change": what}
        if what == "changed":
            entry["fields"] = {k: {"old": old, "new": new} for k, (old, new) in fields.items()}
        events.append(entry)
    data: dict[str, Any] = {"dry_run": dry_run, "events": events}
    if removed:
        data["removed_text"] = list(removed)
    return data


MANY = 4  # events changed alike past which they are counted, not named


def summary(changes: Sequence[tuple[str, str, dict[str, tuple[Any, Any]]]], path: str) -> str:
    """One line for the user: ``changed 'ID' (title, date) in PATH``, ``removed 'ID' ...``;
    more than :data:`MANY` events changed alike (a rename) are counted: ``changed 12 events
    (actors)``."""
    if not changes:
        return f"nothing to change in {path}: it already reads so"
    alike: dict[tuple[str, tuple[str, ...]], list[str]] = {}
    for event_id, what, fields in changes:
        alike.setdefault((what, tuple(fields)), []).append(event_id)
    parts = []
    for (what, names), ids in alike.items():
        events = [i for i in ids if not i.startswith("actors.")]
        named = [i for i in ids if i.startswith("actors.")] + (
            events if len(events) <= MANY else []
        )
        said = [f"{what} {i!r}" for i in named]
        if len(events) > MANY:
            said.insert(0, f"{what} {len(events)} events")
        parts += [one + (" (" + ", ".join(names) + ")" if names else "") for one in said]
    return "; ".join(parts) + f" in {path}"


__all__ = ["diff", "record", "summary"]
