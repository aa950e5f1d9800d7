"""Unresolved merge conflicts in a log's text: git's marker blocks, and what each is about.

A block is git's: a line of N ``<`` (N at least 7, git's ``conflict-marker-size``) then a
space and a label or the end of the line, ours; optionally a line of N ``|`` and the base
(diff3); a line of exactly N ``=``; theirs; a line of N ``>``. chrono's merge driver
writes one around a table, git's own line merge anywhere, even inside a multi-line string.

Whether there is a block at all is one substring search (:func:`present`); :func:`find`
looks for the marker lines by substring search too, and matches only those lines.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from chrono.core.errors import Diagnostic

__all__ = ["Conflict", "diagnostics", "find", "in_strings", "present"]

_MARKER = re.compile(r"^(?:([<|>])\1{6,}(?:[ \t]([^\r\n]*))?|(=)\3{6,})\r?$", re.MULTILINE)
_ID = re.compile(r"""^[ \t]*id[ \t]*=[ \t]*(?:"([^"\\\r\n]*)"|'([^'\r\n]*)')""", re.MULTILINE)
_HEADER = re.compile(
    r"^[ \t]*\[(\[?)[ \t]*([^\]\r\n]*?)[ \t]*\]\]?[ \t]*(?:#[^\r\n]*)?\r?$", re.MULTILINE
)
_ACTOR = re.compile(r"""actors[ \t]*\.[ \t]*(?:([A-Za-z0-9_-]+)|"([^"]*)"|'([^']*)')""")
_FIRST_IS_HEADER = re.compile(r"(?:[ \t]*(?:#[^\n]*)?\r?\n)*[ \t]*\[")
_NEEDLES = ("<<<<<<<", "|||||||", "=======", ">>>>>>>")
SHOWN = 3  # ids named in one message before "and N more"

Subjects = tuple[list[str], list[str], bool]  # event ids, actor keys, the [chrono] table


class Conflict(NamedTuple):
    """One conflict block (or, not ``complete``, a marker line left without its block)."""

    start: int  # the line of the <<<<<<< marker (of the lone marker)
    end: int  # the line of the >>>>>>> marker (the lone marker's)
    ours: str  # the labels git wrote after the markers ("" when none)
    theirs: str
    events: tuple[str, ...]  # the ids of the events either side holds, or that it is inside
    actors: tuple[str, ...]  # the keys of the actors' tables
    settings: bool  # a side holds (or is inside) the [chrono] table
    complete: bool
    marker: str = ""  # the lone marker's line


def present(text: str) -> bool:
    """Whether a line of the text starts as a conflict block does (one substring search)."""
    return "\n<<<<<<<" in text or text.startswith("<<<<<<<")


class _Open(NamedTuple):
    size: int
    line: int
    offset: int  # where the marker line starts
    body: int  # where ours starts
    label: str
    ours_end: int | None  # where the ||||||| or ======= line starts, once seen
    theirs: int | None  # where theirs starts, once ======= is seen


def find(text: str) -> list[Conflict]:
    """Every conflict block in the text and every marker line outside one, in file order."""
    found: list[Conflict] = []
    block: _Open | None = None
    line, counted = 1, 0
    for match in _marker_lines(text):
        line += text.count("\n", counted, match.start())
        counted = match.start()
        kind, label, after = match[1] or match[3], match[2] or "", match.end() + 1
        size = len(match[0]) - len(match[0].lstrip(kind))
        if block is None:
            if kind == "<":
                block = _Open(size, line, match.start(), after, label, None, None)
            elif kind != "=":
                found.append(_lone(text, match.start(), line))
        elif size != block.size:
            continue  # a marker of another size is the content of this block
        elif kind == "|" and block.ours_end is None:
            block = block._replace(ours_end=match.start())
        elif kind == "=" and block.theirs is None:
            block = block._replace(ours_end=block.ours_end or match.start(), theirs=after)
        elif kind == ">" and block.theirs is not None:
            sides = (text[block.body : block.ours_end], text[block.theirs : match.start()])
            found.append(_block(text, block, line, label, sides))
            block = None
        elif kind == "<":
            found.append(_lone(text, block.offset, block.line))
            block = _Open(size, line, match.start(), after, label, None, None)
    if block is not None:
        found.append(_lone(text, block.offset, block.line))
    return sorted(found, key=lambda c: c.start)


def _marker_lines(text: str) -> list[re.Match[str]]:
    """The marker lines, in order: each line that starts as a marker does (found by
    substring search, which is much faster than a regex over every line) matched."""
    starts = [0] if text.startswith(_NEEDLES) else []
    for needle in _NEEDLES:
        at = text.find("\n" + needle)
        while at >= 0:
            starts.append(at + 1)
            at = text.find("\n" + needle, at + 1)
    matches = (_MARKER.match(text, at) for at in sorted(starts))
    return [match for match in matches if match]


