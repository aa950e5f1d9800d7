"""Each stage of resolving a typed name, the limits of fuzzy work, and check's warning about
a spelling two actors share."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path

import pytest

from chrono.core.actors import Actor, Registry, fold, romanise, skeleton
from tests.conftest import Run

WriteLog = Callable[[str], Path]  # the write_log fixture

CAST = Registry(
    [
        Actor("jcvd", "Jean Claude Van Damme", aliases=("The Muscles",)),
        Actor("monet", "Claude Monet"),
        Actor("ushakov", "Yuri Ushakov"),
        Actor("petrov", "Yuri Petrov"),
        Actor("b-smith", "Bob Smith", aliases=("Bobby",)),
    ]
)


@pytest.mark.parametrize(
    ("term", "keys", "stage"),
    [
        ("jcvd", ["jcvd"], "key"),
        ("The Muscles", ["jcvd"], "exact"),
        ("the muscles", ["jcvd"], "folded"),
        ("claude van", ["jcvd"], "word"),  # a run of whole words inside a longer name
        ("Van Damme", ["jcvd"], "word"),  # the run at the end of the name
        ("jean claude", ["jcvd"], "word"),  # and at its start
        ("claude", ["jcvd", "monet"], "word"),
        ("jean damme", [], "none"),  # words of a name, but not side by side
        ("claude monet van", [], "none"),
        ("Juri Uschakow", ["ushakov"], "transliterated"),  # Yuri Petrov shares only "Yuri"
        ("Uschakow Juri", [], "none"),  # skeletons too must be side by side, in order
        ("Nobody", [], "none"),
        ("-", [], "none"),  # folds to nothing
    ],
)
def test_each_stage_finds_whole_words_side_by_side(term: str, keys: list[str], stage: str) -> None:
    """A typed name selects at the first stage that finds anyone, on whole words in order."""
    assert CAST.lookup(term) == (keys, stage)


def test_free_text_names_go_through_the_word_stage_too() -> None:
    """A run of words finds free-text names after the registry's, each once, not a key."""
    found = CAST.lookup("van damme", free_text=["Maria Van Damme", "Maria Van Damme", "jcvd"])
    assert found == (["jcvd", "Maria Van Damme"], "word")
    assert CAST.lookup("Maria Van", free_text=["Maria Van Damme"]) == (["Maria Van Damme"], "word")


def test_list_selects_by_a_run_of_words(run: Run, write_log: WriteLog) -> None:
    """`list -a "claude van"` selects the events of the actor whose name has those words."""
    log = write_log(
        '[actors.jcvd]\nname = "Jean Claude Van Damme"\n\n[actors.monet]\nname = "Claude Monet"\n\n'
        '[[events]]\nid = "kick"\ndate = 2026-01-01\ntitle = "Kick"\nactors = ["jcvd"]\n\n'
        '[[events]]\nid = "paint"\ndate = 2026-01-02\ntitle = "Paint"\nactors = ["monet"]\n'
    )
    listed = run("list", "-f", str(log), "-a", "claude van", "--format", "ids")
    assert (listed.exit_code, listed.stdout) == (0, "kick\n")


def test_resolve_and_variants() -> None:
    """resolve is exact up to case and accents; a variant is a spelling no one has exactly."""
    assert CAST.resolve("BOBBY") == ["b-smith"]
    assert CAST.resolve("Smith") == []
    assert CAST.variant_of("Yuri Ushakov") == []  # an exact spelling is no variant
    assert CAST.variant_of("Juri Uschakow") == ["ushakov"]
    assert "jcvd" in CAST
    assert "Jean Claude Van Damme" not in CAST
    assert len(CAST) == 5


def test_a_name_too_long_to_be_a_variant_costs_no_fuzzy_work() -> None:
    """A name up to 4 x the longest spelling + 16 characters is compared; one longer is not."""
    registry = Registry([Actor("putin", "Vladimir Putin")])  # 14 characters, so 72 at most
    longest = "Poutine" + "." * (72 - 7)
    assert registry.variant_of(longest) == ["putin"]
    assert registry.variant_of(longest + ".") == []
    assert registry.suggest("Putim" + "." * (72 - 5)) == ["putin"]
    assert registry.suggest("Putim" + "." * (73 - 5)) == []


