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
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from wgsforecast.exceptions import WgsForecastError
from wgsforecast.io import _umask
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
PUBLISHED_NAME = "2023-03-published"
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,79}$")

PathLike = str | os.PathLike[str]


class VintageError(WgsForecastError, ValueError):
    """A vintage cannot be saved, found or trusted."""


class VintageExistsError(VintageError, FileExistsError):
    """A vintage of that name, or with the same content, exists already."""


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
    """

    name: str
    path: Path
    metadata: dict[str, Any]
    manifest: dict[str, Any]
    table1: pd.DataFrame
    cumulative: pd.DataFrame
    groups_monthly: pd.DataFrame | None
    groups: pd.DataFrame | None

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
    """Return the bundled vintages folder (``data/vintages``)."""
    from wgsforecast.io import bundled_data_dir

    return bundled_data_dir() / "vintages"


def _root(root: PathLike | None) -> Path:
    return default_root() if root is None else Path(root)


def _check_name(name: str) -> None:
    if not _NAME.match(name):
        raise VintageError(
            f"vintage name {name!r} is not usable as a folder name; use letters, digits, "
            "'.', '_' and '-' (for example 2023-06 or 2023-06-runrate)"
        )


def _csv_bytes(frame: pd.DataFrame) -> bytes:
    buffer = io.StringIO()
    frame.to_csv(buffer, index=False, lineterminator="\n")
    return buffer.getvalue().encode("utf-8")


def _json_bytes(value: Any) -> bytes:
    return (json.dumps(value, indent=2, ensure_ascii=False, sort_keys=True) + "\n").encode()


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _content_hash(hashes: dict[str, str]) -> str:
    lines = "".join(f"{name}\0{hashes[name]}\n" for name in sorted(hashes))
    return _sha256(lines.encode())


def _month_or_none(month: pd.Period | None) -> str | None:
    return None if month is None else str(month)


def _prognosis_files(prognosis: Prognosis) -> dict[str, bytes]:
    """The data files of a vintage made from a prognosis (everything but the manifest)."""
    programme = prognosis.programme
    periods = programme.table_periods
    values = prognosis.period_paths(periods)
    central = prognosis.yearly_table("en")
    with np.errstate(invalid="ignore"):
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
    deadline_done = prognosis.cumulative_at(programme.deadline)
    metadata = {
        "format": VINTAGE_FORMAT,
        "source": "wgsforecast",
        "label": prognosis.assumptions.label,
        "as_of": str(prognosis.as_of),
        "engine": prognosis.engine,
        "seed": prognosis.seed,
        "n_paths": prognosis.n_paths,
        "target_ge": programme.target_ge,
        "deadline": str(programme.deadline),
        "target_month": _month_or_none(prognosis.target_month(0.5)),
        "target_month_p10": _month_or_none(prognosis.target_month(0.1)),
        "target_month_p90": _month_or_none(prognosis.target_month(0.9)),
        "ge_by_deadline": round(prognosis.ge_by_deadline(), 1),
        "p_target_by_deadline": float(np.mean(deadline_done >= programme.target_ge)),
        "data_notes": list(prognosis.data_notes),
        "group_notes": {k: list(v) for k, v in sorted(prognosis.group_notes.items())},
    }
    return {
        "metadata.json": _json_bytes(metadata),
        "table1.csv": _csv_bytes(table1),
        "cumulative.csv": _csv_bytes(cumulative),
        "groups_monthly.csv": _csv_bytes(monthly),
        "groups.csv": _csv_bytes(groups),
        "assumptions.json": _json_bytes(prognosis.assumptions.model_dump(mode="json")),
    }


def _write_vintage(files: dict[str, bytes], name: str, root: PathLike | None) -> Path:
    _check_name(name)
    folder = _root(root)
    target = folder / name
    hashes = {file: _sha256(data) for file, data in files.items()}
    content_hash = _content_hash(hashes)
    if target.exists():
        raise VintageExistsError(
            f"vintage {name!r} exists already in {folder}; vintages are never overwritten - "
            "choose another name (for example with a date or engine suffix)"
        )
    for existing in list_vintages(folder):
        if existing.content_hash == content_hash:
            raise VintageExistsError(
                f"this prognosis is already saved as vintage {existing.name!r} in {folder} "
                f"(same content hash {content_hash[:12]}); nothing was written"
            )
    from wgsforecast import __version__

    manifest = {
        "name": name,
        "created": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
        "wgsforecast_version": __version__,
        "format": VINTAGE_FORMAT,
        "files": hashes,
        "content_hash": content_hash,
    }
    folder.mkdir(parents=True, exist_ok=True)
    # Build the whole folder under a temporary name, then rename it into place: readers
    # never see half a vintage, and a failed save leaves nothing behind.
    staging = Path(tempfile.mkdtemp(dir=folder, prefix=f".{name}.", suffix=".part"))
    try:
        staging.chmod(0o777 & ~_umask())  # mkdtemp makes it private; a vintage is shared
        for file, data in {**files, MANIFEST: _json_bytes(manifest)}.items():
            path = staging / file
            path.write_bytes(data)
            path.chmod(0o444)  # immutable by convention and by mode
        try:
            # os.rename onto an existing (empty) folder would succeed on POSIX, so the
            # existence check above is repeated as close to the rename as possible.
            if target.exists():
                raise VintageExistsError(
                    f"vintage {name!r} appeared in {folder} while saving; nothing was written"
                )
            os.rename(staging, target)
        except OSError as error:
            raise VintageError(f"could not save vintage {name!r} in {folder}: {error}") from error
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return target


def save_vintage(prognosis: Prognosis, name: str, root: PathLike | None = None) -> Path:
    """Save a prognosis as an immutable vintage folder ``root/name``.

    Parameters
    ----------
    prognosis
        The prognosis to keep.
    name
        Folder name, e.g. ``"2023-06"``; letters, digits, ``.``, ``_`` and ``-``.
    root
        Folder holding the vintages (default: the bundled ``data/vintages``).

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
    return _write_vintage(_prognosis_files(prognosis), name, root)


