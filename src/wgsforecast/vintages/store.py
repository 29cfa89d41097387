"""The vintage store: saving, reading and checking vintages, the ledger and its lock.

The store is a folder the user owns (``vintages/`` in the working folder by default,
``WGSFORECAST_VINTAGES`` or a ``root`` argument names another). Its ``ledger.json`` lists
every vintage saved there with the SHA-256 of its manifest, so a vintage that is changed,
deleted or renamed is detected. The vintages shipped with the package are read from
:func:`bundled_root` and checked against content hashes fixed here.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import time
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from wgsforecast._locks import folder_lock
from wgsforecast._staging import STAGING_SUFFIX, remove_staging, staged_folder
from wgsforecast._version import package_version
from wgsforecast.csv_export import exact_float_reading
from wgsforecast.exceptions import WgsForecastError
from wgsforecast.io import atomic_write_bytes, bundled_data_dir
from wgsforecast.vintages.files import prognosis_files
from wgsforecast.vintages.vintage import (
    MANIFEST,
    METADATA,
    RESTORE,
    VINTAGE_FORMAT,
    LedgerEntry,
    LedgerFile,
    PathLike,
    Vintage,
    VintageError,
    VintageExistsError,
    VintageManifest,
    VintageMetadata,
    content_hash,
    files_hash,
    read_record,
    sha256,
)

if TYPE_CHECKING:
    from wgsforecast.prognosis import Prognosis

LEDGER = "ledger.json"
"""The store's list of its vintages and their manifests' SHA-256."""
LOCK = ".vintages.lock"
PUBLISHED_NAME = "2023-03-published"
BUNDLED_CONTENT_HASHES = {
    PUBLISHED_NAME: "e594fc4a62f8b52be99db54c5ebfef3f08ed0f35b45e19fd3e26961d642294a6",
}
"""Content hashes of the vintages shipped with the package: a changed copy is refused."""
ENV_ROOT = "WGSFORECAST_VINTAGES"
SAVE_WAIT_SECONDS = 30.0
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,79}")
_REINDEX = "wgsforecast vintages --vintages {folder} reindex"

Ledger = dict[str, LedgerEntry]


# --------------------------------------------------------------------------- where


def default_root() -> Path:
    """Return the vintage store: ``WGSFORECAST_VINTAGES``, else ``vintages/`` here.

    The store is never inside the installed package; the vintages shipped with the package
    are in :func:`bundled_root` and are read from there.
    """
    override = os.environ.get(ENV_ROOT)
    return Path(override) if override else Path.cwd() / "vintages"


def bundled_root() -> Path:
    """Return the folder of the vintages shipped with the package (read-only)."""
    return bundled_data_dir() / "vintages"


def _root(root: PathLike | None) -> Path:
    return default_root() if root is None else Path(root)


def _check_name(name: str) -> None:
    if not isinstance(name, str) or not _NAME.fullmatch(name):
        raise VintageError(
            f"vintage name {name!r} is not usable as a folder name; use 1 to 80 letters, "
            "digits, '.', '_' and '-', starting with a letter or digit (no spaces, slashes "
            "or line breaks; for example 2023-06 or 2023-06-runrate)"
        )


def _check_not_bundled(name: str) -> None:
    if name in BUNDLED_CONTENT_HASHES:
        raise VintageExistsError(
            f"vintage name {name!r} is taken by the vintage shipped with wgsforecast; "
            "choose another name"
        )


def _is_bundled_root(folder: Path) -> bool:
    try:
        return folder.resolve() == bundled_root().resolve()
    except WgsForecastError:
        return False


def _refuse_existing(folder: Path, name: str) -> None:
    if os.path.lexists(folder / name):
        raise VintageExistsError(
            f"vintage {name!r} exists already in {folder}; vintages are never overwritten - "
            "choose another name (for example with a date or engine suffix)"
        )


def check_new_name(name: str, root: PathLike | None = None) -> None:
    """Check, before any work, that a vintage could be saved as ``name`` in ``root``.

    Raises
    ------
    VintageError
        If the name is not usable as a folder name, or the store cannot be trusted (a
        vintage was changed, deleted or renamed).
    VintageExistsError
        If a vintage of that name exists.
    """
    _check_name(name)
    _check_not_bundled(name)
    folder = _root(root)
    list_vintages(folder)
    _refuse_existing(folder, name)


# --------------------------------------------------------------------------- saving


def write_vintage(files: dict[str, bytes], name: str, root: PathLike | None) -> Path:
    """Save a vintage made of ``files`` (everything but the manifest) as ``root/name``.

    The store's lock is held while the store is checked, the content compared with every
    vintage there and the folder put in place; the shipped vintages' folder takes only the
    shipped names (maintainers remaking them) and has no ledger.
    """
    _check_name(name)
    folder = _root(root)
    target = folder / name
    hashes = {file: sha256(data) for file, data in files.items()}
    manifest = VintageManifest(
        name=name,
        created=dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
        wgsforecast_version=package_version(),
        format=VINTAGE_FORMAT,
        files=hashes,
        content_hash=content_hash(hashes),
    )
    manifest_bytes = manifest.to_json()
    all_files = {**files, MANIFEST: manifest_bytes}
    if _is_bundled_root(folder):
        if name not in BUNDLED_CONTENT_HASHES:
            raise VintageError(
                f"{folder} holds the vintages shipped with wgsforecast and is read-only; save "
                f"vintage {name!r} in a vintage store instead (--vintages DIR, or ./vintages)"
            )
        if os.path.lexists(target):
            raise VintageExistsError(f"vintage {name!r} exists already in {folder}")
        with staged_folder(folder, f".{name}.", all_files) as staging:
            os.rename(staging, target)
        return target
    _check_not_bundled(name)
    folder.mkdir(parents=True, exist_ok=True)
    busy = (
        f"the vintage store {folder} is locked by another save ({{holder}}) for over "
        f"{SAVE_WAIT_SECONDS:.0f} s; try again when it is done"
    )
    with folder_lock(folder / LOCK, busy, wait=SAVE_WAIT_SECONDS):
        _clean_staging(folder)
        existing = list_vintages(folder)  # a store that cannot be trusted is not added to
        _refuse_existing(folder, name)
        for vintage in existing:
            if vintage.content_hash == manifest.content_hash:
                raise VintageExistsError(
                    f"this prognosis is already saved as vintage {vintage.name!r} in "
                    f"{vintage.path.parent} (same content hash {manifest.content_hash[:12]}); "
                    "nothing was written"
                )
        # The ledger names the vintage (as pending) before the rename and for good after
        # it, so a kill in between leaves a store the next reader understands.
        entry = LedgerEntry(
            manifest_sha256=sha256(manifest_bytes),
            content_hash=manifest.content_hash,
            created=manifest.created,
        )
        ledger = _read_ledger(folder) or {}
        with staged_folder(folder, f".{name}.", all_files) as staging:
            _write_ledger(folder, {**ledger, name: entry.model_copy(update={"pending": True})})
            try:
                os.rename(staging, target)
            except OSError as error:
                _write_ledger(folder, ledger)
                raise VintageError(
                    f"could not save vintage {name!r} in {folder}: {error}"
                ) from error
            _write_ledger(folder, {**ledger, name: entry})
    return target


def _clean_staging(folder: Path) -> None:
    """Remove half-saved vintages a killed save left (hold the store's lock)."""
    remove_staging(folder, lambda name: name.startswith(".") and name.endswith(STAGING_SUFFIX))


def _read_ledger(folder: Path) -> Ledger | None:
    """The store's ledger (name -> entry), or ``None`` when there is none.

    Raises
    ------
    VintageError
        If the ledger cannot be read.
    """
    path = folder / LEDGER
    if not os.path.lexists(path):
        return None
    fix = (
        "restore it from version control or a backup, or rebuild it with "
        f"`{_REINDEX.format(folder=folder)}` once every vintage there is checked"
    )
    lead = f"the vintage store {folder} has no readable ledger"
    try:
        content = path.read_bytes()
    except OSError as error:
        raise VintageError(f"{lead}: {path} ({error}); {fix}") from error
    return read_record(LedgerFile, path, content, lead, fix).vintages


def _write_ledger(folder: Path, entries: Ledger) -> None:
    atomic_write_bytes(
        folder / LEDGER, LedgerFile(format=VINTAGE_FORMAT, vintages=entries).to_json()
    )


def reindex_vintages(root: PathLike | None = None) -> list[str]:
    """Rebuild the store's ledger from the vintage folders in it, after checking each one.

    For a store made before ledgers existed, or after restoring vintages by hand. Every
    folder must have intact files (matching its manifest) and the name its manifest gives.

    Returns
    -------
    list of str
        The vintages now in the ledger.

    Raises
    ------
    VintageError
        If a folder cannot be trusted; the ledger is then left as it was.
    """
    folder = _root(root)
    if not folder.is_dir():
        raise VintageError(f"the vintage store {folder} does not exist; check --vintages")
    busy = f"the vintage store {folder} is locked by another save ({{holder}}); try again"
    with folder_lock(folder / LOCK, busy, wait=SAVE_WAIT_SECONDS):
        _clean_staging(folder)
        entries: Ledger = {}
        for path in _store_folders(folder):
            vintage = _load_folder(path)
            _check_manifest_name(vintage)
            entries[vintage.name] = LedgerEntry(
                manifest_sha256=sha256((path / MANIFEST).read_bytes()),
                content_hash=vintage.content_hash,
                created=vintage.manifest.created,
            )
        _write_ledger(folder, entries)
    return sorted(entries)


def save_vintage(
    prognosis: Prognosis, name: str, root: PathLike | None = None, *, label: str | None = None
) -> Path:
    """Save a prognosis as an immutable vintage folder ``root/name``.

    Parameters
    ----------
    prognosis
        The prognosis to keep.
    name
        Folder name, e.g. ``"2023-06"``; letters, digits, ``.``, ``_`` and ``-``.
    root
        Folder holding the vintages (default: the vintage store, :func:`default_root`).
    label
        The vintage's human label (default: the label of the prognosis's assumptions).
        Give one when the assumptions' label does not describe this prognosis, e.g. a
        prognosis remade at an earlier as-of month from assumptions labelled for another.

    Returns
    -------
    pathlib.Path
        The new vintage folder.

    Raises
    ------
    VintageExistsError
        If ``root/name`` exists, or the same prognosis is saved under another name; nothing
        is written then.

    Examples
    --------
    >>> save_vintage(prognosis, "2023-06", root=tmp)  # doctest: +SKIP
    PosixPath('.../2023-06')
    """
    return write_vintage(prognosis_files(prognosis, label), name, root)


# --------------------------------------------------------------------------- reading


def load_vintage(name: PathLike, root: PathLike | None = None) -> Vintage:
    """Read a vintage and check its files against the manifest (and the store's ledger).

    Only this vintage is read and hashed: its files against its manifest, its manifest
    against the ledger's record of it (a shipped vintage against its fixed content hash).

    Parameters
    ----------
    name
        Vintage name (in the store ``root`` or shipped with the package) or a path to a
        vintage folder (then only its own files are checked).
    root
        The vintage store (default: :func:`default_root`).

    Returns
    -------
    Vintage

    Raises
    ------
    VintageError
        If the vintage does not exist, a file was changed after saving, its ledger entry
        does not match, or the store has no ledger.
    """
    candidate = Path(name)
    if len(candidate.parts) > 1 and (candidate / MANIFEST).is_file():
        return _load_folder(candidate)  # a path, not a name
    wanted = str(name)
    if wanted in BUNDLED_CONTENT_HASHES:
        return _load_bundled(wanted)
    folder = _root(root)
    listed: list[str] = []
    if folder.is_dir() and not _is_bundled_root(folder):
        folders = {path.name: path for path in _store_folders(folder)}
        ledger = _read_ledger(folder)
        if ledger is None:
            if folders:
                raise _no_ledger(folder, folders)
        elif wanted in ledger:
            vintage = _load_listed(folder, wanted, ledger[wanted], folders)
            if vintage is not None:
                return vintage
        elif wanted in folders:
            raise _not_in_ledger(folder, folders[wanted])
        listed = sorted(ledger or {})
    known = ", ".join([*BUNDLED_CONTENT_HASHES, *listed])
    raise VintageError(
        f"no vintage {wanted!r} in {folder} or among the shipped vintages; known vintages: {known}"
    )


_SETTLED_NS = 2_000_000_000
"""A folder with a file changed less than this long ago (2 s) is re-hashed at every read: a
change within the file system's timestamp granularity could keep the stat signature."""

_Signature = tuple[tuple[str, int, int, int, int], ...]
_verified: dict[tuple[Path, bool], tuple[_Signature, Vintage]] = {}
"""Vintage folders read and checked in this process, by folder, with their stat signature."""


def _signature(folder: Path) -> _Signature | None:
    """Name, inode, size, mtime and ctime of the folder and each entry; ``None`` if unreadable.

    Any write to a file changes its ctime (which no user can set back), replacing it
    changes its inode, and adding, removing or renaming an entry changes the folder's.
    """
    try:
        entries = [(".", folder.stat())]
        entries += sorted((e.name, e.stat()) for e in os.scandir(folder))
    except OSError:
        return None
    return tuple(
        (name, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns) for name, st in entries
    )


def _settled(signature: _Signature) -> bool:
    now = time.time_ns()
    return all(now - max(mtime, ctime) > _SETTLED_NS for *_, mtime, ctime in signature)


def _load_folder(folder: Path, *, bundled: bool = False) -> Vintage:
    """Read one vintage folder, checking every file against its manifest.

    A folder read before in this process whose files have not changed since (same stat
    signature, see :func:`_signature`) is not read and hashed again: one command reads the
    store several times (check the name, find the previous vintage, save). The frames are
    copies, so a caller changing them changes no later read.
    """
    key = (folder.absolute(), bundled)
    before = _signature(folder)
    cached = _verified.get(key)
    if cached is None or before is None or cached[0] != before:
        vintage = _read_folder(folder, bundled=bundled)
        if before is not None and _settled(before) and _signature(folder) == before:
            _verified[key] = (before, vintage)
        else:
            _verified.pop(key, None)
    else:
        vintage = cached[1]
    return replace(
        vintage,
        path=folder,
        table1=vintage.table1.copy(),
        cumulative=vintage.cumulative.copy(),
        groups_monthly=None if vintage.groups_monthly is None else vintage.groups_monthly.copy(),
        groups=None if vintage.groups is None else vintage.groups.copy(),
    )


def _read_folder(folder: Path, *, bundled: bool) -> Vintage:
    """Read one vintage folder, hashing every file and checking it against the manifest."""
    lead = f"vintage {folder.name!r}"
    manifest_path = folder / MANIFEST
    if not manifest_path.is_file():
        raise VintageError(
            f"{lead}: {manifest_path} is missing, so its files cannot be checked; {RESTORE}"
        )
    manifest = read_record(
        VintageManifest, manifest_path, manifest_path.read_bytes(), lead, RESTORE
    )
    data: dict[str, bytes] = {}
    for file, expected in manifest.files.items():
        path = folder / file
        content = path.read_bytes() if path.is_file() else b""
        if sha256(content) != expected:
            what = "is missing" if not path.is_file() else "does not match its hash in " + MANIFEST
            raise VintageError(
                f"{lead}: {path} {what}; the vintage was changed after saving - restore it "
                "from version control or a backup"
            )
        data[file] = content
    if content_hash(manifest.files) != manifest.content_hash:
        raise VintageError(f"{lead}: {MANIFEST} content hash is inconsistent; {RESTORE}")
    if METADATA not in data:
        raise VintageError(f"{lead} ({folder}) lacks {METADATA}; {RESTORE}")
    metadata = read_record(VintageMetadata, folder / METADATA, data[METADATA], lead, RESTORE)

    def frame(file: str) -> pd.DataFrame | None:
        if file not in data:
            return None
        table: pd.DataFrame = pd.read_csv(
            io.BytesIO(data[file]),
            dtype={"month": str, "period_end": str},
            **exact_float_reading(),
        )
        return table

    table1, cumulative = frame("table1.csv"), frame("cumulative.csv")
    if table1 is None or cumulative is None:
        raise VintageError(f"{lead} lacks table1.csv or cumulative.csv")
    return Vintage(
        name=folder.name,
        path=folder,
        metadata=metadata,
        manifest=manifest,
        table1=table1,
        cumulative=cumulative,
        groups_monthly=frame("groups_monthly.csv"),
        groups=frame("groups.csv"),
        bundled=bundled,
    )


def _store_folders(folder: Path) -> list[Path]:
    """The vintage folders of a store: every folder not hidden (staging, lock)."""
    return sorted(
        Path(e.path)
        for e in os.scandir(folder)
        if not e.name.startswith(".") and e.is_dir(follow_symlinks=False)
    )


def _check_manifest_name(vintage: Vintage) -> None:
    recorded = vintage.manifest.name
    if recorded != vintage.name:
        raise VintageError(
            f"vintage folder {vintage.path} says it is vintage {recorded!r} in {MANIFEST}: it "
            "was renamed after saving; rename it back (vintages are never renamed)"
        )


def _load_bundled(name: str) -> Vintage:
    """Read a shipped vintage and check it is the one shipped (its fixed content hash)."""
    folder = bundled_root()
    vintage = _load_folder(folder / name, bundled=True)
    if vintage.content_hash != BUNDLED_CONTENT_HASHES[name]:
        raise VintageError(
            f"the shipped vintage {name!r} ({folder / name / MANIFEST}) is not the one "
            "wgsforecast shipped (its content hash differs); reinstall wgsforecast or "
            "restore data/vintages from version control"
        )
    return vintage


def _load_listed(
    folder: Path, name: str, entry: LedgerEntry, folders: dict[str, Path]
) -> Vintage | None:
    """Read a vintage the ledger lists; ``None`` for a save still pending (no folder yet)."""
    if name not in folders:
        if entry.pending:
            return None
        raise VintageError(
            f"vintage {name!r} is listed in {folder / LEDGER} but {folder / name} is missing: "
            "it was deleted or renamed; restore it from version control or a backup "
            "(vintages are never deleted or renamed)"
        )
    vintage = _load_folder(folders[name])
    _check_manifest_name(vintage)
    if sha256((folders[name] / MANIFEST).read_bytes()) != entry.manifest_sha256:
        raise VintageError(
            f"vintage {name!r}: {folders[name] / MANIFEST} is not the manifest saved "
            f"with it (see {folder / LEDGER}); {RESTORE}"
        )
    return vintage


def _no_ledger(folder: Path, folders: dict[str, Path]) -> VintageError:
    return VintageError(
        f"the vintage store {folder} has no {LEDGER}, so a deleted or renamed "
        f"vintage could not be detected (folders: {', '.join(sorted(folders))}); "
        f"restore {LEDGER} from version control or a backup, or rebuild it with "
        f"`{_REINDEX.format(folder=folder)}`"
    )


def _not_in_ledger(folder: Path, path: Path) -> VintageError:
    return VintageError(
        f"{path} is not in {folder / LEDGER}: a vintage renamed or copied in by "
        "hand? Give it its saved name back, or move it out of the store"
    )


def _scan_bundled() -> tuple[list[Vintage], list[VintageError]]:
    found: list[Vintage] = []
    problems: list[VintageError] = []
    for name in BUNDLED_CONTENT_HASHES:
        try:
            found.append(_load_bundled(name))
        except VintageError as error:
            problems.append(error)
    return found, problems


def _scan_store(folder: Path) -> tuple[list[Vintage], list[VintageError]]:
    found: list[Vintage] = []
    problems: list[VintageError] = []
    if not folder.is_dir() or _is_bundled_root(folder):
        return found, problems
    folders = {path.name: path for path in _store_folders(folder)}
    try:
        ledger = _read_ledger(folder)
    except VintageError as error:
        return found, [error]
    if ledger is None:
        return found, [_no_ledger(folder, folders)] if folders else []
    for name, entry in sorted(ledger.items()):
        try:
            vintage = _load_listed(folder, name, entry, folders)
        except VintageError as error:
            problems.append(error)
            continue
        if vintage is not None:
            found.append(vintage)
    for name in sorted(set(folders) - set(ledger)):
        problems.append(_not_in_ledger(folder, folders[name]))
    return found, problems


def scan_vintages(root: PathLike | None = None) -> tuple[list[Vintage], list[VintageError]]:
    """Read every vintage (shipped and in the store) and collect what cannot be trusted.

    Parameters
    ----------
    root
        The vintage store (default: :func:`default_root`).

    Returns
    -------
    tuple
        The readable vintages (oldest as-of month first, then by creation time; the shipped
        published vintage among them) and one :class:`VintageError` per problem: a changed
        file, a broken or missing manifest or ledger, a deleted or renamed vintage.
    """
    found, problems = _scan_bundled()
    store, store_problems = _scan_store(_root(root))
    found += store
    problems += store_problems
    found.sort(key=lambda v: (str(v.as_of), not v.bundled, v.manifest.created or ""))
    return found, problems


def list_vintages(root: PathLike | None = None) -> list[Vintage]:
    """Return every vintage, oldest as-of month first (then by creation).

    The vintages shipped with the package (the published March 2023 prognosis) come with
    those of the store ``root`` (default: :func:`default_root`).

    Raises
    ------
    VintageError
        If any vintage was changed, deleted or renamed, naming each file or folder: a
        damaged store is an error, never silently skipped.
    """
    found, problems = scan_vintages(root)
    if problems:
        if len(problems) == 1:
            raise problems[0]
        raise VintageError(
            f"{len(problems)} problems with the vintages:\n"
            + "\n".join(f"  - {problem}" for problem in problems)
        )
    return found


def previous_vintage(prognosis: Prognosis, root: PathLike | None = None) -> Vintage | None:
    """Return the latest vintage made at or before the prognosis's as-of month.

    A vintage with the same as-of month counts (e.g. the published prognosis of the same
    quarter); :meth:`Change.describe` then words the result as a comparison, not as a
    change over time. A vintage with exactly the prognosis's content (the prognosis
    itself, saved) is skipped. A vintage that cannot be trusted raises
    :class:`VintageError` (see :func:`list_vintages`).
    """
    earlier = [v for v in list_vintages(root) if v.as_of <= prognosis.as_of]
    # Only a vintage of the same month, engine, paths and seed can have the prognosis's
    # content (its metadata.json holds them); the files are built and hashed only then.
    made = (str(prognosis.as_of), prognosis.engine, prognosis.n_paths, prognosis.seed)
    if any((m.as_of, m.engine, m.n_paths, m.seed) == made for m in (v.metadata for v in earlier)):
        own = files_hash(prognosis_files(prognosis))
        earlier = [v for v in earlier if v.content_hash != own]
    return earlier[-1] if earlier else None
