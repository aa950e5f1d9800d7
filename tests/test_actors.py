"""Actor matching across spellings, `chrono actors`, and the checks that use them."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from chrono.core.actors import Actor, Registry, skeleton_words
from tests.conftest import BUNDLED, Run

GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("CHRONO_UPDATE_GOLDEN") == "1"

SAME = [
    ("Uschakow", "Ushakov"),
    ("Dmitriew", "Dmitriev"),
    ("Dmitrijew", "Dmitriev"),
    ("Selenskyj", "Zelensky"),
    ("Selenski", "Zelenskyy"),
    ("Peskow", "Peskov"),
    ("Kostjukow", "Kostyukov"),
    # names absent from the bundled log
    ("Gorbatschow", "Gorbachev"),
    ("Chruschtschow", "Khrushchev"),
    ("Chodorkowski", "Khodorkovsky"),
    ("Sacharowa", "Zakharova"),
    ("Schoigu", "Shoigu"),
    ("Schukow", "Zhukov"),
    ("Lawrow", "Lavrov"),
    ("Nawalny", "Navalny"),
    ("Jelzin", "Yeltsin"),
    ("Tschernomyrdin", "Chernomyrdin"),
    ("Medwedew", "Medvedev"),
    ("Prigoschin", "Prigozhin"),
    ("Sergej", "Sergey"),
    ("Alexej", "Aleksei"),
    ("Iouri", "Yuri"),
    ("Poutine", "Putin"),
    ("Wolodymyr", "Volodymyr"),
    ("Romanoff", "Romanov"),
    ("Grünbaum", "Gruenbaum"),
    ("Ušakov", "Ushakov"),
    ("Žukov", "Zhukov"),
    ("Szczepanski", "Shchepanski"),
    # Cyrillic, as pasted from Russian and Ukrainian sources
    ("Путин", "Putin"),
    ("Ушаков", "Uschakow"),
    ("Дмитриев", "Dmitrijew"),
    ("Песков", "Peskow"),
    ("Лавров", "Lawrow"),
    ("Захарова", "Sacharowa"),
    ("Хрущёв", "Khrushchev"),
    ("Шойгу", "Schoigu"),
    ("Зеленський", "Selenskyj"),
    ("ВЛАДИМИР", "Wladimir"),
]
DIFFERENT = [
    ("Ivanov", "Ivanova"),
    ("Ushakov", "Ushakova"),
    ("Kushner", "Kushnir"),
    ("Putin", "Pudin"),
    ("Lavrov", "Lavrova"),
    ("Peskov", "Peskova"),
    ("Dmitriev", "Dmitrenko"),
    ("Witkoff", "Wittkopf"),
    ("Trump", "Trumpf"),
    ("Ivan", "Ivanov"),
    ("Sergei", "Sergeyev"),
    ("Путина", "Putin"),  # a Russian case ending is another word
    ("Ушакова", "Ushakov"),
]


@pytest.mark.parametrize(("a", "b"), SAME)
def test_spellings_that_must_match(a: str, b: str) -> None:
    """German, French, Polish, Czech and English romanisations, and Cyrillic, share one skeleton."""
    assert skeleton_words(a) == skeleton_words(b)
    registry = Registry([Actor("x", f"Someone {b}")])
    assert registry.lookup(a).keys == ["x"]


@pytest.mark.parametrize(("a", "b"), DIFFERENT)
def test_spellings_that_must_not_match(a: str, b: str) -> None:
    """Similar but different names stay apart."""
    assert skeleton_words(a) != skeleton_words(b)
    registry = Registry([Actor("x", f"Someone {b}")])
    assert registry.lookup(a).keys == []


def test_resolution_stages() -> None:
    """Key, exact, folded, word, transliterated: the first stage that finds anyone wins."""
    registry = Registry(
        [
            Actor("ushakov", "Yuri Ushakov"),  # no aliases at all
            Actor("a-smith", "Anna Smith"),
            Actor("b-smith", "Bob Smith", aliases=("Bobby",)),
            Actor("ivanova", "Maria Ivanova"),
        ]
    )
    assert (registry.lookup("ushakov").keys, registry.lookup("ushakov").stage) == (
        ["ushakov"],
        "key",
    )
    assert registry.lookup("Bobby").stage == "exact"
    assert registry.lookup("BOB SMITH").stage == "folded"
    assert registry.lookup("smith").keys == ["a-smith", "b-smith"]
    assert registry.lookup("smith").stage == "word"
    assert registry.lookup("Juri Uschakow").keys == ["ushakov"]
    assert registry.lookup("Uschakow").stage == "transliterated"
    assert registry.lookup("Ivanov").keys == []
    assert registry.lookup("Ush").keys == []  # never a fragment
    assert registry.suggest("Ushakof") == ["ushakov"]  # fuzzy: suggestions only


def test_free_text_actors_match_by_the_same_rules() -> None:
    """A name events use without a registry entry is found by any spelling too."""
    registry = Registry([Actor("putin", "Vladimir Putin")])
    found = registry.lookup("Dmitriev", free_text=["Kirill Dmitrijew", "Someone"])
    assert (found.keys, found.stage) == (["Kirill Dmitrijew"], "transliterated")


def test_list_uses_transliteration(run: Run) -> None:
    """`chrono list -a` finds an actor by a spelling the registry does not list."""
    listed = run("list", "-f", str(BUNDLED), "-a", "Jurij Uschakoff", "--format", "ids")
    assert listed.exit_code == 0
    assert len(listed.stdout.split()) == 5


def test_matching_scales_to_5000_actors(monkeypatch: pytest.MonkeyPatch) -> None:
    """Once its tables are built, resolving a name among 5,000 actors folds and skeletonises
    only the term itself, never the registry's spellings again."""
    import random
    from collections import Counter

    import chrono.core.actors as actors_module

    rng = random.Random(7)  # noqa: S311 - test data, not secrets
    syllables = ["ka", "lo", "mi", "ne", "ro", "sha", "va", "dim", "tri", "zel", "pes", "kov"]
    actors = [
        Actor(
            f"a{i}",
            f"{''.join(rng.choices(syllables, k=2)).title()} "
            f"{''.join(rng.choices(syllables, k=3)).title()}ov{i}",
            aliases=(f"Alias{i}",),
        )
        for i in range(5000)
    ]
    actors.append(Actor("ushakov", "Yuri Ushakov"))
    registry = Registry(actors)
    registry.lookup("warm-up Uschakow")
    calls: Counter[str] = Counter()
    for name in ("fold", "skeleton_words", "skeleton"):
        real = getattr(actors_module, name)
        monkeypatch.setattr(
            actors_module,
            name,
            lambda text, real=real, name=name: calls.update([name]) or real(text),
        )
    for term in ["Uschakow", "yuri ushakov", "Alias4321", "a17", "nobody at all"]:
        calls.clear()
        registry.lookup(term)
        assert sum(calls.values()) <= 20, (term, calls)  # not one per spelling (15,000)
    assert registry.lookup("Uschakow").keys == ["ushakov"]


