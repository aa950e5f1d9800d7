"""The three-way merge of a log's versions, table by table (storage/merge.py)."""

from __future__ import annotations

import tomllib

import pytest

from chrono.storage.merge import Conflict, Unmergeable, _merge, merge

BASE = b"""# The chronology of the talks.
[chrono]
timezone = "UTC"

[actors.putin]
name = "Vladimir Putin"

# The first meeting.
[[events]]
id = "a"
title = "A"
date = 2026-01-01

[[events]]
id = "b"
title = "B"
date = 2026-01-02

[[events]]
id = "c"
title = "C"
date = 2026-01-03
"""


def event(ident: str, title: str, comment: str = "") -> bytes:
    lead = f"# {comment}\n" if comment else ""
    return f'\n{lead}[[events]]\nid = "{ident}"\ntitle = "{title}"\ndate = 2026-02-01\n'.encode()


def ids(data: bytes) -> list[str]:
    return [e["id"] for e in tomllib.loads(data.decode())["events"]]


def test_both_sides_appending_keep_ours_then_theirs() -> None:
    """Events both sides appended are all kept: ours' bytes unchanged, theirs' after them."""
    ours = BASE + event("o1", "Ours")
    theirs = BASE + event("t1", "Theirs", "their note") + event("t2", "Theirs 2")
    merged = merge(BASE, ours, theirs)
    assert merged.data.startswith(ours)
    assert merged.data[len(ours) :] == event("t1", "Theirs", "their note") + event("t2", "Theirs 2")
    assert ids(merged.data) == ["a", "b", "c", "o1", "t1", "t2"]
    assert (merged.conflicts, merged.taken, merged.removed) == ((), 2, 0)


def test_a_change_on_one_side_is_taken_in_place() -> None:
    """An event only theirs changed is theirs' table, where ours has it; ours' change stays."""
    ours = BASE.replace(b'title = "A"', b'title = "A, ours"')
    theirs = BASE.replace(b'title = "B"', b'title = "B, theirs"  # checked')
    merged = merge(BASE, ours, theirs)
    assert merged.data == ours.replace(b'title = "B"', b'title = "B, theirs"  # checked')
    assert merged.taken == 1


def test_the_same_change_on_both_sides_is_made_once() -> None:
    """Both sides making the same change (differently spelled) give ours' bytes, once."""
    ours = BASE.replace(b'title = "B"', b"title = 'B2'")
    theirs = BASE.replace(b'title = "B"', b'title = "B2"')
    assert merge(BASE, ours, theirs).data == ours


def test_a_comment_only_theirs_changed_is_theirs() -> None:
    """A table whose value did not change but whose comments theirs edited takes theirs' bytes."""
    theirs = BASE.replace(b"# The first meeting.", b"# The first meeting, confirmed.")
    assert merge(BASE, BASE, theirs).data == theirs


def test_removals_on_either_side_remove_the_table_and_its_comments() -> None:
    """An event removed on one side and untouched on the other goes, its comments with it."""
    without_a = BASE.replace(
        b'# The first meeting.\n[[events]]\nid = "a"\ntitle = "A"\ndate = 2026-01-01\n\n', b""
    )
    assert ids(without_a) == ["b", "c"]
    assert merge(BASE, BASE, without_a).data == without_a
    assert merge(BASE, without_a, BASE).data == without_a
    assert merge(BASE, BASE, without_a).removed == 1


def test_different_changes_conflict_on_that_event_alone() -> None:
    """Two different changes of one event put that table alone between markers."""
    ours = BASE.replace(b'title = "B"', b'title = "B, ours"') + event("o1", "Ours")
    theirs = BASE.replace(b'title = "B"', b'title = "B, theirs"') + event("t1", "Theirs")
    merged = merge(BASE, ours, theirs)
    block = (
        b'<<<<<<< ours\n[[events]]\nid = "b"\ntitle = "B, ours"\ndate = 2026-01-02\n'
        b'=======\n[[events]]\nid = "b"\ntitle = "B, theirs"\ndate = 2026-01-02\n>>>>>>> theirs\n'
    )
    assert merged.data == ours.replace(
        b'[[events]]\nid = "b"\ntitle = "B, ours"\ndate = 2026-01-02\n', block
    ) + event("t1", "Theirs")
    assert merged.conflicts == (Conflict("event", "b", 14),)
    assert merged.data.split(b"\n")[13] == b"<<<<<<< ours"


def test_removed_on_one_side_and_changed_on_the_other_conflicts() -> None:
    """A removal against a change is a conflict with one side empty."""
    without_c = BASE[: BASE.index(b'\n[[events]]\nid = "c"')] + b"\n"
    theirs = BASE.replace(b'title = "C"', b'title = "C2"')
    merged = merge(BASE, without_c, theirs)
    assert merged.data.endswith(b'<<<<<<< ours\n=======\n[[events]]\nid = "c"\ntitle = "C2"\n'
                                b"date = 2026-01-03\n>>>>>>> theirs\n")  # fmt: skip
    assert merged.conflicts == (Conflict("event", "c", 19),)
    ours = BASE.replace(b'title = "C"', b'title = "C2"')
    merged = merge(BASE, ours, without_c)
    assert b'title = "C2"\ndate = 2026-01-03\n=======\n>>>>>>> theirs\n' in merged.data
    assert [c.name for c in merged.conflicts] == ["c"]


