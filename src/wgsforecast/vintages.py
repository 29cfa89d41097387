"""Prognosis vintages: each quarterly prognosis saved as an immutable folder, and scored later.

A vintage folder holds plain CSV and JSON files, so it can be read without wgsforecast:

``metadata.json``
    As-of month, engine, seed, number of paths, target, deadline, the target month (with its
    10 % and 90 % quantiles), GE done by the deadline, P(target by the deadline), data notes.
``table1.csv``
    The yearly table in the long form of ``table1_2023_03.csv`` (period, period end, GE in
    the period, cumulative GE), with 10 % and 90 % quantiles of the cumulative total.
``cumulative.csv``
    National cumulative GE per month (central value and quantiles): the paths summary.
``groups_monthly.csv``, ``groups.csv``
    Mean monthly GE per group and the per-group table (absent from the published vintage,
    which has national totals only).
``assumptions.json``
    The settings the prognosis was made with.
``manifest.json``
    Name, creation time, library version, the SHA-256 of every file above and a content
    hash over them. The content hash leaves out the name and time, so saving the same
    prognosis twice, under any name, is recognised and refused.

Where vintages live: the store is a folder the user owns, ``vintages/`` in the working
folder by default (``WGSFORECAST_VINTAGES`` or a ``root`` argument names another), never the
installed package. Its ``ledger.json`` lists every vintage saved there with the SHA-256 of
its manifest, so a vintage that is changed, deleted or renamed is detected: every function
that reads the store raises a :class:`VintageError` naming the folder or file. Saving holds
a lock on the store. The published March 2023 prognosis ships read-only with the package
(``data/vintages/2023-03-published``, checked against a content hash fixed in this module)
and is always the first vintage, whichever store is used.

Examples
--------
>>> import wgsforecast as wf
>>> data = wf.load_bundled()
>>> prognosis = wf.forecast(data.actuals, data.groups, data.assumptions)
>>> folder = wf.save_vintage(prognosis, "2023-03-ours", root="vintages")  # doctest: +SKIP
>>> comparison = wf.compare_vintages(data.actuals, root="vintages")  # doctest: +SKIP
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import re
import shutil
import tempfile
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import numpy as np
import pandas as pd

from wgsforecast._locks import folder_lock
from wgsforecast.exceptions import WgsForecastError
from wgsforecast.io import _umask
from wgsforecast.labels import label as text_of
from wgsforecast.periods import Lang, format_month, format_number, parse_month

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from wgsforecast.prognosis import Prognosis

VINTAGE_FORMAT = 1
DATA_FILES = (
    "metadata.json",
    "table1.csv",
    "cumulative.csv",
    "groups_monthly.csv",
    "groups.csv",
    "assumptions.json",
)
MANIFEST = "manifest.json"
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

PathLike = str | os.PathLike[str]


class VintageError(WgsForecastError, ValueError):
    """A vintage cannot be saved, found or trusted."""


class VintageExistsError(VintageError, FileExistsError):
    """A vintage of that name, or with the same content, exists already."""


class VintageWarning(UserWarning):
    """A folder in the vintages folder could not be read and was skipped."""


# --------------------------------------------------------------------------- the object


@dataclass(frozen=True)
class Vintage:
    """A saved prognosis, read back from its folder.

    Parameters
    ----------
    name
        The folder name.
    path
        The folder.
    metadata
        The contents of ``metadata.json``.
    manifest
        The contents of ``manifest.json`` (name, creation time, version, file hashes).
    table1
        The yearly table, long form (``period``, ``period_end``, ``ge_in_period``,
        ``ge_cumulative``, ...).
    cumulative
        National cumulative GE per month (``month``, ``kind``, ``cumulative``, quantiles).
    groups_monthly
        Mean monthly GE per group (``group``, ``month``, ``kind``, ``ge``), or ``None``.
    groups
        The per-group table, or ``None``.
    bundled
        True for a vintage shipped with the package (read-only).
    """

    name: str
    path: Path
    metadata: dict[str, Any]
    manifest: dict[str, Any]
    table1: pd.DataFrame
    cumulative: pd.DataFrame
    groups_monthly: pd.DataFrame | None
    groups: pd.DataFrame | None
    bundled: bool = False

    @property
    def as_of(self) -> pd.Period:
        """The last month of actuals the prognosis used."""
        return parse_month(self.metadata["as_of"])

    @property
    def target_month(self) -> pd.Period | None:
        """The (central) month the prognosis expected the target to be reached."""
        value = self.metadata.get("target_month")
        return None if value is None else parse_month(value)

    @property
    def target_ge(self) -> int:
        """The programme target the prognosis was made for."""
        return int(self.metadata["target_ge"])

    @property
    def label(self) -> str:
        """A human label: the prognosis label, else the vintage name."""
        return str(self.metadata.get("label") or self.name)

    @property
    def content_hash(self) -> str:
        """SHA-256 over the vintage's data files (not its name or creation time)."""
        return str(self.manifest["content_hash"])

    @property
    def has_groups(self) -> bool:
        """True when the vintage carries per-group monthly GE."""
        return self.groups_monthly is not None


# --------------------------------------------------------------------------- saving


def default_root() -> Path:
    """Return the vintage store: ``WGSFORECAST_VINTAGES``, else ``vintages/`` here.

    The store is never inside the installed package; the vintages shipped with the package
    are in :func:`bundled_root` and are read from there.
    """
    override = os.environ.get(ENV_ROOT)
    return Path(override) if override else Path.cwd() / "vintages"


