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
    candidate, n = base, 1
    while any(candidate in used for used in taken):
        n += 1
        candidate = f"{base}-{n}"
    return candidate


__all__ = ["ACTOR_KEY", "ID_PATTERN", "derive_id", "first_free", "slugify"]
