"""What validation shares: places in the file, the diagnostics, the type checks of a field."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Final, Protocol

from chrono.core.dates import type_name
from chrono.core.errors import Diagnostic, Severity
from chrono.core.text import did_you_mean

if TYPE_CHECKING:
    from chrono.core.actors import Registry

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


# Control characters no text field may hold: C0 but tab, DEL, C1 (ESC starts a terminal
# escape; NUL, BEL, backspace hide or change what is shown). A summary may hold lines.
_CONTROL = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f]")
_CONTROL_BUT_LINES = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_CONTROL_NAMES = {0x00: "NUL", 0x07: "BEL", 0x08: "backspace", 0x0A: "line feed",
                  0x0D: "carriage return", 0x1B: "ESC", 0x7F: "DEL", 0x9B: "CSI"}  # fmt: skip
TEXT_LISTS: Final = ("actors", "tags", "sources")  # the event fields that are lists of text
_LINES_ALLOWED: Final = frozenset({"summary", "title"})  # a title's lines have their own rule


def control_character(text: str, lines: bool = False) -> str | None:
    """What control character ``text`` holds that no field may (``lines``: a line break
    may be there), as ``control character U+001B (ESC)``; None when there is none."""
    if text.isprintable():
        return None
    found = (_CONTROL_BUT_LINES if lines else _CONTROL).search(text)
    if found is None:
        return None
    code = ord(found.group())
    name = _CONTROL_NAMES.get(code)
    return f"control character U+{code:04X}" + (f" ({name})" if name else "")


def holds_control(text: str, lines: bool = False) -> bool:
    """Whether ``text`` holds a control character (a line break is text when ``lines``)."""
    return (_CONTROL_BUT_LINES if lines else _CONTROL).search(text) is not None


def refuse_control_characters(*given: tuple[str, Sequence[str]]) -> None:
    """A usage error naming the option of the first text holding a control character (each
    ``(option, texts)``; a line break is text in ``--summary`` only)."""
    from chrono.core.errors import UsageError  # noqa: PLC0415

    for option, texts in given:
        for text in texts:
            what = control_character(text, lines=option == "--summary")
            if what is not None:
                raise UsageError(f"{option}: {text!r} holds a {what}; give plain text")


def control_characters(raw: Mapping[str, Any]) -> list[tuple[str, int | None, str]]:
    """Each text of an event table holding a control character: (field, item, message)."""
    found: list[tuple[str, int | None, str]] = []
    for name in ("title", "summary", "location", "kind"):
        text = raw.get(name)
        what = control_character(text, name in _LINES_ALLOWED) if type(text) is str else None
        if what is not None:
            found.append((name, None, f"{name!r} holds a {what}; write plain text"))
    for name in TEXT_LISTS:
        values = raw.get(name)
        for item, text in enumerate(values if type(values) is list else ()):
            what = control_character(text) if type(text) is str else None
            if what is not None:
                found.append(
                    (name, item, f"{name!r} item {item + 1} holds a {what}; write plain text")
                )
    return found


def actor_warning(
    name: str, keys: list[str], variants: list[str], key: str, registry: Registry
) -> tuple[str, str]:
    """The code and message for a name that selects no one actor: ambiguous, a variant, unknown."""
    if keys:
        return "unknown-actor", (
            f"actor {name!r} is ambiguous: it names "
            + ", ".join(repr(k) for k in keys)
            + "; write the key instead"
        )
    if len(variants) == 1 and _part_of(name, registry.spellings_of(key)):
        return "actor-variant", (
            f"actor {name!r} is not in the registry; it is counted as {key!r} "
            f"({registry.display(key)}), whose name holds it: if it means that actor, add "
            f"{name!r} to its aliases ({actors_command('alias', key, name)}); if not, add an "
            "[actors.<key>] table for it"
        )
    if len(variants) == 1:
        return "actor-variant", (
            f"actor {name!r} looks like a spelling of {key!r} "
            f"({registry.display(key)}); add {name!r} to its aliases: "
            + actors_command("alias", key, name)
        )
    message = f"actor {name!r} is not in the registry"
    suggestions = registry.misspelt(name)  # never an actor it merely shares a word with
    if suggestions:
        message += did_you_mean((k, registry.display(k)) for k in suggestions)
        command = actors_command("alias", suggestions[0], name)
        message += f" (add the spelling to that actor's aliases: {command})"
    else:
        message += " (add an [actors.<key>] table for it)"
    return "unknown-actor", message


def _part_of(name: str, spellings: tuple[str, ...]) -> bool:
    """Whether ``name`` is only some of the words of a spelling (``Sam`` of ``Sam Altman``,
    ``OpenAI`` of ``OpenAI board``): shared words, which may or may not be that actor."""
    from chrono.core.actors import fold  # noqa: PLC0415

    words = fold(name).split()
    return any(set(words) < set(fold(s).split()) for s in spellings)


def actors_command(verb: str, *words: str) -> str:
    """The ``chrono actors VERB`` command for ``words`` (keys, spellings), quoted for a shell:
    what check advises (``alias putin Putn``, ``merge vvp putin``)."""
    import shlex  # noqa: PLC0415

    return " ".join(["chrono", "actors", verb, *(shlex.quote(w) for w in words)])