# -- chrono actors -----------------------------------------------------------------------


def golden(name: str, text: str) -> None:
    """Compare with a golden file (CHRONO_UPDATE_GOLDEN=1 rewrites it)."""
    path = GOLDEN / name
    if UPDATE:
        path.write_text(text)
    assert text == path.read_text()


def test_actor_table_golden(run: Run) -> None:
    """The bundled log's actor table, exactly."""
    result = run("actors", "-f", str(BUNDLED), env={"COLUMNS": "120"})
    assert result.exit_code == 0
    golden("actors-table.txt", result.stdout)


def test_pairs_golden(run: Run) -> None:
    """Who met whom how often, exactly; Putin and Witkoff share the most events."""
    result = run("actors", "--pairs", "-f", str(BUNDLED))
    golden("actors-pairs.txt", result.stdout)
    pairs = json.loads(run("actors", "--pairs", "--format", "json", "-f", str(BUNDLED)).stdout)
    top = pairs[0]
    assert {a["key"] for a in top["actors"]} == {"putin", "witkoff"}
    assert top["events"] == 8


@pytest.mark.parametrize(
    ("sort", "first"), [("events", "witkoff"), ("name", "peskov"), ("first", "gruenbaum")]
)
def test_actor_sort(run: Run, sort: str, first: str) -> None:
    """--sort events (most first), name (alphabetical), first (earliest appearance)."""
    rows = json.loads(run("actors", "--sort", sort, "--format", "json", "-f", str(BUNDLED)).stdout)
    assert rows[0]["key"] == first
    assert len(rows) == 10


def test_actor_json_fields(run: Run) -> None:
    """JSON rows carry counts and first/last appearance at true precision."""
    rows = json.loads(run("actors", "--format", "json", "-f", str(BUNDLED)).stdout)
    gruenbaum = next(r for r in rows if r["key"] == "gruenbaum")
    assert gruenbaum == {
        "key": "gruenbaum",
        "name": "Josh Gruenbaum",
        "role": "Senior White House adviser",
        "aliases": ["Gruenbaum", "Joshua Gruenbaum"],
        "events": 2,
        "first": "2025?",
        "last": "2026-01-23",
        "first_event": "2025-miami-consultations",
        "last_event": "2026-01-22-putin-witkoff-kremlin",
    }


def test_one_actor(run: Run) -> None:
    """`chrono actors NAME`: the actor, its events as a timeline, and co-actors with counts."""
    result = run("actors", "Dmitrijew", "-f", str(BUNDLED))
    out = result.stdout
    assert out.startswith("Kirill Dmitriev  (dmitriev)\n")
    assert "4 events, Apr 2025 – Jan 2026" in out
    assert "│ Steve Witkoff  │      4 │" in out
    record = json.loads(run("actors", "Dmitrijew", "--format", "json", "-f", str(BUNDLED)).stdout)
    assert [w["key"] for w in record["with"]][:1] == ["witkoff"]
    assert len(record["events"]) == 4
    assert run("actors", "Nobodyov", "-f", str(BUNDLED)).exit_code == 2


