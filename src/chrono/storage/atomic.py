"""Writing whole files atomically: a temporary file moved over the old one (exports, init).

The log itself is never rewritten this way by ``add`` (see :mod:`chrono.storage.journal`).
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from chrono.core.errors import WriteError
from chrono.storage.locking import fsync_dir


def write_atomic(
    real: Path, data: bytes | tuple[bytes, ...], shown: str, *, create: bool = False
) -> None:
    """Replace (or with ``create``, create) ``real`` with ``data``, atomically.

    A temporary file in the same directory is written and fsynced, given the original
    file's mode, moved over the original with ``os.replace``, and the directory is
    fsynced. On any failure, including an interrupt, the original is untouched and
    the temporary file is removed.
    """
    import stat  # noqa: PLC0415
    import tempfile  # noqa: PLC0415

    if create:
        mode = 0o666 & ~_umask()
    else:
        try:
            st = real.stat()
        except OSError as exc:
            raise WriteError(f"{shown}: {exc.strerror or exc}; nothing written") from None
        if not st.st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH):
            raise WriteError(f"{shown}: the file is read-only; nothing written")
        mode = stat.S_IMODE(st.st_mode)
    tmp: str | None = None
    try:
        fd, tmp = tempfile.mkstemp(dir=real.parent, prefix=f".{real.name}.", suffix=".tmp")
        with os.fdopen(fd, "wb") as handle:
            for part in (data,) if isinstance(data, bytes) else data:
                handle.write(part)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)  # noqa: PTH101 - os calls on a path string are the point here
        if create:
            os.link(tmp, real)  # fails if the file appeared meanwhile: never overwrite
            os.unlink(tmp)  # noqa: PTH108
        else:
            os.replace(tmp, real)  # noqa: PTH105
        tmp = None
        fsync_dir(real.parent)
    except FileExistsError:
        raise WriteError(f"{shown}: already exists; not overwritten") from None
    except OSError as exc:
        reason = exc.strerror or str(exc)
        outcome = "nothing written" if create else "the file is unchanged"  # none there yet
        raise WriteError(f"{shown}: cannot write: {reason}; {outcome}") from None
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)  # noqa: PTH108


def write_file(path: Path, data: bytes) -> None:
    """Write an output file atomically: replace it if it exists, else create it.

    A pipe, a device or another special file (``/dev/stdout``) is written into instead:
    replacing it by a regular file would break what the user pointed chrono at.
    """
    import stat  # noqa: PLC0415

    try:
        mode = path.stat().st_mode  # through /dev/stdout or /dev/fd/N to what it names
    except OSError:
        mode = None
    descriptor = str(path.absolute()).startswith(_DESCRIPTORS)
    if descriptor or (mode is not None and not stat.S_ISREG(mode) and not stat.S_ISDIR(mode)):
        # Appending, not truncating: `-o /dev/stdout >> report.md` adds to the report.
        flags = os.O_WRONLY | (os.O_APPEND if descriptor else 0)
        try:
            fd = os.open(path, flags)
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
        except OSError as exc:
            raise WriteError(f"{path}: cannot write: {exc.strerror or exc}") from None
        return
    real = Path(os.path.realpath(path))  # a loop of links: the write says ELOOP
    write_atomic(real, data, str(path), create=mode is None)


# Paths that name an open descriptor of the process (a shell's `>(...)`, `/dev/stdout`):
# written into, whatever they lead to.
_DESCRIPTORS = ("/dev/stdin", "/dev/stdout", "/dev/stderr", "/dev/fd/", "/proc/")


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
