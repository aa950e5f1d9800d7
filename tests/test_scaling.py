"""Work that grows with the log stays linear: ids minted, look-alike checks, long names."""

from __future__ import annotations

import hashlib
import re
from difflib import SequenceMatcher
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chrono.core import lint
from chrono.core.actors import Actor, Registry, fold
from chrono.core.ids import FreeIds, first_free
from chrono.storage import store
from tests.conftest import Run


class Counting(set[str]):
    """A set that counts the membership tests made of it."""

    tests = 0

    def __contains__(self, item: object) -> bool:
        Counting.tests += 1
        return super().__contains__(item)


def test_minting_many_ids_of_one_base_is_linear() -> None:
    """Minting n ids of one base against a growing set makes O(n) lookups, each id new."""
    seen = Counting()
    free = FreeIds(seen)
    Counting.tests = 0
    for _ in range(2000):
        seen.add(free.mint("2024-01-01-same"))
    assert Counting.tests <= 2 * 2000
    assert seen == {"2024-01-01-same"} | {f"2024-01-01-same-{n}" for n in range(2, 2001)}


@given(st.lists(st.tuples(st.sampled_from(["a", "a-2", "b", "a-3"]), st.booleans()), max_size=30))
def test_minted_ids_are_the_first_free_ones(steps: list[tuple[str, bool]]) -> None:
    """Each id minted is exactly first_free's answer at that moment, as sets grow."""
    explicit: set[str] = {"a-2"}
    seen: set[str] = set()
    free = FreeIds(explicit, seen)
    for base, keep in steps:
        expected = first_free(base, explicit, seen)
        assert free.mint(base) == expected
        if keep:
            seen.add(expected)


def test_check_derives_distinct_ids_for_thousands_of_alike_events(run: Run, tmp_path: Path) -> None:
    """`check` and `list` mint base, base-2 ... base-3000 for 3,000 events of one date and title."""
    log = tmp_path / "events.toml"
    log.write_text('[[events]]\ndate = "2024-01-01"\ntitle = "Same"\n\n' * 3000)
    ids = run("--no-cache", "list", "-f", str(log), "--format", "ids").stdout.split()
    assert sorted(ids) == sorted(
        ["2024-01-01-same"] + [f"2024-01-01-same-{n}" for n in range(2, 3001)]
    )


def _reference(events: list[tuple[str, tuple[str, ...], str | None]]) -> list[tuple[int, int, str]]:
    """The pairwise look-alike rule as first written: each event against every earlier one."""
    titles = [fold(t) for t, _, _ in events]
    casts = [(frozenset(a), fold(k)) if a and k else None for _, a, k in events]
    found = []
    for i in range(1, len(events)):
        matcher = SequenceMatcher(None, b=titles[i], autojunk=False)
        for j in range(i):
            matcher.set_seq1(titles[j])
            why = lint._reason(matcher, casts[i], casts[j])
            if why:
                found.append((j, i, why))
                break
    return found


_TITLES = st.sampled_from(
    ["Talks in Moscow", "Talks in Moskow", "talks in moscow!", "Summit", "Call"]
)
_EVENTS = st.lists(
    st.tuples(
        _TITLES,
        st.sampled_from([(), ("putin",), ("putin", "trump")]),
        st.sampled_from([None, "meeting", "call"]),
    ),
    max_size=25,
)


def _log(tmp_path: Path, events: list[tuple[str, tuple[str, ...], str | None]]) -> Path:
    log = tmp_path / "events.toml"
    text = '[actors.putin]\nname = "Putin"\n\n[actors.trump]\nname = "Trump"\n\n'
    for n, (title, actors, kind) in enumerate(events):
        text += f'[[events]]\nid = "e{n:02d}"\ndate = "2024-01-01"\ntitle = "{title}"\n'
        text += f"actors = {list(actors)!r}\n".replace("'", '"')
        text += f'kind = "{kind}"\n\n' if kind else "\n"
    log.write_text(text)
    return log


@settings(max_examples=60, deadline=None)
@given(_EVENTS)
def test_look_alikes_are_those_of_the_pairwise_rule(
    tmp_path_factory: pytest.TempPathFactory, events: list[tuple[str, tuple[str, ...], str | None]]
) -> None:
    """On a day of fewer events than the window, the warnings are the pairwise rule's."""
    log = _log(tmp_path_factory.mktemp("day"), events)
    diagnostics = store.check(log).diagnostics
    got = [_pair.findall(d.message)[0] for d in diagnostics if d.code == "duplicate-event"]
    assert got == [(f"e{i:02d}", f"e{j:02d}", why) for j, i, why in _reference(events)]


_pair = re.compile(r"event '(\w+)' looks like a duplicate of '(\w+)' \(line \d+\): same day, (.+)$")


def test_a_crowded_day_is_compared_within_the_window(monkeypatch: pytest.MonkeyPatch) -> None:
    """3,000 distinct titles on one day make at most a window's comparisons per event."""
    calls = 0
    real = lint._reason

    def counted(*args: object) -> str | None:
        nonlocal calls
        calls += 1
        return real(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(lint, "_reason", counted)
    from chrono.core.dates import parse_iso
    from chrono.core.model import Event

    day = parse_iso("2024-01-01")
    titles = [hashlib.sha256(str(n).encode()).hexdigest()[:24] for n in range(3000)]
    events = [Event(f"e{n}", day, title) for n, title in enumerate(titles)]
    lint._same_day_duplicates("log", events)
    assert 3000 * lint.FUZZY_WINDOW * 0.9 < calls <= 3000 * lint.FUZZY_WINDOW


def test_a_huge_name_is_matched_without_fuzzy_work(monkeypatch: pytest.MonkeyPatch) -> None:
    """A name over four times longer than every spelling (plus 16) is no variant and gets no
    suggestion, without any fuzzy matching being tried; one character shorter still is tried."""
    registry = Registry([Actor("putin", "Vladimir Putin", ("Putin",))])
    tried: list[int] = []
    monkeypatch.setattr(registry._index, "by_skeleton", lambda term: tried.append(len(term)) or [])
    longest = 4 * len("Vladimir Putin") + 16
    for name in ("\u202e" * 100_000, "x" * (longest + 1)):
        assert registry.variant_of(name) == [] and registry.suggest(name) == []
    assert tried == []
    assert registry.variant_of("x" * longest) == [] and tried == [longest]
    assert registry.suggest("Vladimir Putn") == ["putin"]  # a near name still is suggested


def test_check_of_a_log_with_actor_warnings_never_scans_it_whole() -> None:
    """`check` places warnings of actors, events and look-alikes without scanning the whole log."""
    import tomllib

    from chrono.core.validate import build
    from chrono.storage.positions import LazyPositions

    text = (
        '[actors.a]\nname = "Ushakov"\n\n[actors.b]\nname = "Uschakow"\naliases = ["Ushakov"]\n\n'
    )
    text += "".join(
        f'[[events]]\nid = "e{n}"\ndate = "2024-01-0{n % 3 + 1}"\ntitle = "Talks"\n'
        f'actors = ["Nobody{n}"]\nsources = ["www.example.org/{n}"]\n\n'
        for n in range(30)
    )
    lazy = LazyPositions(text)
    _, diagnostics = build(tomllib.loads(text), "log", lazy)
    codes = {d.code for d in diagnostics}
    assert {"shared-alias", "unused-actor", "unknown-actor"} <= codes, codes
    assert lazy._full is None
