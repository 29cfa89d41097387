"""The vintage object, its typed JSON files and the errors every part of the package raises.

``metadata.json``, ``manifest.json`` and the store's ``ledger.json`` are pydantic models: a
file that does not fit is a :class:`VintageError` naming the file and the field. Written
back, each model gives the same JSON as before (sorted keys, two-space indent, only the
keys the file had), so the content hashes of stored vintages stay valid.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, ValidationError

from wgsforecast._text import Text
from wgsforecast._validation import field_problems
from wgsforecast.exceptions import WgsForecastError
from wgsforecast.periods import Lang, parse_month

VINTAGE_FORMAT = 1
MANIFEST = "manifest.json"
METADATA = "metadata.json"
RESTORE = "restore the folder from version control or a backup, or move it out of the store"

PathLike = str | os.PathLike[str]


class VintageError(WgsForecastError, ValueError):
    """A vintage cannot be saved, found or trusted."""


class VintageExistsError(VintageError, FileExistsError):
    """A vintage of that name, or with the same content, exists already."""


class VintageWarning(UserWarning):
    """A folder in the vintages folder could not be read and was skipped."""


class _Record(BaseModel):
    """A JSON file of a vintage: frozen, unknown keys ignored (older files read as before)."""

    model_config = ConfigDict(frozen=True)

    def to_json(self) -> bytes:
        """The file's bytes: only the keys given when made or read, as they were written."""
        return json_bytes(self.model_dump(mode="json", exclude_unset=True))


class VintageMetadata(_Record):
    """The contents of a vintage's ``metadata.json``.

    ``as_of`` and ``target_ge`` are required; every other key may be absent from an older
    file. ``label_en`` and ``published`` are written for a published vintage only.
    """

    format: int = VINTAGE_FORMAT
    source: str | None = None
    """``wgsforecast`` (saved from a prognosis) or ``published`` (a published Table 1)."""
    label: str | None = None
    label_en: str | None = None
    as_of: str
    published: str | None = None
    engine: str | None = None
    seed: int | None = None
    n_paths: int | None = None
    target_ge: int
    deadline: str | None = None
    target_month: str | None = None
    target_month_p10: str | None = None
    target_month_p90: str | None = None
    ge_by_deadline: float | None = None
    p_target_by_deadline: float | None = None
    data_notes: list[str] = []
    group_notes: dict[str, list[str]] = {}


class VintageManifest(_Record):
    """The contents of a vintage's ``manifest.json``: its name and every file's SHA-256."""

    name: str | None = None
    created: str | None = None
    wgsforecast_version: str | None = None
    format: int | None = None
    files: dict[str, str]
    """File name -> SHA-256 of its bytes."""
    content_hash: str
    """SHA-256 over ``files`` (see :func:`content_hash`): the same content, whatever the name."""


class LedgerEntry(_Record):
    """One vintage in a store's ``ledger.json``."""

    manifest_sha256: str
    content_hash: str | None = None
    created: str | None = None
    pending: bool = False
    """Written before the vintage's folder is renamed into place, cleared after."""


class LedgerFile(_Record):
    """A store's ``ledger.json``: ``{"format": 1, "vintages": {name: entry}}``."""

    format: int | None = None
    vintages: dict[str, LedgerEntry]


_Model = TypeVar("_Model", bound=BaseModel)


def read_record(model: type[_Model], path: Path, content: bytes, lead: str, fix: str) -> _Model:
    """Parse a vintage's JSON file into ``model``; a bad file is a :class:`VintageError`.

    The error starts with ``lead`` (which vintage or store), names the file and each field
    that is missing or does not fit, and ends with ``fix``.
    """
    try:
        value = json.loads(content)
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise VintageError(f"{lead}: {path} is not valid JSON ({error}); {fix}") from error
    if not isinstance(value, dict):
        raise VintageError(f"{lead}: {path} does not hold a JSON object; {fix}")
    try:
        return model.model_validate(value)
    except ValidationError as error:
        problems = [
            f"lacks {p.where!r}" if p.missing else f"{p.where!r}: {p.message}"
            for p in field_problems(error)
        ]
        raise VintageError(f"{lead}: {path} {'; '.join(problems)}; {fix}") from error


def json_bytes(value: Any) -> bytes:
    """A JSON file's bytes as vintages write them (sorted keys, two-space indent)."""
    # allow_nan=False: NaN is not JSON; an unknown number must be written as null.
    text = json.dumps(value, indent=2, ensure_ascii=False, sort_keys=True, allow_nan=False)
    return (text + "\n").encode()


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """A CSV file's bytes as vintages write them (no index, ``\\n`` line ends, UTF-8)."""
    buffer = io.StringIO()
    frame.to_csv(buffer, index=False, lineterminator="\n")
    return buffer.getvalue().encode("utf-8")


def sha256(data: bytes) -> str:
    """Hex SHA-256 of ``data``."""
    return hashlib.sha256(data).hexdigest()


def content_hash(hashes: dict[str, str]) -> str:
    """The hash over a vintage's files (name -> SHA-256), independent of its name and time."""
    lines = "".join(f"{name}\0{hashes[name]}\n" for name in sorted(hashes))
    return sha256(lines.encode())


def files_hash(files: dict[str, bytes]) -> str:
    """The content hash of a vintage made of ``files`` (name -> bytes)."""
    return content_hash({file: sha256(data) for file, data in files.items()})


def month_or_none(month: pd.Period | None) -> str | None:
    """A month as ``YYYY-MM`` text, ``None`` kept."""
    return None if month is None else str(month)


def with_notes(frame: pd.DataFrame, notes: Sequence[str]) -> pd.DataFrame:
    """The frame with a ``data_notes`` column, so a CSV with actuals says what they are."""
    return frame.assign(data_notes="; ".join(notes))


def first_reach(cumulative: Sequence[float] | np.ndarray[Any, Any], target: float) -> int:
    """Index of the first month the cumulative series reaches ``target``; -1 if never."""
    hit = np.flatnonzero(np.asarray(cumulative) >= target)
    return int(hit[0]) if hit.size else -1


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
    metadata: VintageMetadata
    manifest: VintageManifest
    table1: pd.DataFrame
    cumulative: pd.DataFrame
    groups_monthly: pd.DataFrame | None
    groups: pd.DataFrame | None
    bundled: bool = False

    @property
    def as_of(self) -> pd.Period:
        """The last month of actuals the prognosis used."""
        return parse_month(self.metadata.as_of)

    @property
    def target_month(self) -> pd.Period | None:
        """The (central) month the prognosis expected the target to be reached."""
        value = self.metadata.target_month
        return None if value is None else parse_month(value)

    @property
    def target_ge(self) -> int:
        """The programme target the prognosis was made for."""
        return self.metadata.target_ge

    @property
    def label(self) -> str:
        """A human label: the prognosis label, else the vintage name."""
        return self.metadata.label or self.name

    def label_in(self, lang: Lang) -> str:
        """The label in ``lang``: the English label when there is one, else :attr:`label`."""
        return Text(da=self.label, en=self.metadata.label_en or self.label).template(lang)

    @property
    def content_hash(self) -> str:
        """SHA-256 over the vintage's data files (not its name or creation time)."""
        return self.manifest.content_hash

    @property
    def has_groups(self) -> bool:
        """True when the vintage carries per-group monthly GE."""
        return self.groups_monthly is not None
