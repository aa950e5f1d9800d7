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
- **Verified.** The result (with every conflict taken as ours, when there are any) is
  parsed and must hold exactly the planned tables, else :class:`Unmergeable` is raised
  and nothing is written; so are a version that does not read as TOML and one that holds
  an identity twice.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from chrono.storage.merge_plan import Plan
from chrono.storage.merge_tables import Conflict, Unmergeable, verify, versions
from chrono.storage.spans import fast_spans, table_spans


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
    """The three-way merge of ``ours`` and ``theirs`` from ``base`` (see the module doc)."""
    split = table_spans if careful else fast_spans
    plan = Plan(versions((base, ours, theirs), split), labels, size)
    merged, marks = plan.assemble(conflicted=True)
    verify(plan.assemble(conflicted=False)[0] if marks else merged, plan.expected)
    return Merged(merged, tuple(plan.conflicts(merged, marks)), plan.taken, plan.removed)


__all__ = ["Conflict", "Merged", "Unmergeable", "merge"]
