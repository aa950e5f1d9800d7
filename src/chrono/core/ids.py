"""Event ids and actor keys: what they may look like, and how one is made from a title."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Container
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from chrono.core.dates import PartialDate

ACTOR_KEY: Final = re.compile(r"[a-z0-9][a-z0-9_-]*")
ID_PATTERN: Final = re.compile(r"[^\s]+")


def slugify(text: str, max_words: int = 8) -> str:
    """A lower-case ASCII slug of ``text``: ``"Putin meets Witkoff"`` -> ``putin-meets-witkoff``."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_text.lower())
    return "-".join(words[:max_words]) or "event"


def derive_id(date: PartialDate, title: str) -> str:
    """The stable id of an event written without one: its date and a slug of its title."""
    day = date.isoformat()[:10].rstrip("?~%")
    return f"{day}-{slugify(title)}"


def first_free(base: str, *taken: Container[str]) -> str:
    """``base``, or else ``base-2``, ``base-3`` ...: the first that none of ``taken`` holds."""
    return FreeIds(*taken).mint(base)


class FreeIds:
    """:func:`first_free` over and over against collections that only grow (the ids of a
    log as it is read): each base goes on from the last suffix it took, so a thousand
    events of one date and title cost a thousand lookups, not half a million."""

    def __init__(self, *taken: Container[str]) -> None:
        self._taken = taken
        self._last: dict[str, int] = {}  # base -> the suffix it last took (1: none)

    def mint(self, base: str) -> str:
        """The first of ``base``, ``base-2`` ... that none of the collections holds now."""
        n = self._last.get(base, 1)
        candidate = base if n == 1 else f"{base}-{n}"
        while any(candidate in used for used in self._taken):
            n += 1
            candidate = f"{base}-{n}"
        self._last[base] = n
        return candidate


__all__ = ["ACTOR_KEY", "ID_PATTERN", "FreeIds", "derive_id", "first_free", "slugify"]