def save_published_vintage(
    table1_csv: PathLike, name: str = PUBLISHED_NAME, root: PathLike | None = None
) -> Path:
    """Save a published Table 1 (national totals only) as a vintage.

    Parameters
    ----------
    table1_csv
        A file shaped like ``data/table1_2023_03.csv``: ``period``, ``period_da``,
        ``period_end``, ``ge_in_period``, ``ge_cumulative``, ``kind``.
    name
        Vintage name (default ``2023-03-published``).
    root
        Folder holding the vintages (default: the bundled ``data/vintages``).

    Returns
    -------
    pathlib.Path
        The new vintage folder.

    Notes
    -----
    Item 112/23 states the target month (June 2025) in its text; the as-of month is the
    last month of actuals it used (February 2023). Both are recorded as published. The
    published prognosis has no per-group figures, so the vintage has none either.
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
    ends = [parse_month(v) for v in table["period_end"]]
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
        "label": "Offentliggjort prognose marts 2023 (punkt 112/23)",
        "label_en": "Published prognosis March 2023 (item 112/23)",
        "as_of": "2023-02",
        "published": "2023-03-15",
        "engine": "published",
        "seed": None,
        "n_paths": None,
        "target_ge": 60_000,
        "deadline": "2024-06",
        "target_month": "2025-06",
        "target_month_p10": None,
        "target_month_p90": None,
        "ge_by_deadline": float(
            table.loc[table["period_end"] == "2024-06", "ge_cumulative"].iloc[0]
        ),
        "p_target_by_deadline": None,
        "data_notes": ["published: national totals only, no per-group figures"],
        "group_notes": {},
    }
    files = {
        "metadata.json": _json_bytes(metadata),
        "table1.csv": _csv_bytes(table),
        "cumulative.csv": _csv_bytes(cumulative),
    }
    return _write_vintage(files, name, root)


# --------------------------------------------------------------------------- reading


def load_vintage(name: PathLike, root: PathLike | None = None) -> Vintage:
    """Read a vintage and check its files against the manifest.

    Parameters
    ----------
    name
        Vintage name (a folder in ``root``) or a path to a vintage folder.
    root
        Folder holding the vintages (default: the bundled ``data/vintages``).

    Returns
    -------
    Vintage

    Raises
    ------
    VintageError
        If the vintage does not exist, or a file was changed after saving.
    """
    candidate = Path(name)
    folder = candidate if (candidate / MANIFEST).is_file() else _root(root) / candidate
    manifest_path = folder / MANIFEST
    if not manifest_path.is_file():
        known = ", ".join(v.name for v in list_vintages(root)) or "none"
        raise VintageError(
            f"no vintage {str(name)!r} in {_root(root)} (no {MANIFEST}); known vintages: {known}"
        )
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    data: dict[str, bytes] = {}
    for file, expected in manifest["files"].items():
        path = folder / file
        content = path.read_bytes() if path.is_file() else b""
        if _sha256(content) != expected:
            raise VintageError(
                f"vintage {folder.name!r}: {file} does not match its hash in {MANIFEST}; the "
                "vintage was changed after saving - restore it from version control"
            )
        data[file] = content
    if _content_hash(manifest["files"]) != manifest["content_hash"]:
        raise VintageError(f"vintage {folder.name!r}: {MANIFEST} content hash is inconsistent")

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
        metadata=json.loads(data["metadata.json"]),
        manifest=manifest,
        table1=table1,
        cumulative=cumulative,
        groups_monthly=frame("groups_monthly.csv"),
        groups=frame("groups.csv"),
    )


def list_vintages(root: PathLike | None = None) -> list[Vintage]:
    """Return every vintage in ``root``, oldest as-of month first (then by creation time)."""
    folder = _root(root)
    if not folder.is_dir():
        return []
    found = [load_vintage(p) for p in sorted(folder.iterdir()) if (p / MANIFEST).is_file()]
    return sorted(found, key=lambda v: (str(v.as_of), str(v.manifest.get("created", ""))))


def previous_vintage(prognosis: Prognosis, root: PathLike | None = None) -> Vintage | None:
    """Return the latest vintage made at or before the prognosis's as-of month.

    A vintage with exactly the prognosis's content (the prognosis itself, saved) is skipped.
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
        The earlier vintage.
    previous_target, current_target
        The central target months (``None``: not reached within the horizon).
    shift_months
        ``current - previous`` in months (positive: later), ``None`` if either is missing.
    previous_by_deadline, current_by_deadline
        GE done by the funding deadline.
    groups
        Per group, how many months the target month moves when only that group's projection
        changes from the previous vintage to the new one (``group``, ``shift_months``,
        ``previous_ge``, ``current_ge`` over the horizon both cover); ``None`` when the
        previous vintage has no per-group data.
    """

    previous: Vintage
    previous_target: pd.Period | None
    current_target: pd.Period | None
    shift_months: int | None
    previous_by_deadline: float
    current_by_deadline: float
    groups: pd.DataFrame | None

    def describe(self, lang: Lang = "da") -> list[str]:
        """Return the change as short sentences for reports."""
        texts = []
        name = self.previous.metadata.get("label_en") if lang == "en" else None
        name = name or self.previous.label

        def month(m: pd.Period | None) -> str:
            if m is None:
                return "ikke inden for horisonten" if lang == "da" else "not within the horizon"
            return format_month(m, lang)

        if self.shift_months is None or self.shift_months == 0:
            same = "uændret" if lang == "da" else "unchanged"
            move = same if self.shift_months == 0 else "-"
        else:
            n = abs(self.shift_months)
            if lang == "da":
                move = f"{n} {'måned' if n == 1 else 'måneder'} " + (
                    "senere" if self.shift_months > 0 else "tidligere"
                )
            else:
                move = f"{n} month{'s' if n != 1 else ''} " + (
                    "later" if self.shift_months > 0 else "earlier"
                )
        diff = self.current_by_deadline - self.previous_by_deadline
        sign = "+" if diff >= 0 else "-"
        if lang == "da":
            texts.append(
                f"Siden {name}: målet nås {month(self.current_target)} mod "
                f"{month(self.previous_target)} ({move}); ved fristen "
                f"{format_number(self.current_by_deadline)} GE mod "
                f"{format_number(self.previous_by_deadline)} ({sign}{format_number(abs(diff))})."
            )
        else:
            texts.append(
                f"Since {name}: target reached {month(self.current_target)} against "
                f"{month(self.previous_target)} ({move}); by the deadline "
                f"{format_number(self.current_by_deadline, 'en')} GE against "
                f"{format_number(self.previous_by_deadline, 'en')} "
                f"({sign}{format_number(abs(diff), 'en')})."
            )
        if self.groups is None:
            texts.append(
                "Den forrige prognose har kun nationale totaler, så ændringen kan ikke fordeles "
                "på patientgrupper."
                if lang == "da"
                else "The previous prognosis has national totals only, so the change cannot be "
                "attributed to patient groups."
            )
        else:
            moved = self.groups[self.groups["shift_months"] != 0]
            if moved.empty:
                texts.append(
                    "Ingen enkelt patientgruppe flytter målmåneden."
                    if lang == "da"
                    else "No single patient group moves the target month."
                )
            pairs = zip(moved["name"].tolist(), moved["shift_months"].tolist(), strict=True)
            for group_name, shift in pairs:
                n = int(shift)
                if lang == "da":
                    way = "senere" if n > 0 else "tidligere"
                    texts.append(f"{group_name}: flytter målet {abs(n)} mdr. {way}.")
                else:
                    way = "later" if n > 0 else "earlier"
                    texts.append(f"{group_name}: moves the target {abs(n)} months {way}.")
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
    cumulative total crosses the target.
    """
    current_target = prognosis.target_month()
    previous_target = previous.target_month
    shift = None
    if current_target is not None and previous_target is not None:
        shift = int((current_target - previous_target).n)
    groups = None
    if previous.groups_monthly is not None:
        groups = _group_shifts(prognosis, previous.groups_monthly, lang)
    return Change(
        previous=previous,
        previous_target=previous_target,
        current_target=current_target,
        shift_months=shift,
        previous_by_deadline=float(previous.metadata["ge_by_deadline"]),
        current_by_deadline=prognosis.ge_by_deadline(),
        groups=groups,
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
        # target month with the group as it was, subtracted from the month now.
        if base < 0 or hit < 0:
            shift = 0 if base == hit else (len(months) if base < 0 else -len(months))
        else:
            shift = base - hit
        rows.append(
            {
                "group": key,
                "name": prognosis.groups[key].name(lang),
                "shift_months": int(shift),
                "previous_ge": float(old[key].sum()),
                "current_ge": float(new[key].sum()),
            }
        )
    return pd.DataFrame.from_records(rows)


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
    """

    vintages: tuple[Vintage, ...]
    actual: pd.DataFrame
    errors: pd.DataFrame
    targets: pd.DataFrame


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
    return VintageComparison(chosen, actual, errors, pd.DataFrame.from_records(target_rows))


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
    """
    from matplotlib.ticker import FuncFormatter

    from wgsforecast.plotting import pyplot

    plt = pyplot()
    if ax is None:
        ax = plt.figure(figsize=(9.0, 5.0), layout="constrained").add_subplot()
    assert ax is not None
    actual = comparison.actual
    ax.plot(
        pd.PeriodIndex(actual["month"], freq="M").to_timestamp(how="end"),
        actual["cumulative"],
        color="black",
        linewidth=2.2,
        label="Faktisk" if lang == "da" else "Actual",
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
    ax.set_ylabel("Akkumulerede genomækvivalenter" if lang == "da" else "Cumulative GE")
    ax.set_title(
        "Prognoser (vintages) mod faktiske tal" if lang == "da" else "Vintages against actuals"
    )
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: format_number(v, lang)))
    ax.legend(loc="upper left", fontsize=8, frameon=False)
    ax.spines["top"].set_visible(False)
    ax.spines["right"].set_visible(False)
    return ax
