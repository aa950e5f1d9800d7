"""One write path for every change to the log: a list of edits applied under the lock.

The operation drives; storage never calls back into it::

    with transaction.begin(path, cache, hashing=hashing) as tx:
        book = tx.book                   # the log as it is, to plan the change with
        edits = [Append(events=(event,))]  # built from model objects
        done = tx.commit(edits)          # or tx.commit(edits, dry_run=True)

:func:`begin` takes the writer lock (so ids minted from the book cannot collide with a
concurrent writer's) and finishes a change a crash interrupted (``tx.note`` says so).
``tx.book`` is answered by the derived index when it was built from exactly the log's
bytes, else by the parsed log. :meth:`Transaction.commit` writes the edits through the
journal (:mod:`chrono.storage.inplace`), after parsing the new text and checking that it
holds exactly the old events and actors, minus the removed, with the replaced changed,
plus the new; otherwise nothing is written. An append of one event to a log with a valid
index skips the parse (:func:`_fast_append`).

A book read from the index goes stale if someone else writes the log while the change is
planned: commit then raises :class:`Stale`, and the operation may plan again with
``tx.book``, which is from then on the log as parsed afresh.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, NamedTuple

from chrono.core.errors import WriteError
from chrono.core.model import Chronology
from chrono.storage import files, store, writer
from chrono.storage.appended import Appended, plan_appended
from chrono.storage.book import Book, IndexBook, open_index
from chrono.storage.edits import Append, Edit, plan, shifted, verify
from chrono.storage.fingerprint import (
    Fingerprint,
    Hashing,
    sha1_hex,
)
from chrono.storage.indexing import CacheSettings


class Committed(NamedTuple):
    """What a commit wrote (or with ``dry_run`` would write), and the log it leaves.

    ``chronology`` holds at least every new or replaced event (after an append through the
    index, only those, with the log's settings and registry). ``text`` is empty after a
    large append (:mod:`chrono.storage.appended`) was written: its tables are in the log.
    """

    text: str
    chronology: Chronology
    before: bytes = b""  # the whole log before and after the change, when it was planned
    after: bytes = b""  # on the parsed file (empty through the index, but for a dry run)
    removed: tuple[str, ...] = ()  # through the index: the text of each table removed


WRITES = 20  # writes a transaction tries while other programs keep writing the log


class Written(NamedTuple):
    """A change written: the log's stat after it, and, when it went after comment lines
    appended meanwhile (``again``), how many lines further down than planned it is."""

    stat: os.stat_result
    shift: int
    again: bool


class Stale(WriteError):
    """The log changed while a change was planned or written, and nothing was written: plan
    again with ``tx.book``, the log as it now is."""


class Replaced(Stale):
    """The path was renamed over while the change was written (an editor saved its copy):
    the change went to the file it used to name, and was taken back from it."""


@contextlib.contextmanager
def begin(
    path: Path, cache: CacheSettings, *, hashing: Hashing | None = None
) -> Iterator[Transaction]:
    """Lock the log for a change (after checking it is a regular file); see the module doc.

    ``hashing``, a hash of the log already under way, lets the index be checked sooner; it
    is always cancelled by the time the book is read or the transaction ends.
    """
    from chrono.storage import journal, locking  # noqa: PLC0415 - only writers need them

    shown = str(path)
    try:
        real = store.check_appendable(path)
        with locking.writer_lock(real, shown):
            note = journal.recover(real, shown)
            yield Transaction(path, real, cache, hashing, note)
    finally:
        if hashing is not None:
            hashing.cancel()  # no thread outlives the change (a rebuild may fork)


class Transaction:
    """A change to one log under its writer lock: read :attr:`book`, then :meth:`commit`."""

    def __init__(
        self,
        path: Path,
        real: Path,
        cache: CacheSettings,
        hashing: Hashing | None,
        note: str | None,
    ) -> None:
        self.path = path
        self.real = real
        self.shown = str(path)
        self.cache = cache
        self.note = note  # what recovering from a crash did, for the user; else None
        self._hashing = hashing
        self._book: Book | None = None
        self._loaded: store.Loaded | None = None
        self._data = b""
        self._read_as: tuple[int, int, int, int] | None = None
        self._index_tried = False
        self.writes_left = WRITES  # other programs writing the log meanwhile cost one each

    @property
    def book(self) -> Book:
        """The log, from the index when it is valid for these exact bytes, else parsed."""
        if self._book is None:
            self._book = self._index_book() or self._parse().chronology
        return self._book

    def _index_book(self) -> IndexBook | None:
        hashing, self._hashing = self._hashing, None
        if not self.cache.enabled or self._index_tried:
            if hashing is not None:
                hashing.cancel()
            return None
        self._index_tried = True
        hashing = hashing or Hashing(self.real, keep=True)  # a change reads it all anyway
        try:
            return open_index(self.path, self.real, self.cache.folder, hashing)
        finally:
            hashing.cancel()

    def _parse(self) -> store.Loaded:
        """Read and parse the log (once); a broken log raises :class:`LogError`."""
        if self._loaded is None:
            self._read_as = store.stat_of(self.real, self.shown)
            self._data = store.read_bytes(self.real, self.shown)
            text = files.decode(self._data, self.shown)
            self._loaded = store.load_text(self.path, text)
        return self._loaded

    def document(self) -> dict[str, Any]:
        """The log parsed as TOML (parsing it, once, if the book came from the index)."""
        return self._parse().doc

    def commit(self, edits: Sequence[Edit], *, dry_run: bool = False) -> Committed:
        """Write ``edits`` as one change, or raise with nothing written (see the module doc)."""
        book = self.book
        doing = "adding" if all(isinstance(e, Append) for e in edits) else "writing"
        if isinstance(book, IndexBook):
            fast = _fast_append(self, book, edits, dry_run) or self._fast_change(
                book, edits, dry_run
            )
            if fast is not None:
                return fast
        loaded = self._parse()
        if isinstance(book, IndexBook) and self._read_as != book.hashed.identity:
            raise self.changed(Stale, doing)  # planned on bytes that are no longer the log's
        quick = plan_appended(self._data, loaded, edits, self.shown)
        if quick is not None:
            return self._append_read_back(quick, edits, dry_run)
        done = plan(self._data, loaded.doc, loaded.positions, edits, self.shown)
        after, appendable = verify(self.path, done, loaded, edits)
        result = Committed(done.text, after, self._data, done.data)
        if dry_run:
            return result
        offset, data = done.offset, self._data
        assert self._read_as is not None
        retext = None
        if done.appends_only:  # the same tables, after whatever end the log has by then
            retext = lambda tail: writer.to_append(data, tail, done.text).encode()  # noqa: E731
        written = self.write(
            offset, done.data[offset:], data[offset:], planned=self._read_as,
            before=sha1_hex([data[:offset]]), retext=retext,
        )  # fmt: skip
        if written.again:  # after other programs' comments: the index is rebuilt later
            result = result._replace(chronology=shifted(after, edits, written.shift))
        else:
            self._reindex([done.data], after, appendable)
        self.reread()
        return result

    def _append_read_back(self, quick: Appended, edits: Sequence[Edit], dry_run: bool) -> Committed:
        """Write an append read back in slices (:mod:`chrono.storage.appended`); the tables'
        text is given back for a dry run only (written, it is in the log)."""
        data, added, after = self._data, quick.added, quick.chronology
        if dry_run:
            return Committed(quick.text, after, data, data + added)
        assert self._read_as is not None
        written = self.write(
            len(data), added, planned=self._read_as, before=sha1_hex([data]),
            retext=lambda tail: writer.to_append(data, tail, quick.text).encode(),
        )  # fmt: skip
        if written.again:  # after other programs' comments: the index is rebuilt later
            self.reread()
            return Committed("", shifted(after, edits, written.shift))
        self._reindex([data, added], after, True)
        self.reread()
        return Committed("", after)

    def _fast_change(
        self, book: IndexBook, edits: Sequence[Edit], dry_run: bool
    ) -> Committed | None:
        """Change or remove events on the indexed bytes (:mod:`chrono.storage.fastchange`)."""
        from chrono.storage.fastchange import NotIndexed, plan_fast, reindex  # noqa: PLC0415

        try:
            planned = plan_fast(book, self.real, self.shown, edits)
        except NotIndexed:
            raise self.changed(Stale, "writing") from None
        if planned is None:
            return None
        text, chronology, base, data, offset, tail, *_, removed = planned
        if dry_run:  # the whole file before and after, for the diff (read under the lock)
            whole = store.read_bytes(self.real, self.shown)
            return Committed(text, chronology, whole, whole[:offset] + tail, removed)
        written = self.write(offset, tail, data[offset - base :], planned=book.hashed.identity,
                             before=planned.head.hexdigest())  # fmt: skip
        self.reread()
        reindex(self.path, self.cache, book, planned, written.stat)
        return Committed(text, chronology, removed=removed)

    def write(
        self,
        offset: int,
        new: bytes | bytearray,
        old: bytes = b"",
        *,
        planned: tuple[int, int, int, int],
        before: str,
        retext: Callable[[bytes], bytes] | None = None,
    ) -> Written:
        """Write the change through the journal (:mod:`chrono.storage.inplace`).

        When the log grew meanwhile by whole comment or blank lines only, an append
        (``retext`` gives its bytes after a given end of the log) is written after them at
        once (:mod:`chrono.storage.appending`); any other change meanwhile raises
        :class:`Stale` (:class:`Replaced`), the next book the log read afresh. A
        transaction tries :data:`WRITES` writes at most.
        """
        from chrono.storage import appending, inplace  # noqa: PLC0415

        start, first, extra, written = offset, before, 0, new  # ``new`` as first planned
        while self.writes_left > 0:
            self.writes_left -= 1
            try:
                st = inplace.write_change(
                    self.real, offset, old, new, self.shown, planned=planned, before=before
                )
            except inplace.Changed as exc:
                grown = None
                if retext is not None and not isinstance(exc, inplace.Replaced):
                    grown = appending.grown_by_comments(self.real, start, first)
                if grown is None:
                    self.reread()
                    raise (Replaced if isinstance(exc, inplace.Replaced) else Stale)(
                        str(exc)
                    ) from None
                assert retext is not None
                offset, new = len(grown.data), retext(grown.data[-4:])
                planned, before = grown.identity, grown.sha1
                extra = grown.data.count(b"\n", start)  # the lines appended meanwhile
                continue
            if offset == start:  # where it was planned: no line moved
                return Written(st, 0, False)
            return Written(st, extra + new.count(b"\n") - written.count(b"\n"), True)
        self.reread()
        raise WriteError(f"{self.shown}: the file changed while adding; nothing written")

    def reread(self) -> None:
        """After a write, a further :attr:`book` is the log as it now is, parsed afresh."""
        self._book = None
        self._loaded = None
        self._index_tried = True

    def changed(self, kind: type[WriteError], doing: str = "adding") -> WriteError:
        """The error for a log written to meanwhile; the next :attr:`book` reads it afresh."""
        self.reread()
        return kind(f"{self.shown}: the file changed while {doing}; nothing written")

    def _reindex(
        self, chunks: Sequence[bytes | bytearray], chronology: Chronology, appendable: bool
    ) -> None:
        """Index the log just written (its bytes, ``chunks`` joined), so that the next
        query is warm (never fails)."""
        from chrono.storage.indexing import build_soon  # noqa: PLC0415

        if not self.cache.enabled:
            return
        with contextlib.suppress(Exception):  # the index is an optimisation
            newlines = sum(c.count(b"\n") for c in chunks) if appendable else None
            st = self.real.stat()
            fp = Fingerprint(st.st_size, st.st_mtime_ns, st.st_ino, sha1_hex(chunks))
            build_soon(self.path, self.cache, fp, chronology, newlines)


# -- appending one event through the index ----------------------------------------


def _fast_append(
    tx: Transaction, book: IndexBook, edits: Sequence[Edit], dry_run: bool
) -> Committed | None:
    """Append one event through the index, without parsing the log (the log's bytes are the
    indexed ones, and every event was written as an ``[[events]]`` table, so an
    ``[[events]]`` table can follow them); the new table is parsed on its own and validated
    against the registry, and the index is updated in place. None when the careful path
    should take the change."""
    from chrono.storage.fastchange import plan_append  # noqa: PLC0415

    planned = plan_append(book, edits, tx.shown)
    if planned is None:
        return None
    text, added, event = planned
    found, (fp, digest, head, _, read_as, _) = book.found, book.hashed
    chronology = found.chronology([event])
    if dry_run:
        return Committed(text, chronology)
    encoded = added.encode("utf-8")
    written = tx.write(
        fp.size, encoded, planned=read_as, before=fp.digest,
        retext=lambda tail: writer.to_append(head, tail, text).encode("utf-8"),
    )  # fmt: skip
    tx.reread()
    if written.again:  # after other programs' comments: the index is rebuilt later
        return Committed(text, shifted(chronology, edits, written.shift))
    from chrono.storage import index  # noqa: PLC0415

    with contextlib.suppress(Exception):  # a stale index is rebuilt on the next query
        digest.update(encoded)
        st = written.stat
        new_fp = Fingerprint(st.st_size, st.st_mtime_ns, st.st_ino, digest.hexdigest())
        index.append(tx.path, tx.cache.folder, fp, new_fp, chronology, event, added.count("\n"))
    return Committed(text, chronology)


__all__ = ["Append", "Book", "Committed", "Replaced", "Stale", "Transaction", "begin"]
