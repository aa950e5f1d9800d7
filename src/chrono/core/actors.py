"""The actor registry, and how a name someone typed finds an actor whatever its spelling.

Resolution goes in stages and stops at the first stage that finds anyone:

1. the exact key;
2. the exact name or alias;
3. the name or an alias ignoring case and accents, or a whole word of one (a surname);
4. the same, comparing *transliteration skeletons* word by word, so that German, French,
   Polish and English romanisations of one Russian or Ukrainian name agree
   (``Uschakow`` ~ ``Ushakov``, ``Selenskyj`` ~ ``Zelensky``, ``Dmitrijew`` ~ ``Dmitriev``).

A fuzzy comparison is used only to *suggest* names, never to select. Matching is always
on whole words, so ``Put`` finds nobody and ``Ivanova`` is not ``Ivanov``.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import NamedTuple

_PUNCTUATION = re.compile(r"[-‐‑–—_.,'’`ʹʼ]+")


def fold(text: str) -> str:
    """Case- and accent-insensitive form of a name: ``Selenskyj`` and ``SELENSKYJ`` agree."""
    if text.isascii():
        return " ".join(_PUNCTUATION.sub(" ", text.lower()).split())
    decomposed = unicodedata.normalize("NFKD", text.casefold().replace("ß", "ss"))
    if not decomposed.isascii():
        decomposed = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(_PUNCTUATION.sub(" ", decomposed).split())


# Ordered: longer spellings first. Sibilants (Ш Ж Щ) become S, Ч and Х become C.
_SKELETON_RULES = [
    (r"schtsch|shtch|shch|szcz", "S"),
    (r"tsch|tch", "C"),
    (r"sch|sh|sz|zh", "S"),
    (r"ch|cz|kh", "C"),
    (r"ph", "f"),
    (r"ck|q|c", "k"),
    (r"x", "ks"),
    (r"ts|tz|z", "s"),
    (r"w", "v"),
    (r"ff$", "v"),  # Romanoff, Witkoff: the older -off for -ov
    (r"ou", "u"),  # French Iouri, Poutine
    (r"(?<=[aiu]n)e$", ""),  # French Poutine, Lavrine
    (r"ue", "u"),  # German Gruenbaum for Grünbaum
    (r"[jy]", "i"),
    (r"(?<=[SC])o", "e"),  # ё after a sibilant: Gorbatschow ~ Gorbachev
    (r"h", ""),
]


@functools.cache
def _skeleton_rules() -> list[tuple[re.Pattern[str], str]]:
    """The rules, compiled on first use (start-up stays light)."""
    return [(re.compile(pattern), replacement) for pattern, replacement in _SKELETON_RULES]


_DOUBLE = re.compile(r"(.)\1+")


def skeleton(word: str) -> str:
    """The transliteration skeleton of one folded word: ``uschakow`` -> ``uSakov``."""
    for pattern, replacement in _skeleton_rules():
        word = pattern.sub(replacement, word)
    return _DOUBLE.sub(r"\1", word)


# Russian and Ukrainian letters as English-language news romanises them ("-": dropped);
# the skeleton rules then make them agree with German and French spellings.
_LETTERS = "a b v g d e e zh z i y k l m n o p r s t u f kh ts ch sh shch - y - e yu ya i yi ye g u"
_CYRILLIC = dict(zip("абвгдеёжзийклмнопрстуфхцчшщъыьэюяіїєґў", _LETTERS.split(" "), strict=True))
_ROMAN = str.maketrans({
    "š": "sh", "ž": "zh", "č": "ch", "Š": "sh", "Ž": "zh", "Č": "ch",
    "ż": "zh", "Ż": "zh", "ł": "l", "Ł": "l",
    **{c: "" if r == "-" else r for c, r in _CYRILLIC.items()},
    **{c.upper(): ("" if r == "-" else r).capitalize() for c, r in _CYRILLIC.items()},
})  # fmt: skip


def romanise(text: str) -> str:
    """Latin letters for Cyrillic ones (``Путин`` -> ``Putin``) and scholarly š, ž, č."""
    return text if text.isascii() else text.translate(_ROMAN)


def skeleton_words(text: str) -> tuple[str, ...]:
    """Skeletons of every word of a name, in any romanisation or in Cyrillic."""
    return tuple(skeleton(w) for w in fold(romanise(text)).split())


_ALIKE = 0.75  # how alike two words must be to be one spelt two ways: dobrinyn ~ dobrynin


def _spelt_alike(words: list[str], spelling: list[str]) -> bool:
    """Whether each of ``words`` spells a different word of ``spelling``, exactly or nearly."""
    from difflib import SequenceMatcher  # noqa: PLC0415 - only for advice

    left = list(spelling)
    for word in words:
        scores = [
            max(SequenceMatcher(None, word, other).ratio(),
                SequenceMatcher(None, skeleton(word), skeleton(other)).ratio())
            for other in left
        ]  # fmt: skip
        if not scores or max(scores) < _ALIKE:
            return False
        del left[scores.index(max(scores))]
    return bool(words)


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


class Match(NamedTuple):
    """Who a term selects, and at which stage of resolution."""

    keys: list[str]
    stage: str  # "key", "exact", "folded", "word", "transliterated" or "none"


class _Index:
    """Spellings of a set of names (registry actors or free-text names), ready to search."""

    def __init__(self, spellings: Iterable[tuple[str, str]]) -> None:
        self.spellings = list(spellings)  # (spelling, who) pairs
        self.exact: dict[str, list[str]] = {}
        for spelling, who in self.spellings:
            _add(self.exact, spelling, who)

    # The later stages' tables are built on first need: most lookups end at "exact".

    @cached_property
    def folded(self) -> dict[str, list[str]]:
        """Folded spelling -> who."""
        index: dict[str, list[str]] = {}
        for spelling, who in self.spellings:
            _add(index, fold(spelling), who)
        return index

    @cached_property
    def words(self) -> dict[str, list[str]]:
        """Each folded word of a spelling -> who."""
        index: dict[str, list[str]] = {}
        for spelling, who in self.spellings:
            for word in fold(spelling).split():
                _add(index, word, who)
        return index

    @cached_property
    def skeletons(self) -> dict[str, list[tuple[tuple[str, ...], str]]]:
        """Skeleton word -> (skeleton words of a spelling, who); built on first need."""
        index: dict[str, list[tuple[tuple[str, ...], str]]] = {}
        for spelling, who in self.spellings:
            words = skeleton_words(spelling)
            for word in set(words):
                index.setdefault(word, []).append((words, who))
        return index

    def by_words(self, folded: str) -> list[str]:
        """Who has the folded term as a run of whole words of a spelling."""
        words = folded.split()
        if not words:
            return []
        found: list[str] = []
        for who in self.words.get(words[0], ()):
            if who in found:
                continue
            if len(words) == 1 or any(
                _has_run(fold(s).split(), words) for s, w in self.spellings if w == who
            ):
                found.append(who)
        return found

    def by_skeleton(self, term: str) -> list[str]:
        """Who has the term's skeleton words as a run of a spelling's skeleton words."""
        words = skeleton_words(term)
        if not words:
            return []
        found: list[str] = []
        for spelling_words, who in self.skeletons.get(words[0], ()):
            if who not in found and _has_run(list(spelling_words), list(words)):
                found.append(who)
        return found


def _add(index: dict[str, list[str]], spelling: str, who: str) -> None:
    entry = index.setdefault(spelling, [])
    if who not in entry:
        entry.append(who)


def _has_run(tokens: list[str], words: list[str]) -> bool:
    """Whether ``words`` occur as a run of whole tokens in ``tokens``."""
    n = len(words)
    return any(tokens[i : i + n] == words for i in range(len(tokens) - n + 1))


class Registry:
    """The actors of a log by key, and resolution of any spelling to them."""

    def __init__(self, actors: Iterable[Actor]) -> None:
        self.actors: dict[str, Actor] = {a.key: a for a in actors}
        self._index = _Index((s, a.key) for a in self.actors.values() for s in a.spellings)
        self._variants: dict[str, list[str]] = {}  # a log names the same free text often

    def __contains__(self, key: object) -> bool:
        return key in self.actors

    def __len__(self) -> int:
        return len(self.actors)

    def resolve(self, name: str) -> list[str]:
        """Keys the name spells exactly: key, name or alias, in any case, with any accents."""
        if name in self.actors:
            return [name]
        return list(self._index.exact.get(name) or self._index.folded.get(fold(name)) or [])

    def lookup(self, term: str, free_text: Iterable[str] = ()) -> Match:
        """Resolve a term a user typed, stage by stage (see the module docstring).

        ``free_text`` are actor names events use that are not in the registry; they are
        matched by the same rules and returned as themselves.
        """
        if term in self.actors:
            return Match([term], "key")
        texts = _Index((t, t) for t in dict.fromkeys(free_text) if t not in self.actors)
        folded = fold(term)
        if not folded:
            return Match([], "none")
        stages = (
            ("exact", lambda i: list(i.exact.get(term, ()))),
            ("folded", lambda i: list(i.folded.get(folded, ()))),
            ("word", lambda i: i.by_words(folded)),
            ("transliterated", lambda i: i.by_skeleton(term)),
        )
        for stage, find in stages:
            found = find(self._index) + [t for t in find(texts) if t not in self.actors]
            if found:
                return Match(list(dict.fromkeys(found)), stage)
        return Match([], "none")

    def match(self, term: str, free_text: Iterable[str] = ()) -> list[str]:
        """Actors a user's term selects: registry keys and free-text names."""
        return self.lookup(term, free_text).keys

    @cached_property
    def _longest(self) -> int:
        """The length of the longest spelling: a name far longer is no variant of any."""
        return max((len(s) for s, _ in self._index.spellings), default=0)

    def _beyond(self, name: str) -> bool:
        """Whether ``name`` is too long to be a variant of, or close to, any spelling (four
        times the longest: too long for difflib's 0.6 cutoff), so no fuzzy work is done."""
        return len(name) > 4 * self._longest + 16

    def variant_of(self, name: str) -> list[str]:
        """Registry keys whose spelling ``name`` is a transliteration variant of."""
        if not self.actors or self._beyond(name):
            return []
        found = self._variants.get(name)
        if found is None:
            found = [] if self.resolve(name) else self._index.by_skeleton(name)
            self._variants[name] = found
        return list(found)

    def shared_spellings(self) -> dict[str, list[str]]:
        """Folded spellings that name more than one actor."""
        return {s: keys for s, keys in self._index.folded.items() if len(keys) > 1}

    def suggest(self, name: str, limit: int = 3) -> list[str]:
        """Keys of the actors whose spellings are closest to ``name``, best first."""
        if self._beyond(name):
            return []
        folded = fold(romanise(name))
        candidates = list(self._index.folded) + list(self._index.words)
        import difflib  # noqa: PLC0415 - only for suggestions

        scored = difflib.get_close_matches(folded, candidates, n=limit * 3, cutoff=0.6)
        keys: list[str] = []
        for spelling in scored:
            for key in self._index.folded.get(spelling) or self._index.words.get(spelling) or []:
                if key not in keys:
                    keys.append(key)
        return keys[:limit]

    def misspelt(self, name: str) -> list[str]:
        """The :meth:`suggest` keys that ``name`` is a true spelling variant of: each of its
        words spells a word of one of the actor's spellings, exactly or a letter or two
        off (``Satya Nadela``, ``Dobrinyn``). ``OpenAI staff`` only shares a word with
        ``OpenAI board``: another actor, so not suggested."""
        words = fold(romanise(name)).split()
        return [
            key
            for key in self.suggest(name)
            if any(_spelt_alike(words, fold(romanise(s)).split()) for s in self.spellings_of(key))
        ]

    def spellings_of(self, key: str) -> tuple[str, ...]:
        """Every spelling of a registry actor: key, name, aliases (a free-text one: itself)."""
        actor = self.actors.get(key)
        return actor.spellings if actor is not None else (key,)

    def aliases_of(self, key: str) -> tuple[str, ...]:
        """The aliases of a registry actor (none for a free-text actor)."""
        actor = self.actors.get(key)
        return actor.aliases if actor is not None else ()

    def display(self, key: str) -> str:
        """The canonical name for a key, or the text itself for a free-text actor."""
        actor = self.actors.get(key)
        return actor.name if actor is not None else key