def bundled_root() -> Path:
    """Return the folder of the vintages shipped with the package (read-only)."""
    from wgsforecast.io import bundled_data_dir

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
    if os.path.lexists(folder / name):
        raise VintageExistsError(
            f"vintage {name!r} exists already in {folder}; vintages are never overwritten - "
            "choose another name (for example with a date or engine suffix)"
        )


def _csv_bytes(frame: pd.DataFrame) -> bytes:
    buffer = io.StringIO()
    frame.to_csv(buffer, index=False, lineterminator="\n")
    return buffer.getvalue().encode("utf-8")


def _json_bytes(value: Any) -> bytes:
    # allow_nan=False: NaN is not JSON; an unknown number must be written as null.
    text = json.dumps(value, indent=2, ensure_ascii=False, sort_keys=True, allow_nan=False)
    return (text + "\n").encode()


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _content_hash(hashes: dict[str, str]) -> str:
    lines = "".join(f"{name}\0{hashes[name]}\n" for name in sorted(hashes))
    return _sha256(lines.encode())


def _month_or_none(month: pd.Period | None) -> str | None:
    return None if month is None else str(month)


def _deadline_figures(prognosis: Prognosis) -> tuple[float | None, float | None]:
    """GE done by the deadline (central) and P(target by the deadline); ``None`` if unknown.

    Both are unknown when the deadline is after the prognosis horizon: the prognosis then
    says nothing about it, which is not the same as 0 %.
    """
    try:
        p_by_deadline = prognosis.p_target_by_deadline()
    except ValueError:  # the deadline is past the horizon
        return None, None
    return round(prognosis.ge_by_deadline(), 1), p_by_deadline


def _with_notes(frame: pd.DataFrame, notes: Sequence[str]) -> pd.DataFrame:
    """The frame with a ``data_notes`` column, so a CSV with actuals says what they are."""
    return frame.assign(data_notes="; ".join(notes))


def _prognosis_files(prognosis: Prognosis, label: str | None = None) -> dict[str, bytes]:
    """The data files of a vintage made from a prognosis (everything but the manifest)."""
    programme = prognosis.programme
    periods = programme.table_periods
    values = prognosis.period_paths(periods)
    central = prognosis.yearly_table("en")
    with np.errstate(invalid="ignore"), warnings.catch_warnings():
        # Periods after the horizon are all NaN: their quantiles are NaN (empty in the CSV).
        warnings.simplefilter("ignore", RuntimeWarning)
        low = np.nanquantile(values["cumulative"], 0.1, axis=0)
        high = np.nanquantile(values["cumulative"], 0.9, axis=0)
    table1 = pd.DataFrame(
        {
            "period": [p.label("en") for p in periods],
            "period_da": [p.label("da") for p in periods],
            "period_end": [str(p.last) for p in periods],
            "ge_in_period": central.iloc[0].to_numpy(dtype=float, na_value=np.nan),
            "ge_cumulative": central.iloc[1].to_numpy(dtype=float, na_value=np.nan),
            "ge_cumulative_p10": np.round(low),
            "ge_cumulative_p90": np.round(high),
            "kind": ["actual" if p.last <= prognosis.as_of else "prognosis" for p in periods],
        }
    )
    cumulative = prognosis.cumulative((0.1, 0.5, 0.9))
    cumulative["month"] = cumulative["month"].astype(str)
    monthly = prognosis.monthly()[["group", "month", "kind", "ge", "capped"]].copy()
    monthly["month"] = monthly["month"].astype(str)
    groups = prognosis.group_table("en")
    ge_by_deadline, p_by_deadline = _deadline_figures(prognosis)
    quantiles = prognosis.target_month_quantiles((0.1, 0.5, 0.9))
    notes = list(prognosis.data_notes)
    metadata = {
        "format": VINTAGE_FORMAT,
        "source": "wgsforecast",
        "label": prognosis.assumptions.label if label is None else label,
        "as_of": str(prognosis.as_of),
        "engine": prognosis.engine,
        "seed": prognosis.seed,
        "n_paths": prognosis.n_paths,
        "target_ge": programme.target_ge,
        "deadline": str(programme.deadline),
        "target_month": _month_or_none(quantiles[0.5]),
        "target_month_p10": _month_or_none(quantiles[0.1]),
        "target_month_p90": _month_or_none(quantiles[0.9]),
        "ge_by_deadline": ge_by_deadline,
        "p_target_by_deadline": p_by_deadline,
        "data_notes": notes,
        "group_notes": {k: [str(n) for n in v] for k, v in sorted(prognosis.group_notes.items())},
    }
    return {
        "metadata.json": _json_bytes(metadata),
        "table1.csv": _csv_bytes(_with_notes(table1, notes)),
        "cumulative.csv": _csv_bytes(_with_notes(cumulative, notes)),
        "groups_monthly.csv": _csv_bytes(_with_notes(monthly, notes)),
        "groups.csv": _csv_bytes(groups),
        "assumptions.json": _json_bytes(prognosis.assumptions.model_dump(mode="json")),
    }


