"""Checks shared by the file readers and the engines.

The readers turn cells into a long frame (``group``, ``month``, ``ge``) and refuse a file
with problems; a frame built in code reaches the engines without any reader, so
:func:`check_actuals_frame` applies the same rules to it at the engine boundary.
:func:`not_live_rows` says which leading zero months are "not live yet" (a pivot-table
export writes 0 for the months before a group started).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple, cast

import numpy as np
import numpy.typing as npt
import pandas as pd

from wgsforecast._text import Text
from wgsforecast.exceptions import InputError, Problem
from wgsforecast.models import GroupRegistry
from wgsforecast.periods import Lang

MAX_COUNT = 10**12
"""The largest count any cell may hold. A million files of such counts still sum inside
int64 (and every count is exact as a float), so nothing downstream can wrap or overflow."""
LISTED = 10
"""How many names a message lists before it says how many more there are."""

_NOT_LIVE = Text(
    da="måneder med 0 læst som endnu ikke i drift (udeladt): {spans}",
    en="months of 0 read as not live yet (left out): {spans}",
)
_SPAN_TO = Text(da=" til {last}", en=" to {last}")
_BEFORE_GO_LIVE = Text(da="før idriftsættelse {month}", en="before go-live {month}")
_BEFORE_FIRST_GE = Text(da="før første GE", en="before the first GE")
"""The reasons of :func:`not_live_spans` (kept in English in ``attrs["not_live"]``)."""

FRAME_SOURCE = "the actuals frame"
"""How an error names a frame without ``attrs["source"]`` (one built in code)."""

DEFAULT_PLAUSIBLE_FACTOR = 10.0
"""A month may hold at most this many times the group's declared monthly volume
(``declared_per_year / 12``); more is refused as a typo (an extra digit, a yearly total in
a monthly cell). ``read_actuals(plausible_factor=...)`` and ``--plausible-factor`` change it."""


def not_live_rows(
    keys: Sequence[str],
    months: Sequence[pd.Period],
    ge: npt.ArrayLike,
    groups: GroupRegistry,
) -> npt.NDArray[np.bool_]:
    """Mark the leading zero months of each group that are "not live yet".

    A month of 0 is not live when it comes before the group's go-live month in the
    registry, or, when the registry has no go-live, before the group's first month with
    GE; a 0 at or after the go-live month is a live month without samples. A group whose
    months are all such zeros is not live at all.

    Parameters
    ----------
    keys, months, ge
        One entry per row: the group key, its month and its count (unknown keys are never
        marked).
    groups
        The registry that gives each group's go-live month.

    Returns
    -------
    numpy.ndarray
        ``True`` for the rows that are not live yet.
    """
    counts = np.asarray(ge, dtype=np.float64)
    result = np.zeros(len(counts), dtype=bool)
    rows_of: dict[str, list[int]] = {}
    for position, key in enumerate(keys):
        rows_of.setdefault(key, []).append(position)
    for key, rows in rows_of.items():
        if key not in groups:
            continue
        go_live = groups[key].go_live
        for position in sorted(rows, key=lambda r: months[r]):
            if counts[position] != 0 or (go_live is not None and months[position] >= go_live):
                break
            result[position] = True
    return result


class NotLiveSpan(NamedTuple):
    """Zero months of one group read as "not live yet": the group, the first and last such
    month, and the go-live month they precede (``None``: they precede its first GE)."""

    key: str
    first: str
    last: str
    go_live: str | None

    def reason(self, lang: Lang = "en") -> str:
        """Why these months count as not live, in ``lang``."""
        if self.go_live is None:
            return _BEFORE_FIRST_GE(lang)
        return _BEFORE_GO_LIVE(lang, month=self.go_live)


def not_live_spans(
    frame: pd.DataFrame, mask: npt.NDArray[np.bool_], groups: GroupRegistry
) -> tuple[NotLiveSpan, ...]:
    """Describe the not-live rows per group, in registry order."""
    spans = []
    hidden = frame[mask]
    for key in groups.keys:
        months = hidden.loc[hidden["group"] == key, "month"]
        if months.empty:
            continue
        go_live = groups[key].go_live
        spans.append(
            NotLiveSpan(
                key,
                str(months.min()),
                str(months.max()),
                str(go_live) if go_live is not None else None,
            )
        )
    return tuple(spans)


def describe_not_live(spans: Sequence[NotLiveSpan], lang: Lang = "en") -> str:
    """One sentence for ``validate``: which zero months were read as not live yet."""
    parts = []
    for span in spans:
        months = f"{span.key} {span.first}" + (
            _SPAN_TO(lang, last=span.last) if span.last != span.first else ""
        )
        parts.append(f"{months} ({span.reason(lang)})")
    return _NOT_LIVE(lang, spans="; ".join(parts))


def _labels(index: pd.Index, mask: npt.NDArray[np.bool_]) -> str:
    labels = [str(label) for label in index[mask]]
    shown = ", ".join(labels[:LISTED])
    more = f" and {len(labels) - LISTED} more" if len(labels) > LISTED else ""
    return f"{'index ' if len(labels) == 1 else 'indexes '}{shown}{more}"


def check_actuals_frame(
    actuals: pd.DataFrame, groups: GroupRegistry, as_of: pd.Period | None = None
) -> None:
    """Refuse a long frame the readers would have refused, naming the rows and the fix.

    Checks the columns, that months are monthly :class:`pandas.Period` values, that every
    count is a whole number from 0 to :data:`~wgsforecast._checks.MAX_COUNT` (no NaN; the
    same for the optional ``genomes`` column, which the engines ignore), that
    every group is a registry key, that no group has a month twice, and that no group
    skips a month between its first row and the as-of month. Rows after ``as_of`` are
    checked for their values only (a backtest fits on an earlier as-of month). Without
    ``as_of`` the frame's own last month is used, once its months have passed the check.

    Raises
    ------
    InputError
        Listing every problem; rows are named by the frame's index labels.
    """
    source = str(actuals.attrs.get("source", FRAME_SOURCE))
    missing = [c for c in ("group", "month", "ge") if c not in actuals.columns]
    if missing:
        raise InputError(
            source,
            [
                Problem(
                    f"missing column {name!r}; the frame has columns"
                    f" {', '.join(repr(str(c)) for c in actuals.columns[:LISTED])} but needs"
                    " group, month and ge (as read_actuals returns)",
                    None,
                    name,
                )
                for name in missing
            ],
        )
    problems: list[Problem] = []
    index = actuals.index
    month_ok = _check_months(actuals["month"], index, problems)
    ge_ok = _check_counts(actuals["ge"], index, problems)
    if "genomes" in actuals.columns:
        _check_counts(actuals["genomes"], index, problems, "genomes")
    groups_col = actuals["group"].astype(str)
    unknown = ~groups_col.isin(groups.keys).to_numpy()
    for name in pd.unique(groups_col[unknown])[:LISTED]:
        rows = (groups_col == name).to_numpy()
        problems.append(
            Problem(
                f"{groups.unknown_name_message(str(name))} ({_labels(index, rows)}); write the"
                " group's registry key",
                None,
                "group",
            )
        )
    if as_of is None and not actuals.empty and month_ok:
        as_of = max(actuals["month"])
    if month_ok and ge_ok and not unknown.any() and as_of is not None:
        problems.extend(_check_calendar(actuals, index, as_of))
    if problems:
        raise InputError(source, problems)


def _check_months(months: pd.Series, index: pd.Index, problems: list[Problem]) -> bool:
    dtype = months.dtype
    if isinstance(dtype, pd.PeriodDtype):
        if dtype != pd.PeriodDtype("M"):
            problems.append(
                Problem(
                    f"months are {dtype}, not monthly periods; convert them with"
                    " frame['month'].dt.asfreq('M')",
                    None,
                    "month",
                )
            )
            return False
        bad = months.isna().to_numpy()
    else:
        bad = np.array(
            [not (isinstance(m, pd.Period) and m.freqstr == "M") for m in months], dtype=bool
        )
        if not bad.any():
            return True
        if pd.api.types.is_datetime64_any_dtype(dtype):
            fix = "convert them with frame['month'].dt.to_period('M')"
        else:
            fix = (
                "convert them with pd.PeriodIndex(frame['month'], freq='M'), or read the file"
                " with read_actuals"
            )
        example = months[bad].iloc[0]
        problems.append(
            Problem(
                f"months must be monthly pandas Periods, but {example!r} is a"
                f" {type(example).__name__} ({_labels(index, bad)}); {fix}",
                None,
                "month",
            )
        )
        return False
    if bad.any():
        problems.append(
            Problem(
                f"month is blank ({_labels(index, bad)}); give every row a month", None, "month"
            )
        )
        return False
    return True


def _check_counts(
    ge: pd.Series, index: pd.Index, problems: list[Problem], column: str = "ge"
) -> bool:
    if pd.api.types.is_bool_dtype(ge.dtype) or not pd.api.types.is_numeric_dtype(ge.dtype):
        problems.append(
            Problem(
                f"counts must be numbers, but the column has dtype {ge.dtype}; convert it with"
                f" pd.to_numeric(frame[{column!r}]), or read the file with read_actuals",
                None,
                column,
            )
        )
        return False
    values = ge.to_numpy(dtype=np.float64)
    unit = "GE" if column == "ge" else column
    checks = [
        (np.isnan(values), "count is blank (NaN); write 0 if nothing was sequenced"),
        (values < 0, "count is negative; a count cannot be below 0, so correct the value"),
        (
            np.isfinite(values) & (values != np.round(values)),
            f"count is not a whole number; {unit} counts are whole numbers, so correct or round it",
        ),
        (
            values > MAX_COUNT,
            f"count is far too large for a monthly count (the most any cell may hold is"
            f" {MAX_COUNT:,}); correct the value",
        ),
    ]
    ok = True
    for bad, message in checks:
        if bad.any():
            head, _, fix = message.partition(";")
            problems.append(Problem(f"{head} ({_labels(index, bad)});{fix}", None, column))
            ok = False
    return ok


def _check_calendar(actuals: pd.DataFrame, index: pd.Index, as_of: pd.Period) -> list[Problem]:
    problems: list[Problem] = []
    keys = actuals["group"].astype(str).to_numpy()
    ordinals = np.asarray([m.ordinal for m in actuals["month"]], dtype=np.int64)
    pairs = pd.DataFrame({"group": keys, "month": ordinals})
    repeated = pairs.duplicated(keep=False).to_numpy()
    if repeated.any():
        groups = pairs[repeated].groupby(["group", "month"]).groups
        for pair, positions in list(groups.items())[:LISTED]:
            key, ordinal = cast(tuple[str, int], pair)
            mask = np.zeros(len(actuals), dtype=bool)
            mask[np.asarray(positions, dtype=np.int64)] = True
            month = pd.Period(ordinal=int(ordinal), freq="M")
            problems.append(
                Problem(
                    f"group {key!r} has month {month} more than once ({_labels(index, mask)});"
                    " keep one row per group and month (add the counts up if both are real)",
                    None,
                    "month",
                )
            )
        return problems
    known = ordinals <= as_of.ordinal
    if not known.any():
        return problems
    last = int(ordinals[known].max())
    for key in pd.unique(keys[known]):
        present = np.unique(ordinals[known & (keys == key)])
        gaps = np.setdiff1d(np.arange(present[0], last + 1), present)
        if gaps.size:
            month = pd.Period(ordinal=int(gaps[0]), freq="M")
            start = pd.Period(ordinal=int(present[0]), freq="M")
            end = pd.Period(ordinal=last, freq="M")
            more = f" and {gaps.size - 1} more months" if gaps.size > 1 else ""
            problems.append(
                Problem(
                    f"missing month: group {key!r} has no row for {month}{more} (its history"
                    f" starts {start} and the data run to {end}); add a row with ge 0 for each"
                    " month nothing was sequenced",
                    None,
                    "month",
                )
            )
    return problems
