"""Changing some keys of one table, every other byte of it kept: its comments, its quoting,
its key order, the layout of its arrays.

The table's own bytes (its header to its last key, see :mod:`chrono.storage.spans`) are
read by tomlkit, a format-preserving TOML library; only the keys asked for change: a key
given a value is rewritten where it is (or added after the table's last key), a key given
``None`` goes with its line. A new value is written as chrono writes values
(:func:`chrono.storage.writer.toml_value`), so a key changed by ``chrono set`` reads as
``chrono add`` would write it.

An actor's table can also be given a new key (``rename``): its header line then reads
``[actors.<new>]``, whatever follows the header (a comment) kept.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from chrono.core.errors import WriteError
from chrono.storage import writer

Values = Mapping[str, Any]  # key -> its new raw value, or None: the key goes


def amend_table(
    text: str, name: tuple[str, ...], values: Values, shown: str, *, rename: str | None = None
) -> str:
    """The table ``text`` (one table: ``[[events]]`` or ``[actors.key]``, LF or CRLF) with
    ``values`` applied, and for an actor given a new key (``rename``) its header rewritten;
    raises :class:`WriteError` when tomlkit cannot read it as that."""
    if rename is None and (quick := _by_lines(text, values)) is not None:
        return quick
    import tomlkit  # noqa: PLC0415 - only a change of keys needs it
    from tomlkit.exceptions import TOMLKitError  # noqa: PLC0415
    from tomlkit.items import Table  # noqa: PLC0415

    newline = "\r\n" if "\r\n" in text else "\n"
    try:
        doc = tomlkit.parse(text)
        table: Any = doc
        for part in name:
            table = table[part]
        if isinstance(table, list):  # [[events]]: the one table of the array
            table = table[0]
        if rename is not None and any(isinstance(v, Table) for v in table.values()):
            raise WriteError(
                f"{shown}: the table {_header(name)} has sub-tables; rename it by hand; "
                "nothing written"
            )
        for key, value in values.items():
            if value is None:
                if key in table:
                    del table[key]
            else:
                table[key] = _item(key, value)
        new = tomlkit.dumps(doc)
    except (TOMLKitError, KeyError, IndexError, TypeError, ValueError) as exc:
        raise WriteError(
            f"{shown}: cannot change the table {_header(name)} in place ({exc}); nothing written"
        ) from None
    if rename is not None:
        new = _renamed(new, rename, name, shown)
    return writer.in_line_endings(new.replace("\r\n", "\n"), newline)


def _renamed(text: str, key: str, name: tuple[str, ...], shown: str) -> str:
    """``text`` with its first line's header (``[actors.old]``, ``[ actors . "old" ]``) made
    ``[actors.<key>]``; what follows the header's ``]`` on that line stays."""
    indent = len(text) - len(text.lstrip(" \t"))
    end = _header_end(text, indent)
    if end is None:
        raise WriteError(
            f"{shown}: cannot read the header of the table {_header(name)}; nothing written"
        )
    return text[:indent] + f"[actors.{writer.key(key)}]" + text[end:]


def _header_end(text: str, at: int) -> int | None:
    """The offset after the ``]`` that closes the ``[table]`` header at ``at`` (quoted
    keys may hold a ``]``), or None when there is none on that line."""
    if not text.startswith("[", at) or text.startswith("[[", at):
        return None
    quote, i = "", at + 1
    while i < len(text) and text[i] not in "\r\n":
        char = text[i]
        if quote:
            if char == "\\" and quote == '"':
                i += 1
            elif char == quote:
                quote = ""
        elif char in "\"'":
            quote = char
        elif char == "]":
            return i + 1
        i += 1
    return None


_BARE = re.compile(r"[A-Za-z0-9_-]+")


def _by_lines(text: str, values: Values) -> str | None:
    """``values`` applied without tomlkit, as tomlkit applies them, when each key is either
    in the table on one line of its own (``key = value``, no comment, the only line that
    starts so: that line is rewritten after its ``=``, or goes) or not there (a new line at
    the end of the table); None when any key is otherwise (tomlkit does it)."""
    from chrono.storage import files  # noqa: PLC0415

    lines = text.splitlines(keepends=True)
    try:
        tables = files.parse_toml(text, "").get("events")
    except Exception:
        return None
    if not isinstance(tables, list) or len(tables) != 1 or not isinstance(tables[0], dict):
        return None
    newline = "\r\n" if "\r\n" in text else "\n"
    for key, value in values.items():
        if not _BARE.fullmatch(key) or (key not in tables[0] and not text.endswith("\n")):
            return None
        if key not in tables[0]:  # after the table's last line, as tomlkit adds it
            if value is not None:
                lines.append(f"{writer.key(key)} = {writer.toml_value(value)}{newline}")
            continue
        starts = re.compile(rf"[ \t]*{key}[ \t]*=[ \t]*")
        found = [i for i, line in enumerate(lines) if starts.match(line)]
        if len(found) != 1 or "#" in lines[found[0]]:
            return None
        line = lines[found[0]]
        try:
            if files.parse_toml(line, "") != {key: tables[0][key]}:
                return None  # the value goes on over more lines
        except Exception:
            return None
        ending = line[len(line.rstrip("\r\n")) :]
        prefix = starts.match(line).group(0)  # type: ignore[union-attr]
        lines[found[0]] = "" if value is None else prefix + writer.toml_value(value) + ending
    new = "".join(lines)
    wanted = {k: v for k, v in {**tables[0], **values}.items() if v is not None}
    try:  # a line that only looked like the key's (in a string over several lines)
        return new if files.parse_toml(new, "") == {"events": [wanted]} else None
    except Exception:
        return None


def _item(key: str, value: Any) -> Any:
    """The tomlkit item of ``value`` as chrono writes it (its escapes, its one-line arrays)."""
    import tomlkit  # noqa: PLC0415

    line = f"{writer.key(key)} = {writer.toml_value(value)}\n"
    return tomlkit.parse(line)[key]


def _header(name: tuple[str, ...]) -> str:
    return "[[events]]" if name == ("events",) else "[" + ".".join(name) + "]"


__all__ = ["Values", "amend_table"]
