"""Whose the cache is: a folder and an index file are used only when they are the user's own.

An index answers for the log, so one planted by someone else could make chrono show
events the log does not hold. As OpenSSH does for ``~/.ssh``, the cache folder must be
owned by the user and writable by no one else, and an index file must be a regular
file (never followed through a symlink: it is opened with ``O_NOFOLLOW``), owned by the
user and readable or writable by no one else (0600). What is not is never read, and
:class:`Untrusted` says why, for the command line to tell the user once. A file that
is merely damaged or missing is no matter of trust: it is rebuilt without a word.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path


class Untrusted(Exception):
    """The cache folder or an index in it may have been written by someone else."""


class UntrustedFolder(Untrusted):
    """The cache folder may be written by someone else: nothing is read or built in it."""


def _whose(st: os.stat_result, what: str, kind: type[Untrusted] = Untrusted) -> None:
    if st.st_uid != os.getuid():
        raise kind(f"{what} is owned by another user (uid {st.st_uid})")


def check_folder(folder: Path) -> bool:
    """Whether the cache folder exists (False: nothing to read); :class:`Untrusted` if it is
    not the user's own, or if others may write to it."""
    try:
        st = os.stat(folder)
    except OSError:
        return False
    if not stat.S_ISDIR(st.st_mode):
        return False
    _whose(st, f"the cache folder {folder}", UntrustedFolder)
    if st.st_mode & 0o022:
        raise UntrustedFolder(
            f"the cache folder {folder} is writable by others (mode {stat.S_IMODE(st.st_mode):04o})"
        )
    return True


def open_private(target: Path) -> os.stat_result | None:
    """The stat of the index file, checked through a descriptor opened without following a
    symlink; None when there is none, or something that is not a file stands there;
    :class:`Untrusted` when it is a symlink, someone else's, or readable by others."""
    try:
        fd = os.open(target, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except FileNotFoundError:
        return None
    except OSError:
        if os.path.islink(target):
            raise Untrusted(f"the index {target} is a symbolic link") from None
        return None  # a directory, or what cannot be opened: damage, rebuilt if it can be
    try:
        st = os.fstat(fd)
    finally:
        os.close(fd)
    if not stat.S_ISREG(st.st_mode):
        return None
    _whose(st, f"the index {target}")
    if st.st_mode & 0o077:
        raise Untrusted(
            f"the index {target} is open to others (mode {stat.S_IMODE(st.st_mode):04o})"
        )
    return st


def same_file(target: Path, st: os.stat_result) -> bool:
    """Whether ``target`` is still the very file ``st`` describes (not replaced since)."""
    try:
        now = os.lstat(target)
    except OSError:
        return False
    return (now.st_dev, now.st_ino) == (st.st_dev, st.st_ino)