def test_free_text_actors_are_listed(run: Run, tmp_path: Path) -> None:
    """Actors not in the registry appear in the table, marked as such."""
    path = tmp_path / "events.toml"
    path.write_text('[[events]]\nid = "a"\ndate = 2026-01-01\ntitle = "T"\nactors = ["Jane Roe"]\n')
    rows = json.loads(run("actors", "--format", "json", "-f", str(path)).stdout)
    assert rows == [
        {
            "key": None,
            "name": "Jane Roe",
            "role": None,
            "aliases": [],
            "events": 1,
            "first": "2026-01-01",
            "last": "2026-01-01",
            "first_event": "a",
            "last_event": "a",
        }
    ]
    assert "(1 not in the registry)" in run("actors", "-f", str(path)).stdout


# -- check learns ---------------------------------------------------------------------------


LOG = """\
[actors.ushakov]
name = "Yuri Ushakov"

[[events]]
id = "a"
date = 2026-01-23
title = "Kremlin talks with the envoys"
actors = ["Uschakow"]
kind = "meeting"

[[events]]
id = "b"
date = 2026-01-23
title = "Kremlin talks with the envoy"
actors = ["ushakov"]

[[events]]
id = "c"
date = 2026-01-23T10:00:00
title = "Something else entirely"
actors = ["ushakov"]
kind = "meeting"

[[events]]
id = "d"
date = 2026-01-24
title = "Kremlin talks with the envoys"
"""


def test_check_warns_of_variants_and_duplicates(run: Run, tmp_path: Path) -> None:
    """A spelling variant of a registry actor, and likely duplicates, with both ids."""
    path = tmp_path / "events.toml"
    path.write_text(LOG)
    result = run("check", "-f", str(path))
    assert result.exit_code == 0
    assert result.stderr.splitlines() == [
        f"{path}:8:11: warning: event #1 ('a'): actor 'Uschakow' looks like a spelling of "
        "'ushakov' (Yuri Ushakov); add 'Uschakow' to its aliases: "
        "chrono actors alias ushakov Uschakow",
        f"{path}:11:1: warning: event 'b' looks like a duplicate of 'a' (line 4): same day, "
        "a similar title",
        f"{path}:17:1: warning: event 'c' looks like a duplicate of 'a' (line 4): same day, "
        "the same actors and kind",
        f"{path}: 4 events, 1 actor: 0 errors, 3 warnings",
    ]


def test_a_variant_in_an_event_is_selected_as_the_registry_actor(run: Run, tmp_path: Path) -> None:
    """An event naming 'Uschakow' is found by -a ushakov, while check asks for the alias."""
    path = tmp_path / "events.toml"
    path.write_text(LOG)
    listed = run("list", "-f", str(path), "-a", "ushakov", "--format", "ids").stdout.split()
    assert listed == ["a", "b", "c"]


@pytest.mark.parametrize(
    ("columns", "headers"),
    [
        ("120", ["Actor", "Key", "Role", "Aliases", "Events", "First", "Last"]),
        ("80", ["Actor", "Key", "Events", "First", "Last"]),
        ("60", ["Actor", "Events", "First", "Last"]),
        ("45", ["Actor", "Events", "Last"]),
        ("30", ["Actor", "Events"]),
    ],
)
def test_narrow_actor_tables_drop_columns_not_names(
    run: Run, columns: str, headers: list[str]
) -> None:
    """On a narrow terminal the table keeps every actor's name whole and its count."""
    result = run("actors", "-f", str(BUNDLED), env={"COLUMNS": columns})
    lines = result.stdout.splitlines()
    assert [cell.strip() for cell in lines[1].strip("┃").split("┃")] == headers
    assert "…" not in result.stdout
    assert max(len(line) for line in lines) <= int(columns)
    assert "Witkoff" in result.stdout


def test_a_name_in_cyrillic_selects_and_suggests(run: Run) -> None:
    """-a Путин finds Putin's events; a Cyrillic spelling of no known form gets a suggestion."""
    putin = run("list", "-a", "Путин", "--format", "ids", "-f", str(BUNDLED))
    assert putin.stdout == run("list", "-a", "Putin", "--format", "ids", "-f", str(BUNDLED)).stdout
    assert putin.stdout
    trump = run("list", "-a", "Трамп", "-f", str(BUNDLED))
    assert trump.exit_code == 2
    assert "did you mean 'Donald Trump' (trump)?" in trump.stderr


def test_one_actor_is_counted_in_the_singular(run: Run, tmp_path: Path) -> None:
    """A log with one actor says '1 actor', not '1 actors'."""
    log = tmp_path / "events.toml"
    log.write_text('[actors.a]\nname = "Anna"\n[[events]]\ndate = 2026-01-01\ntitle = "T"\n')
    assert run("actors", "-f", str(log)).stdout.splitlines()[-1] == "1 actor"