def _write_vintage(files: dict[str, bytes], name: str, root: PathLike | None) -> Path:
    _check_name(name)
    folder = _root(root)
    target = folder / name
    hashes = {file: _sha256(data) for file, data in files.items()}
    content_hash = _content_hash(hashes)
    from wgsforecast._version import package_version

    manifest = {
        "name": name,
        "created": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
        "wgsforecast_version": package_version(),
        "format": VINTAGE_FORMAT,
        "files": hashes,
        "content_hash": content_hash,
    }
    manifest_bytes = _json_bytes(manifest)
    if _is_bundled_root(folder):
        # Only the maintainers write here (remaking the shipped vintage): no ledger.
        if name not in BUNDLED_CONTENT_HASHES:
            raise VintageError(
                f"{folder} holds the vintages shipped with wgsforecast and is read-only; save "
                f"vintage {name!r} in a vintage store instead (--vintages DIR, or ./vintages)"
            )
        if os.path.lexists(target):
            raise VintageExistsError(f"vintage {name!r} exists already in {folder}")
        return _place(folder, target, name, {**files, MANIFEST: manifest_bytes})
    _check_not_bundled(name)
    folder.mkdir(parents=True, exist_ok=True)
    busy = (
        f"the vintage store {folder} is locked by another save ({{holder}}) for over "
        f"{SAVE_WAIT_SECONDS:.0f} s; try again when it is done"
    )
    with folder_lock(folder / LOCK, busy, wait=SAVE_WAIT_SECONDS):
        _clean_staging(folder)
        existing = list_vintages(folder)  # a store that cannot be trusted is not added to
        if os.path.lexists(target):
            raise VintageExistsError(
                f"vintage {name!r} exists already in {folder}; vintages are never "
                "overwritten - choose another name (for example with a date or engine suffix)"
            )
        for vintage in existing:
            if vintage.content_hash == content_hash:
                raise VintageExistsError(
                    f"this prognosis is already saved as vintage {vintage.name!r} in "
                    f"{vintage.path.parent} (same content hash {content_hash[:12]}); nothing "
                    "was written"
                )
        # Build the whole folder under a temporary name, then rename it into place: readers
        # never see half a vintage, and a failed save leaves nothing behind. The ledger
        # names the vintage (as pending) before the rename and for good after it, so a kill
        # in between leaves a store the next reader understands.
        staging = Path(tempfile.mkdtemp(dir=folder, prefix=f".{name}.", suffix=".part"))
        try:
            staging.chmod(0o777 & ~_umask())  # mkdtemp makes it private; a vintage is shared
            for file, data in {**files, MANIFEST: manifest_bytes}.items():
                path = staging / file
                path.write_bytes(data)
                path.chmod(0o444)  # immutable by convention and by mode
            entry = {
                "manifest_sha256": _sha256(manifest_bytes),
                "content_hash": content_hash,
                "created": manifest["created"],
            }
            ledger = _read_ledger(folder) or {}
            _write_ledger(folder, {**ledger, name: {**entry, "pending": True}})
            try:
                os.rename(staging, target)
            except OSError as error:
                _write_ledger(folder, ledger)
                raise VintageError(
                    f"could not save vintage {name!r} in {folder}: {error}"
                ) from error
            _write_ledger(folder, {**ledger, name: entry})
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
    return target


