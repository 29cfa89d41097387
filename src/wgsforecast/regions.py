"""Split a national annual volume across the five Danish regions.

Item 111/23 of the steering group's minutes (15 March 2023) plans for a national need of
20,000 WGS a year after the handover to the regions, "fordelt efter regionernes
befolkningstal" (split by the regions' populations). The bundled populations
(``data/regions_2023.csv``, 1 January 2023) carry their source; any other split key can be
passed instead. Volumes are whole numbers that add up to the national total exactly
(largest-remainder rounding).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pandas as pd

from wgsforecast._markdown import markdown_table
from wgsforecast._text import Text
from wgsforecast.exceptions import InputError, MissingFileError, Problem
from wgsforecast.models import NATIONAL_WGS_PER_YEAR
from wgsforecast.periods import Lang, format_number, format_percent

REGIONS_FILE = "regions_2023.csv"

Weights = Mapping[str, float] | pd.Series | str | os.PathLike[str] | None


def regions_path() -> Path:
    """The bundled regional populations (``data/regions_2023.csv``)."""
    from wgsforecast.io import bundled_data_dir

    return bundled_data_dir() / REGIONS_FILE


def read_regions(path: str | os.PathLike[str] | None = None) -> pd.DataFrame:
    """Read a regions file: one row per region with at least a ``region`` column.

    Parameters
    ----------
    path
        A CSV file; default the bundled populations (with a ``source`` column).

    Returns
    -------
    pandas.DataFrame
        The file as read, ``region`` stripped of spaces.

    Raises
    ------
    MissingFileError
        If the file does not exist.
    InputError
        If the ``region`` column is missing, or a region is blank or repeated.
    """
    file = Path(path) if path is not None else regions_path()
    if not file.is_file():
        raise MissingFileError(f"{file} does not exist; check the path")
    frame = pd.read_csv(file, dtype={"region": str}, encoding="utf-8-sig")
    if "region" not in frame.columns:
        raise InputError(
            str(file),
            [Problem(f"no 'region' column; the columns are {', '.join(map(str, frame.columns))}")],
        )
    frame["region"] = frame["region"].astype(str).str.strip()
    problems = []
    for row, name in enumerate(frame["region"], start=2):
        if not name or name == "nan":
            problems.append(Problem("the region name is blank; fill it in", row, "region"))
    repeated = frame["region"][frame["region"].duplicated()]
    for row, name in zip(repeated.index + 2, repeated, strict=True):
        problems.append(Problem(f"region {name!r} appears twice; keep one row", int(row), "region"))
    if problems:
        raise InputError(str(file), problems)
    return frame


def largest_remainder(total: int, weights: npt.ArrayLike) -> npt.NDArray[np.int64]:
    """Split ``total`` in proportion to ``weights`` into whole numbers summing to ``total``.

    Each share is rounded down; the units left over go to the largest remainders (ties to
    the earlier position, so the result is reproducible).

    Examples
    --------
    >>> largest_remainder(10, [1, 1, 1]).tolist()
    [4, 3, 3]
    """
    values = np.asarray(weights, dtype=np.float64)
    if int(total) != total or total < 0:
        raise ValueError(f"total must be a whole number >= 0; got {total!r}")
    if values.ndim != 1 or values.size == 0:
        raise ValueError("weights must be a non-empty list of numbers")
    if not np.isfinite(values).all() or (values < 0).any():
        raise ValueError(f"weights must be finite and >= 0; got {values.tolist()}")
    if values.sum() <= 0:
        raise ValueError("weights must not all be zero")
    exact = int(total) * values / values.sum()
    whole = np.floor(exact).astype(np.int64)
    left = int(total) - int(whole.sum())
    order = np.argsort(-(exact - whole), kind="stable")
    whole[order[:left]] += 1
    result: npt.NDArray[np.int64] = whole
    return result


def split_by_region(
    total: int = NATIONAL_WGS_PER_YEAR,
    weights: Weights = None,
    column: str = "population",
) -> pd.DataFrame:
    """Split a national annual volume across regions in proportion to a key.

    Parameters
    ----------
    total
        The national volume (default 20,000 WGS a year, item 111/23).
    weights
        The split key: ``None`` for the bundled populations, a mapping or Series
        ``region -> weight``, or the path of a CSV file with a ``region`` column and the
        column named by ``column``.
    column
        The weight column when ``weights`` is ``None`` or a file.

    Returns
    -------
    pandas.DataFrame
        ``region``, ``weight``, ``share`` (of the total weight), ``volume`` (whole numbers
        summing to ``total``) and, for the bundled populations, ``source``.

    Examples
    --------
    >>> table = split_by_region()
    >>> int(table["volume"].sum()), table.loc[0, "region"], int(table.loc[0, "volume"])
    (20000, 'Hovedstaden', 6378)
    """
    if weights is None or isinstance(weights, str | os.PathLike):
        path = None if weights is None else weights
        frame = read_regions(path)
        if column not in frame.columns:
            source = path or regions_path()
            valid = [c for c in frame.columns if c != "region"]
            raise InputError(
                str(source),
                [Problem(f"no column {column!r}; choose one of {', '.join(map(str, valid))}")],
            )
        numbers = pd.to_numeric(frame[column], errors="coerce")
        bad = numbers.isna() | (numbers < 0)
        if bad.any():
            problems = [
                Problem(
                    f"{frame[column].iloc[i]!r} is not a number >= 0; write a plain number",
                    int(i) + 2,
                    column,
                )
                for i in np.flatnonzero(bad.to_numpy())
            ]
            raise InputError(str(path or regions_path()), problems)
        table = pd.DataFrame({"region": frame["region"], "weight": numbers.astype(float)})
        if "source" in frame.columns:
            table["source"] = frame["source"]
    else:
        series = pd.Series(weights, dtype=float)
        table = pd.DataFrame({"region": series.index.astype(str), "weight": series.to_numpy()})
    table["share"] = table["weight"] / table["weight"].sum()
    table["volume"] = largest_remainder(total, table["weight"].to_numpy())
    columns = ["region", "weight", "share", "volume"]
    columns += [c for c in table.columns if c not in columns]
    return table[columns].reset_index(drop=True)


_COLUMNS = (
    Text(da="Region", en="Region"),
    Text(da="Vægt", en="Weight"),
    Text(da="Andel", en="Share"),
    Text(da="Volumen", en="Volume"),
)
_SOURCE = Text(da="Kilde", en="Source")
_TOTAL = Text(da="I alt", en="Total")


def region_markdown(table: pd.DataFrame, lang: Lang = "da") -> str:
    """A split as a Markdown table with Danish (or English) number formats.

    When the table has a ``source`` column (the bundled populations), it is shown, so a
    figure that is derived rather than quoted (Nordjylland's population) says so.
    """
    sources = table["source"].fillna("").astype(str).tolist() if "source" in table else None
    columns = _COLUMNS + ((_SOURCE,) if sources is not None else ())
    head = [column(lang) for column in columns]
    rows: list[list[str]] = []
    for row, (region, weight, share, volume) in enumerate(
        zip(
            table["region"],
            table["weight"].to_numpy(dtype=float),
            table["share"].to_numpy(dtype=float),
            table["volume"].to_numpy(dtype=np.int64),
            strict=True,
        )
    ):
        cells = [
            str(region),
            format_number(float(weight), lang),
            format_percent(float(share), lang, decimals=1),
            format_number(int(volume), lang),
        ]
        if sources is not None:
            cells.append(sources[row].replace("|", "/"))  # a pipe would split the cell
        rows.append(cells)
    total = [_TOTAL(lang), "", "", format_number(int(table["volume"].sum()), lang)]
    rows.append(total + ([""] if sources is not None else []))
    return markdown_table(head, rows, align="lrrr" + ("l" if sources is not None else "")) + "\n"
