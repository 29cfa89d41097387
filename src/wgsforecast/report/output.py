"""Put a report's files into the output folder, and remove what an earlier report left.

The report writes a manifest (:data:`MANIFEST`) of the files it wrote with their SHA-256.
A later run that writes fewer files (``--engine runrate`` has no fan chart, no evidence
table; no ``--scenarios``, no scenario table) removes the files the earlier run listed and
this run did not write, so ``out/`` never mixes two runs. Files the report did not write,
or which were changed after it wrote them, are never touched.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Mapping
from pathlib import Path, PurePosixPath

from wgsforecast.io import atomic_write_text, file_sha256

MANIFEST = "report-manifest.json"
"""File in the output folder listing the report's files (relative POSIX paths) and hashes."""

Log = Callable[[str], None]


def read_manifest(folder: Path, log: Log) -> dict[str, str]:
    """The files (relative path -> SHA-256) an earlier report wrote into ``folder``.

    A missing or unreadable manifest gives ``{}``: then nothing is removed, because it is
    not known which files the report made.
    """
    path = folder / MANIFEST
    if not path.is_file():
        return {}
    try:
        files = json.loads(path.read_text(encoding="utf-8"))["files"]
    except (OSError, ValueError, KeyError, TypeError) as error:
        log(f"{path} is not a readable report manifest ({error}); no old files removed")
        return {}
    if not isinstance(files, dict):
        return {}
    return {str(k): str(v) for k, v in files.items() if _safe(str(k))}


def _safe(relative: str) -> bool:
    # Only plain relative paths inside the folder: a tampered manifest must not reach out.
    parts = PurePosixPath(relative).parts
    return bool(parts) and not PurePosixPath(relative).is_absolute() and ".." not in parts


def _write_manifest(folder: Path, files: Mapping[str, str]) -> None:
    text = json.dumps({"files": dict(sorted(files.items()))}, indent=1, ensure_ascii=False)
    atomic_write_text(folder / MANIFEST, text + "\n")


def install(staging: Path, folder: Path, log: Log) -> tuple[Path, ...]:
    """Move every file of ``staging`` into ``folder`` and remove stale earlier outputs.

    Each file is moved with :func:`os.replace`, so it is replaced atomically. Before the
    first move the manifest lists the old and the new files, so a crash part-way still
    leaves every report file listed for the next run to clean up.

    Returns
    -------
    tuple of pathlib.Path
        The files now in ``folder`` from this run, sorted.
    """
    old = read_manifest(folder, log)
    new = {
        part.relative_to(staging).as_posix(): file_sha256(part)
        for part in sorted(p for p in staging.rglob("*") if p.is_file())
    }
    _write_manifest(folder, {**old, **new})
    written = []
    for relative in new:
        part, target = staging / relative, folder / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        os.chmod(part, 0o644)
        os.replace(part, target)
        written.append(target)
    for relative, digest in old.items():
        if relative not in new:
            _remove_stale(folder, relative, digest, log)
    _write_manifest(folder, new)
    return tuple(written)


def _remove_stale(folder: Path, relative: str, digest: str, log: Log) -> None:
    path = folder / relative
    if not path.is_file():
        return
    if file_sha256(path) != digest:
        log(f"left {path}: changed since an earlier report wrote it")
        return
    path.unlink()
    log(f"removed {path}: not produced by this run")
    parent = path.parent
    # Remove folders the report made (figures/) once they are empty; never ``folder``.
    while parent != folder and parent.is_relative_to(folder) and not any(parent.iterdir()):
        parent.rmdir()
        parent = parent.parent
