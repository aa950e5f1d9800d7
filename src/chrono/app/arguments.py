"""The command line's one rule for the text of its arguments: it must be UTF-8.

Python hands an argument that is not valid UTF-8 over with its bad bytes as lone
surrogates (``'\\udcff'``), text no output can write. Such an argument is a usage error,
said before any command runs and naming the option or argument it was given to:
``chrono: error: --search: b'\\xff' is not valid UTF-8 text``. File names are the
exception: a path may be any bytes the system allows (``-f``, ``-o``), and is shown with
its bad bytes escaped.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any

_PATHS = frozenset({"PATH", "FILE"})  # the metavars of options that take a file name


def _bad(word: str) -> bool:
    return not word.isascii() and any("\ud800" <= char <= "\udfff" for char in word)


def check(words: Sequence[str], root: Any) -> None:
    """Raise a usage error for the first argument in ``words`` that is not valid UTF-8
    (``root``: the root click group, whose commands say which options take values)."""
    command, options, positional, only_arguments = root, _options(root), 0, False
    waiting: Any = None  # the option whose value is the next word
    for word in words:
        if waiting is not None:
            if waiting.metavar not in _PATHS and _bad(word):
                _fail(_long(waiting), word)
            waiting = None
        elif word == "--" and not only_arguments:
            only_arguments = True
        elif word.startswith("-") and len(word) > 1 and not only_arguments:
            waiting = _option(word, options)
        elif _is_group(command) and word in command.commands:
            command = command.commands[word]
            options, positional = _options(command), 0
        else:
            if _bad(word):
                _fail(_argument(command, positional), word)
            positional += 1


def _option(word: str, options: dict[str, Any]) -> Any:
    """The option a word names when its value is the next word, else None (a flag, or a
    value given in the same word, checked here)."""
    name, joined, value = word.partition("=") if word.startswith("--") else (word, "", "")
    if not word.startswith("--") and word[:2] in options:  # -sTEXT
        name, value = word[:2], word[2:]
        joined = "=" if value else ""
    option = options.get(name)
    if option is None or _takes_no_value(option):
        if _bad(word):
            _fail(name if option is None else _long(option), word)
        return None
    if joined:
        if option.metavar not in _PATHS and _bad(value):
            _fail(_long(option), value)
        return None
    return option


def _takes_no_value(option: Any) -> bool:
    return bool(getattr(option, "is_flag", False) or getattr(option, "count", False))


def _options(command: Any) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for param in getattr(command, "params", ()):
        if getattr(param, "param_type_name", "") == "option":
            for name in [*param.opts, *param.secondary_opts]:
                found[name] = param
    return found


def _is_group(command: Any) -> bool:
    return hasattr(command, "get_command")


def _long(option: Any) -> str:
    return str(max(option.opts, key=len))


def _argument(command: Any, position: int) -> str:
    arguments = [p for p in getattr(command, "params", ()) if p.param_type_name == "argument"]
    if _is_group(command):
        return "COMMAND"
    if position < len(arguments):
        return str(arguments[position].metavar or arguments[position].name.upper())
    return f"argument {position + 1}"


def _fail(where: str, word: str) -> None:
    from chrono.core.errors import UsageError  # noqa: PLC0415

    try:
        raw = os.fsencode(word)  # the bytes as given
    except UnicodeEncodeError:  # a surrogate no decoding gives: its UTF-8 form
        raw = word.encode("utf-8", "surrogatepass")
    raise UsageError(f"{where}: {raw!r} is not valid UTF-8 text")
