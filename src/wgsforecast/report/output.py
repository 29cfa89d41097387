"""The report's output folder: what it may write there, and how it recovers from a kill.

Rules (see :func:`check_folder` and :func:`install`):

* The report writes only into a folder that is empty, or that holds an earlier report
  (its manifest, :data:`MANIFEST`, lists the files that report wrote with their SHA-256).
  Other wgsforecast commands' default sub-folders (:data:`OTHER_OUTPUTS`) do not count.
* It never replaces a file the manifest does not own: a file it is about to write must be
  absent, or listed and unchanged since the earlier report wrote it. Otherwise it refuses
  before writing anything and names the files.
* Files an earlier report listed and this one does not write (``--engine runrate`` has no
  fan chart; no ``--scenarios``, no scenario table) are removed when unchanged, so the
  folder never mixes two runs. Nothing is removed through a symbolic link.
* Installing is recoverable: a journal (:data:`JOURNAL`) lists the new files before the
  first one is moved in, the manifest is written last, and the journal is then removed. A
  run killed part-way leaves the journal (and maybe a staging folder); the next run treats
  the journal's files as the report's own and cleans the staging folder.
* A lock (:data:`LOCK`) refuses a second run into the same folder while one is running.
"""

from __future__ import annotations

import json
import os
import stat
import sys
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from pydantic import BaseModel, ConfigDict, ValidationError

from wgsforecast._locks import folder_lock
from wgsforecast._staging import remove_staging
from wgsforecast._validation import field_problems
from wgsforecast.exceptions import OutputFolderError
from wgsforecast.io import atomic_write_text, file_sha256
from wgsforecast.periods import Lang
from wgsforecast.report import messages

MANIFEST = "report-manifest.json"
"""File in the output folder listing the report's files (relative POSIX paths) and hashes."""
JOURNAL = ".report-install.json"
"""The files a report is installing; present only while installing, or after a kill."""
LOCK = ".report.lock"
"""Lock file held while a report runs into the folder."""
STAGING_PREFIX, STAGING_SUFFIX = ".report-", ".part"
"""Name of a staging folder: ``.report-XXXX.part``."""
OTHER_OUTPUTS = frozenset({"scenarios", "backtest", "vintage-scores"})
"""Default output sub-folders of the other commands, allowed beside a report."""
_IGNORED = frozenset({".DS_Store", "Thumbs.db", "desktop.ini", LOCK, JOURNAL})
_SHOWN = 8

Log = Callable[[str], None]


def stderr_log(message: str) -> None:
    """Write a progress line to standard error (the report's default log)."""
    print(message, file=sys.stderr, flush=True)


@dataclass
class Ownership:
    """The files earlier reports wrote into a folder: relative path -> accepted SHA-256s."""

    files: dict[str, set[str]] = field(default_factory=dict)
    is_report: bool = False
    problem: str | None = None

    def add(self, files: Mapping[str, object]) -> None:
        """Accept the hashes of ``files`` (a hash or a list of hashes per path)."""
        for relative, digests in files.items():
            values = digests if isinstance(digests, list) else [digests]
            if _safe(str(relative)):
                self.files.setdefault(str(relative), set()).update(str(d) for d in values)

    def owns(self, folder: Path, relative: str) -> bool:
        """True when ``folder/relative`` is absent, or a plain file an earlier report wrote."""
        path = folder / relative
        if not os.path.lexists(path):
            return True
        if _link_on_the_way(folder, relative) is not None or not _is_plain_file(path):
            return False
        return file_sha256(path) in self.files.get(relative, set())


def _safe(relative: str) -> bool:
    # Only plain relative paths inside the folder: a tampered manifest must not reach out.
    path = PurePosixPath(relative)
    return bool(path.parts) and not path.is_absolute() and ".." not in path.parts


def _is_plain_file(path: Path) -> bool:
    try:
        return stat.S_ISREG(os.lstat(path).st_mode)
    except OSError:
        return False


