"""The actor registry: canonical names, aliases, and how a typed name finds an actor."""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field


def fold(text: str) -> str:
    """Case- and accent-insensitive form of a name: ``Selenskyj`` and ``SELENSKYJ`` agree."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(stripped.replace("-", " ").split())


@dataclass(frozen=True, slots=True)
class Actor:
    """A person or body in the registry, under its key."""

    key: str
    name: str
    aliases: tuple[str, ...] = ()
    role: str | None = None
    note: str | None = None
    extra: Mapping[str, object] = field(default_factory=dict)

    @property
    def spellings(self) -> tuple[str, ...]:
        """Key, name and aliases: every spelling that names this actor exactly."""
        return (self.key, self.name, *self.aliases)


class Registry:
    """Looks actors up by key, name or alias, case- and accent-insensitively."""

    def __init__(self, actors: Iterable[Actor]) -> None:
        self.actors: dict[str, Actor] = {a.key: a for a in actors}
        self._by_fold: dict[str, list[str]] = {}
        for actor in self.actors.values():
            for spelling in actor.spellings:
                keys = self._by_fold.setdefault(fold(spelling), [])
                if actor.key not in keys:
                    keys.append(actor.key)

    def __contains__(self, key: object) -> bool:
        return key in self.actors

    def __len__(self) -> int:
        return len(self.actors)

    def resolve(self, name: str) -> list[str]:
        """Keys of the actors ``name`` names exactly (key, name or alias; any case or accent)."""
        if name in self.actors:
            return [name]
        return list(self._by_fold.get(fold(name), ()))

    def match(self, term: str, free_text: Iterable[str] = ()) -> list[str]:
        """Actors a user's search term selects: registry keys and free-text names.

        An exact key, name or alias (any case, any accents) wins; otherwise the term
        must equal a whole word of a spelling (``kushner`` finds "Jared Kushner"), never
        a fragment of one (``put`` finds nobody).
        """
        exact = self.resolve(term)
        folded = fold(term)
        texts = [t for t in dict.fromkeys(free_text) if t not in self.actors]
        exact += [t for t in texts if fold(t) == folded]
        if exact or not folded:
            return exact
        words = folded.split()
        found: list[str] = []
        for spelling, keys in self._by_fold.items():
            if _has_words(spelling.split(), words):
                found += [k for k in keys if k not in found]
        found += [t for t in texts if _has_words(fold(t).split(), words)]
        return found

    def shared_spellings(self) -> dict[str, list[str]]:
        """Folded spellings that name more than one actor."""
        return {s: keys for s, keys in self._by_fold.items() if len(keys) > 1}

    def suggest(self, name: str, limit: int = 3) -> list[str]:
        """Keys of the actors whose spellings are closest to ``name``, best first."""
        scored = difflib.get_close_matches(fold(name), list(self._by_fold), n=limit * 3, cutoff=0.6)
        keys: list[str] = []
        for spelling in scored:
            for key in self._by_fold[spelling]:
                if key not in keys:
                    keys.append(key)
        return keys[:limit]

    def display(self, key: str) -> str:
        """The canonical name for a key, or the text itself for a free-text actor."""
        actor = self.actors.get(key)
        return actor.name if actor is not None else key


def _has_words(tokens: list[str], words: list[str]) -> bool:
    """Whether ``words`` occur as a run of whole tokens in ``tokens``."""
    n = len(words)
    return any(tokens[i : i + n] == words for i in range(len(tokens) - n + 1))
