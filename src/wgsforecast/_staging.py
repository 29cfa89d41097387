"""Staging folders: a new folder is built under a hidden name and renamed into place.

Readers never see half a folder, and a failed build leaves nothing behind. A build killed
before its rename leaves its staging folder, which the next writer removes (holding the
folder's lock) with :func:`remove_staging`. Vintages and the report use both.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from wgsforecast.io import _umask

STAGING_SUFFIX = ".part"


@contextmanager
def staged_folder(
    parent: Path, prefix: str, files: Mapping[str, bytes], *, file_mode: int = 0o444
) -> Iterator[Path]:
    """Yield a new staging folder ``parent/<prefix>XXXX.part`` holding ``files``.

    Rename it into place inside the ``with`` block; if the block (or writing) fails, the
    staging folder is removed and the error passes on.
    """
    staging = Path(tempfile.mkdtemp(dir=parent, prefix=prefix, suffix=STAGING_SUFFIX))
    try:
        staging.chmod(0o777 & ~_umask())  # mkdtemp makes it private; the result is shared
        for file, data in files.items():
            path = staging / file
            path.write_bytes(data)
            path.chmod(file_mode)
        yield staging
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def remove_staging(folder: Path, is_staging: Callable[[str], bool]) -> list[Path]:
    """Remove the entries of ``folder`` whose names pass ``is_staging``; return them.

    A link or file is unlinked, never followed; a folder is removed with its contents (its
    files made writable first, as vintage files are read-only).
    """
    removed = []
    for entry in os.scandir(folder):
        if not is_staging(entry.name):
            continue
        path = Path(entry.path)
        if entry.is_symlink() or not entry.is_dir(follow_symlinks=False):
            path.unlink()
        else:
            for child in path.iterdir():
                if not child.is_symlink():
                    child.chmod(0o644)
            shutil.rmtree(path)  # does not follow links inside
        removed.append(path)
    return removed
