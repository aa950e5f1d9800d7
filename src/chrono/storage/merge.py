"""Three versions of a log merged by identity: the bytes git's merge driver writes.

The merge is *ours* with *theirs'* changes applied, table by table, as the write path
applies edits: every byte of ours that no change touches is kept, and a table taken from
theirs is copied with its own bytes (its comments too), in ours' line endings.

- **Identity.** An event is its ``id``, an actor its key, the ``[chrono]`` table one
  whole of settings (merged key by key), any other table its name. A table whose bytes are
  the same in all three versions is not read at all.
- **Three-way, by value.** Added on either side: kept. Changed on one side only: that
  side's table. Changed to the same value on both: ours (theirs' bytes when only theirs
  touched them). Removed on one side, untouched on the other: removed. Otherwise a
  :class:`Conflict`: that table alone is written between git's conflict markers, ours
  above ``=======``, theirs below (an empty side where it was removed).
- **Order.** Ours' tables stay where they are, changed in place; theirs' new tables (and
  the conflicts of tables ours removed) follow ours' last table, in theirs' file order;
  a ``[chrono]`` table only theirs has goes before ours' first table.
- **Verified.** What the merge wrote (with every conflict taken as ours, when there are
  any) is parsed and must hold exactly the planned tables, else :class:`Unmergeable` is
  raised and nothing is written; so are a version that does not read as TOML and one
  that holds an identity twice. The bytes all three versions share at the start, up to
  an ``[[events]]`` table, are not read: they are ours, unchanged (as the write path
  reads only the tables it changes).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from chrono.storage.merge_plan import Plan
from chrono.storage.merge_tables import Conflict, Unmergeable, verify, versions
from chrono.storage.spans import comments_above, fast_spans, table_spans


class Merged(NamedTuple):
    """The merged file, and what the merge did."""

    data: bytes
    conflicts: tuple[Conflict, ...]
    taken: int  # tables of theirs taken: added or changed
    removed: int  # tables of ours removed because theirs removed them


def merge(
    base: bytes, ours: bytes, theirs: bytes, *, labels: Sequence[str] = ("ours", "theirs"),
    size: int = 7, careful: bool = False,
) -> Merged:  # fmt: skip
    """The three-way merge of ``ours`` and ``theirs`` from ``base`` (see the module doc).

    The quick way reads only the tables after the bytes all three share, found by one
    regular expression; whatever it cannot vouch for is merged again the careful way
    (every table of every version scanned line by line), which ``careful`` asks for.
    """
    if not careful:
        try:
            return _merge(base, ours, theirs, labels, size, quick=True)
        except Unmergeable:
            pass
    return _merge(base, ours, theirs, labels, size, quick=False)


def _merge(
    base: bytes, ours: bytes, theirs: bytes, labels: Sequence[str], size: int, *, quick: bool
) -> Merged:
    head = _shared_head(base, ours, theirs) if quick else 0
    split = fast_spans if quick else table_spans
    datas = [data[head:] if head else data for data in (base, ours, theirs)]
    before = ours[:head]
    plan = Plan(versions(datas, split, before.count(b"\n")), labels, size)
    middle, marks = plan.assemble(conflicted=True)
    resolved = plan.assemble(conflicted=False)[0] if marks else middle
    verify(resolved, plan.expected)
    merged = before + middle
    marks = [(at + head, key) for at, key in marks]
    return Merged(merged, tuple(plan.conflicts(merged, marks)), plan.taken, plan.removed)


_STEP = 1 << 20


def _shared_head(*datas: bytes) -> int:
    """Where the last ``[[events]]`` table (with its comments) that starts in the bytes all
    versions share begins: the tables before it need not be read; 0 when there is none."""
    first, size = datas[0], min(len(data) for data in datas)
    same = 0  # the bytes before this offset are the same in all versions
    while same < size and all(d[same : same + _STEP] == first[same : same + _STEP] for d in datas):
        same += _STEP
    low, high = same, min(size, same + _STEP)
    while low < high:  # the first byte that differs, in the block where one does
        middle = (low + high + 1) // 2
        if all(d[low:middle] == first[low:middle] for d in datas):
            low = middle
        else:
            high = middle - 1
    header = first.rfind(b"\n[[events]]", 0, low) + 1
    while header > 0 and (first.count(b'"""', 0, header) % 2 or first.count(b"'''", 0, header) % 2):
        header = first.rfind(b"\n[[events]]", 0, header - 1) + 1  # in a string, it seems
    return comments_above(first, header) if header > 0 else 0


__all__ = ["Conflict", "Merged", "Unmergeable", "merge"]
