"""Scoring earlier vintages against the actuals that arrived after them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from wgsforecast._text import Text
from wgsforecast.periods import Lang, national_truth, parse_month
from wgsforecast.vintages.store import list_vintages
from wgsforecast.vintages.vintage import (
    PathLike,
    Vintage,
    first_reach,
    month_or_none,
    with_notes,
)


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
        The vintage store (default: :func:`default_root`; the shipped vintages come too).

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
    actual = _national_cumulative(actuals)
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
        chosen, actual, with_notes(errors, notes), with_notes(targets, notes), notes
    )


def _national_cumulative(actuals: pd.DataFrame) -> pd.DataFrame:
    """National cumulative GE per month (``month`` as text, ``ge``, ``cumulative``)."""
    if actuals.empty:  # nothing has arrived to score against
        return pd.DataFrame({"month": [], "ge": [], "cumulative": []})
    monthly = national_truth(actuals)
    frame = pd.DataFrame({"month": monthly.index.astype(str), "ge": monthly.to_numpy()})
    frame["cumulative"] = frame["ge"].cumsum()
    return frame


_STATUS_SCORED = Text(da="vurderet", en="scored")
_STATUS_ONLY_ACTUALS = Text(
    da="prognosen nåede ikke målet; de faktiske tal gjorde",
    en="prognosis did not reach the target; the actuals did",
)
_STATUS_LATE = Text(
    da="de faktiske tal var ikke ved målet i {last}, senere end forudsagt",
    en="actuals not at the target by {last}, later than predicted",
)
_STATUS_NOT_YET = Text(
    da="de faktiske tal har ikke nået målet endnu",
    en="actuals have not reached the target yet",
)


def target_status(
    reached: bool, predicted: pd.Period | None, last: pd.Period | None, lang: Lang = "en"
) -> str:
    """A vintage's target status for people (the ``status`` of :attr:`VintageComparison.targets`).

    Parameters
    ----------
    reached
        Whether the actuals reached the vintage's target.
    predicted
        The month the vintage expected the target (``None``: not within its horizon).
    last
        The last month of the actuals (``None``: no actuals).
    lang
        ``"en"`` (the table's own text) or ``"da"``.

    Returns
    -------
    str
        Scored (both months known), only the actuals reached it, the actuals are late
        (the predicted month has passed), or not reached yet.
    """
    if reached and predicted is not None:
        return _STATUS_SCORED(lang)
    if reached:
        return _STATUS_ONLY_ACTUALS(lang)
    if last is not None and predicted is not None and last >= predicted:
        return _STATUS_LATE(lang, last=last)
    return _STATUS_NOT_YET(lang)


def _target_row(vintage: Vintage, actual: pd.DataFrame, last: pd.Period | None) -> dict[str, Any]:
    predicted = vintage.target_month
    hit = first_reach(actual["cumulative"].to_numpy(), vintage.target_ge)
    reached = parse_month(actual["month"].iloc[hit]) if hit >= 0 else None
    error = None
    if reached is not None and predicted is not None:
        error = int((predicted - reached).n)
    status = target_status(reached is not None, predicted, last)
    return {
        "vintage": vintage.name,
        "as_of": str(vintage.as_of),
        "target_ge": vintage.target_ge,
        "predicted_month": month_or_none(predicted),
        "actual_month": month_or_none(reached),
        "error_months": error,
        "status": status,
    }