def test_suggestions_are_the_closest_few() -> None:
    """suggest gives at most three actors by default, closest first, each once."""
    registry = Registry(
        [Actor(f"smith{i}", f"Anna Smit{'h' * i}") for i in range(1, 6)]
        + [Actor("jones", "Bob Jones")]
    )
    assert registry.suggest("Smithh") == ["smith2", "smith3", "smith1"]
    assert registry.suggest("Smithh", limit=5) == ["smith2", "smith3", "smith1", "smith4", "smith5"]
    assert registry.suggest("Smithh", limit=1) == ["smith2"]
    assert registry.suggest("Jonas") == ["jones"]  # found by a word of the name
    assert registry.suggest("Zzyzx") == []


def test_aliases_and_display_names() -> None:
    """A registry actor has its aliases and name; a free-text actor is its own name."""
    assert CAST.aliases_of("b-smith") == ("Bobby",)
    assert CAST.aliases_of("Jane Roe") == ()
    assert CAST.display("b-smith") == "Bob Smith"
    assert CAST.display("Jane Roe") == "Jane Roe"


def test_an_actor_cannot_be_changed_in_place() -> None:
    """Actors are frozen: a registry's actors stay as the log wrote them."""
    with pytest.raises(dataclasses.FrozenInstanceError):
        CAST.actors["jcvd"].name = "Someone"  # type: ignore[misc]


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Jean-Claude  VAN_Damme.", "jean claude van damme"),
        ("Strauß", "strauss"),
        ("Müller–Lüdenscheidt", "muller ludenscheidt"),
        ("O’Brien", "o brien"),
        ("ŠAKOV", "sakov"),
    ],
)
def test_fold_ignores_case_accents_and_punctuation(text: str, folded: str) -> None:
    """Folding lowers case, drops accents, spells ß as ss and turns punctuation into spaces."""
    assert fold(text) == folded


@pytest.mark.parametrize(
    ("word", "shape"),
    [
        ("uschakow", "uSakov"),  # the docstring's example: sch, w
        ("chruschtschow", "CruSev"),  # schtsch, ch, ё after a sibilant
        ("tschaikowski", "Caikovski"),  # tsch
        ("szczepanski", "Sepanski"),  # Polish szcz
        ("joseph", "iosef"),  # ph, j
        ("alexej", "aleksei"),  # x
        ("witkoff", "vitkov"),  # the old -off
        ("poutine", "putin"),  # French ou and -ine
        ("gruenbaum", "grunbaum"),  # German ue
        ("ghazaryan", "gasarian"),  # a silent h
        ("quentin", "kuntin"),  # q, and ue as u
        ("dick", "dik"),  # ck
        ("marc", "mark"),  # c
    ],
)
def test_skeletons_keep_their_documented_shape(word: str, shape: str) -> None:
    """Each transliteration rule gives the documented skeleton."""
    assert skeleton(word) == shape


def test_shared_spellings_are_the_ones_two_actors_have() -> None:
    """A folded spelling naming two actors is shared; one naming a single actor is not."""
    registry = Registry(
        [Actor("a-smith", "Anna Smith", aliases=("Smith",)), Actor("b-smith", "Bob Smith",
         aliases=("SMITH", "Bobby"))]
    )  # fmt: skip
    assert registry.shared_spellings() == {"smith": ["a-smith", "b-smith"]}
    assert CAST.shared_spellings() == {}


def test_check_warns_of_a_spelling_two_actors_share(run: Run, write_log: WriteLog) -> None:
    """check warns, at the second actor's table, that a shared alias is ambiguous."""
    log = write_log(
        '[actors.a-smith]\nname = "Anna Smith"\naliases = ["Smith"]\n\n'
        '[actors.b-smith]\nname = "Bob Smith"\naliases = ["smith"]\n\n'
        '[[events]]\nid = "e"\ndate = 2026-01-01\ntitle = "T"\nactors = ["a-smith", "b-smith"]\n'
    )
    result = run("check", "-f", str(log))
    assert result.exit_code == 0
    assert result.stderr.splitlines() == [
        f"{log}:5:1: warning: actors 'a-smith', 'b-smith' share the spelling 'smith'; "
        "a name written that way is ambiguous; if they are one actor: "
        "chrono actors merge b-smith a-smith",
        f"{log}: 1 event, 2 actors: 0 errors, 1 warning",
    ]


def test_scholarly_letters_and_cyrillic_signs_are_romanised() -> None:
    """š ž č ż ł (either case) read as sh zh ch zh l; the hard and soft signs are dropped."""
    assert romanise("š ž č Š Ž Č ż Ż ł Ł") == "sh zh ch sh zh ch zh zh l l"
    assert romanise("ОБЪЁМ съезд Ь ь") == "OBEM sezd  "
    assert romanise("Plain ASCII") == "Plain ASCII"
