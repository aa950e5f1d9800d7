"""An append written again, at once, after comment lines another program appended meanwhile.

``echo '# note' >> events.toml`` while ``chrono add`` writes: the append, planned on the
log without the note, is taken back (:mod:`chrono.storage.inplace`). Planning it again
parses the whole log again, and a script appending every few milliseconds to a large log
would win that race every time. Comment and blank lines after a whole TOML document
change nothing it means, so when the log only grew, by whole lines of them, the same
tables are written after them (with the separator their end asks for), without a new plan.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import NamedTuple

from chrono.storage.fingerprint import identity

_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")  # what a TOML comment cannot hold


class Grown(NamedTuple):
    """The log as it now is: its bytes, their identity and their SHA-1."""

    data: bytes
    identity: tuple[int, int, int, int]
    sha1: str


def grown_by_comments(real: Path, offset: int, before: str) -> Grown | None:
    """The log, if it is the ``offset`` bytes planned on (whose SHA-1 is ``before``) followed
    by whole comment or blank lines only; else None (the change must be planned again)."""
    import hashlib  # noqa: PLC0415

    try:
        with real.open("rb") as handle:
            data = handle.read()
            st = os.fstat(handle.fileno())
    except OSError:
        return None
    if len(data) != st.st_size:
        return None
    digest = hashlib.sha1(memoryview(data)[:offset], usedforsecurity=False)
    if digest.hexdigest() != before or not only_comments(data[offset:]):
        return None
    digest.update(memoryview(data)[offset:])
    return Grown(data, identity(st), digest.hexdigest())


def only_comments(added: bytes) -> bool:
    """Whether ``added`` is whole lines (LF or CRLF), each blank or a TOML comment."""
    try:
        text = added.decode("utf-8")
    except UnicodeDecodeError:
        return False
    if not text.endswith("\n"):
        return False  # a line still being written: what follows it is not known
    for raw in text[:-1].split("\n"):
        line = raw.removesuffix("\r")
        body = line.lstrip(" \t")
        if (body and not body.startswith("#")) or _CONTROL.search(line):
            return False
    return True
