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


def summary(changes: Sequence[tuple[str, str, dict[str, tuple[Any, Any]]]], path: str) -> str:
    """One line for the user: ``changed 'ID' (title, date) in PATH``, ``removed 'ID' ...``."""
    if not changes:
        return f"nothing to change in {path}: it already reads so"
    parts = []
    for event_id, what, fields in changes:
        said = f"{what} {event_id!r}"
        if fields:
            said += " (" + ", ".join(fields) + ")"
        parts.append(said)
    return "; ".join(parts) + f" in {path}"


__all__ = ["diff", "record", "summary"]