def _place(folder: Path, target: Path, name: str, files: dict[str, bytes]) -> Path:
    """Write ``files`` into a new folder ``target`` through a staging folder and a rename."""
    staging = Path(tempfile.mkdtemp(dir=folder, prefix=f".{name}.", suffix=".part"))
    try:
        staging.chmod(0o777 & ~_umask())
        for file, data in files.items():
            (staging / file).write_bytes(data)
            (staging / file).chmod(0o444)
        os.rename(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return target


def _clean_staging(folder: Path) -> None:
    """Remove half-saved vintages a killed save left (hold the store's lock)."""
    for entry in os.scandir(folder):
        if entry.name.startswith(".") and entry.name.endswith(".part"):
            path = Path(entry.path)
            if entry.is_symlink() or not entry.is_dir(follow_symlinks=False):
                path.unlink()
            else:
                for child in path.iterdir():
                    if not child.is_symlink():
                        child.chmod(0o644)
                shutil.rmtree(path)


def _read_ledger(folder: Path) -> dict[str, dict[str, Any]] | None:
    """The store's ledger (name -> entry), or ``None`` when there is none.

    Raises
    ------
    VintageError
        If the ledger cannot be read.
    """
    path = folder / LEDGER
    if not os.path.lexists(path):
        return None
    try:
        value = json.loads(path.read_bytes())
        entries = value["vintages"]
        if not isinstance(entries, dict) or not all(
            isinstance(e, dict) and isinstance(e.get("manifest_sha256"), str)
            for e in entries.values()
        ):
            raise ValueError("'vintages' is not a table of name -> manifest_sha256")
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise VintageError(
            f"{path} is not a readable vintage ledger ({error}); restore it from version "
            f"control or a backup, or rebuild it with `wgsforecast vintages --vintages "
            f"{folder} reindex` once every vintage there is checked"
        ) from error
    return {str(k): dict(v) for k, v in entries.items()}


def _write_ledger(folder: Path, entries: dict[str, dict[str, Any]]) -> None:
    from wgsforecast.io import atomic_write_bytes

    atomic_write_bytes(
        folder / LEDGER, _json_bytes({"format": VINTAGE_FORMAT, "vintages": entries})
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
        entries: dict[str, dict[str, Any]] = {}
        for path in _store_folders(folder):
            vintage = _load_folder(path)
            _check_manifest_name(vintage)
            entries[vintage.name] = {
                "manifest_sha256": _sha256((path / MANIFEST).read_bytes()),
                "content_hash": vintage.content_hash,
                "created": vintage.manifest.get("created"),
            }
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
        Folder holding the vintages (default: the bundled ``data/vintages``).
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
    return _write_vintage(_prognosis_files(prognosis, label), name, root)


def save_published_vintage(
    table1_csv: PathLike,
    name: str = PUBLISHED_NAME,
    root: PathLike | None = None,
    *,
    as_of: str | pd.Period = "2023-02",
    target_month: str | pd.Period | None = "2025-06",
    target_ge: int = 60_000,
    deadline: str | pd.Period = "2024-06",
    label: str = "Offentliggjort prognose marts 2023 (punkt 112/23)",
    label_en: str = "Published prognosis March 2023 (item 112/23)",
    published: str | None = "2023-03-15",
) -> Path:
    """Save a published Table 1 (national totals only) as a vintage.

    Parameters
    ----------
    table1_csv
        A file shaped like ``data/table1_2023_03.csv`` (see :func:`published_files`).
    name
        Vintage name (default ``2023-03-published``, the name of the vintage shipped with
        the package: a store refuses it, so give another name there).
    root
        Folder holding the vintages (default: the vintage store, :func:`default_root`).
    as_of, target_month, target_ge, deadline, label, label_en, published
        The publication's facts, see :func:`published_files`.

    Returns
    -------
    pathlib.Path
        The new vintage folder.
    """
    files = published_files(
        table1_csv,
        as_of=as_of,
        target_month=target_month,
        target_ge=target_ge,
        deadline=deadline,
        label=label,
        label_en=label_en,
        published=published,
    )
    return _write_vintage(files, name, root)


def published_files(
    table1_csv: PathLike,
    *,
    as_of: str | pd.Period = "2023-02",
    target_month: str | pd.Period | None = "2025-06",
    target_ge: int = 60_000,
    deadline: str | pd.Period = "2024-06",
    label: str = "Offentliggjort prognose marts 2023 (punkt 112/23)",
    label_en: str = "Published prognosis March 2023 (item 112/23)",
    published: str | None = "2023-03-15",
) -> dict[str, bytes]:
    """The files of a vintage made from a published Table 1 (national totals only).

    Parameters
    ----------
    table1_csv
        A file shaped like ``data/table1_2023_03.csv``: ``period``, ``period_da``,
        ``period_end``, ``ge_in_period``, ``ge_cumulative``, ``kind``.
    as_of
        The last month of actuals the published prognosis used.
    target_month
        The month the publication says the target is reached (``None``: not stated).
    target_ge
        The programme target the prognosis was made for.
    deadline
        The funding deadline; the file must have a row with this ``period_end``, whose
        ``ge_cumulative`` is recorded as the GE done by the deadline.
    label, label_en
        Danish and English labels of the vintage.
    published
        Publication date (ISO text), or ``None``.

    Returns
    -------
    dict
        File name -> bytes: ``metadata.json``, ``table1.csv`` and ``cumulative.csv``.

    Raises
    ------
    VintageError
        If the file lacks a column, a month cannot be read, or there is no row for the
        deadline.

    Notes
    -----
    The defaults are the facts of the prognosis published in March 2023 (item 112/23 of
    the steering group's minutes): data to February 2023, target 60,000 GE, deadline June
    2024, target month June 2025 (stated in the item's text), published 15 March 2023.
    Pass other values for any other publication; only the GE by the deadline is read from
    the file. The published prognosis has no per-group figures, so the vintage has none.
    """
    source = Path(table1_csv)
    table = pd.read_csv(source, dtype={"period_end": str})
    needed = {"period", "period_da", "period_end", "ge_in_period", "ge_cumulative", "kind"}
    missing = sorted(needed - set(table.columns))
    if missing:
        raise VintageError(
            f"{source}: missing column(s) {', '.join(missing)}; the file needs the columns of "
            "data/table1_2023_03.csv"
        )
    table = table[[c for c in table.columns if c in needed]]
    try:
        ends = [parse_month(v) for v in table["period_end"]]
        as_of_month, deadline_month = parse_month(as_of), parse_month(deadline)
        target = None if target_month is None else parse_month(target_month)
    except (TypeError, ValueError) as error:
        raise VintageError(
            f"{source}: {error}; months are written like 2024-06 (in period_end and in the "
            "as_of, deadline and target_month arguments)"
        ) from error
    if target_ge <= 0:
        raise VintageError(f"{source}: target_ge must be a positive number; got {target_ge!r}")
    at_deadline = pd.to_numeric(
        table.loc[[end == deadline_month for end in ends], "ge_cumulative"], errors="coerce"
    ).dropna()
    if at_deadline.empty:
        known = ", ".join(str(end) for end in ends) or "none"
        raise VintageError(
            f"{source}: no row with period_end {deadline_month} and a ge_cumulative value, so "
            f"the GE done by the deadline is unknown (period_end values: {known}); add that "
            "row or pass the deadline= the table has a row for"
        )
    points = table.assign(month=[str(m) for m in ends]).dropna(subset=["ge_cumulative"])
    cumulative = pd.DataFrame(
        {
            "month": points["month"],
            "kind": np.where(points["kind"] == "actual", "actual", "projected"),
            "cumulative": points["ge_cumulative"].astype(float),
        }
    )
    metadata = {
        "format": VINTAGE_FORMAT,
        "source": "published",
        "label": label,
        "label_en": label_en,
        "as_of": str(as_of_month),
        "published": published,
        "engine": "published",
        "seed": None,
        "n_paths": None,
        "target_ge": int(target_ge),
        "deadline": str(deadline_month),
        "target_month": _month_or_none(target),
        "target_month_p10": None,
        "target_month_p90": None,
        "ge_by_deadline": float(at_deadline.iloc[0]),
        "p_target_by_deadline": None,
        "data_notes": ["published: national totals only, no per-group figures"],
        "group_notes": {},
    }
    files = {
        "metadata.json": _json_bytes(metadata),
        "table1.csv": _csv_bytes(table),
        "cumulative.csv": _csv_bytes(cumulative),
    }
    return files


# --------------------------------------------------------------------------- reading


def load_vintage(name: PathLike, root: PathLike | None = None) -> Vintage:
    """Read a vintage and check its files against the manifest (and the store's ledger).

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
        If the vintage does not exist, a file was changed after saving, or the store
        cannot be trusted (a vintage changed, deleted or renamed).
    """
    candidate = Path(name)
    if len(candidate.parts) > 1 and (candidate / MANIFEST).is_file():
        return _load_folder(candidate)  # a path, not a name
    found = list_vintages(root)
    for vintage in found:
        if vintage.name == str(name):
            return vintage
    known = ", ".join(v.name for v in found) or "none"
    raise VintageError(
        f"no vintage {str(name)!r} in {_root(root)} or among the shipped vintages; known "
        f"vintages: {known}"
    )


def _load_folder(folder: Path, *, bundled: bool = False) -> Vintage:
    """Read one vintage folder, checking every file against its manifest."""
    manifest_path = folder / MANIFEST
    if not manifest_path.is_file():
        raise VintageError(
            f"vintage {folder.name!r}: {manifest_path} is missing, so its files cannot be "
            f"checked; {_RESTORE}"
        )
    manifest = _read_json(folder, MANIFEST, manifest_path.read_bytes())
    files = manifest.get("files")
    if (
        not isinstance(files, dict)
        or not all(isinstance(v, str) for v in files.values())
        or not isinstance(manifest.get("content_hash"), str)
    ):
        raise VintageError(
            f"vintage {folder.name!r} ({folder}): {MANIFEST} lacks 'files' (file -> SHA-256) "
            f"or 'content_hash'; {_RESTORE}"
        )
    data: dict[str, bytes] = {}
    for file, expected in files.items():
        path = folder / file
        content = path.read_bytes() if path.is_file() else b""
        if _sha256(content) != expected:
            what = "is missing" if not path.is_file() else "does not match its hash in " + MANIFEST
            raise VintageError(
                f"vintage {folder.name!r}: {path} {what}; the vintage was changed after "
                "saving - restore it from version control or a backup"
            )
        data[file] = content
    if _content_hash(files) != manifest["content_hash"]:
        raise VintageError(
            f"vintage {folder.name!r}: {MANIFEST} content hash is inconsistent; {_RESTORE}"
        )
    if "metadata.json" not in data:
        raise VintageError(f"vintage {folder.name!r} ({folder}) lacks metadata.json; {_RESTORE}")
    metadata = _read_json(folder, "metadata.json", data["metadata.json"])
    absent = [k for k in ("as_of", "target_ge") if k not in metadata]
    if absent:
        raise VintageError(
            f"vintage {folder.name!r}: metadata.json lacks {', '.join(absent)}; {_RESTORE}"
        )

    def frame(file: str) -> pd.DataFrame | None:
        if file not in data:
            return None
        return pd.read_csv(io.BytesIO(data[file]), dtype={"month": str, "period_end": str})

    table1, cumulative = frame("table1.csv"), frame("cumulative.csv")
    if table1 is None or cumulative is None:
        raise VintageError(f"vintage {folder.name!r} lacks table1.csv or cumulative.csv")
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


_RESTORE = "restore the folder from version control or a backup, or move it out of the store"


def _read_json(folder: Path, file: str, content: bytes) -> dict[str, Any]:
    """Parse a vintage's JSON file; a broken file is a :class:`VintageError` naming it."""
    try:
        value = json.loads(content)
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise VintageError(
            f"vintage {folder.name!r}: {folder / file} is not valid JSON ({error}); {_RESTORE}"
        ) from error
    if not isinstance(value, dict):
        raise VintageError(
            f"vintage {folder.name!r}: {folder / file} does not hold a JSON object; {_RESTORE}"
        )
    return value


def _store_folders(folder: Path) -> list[Path]:
    """The vintage folders of a store: every folder not hidden (staging, lock)."""
    return sorted(
        Path(e.path)
        for e in os.scandir(folder)
        if not e.name.startswith(".") and e.is_dir(follow_symlinks=False)
    )


def _check_manifest_name(vintage: Vintage) -> None:
    recorded = vintage.manifest.get("name")
    if recorded != vintage.name:
        raise VintageError(
            f"vintage folder {vintage.path} says it is vintage {recorded!r} in {MANIFEST}: it "
            "was renamed after saving; rename it back (vintages are never renamed)"
        )


def _scan_bundled() -> tuple[list[Vintage], list[VintageError]]:
    folder = bundled_root()
    found: list[Vintage] = []
    problems: list[VintageError] = []
    for name, expected in BUNDLED_CONTENT_HASHES.items():
        try:
            vintage = _load_folder(folder / name, bundled=True)
            if vintage.content_hash != expected:
                raise VintageError(
                    f"the shipped vintage {name!r} ({folder / name / MANIFEST}) is not the one "
                    "wgsforecast shipped (its content hash differs); reinstall wgsforecast or "
                    "restore data/vintages from version control"
                )
            found.append(vintage)
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
        if folders:
            problems.append(
                VintageError(
                    f"the vintage store {folder} has no {LEDGER}, so a deleted or renamed "
                    f"vintage could not be detected (folders: {', '.join(sorted(folders))}); "
                    f"restore {LEDGER} from version control or a backup, or rebuild it with "
                    f"`wgsforecast vintages --vintages {folder} reindex`"
                )
            )
        return found, problems
    for name, entry in sorted(ledger.items()):
        if name not in folders:
            if not entry.get("pending"):
                problems.append(
                    VintageError(
                        f"vintage {name!r} is listed in {folder / LEDGER} but {folder / name} "
                        "is missing: it was deleted or renamed; restore it from version "
                        "control or a backup (vintages are never deleted or renamed)"
                    )
                )
            continue
        try:
            vintage = _load_folder(folders[name])
            _check_manifest_name(vintage)
            if _sha256((folders[name] / MANIFEST).read_bytes()) != entry["manifest_sha256"]:
                raise VintageError(
                    f"vintage {name!r}: {folders[name] / MANIFEST} is not the manifest saved "
                    f"with it (see {folder / LEDGER}); {_RESTORE}"
                )
            found.append(vintage)
        except VintageError as error:
            problems.append(error)
    for name in sorted(set(folders) - set(ledger)):
        problems.append(
            VintageError(
                f"{folders[name]} is not in {folder / LEDGER}: a vintage renamed or copied in by "
                "hand? Give it its saved name back, or move it out of the store"
            )
        )
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
    found.sort(key=lambda v: (str(v.as_of), not v.bundled, str(v.manifest.get("created", ""))))
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
    own = _content_hash({f: _sha256(d) for f, d in _prognosis_files(prognosis).items()})
    earlier = [
        v for v in list_vintages(root) if v.as_of <= prognosis.as_of and v.content_hash != own
    ]
    return earlier[-1] if earlier else None


# --------------------------------------------------------------------------- change


@dataclass(frozen=True)
class Change:
    """What moved between a previous vintage and a new prognosis.

    Parameters
    ----------
    previous
        The earlier vintage (or one with the same as-of month).
    previous_target, current_target
        The central target months (``None``: not reached within the horizon).
    shift_months
        ``current - previous`` in months (positive: later), ``None`` if either is missing.
    previous_by_deadline, current_by_deadline
        GE done by the funding deadline (``None``: unknown, the deadline is after the
        horizon).
    groups
        Per group, how many months the target month moves when only that group's projection
        changes from the previous vintage to the new one: ``group``, ``name``,
        ``shift_months`` (``<NA>`` when the target is not reached within the common horizon
        with or without the change), ``direction`` (``later``, ``earlier``, ``none``, or
        ``unknown`` when neither version reaches the target within the horizon),
        ``beyond_horizon`` (True when the shift cannot be counted in months because one
        version does not reach the target within the horizon), ``previous_ge`` and
        ``current_ge`` (over the months both cover); ``None`` when the previous vintage has
        no per-group data.
    current_as_of
        The new prognosis's as-of month (``None``: not known; the text then reads as a
        change over time).
    """

    previous: Vintage
    previous_target: pd.Period | None
    current_target: pd.Period | None
    shift_months: int | None
    previous_by_deadline: float | None
    current_by_deadline: float | None
    groups: pd.DataFrame | None
    current_as_of: pd.Period | None = None

    @property
    def same_as_of(self) -> bool:
        """True when both prognoses used data to the same month (a comparison, not a change)."""
        return self.current_as_of is not None and self.current_as_of == self.previous.as_of

    def describe(self, lang: Lang = "da") -> list[str]:
        """Return the change as short sentences for reports."""
        name = self.previous.metadata.get("label_en") if lang == "en" else None
        name = name or self.previous.label

        def month(m: pd.Period | None) -> str:
            return text_of("vintage_not_in_horizon", lang) if m is None else format_month(m, lang)

        if self.shift_months is None:
            move = "-"
        elif self.shift_months == 0:
            move = text_of("vintage_unchanged", lang)
        else:
            n = abs(self.shift_months)
            unit = text_of("vintage_month" if n == 1 else "vintage_months", lang)
            way = text_of("vintage_later" if self.shift_months > 0 else "vintage_earlier", lang)
            move = f"{n} {unit} {way}"
        if self.current_by_deadline is None or self.previous_by_deadline is None:
            deadline = text_of("vintage_deadline_unknown", lang)
        else:
            diff = self.current_by_deadline - self.previous_by_deadline
            deadline = text_of("vintage_deadline", lang).format(
                current=format_number(self.current_by_deadline, lang),
                previous=format_number(self.previous_by_deadline, lang),
                diff=("+" if diff >= 0 else "-") + format_number(abs(diff), lang),
            )
        lead = (
            text_of("vintage_compared_with", lang).format(
                name=name, as_of=format_month(self.previous.as_of, lang)
            )
            if self.same_as_of
            else text_of("vintage_since", lang).format(name=name)
        )
        texts = [
            text_of("vintage_change", lang).format(
                lead=lead,
                current=month(self.current_target),
                previous=month(self.previous_target),
                move=move,
                deadline=deadline,
            )
        ]
        if self.groups is None:
            texts.append(text_of("vintage_no_groups", lang))
            return texts
        rows = self.groups
        if (rows["direction"] == "unknown").all():
            texts.append(text_of("vintage_groups_not_reached", lang))
            return texts
        moved = rows[rows["direction"].isin(["later", "earlier"])]
        if moved.empty:
            texts.append(text_of("vintage_no_group_moves", lang))
        for row in moved.itertuples(index=False):
            way = text_of(f"vintage_{row.direction}", lang)
            if row.beyond_horizon:
                key = f"vintage_group_{row.direction}_horizon"
                texts.append(text_of(key, lang).format(group=row.name))
            else:
                texts.append(
                    text_of("vintage_group_moves", lang).format(
                        group=row.name, n=abs(int(cast(int, row.shift_months))), way=way
                    )
                )
        return texts


def _first_reach(months: Sequence[str], cumulative: np.ndarray[Any, Any], target: float) -> int:
    """Index of the first month the cumulative series reaches ``target``; -1 if never."""
    hit = np.flatnonzero(np.asarray(cumulative) >= target)
    return int(hit[0]) if hit.size else -1


def change_since(prognosis: Prognosis, previous: Vintage, lang: Lang = "da") -> Change:
    """Compare a new prognosis with an earlier vintage.

    Parameters
    ----------
    prognosis
        The new prognosis.
    previous
        The earlier vintage (e.g. from :func:`previous_vintage`).
    lang
        Language of the group names in ``Change.groups``.

    Returns
    -------
    Change
        Target-month shift, GE-by-deadline change and, when the previous vintage has
        per-group data, the target-month shift each group causes on its own.

    Notes
    -----
    The per-group attribution swaps one group's mean monthly projection at a time from the
    previous vintage into the new one and reads off the national target month; the shifts
    need not add up to the total shift, because groups interact through the month the
    cumulative total crosses the target. When one version does not reach the target within
    the months both cover, the shift is not a number of months: it is reported as beyond
    the horizon (``shift_months`` missing, ``beyond_horizon`` True).
    """
    current_target = prognosis.target_month()
    previous_target = previous.target_month
    shift = None
    if current_target is not None and previous_target is not None:
        shift = int((current_target - previous_target).n)
    groups = None
    if previous.groups_monthly is not None:
        groups = _group_shifts(prognosis, previous.groups_monthly, lang)
    before = previous.metadata.get("ge_by_deadline")
    now, _ = _deadline_figures(prognosis)
    return Change(
        previous=previous,
        previous_target=previous_target,
        current_target=current_target,
        shift_months=shift,
        previous_by_deadline=None if before is None else float(before),
        current_by_deadline=now,
        groups=groups,
        current_as_of=prognosis.as_of,
    )


def _group_shifts(prognosis: Prognosis, before: pd.DataFrame, lang: Lang) -> pd.DataFrame:
    now = prognosis.monthly()
    now["month"] = now["month"].astype(str)
    new = now.pivot(index="month", columns="group", values="ge")
    old = before.pivot(index="month", columns="group", values="ge")
    months = new.index.intersection(old.index)
    keys = [k for k in prognosis.groups.keys]
    new = new.reindex(index=months, columns=keys).fillna(0.0)
    old = old.reindex(index=months, columns=keys).fillna(0.0)
    target = prognosis.programme.target_ge
    base = _first_reach(list(months), new.sum(axis=1).cumsum().to_numpy(), target)
    rows = []
    for key in keys:
        swapped = new.copy()
        swapped[key] = old[key]
        hit = _first_reach(list(months), swapped.sum(axis=1).cumsum().to_numpy(), target)
        # Read as "how much later is the target because of this group's change": the
        # target month with the group as it was, subtracted from the month now. A version
        # that never reaches the target has no month, so its shift is not a number.
        shift: int | None = None
        if base >= 0 and hit >= 0:
            shift = base - hit
            direction = "later" if shift > 0 else "earlier" if shift < 0 else "none"
        elif base < 0 and hit < 0:
            direction = "unknown"
        else:
            direction = "later" if base < 0 else "earlier"
        rows.append(
            {
                "group": key,
                "name": prognosis.groups[key].name(lang),
                "shift_months": shift,
                "direction": direction,
                "beyond_horizon": shift is None,
                "previous_ge": float(old[key].sum()),
                "current_ge": float(new[key].sum()),
            }
        )
    frame = pd.DataFrame.from_records(rows)
    frame["shift_months"] = frame["shift_months"].astype("Int64")
    return frame


# --------------------------------------------------------------------------- scoring


@dataclass(frozen=True)
class VintageComparison:
    """Earlier vintages scored against actuals.

    Parameters
    ----------
    vintages
        The vintages compared.
    actual
        National cumulative actual GE per month (``month``, ``cumulative``).
    errors
        One row per vintage and observed month after its as-of month: ``vintage``,
        ``month``, ``predicted``, ``actual``, ``error`` (predicted - actual) and
        ``error_pct``; ``is_period_end`` marks the ends of table periods.
    targets
        One row per vintage: predicted target month, actual target month (when the actuals
        reach the vintage's target), ``error_months`` (predicted - actual; positive = the
        prognosis was too late) and a ``status`` text.
    data_notes
        Notes on the actuals (``reconstructed`` for the bundled data); ``errors`` and
        ``targets`` carry them in a ``data_notes`` column too, so their CSV files say so.
    """

    vintages: tuple[Vintage, ...]
    actual: pd.DataFrame
    errors: pd.DataFrame
    targets: pd.DataFrame
    data_notes: tuple[str, ...] = ()


def national_cumulative(actuals: pd.DataFrame) -> pd.DataFrame:
    """Return national cumulative GE per month (``month`` as text, ``ge``, ``cumulative``)."""
    monthly = actuals.groupby("month", sort=True)["ge"].sum()
    frame = pd.DataFrame({"month": monthly.index.astype(str), "ge": monthly.to_numpy(float)})
    frame["cumulative"] = frame["ge"].cumsum()
    return frame


def compare_vintages(
    actuals: pd.DataFrame,
    vintages: Iterable[Vintage] | None = None,
    root: PathLike | None = None,
) -> VintageComparison:
    """Score vintages against actuals that arrived after them.

    Parameters
    ----------
    actuals
        Long frame (``group``, ``month``, ``ge``), e.g. from :func:`wgsforecast.read_actuals`.
    vintages
        The vintages to score (default: every vintage in ``root``).
    root
        Folder holding the vintages (default: the bundled ``data/vintages``).

    Returns
    -------
    VintageComparison
        Cumulative errors at every observed month (and table-period end) after each
        vintage's as-of month, and the target-month error when the actuals reach the target.

    Examples
    --------
    >>> comparison = compare_vintages(data.actuals, root="vintages")  # doctest: +SKIP
    >>> comparison.targets[["vintage", "error_months"]]  # doctest: +SKIP
    """
    chosen = tuple(list_vintages(root) if vintages is None else vintages)
    actual = national_cumulative(actuals)
    observed = dict(zip(actual["month"], actual["cumulative"], strict=True))
    last_actual = parse_month(actual["month"].iloc[-1]) if len(actual) else None
    error_rows: list[dict[str, Any]] = []
    target_rows: list[dict[str, Any]] = []
    for vintage in chosen:
        ends = set(vintage.table1["period_end"].astype(str))
        curve = vintage.cumulative
        pairs = zip(curve["month"].astype(str).tolist(), curve["cumulative"].tolist(), strict=True)
        for month, value in pairs:
            if parse_month(month) <= vintage.as_of or month not in observed:
                continue
            predicted, real = float(value), float(observed[month])
            error_rows.append(
                {
                    "vintage": vintage.name,
                    "as_of": str(vintage.as_of),
                    "month": month,
                    "predicted": predicted,
                    "actual": real,
                    "error": predicted - real,
                    "error_pct": 100 * (predicted - real) / real if real else np.nan,
                    "is_period_end": month in ends,
                }
            )
        target_rows.append(_target_row(vintage, actual, last_actual))
    errors = pd.DataFrame.from_records(
        error_rows,
        columns=[
            "vintage",
            "as_of",
            "month",
            "predicted",
            "actual",
            "error",
            "error_pct",
            "is_period_end",
        ],
    )
    notes = tuple(str(n) for n in actuals.attrs.get("notes", ()))
    targets = pd.DataFrame.from_records(target_rows)
    return VintageComparison(
        chosen, actual, _with_notes(errors, notes), _with_notes(targets, notes), notes
    )


def _target_row(vintage: Vintage, actual: pd.DataFrame, last: pd.Period | None) -> dict[str, Any]:
    predicted = vintage.target_month
    hit = _first_reach(list(actual["month"]), actual["cumulative"].to_numpy(), vintage.target_ge)
    reached = parse_month(actual["month"].iloc[hit]) if hit >= 0 else None
    error = None
    if reached is not None and predicted is not None:
        error = int((predicted - reached).n)
        status = "scored"
    elif reached is not None:
        status = "prognosis did not reach the target; the actuals did"
    elif last is not None and predicted is not None and last >= predicted:
        status = f"actuals not at the target by {last}, later than predicted"
    else:
        status = "actuals have not reached the target yet"
    return {
        "vintage": vintage.name,
        "as_of": str(vintage.as_of),
        "target_ge": vintage.target_ge,
        "predicted_month": _month_or_none(predicted),
        "actual_month": _month_or_none(reached),
        "error_months": error,
        "status": status,
    }


def plot_vintages(comparison: VintageComparison, ax: Axes | None = None, lang: Lang = "da") -> Axes:
    """Draw every vintage's cumulative curve over the actual cumulative GE.

    Parameters
    ----------
    comparison
        From :func:`compare_vintages`.
    ax
        Axes to draw on; ``None`` makes a new figure.
    lang
        ``"da"`` (default) or ``"en"``.

    Returns
    -------
    matplotlib.axes.Axes
        With a footnote when the actuals are reconstructed.
    """
    from matplotlib.ticker import FuncFormatter

    from wgsforecast.plotting import footnote, pyplot

    plt = pyplot()
    if ax is None:
        ax = plt.figure(figsize=(9.0, 5.0), layout="constrained").add_subplot()
    assert ax is not None
    actual = comparison.actual
    actual_label = text_of("actual", lang)
    if "reconstructed" in comparison.data_notes:
        actual_label += f" ({text_of('vintage_reconstructed_short', lang)})"
    ax.plot(
        pd.PeriodIndex(actual["month"], freq="M").to_timestamp(how="end"),
        actual["cumulative"],
        color="black",
        linewidth=2.2,
        label=actual_label,
    )
    for vintage in comparison.vintages:
        curve = vintage.cumulative
        curve = curve[pd.PeriodIndex(curve["month"], freq="M") >= vintage.as_of - 12]
        style = "o--" if not vintage.has_groups else "--"
        name = vintage.metadata.get("label_en") if lang == "en" else None
        ax.plot(
            pd.PeriodIndex(curve["month"], freq="M").to_timestamp(how="end"),
            curve["cumulative"],
            style,
            linewidth=1.4,
            markersize=4,
            label=f"{name or vintage.label} ({vintage.as_of})",
        )
    if comparison.vintages:
        target = comparison.vintages[0].target_ge
        ax.axhline(target, color="#CC3311", linewidth=1, linestyle=":")
    ax.set_ylabel(text_of("cumulative_ge", lang))
    ax.set_title(text_of("vintage_plot_title", lang))
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: format_number(v, lang)))
    ax.legend(loc="upper left", fontsize=8, frameon=False)
    ax.spines["top"].set_visible(False)
    ax.spines["right"].set_visible(False)
    footnote(ax.figure, comparison.data_notes, lang)
    return ax