def _link_on_the_way(folder: Path, relative: str) -> Path | None:
    """The first symbolic link among the folders between ``folder`` and the file, if any."""
    current = folder
    for part in PurePosixPath(relative).parts[:-1]:
        current = current / part
        if current.is_symlink():
            return current
    return None


class FileListing(BaseModel):
    """The JSON of :data:`MANIFEST` and :data:`JOURNAL`: ``{"files": {path: hash}}``.

    ``files`` maps each relative POSIX path to its SHA-256 (the manifest) or to every
    SHA-256 accepted for it (the journal). Other top-level keys are ignored, so a listing
    with more keys (a later version's) still reads; entries reaching outside the folder are
    dropped by :meth:`Ownership.add`, not here.
    """

    model_config = ConfigDict(frozen=True, extra="ignore")

    files: dict[str, str | list[str]]

    @classmethod
    def read(cls, path: Path) -> FileListing:
        """Read and check a listing.

        Raises
        ------
        ValueError
            If the file is not JSON of that shape; the message names what is wrong.
        """
        try:
            return cls.model_validate_json(path.read_bytes())
        except ValidationError as error:
            raise ValueError(_validation_text(error)) from None

    def write(self, path: Path) -> None:
        """Write the listing atomically, paths sorted, one entry a line."""
        listing = {"files": dict(sorted(self.files.items()))}
        atomic_write_text(path, json.dumps(listing, indent=1, ensure_ascii=False) + "\n")


def _validation_text(error: ValidationError) -> str:
    """Pydantic's errors in one line: ``files.summary.md: Input should be ...; ...``."""
    return "; ".join(f"{p.where or 'the top level'}: {p.message}" for p in field_problems(error))


def read_ownership(folder: Path) -> Ownership:
    """What the manifest and an interrupted run's journal say the report owns in ``folder``."""
    ownership = Ownership()
    for name in (MANIFEST, JOURNAL):
        path = folder / name
        if not os.path.lexists(path):
            continue
        if not _is_plain_file(path):
            ownership.problem = f"{path} is not a plain file"
            continue
        try:
            ownership.add(FileListing.read(path).files)
        except (OSError, ValueError) as error:
            ownership.problem = f"{path} is not a readable report manifest ({error})"
            continue
        ownership.is_report = True
    return ownership


def _is_staging(name: str) -> bool:
    return name.startswith(STAGING_PREFIX) and name.endswith(STAGING_SUFFIX)


def _foreign(folder: Path) -> list[str]:
    """Entries of a folder without a report that make it not empty for the report."""
    names = []
    for entry in sorted(os.scandir(folder), key=lambda e: e.name):
        if entry.name in _IGNORED or _is_staging(entry.name):
            continue
        if entry.name in OTHER_OUTPUTS and entry.is_dir(follow_symlinks=False):
            continue
        names.append(entry.name + ("/" if entry.is_dir(follow_symlinks=False) else ""))
    return names


def _listing(names: list[str]) -> str:
    shown = ", ".join(names[:_SHOWN])
    return shown + (f" and {len(names) - _SHOWN} more" if len(names) > _SHOWN else "")


def check_folder(folder: Path) -> None:
    """Refuse an output folder the report must not write into; write nothing.

    Raises
    ------
    OutputFolderError
        If ``folder`` is a file, or a folder holding files that are not from an earlier
        report (no readable :data:`MANIFEST`).
    """
    if os.path.lexists(folder) and not folder.is_dir():
        raise OutputFolderError(
            f"the output folder {folder} is a file, not a folder; name a folder with --out "
            "(it is created when missing)"
        )
    if not folder.is_dir():
        return
    ownership = read_ownership(folder)
    if ownership.is_report:
        return
    foreign = _foreign(folder)
    if foreign:
        why = ownership.problem or f"there is no {MANIFEST}"
        raise OutputFolderError(
            f"the output folder {folder} holds files that no earlier report wrote "
            f"({_listing(foreign)}; {why}); the report writes only into an empty folder or "
            "one an earlier report wrote, so nothing of yours is replaced - choose another "
            f"--out (for example {folder / 'report'}) or move those files away"
        )