def test_the_same_id_added_differently_on_both_sides_conflicts_in_place() -> None:
    """An id both sides added with different events is a conflict at ours' place."""
    merged = merge(BASE, BASE + event("n", "Ours"), BASE + event("n", "Theirs"))
    assert merged.conflicts == (Conflict("event", "n", 24),)
    same = merge(BASE, BASE + event("n", "Same"), BASE + event("n", "Same"))
    assert same.data == BASE + event("n", "Same") and not same.conflicts


def test_markers_take_the_size_and_labels_given() -> None:
    """The conflict markers are as long as asked and carry the labels."""
    ours = BASE.replace(b'title = "A"', b'title = "A1"')
    theirs = BASE.replace(b'title = "A"', b'title = "A2"')
    merged = merge(BASE, ours, theirs, labels=("HEAD", "feature"), size=9)
    lines = merged.data.split(b"\n")
    assert b"<<<<<<<<< HEAD" in lines and b"=========" in lines and b">>>>>>>>> feature" in lines
    assert lines[lines.index(b"<<<<<<<<< HEAD") + 1] == b"# The first meeting."


def test_actors_merge_by_key() -> None:
    """A new actor of theirs is kept; an actor changed differently on both sides conflicts."""
    theirs = BASE + b'\n[actors.witkoff]\nname = "Steve Witkoff"\n'
    merged = merge(BASE, BASE + event("o", "O"), theirs)
    assert tomllib.loads(merged.data.decode())["actors"].keys() == {"putin", "witkoff"}
    ours = BASE.replace(b'"Vladimir Putin"', b'"V. Putin"')
    other = BASE.replace(b'"Vladimir Putin"', b'"Vladimir V. Putin"')
    assert merge(BASE, ours, other).conflicts == (Conflict("actor", "putin", 5),)


def test_settings_merge_key_by_key() -> None:
    """The [chrono] table merges key by key: different keys kept, a key changed twice conflicts."""
    ours = BASE.replace(b'timezone = "UTC"', b'timezone = "Europe/Moscow"')
    theirs = BASE.replace(b'timezone = "UTC"\n', b'timezone = "UTC"\nweek_start = 1\n')
    merged = merge(BASE, ours, theirs)
    assert tomllib.loads(merged.data.decode())["chrono"] == {
        "timezone": "Europe/Moscow",
        "week_start": 1,
    }
    assert merged.data.startswith(
        b'# The chronology of the talks.\n[chrono]\ntimezone = "Europe/Moscow"\n'
    )
    other = BASE.replace(b'timezone = "UTC"', b'timezone = "Europe/Kyiv"')
    assert merge(BASE, ours, other).conflicts == (Conflict("settings", "", 1),)  # its comment too


def test_a_chrono_table_only_theirs_has_goes_first() -> None:
    """Theirs' new [chrono] table is written before ours' first table."""
    bare = BASE.replace(b'[chrono]\ntimezone = "UTC"\n\n', b"")
    merged = merge(bare, bare + event("o", "O"), BASE)
    assert merged.data == BASE + event("o", "O")


def test_crlf_ours_keeps_its_line_endings() -> None:
    """Theirs' tables are written in ours' line endings."""
    crlf = BASE.replace(b"\n", b"\r\n")
    merged = merge(crlf, crlf + event("o", "O").replace(b"\n", b"\r\n"), BASE + event("t", "T"))
    assert merged.data.count(b"\n") == merged.data.count(b"\r\n")
    assert ids(merged.data) == ["a", "b", "c", "o", "t"]


def test_versions_that_cannot_be_merged_by_table_are_refused() -> None:
    """A changed table that does not read, or an id held twice, is Unmergeable."""
    with pytest.raises(Unmergeable, match="the table at line 9 of theirs does not read"):
        merge(BASE, BASE, BASE.replace(b'title = "A"', b'title = "A'))
    with pytest.raises(Unmergeable, match="theirs holds the event 'o' twice"):
        merge(BASE, BASE, BASE + event("o", "O") + event("o", "P"))


def test_a_header_inside_a_nested_array_is_seen_by_the_careful_scan() -> None:
    """An array of arrays whose lines look like headers sends the merge the careful way."""
    odd = BASE.replace(b'title = "C"\n', b'title = "C"\ngrid = [\n["x"]\n]\n')
    changed = odd.replace(b'title = "C"', b'title = "C2"')
    with pytest.raises(Unmergeable):
        _merge(odd, odd, changed, ("ours", "theirs"), 7, quick=True)
    assert merge(odd, odd, changed).data == changed


def test_nothing_changed_on_either_side_is_ours() -> None:
    """Three equal versions merge to the same bytes, touching nothing."""
    merged = merge(BASE, BASE, BASE)
    assert (merged.data, merged.taken, merged.removed, merged.conflicts) == (BASE, 0, 0, ())
