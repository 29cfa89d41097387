"""The published vintage: a published Table 1 (national totals only) saved as a vintage.

The prognosis published in March 2023 ships with the package as ``2023-03-published``,
made by :func:`published_files` from ``data/table1_2023_03.csv`` with its default facts.
"""

from __future__ import annotations

from pathlib import Path
from typing import TypedDict, Unpack

import numpy as np
import pandas as pd

from wgsforecast.periods import parse_month
from wgsforecast.vintages.store import PUBLISHED_NAME, write_vintage
from wgsforecast.vintages.vintage import (
    VINTAGE_FORMAT,
    PathLike,
    VintageError,
    VintageMetadata,
    csv_bytes,
    month_or_none,
)

_COLUMNS = ("period", "period_da", "period_end", "ge_in_period", "ge_cumulative", "kind")


class PublicationFacts(TypedDict, total=False):
    """The facts of a publication, as keywords of :func:`published_files` (see there)."""

    as_of: str | pd.Period
    target_month: str | pd.Period | None
    target_ge: int
    deadline: str | pd.Period
    label: str
    label_en: str
    published: str | None


def save_published_vintage(
    table1_csv: PathLike,
    name: str = PUBLISHED_NAME,
    root: PathLike | None = None,
    **facts: Unpack[PublicationFacts],
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
    **facts
        ``as_of``, ``target_month``, ``target_ge``, ``deadline``, ``label``, ``label_en``,
        ``published``: the publication's facts, see :func:`published_files` (whose
        defaults are those of the March 2023 publication).

    Returns
    -------
    pathlib.Path
        The new vintage folder.
    """
    return write_vintage(published_files(table1_csv, **facts), name, root)


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
    missing = sorted(set(_COLUMNS) - set(table.columns))
    if missing:
        raise VintageError(
            f"{source}: missing column(s) {', '.join(missing)}; the file needs the columns of "
            "data/table1_2023_03.csv"
        )
    table = table[[c for c in table.columns if c in _COLUMNS]]
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
    metadata = VintageMetadata(
        format=VINTAGE_FORMAT,
        source="published",
        label=label,
        label_en=label_en,
        as_of=str(as_of_month),
        published=published,
        engine="published",
        seed=None,
        n_paths=None,
        target_ge=int(target_ge),
        deadline=str(deadline_month),
        target_month=month_or_none(target),
        target_month_p10=None,
        target_month_p90=None,
        ge_by_deadline=float(at_deadline.iloc[0]),
        p_target_by_deadline=None,
        data_notes=["published: national totals only, no per-group figures"],
        group_notes={},
    )
    return {
        "metadata.json": metadata.to_json(),
        "table1.csv": csv_bytes(table),
        "cumulative.csv": csv_bytes(cumulative),
    }
