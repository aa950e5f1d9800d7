"""What validation shares: places in the file, the diagnostics, the type checks of a field."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Protocol

from chrono.core.dates import type_name
from chrono.core.errors import Diagnostic, Severity
from chrono.core.text import did_you_mean

Place = tuple[int, int]  # 1-based line and column
At = Callable[..., Place]  # the place of a field by name, and of an item of it by number


class Places(Protocol):
    """Where things are written in the file: all that validation asks of a scan of it."""

    def event(self, index: int, key: str | None = None, item: int | None = None) -> Place:
        """The place of the ``index``-th ``[[events]]`` table, of one of its keys, or an item."""
        ...

    def table(self, name: tuple[str, ...], key: str | None = None) -> Place:
        """The place of a table such as ``("actors", "putin")``, or of one of its keys."""
        ...


class Unplaced:
    """The places of a document not read from a TOML file (a JSON export): line 1, column 1."""

    def event(self, index: int, key: str | None = None, item: int | None = None) -> Place:
        """Line 1: the document has no lines of its own."""
        return (1, 1)

    def table(self, name: tuple[str, ...], key: str | None = None) -> Place:
        """Line 1: the document has no lines of its own."""
        return (1, 1)


class Checker:
    """Diagnostics of one file, each at its place, and the type checks of single fields."""

    def __init__(self, path: str, positions: Places, lint: bool) -> None:
        self.path = path
        self.pos = positions
        self.lint = lint
        self.diagnostics: list[Diagnostic] = []

    def report(
        self,
        severity: Severity,
        code: str,
        place: Place,
        message: str,
        event: str | None = None,
        field_name: str | None = None,
    ) -> None:
        """Note one problem at a place of the file (a warning only when linting)."""
        if severity == "warning" and not self.lint:
            return
        self.diagnostics.append(
            Diagnostic(self.path, place[0], place[1], severity, code, message, event, field_name)
        )

    def _text(self, raw: Mapping[str, Any], name: str, at: At, label: str) -> str | None:
        """An optional string, or None after reporting what else it is."""
        value = raw.get(name)
        if value is None:
            return None
        if not isinstance(value, str):
            self.report(
                "error",
                "type",
                at(name),
                f"{label}: '{name}' must be a string, not {type_name(value)}",
                raw.get("id") if isinstance(raw.get("id"), str) else None,
                name,
            )
            return None
        return value

    def _strings(self, raw: Mapping[str, Any], name: str, at: At, label: str) -> list[str] | None:
        """A list of strings, or None after reporting what is wrong with it."""
        value = raw.get(name, [])
        shown = raw.get("id") if isinstance(raw.get("id"), str) else None
        if not isinstance(value, list):
            self.report(
                "error",
                "type",
                at(name),
                f"{label}: '{name}' must be an array of strings, not {type_name(value)}",
                shown,
                name,
            )
            return None
        for i, item in enumerate(value):
            if not isinstance(item, str):
                self.report(
                    "error",
                    "type",
                    at(name, i),
                    f"{label}: '{name}' entry {i + 1} must be a string, not {type_name(item)}",
                    shown,
                    name,
                )
                return None
        return list(value)


def closest_key(word: str, choices: tuple[str, ...]) -> str:
    """``; did you mean 'events'?`` when an unknown key is close to one of the known ones."""
    import difflib  # noqa: PLC0415

    return did_you_mean(difflib.get_close_matches(word, choices, n=1, cutoff=0.7))