def _block(text: str, block: _Open, end: int, theirs: str, sides: tuple[str, str]) -> Conflict:
    events: list[str] = []
    actors: list[str] = []
    settings = False
    if any(side.strip() and not _FIRST_IS_HEADER.match(side) for side in sides):
        events, actors, settings = _enclosing(text, block.offset)
    for side in sides:
        events += [m[1] if m[1] is not None else m[2] for m in _ID.finditer(side)]
        for header in _HEADER.finditer(side):
            _, more_actors, more_settings = _named_by(header, side)
            actors += more_actors
            settings = settings or more_settings
    return Conflict(
        block.line,
        end,
        block.label.strip(),
        theirs.strip(),
        tuple(dict.fromkeys(events)),
        tuple(dict.fromkeys(actors)),
        settings,
        complete=True,
    )


def _lone(text: str, offset: int, line: int) -> Conflict:
    events, actors, settings = _enclosing(text, offset)
    marker = text[offset : _line_end(text, offset)].rstrip("\r")
    return Conflict(line, line, "", "", tuple(events), tuple(actors), settings, False, marker)


def _line_end(text: str, offset: int) -> int:
    end = text.find("\n", offset)
    return len(text) if end < 0 else end


def _enclosing(text: str, offset: int) -> Subjects:
    """What the table the offset is in is about: the last header before it (lines that
    start with ``[`` looked at from the offset back, nothing else)."""
    end = offset
    while (at := text.rfind("\n[", 0, end)) >= 0:
        header = _HEADER.match(text, at + 1)
        if header:
            return _named_by(header, text)
        end = at
    header = _HEADER.match(text) if offset > 0 else None
    return _named_by(header, text) if header else ([], [], False)


def _named_by(header: re.Match[str], text: str) -> Subjects:
    """What a header names: an event (its table's id), an actor, the settings."""
    name = header[2]
    if header[1]:
        return (_id_after(text, header.end()) if name == "events" else []), [], False
    actor = _ACTOR.fullmatch(name)
    if actor:
        return [], [next(g for g in actor.groups() if g is not None)], False
    return [], [], name == "chrono"


def _id_after(text: str, offset: int) -> list[str]:
    """The id of the event whose table runs on from ``offset`` to the next header."""
    following = _HEADER.search(text, offset)
    table = text[offset : following.start() if following else len(text)]
    return [m[1] if m[1] is not None else m[2] for m in _ID.finditer(table)][:1]


def in_strings(text: str, shown: str) -> list[Diagnostic]:
    """One error for each conflict block of text that parses as TOML: git's line merge
    wrote it inside a multi-line string. Text with no block costs one substring search."""
    if not present(text):
        return []
    return diagnostics([conflict for conflict in find(text) if conflict.complete], shown)


def diagnostics(conflicts: list[Conflict], shown: str) -> list[Diagnostic]:
    """One error for each conflict: where it is, what it is about, what to do."""
    return [_diagnostic(conflict, shown) for conflict in conflicts]


def _diagnostic(conflict: Conflict, shown: str) -> Diagnostic:
    if conflict.complete:
        about = _about(conflict, "on")
        message = (
            f"an unresolved merge conflict{about} (lines {conflict.start}-{conflict.end}): "
            "keep one side, delete the marker lines, then run chrono check"
        )
    else:
        about = _about(conflict, "in")
        marker = conflict.marker if len(conflict.marker) <= 40 else conflict.marker[:39] + "…"
        message = (
            f"a leftover merge conflict marker{about}: {marker!r}; keep one side of the "
            "conflict, delete every marker line, then run chrono check"
        )
    event = conflict.events[0] if conflict.events else None
    return Diagnostic(shown, conflict.start, 1, "error", "conflict", message, event)


def _about(conflict: Conflict, preposition: str) -> str:
    parts = [
        _named("event", conflict.events),
        _named("actor", conflict.actors),
        "the [chrono] settings" if conflict.settings else "",
    ]
    parts = [part for part in parts if part]
    return f" {preposition} {_and(parts)}" if parts else ""


def _named(kind: str, names: tuple[str, ...]) -> str:
    if not names:
        return ""
    quoted = [repr(name) for name in names[:SHOWN]]
    if len(names) > SHOWN:
        quoted.append(f"{len(names) - SHOWN} more")
    return f"the {kind}{'s' if len(names) > 1 else ''} {_and(quoted)}"


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]
