"""Observed genomes per genome equivalent (GE), beside the assumed conversion.

NGC follows both GE and genomes (item 112/23): the minutes report 11,516 genomes in the
national genome database when 7,716 GE were done (item 114/23). No public definition of the
GE weights exists, so the genomes per GE of each group (:data:`~wgsforecast.models.GENOMES_PER_GE`
by kind, or the group's ``genomes_per_ge``) is an ASSUMPTION; where genomes were observed,
:func:`observed_genomes_per_ge` sets the observed ratio beside it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from wgsforecast._checks import check_actuals_frame
from wgsforecast.exceptions import WgsForecastWarning
from wgsforecast.models import GroupRegistry

__all__ = ["NATIONAL", "GenomesWarning", "observed_genomes_per_ge"]

NATIONAL = "national"
"""The row of :func:`observed_genomes_per_ge` for all groups together."""

COLUMNS = ("first", "last", "ge", "genomes", "observed", "assumed")
"""The columns of :func:`observed_genomes_per_ge`."""


class GenomesWarning(WgsForecastWarning):
    """Genome counts that look wrong but are not refused (fewer genomes than GE, say)."""


def observed_genomes_per_ge(
    actuals: pd.DataFrame, groups: GroupRegistry, national: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Compare observed genomes per GE with the assumed ratio, per group and national.

    Parameters
    ----------
    actuals
        Long frame as :func:`~wgsforecast.read_actuals` returns it; with a ``genomes``
        column it gives one row per group with genomes, and the national row when
        ``national`` is not given (the groups' sums).
    groups
        The registry with each group's assumed genomes per GE.
    national
        National genomes as :func:`~wgsforecast.io.read_national_genomes` returns them. With
        ``genomes_to_date`` the national row compares the latest total at or before the
        last month of ``actuals`` with all GE of ``actuals`` up to that month (so the
        actuals should start where the database does); with ``genomes`` it compares the
        sums over the months of the file that ``actuals`` cover.

    Returns
    -------
    pandas.DataFrame
        Indexed by group key (registry order) then ``national``; columns ``first`` and
        ``last`` (the months compared), ``ge`` and ``genomes`` (totals), ``observed``
        (genomes / GE; NaN without GE) and ``assumed`` (the group's genomes per GE; for the
        national row the GE-weighted mean of the groups' over the same months).

    Raises
    ------
    ValueError
        If neither ``actuals`` nor ``national`` holds genomes.
    InputError
        If the actuals frame breaks the readers' rules (see
        :func:`~wgsforecast._checks.check_actuals_frame`).
    """
    if "genomes" not in actuals.columns and national is None:
        raise ValueError(
            "no genomes to compare: read the actuals with a genomes column (read_actuals"
            " genomes_col= or genomes=), or pass national=read_national_genomes(...)"
        )
    if actuals.empty:
        raise ValueError("the actuals have no rows; nothing to compare")
    check_actuals_frame(actuals, groups)
    last = max(actuals["month"])
    assumed = actuals["group"].map(groups.genomes_per_ge()).to_numpy(np.float64)
    frame = actuals.assign(assumed_genomes=actuals["ge"].to_numpy(np.float64) * assumed)
    rows: dict[str, tuple[object, ...]] = {}
    if "genomes" in actuals.columns:
        for group in groups:
            own = frame[frame["group"] == group.key]
            if not own.empty:
                row = _row(own, int(own["genomes"].sum()))
                rows[group.key] = (*row[:-1], group.genomes_per_genome_equivalent)
    if national is None:
        rows[NATIONAL] = _row(frame, int(frame["genomes"].sum()))
    elif "genomes_to_date" in national.columns:
        known = national[national["month"] <= last]
        if known.empty:
            raise ValueError(
                f"the national genomes begin in {min(national['month'])}, after the last"
                f" month of the actuals ({last}); nothing to compare"
            )
        at = known.iloc[-1]
        rows[NATIONAL] = _row(frame[frame["month"] <= at["month"]], int(at["genomes_to_date"]))
    else:
        covered = national[national["month"] <= last]
        months = set(covered["month"])
        rows[NATIONAL] = _row(frame[frame["month"].isin(months)], int(covered["genomes"].sum()))
    return pd.DataFrame.from_dict(rows, orient="index", columns=list(COLUMNS))


def _row(part: pd.DataFrame, genomes: int) -> tuple[object, ...]:
    """first, last, GE, genomes, observed and GE-weighted assumed ratio over ``part``."""
    ge = int(part["ge"].sum())
    observed = genomes / ge if ge else float("nan")
    assumed = float(part["assumed_genomes"].sum()) / ge if ge else float("nan")
    first = min(part["month"]) if not part.empty else None
    last = max(part["month"]) if not part.empty else None
    return (first, last, ge, genomes, observed, assumed)