@contextmanager
def locked(folder: Path) -> Iterator[None]:
    """Hold the folder's report lock (the folder must exist); re-entrant in a process.

    Raises
    ------
    BusyError
        If another report is being written into ``folder``.
    """
    busy = (
        f"another report is being written into {folder} ({{holder}}); wait for it to finish, "
        "or choose another --out"
    )
    with folder_lock(folder / LOCK, busy):
        yield


def clean_staging(folder: Path, log: Log, lang: Lang = "en") -> None:
    """Remove staging folders that killed runs left in ``folder`` (hold the lock first)."""
    for path in remove_staging(folder, _is_staging):
        log(messages.REMOVED_INTERRUPTED(lang, path=path))


def _refuse_conflicts(folder: Path, ownership: Ownership, new: Mapping[str, str]) -> None:
    problems = []
    for relative in new:
        link = _link_on_the_way(folder, relative)
        if link is not None:
            problems.append(f"{relative} (reached through the link {link.name})")
        elif not ownership.owns(folder, relative):
            why = "changed since" if relative in ownership.files else "not written by"
            problems.append(f"{relative} ({why} an earlier report)")
    if problems:
        raise OutputFolderError(
            f"the report would replace files in {folder} that are not its own: "
            f"{_listing(problems)}; nothing was written - move those files away or choose "
            "another --out"
        )


def install(staging: Path, folder: Path, log: Log, lang: Lang = "en") -> tuple[Path, ...]:
    """Move every file of ``staging`` into ``folder`` and remove stale earlier outputs.

    Hold :func:`locked` first. Each file is moved with :func:`os.replace`, so it is
    replaced atomically; the journal lists the new files before the first move and the
    manifest is written after the last, so a kill part-way leaves a folder the next run
    recognises and completes.

    Returns
    -------
    tuple of pathlib.Path
        The files now in ``folder`` from this run, sorted.

    Raises
    ------
    OutputFolderError
        If a file to be written exists and is not the report's own (nothing is written).
    """
    ownership = read_ownership(folder)
    new = {
        part.relative_to(staging).as_posix(): file_sha256(part)
        for part in sorted(p for p in staging.rglob("*") if p.is_file())
    }
    _refuse_conflicts(folder, ownership, new)
    journal: dict[str, set[str]] = {k: set(v) for k, v in ownership.files.items()}
    for relative, digest in new.items():
        journal.setdefault(relative, set()).add(digest)
    FileListing(files={k: sorted(v) for k, v in journal.items()}).write(folder / JOURNAL)
    written = []
    for relative in new:
        part, target = staging / relative, folder / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        os.chmod(part, 0o644)
        os.replace(part, target)
        written.append(target)
    for relative in sorted(set(ownership.files) - set(new)):
        _remove_stale(folder, relative, ownership, log, lang)
    FileListing(files=dict(new)).write(folder / MANIFEST)
    (folder / JOURNAL).unlink()
    return tuple(written)


def _remove_stale(folder: Path, relative: str, ownership: Ownership, log: Log, lang: Lang) -> None:
    path = folder / relative
    if not os.path.lexists(path):
        return
    link = _link_on_the_way(folder, relative)
    if link is not None:
        log(messages.LEFT_SYMLINK(lang, path=path, link=link))
        return
    if not ownership.owns(folder, relative):
        log(messages.LEFT_CHANGED(lang, path=path))
        return
    path.unlink()
    log(messages.REMOVED_STALE(lang, path=path))
    parent = path.parent
    # Remove folders the report made (figures/) once they are empty; never ``folder``.
    while parent != folder and not parent.is_symlink() and not any(parent.iterdir()):
        parent.rmdir()
        parent = parent.parent
