"""Random histories on two branches, merged table by table, equal the three-way merge of
the parsed models."""

from __future__ import annotations

import tomllib
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from chrono.storage.merge import merge

Log = list[dict[str, Any]]


def text_of(events: Log, newline: str, notes: frozenset[str]) -> bytes:
    """A log's bytes: a [chrono] table, then each event (some with a comment above)."""
    parts = ['[chrono]\ntimezone = "UTC"\n']
    for event in events:
        note = f"# about {event['id']}\n" if event["id"] in notes else ""
        summary = f'summary = """\n[[events]]\n{event["title"]}\n"""\n' if event["long"] else ""
        parts.append(
            f'{note}[[events]]\nid = "{event["id"]}"\ntitle = "{event["title"]}"\n{summary}'
        )
    return "\n".join(parts).replace("\n", newline).encode()


Op = tuple[str, int, str]
ops = st.lists(
    st.tuples(
        st.sampled_from(["add", "edit", "remove"]), st.integers(0, 9), st.sampled_from("xyz")
    ),
    max_size=8,
)


def apply(base: Log, changes: list[Op], side: str) -> Log:
    """A branch's log: ``base`` with its adds, edits and removes."""
    log = [dict(e) for e in base]
    for number, (op, which, word) in enumerate(changes):
        if op == "add":
            ident = f"new-{which}" if word == "x" else f"{side}-{number}"  # "x": both may add it
            if all(e["id"] != ident for e in log):
                log.append({"id": ident, "title": f"added {word}", "long": which % 2 == 0})
        elif log:
            target = log[which % len(log)]
            if op == "edit":
                target["title"] = f"{target['title']} {word}"
            else:
                log.remove(target)
    return log


def model_merge(base: Log, ours: Log, theirs: Log) -> tuple[list[str], set[str]]:
    """The three-way merge of the models: the titles in order, and the conflicting ids."""

    def by_id(log: Log) -> dict[str, dict[str, Any]]:
        return {e["id"]: e for e in log}

    b, o, t = by_id(base), by_id(ours), by_id(theirs)
    result: dict[str, dict[str, Any] | None] = {}
    conflicts = set()
    for ident in [*o, *(i for i in t if i not in o), *(i for i in b if i not in o and i not in t)]:
        vb, vo, vt = b.get(ident), o.get(ident), t.get(ident)
        if vt in (vo, vb):
            result[ident] = vo
        elif vb == vo:
            result[ident] = vt
        else:
            conflicts.add(ident)
            result[ident] = vo
    order = [e["id"] for e in ours] + [e["id"] for e in theirs if e["id"] not in o]
    return [f"{i}={result[i]['title']}" for i in order if result.get(i) is not None], conflicts


@settings(max_examples=150, deadline=None)
@given(
    size=st.integers(0, 6),
    mine=ops,
    yours=ops,
    newline=st.sampled_from(["\n", "\r\n"]),
    notes=st.frozensets(st.sampled_from([f"e{n}" for n in range(6)] + ["new-1", "ours-0"])),
)
def test_random_histories_merge_as_their_models_do(
    size: int, mine: list[Op], yours: list[Op], newline: str, notes: frozenset[str]
) -> None:
    """The merge holds the model merge's events in its order, conflicts exactly where expected."""
    base = [{"id": f"e{n}", "title": f"event {n}", "long": n % 3 == 0} for n in range(size)]
    ours, theirs = apply(base, mine, "ours"), apply(base, yours, "theirs")
    merged = merge(*(text_of(log, newline, notes) for log in (base, ours, theirs)))
    titles, conflicts = model_merge(base, ours, theirs)
    assert {c.name for c in merged.conflicts} == conflicts
    if not conflicts:
        doc = tomllib.loads(merged.data.decode())
        assert [f"{e['id']}={e['title']}" for e in doc.get("events", [])] == titles
        assert merged.data.count(b"\n") == merged.data.count(b"\r\n") or newline == "\n"
