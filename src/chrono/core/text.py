"""Small rules of wording that every layer shares: counted nouns and "did you mean"."""

from __future__ import annotations

from collections.abc import Iterable


def plural(n: int, word: str) -> str:
    """A count and its noun: ``1 event``, ``0 events``, ``2 events``."""
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def did_you_mean(suggestions: Iterable[str | tuple[str, str]]) -> str:
    """``; did you mean 'a' (x) or 'b'?``: each suggestion quoted, with its note if a pair.

    A suggestion is a word, or a pair of the word and a note in brackets after it (the
    name of an actor's key, say); no suggestions give the empty string.
    """
    shown = [repr(s) if isinstance(s, str) else f"{s[0]!r} ({s[1]})" for s in suggestions]
    return "; did you mean " + " or ".join(shown) + "?" if shown else ""


__all__ = ["did_you_mean", "plural"]
