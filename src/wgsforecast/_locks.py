"""Advisory folder locks, so two wgsforecast runs never write into one folder at once.

A lock is an exclusive OS lock (``flock`` on POSIX, ``msvcrt.locking`` on Windows) on a small
file in the folder. The operating system releases it when the process ends, however it
ends, so a killed run never leaves a stale lock behind; the file itself may stay and is
harmless. Locks are re-entrant within a process: a function that holds the lock of a folder
can call another that takes it again.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from wgsforecast.exceptions import BusyError

_HELD: set[str] = set()


def _try_lock(fd: int) -> bool:
    if sys.platform == "win32":
        import msvcrt

        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


def _unlock(fd: int) -> None:
    if sys.platform == "win32":
        import msvcrt

        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
        return
    import fcntl

    fcntl.flock(fd, fcntl.LOCK_UN)


def _holder(fd: int) -> str:
    """What the lock file says about the process holding it (best effort)."""
    try:
        os.lseek(fd, 0, os.SEEK_SET)
        text = os.read(fd, 200).decode("utf-8", "replace").strip()
    except OSError:
        return "another process"
    return text or "another process"


@contextmanager
def folder_lock(lock_file: Path, busy: str, *, wait: float = 0.0) -> Iterator[None]:
    """Hold an exclusive lock on ``lock_file`` (created if needed) for the ``with`` block.

    Parameters
    ----------
    lock_file
        The lock file; its folder must exist. A symbolic link there is not followed.
    busy
        The message of the :class:`~wgsforecast.exceptions.BusyError` raised when another
        process holds the lock; ``{holder}`` is replaced by what the lock file says of it.
    wait
        Seconds to wait for the lock before giving up (0: fail at once).

    Raises
    ------
    BusyError
        If another process holds the lock (after ``wait`` seconds).
    """
    key = os.path.normcase(os.path.abspath(lock_file))
    if key in _HELD:
        yield
        return
    flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(lock_file, flags, 0o666)
    except OSError as error:
        raise BusyError(
            f"cannot lock {lock_file.parent}: {lock_file} cannot be opened ({error.strerror}); "
            "it must be a plain file the user running wgsforecast may write"
        ) from error
    try:
        deadline = time.monotonic() + wait
        while not _try_lock(fd):
            if time.monotonic() >= deadline:
                raise BusyError(busy.format(holder=_holder(fd)))
            time.sleep(0.1)
        os.ftruncate(fd, 0)
        os.lseek(fd, 0, os.SEEK_SET)
        os.write(fd, f"process {os.getpid()}\n".encode())
        _HELD.add(key)
        try:
            yield
        finally:
            _HELD.discard(key)
            _unlock(fd)
    finally:
        os.close(fd)
